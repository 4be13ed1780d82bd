"""Demonstration accounts: fictitious people, one per role on the reference convention, for a local trial only."""

from django.contrib.auth import get_user_model

from ctg.comptes.models import Habilitation, Profil, Role, caf_du_departement, organisation_commune, organisation_epci
from ctg.conventions.models import Convention

MOT_DE_PASSE_DEMO = "ctg-demo-2026"
COMPTES_DEMO = [
    # identifiant, prénom, nom, rôle, organisation ("caf", "epci" or a commune code), fonction
    ("demo", "Camille", "Démo", Role.CONSEILLER_CAF, "caf", "Conseillère territoriale (démonstration)"),
    ("chef.projet", "Dominique", "Exemple", Role.CHEF_PROJET, "epci", "Cheffe de projet CTG (démonstration)"),
    ("referent.commune", "Alex", "Exemple", Role.REFERENT_COMMUNE, "59122", "Service enfance-jeunesse (démonstration)"),
    ("membre.copil", "Sacha", "Exemple", Role.MEMBRE_COPIL, "caf", "Membre du comité de pilotage (démonstration)"),
    ("lecture", "Claude", "Exemple", Role.LECTURE, "epci", "Lecture seule (démonstration)"),
]


def creer_comptes_demo(convention: Convention) -> list[dict]:
    """Create (or reset) one demonstration account per role on ``convention``; return their logins."""
    User = get_user_model()
    comptes = []
    for identifiant, prenom, nom, role, rattachement, fonction in COMPTES_DEMO:
        user, _ = User.objects.get_or_create(username=identifiant)
        user.first_name, user.last_name = prenom, f"{nom} (compte de démonstration)"
        user.is_staff = identifiant == "demo"
        user.set_password(MOT_DE_PASSE_DEMO)
        user.save()
        if rattachement == "caf":
            organisation = caf_du_departement(convention.caf.departement)
        elif rattachement == "epci":
            organisation = organisation_epci(convention.epci)
        else:
            organisation = organisation_commune(convention.epci.communes.get(code=rattachement))
        Profil.objects.update_or_create(user=user, defaults={"organisation": organisation, "fonction": fonction})
        Habilitation.objects.update_or_create(
            user=user,
            convention=convention,
            defaults={"role": role, "commune_id": rattachement if role == Role.REFERENT_COMMUNE else None},
        )
        comptes.append({"identifiant": identifiant, "mot_de_passe": MOT_DE_PASSE_DEMO, "role": Role(role).label})
    return comptes

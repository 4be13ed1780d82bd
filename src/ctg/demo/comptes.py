"""Demonstration accounts: fictitious people, one per role on the reference convention, for a local trial only.

Only ``demo``, the Caf du Nord's adviser, may create a convention (Django permission
``conventions.add_convention``; the rules then limit it to the EPCI of the Nord) and import open data from the data
page (``donnees.add_fichier``). No demo account is staff: none
needs the administration site.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.management.base import CommandError

from ctg.comptes.models import Profil, Role, caf_du_departement, organisation_commune, organisation_epci
from ctg.conventions.models import Convention, Habilitation

MOT_DE_PASSE_DEMO = "ctg-demo-2026"
COMPTES_DEMO = [
    # identifiant, prénom, nom, rôle, organisation ("caf", "epci" or a commune code), fonction
    ("demo", "Camille", "Démo", Role.CONSEILLER_CAF, "caf", "Conseillère territoriale (démonstration)"),
    ("chef.projet", "Dominique", "Exemple", Role.CHEF_PROJET, "epci", "Cheffe de projet CTG (démonstration)"),
    ("referent.commune", "Alex", "Exemple", Role.REFERENT_COMMUNE, "59122", "Service enfance-jeunesse (démonstration)"),
    ("membre.copil", "Sacha", "Exemple", Role.MEMBRE_COPIL, "caf", "Membre du comité de pilotage (démonstration)"),
    ("lecture", "Claude", "Exemple", Role.LECTURE, "epci", "Lecture seule (démonstration)"),
]
# The accounts that may create a convention (for their own Caf's EPCI only).
CREATEURS_DEMO = {"demo"}


class DemoRefusee(CommandError):
    """The demonstration is not loaded on this database (settings.CTG_DEMO is false)."""


MESSAGE_DEMO_REFUSEE = (
    "Démonstration refusée : elle crée des comptes dont le mot de passe est public ({mot_de_passe}) et n'est chargée "
    "d'office que sur la base SQLite embarquée d'un essai local. Cette installation est en production (DEBUG=false "
    "ou ALLOWED_HOSTS donné) ou utilise sa propre base (DATABASE_URL). Pour une base réservée à la démonstration, "
    "relancez avec la variable CTG_DEMO=true."
)


def exiger_demo_autorisee() -> None:
    """Refuse, with the reason and the way out, unless the demonstration is allowed here (``settings.CTG_DEMO``)."""
    if not settings.CTG_DEMO:
        raise DemoRefusee(MESSAGE_DEMO_REFUSEE.format(mot_de_passe=MOT_DE_PASSE_DEMO))


def permission_creer_convention() -> Permission:
    return Permission.objects.get(content_type__app_label="conventions", codename="add_convention")


def permission_importer_donnees() -> Permission:
    return Permission.objects.get(content_type__app_label="donnees", codename="add_fichier")


def creer_comptes_demo(convention: Convention, *autres: Convention) -> list[dict]:
    """Create (or reset) one demonstration account per role, with that role on ``convention`` and on each of
    ``autres``; return their logins. Refused where the demonstration is not allowed (``exiger_demo_autorisee``)."""
    exiger_demo_autorisee()
    User = get_user_model()
    droits = [permission_creer_convention(), permission_importer_donnees()]
    comptes = []
    for identifiant, prenom, nom, role, rattachement, fonction in COMPTES_DEMO:
        user, _ = User.objects.get_or_create(username=identifiant)
        user.first_name, user.last_name = prenom, f"{nom} (compte de démonstration)"
        user.is_staff = user.is_superuser = False
        user.set_password(MOT_DE_PASSE_DEMO)
        user.save()
        user.user_permissions.set(droits if identifiant in CREATEURS_DEMO else [])
        if rattachement == "caf":
            organisation = caf_du_departement(convention.caf.departement)
        elif rattachement == "epci":
            organisation = organisation_epci(convention.epci)
        else:
            organisation = organisation_commune(convention.epci.communes.get(code=rattachement))
        Profil.objects.update_or_create(user=user, defaults={"organisation": organisation, "fonction": fonction})
        comptes.append({"identifiant": identifiant, "mot_de_passe": MOT_DE_PASSE_DEMO, "role": Role(role).label})
    for une in (convention, *autres):
        habiliter_comptes_demo(une)
    return comptes


def habiliter_comptes_demo(convention: Convention) -> None:
    """Give each demonstration account its role on ``convention`` (the accounts exist)."""
    for identifiant, _prenom, _nom, role, rattachement, _fonction in COMPTES_DEMO:
        user = get_user_model().objects.get(username=identifiant)
        habilitation = Habilitation.objects.filter(user=user, convention=convention).first() or Habilitation(
            user=user, convention=convention
        )
        habilitation.role = role
        habilitation.commune_id = rattachement if role == Role.REFERENT_COMMUNE else None
        habilitation.save()

"""Who may do what on a convention. Views, templates and the API call these functions, nothing else.

Article 14 (confidentiality): a user sees only the conventions they hold a role on. A superuser (the
product's administrator) sees everything.
"""

from __future__ import annotations

from ctg import acces
from ctg.audit import IDENTIFIANT_SYSTEME
from ctg.comptes.models import (
    Organisation,
    Role,
    agent_de_caf_habilite,
    est_administrateur_national,
    organisation_de,
)

from .models import STATUTS_SIGNES, Convention, Habilitation, Statut

ROLES_EDITION = {Role.CONSEILLER_CAF, Role.CHEF_PROJET}


def habilitation(user, convention: Convention) -> Habilitation | None:
    if not user.is_authenticated:
        return None
    cache = getattr(user, "_habilitations_ctg", None)
    if cache is None:
        cache = user._habilitations_ctg = {}
    if convention.pk not in cache:
        cache[convention.pk] = Habilitation.objects.filter(user=user, convention=convention).first()
    return cache[convention.pk]


def role(user, convention: Convention) -> str | None:
    h = habilitation(user, convention)
    return h.role if h else None


def conventions_visibles(user):
    """The conventions ``user`` may open."""
    if not user.is_authenticated:
        return Convention.objects.none()
    if user.is_superuser:
        return Convention.objects.all()
    return Convention.objects.filter(habilitations__user=user).distinct()


def peut_voir(user, convention: Convention) -> bool:
    return user.is_authenticated and (user.is_superuser or habilitation(user, convention) is not None)


def _editeur(user, convention: Convention) -> bool:
    return user.is_superuser or role(user, convention) in ROLES_EDITION


def _caf(user, convention: Convention) -> bool:
    """The Caf's side of the convention: its adviser (or the administrator)."""
    return user.is_superuser or role(user, convention) == Role.CONSEILLER_CAF


# --- Creation (issue: only the competent Caf) -----------------------------------------------------------


def peut_creer_convention(user) -> bool:
    """May set up a convention at all: a national administrator, or a Caf adviser (Django permission
    ``conventions.add_convention``) working for a Caf."""
    return agent_de_caf_habilite(user, "conventions.add_convention")


def caf_competente_pour(user, epci):
    """The Caf a convention of ``epci`` created by ``user`` would be signed by, or None if ``user`` may not create
    one: the Caf of the EPCI's département; a Caf adviser only for their own Caf."""
    from ctg.comptes.models import caf_du_departement
    from ctg.territoires.models import Departement

    from .regles import departement_siege

    if not peut_creer_convention(user):
        return None
    code = departement_siege(epci)
    if est_administrateur_national(user):
        return caf_du_departement(Departement.objects.get(code=code))
    organisation = organisation_de(user)
    if organisation.departement_id != code:
        return None
    return organisation


def hors_de_sa_caf(epci) -> str:
    """Why a Caf adviser may not create a convention of ``epci``: it belongs to another Caf's département."""
    from .regles import departement_siege

    return (
        f"{epci.nom} relève de la Caf du département {departement_siege(epci)} : vous ne pouvez créer une "
        "convention que pour une intercommunalité du département de votre Caf."
    )


# --- Contract and lifecycle -------------------------------------------------------------------------


def peut_modifier(user, convention: Convention) -> bool:
    """Open the edit page: the Caf adviser and the project lead, while the convention has not ended. Once signed,
    only what follows the contract is editable there (transmission to the prefecture, deadlines); its terms change
    by avenant."""
    return not convention.est_terminee and _editeur(user, convention)


def peut_modifier_termes(user, convention: Convention) -> bool:
    """The contract terms (dates, parties, domains, signatories, visas): only while the convention is a draft."""
    return convention.statut == Statut.BROUILLON and _editeur(user, convention)


def peut_corriger(user, convention: Convention) -> bool:
    """Correct a clerical error in a signed convention: an explicit act of the Caf, with a reason."""
    return convention.statut != Statut.BROUILLON and _caf(user, convention)


def peut_modifier_caf_organisation(user, caf: Organisation) -> bool:
    """A Caf's own data (its name, its tribunal administratif): only its staff (or a national administrator)."""
    if est_administrateur_national(user):
        return True
    organisation = organisation_de(user)
    return organisation is not None and organisation.pk == caf.pk


def peut_modifier_caf(user, convention: Convention) -> bool:
    """The Caf's data printed in a convention: its staff who edit this convention (or a national administrator)."""
    return peut_modifier_caf_organisation(user, convention.caf) and (
        est_administrateur_national(user) or _editeur(user, convention)
    )


def peut_signer(user, convention: Convention) -> bool:
    return convention.statut == Statut.BROUILLON and _editeur(user, convention)


def peut_revenir_en_brouillon(user, convention: Convention) -> bool:
    return _caf(user, convention)


def par_le_calendrier(user, convention: Convention) -> bool:
    """Date-driven transitions (entry into force, expiry, termination taking effect): only the daily update."""
    return getattr(user, "username", None) == IDENTIFIANT_SYSTEME


def peut_resilier(user, convention: Convention) -> bool:
    return (
        convention.statut_du_jour in STATUTS_SIGNES
        and not hasattr(convention, "resiliation")
        and partie_de(user, convention) is not None
    )


def modes_resiliation(user, convention: Convention) -> list[str]:
    """Article 12: either party may send a mise en demeure or give notice; only the Caf terminates for an
    infraction or for a change made without avenant."""
    from .regles import REGLES_RESILIATION

    partie = partie_de(user, convention)
    if partie is None:
        return []
    return [mode for mode, regle in REGLES_RESILIATION.items() if partie == "caf" or not regle.par_la_caf_seulement]


def peut_annuler_resiliation(user, convention: Convention) -> bool:
    return _caf(user, convention)


def peut_ajouter_avenant(user, convention: Convention) -> bool:
    return convention.statut_du_jour in STATUTS_SIGNES and _editeur(user, convention)


def peut_signer_avenant(user, avenant) -> bool:
    return peut_ajouter_avenant(user, avenant.convention)


def partie_de(user, convention: Convention) -> str | None:
    """The party a user acts for: "caf" for the Caf adviser, "collectivite" for the project lead."""
    r = role(user, convention)
    if r == Role.CONSEILLER_CAF or (user.is_superuser and r is None):
        return "caf"
    if r == Role.CHEF_PROJET:
        return "collectivite"
    return None


# --- Adhesions (annexe 4) -------------------------------------------------------------------------


def peut_confirmer_adhesion(user, convention: Convention) -> bool:
    """Record or confirm a commune's adhesion or refusal: the Caf adviser or the project lead."""
    return not convention.est_terminee and _editeur(user, convention)


def peut_proposer_adhesion(user, convention: Convention, commune_code: str) -> bool:
    """A commune's referent proposes its commune's adhesion or refusal (with the deliberation's date)."""
    if convention.est_terminee:
        return False
    h = habilitation(user, convention)
    return h is not None and h.role == Role.REFERENT_COMMUNE and h.commune_id == commune_code


def peut_modifier_adhesion(user, convention: Convention, commune_code: str) -> bool:
    """Open a commune's adhesion form: to confirm it, or to propose it for one's own commune."""
    return peut_confirmer_adhesion(user, convention) or peut_proposer_adhesion(user, convention, commune_code)


# --- Other acts -----------------------------------------------------------------------------------


def peut_renouveler(user, convention: Convention) -> bool:
    """Article 10: renewal by explicit agreement, set up by the Caf (it creates a convention), also once the
    convention has ended."""
    return convention.statut != Statut.BROUILLON and _caf(user, convention)


def peut_contribuer(user, convention: Convention) -> bool:
    """Add a contribution to the shared diagnostic: every member but the read-only ones (annexe 2: the
    operators, and through them the users, are involved)."""
    if convention.est_terminee:
        return False
    return user.is_superuser or role(user, convention) not in {None, Role.LECTURE}


def peut_inviter(user, convention: Convention) -> bool:
    return _editeur(user, convention)


def peut_telecharger(user, convention: Convention) -> bool:
    return peut_voir(user, convention)


def droits(user, convention: Convention) -> dict[str, bool]:
    """Every right at once, for templates."""
    return {
        "voir": peut_voir(user, convention),
        "modifier": peut_modifier(user, convention),
        "modifier_termes": peut_modifier_termes(user, convention),
        "corriger": peut_corriger(user, convention),
        "signer": peut_signer(user, convention),
        "resilier": peut_resilier(user, convention),
        "annuler_resiliation": peut_annuler_resiliation(user, convention)
        and (convention.statut == Statut.RESILIEE or hasattr(convention, "resiliation")),
        "avenant": peut_ajouter_avenant(user, convention),
        "inviter": peut_inviter(user, convention),
        "renouveler": peut_renouveler(user, convention),
        "telecharger": peut_telecharger(user, convention),
        "adhesions": peut_confirmer_adhesion(user, convention)
        or (role(user, convention) == Role.REFERENT_COMMUNE and not convention.est_terminee),
    }


ACCES = {
    "login": acces.PUBLIQUE,
    "logout": acces.POST,
    "accueil": acces.PUBLIQUE,  # the product presented to visitors, what to open for the signed-in
    "accessibilite": acces.PUBLIQUE,  # the accessibility statement
    "glossaire": acces.PUBLIQUE,  # the words of a CTG
    "comptes:invitation": acces.REDIRECTION,  # the address of links sent before: leads to conventions:invitation
    "conventions:invitation": acces.PUBLIQUE,
    "conventions:liste": acces.CONNECTE,
    "conventions:nouvelle": acces.CREATION,
    "conventions:tableau": acces.MEMBRE,
    "conventions:adhesions": acces.MEMBRE,
    "conventions:document": acces.MEMBRE,
    "conventions:export_json": acces.MEMBRE,
    "conventions:membres": acces.MEMBRE,
    "conventions:historique": acces.MEMBRE,
    # CSV and XLSX exports of the tables (``views_exports``)
    "conventions:adhesions_export": acces.MEMBRE,
    "conventions:echeances_export": acces.MEMBRE,
    "conventions:membres_export": acces.MEMBRE,
    "conventions:historique_export": acces.MEMBRE,
    "conventions:liste_export": acces.CONNECTE,
    "conventions:communications_export": acces.MEMBRE,
    "conventions:modifier": acces.EDITION,
    "conventions:avenant_nouveau": acces.EDITION,
    "conventions:signer": acces.EDITION_BROUILLON,
    "conventions:resilier": acces.EDITION,
    "conventions:adhesion": acces.EDITION_OU_REFERENT,
    "conventions:adhesions_en_bloc": acces.EDITION,
    "conventions:renouveler": acces.POST,
    "conventions:corriger": acces.POST,
    "conventions:avenant_signer": acces.POST,
    "conventions:annuler_resiliation": acces.POST,
    "conventions:retirer_membre": acces.POST,
    "conventions:revoquer_invitation": acces.POST,
    # Joint communication (article 8, ``views_communication``)
    "conventions:communications": acces.MEMBRE,
    "conventions:communication": acces.MEMBRE,
    "conventions:communication_piece": acces.MEMBRE,
    "conventions:communication_nouvelle": acces.EDITION,
    "conventions:communication_logo": acces.EDITION,
    "conventions:communication_approuver": acces.POST,
    "conventions:communication_publier": acces.POST,
    # The weekly digest's opt-out link: signed, works without signing in (ctg.conventions.resume).
    "conventions:resume_desabonnement": acces.PUBLIQUE,
}


def exemples_acces(convention) -> dict:
    """URL arguments for the permission walk: an invitation and a membership of the demo convention."""
    from .models import Invitation
    from .resume import jeton_desabonnement

    invitation = Invitation.objects.create(
        convention=convention,
        email="invitee@example.org",
        role=Role.LECTURE,
        invitee_par=convention.habilitations.first().user,
    )
    from .communication import exemples_acces as exemples_communication

    return {
        **exemples_communication(convention),
        "pk": convention.pk,
        "numero": 1,
        "commune": "59122",
        "jeton": invitation.jeton,
        "habilitation": convention.habilitations.get(user__username="lecture").pk,
        "invitation": invitation.pk,
        **{
            f"conventions:{t}_export/format": "xlsx"
            for t in ("adhesions", "echeances", "membres", "historique", "liste", "communications")
        },
        "signature": jeton_desabonnement(convention.habilitations.get(user__username="lecture").user),
    }

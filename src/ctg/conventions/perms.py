"""Who may do what on a convention. Views, templates and the API call these functions, nothing else.

Article 14 (confidentiality): a user sees only the conventions they hold a role on. A superuser (the
product's administrator) sees everything.
"""

from __future__ import annotations

from ctg import acces
from ctg.comptes.models import Habilitation, Organisation, Role, organisation_de

from .models import Convention

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


def peut_creer_convention(user) -> bool:
    """A Caf or EPCI employee (or the administrator) may set up a convention."""
    if not user.is_authenticated:
        return False
    organisation = organisation_de(user)
    return user.is_superuser or (
        organisation is not None and organisation.type in {Organisation.Type.CAF, Organisation.Type.EPCI}
    )


def peut_modifier(user, convention: Convention) -> bool:
    """Edit the convention's text, parties, signatories, dates and avenants: the Caf adviser and the project lead."""
    if convention.est_terminee:
        return False
    return user.is_superuser or role(user, convention) in ROLES_EDITION


def peut_signer(user, convention: Convention) -> bool:
    return peut_modifier(user, convention)


def peut_resilier(user, convention: Convention) -> bool:
    return peut_modifier(user, convention)


def partie_de(user, convention: Convention) -> str | None:
    """The party a user acts for: "caf" for the Caf adviser, "collectivite" for the project lead."""
    r = role(user, convention)
    if r == Role.CONSEILLER_CAF or (user.is_superuser and r is None):
        return "caf"
    if r == Role.CHEF_PROJET:
        return "collectivite"
    return None


def peut_modifier_adhesion(user, convention: Convention, commune_code: str) -> bool:
    """The adhesion of a commune: the editors, or the referent of that very commune."""
    if convention.est_terminee:
        return False
    if peut_modifier(user, convention):
        return True
    h = habilitation(user, convention)
    return h is not None and h.role == Role.REFERENT_COMMUNE and h.commune_id == commune_code


def peut_renouveler(user, convention: Convention) -> bool:
    """Article 10: renewal by explicit agreement, prepared by the editors, also once the convention has ended."""
    return user.is_superuser or role(user, convention) in ROLES_EDITION


def peut_contribuer(user, convention: Convention) -> bool:
    """Add a contribution to the shared diagnostic: every member but the read-only ones (annexe 2: the
    operators, and through them the users, are involved)."""
    if convention.est_terminee:
        return False
    return user.is_superuser or role(user, convention) not in {None, Role.LECTURE}


def peut_inviter(user, convention: Convention) -> bool:
    return user.is_superuser or role(user, convention) in ROLES_EDITION


def peut_telecharger(user, convention: Convention) -> bool:
    return peut_voir(user, convention)


def droits(user, convention: Convention) -> dict[str, bool]:
    """Every right at once, for templates."""
    return {
        "voir": peut_voir(user, convention),
        "modifier": peut_modifier(user, convention),
        "signer": peut_signer(user, convention),
        "resilier": peut_resilier(user, convention),
        "inviter": peut_inviter(user, convention),
        "renouveler": peut_renouveler(user, convention),
        "telecharger": peut_telecharger(user, convention),
        "adhesions": peut_modifier(user, convention)
        or (role(user, convention) == Role.REFERENT_COMMUNE and not convention.est_terminee),
    }


ACCES = {
    "login": acces.PUBLIQUE,
    "logout": acces.POST,
    "accueil": acces.CONNECTE,
    "comptes:invitation": acces.PUBLIQUE,
    "conventions:liste": acces.CONNECTE,
    "conventions:nouvelle": acces.CREATION,
    "conventions:tableau": acces.MEMBRE,
    "conventions:adhesions": acces.MEMBRE,
    "conventions:document": acces.MEMBRE,
    "conventions:export_json": acces.MEMBRE,
    "conventions:membres": acces.MEMBRE,
    "conventions:historique": acces.MEMBRE,
    "conventions:modifier": acces.EDITION,
    "conventions:avenant_nouveau": acces.EDITION,
    "conventions:signer": acces.EDITION,
    "conventions:resilier": acces.EDITION,
    "conventions:adhesion": acces.EDITION_OU_REFERENT,
    "conventions:renouveler": acces.POST,
    "conventions:retirer_membre": acces.POST,
    "territoires:recherche": acces.CONNECTE,
    "territoires:epci": acces.CONNECTE,
    "territoires:epci_carte": acces.CONNECTE,
    "territoires:commune": acces.CONNECTE,
    "territoires:commune_carte": acces.CONNECTE,
    "territoires:departement": acces.CONNECTE,
    "territoires:departement_carte": acces.CONNECTE,
}


def exemples_acces(convention) -> dict:
    """URL arguments for the permission walk: an invitation and a membership of the demo convention."""
    from ctg.comptes.models import Invitation

    invitation = Invitation.objects.create(
        convention=convention,
        email="invitee@example.org",
        role=Role.LECTURE,
        invitee_par=convention.habilitations.first().user,
    )
    return {
        "pk": convention.pk,
        "commune": "59122",
        "jeton": invitation.jeton,
        "habilitation": convention.habilitations.get(user__username="lecture").pk,
    }

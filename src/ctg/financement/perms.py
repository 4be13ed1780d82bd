"""Who may do what with the financing of a convention. Views and templates call these functions, nothing else.

Reading follows the convention (article 14: its members only), and every record is reached through that very
convention (a role on another convention of the same EPCI gives nothing). Structures, Cej references and imports
are edited by the convention's editors (the Caf adviser and the project lead); a commune's referent may enter the
actual funding of their own commune; only the Caf records its verifications. The rates table (``Bareme``) is
national: it applies to every Caf, so only a national administrator
(``ctg.comptes.models.est_administrateur_national``) creates or revises a rate — a Caf's staff account does not.
"""

from __future__ import annotations

from ctg import acces
from ctg.comptes.models import Role, est_administrateur_national
from ctg.conventions import perms as conventions


def peut_voir(user, convention) -> bool:
    return conventions.peut_voir(user, convention)


def peut_modifier(user, convention) -> bool:
    """Structures, Cej references, imports: the Caf adviser and the collectivité's project lead."""
    return conventions.peut_modifier(user, convention)


def peut_saisir_financement(user, convention, commune_code: str) -> bool:
    """The actual funding of a commune: the editors, or the referent of that very commune on this convention."""
    if peut_modifier(user, convention):
        return True
    if convention.est_terminee:
        return False
    habilitation = conventions.habilitation(user, convention)
    return (
        habilitation is not None
        and habilitation.role == Role.REFERENT_COMMUNE
        and habilitation.commune_id == (commune_code)
    )


def peut_verifier(user, convention) -> bool:
    """The Caf checks the commune's funding from the structures' budgets and comptes de résultat (article 1, note 1)."""
    if convention.est_terminee:
        return False
    return user.is_superuser or conventions.role(user, convention) == Role.CONSEILLER_CAF


def peut_modifier_baremes(user) -> bool:
    """The national rates apply to every Caf: a national administrator only (not a Caf's staff account)."""
    return est_administrateur_national(user)


def droits(user, convention) -> dict[str, bool]:
    return {
        "voir": peut_voir(user, convention),
        "modifier": peut_modifier(user, convention),
        "verifier": peut_verifier(user, convention),
        "baremes": peut_modifier_baremes(user),
    }


ACCES = {
    "financement:convention": acces.MEMBRE,
    "financement:pluriannuel": acces.MEMBRE,
    "financement:export": acces.MEMBRE,
    "financement:structure": acces.MEMBRE,
    "financement:structure_nouvelle": acces.EDITION,
    "financement:structure_modifier": acces.EDITION,
    "financement:cej_nouveau": acces.EDITION,
    "financement:cej_modifier": acces.EDITION,
    "financement:commune": acces.MEMBRE,
    "financement:financement_saisie": acces.EDITION_OU_REFERENT,
    "financement:import": acces.EDITION,
    "financement:verification": acces.POST,
    "financement:verification_document": acces.MEMBRE,
    "financement:simulation": acces.MEMBRE,
    "financement:baremes": acces.CONNECTE,
    "financement:bareme_reviser": acces.POST,
    "financement:bareme_nouveau": acces.POST,
    "financement:baremes_export": acces.CONNECTE,
    "financement:simulation_export": acces.MEMBRE,
    "financement:cej_export": acces.MEMBRE,
    "financement:structure_capacite_export": acces.MEMBRE,
    "financement:structure_financements_export": acces.MEMBRE,
    "financement:structure_bonus_export": acces.MEMBRE,
    "financement:commune_engagement_export": acces.MEMBRE,
    "financement:commune_verifications_export": acces.MEMBRE,
}


def exemples_acces(convention) -> dict:
    """A structure of Cambrai, its Cej, a verification with a document, and a rate, for the permission walk."""
    from django.contrib.auth import get_user_model
    from django.core.files.base import ContentFile

    from ctg.comptes.models import organisation_commune

    from .models import Bareme, Cej, LigneCej, Structure, Verification

    cambrai = convention.epci.communes.get(code="59122")
    structure = Structure.objects.create(
        convention=convention,
        nom="Crèche du parcours des droits",
        type="eaje",
        commune=cambrai,
        gestionnaire=organisation_commune(cambrai),
    )
    cej = Cej.objects.create(
        convention=convention,
        commune=cambrai,
        intitule="Cej du parcours",
        date_debut="2018-01-01",
        date_fin="2021-12-31",
        annee_reference=2021,
    )
    LigneCej.objects.create(cej=cej, structure=structure, montant_n1="1000.00", unites_reference=1)
    verification = Verification.objects.create(
        convention=convention,
        commune=cambrai,
        annee=2023,
        conclusion="conforme",
        documents="Compte de résultat 2023",
        fichier_nom="compte.pdf",
        fichier_type="application/pdf",
        fichier=ContentFile(b"%PDF-1.4", name="compte.pdf"),
        verifie_par=get_user_model().objects.get(username="demo"),
    )
    valeurs = {
        "structure": structure.pk,
        "cej": cej.pk,
        "verification": verification.pk,
        "bareme": Bareme.objects.order_by("pk").first().pk,
        "format": "xlsx",
    }
    # keyed by URL name, so that no other app's arguments of the same name interfere
    return {f"{nom}/{parametre}": valeur for nom in ACCES for parametre, valeur in valeurs.items()}

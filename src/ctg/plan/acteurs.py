"""The partners and operators of a fiche action: organisations, not lines of text.

A fiche names its partners and operators by choosing an organisation of its convention (its Caf, its EPCI, a member
commune, or one already named on a fiche of the same convention) or by typing a name: the same name, whatever its
case, accents, hyphens or apostrophes, finds the same organisation; a new name creates an organisation of type
"autre partenaire". Another convention's organisations are never offered nor matched.

The data migration ``plan/0007_acteurs_depuis_le_texte`` applies the same reading to the former text lines
(« Structure — service ou personne »)."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q

from ctg.comptes.models import Organisation
from ctg.formats import cle_alphabetique, trier_par_nom

from .models import ActeurFiche, FicheAction

SEPARATEUR = " — "


def organisations_de_la_convention(convention) -> list[Organisation]:
    """The organisations a fiche of ``convention`` may choose, in French alphabetical order."""
    qs = Organisation.objects.filter(
        Q(pk=convention.caf_id)
        | Q(type=Organisation.Type.EPCI, epci_id=convention.epci_id)
        | Q(type=Organisation.Type.COMMUNE, commune__adhesions__convention=convention)
        | Q(acteurs_de_fiches__fiche__convention=convention)
    ).distinct()
    return trier_par_nom(qs)


def meme_nom(a: str, b: str) -> bool:
    return cle_alphabetique(a)[0] == cle_alphabetique(b)[0]


def organisation_nommee(convention, nom: str) -> Organisation:
    """The organisation of ``convention`` called ``nom`` (case, accents, spaces ignored), else a new one."""
    nom = " ".join(nom.split())
    for organisation in organisations_de_la_convention(convention):
        if meme_nom(organisation.nom, nom):
            return organisation
    return Organisation.objects.create(type=Organisation.Type.AUTRE, nom=nom[:200])


def lire_ligne(ligne: str) -> tuple[str, str]:
    """« Mairie de Masnières — adjointe à la famille » → (« Mairie de Masnières », « adjointe à la famille »)."""
    nom, _, precision = " ".join(ligne.split()).partition(SEPARATEUR.strip())
    return nom.strip(), precision.strip()


@transaction.atomic
def ajouter_acteurs(fiche: FicheAction, role: str, texte: str) -> list[ActeurFiche]:
    """Add to ``fiche`` one partner or operator (``role``) per line of ``texte`` (the demo's content, a command)."""
    depart = fiche.acteurs.filter(role=role).count()
    ajoutes = []
    for ligne in (ligne for ligne in texte.splitlines() if ligne.strip()):
        nom, precision = lire_ligne(ligne)
        if not nom:
            continue
        organisation = organisation_nommee(fiche.convention, nom)
        ajoutes.append(
            ActeurFiche.objects.create(
                fiche=fiche,
                organisation=organisation,
                role=role,
                precision=precision[:200],
                ordre=depart + len(ajoutes),
            )
        )
    return ajoutes

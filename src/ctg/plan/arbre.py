"""The objectives tree: the four Caf missions of article 2 and their "enjeux" of article 4, as the seed states them
(convention Caf du Nord × CA de Cambrai, 2021), then the strategic and operational objectives of each convention.

Article 2: "Les interventions de la Caf […] concernent les missions suivantes". Article 4: "Champs parmi lesquels
pourront figurer les enjeux suivants". Article 3: the needs also answer "des activités complémentaires […]" and
"des champs d'intervention d'éventuels autres signataires": a convention may add its own fields beside the missions.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction

from .models import Champ, Niveau, Objectif

# (mission of article 2, [(enjeu of article 4, CTG domains it covers)])
MISSIONS = [
    (
        "Aider les familles à concilier vie familiale, vie professionnelle et vie sociale",
        [
            (
                "Poursuivre la structuration d'une offre diversifiée en direction de la petite enfance",
                ["petite_enfance"],
            ),
            ("Poursuivre la structuration d'une offre diversifiée en direction des enfants", ["enfance"]),
        ],
    ),
    (
        "Faciliter la relation parentale, favoriser le développement de l'enfant et soutenir les jeunes",
        [
            ("Compenser les charges familiales et accompagner les parents dans leur rôle", ["parentalite"]),
            (
                "Contribuer à l'égalité des chances en matière de réussite scolaire et renforcer le lien entre les "
                "familles et l'école",
                [],
            ),
            ("Faciliter l'autonomie des jeunes, élément de passage à l'âge adulte", ["jeunesse"]),
        ],
    ),
    (
        "Accompagner les familles pour améliorer leur cadre de vie et leurs conditions de logement",
        [
            ("Favoriser, pour les familles, des conditions de logement et un cadre de vie de qualité", ["logement"]),
            (
                "Faciliter l'intégration des usagers dans la vie collective et citoyenne",
                ["vie_sociale", "inclusion_numerique"],
            ),
        ],
    ),
    (
        "Créer les conditions favorables à l'autonomie, à l'insertion sociale et professionnelle",
        [
            ("Soutenir les personnes et les familles confrontées au handicap", ["handicap"]),
            (
                "Aider les familles confrontées à des évènements ou des difficultés fragilisant la vie familiale",
                ["accompagnement_social"],
            ),
            (
                "Accompagner le parcours d'insertion et le retour (et maintien) dans l'emploi des personnes et des "
                "familles en situation de pauvreté",
                ["acces_droits"],
            ),
        ],
    ),
]


@transaction.atomic
def semer_arbre(convention) -> list[Objectif]:
    """Create the missions and enjeux of the seed for ``convention`` if it has none yet; return the missions."""
    existantes = list(convention.objectifs.filter(niveau=Niveau.MISSION, source="article 2"))
    if existantes:
        return existantes
    missions = []
    for i, (mission, enjeux) in enumerate(MISSIONS, 1):
        domaines = sorted({d for _, ds in enjeux for d in ds})
        m = Objectif.objects.create(
            convention=convention,
            niveau=Niveau.MISSION,
            intitule=mission,
            ordre=i,
            champ=Champ.CAF,
            domaines=domaines,
            source="article 2",
        )
        for j, (enjeu, ds) in enumerate(enjeux, 1):
            Objectif.objects.create(
                convention=convention,
                parent=m,
                niveau=Niveau.ENJEU,
                intitule=enjeu,
                ordre=j,
                champ=Champ.PARTAGE,
                domaines=ds,
                source="article 4",
            )
        missions.append(m)
    return missions


@dataclass
class Noeud:
    objectif: Objectif
    numero: str
    enfants: list[Noeud] = field(default_factory=list)
    fiches: list = field(default_factory=list)

    @property
    def profondeur(self) -> int:
        return self.numero.count(".")


def arbre(convention, fiches=None) -> list[Noeud]:
    """The tree of ``convention`` (seeded with its plan: ``ctg.plan.cycle.plan_de``), numbered 1, 1.1, 1.1.1…;
    ``fiches`` (an iterable of fiches with their ``objectifs`` prefetched) are hung under the objectives they
    serve. Reads only."""
    objectifs = list(convention.objectifs.all())
    par_parent: dict[int | None, list[Objectif]] = {}
    for o in objectifs:
        par_parent.setdefault(o.parent_id, []).append(o)
    par_objectif: dict[int, list] = {}
    for fiche in fiches or []:
        for o in fiche.objectifs.all():
            par_objectif.setdefault(o.pk, []).append(fiche)

    def construire(parent_id, prefixe) -> list[Noeud]:
        noeuds = []
        for i, o in enumerate(sorted(par_parent.get(parent_id, []), key=lambda x: (x.ordre, x.pk)), 1):
            numero = f"{prefixe}{i}"
            noeud = Noeud(o, numero, construire(o.pk, numero + "."), par_objectif.get(o.pk, []))
            noeuds.append(noeud)
        return noeuds

    return construire(None, "")


def aplatir(noeuds: list[Noeud]) -> list[Noeud]:
    resultat = []
    for n in noeuds:
        resultat.append(n)
        resultat += aplatir(n.enfants)
    return resultat


def numeros(convention) -> dict[int, str]:
    """The number of each objective (pk → "2.1.3")."""
    return {n.objectif.pk: n.numero for n in aplatir(arbre(convention))}


def mission_de(objectif: Objectif, par_pk: dict[int, Objectif]) -> Objectif:
    """The top of the branch holding ``objectif``."""
    while objectif.parent_id is not None:
        objectif = par_pk[objectif.parent_id]
    return objectif


def enjeux_du_domaine(convention, domaine: str) -> list[Objectif]:
    """The enjeux of the seed covering a CTG domain (to pre-fill a fiche made from a need of the diagnostic)."""
    return [o for o in convention.objectifs.filter(niveau=Niveau.ENJEU) if domaine in (o.domaines or [])]

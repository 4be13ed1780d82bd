"""The objectives tree comes from the seed: the four Caf missions of article 2 and their enjeux of article 4."""

from pathlib import Path

import pytest

from ctg.plan.arbre import MISSIONS, aplatir, arbre, enjeux_du_domaine, numeros, semer_arbre
from ctg.plan.models import Champ, Niveau, Objectif

pytestmark = pytest.mark.django_db

SEED = Path(__file__).parent.parent / "documents" / "donnees" / "convention-ctg-caf-nord-ca-cambrai-2021.txt"


def test_quatre_missions_et_dix_enjeux_du_texte(convention):
    missions = semer_arbre(convention)
    assert [m.intitule for m in missions] == [
        "Aider les familles à concilier vie familiale, vie professionnelle et vie sociale",
        "Faciliter la relation parentale, favoriser le développement de l'enfant et soutenir les jeunes",
        "Accompagner les familles pour améliorer leur cadre de vie et leurs conditions de logement",
        "Créer les conditions favorables à l'autonomie, à l'insertion sociale et professionnelle",
    ]
    assert all(m.source == "article 2" and m.champ == Champ.CAF for m in missions)
    enjeux = convention.objectifs.filter(niveau=Niveau.ENJEU)
    assert enjeux.count() == 10 and set(enjeux.values_list("source", flat=True)) == {"article 4"}
    premier = missions[0].enfants.order_by("ordre").first()
    assert premier.intitule == "Poursuivre la structuration d'une offre diversifiée en direction de la petite enfance"


def test_les_intitules_sont_ceux_du_texte_de_la_convention():
    texte = SEED.read_text(encoding="utf-8").lower()
    texte = " ".join(texte.replace("’", "'").split())
    for mission, enjeux in MISSIONS:
        assert mission.lower() in texte
        for enjeu, _ in enjeux:
            assert enjeu.lower() in texte, enjeu


def test_semer_deux_fois_ne_duplique_rien(convention):
    semer_arbre(convention)
    semer_arbre(convention)
    assert convention.objectifs.count() == 14


def test_objectifs_de_la_convention_sous_les_enjeux_et_champ_d_un_autre_signataire(convention):
    semer_arbre(convention)
    enjeu = enjeux_du_domaine(convention, "petite_enfance")[0]
    strategique = Objectif.objects.create(
        convention=convention, parent=enjeu, niveau=Niveau.STRATEGIQUE, intitule="Atteindre 56 places pour 100"
    )
    Objectif.objects.create(
        convention=convention, parent=strategique, niveau=Niveau.OPERATIONNEL, intitule="Créer 40 places"
    )
    Objectif.objects.create(
        convention=convention,
        niveau=Niveau.MISSION,
        intitule="Protection maternelle et infantile",
        champ=Champ.AUTRE,
        signataire="Département du Nord",
        ordre=5,
    )
    nums = numeros(convention)
    assert nums[strategique.pk] == "1.1.1"
    noeuds = aplatir(arbre(convention))
    assert [n.numero for n in noeuds if n.objectif.intitule == "Créer 40 places"] == ["1.1.1.1"]
    assert noeuds[-1].numero == "5" and noeuds[-1].objectif.signataire == "Département du Nord"


def test_enjeux_d_un_domaine(convention):
    assert [o.intitule for o in enjeux_du_domaine(convention, "jeunesse")] == [
        "Faciliter l'autonomie des jeunes, élément de passage à l'âge adulte"
    ]

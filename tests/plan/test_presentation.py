"""What the plan's pages show, computed without a request (``ctg.plan.presentation``): the calendar's geometry and
the dashboard's figures.

The calendar's positions are written out from the dates (days since the calendar's first day, out of its length in
days), not computed by the product's helper."""

from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.db.models import Sum

from ctg.plan import presentation
from ctg.plan.models import (
    DefinitionIndicateur,
    FicheAction,
    Financement,
    IndicateurAction,
    Jalon,
    Objectif,
    StatutFiche,
)
from ctg.plan.regles import fiches_suivies

# A convention of five years: the calendar runs from 1/1/2022 to 31/12/2026, 1,825 days (2024 has 366).
CONVENTION = SimpleNamespace(date_debut=date(2022, 1, 1), date_fin=date(2026, 12, 31), objectifs_identifies_le=None)


class _Liste(list):
    """A prefetched relation, as the followed fiches carry them (``.all()`` reads no database)."""

    def all(self):
        return self


def _suivi(fiche: FicheAction, jalons=(), indicateurs=(), **etat):
    """A followed fiche as the pages see it: its fiche, milestones and measures (and, for the dashboard, its state)."""
    return SimpleNamespace(
        fiche=fiche,
        jalons=list(jalons),
        mesures=[SimpleNamespace(indicateur=i, definition=i.definition) for i in indicateurs],
        **etat,
    )


def test_calendrier_annees_barres_jalons_cibles_et_lignes_du_jour():
    annee_2023 = _suivi(
        FicheAction(numero=1, titre="Toute l'année 2023", date_debut=date(2023, 1, 1), date_fin=date(2023, 12, 31)),
        jalons=[
            Jalon(libelle="Lancement", date_prevue=date(2023, 7, 2)),
            Jalon(libelle="Comité", date_prevue=date(2023, 3, 1), date_realisee=date(2023, 3, 3)),
        ],
        indicateurs=[
            IndicateurAction(
                definition=DefinitionIndicateur(libelle="Places", unite="places"),
                cible=40,
                date_cible=date(2026, 12, 31),
            )
        ],
    )
    un_jour = _suivi(FicheAction(numero=2, titre="Un seul jour", date_debut=date(2024, 7, 1)))
    sans_dates = _suivi(FicheAction(numero=3, titre="Sans dates"))

    vue = presentation.calendrier(CONVENTION, [annee_2023, un_jour, sans_dates], aujourd_hui=date(2024, 1, 15))

    assert (vue["debut"], vue["fin"]) == (date(2022, 1, 1), date(2026, 12, 31))
    # Each year from its 1 January to the next one: day 0, 365, 730, 1,096 (2024 has 366 days), 1,461, 1,825.
    assert vue["annees"] == [
        {"annee": 2022, "gauche": 0.0, "largeur": 20.0},
        {"annee": 2023, "gauche": 20.0, "largeur": 20.0},
        {"annee": 2024, "gauche": 40.0, "largeur": 20.05},  # 1,096 days: 60.05
        {"annee": 2025, "gauche": 60.05, "largeur": 20.0},  # 1,461 days: 80.05
        {"annee": 2026, "gauche": 80.05, "largeur": 19.95},
    ]
    ligne_2023, ligne_un_jour, ligne_sans_dates = vue["lignes"]
    # From day 365 to the end of 31/12/2023, day 730.
    assert ligne_2023["barre"] == {"gauche": 20.0, "largeur": 20.0}
    lancement, comite = ligne_2023["reperes"]
    assert lancement["gauche"] == 29.97  # 2/7/2023: day 365 + 182 = 547, 54,700 / 1,825 = 29.972…
    assert lancement["classe"] == "jalon-manque"  # not reached, planned before the day of follow-up
    assert lancement["titre"] == "Jalon : Lancement — 02/07/2023"
    assert comite["gauche"] == 23.23  # 1/3/2023: day 365 + 31 + 28 = 424, 42,400 / 1,825 = 23.232…
    assert comite["classe"] == "jalon-fait"
    assert comite["titre"] == "Jalon : Comité — 01/03/2023 (réalisé le 03/03/2023)"
    assert ligne_2023["cibles"] == [{"gauche": 100.0, "titre": "Cible : Places = 40 places au 31/12/2026"}]
    # 1/7/2024: day 730 + 182 = 912 (49.97); one day long (50.03 − 49.97), drawn at the narrowest width.
    assert ligne_un_jour["barre"] == {"gauche": 49.97, "largeur": 0.6}
    assert ligne_sans_dates["barre"] is None and ligne_sans_dates["reperes"] == []
    # 15/1/2024: day 744, 74,400 / 1,825 = 40.767…; article 4's deadline, 31/12/2023: day 729 (39.945…).
    assert vue["aujourd_hui"] == 40.77
    assert vue["fin2"] == 39.95


def test_calendrier_elargi_aux_annees_des_fiches_jalons_et_cibles():
    tot = _suivi(FicheAction(numero=1, titre="Commencée avant", date_debut=date(2021, 6, 15)))
    tard = _suivi(
        FicheAction(numero=2, titre="Sans dates, cible tardive"),
        indicateurs=[
            IndicateurAction(
                definition=DefinitionIndicateur(libelle="Taux", unite="%"), cible=0.5, date_cible=date(2027, 3, 31)
            )
        ],
    )
    vue = presentation.calendrier(CONVENTION, [tot, tard], aujourd_hui=date(2028, 2, 1))

    # Whole years: 1/1/2021 to 31/12/2027, 2,555 days (7 × 365 + 1 for 2024 − 1).
    assert (vue["debut"], vue["fin"]) == (date(2021, 1, 1), date(2027, 12, 31))
    assert [a["annee"] for a in vue["annees"]] == list(range(2021, 2028))
    # No end: from 15/6/2021 (day 165, 6.46) to the end of that day (day 166, 6.5): the narrowest width.
    assert vue["lignes"][0]["barre"] == {"gauche": 6.46, "largeur": 0.6}
    # 31/3/2027: day 2,555 − 275 = 2,280, 228,000 / 2,555 = 89.236…
    assert vue["lignes"][1]["cibles"][0]["gauche"] == 89.24
    assert vue["lignes"][1]["barre"] is None
    assert vue["aujourd_hui"] is None  # after the calendar: no line


def _mission(pk, ordre, parent=None):
    return Objectif(pk=pk, ordre=ordre, intitule=f"Objectif {pk}", parent_id=parent)


def test_tableau_de_bord_par_mission_par_annee_et_par_statut():
    # Two missions (listed in their order, not their key), an enjeu under the second.
    m1, m2 = _mission(20, ordre=1), _mission(10, ordre=2)
    enjeu = _mission(30, ordre=1, parent=10)
    caf = [
        Financement(financeur="Caf", annee=2023, montant=Decimal("1000")),
        Financement(financeur="Caf", annee=2024, montant=Decimal("3000")),
    ]
    commune = [Financement(financeur="Commune", annee=2024, montant=Decimal("1000"), nature="fonds_propres")]

    def suivi(numero, objectifs, statut, progression, en_retard=False, financements=()):
        fiche = SimpleNamespace(numero=numero, objectifs=_Liste(objectifs), financements=_Liste(financements))
        return SimpleNamespace(fiche=fiche, statut=statut, progression=progression, en_retard=en_retard)

    terminee = suivi(1, [m1], StatutFiche.TERMINEE, 100, financements=caf)
    en_retard = suivi(2, [m1, enjeu], StatutFiche.EN_RETARD, 20, en_retard=True, financements=commune)
    en_cours = suivi(3, [enjeu], StatutFiche.EN_COURS, None)
    hors_missions = suivi(4, [], StatutFiche.A_VENIR, 45)
    suivis = [terminee, en_retard, en_cours, hors_missions]

    bord = presentation.bord(suivis, [enjeu, m2, m1])

    assert [(m["numero"], m["mission"].pk) for m in bord["par_mission"]] == [(1, 20), (2, 10)]
    premiere, seconde = bord["par_mission"]
    # Mission 1: fiches 1 and 2, progress (100 + 20) / 2; mission 2 (by its enjeu): fiches 2 and 3, one measured.
    assert premiere | {"mission": None} == {
        "numero": 1,
        "mission": None,
        "fiches": 2,
        "progression": 60,
        "en_retard": 1,
        "terminees": 1,
    }
    assert seconde | {"mission": None} == {
        "numero": 2,
        "mission": None,
        "fiches": 2,
        "progression": 20,
        "en_retard": 1,
        "terminees": 0,
    }
    assert bord["annees"] == [2023, 2024]
    assert bord["budget"] == [
        ("Caf", [Decimal("1000"), Decimal("3000")], Decimal("4000")),
        ("Commune (fonds propres)", [Decimal("0"), Decimal("1000")], Decimal("1000")),
    ]
    assert bord["totaux_annees"] == [Decimal("1000"), Decimal("4000")]
    assert bord["total_budget"] == Decimal("5000")
    # The year of the largest budget is 80 high; 1,000 of 4,000 is a quarter of it.
    assert [(b["annee"], b["hauteur"]) for b in bord["barres"]] == [(2023, 20), (2024, 80)]
    statuts = {code: n for code, _libelle, n in bord["statuts"]}
    assert statuts == {
        StatutFiche.A_VENIR: 1,
        StatutFiche.EN_COURS: 1,
        StatutFiche.EN_RETARD: 1,
        StatutFiche.EN_PAUSE: 0,
        StatutFiche.TERMINEE: 1,
        StatutFiche.ABANDONNEE: 0,
    }
    assert bord["en_retard"] == [en_retard]
    assert bord["nombre"] == 4
    assert bord["progression"] == 55  # (100 + 20 + 45) / 3


def test_tableau_de_bord_sans_fiche():
    bord = presentation.bord([], [])
    assert bord["par_mission"] == [] and bord["barres"] == [] and bord["en_retard"] == []
    assert bord["total_budget"] == 0 and bord["progression"] is None and bord["nombre"] == 0


@pytest.mark.django_db
def test_tableau_de_bord_du_plan_de_demonstration_rejoint_la_base(demo):
    """On the demo plan: the budget is every amount recorded, the statuses count every fiche once."""
    suivis = fiches_suivies(demo)
    bord = presentation.bord(suivis, demo.objectifs.all())
    enregistre = Financement.objects.filter(fiche__convention=demo).aggregate(total=Sum("montant"))["total"]
    assert bord["total_budget"] == enregistre > 0
    assert sum(n for _code, _libelle, n in bord["statuts"]) == FicheAction.objects.filter(convention=demo).count()
    assert bord["nombre"] == len(suivis)
    assert {s.fiche.numero for s in bord["en_retard"]} == {s.fiche.numero for s in suivis if s.en_retard}

"""Parity at every date as members change, quorum and parity of those present, the semester rule."""

from datetime import date

import pytest

from ctg.conventions.echeances import Etat, echeances
from ctg.gouvernance.decisions import enregistrer_presences
from ctg.gouvernance.models import Cote, Reunion, RoleComite, StatutReunion
from ctg.gouvernance.regles import (
    bilan_presences,
    historique_parite,
    parite,
    ruptures_parite,
    semestres_comite,
    semestres_sans_reunion,
)
from ctg.gouvernance.tableau import alertes, dates_reunions_tenues

from .conftest import membre

pytestmark = pytest.mark.django_db


def test_parite_sur_les_seuls_membres_votants(comite):
    etat = parite(comite, date(2023, 1, 1))
    assert etat.respectee and etat.resume == "2 Caf / 2 collectivité" and etat.manque == ""
    # the resource person (partner) and the secretariat (collectivité side) are not counted
    assert {m.prenom for m in etat.collectivite} == {"Chloé", "Denis"}
    assert "Parité respectée au 01/01/2023" in etat.message


def test_parite_a_chaque_date_quand_les_membres_changent(comite):
    # Denis leaves on 30/06/2024, Gaël replaces him only from 01/09/2024; a Caf member arrives on 01/01/2025
    comite.m["col"].fin = date(2024, 6, 30)
    comite.m["col"].save()
    membre(comite, "Gaël", Cote.COLLECTIVITE, debut=date(2024, 9, 1))
    membre(comite, "Hélène", Cote.CAF, debut=date(2025, 1, 1))

    assert parite(comite, date(2024, 6, 30)).respectee  # the last day of a mandate still counts
    juillet = parite(comite, date(2024, 7, 1))
    assert not juillet.respectee
    assert juillet.manque.startswith("il manque 1 représentant·e votant·e de la collectivité")
    assert "Parité rompue au 01/07/2024 : 2 Caf / 1 collectivité" in juillet.message
    assert parite(comite, date(2024, 9, 1)).respectee
    janvier = parite(comite, date(2025, 1, 1))
    assert not janvier.respectee and janvier.resume == "3 Caf / 2 collectivité"

    periodes = historique_parite(comite, date(2022, 1, 1), date(2026, 12, 31))
    assert [(p.debut, p.fin, p.parite.respectee) for p in periodes] == [
        (date(2022, 1, 1), date(2024, 6, 30), True),
        (date(2024, 7, 1), date(2024, 8, 31), False),
        (date(2024, 9, 1), date(2024, 12, 31), True),
        (date(2025, 1, 1), date(2026, 12, 31), False),
    ]
    assert len(ruptures_parite(comite, date(2022, 1, 1), date(2026, 12, 31))) == 2


def test_manque_de_caf_et_comite_vide(convention, comite):
    comite.m["caf"].fin = date(2025, 12, 31)
    comite.m["caf"].save()
    etat = parite(comite, date(2026, 1, 1))
    assert etat.manque == "il manque 1 représentant·e votant·e de la Caf (ou 1 siège de la collectivité en trop)"
    vide = parite(comite, date(2021, 1, 1))
    assert not vide.respectee and vide.manque.startswith("aucun membre votant")


def test_autres_cosignataires_hors_de_la_balance(comite):
    membre(comite, "Ines", Cote.COSIGNATAIRE)
    etat = parite(comite, date(2023, 1, 1))
    assert etat.respectee and etat.resume == "2 Caf / 2 collectivité (+ 1 autre cosignataire)"


def test_quorum_et_parite_des_presents(comite):
    reunion = Reunion.objects.create(comite=comite, date=date(2023, 3, 14), lieu="Cambrai")
    m = comite.m
    enregistrer_presences(
        reunion,
        {
            m["anim"]: ("present", ""),
            m["caf"]: ("represente", "Anne Test"),
            m["pilote"]: ("present", ""),
            m["col"]: ("excuse", ""),
            m["ressource"]: ("present", ""),
        },
        aujourd_hui=date(2026, 11, 28),
    )
    bilan = bilan_presences(reunion)
    assert len(bilan.votants) == 4 and len(bilan.votants_presents) == 3
    assert bilan.quorum_requis == 3 and bilan.quorum_atteint
    assert "3 membres votants présents ou représentés sur 4" in bilan.message_quorum
    assert not bilan.parite_presents.respectee and bilan.parite_presents.resume == "2 Caf / 1 collectivité"
    assert [x.prenom for x in bilan.non_renseignes] == ["Flore"]
    reunion.refresh_from_db()
    assert reunion.statut == StatutReunion.TENUE


def test_presences_refusees_avant_la_reunion_ou_hors_mandat(comite):
    from ctg.gouvernance.decisions import DecisionImpossible

    futur = Reunion.objects.create(comite=comite, date=date(2026, 12, 8), lieu="Cambrai")
    with pytest.raises(DecisionImpossible, match="n'a pas encore eu lieu"):
        enregistrer_presences(futur, {comite.m["anim"]: ("present", "")}, aujourd_hui=date(2026, 11, 28))
    ancien = membre(comite, "Yves", Cote.CAF, fin=date(2022, 12, 31))
    reunion = Reunion.objects.create(comite=comite, date=date(2023, 3, 14), lieu="Cambrai")
    with pytest.raises(DecisionImpossible, match="n'était pas membre du comité le 14/03/2023"):
        enregistrer_presences(reunion, {ancien: ("present", "")}, aujourd_hui=date(2026, 11, 28))
    with pytest.raises(DecisionImpossible, match="Indiquez qui représentait"):
        enregistrer_presences(reunion, {comite.m["anim"]: ("represente", "")}, aujourd_hui=date(2026, 11, 28))


def _tenue(comite, jour):
    return Reunion.objects.create(comite=comite, date=jour, lieu="Cambrai", statut=StatutReunion.TENUE)


def test_regle_semestrielle(convention, comite):
    for jour in (date(2022, 3, 1), date(2022, 10, 1), date(2023, 3, 1), date(2024, 3, 1), date(2024, 10, 1)):
        _tenue(comite, jour)
    Reunion.objects.create(comite=comite, date=date(2023, 11, 1), lieu="x", statut=StatutReunion.ANNULEE)
    sous = comite.sous_comites.create(convention=convention, nom="Commission", thematique="petite enfance")
    _tenue(sous, date(2025, 3, 1))  # a sub-committee does not replace the comité de pilotage
    aujourd_hui = date(2025, 11, 28)

    manques = semestres_sans_reunion(convention, aujourd_hui)
    assert [s.libelle for s in manques] == ["2d semestre 2023", "1er semestre 2025"]
    etats = {s.libelle: s.etat for s in semestres_comite(convention, aujourd_hui)}
    assert etats["1er semestre 2022"] == "tenu" and etats["2d semestre 2025"] == "du"
    assert etats["1er semestre 2026"] == "a_venir"

    # the convention's deadlines read the held meetings through the hook
    assert dates_reunions_tenues(convention) == [
        date(2022, 3, 1),
        date(2022, 10, 1),
        date(2023, 3, 1),
        date(2024, 3, 1),
        date(2024, 10, 1),
    ]
    par_code = {e.code: e for e in echeances(convention, aujourd_hui)}
    assert par_code["copil_2023_2"].etat == Etat.EN_RETARD
    assert par_code["copil_2024_1"].etat == Etat.FAITE
    assert par_code["copil_2025_2"].etat == Etat.PROCHE  # the current half-year: due

    texte = " ".join(alertes(convention, aujourd_hui))
    assert "aucune réunion tenue au cours des semestres 2d semestre 2023, 1er semestre 2025" in texte


def test_reunion_planifiee_dans_le_semestre_courant_est_due(convention, comite):
    reunion = Reunion.objects.create(comite=comite, date=date(2026, 12, 8), lieu="Cambrai")
    liste = {e.code: e for e in echeances(convention, date(2026, 7, 2))}
    planifiee = liste[f"copil_reunion_{reunion.pk}"]
    assert planifiee.etat == Etat.PROCHE  # more than 60 days ahead, but in the current half-year
    assert "Comité de pilotage planifié le 08/12/2026" in planifiee.libelle
    assert "convocations à envoyer" in planifiee.detail
    assert liste["copil_2026_2"].etat == Etat.PROCHE
    # the day has passed and nobody recorded it: late, and said on the dashboard
    assert {e.code: e for e in echeances(convention, date(2026, 12, 10))}[f"copil_reunion_{reunion.pk}"].etat == (
        Etat.EN_RETARD
    )
    assert any("08/12/2026 est passée" in a for a in alertes(convention, date(2026, 12, 10)))


def test_alerte_parite_et_comite_vide(convention):
    assert any("aucun membre enregistré" in a for a in alertes(convention, date(2026, 11, 28)))


def test_roles_reserves(comite):
    from ctg.gouvernance.forms import MembreForm

    donnees = {
        "comite": comite.pk,
        "prenom": "Zoé",
        "nom": "Test",
        "organisation": "CA de Cambrai",
        "cote": Cote.COLLECTIVITE,
        "role": RoleComite.ANIMATEUR,
        "debut": "2023-01-01",
        "fin": "2022-01-01",
    }
    form = MembreForm(donnees, convention=comite.convention)
    assert not form.is_valid()
    assert "animé par la Caf" in form.errors["role"][0]
    assert form.errors["fin"] == ["La fin du mandat précède son début."]

"""Each rule of ``ctg.financement.calcul`` with a worked example (the figures are computed by hand in the comments)."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from ctg.financement import baremes
from ctg.financement.calcul import Donnees, StatutBonus, StatutEngagement, bonus_structure, engagements_annee
from ctg.financement.models import Arrondi, Bareme, Capacite, Conclusion, FinancementReel, Verification, arrondir
from ctg.financement.tableau import alertes

from .conftest import CAMBRAI, IWUY, PROVILLE, adherer, plat, richesse

pytestmark = pytest.mark.django_db


def bonus(convention, structure, annee, **options):
    return bonus_structure(Donnees(convention), structure, annee, **options)


def composante(resultat, code):
    return next((c for c in resultat.composantes if c.code == code), None)


def bareme(type_structure="eaje", nature="nouvelles_unites", tranche="", jour=date(2025, 1, 1)):
    return next(
        b
        for b in Bareme.objects.filter(type_structure=type_structure, nature=nature, tranche__startswith=tranche)
        if b.valable_le(jour)
    )


# --- rule 1: existing places carry the N-1 reference -----------------------------------------------------------------


def test_report_n1_des_places_existantes(convention, creer_structure, creer_cej):
    # Cej of Cambrai ended in 2021: 60 000 € booked in N-1 for 20 places → 3 000 € per place, 20 places = 60 000 €
    adherer(convention)
    creche = creer_structure("Crèche A", places=20)
    creer_cej(CAMBRAI, [(creche, "60000", "20", "0")])
    resultat = bonus(convention, creche, 2023)
    assert resultat.statut == StatutBonus.SOUS_RESERVE  # the commune's 2023 funding is not entered yet
    assert resultat.montant == Decimal("60000.00") and isinstance(resultat.montant, Decimal)
    explication = plat(resultat.explication)
    assert "60 000,00 € pour 20 places, soit 3 000,00 € par place" in explication
    assert "charges à payer" in explication and "Cej 59122" in explication


def test_report_n1_lisse_sur_la_commune_et_arrondi_au_centime(convention, creer_structure, creer_cej):
    # two crèches of the same commune: (96 000 + 48 000) ÷ (32 + 20) = 2 769,2307… € per place
    # 32 × 2 769,2307… = 88 615,3846… → 88 615,38 ; 20 × 2 769,2307… = 55 384,6153… → 55 384,62 ; sum 144 000,00
    adherer(convention)
    a = creer_structure("Crèche A", places=32)
    b = creer_structure("Crèche B", places=20)
    creer_cej(CAMBRAI, [(a, "96000", "32", "0"), (b, "48000", "20", "0")])
    donnees = Donnees(convention)
    montant_a = bonus_structure(donnees, a, 2024).montant
    montant_b = bonus_structure(donnees, b, 2024).montant
    assert (montant_a, montant_b) == (Decimal("88615.38"), Decimal("55384.62"))
    assert montant_a + montant_b == Decimal("144000.00")
    assert "lissé sur le territoire de la commune" in plat(bonus_structure(donnees, a, 2024).explication)


def test_moins_de_places_que_la_reference(convention, creer_structure, creer_cej):
    # 20 reference places at 3 000 €; the crèche went down to 15 places in 2024 → 15 × 3 000 = 45 000 €
    adherer(convention)
    creche = creer_structure("Crèche A", places=20)
    Capacite.objects.create(structure=creche, depuis=date(2024, 1, 1), places=15)
    creer_cej(CAMBRAI, [(creche, "60000", "20", "0")])
    assert bonus(convention, creche, 2023).montant == Decimal("60000.00")
    resultat = bonus(convention, creche, 2024)
    assert resultat.montant == Decimal("45000.00")
    assert "15 places existantes (sur 20 places de référence)" in plat(resultat.explication)


def test_report_forfaitaire_pour_un_alsh_et_un_rpe(convention, creer_structure, creer_cej):
    # UNCERTAIN conversion: by default the N-1 amount of the structure is carried over as is
    adherer(convention)
    alsh = creer_structure("ALSH", type="alsh", heures=Decimal("9000"))
    rpe = creer_structure("Relais", type="rpe", etp=Decimal("2"))
    creer_cej(CAMBRAI, [(alsh, "12000", "0", "0"), (rpe, "18000.50", "0", "0")])
    assert bonus(convention, alsh, 2024).montant == Decimal("12000.00")
    assert bonus(convention, rpe, 2024).montant == Decimal("18000.50")
    assert "reporté tel quel" in plat(bonus(convention, alsh, 2024).explication)


def test_revalorisation_composee_a_partir_de_2025(convention, creer_structure, creer_cej):
    # 2025 revaluation revised to 2 %: 60 000 × 1,02 = 61 200 in 2025; 2026 (0 %) keeps 61 200; 2024 unchanged
    adherer(convention)
    creche = creer_structure("Crèche A", places=20)
    creer_cej(CAMBRAI, [(creche, "60000", "20", "0")])
    revalorisation = bareme(nature="revalorisation", jour=date(2025, 1, 1))
    revalorisation.montant = Decimal("2")
    revalorisation.save()
    assert bonus(convention, creche, 2024).montant == Decimal("60000.00")
    assert composante(bonus(convention, creche, 2025), "existantes").montant == Decimal("61200.00")
    assert composante(bonus(convention, creche, 2026), "existantes").montant == Decimal("61200.00")
    assert "revalorisations 2025 : 2 %" in plat(composante(bonus(convention, creche, 2025), "existantes").explication)


# --- rule 2: new places at the applicable rate -----------------------------------------------------------------------


def test_places_nouvelles_au_taux_de_la_tranche_de_la_commune(convention, creer_structure, creer_cej):
    # reference 20 places, 25 places in 2024 → 5 new places; Cambrai: PF 1 000 €, revenu 15 000 € per inhabitant
    # → tranche 2 (PF ≤ 1 200 and revenu ≤ 16 000): 5 × 3 100 = 15 500 €
    adherer(convention)
    richesse(CAMBRAI, "1000", "15000")
    creche = creer_structure("Crèche A", places=20)
    Capacite.objects.create(structure=creche, depuis=date(2024, 3, 1), places=25)
    creer_cej(CAMBRAI, [(creche, "60000", "20", "0")])
    resultat = bonus(convention, creche, 2024)
    nouvelles = composante(resultat, "nouvelles")
    assert nouvelles.montant == Decimal("15500.00")
    assert nouvelles.bareme.tranche.startswith("Tranche 2")
    assert resultat.montant == Decimal("75500.00")
    assert "5 places au-delà des 20 places de référence du Cej × 3 100,00 €" in plat(nouvelles.explication)


@pytest.mark.parametrize(
    ("potentiel", "revenu", "attendu"),
    [("850", "12000", "3600"), ("850", "14000", "3100"), ("1300", "12000", "2600"), (None, None, "2600")],
)
def test_tranches_selon_potentiel_financier_et_revenu(convention, creer_structure, potentiel, revenu, attendu):
    # a crèche with no Cej: all its 10 places are new; 2023 rates (2 600–3 600 € since 2021)
    adherer(convention, ancienne_cej=False)
    if potentiel:
        richesse(CAMBRAI, potentiel, revenu)
    creche = creer_structure("Crèche neuve", places=10)
    assert bonus(convention, creche, 2023).montant == Decimal(attendu) * 10


@pytest.mark.parametrize("zone", ["en_qpv", "en_zrr"])
def test_taux_maximal_en_qpv_ou_zrr(convention, creer_structure, zone):
    # rich commune (tranche 3, 2 600 €) but the crèche is in a QPV / ZRR → top rate 3 600 €: 10 × 3 600 = 36 000 €
    adherer(convention, ancienne_cej=False)
    richesse(CAMBRAI, "2000", "30000")
    creche = creer_structure("Crèche neuve", places=10, **{zone: True})
    resultat = bonus(convention, creche, 2023)
    assert resultat.montant == Decimal("36000.00")
    assert "taux maximal" in composante(resultat, "nouvelles").explication


def test_avant_2021_la_fourchette_etait_2100_3100(convention, creer_structure):
    # the 2020 rows (2 100–3 100 €) stay in the history; QPV in 2020 → 3 100 € (used by a simulation outside
    # the convention's years)
    adherer(convention, ancienne_cej=False)
    creche = creer_structure("Crèche neuve", places=10, en_qpv=True)
    assert composante(bonus(convention, creche, 2020, simulation=True), "nouvelles").montant == Decimal("31000.00")


def test_places_employeurs_ctre_hors_bonus_territoire(convention, creer_structure):
    # 24 places of which 4 reserved by employers: 20 new co-funded places + CTRE 4 × 2 800 € from 2025 only
    creche = creer_structure("Crèche", places=24, employeurs=4)
    en_2025 = bonus(convention, creche, 2025)
    assert en_2025.ctre == Decimal("11200.00")
    assert bonus(convention, creche, 2024).ctre == Decimal("0")
    # the commune has not adhered: no bonus territoire, but the CTRE does not depend on it
    assert en_2025.montant == Decimal("0") and en_2025.statut == StatutBonus.NON_ELIGIBLE


# --- rule 3: bonus trajectoire ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("nouvelles", "palier"), [(3, None), (4, "100"), (8, "200"), (11, "200"), (12, "300")])
def test_bonus_trajectoire_par_palier(convention, creer_structure, nouvelles, palier):
    # 100 co-funded places on the territory in 2023; a new crèche of N places opens on 1 January 2025
    # → growth N % → palier +4 % / +8 % / +12 % → +100 / +200 / +300 € for each of the 100 places of crèche A
    adherer(convention, ancienne_cej=False)
    a = creer_structure("Crèche A", places=100)
    creer_structure("Crèche B", places=nouvelles, depuis=date(2025, 1, 1))
    trajectoire = composante(bonus(convention, a, 2025), "trajectoire")
    assert f"100 en 2023, {100 + nouvelles} en 2025" in trajectoire.explication
    if palier is None:
        assert trajectoire.montant == 0 and "sous le premier palier" in trajectoire.explication
    else:
        assert trajectoire.montant == Decimal(palier) * 100
        assert bonus(convention, a, 2025).montant == Decimal(palier) * 100 + 100 * Decimal("2600")


def test_pas_de_bonus_trajectoire_avant_2025(convention, creer_structure):
    adherer(convention, ancienne_cej=False)
    a = creer_structure("Crèche A", places=100)
    creer_structure("Crèche B", places=20, depuis=date(2024, 1, 1))
    assert composante(bonus(convention, a, 2024), "trajectoire") is None


def test_les_places_employeurs_ne_comptent_pas_dans_la_trajectoire(convention, creer_structure):
    adherer(convention, ancienne_cej=False)
    a = creer_structure("Crèche A", places=100)
    creer_structure("Crèche B", places=10, employeurs=10, depuis=date(2025, 1, 1))
    assert composante(bonus(convention, a, 2025), "trajectoire").montant == 0


# --- rule 5: conditions ----------------------------------------------------------------------------------------------


def test_commune_non_adherente_pas_de_bonus_et_le_motif_le_dit(convention, creer_structure, creer_cej):
    creche = creer_structure("Crèche d'Iwuy", commune=IWUY, places=20)
    creer_cej(IWUY, [(creche, "40000", "20", "60000")])
    convention.adhesions.filter(commune_id=IWUY).update(ancienne_commune_cej=True)
    resultat = bonus(convention, creche, 2024)
    assert resultat.statut == StatutBonus.NON_ELIGIBLE and resultat.montant == 0
    assert resultat.montant_calcule == Decimal("40000.00") and resultat.bloque == Decimal("40000.00")
    assert (
        "La commune Iwuy n'a pas encore adhéré à la CTG (annexe 4) (ancienne commune Cej : bonus bloqué)"
        in (resultat.motifs[0])
    )
    convention.adhesions.filter(commune_id=IWUY).update(statut="refusee")
    assert "a refusé d'adhérer" in bonus(convention, creche, 2024).motifs[0]


def test_adhesion_deliberee_apres_l_annee(convention, creer_structure):
    adherer(convention, le=date(2024, 6, 1), ancienne_cej=False)
    creche = creer_structure("Crèche", places=10)
    assert bonus(convention, creche, 2023).statut == StatutBonus.NON_ELIGIBLE
    assert "par délibération du 01/06/2024, après 2023" in bonus(convention, creche, 2023).motifs[0]
    assert bonus(convention, creche, 2024).statut == StatutBonus.ELIGIBLE


def test_autres_motifs_de_non_eligibilite(convention, creer_structure, creer_cej):
    adherer(convention, CAMBRAI)
    adherer(convention, PROVILLE, ancienne_cej=False)
    centre = creer_structure("Centre social", type="centre_social", etp=Decimal("5"))
    assert "aucun taux de ce type" in bonus(convention, centre, 2024).motifs[0]
    hors_psu = creer_structure("Micro-crèche PAJE", places=10, psu=False)
    assert "PSU" in bonus(convention, hors_psu, 2024).motifs[0]
    non_soutenue = creer_structure("Crèche privée", places=10, cofinancee=False)
    assert "non soutenue financièrement" in bonus(convention, non_soutenue, 2024).motifs[0]
    future = creer_structure("Crèche future", commune=PROVILLE, places=10, depuis=date(2026, 1, 5))
    assert "pas encore ouverte en 2025" in bonus(convention, future, 2025).motifs[0]
    fermee = creer_structure("Crèche fermée", places=10, date_fermeture=date(2022, 6, 30))
    assert "fermée depuis le 30/06/2022" in bonus(convention, fermee, 2023).motifs[0]
    sous_cej = creer_structure("Crèche sous Cej", places=10)
    creer_cej(CAMBRAI, [(sous_cej, "30000", "10", "0")], debut=date(2020, 1, 1), fin=date(2023, 12, 31), reference=2023)
    assert "encore financée par le Cej" in bonus(convention, sous_cej, 2023).motifs[0]
    assert bonus(convention, sous_cej, 2024).montant == Decimal("30000.00")
    assert "hors de la période de la convention (2022–2026)" in bonus(convention, sous_cej, 2027).motifs[0]


def test_prorata_temporis_a_l_ouverture(convention, creer_structure):
    # 10 new places opened on 1 July 2024 (leap year): 184 days out of 366 → 10 × 2 600 × 184 / 366 = 13 071,038… →
    # 13 071,04 €
    adherer(convention, ancienne_cej=False)
    creche = creer_structure("Crèche", places=10, depuis=date(2024, 7, 1))
    resultat = bonus(convention, creche, 2024)
    assert resultat.montant == Decimal("13071.04")
    assert "Ouverte 184 jours sur 366 en 2024" in plat(resultat.explication)


# --- rule 6: the commune's commitment --------------------------------------------------------------------------------


@pytest.fixture
def cambrai_cej(convention, creer_structure, creer_cej):
    adherer(convention)
    creche = creer_structure("Crèche A", places=20)
    creer_cej(CAMBRAI, [(creche, "60000", "20", "100000")])
    return creche


def test_engagement_respecte(convention, cambrai_cej):
    FinancementReel.objects.create(structure=cambrai_cej, annee=2024, document="compte", montant_commune="100000")
    assert bonus(convention, cambrai_cej, 2024).statut == StatutBonus.ELIGIBLE
    engagement = engagements_annee(convention, 2024)[0]
    assert engagement.statut == StatutEngagement.RESPECTE and engagement.ecart == Decimal("0")
    assert alertes(convention) == []


def test_financement_non_renseigne_sous_reserve(convention, cambrai_cej):
    assert bonus(convention, cambrai_cej, 2024).statut == StatutBonus.SOUS_RESERVE


def test_manque_a_verifier_et_alerte_du_tableau_de_bord(client, convention, cambrai_cej, django_user_model):
    # committed 100 000 €, the compte de résultat shows 92 500 €: shortfall of 7 500 €
    FinancementReel.objects.create(structure=cambrai_cej, annee=2024, document="budget", montant_commune="101000")
    FinancementReel.objects.create(structure=cambrai_cej, annee=2024, document="compte", montant_commune="92500")
    resultat = bonus(convention, cambrai_cej, 2024)
    assert resultat.statut == StatutBonus.A_VERIFIER
    assert resultat.montant == Decimal("60000.00")  # still computed, flagged until the Caf verifies
    assert "À vérifier : le financement 2024 de Cambrai (92 500,00 €) est inférieur" in plat(resultat.motifs)
    texte = (
        "Commune Cambrai : financement 2024 inférieur à l'engagement Cej (92 500,00 € au lieu de 100 000,00 €, "
        "écart 7 500,00 €, d'après les comptes de résultat ; bonus des structures à vérifier)"
    )
    assert [plat(a) for a in alertes(convention)] == [texte]
    admin = django_user_model.objects.create_superuser("admin", password="x")
    client.force_login(admin)
    page = client.get(f"/conventions/{convention.pk}/").content.decode()
    assert "Commune Cambrai : financement 2024 inférieur à l&#x27;engagement Cej" in page
    assert f'href="/financement/conventions/{convention.pk}/"' in page  # the dashboard's "Financement" button

    # the Caf verifies: conforme → "vérifié", the alert goes; non conforme → "suspendu", nothing paid
    verification = Verification.objects.create(
        convention=convention,
        commune_id=CAMBRAI,
        annee=2024,
        conclusion=Conclusion.CONFORME,
        documents="CR",
        verifie_par=admin,
    )
    assert bonus(convention, cambrai_cej, 2024).statut == StatutBonus.VERIFIE
    assert alertes(convention) == []
    verification.conclusion = Conclusion.NON_CONFORME
    verification.save()
    suspendu = bonus(convention, cambrai_cej, 2024)
    assert suspendu.statut == StatutBonus.SUSPENDU and suspendu.montant == 0
    assert suspendu.montant_calcule == Decimal("60000.00")
    assert "bonus suspendu après vérification de la Caf" in alertes(convention)[0]


def test_le_budget_previsionnel_sert_a_defaut_de_compte(convention, cambrai_cej):
    FinancementReel.objects.create(structure=cambrai_cej, annee=2025, document="budget", montant_commune="90000")
    engagement = engagements_annee(convention, 2025)[0]
    assert engagement.statut == StatutEngagement.INSUFFISANT and engagement.provisoire
    assert "d'après les budgets prévisionnels" in engagement.texte_alerte


# --- rates: a change from a valid-from date changes later years only -------------------------------------------------


def test_changer_un_taux_ne_change_que_les_annees_suivantes(convention, creer_structure, django_user_model):
    # 10 new places, commune wealth unknown → base rate (tranche 3) of 2 600 €
    adherer(convention, ancienne_cej=False)
    creche = creer_structure("Crèche neuve", places=10)
    tranche3 = bareme(tranche="Tranche 3", jour=date(2025, 1, 1))
    assert bonus(convention, creche, 2025).montant == Decimal("26000.00")

    admin = django_user_model.objects.create_superuser("admin", password="x")
    nouveau = baremes.reviser(tranche3, valide_du=date(2026, 1, 1), montant=Decimal("2700"), par=admin)
    tranche3.refresh_from_db()
    assert tranche3.valide_au == date(2025, 12, 31) and nouveau.remplace == tranche3 and nouveau.valide_au is None
    assert bonus(convention, creche, 2024).montant == Decimal("26000.00")
    assert bonus(convention, creche, 2025).montant == Decimal("26000.00")
    assert bonus(convention, creche, 2026).montant == Decimal("27000.00")

    # from 1 July 2026: the rate of 1 January 2026 still applies to 2026, the new one from 2027 on
    baremes.reviser(nouveau, valide_du=date(2026, 7, 1), montant=Decimal("2900"), par=admin)
    assert bonus(convention, creche, 2026).montant == Decimal("27000.00")
    assert composante(bonus(convention, creche, 2027, simulation=True), "nouvelles").montant == Decimal("29000.00")
    assert [b.montant for b in baremes.historique(nouveau)] == [Decimal(m) for m in ("2100", "2600", "2700", "2900")]


def test_revision_refusee_avant_le_debut_du_taux(convention):
    tranche3 = bareme(tranche="Tranche 3", jour=date(2025, 1, 1))
    with pytest.raises(ValidationError, match="au plus tôt le 01/01/2021"):
        baremes.reviser(tranche3, valide_du=date(2020, 6, 1), montant=Decimal("1"))
    # a correction from the row's own start date: the old value stays in the history, it never applied
    correction = baremes.reviser(tranche3, valide_du=date(2021, 1, 1), montant=Decimal("2650"))
    tranche3.refresh_from_db()
    assert tranche3.valide_au == date(2020, 12, 31) and "corrigé avant de s'appliquer" in tranche3.periode
    assert bareme(tranche="Tranche 3", jour=date(2025, 1, 1)) == correction
    ancien = bareme(tranche="Tranche 3", jour=date(2020, 6, 1))
    with pytest.raises(ValidationError, match="a pris fin le 31/12/2020"):
        baremes.reviser(ancien, valide_du=date(2022, 1, 1), montant=Decimal("1"))


def test_un_taux_ne_chevauche_pas_un_autre(db):
    doublon = Bareme(
        type_structure="eaje", nature="nouvelles_unites", unite="place", tranche=bareme(tranche="Tranche 3").tranche,
        montant=Decimal("1"), valide_du=date(2024, 1, 1), source="test",
    )  # fmt: skip
    with pytest.raises(ValidationError, match="chevauche"):
        doublon.full_clean()


# --- money: Decimal, rounded as the rate says ------------------------------------------------------------------------


def test_arrondis():
    assert arrondir(Decimal("2.345")) == Decimal("2.35")  # half up, not banker's rounding
    assert arrondir(Decimal("2.344")) == Decimal("2.34")
    assert arrondir(Decimal("88615.5"), Arrondi.EURO) == Decimal("88616")
    assert arrondir(Decimal("10.999"), Arrondi.CENTIME_INFERIEUR) == Decimal("10.99")
    assert arrondir(Decimal("10.99"), Arrondi.EURO_INFERIEUR) == Decimal("10")


def test_l_arrondi_suit_la_regle_du_taux(convention, creer_structure, creer_cej):
    # the report N-1 rate revised from 2025 to round to the euro: 88 615,3846… → 88 615 ; 55 384,6153… → 55 385
    adherer(convention)
    a = creer_structure("Crèche A", places=32)
    b = creer_structure("Crèche B", places=20)
    creer_cej(CAMBRAI, [(a, "96000", "32", "0"), (b, "48000", "20", "0")])
    report = bareme(nature="report_n1", jour=date(2024, 1, 1))
    baremes.reviser(report, valide_du=date(2025, 1, 1), arrondi=Arrondi.EURO)
    donnees = Donnees(convention)
    assert composante(bonus_structure(donnees, a, 2025), "existantes").montant == Decimal("88615")
    assert composante(bonus_structure(donnees, b, 2025), "existantes").montant == Decimal("55385")
    assert bonus_structure(donnees, a, 2024).montant == Decimal("88615.38")


def test_baremes_initiaux_avec_sources_et_a_confirmer(db):
    assert baremes.semer_baremes() == 0  # the migration already loaded them; idempotent
    for b in Bareme.objects.all():
        assert b.source
        b.full_clean()
    tranches = Bareme.objects.filter(nature="nouvelles_unites", valide_au=None)
    assert sorted(b.montant for b in tranches) == [Decimal("2600"), Decimal("3100"), Decimal("3600")]
    assert all(b.a_confirmer and "À CONFIRMER" in b.note for b in tranches)
    paliers = Bareme.objects.filter(nature="trajectoire").order_by("seuil_croissance")
    assert [(p.seuil_croissance, p.montant, p.annee_base) for p in paliers] == [
        (Decimal("4"), Decimal("100"), 2023),
        (Decimal("8"), Decimal("200"), 2023),
        (Decimal("12"), Decimal("300"), 2023),
    ]
    assert Bareme.objects.get(nature="place_employeur", valide_du=date(2025, 1, 1)).montant == Decimal("2800")
    assert Bareme.objects.filter(nature="report_n1", type_structure="alsh", a_confirmer=True, unite="forfait").exists()

"""The existing places' amount is smoothed over the territoire de compétence: the commune, or the EPCI where the
competence was transferred (caf.fr, bonus territoire; Cnaf circular of 16 January 2020). Figures by hand below."""

from decimal import Decimal

import pytest

from ctg.financement.calcul import Donnees, bonus_structure, territoire_de_competence

from .conftest import CAMBRAI, IWUY, PROVILLE, adherer, plat

pytestmark = pytest.mark.django_db


def existantes(donnees, structure, annee=2024):
    return next(c for c in bonus_structure(donnees, structure, annee).composantes if c.code == "existantes")


@pytest.fixture
def creches(convention, creer_structure, creer_cej):
    """Cambrai: 96,000 € for 32 places and 48,000 € for 20; Iwuy: 50,000 € for 10; Proville: 27,000 € for 9 (each
    commune its own Cej, ended in 2021)."""
    for commune in (CAMBRAI, IWUY, PROVILLE):
        adherer(convention, commune=commune)
    a = creer_structure("Crèche A", places=32)
    b = creer_structure("Crèche B", places=20)
    iwuy = creer_structure("Crèche d'Iwuy", commune=IWUY, places=10)
    proville = creer_structure("Crèche de Proville", commune=PROVILLE, places=9)
    creer_cej(CAMBRAI, [(a, "96000", "32", "0"), (b, "48000", "20", "0")])
    creer_cej(IWUY, [(iwuy, "50000", "10", "0")])
    creer_cej(PROVILLE, [(proville, "27000", "9", "0")])
    return a, b, iwuy, proville


def test_competence_communale_lissage_sur_la_commune(convention, creches):
    a, b, iwuy, _proville = creches
    donnees = Donnees(convention)
    territoire = territoire_de_competence(donnees, a, donnees.ligne_reference(a, 2024).cej)
    assert (territoire.epci, territoire.communes) == (False, frozenset({CAMBRAI}))
    # (96,000 + 48,000) ÷ 52 = 2,769.2307… € per place: Iwuy's crèche is not in Cambrai's smoothing
    assert existantes(donnees, a).montant == Decimal("88615.38")
    assert existantes(donnees, b).montant == Decimal("55384.62")
    assert existantes(donnees, iwuy).montant == Decimal("50000.00")
    assert "lissé sur le territoire de la commune de Cambrai, qui détient la compétence" in plat(
        existantes(donnees, a).explication
    )


@pytest.mark.parametrize("source", ["adhesions", "appelant"])
def test_competence_transferee_lissage_sur_l_epci(convention, creches, source):
    """The transfer as the communes' adhesions record it (the adhesion page), or as a caller names it."""
    a, b, iwuy, proville = creches
    if source == "adhesions":
        convention.adhesions.filter(commune_id__in=[CAMBRAI, IWUY]).update(competence_petite_enfance_transferee=True)
        donnees = Donnees(convention)
    else:
        donnees = Donnees(convention, competence_transferee={CAMBRAI, IWUY})
    territoire = territoire_de_competence(donnees, iwuy, donnees.ligne_reference(iwuy, 2024).cej)
    assert (territoire.epci, territoire.communes) == (True, frozenset({CAMBRAI, IWUY}))
    # (96,000 + 48,000 + 50,000) ÷ (32 + 20 + 10) = 194,000 ÷ 62 = 3,129.0322… € per place
    montants = [existantes(donnees, s).montant for s in (a, b, iwuy)]
    assert montants == [Decimal("100129.03"), Decimal("62580.65"), Decimal("31290.32")]
    assert sum(montants) == Decimal("194000.00")  # the territory's amount is kept, only spread differently
    explication = plat(existantes(donnees, iwuy).explication)
    assert "194 000,00 € pour 62 places" in explication
    assert "des Cej « Cej 59322 » et « Cej 59122 »" in explication
    assert f"territoire de compétence de l'EPCI {convention.epci.nom}, à qui 2 communes ont transféré" in explication
    # Proville kept its competence: its own amount.
    assert existantes(donnees, proville).montant == Decimal("27000.00")


def test_un_cej_intercommunal_est_celui_de_l_epci(convention, creer_structure, creer_cej):
    # One Cej funds crèches of two communes: it was signed by the EPCI holding the competence.
    for commune in (CAMBRAI, IWUY):
        adherer(convention, commune=commune)
    a = creer_structure("Crèche A", places=30)
    iwuy = creer_structure("Crèche d'Iwuy", commune=IWUY, places=10)
    cej = creer_cej(CAMBRAI, [(a, "90000", "30", "0"), (iwuy, "50000", "10", "0")])
    donnees = Donnees(convention)
    territoire = territoire_de_competence(donnees, iwuy, cej)
    assert (territoire.epci, territoire.communes) == (True, frozenset({CAMBRAI, IWUY}))
    # 140,000 ÷ 40 = 3,500 € per place
    assert existantes(donnees, iwuy).montant == Decimal("35000.00")
    assert existantes(donnees, a).montant == Decimal("105000.00")
    assert "à qui 2 communes ont transféré la compétence" in plat(existantes(donnees, a).explication)

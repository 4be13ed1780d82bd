"""What a renewal keeps of the financing, copied explicitly (``regles.copier_pour_renouvellement``), and the
migration's rule that attached the former territory-wide records to one convention."""

import importlib
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from ctg.conventions.models import Convention
from ctg.financement.calcul import Donnees, bonus_structure
from ctg.financement.models import Capacite, FinancementReel, Verification
from ctg.financement.regles import copier_pour_renouvellement
from ctg.territoires.models import Epci

from .conftest import CAMBRAI

pytestmark = pytest.mark.django_db


def renouvellement(convention) -> Convention:
    """The renewal 2027–2031 of ``convention`` (the one already prepared, if any)."""
    return Convention.objects.filter(precedente=convention).first() or Convention.objects.create(
        caf=convention.caf,
        epci=convention.epci,
        date_debut=date(2027, 1, 1),
        date_fin=date(2031, 12, 31),
        precedente=convention,
    )


def test_le_renouvellement_copie_ce_qu_il_garde(convention, creer_structure, creer_cej):
    ouverte = creer_structure("Crèche ouverte", places=20)
    Capacite.objects.create(structure=ouverte, depuis=date(2024, 9, 1), places=24)
    ouverte.communes_desservies.set(["59476"])
    du_cej = creer_structure("Crèche du Cej fermée en 2025", places=10, date_fermeture=date(2025, 6, 30))
    creer_structure("Halte fermée en 2024", places=8, date_fermeture=date(2024, 12, 31))
    cej = creer_cej(CAMBRAI, [(ouverte, "60000", "20", "90000"), (du_cej, "20000", "10", "30000")])
    FinancementReel.objects.create(structure=ouverte, annee=2025, document="compte", montant_commune="95000")
    FinancementReel.objects.create(structure=ouverte, annee=2027, document="budget", montant_commune="96000")
    Verification.objects.create(
        convention=convention,
        commune_id=CAMBRAI,
        annee=2025,
        conclusion="conforme",
        documents="CR 2025",
        verifie_par=get_user_model().objects.create_user("caf", password="x"),
    )
    nouvelle = renouvellement(convention)

    comptes = copier_pour_renouvellement(convention, nouvelle)

    assert comptes == {"structures": 2, "capacites": 3, "cej": 1, "lignes_cej": 2, "financements": 1}
    copie = nouvelle.structures.get(nom="Crèche ouverte")
    assert copie.pk != ouverte.pk and copie.copiee_de == ouverte and copie.version == 1
    assert [(c.depuis, c.places) for c in copie.capacites.all()] == [(date(2015, 1, 1), 20), (date(2024, 9, 1), 24)]
    assert list(copie.communes_desservies.values_list("code", flat=True)) == ["59476"]
    assert not nouvelle.structures.filter(nom__startswith="Halte").exists()
    cej_copie = nouvelle.cej.get()
    assert cej_copie.copiee_de == cej and cej_copie.intitule == cej.intitule
    assert {ligne.structure.convention_id for ligne in cej_copie.lignes.all()} == {nouvelle.pk}
    assert sum(ligne.engagement_commune for ligne in cej_copie.lignes.all()) == Decimal("120000")
    assert list(FinancementReel.objects.filter(structure__convention=nouvelle).values_list("annee", flat=True)) == [
        2027
    ]
    assert not nouvelle.verifications.exists()
    assert copie.historique.earliest("history_date").history_change_reason.startswith(
        "renouvellement : reprise du financement"
    )

    # each convention then evolves on its own
    copie.nom = "Crèche ouverte (renommée en 2027)"
    copie.save()
    ouverte.refresh_from_db()
    assert ouverte.nom == "Crèche ouverte" and convention.structures.count() == 3
    # the renewed convention computes its bonus from its own copy of the Cej, as the former one did:
    # (60 000 + 20 000) ÷ 30 reference places × 20 existing places = 53 333,33 €
    avant = bonus_structure(Donnees(convention), ouverte, 2026).composantes[0]
    apres = bonus_structure(Donnees(nouvelle), copie, 2027).composantes[0]
    assert avant.code == apres.code == "existantes"
    assert avant.montant == apres.montant == Decimal("53333.33")
    # calling it again copies nothing more
    assert set(copier_pour_renouvellement(convention, nouvelle).values()) == {0}


def test_seul_un_renouvellement_de_la_meme_convention_recoit_la_copie(convention):
    autre_epci = Convention.objects.create(
        caf=convention.caf,
        epci=Epci.objects.exclude(pk=convention.epci_id).first(),
        date_debut=date(2027, 1, 1),
        date_fin=date(2031, 12, 31),
    )
    with pytest.raises(ValidationError, match="même EPCI"):
        copier_pour_renouvellement(convention, autre_epci)
    sans_accord = Convention.objects.create(
        caf=convention.caf, epci=convention.epci, date_debut=date(2032, 1, 1), date_fin=date(2036, 12, 31)
    )
    with pytest.raises(ValidationError, match="ne renouvelle pas"):
        copier_pour_renouvellement(convention, sans_accord)
    with pytest.raises(ValidationError):
        copier_pour_renouvellement(convention, convention)


def test_la_migration_rattache_a_la_convention_qui_couvre_l_enregistrement():
    migration = importlib.import_module("ctg.financement.migrations.0004_rattacher_aux_conventions")

    class C:
        def __init__(self, debut, fin):
            self.date_debut, self.date_fin = debut, fin

    a = C(date(2022, 1, 1), date(2026, 12, 31))
    b = C(date(2026, 6, 1), date(2030, 12, 31))
    c = C(date(2031, 1, 1), date(2035, 12, 31))
    conventions = [a, b, c]  # earliest first
    assert migration.convention_pour(conventions, date(2023, 5, 1)) is a
    assert migration.convention_pour(conventions, date(2026, 9, 1)) is a  # several cover it: the earliest
    assert migration.convention_pour(conventions, date(2032, 1, 1)) is c
    assert migration.convention_pour(conventions, date(2019, 1, 1)) is a  # none covers it: the earliest
    assert migration.convention_pour(conventions, None) is a
    assert migration.convention_pour([], date(2023, 1, 1)) is None

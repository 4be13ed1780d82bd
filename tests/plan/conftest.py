"""The demo convention with its demo accounts (and its demo plan), and a helper to add open-data observations like an
import does."""

import uuid
from datetime import date

import pytest

from ctg.demo.comptes import creer_comptes_demo
from ctg.demo.plan import charger_demo_plan
from ctg.donnees.models import Fichier, Observation
from tests.instantanes import instantane

JOUR = date(2026, 11, 28)


@pytest.fixture
def convention(convention_cambrai):
    def charger():
        creer_comptes_demo(convention_cambrai)
        return convention_cambrai

    return instantane("convention_cambrai+comptes", charger)


@pytest.fixture
def demo(convention):
    """The demo convention with its accounts and its demo plan (``ctg.demo.plan``)."""

    def charger():
        charger_demo_plan(convention)
        return convention

    return instantane("convention_cambrai+comptes+plan", charger)


@pytest.fixture
def comptes(convention, django_user_model):
    return {u.username: u for u in django_user_model.objects.filter(habilitations__convention=convention)}


def importer(dataset: str, niveau: str, code: str, annee: int, valeurs: dict, demonstration=False) -> Fichier:
    """One file with one row, as ``ctg import_donnees`` records it (a new file = a new data version)."""
    fichier = Fichier.objects.create(
        dataset=dataset, nom=f"{dataset}_{annee}.csv", empreinte=uuid.uuid4().hex, demonstration=demonstration
    )
    Observation.objects.create(
        fichier=fichier, dataset=dataset, niveau=niveau, code=code, periode=str(annee), annee=annee, valeurs=valeurs
    )
    return fichier


# A day inside the life of the demo convention A (2022–2026): the acts the tests record as the system are dated so
# (a command may record a past act at its date), so that the tests pass whatever the clock's date.
JOUR_DANS_LA_CONVENTION = date(2024, 1, 15)


def fiche_de_test(convention, titre="Action", statut=None, jour=JOUR_DANS_LA_CONVENTION, **champs):
    """A fiche created and, if asked, moved to ``statut`` through the rules layer, by the system, on ``jour``."""
    from ctg.audit import utilisateur_systeme
    from ctg.plan import cycle

    systeme = utilisateur_systeme()
    fiche = cycle.creer_fiche(convention, titre, systeme, jour=jour, **champs)
    for nom in CHEMINS.get(statut, []):
        fiche = cycle.changer_statut_fiche(fiche, nom, systeme, jour=jour)
    return fiche


# The transitions that bring a new fiche ("à venir") to each status.
CHEMINS = {
    "a_venir": [],
    "en_cours": ["demarrer"],
    "en_retard": ["demarrer", "signaler_retard"],
    "en_pause": ["demarrer", "suspendre"],
    "terminee": ["demarrer", "terminer"],
    "abandonnee": ["abandonner"],
}

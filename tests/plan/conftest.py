"""The demo convention with its demo accounts, and a helper to add open-data observations like an import does."""

import uuid
from datetime import date

import pytest

from ctg.demo.comptes import creer_comptes_demo
from ctg.donnees.models import Fichier, Observation

JOUR = date(2026, 11, 28)


@pytest.fixture
def convention(convention_cambrai):
    creer_comptes_demo(convention_cambrai)
    return convention_cambrai


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

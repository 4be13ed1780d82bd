"""Small hand-made financing data on the real Cambrai convention, for worked examples."""

from datetime import date
from decimal import Decimal

import pytest

from ctg.comptes.models import Organisation
from ctg.financement.models import Capacite, Cej, LigneCej, RichesseCommune, Structure
from tests.lecture import espaces_lus

CAMBRAI, IWUY, PROVILLE = "59122", "59322", "59476"


@pytest.fixture
def convention(convention_cambrai):
    return convention_cambrai


@pytest.fixture
def gestionnaire(db):
    return Organisation.objects.create(type=Organisation.Type.AUTRE, nom="Gestionnaire de test")


@pytest.fixture
def creer_structure(convention, gestionnaire):
    def creer(nom, commune=CAMBRAI, type="eaje", places=0, employeurs=0, depuis=date(2015, 1, 1), **options):
        heures, etp = options.pop("heures", None), options.pop("etp", None)
        options.setdefault("date_ouverture", depuis)
        options.setdefault("convention", convention)
        structure = Structure.objects.create(
            nom=nom, type=type, commune_id=commune, gestionnaire=gestionnaire, **options
        )
        Capacite.objects.create(
            structure=structure, depuis=depuis, places=places, places_employeurs=employeurs, heures=heures, etp=etp
        )
        return structure

    return creer


@pytest.fixture
def creer_cej(convention):
    def creer(commune, lignes, debut=date(2018, 1, 1), fin=date(2021, 12, 31), reference=2021, convention=convention):
        cej = Cej.objects.create(
            convention=convention,
            commune_id=commune,
            intitule=f"Cej {commune}",
            date_debut=debut,
            date_fin=fin,
            annee_reference=reference,
        )
        for structure, montant, unites, engagement in lignes:
            LigneCej.objects.create(
                cej=cej,
                structure=structure,
                montant_n1=Decimal(montant),
                unites_reference=Decimal(unites),
                engagement_commune=Decimal(engagement),
            )
        return cej

    return creer


def adherer(convention, commune=CAMBRAI, le=date(2022, 3, 14), ancienne_cej=True):
    adhesion = convention.adhesions.get(commune_id=commune)
    adhesion.statut = "adheree"
    adhesion.date_deliberation = le
    adhesion.ancienne_commune_cej = ancienne_cej
    adhesion.save()
    return adhesion


def richesse(commune, potentiel_financier, revenu, annee=2022):
    return RichesseCommune.objects.create(
        commune_id=commune,
        annee=annee,
        potentiel_financier=Decimal(potentiel_financier),
        revenu=Decimal(revenu),
        source="test",
    )


def plat(texte) -> str:
    """French amounts use narrow and non-breaking spaces: compare with plain spaces."""
    if isinstance(texte, list | tuple):
        texte = " ".join(texte)
    return espaces_lus(str(texte))


@pytest.fixture
def demo(convention_cambrai):
    """The demo convention with its accounts and its FICTITIOUS financing data."""
    from ctg.demo.comptes import creer_comptes_demo
    from ctg.demo.financement import charger_demo_financement
    from tests.instantanes import instantane

    def charger():
        creer_comptes_demo(convention_cambrai)
        charger_demo_financement(convention_cambrai)
        return convention_cambrai

    return instantane("convention_cambrai+comptes+financement", charger)


@pytest.fixture
def comptes(demo, django_user_model):
    return {u.username: u for u in django_user_model.objects.filter(habilitations__convention=demo)}


@pytest.fixture
def administrateur_national(db, django_user_model):
    """A national administrator (not a superuser, no Caf): the only one who revises the national rates."""
    from ctg.comptes.models import Profil

    user = django_user_model.objects.create_user("admin.national", password="x", is_staff=True)
    Profil.objects.create(user=user, administrateur_national=True)
    return user

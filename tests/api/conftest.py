"""The reference convention (Caf du Nord × CA de Cambrai), its demo accounts, a fiche action with an indicator and a
held meeting; an account whose only role is on another convention of the same EPCI."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache

from ctg.api.jetons import creer_jeton
from ctg.audit import par_commande, utilisateur_systeme
from ctg.comptes.models import Role
from ctg.conventions.models import Convention, Habilitation
from ctg.demo.comptes import creer_comptes_demo
from ctg.gouvernance.decisions import enregistrer_presences
from ctg.gouvernance.models import Cote, EtatPresence, Membre, Reunion
from ctg.gouvernance.regles import comite_de
from ctg.plan import cibles, cycle, definitions
from ctg.plan.models import CibleAnnuelle, Financement, IndicateurAction

CA_CAMBRAI = "200068500"


@pytest.fixture(autouse=True)
def debit_remis_a_zero():
    cache.clear()  # the per-token request counts live in Django's cache


@pytest.fixture
def reference(convention_cambrai):
    """The reference convention with its demo accounts, a fiche action (with an indicator) and a held meeting."""
    creer_comptes_demo(convention_cambrai)
    with par_commande("exemples de l'API"):
        cycle.plan_de(convention_cambrai)
        fiche = cycle.creer_fiche(
            convention_cambrai,
            "Fiche de l'API",
            utilisateur_systeme(),
            jour=date(2023, 1, 1),
            date_debut=date(2023, 1, 1),
        )
    indicateur = IndicateurAction.objects.create(
        fiche=fiche,
        definition=definitions.definition(convention_cambrai, libelle="Places créées", unite="places"),
        valeur_initiale=0,
        cible=10,
        date_cible=date(2026, 12, 31),
    )
    CibleAnnuelle.objects.create(indicateur=indicateur, annee=2025, valeur=4)
    cibles.aligner_cible_finale(indicateur)
    Financement.objects.create(
        fiche=fiche, financeur="Caf du Nord", annee=2024, montant="1500.50", montant_realise=1400
    )
    comite = comite_de(convention_cambrai)
    membre = Membre.objects.create(
        comite=comite, prenom="Alix", nom="Api", organisation="Caf", cote=Cote.CAF, debut=convention_cambrai.date_debut
    )
    reunion = Reunion.objects.create(comite=comite, date=date(2023, 3, 1), lieu="Salle du conseil")
    enregistrer_presences(reunion, {membre: (EtatPresence.PRESENT, "")})
    convention_cambrai.fiche, convention_cambrai.reunion = fiche, reunion
    return convention_cambrai


@pytest.fixture
def etranger(reference):
    """An account whose only role is on another convention of the same EPCI (as the permission walk's)."""
    seconde = Convention.objects.create(
        caf=reference.caf, epci=reference.epci, date_debut=date(2032, 1, 1), date_fin=date(2036, 12, 31)
    )
    user = get_user_model().objects.create_user("meme.epci", password="x")
    Habilitation.objects.create(user=user, convention=seconde, role=Role.CONSEILLER_CAF)
    user.convention = seconde
    return user


def entete(secret: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.fixture
def jeton_de():
    """``jeton_de("demo", ecriture=True)``: the secret of a new token of that account."""

    def creer(identifiant: str, ecriture: bool = False) -> str:
        return creer_jeton(get_user_model().objects.get(username=identifiant), "Essai", ecriture)[1]

    return creer

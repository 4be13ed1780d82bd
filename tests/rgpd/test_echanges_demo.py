"""The demo's data exchanges: one answered without personal data, one approved (study, opinion, register entry,
transmission), one refused; all marked as demonstration; loading again adds nothing."""

import pytest

from ctg.demo.comptes import creer_comptes_demo
from ctg.demo.echanges import charger_demo_echanges
from ctg.rgpd.models import DemandeEchange, TraitementRegistre

pytestmark = [pytest.mark.django_db, pytest.mark.date("2026-06-15")]


def test_demo_des_echanges(convention_cambrai):
    creer_comptes_demo(convention_cambrai)
    assert charger_demo_echanges(convention_cambrai) == {"demandes": 3}
    assert charger_demo_echanges(convention_cambrai) == {"demandes": 0}
    demandes = {d.statut: d for d in DemandeEchange.objects.all()}
    assert sorted(demandes) == ["approuvee", "refusee", "repondue"]
    assert all(d.demonstration and d.objet.endswith("(démonstration)") for d in demandes.values())
    assert not demandes["repondue"].donnees_personnelles
    approuvee = demandes["approuvee"]
    assert approuvee.avis_en_vigueur.sens == "favorable" and approuvee.transferts.get().empreinte
    entree = TraitementRegistre.objects.get()
    assert entree.demande == approuvee and entree.demonstration and entree.organisation == convention_cambrai.caf
    assert demandes["refusee"].avis_en_vigueur.sens == "defavorable"

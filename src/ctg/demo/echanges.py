"""The loader of the FICTITIOUS data-exchange requests of the Cambrai demo convention (its content:
``ctg.demo.contenu.echanges``), written through the rules of article 7 (``ctg.rgpd.echanges``) by the demo accounts:
the Caf du Nord's DPO designated, a request answered, one approved (with its study, opinion, register entry and
transmission) and one refused. Idempotent: a request already loaded is left as it is (nothing is deleted). A
convention that has ended takes no new request: nothing is loaded then. Call after ``creer_comptes_demo``."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction

from ctg import audit
from ctg.comptes.models import organisation_epci
from ctg.conventions.models import Convention
from ctg.rgpd import echanges
from ctg.rgpd.models import DelegueProtectionDonnees, DemandeEchange

from .contenu.echanges import AVIS, DECISIONS, DELEGUE_CAF, DEMANDES, ETUDES, REPONSE_EQUIPEMENTS, TRANSFERT_FAMILLES


@transaction.atomic
def charger_demo_echanges(convention: Convention) -> dict:
    with audit.par_commande("charger_demo"):
        return _charger(convention)


def _charger(convention: Convention) -> dict:
    if convention.est_terminee:
        return {"demandes": 0}
    comptes = {
        u.username: u for u in get_user_model().objects.filter(username__in=["demo", "chef.projet", DELEGUE_CAF])
    }
    caf, epci = convention.caf, organisation_epci(convention.epci)
    if not DelegueProtectionDonnees.objects.filter(organisation=caf).exists():
        echanges.designer_delegue(caf, comptes[DELEGUE_CAF], comptes["demo"], convention.date_debut)
    organisations = {"caf": caf, "epci": epci}
    charges = 0
    for cle, (auteur, demandeur, valeurs) in DEMANDES.items():
        if DemandeEchange.objects.filter(convention=convention, objet=valeurs["objet"], demonstration=True).exists():
            continue
        valeurs = dict(valeurs)
        demande = echanges.deposer(
            convention,
            comptes[auteur],
            demandeur=organisations[demandeur],
            champs=valeurs.pop("champs"),
            donnees_personnelles=valeurs.pop("donnees_personnelles"),
            demonstration=True,
            **valeurs,
        )
        detenteur = comptes["demo"] if demandeur == "epci" else comptes["chef.projet"]
        if not demande.donnees_personnelles:
            echanges.repondre(demande, detenteur, accepter=True, reponse=REPONSE_EQUIPEMENTS)
        else:
            echanges.etudier(demande, detenteur, **ETUDES[cle])
            echanges.rendre_avis(demande, comptes[DELEGUE_CAF], **AVIS[cle])
            echanges.decider(demande, detenteur, **DECISIONS[cle])
            if cle == "familles":
                echanges.transmettre(
                    demande,
                    detenteur,
                    contenu=TRANSFERT_FAMILLES["contenu"],
                    fichier=ContentFile(TRANSFERT_FAMILLES["octets"], name="familles-demonstration.csv"),
                    fichier_nom="familles-demonstration.csv",
                    fichier_type="text/csv",
                )
        charges += 1
    return {"demandes": charges}

"""The reference convention of the product: the real CTG signed in December 2021 by the Caf du Nord and the
Communauté d'agglomération de Cambrai (``shared/seed/convention-ctg-caf-nord-ca-cambrai-2021.txt``).

Its parties, signatories, dates and identifier are the real ones, public in the act sent to the préfecture.
The mayors and the dates of the municipal deliberations, which the seed leaves blank, stay blank
("à compléter").
"""

from datetime import date

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from ctg.comptes.models import caf_du_departement
from ctg.conventions import cycle
from ctg.conventions.models import Convention, Signataire
from ctg.territoires.models import Departement, Epci

CTES_CAMBRAI = "059-200068500-20211221-D2021_12_10_01-CC"
SIGNATAIRES_CAMBRAI = [
    # partie, ordre, civilité, prénom, nom, qualité
    ("caf", 1, "Madame", "Lydie", "Librizzi", "president_ca"),
    ("caf", 2, "Monsieur", "Luc", "Grard", "directeur_general"),
    ("collectivite", 1, "Monsieur", "François-Xavier", "Villain", "president_epci"),
]


@transaction.atomic
def charger_convention_cambrai() -> Convention:
    """Create the Cambrai convention if it is not there yet, through the rules layer (created as a draft, then
    signed on 21/12/2021; the daily update brings it into force, then to its end after 31/12/2026); return it."""
    existante = Convention.objects.filter(ctes_identifiant=CTES_CAMBRAI).first()
    if existante:
        return existante
    caf = caf_du_departement(Departement.objects.get(code="59"))
    if not caf.tribunal_administratif:
        caf.tribunal_administratif = "Tribunal administratif de Lille"
        caf.save(update_fields=["tribunal_administratif"])
    convention = cycle.creer_convention(
        caf,
        Epci.objects.get(code="200068500"),
        date(2022, 1, 1),
        date(2026, 12, 31),
        ctes_identifiant=CTES_CAMBRAI,
        envoye_prefecture_le=date(2021, 12, 21),
        recu_prefecture_le=date(2021, 12, 21),
        deliberation_date=date(2021, 12, 10),
        deliberation_numero="D2021_12_10_01",
        chef_projet_nom="Fanton",
        chef_projet_fonction="Directrice de la stratégie territoriale",
    )
    convention.transitions.update(date_effet=date(2021, 12, 10))  # prepared for the council's deliberation
    visa_caf = convention.visas.get(ordre=6)
    visa_caf.texte = visa_caf.texte.replace("[à compléter]", "17 janvier 2019")
    visa_caf.save()
    bulk_create_with_history(
        [
            Signataire(
                convention=convention, partie=partie, ordre=ordre, civilite=civ, prenom=prenom, nom=nom, qualite=q
            )
            for partie, ordre, civ, prenom, nom, q in SIGNATAIRES_CAMBRAI
        ],
        Signataire,
    )
    cycle.signer(convention, date(2021, 12, 21))
    convention.refresh_from_db()
    return convention

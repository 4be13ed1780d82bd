"""The reference convention of the product: the real CTG signed in December 2021 by the Caf du Nord and the
Communauté d'agglomération de Cambrai (``shared/seed/convention-ctg-caf-nord-ca-cambrai-2021.txt``).

Its parties, signatories, dates and identifier are the real ones, public in the act sent to the préfecture.
The mayors and the dates of the municipal deliberations, which the seed leaves blank, stay blank
("à compléter").
"""

from datetime import date

from django.db import transaction

from ctg.comptes.models import caf_du_departement
from ctg.conventions.cycle import creer_convention
from ctg.conventions.models import Convention, Signataire, Statut, Transition
from ctg.territoires.models import Departement, Epci

CTES_CAMBRAI = "059-200068500-20211221-D2021_12_10_01-CC"


@transaction.atomic
def charger_convention_cambrai() -> Convention:
    """Create the Cambrai convention if it is not there yet; return it."""
    existante = Convention.objects.filter(ctes_identifiant=CTES_CAMBRAI).first()
    if existante:
        return existante
    caf = caf_du_departement(Departement.objects.get(code="59"))
    if not caf.tribunal_administratif:
        caf.tribunal_administratif = "Tribunal administratif de Lille"
        caf.save(update_fields=["tribunal_administratif"])
    convention = creer_convention(
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
    Signataire.objects.bulk_create(
        [
            Signataire(
                convention=convention,
                partie="caf",
                ordre=1,
                civilite="Madame",
                prenom="Lydie",
                nom="Librizzi",
                qualite="president_ca",
            ),
            Signataire(
                convention=convention,
                partie="caf",
                ordre=2,
                civilite="Monsieur",
                prenom="Luc",
                nom="Grard",
                qualite="directeur_general",
            ),
            Signataire(
                convention=convention,
                partie="collectivite",
                ordre=1,
                civilite="Monsieur",
                prenom="François-Xavier",
                nom="Villain",
                qualite="president_epci",
            ),
        ]
    )
    convention.date_signature = date(2021, 12, 21)
    convention.save(update_fields=["date_signature"])
    Transition.objects.create(
        convention=convention,
        de=Statut.BROUILLON,
        vers=Statut.SIGNEE,
        date_effet=date(2021, 12, 21),
        motif="Signature par les parties (transmise en préfecture le 21/12/2021)",
    )
    convention.statut = Statut.SIGNEE
    convention.save(update_fields=["statut"])
    return convention

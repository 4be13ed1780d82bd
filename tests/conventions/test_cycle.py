from datetime import date

import pytest

from ctg.comptes.models import caf_du_departement
from ctg.conventions.cycle import TransitionImpossible, actualiser, creer_convention, renouveler, resilier, signer
from ctg.conventions.models import Convention, Signataire, Statut
from ctg.territoires.models import Departement, Epci

pytestmark = pytest.mark.django_db


@pytest.fixture
def brouillon():
    epci = Epci.objects.get(code="200068500")
    return creer_convention(caf_du_departement(Departement.objects.get(code="59")), epci, date(2025, 1, 1))


def test_creation_preremplit_les_adhesions_et_la_fin_n_plus_4(brouillon):
    assert brouillon.statut == Statut.BROUILLON
    assert brouillon.date_fin == date(2029, 12, 31)
    assert brouillon.adhesions.count() == 55
    assert brouillon.adhesions.filter(statut="en_attente").count() == 55
    assert brouillon.visas.count() == 6
    assert "Caf du Nord" in brouillon.visas.last().texte
    assert brouillon.caf.nom == "Caf du Nord"
    assert [t.vers for t in brouillon.transitions.all()] == [Statut.BROUILLON]


def test_fin_au_dela_de_n_plus_4_refusee():
    from django.core.exceptions import ValidationError

    epci = Epci.objects.get(code="200068500")
    with pytest.raises(ValidationError) as exc:
        creer_convention(
            caf_du_departement(epci.communes.first().departement), epci, date(2025, 1, 1), date(2030, 1, 1)
        )
    assert "31/12/2029" in str(exc.value.message_dict["date_fin"])
    assert not Convention.objects.filter(date_debut=date(2025, 1, 1)).exists()


def test_signature_exige_des_signataires_puis_cycle_complet(brouillon):
    with pytest.raises(TransitionImpossible, match="signataire pour la Caf"):
        signer(brouillon, date(2024, 12, 15))
    Signataire.objects.create(
        convention=brouillon, partie="caf", civilite="Madame", prenom="A", nom="B", qualite="president_ca"
    )
    Signataire.objects.create(
        convention=brouillon, partie="collectivite", civilite="Monsieur", prenom="C", nom="D", qualite="president_epci"
    )
    signer(brouillon, date(2024, 12, 15))
    assert brouillon.statut == Statut.SIGNEE
    assert actualiser(brouillon, date(2024, 12, 31)) == []
    actualiser(brouillon, date(2025, 1, 1))
    assert brouillon.statut == Statut.EN_VIGUEUR
    actualiser(brouillon, date(2030, 1, 1))
    assert brouillon.statut == Statut.EXPIREE
    assert [(t.de, t.vers) for t in brouillon.transitions.all()] == [
        ("", "brouillon"),
        ("brouillon", "signee"),
        ("signee", "en_vigueur"),
        ("en_vigueur", "expiree"),
    ]
    with pytest.raises(TransitionImpossible):
        resilier(brouillon, "denonciation", date(2030, 1, 2), "caf")


def test_resiliation_par_denonciation(convention_cambrai):
    actualiser(convention_cambrai, date(2024, 1, 1))
    resiliation, calcul = resilier(
        convention_cambrai, "denonciation", date(2024, 8, 31), "collectivite", aujourd_hui=date(2024, 9, 1)
    )
    assert resiliation.date_effet == calcul.date_effet == date(2025, 2, 28)
    actualiser(convention_cambrai, date(2025, 2, 27))
    assert convention_cambrai.statut == Statut.EN_VIGUEUR
    actualiser(convention_cambrai, date(2025, 2, 28))
    assert convention_cambrai.statut == Statut.RESILIEE
    with pytest.raises(TransitionImpossible, match="déjà enregistrée|Seule une convention"):
        resilier(convention_cambrai, "sans_avenant", date(2025, 3, 1), "caf")


def test_modes_reserves_a_la_caf(convention_cambrai):
    with pytest.raises(TransitionImpossible, match="seule la Caf"):
        resilier(convention_cambrai, "infraction", date(2024, 1, 31), "collectivite")
    with pytest.raises(TransitionImpossible, match="seule la Caf"):
        resilier(convention_cambrai, "sans_avenant", date(2024, 1, 31), "collectivite")
    assert not hasattr(convention_cambrai, "resiliation")


def test_renouvellement_par_accord_explicite(convention_cambrai):
    nouvelle = renouveler(convention_cambrai)
    assert nouvelle.statut == Statut.BROUILLON
    assert (nouvelle.date_debut, nouvelle.date_fin) == (date(2027, 1, 1), date(2031, 12, 31))
    assert nouvelle.precedente == convention_cambrai
    assert nouvelle.signataires.count() == 3 and nouvelle.adhesions.count() == 55
    assert nouvelle.ctes_identifiant is None  # a new act, to be sent again
    with pytest.raises(TransitionImpossible, match="déjà été renouvelée"):
        renouveler(convention_cambrai)

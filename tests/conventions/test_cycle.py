"""The lifecycle of a convention through the rules layer (ctg.conventions.cycle), at pinned dates."""

from datetime import date

import pytest

from ctg.comptes.models import caf_du_departement
from ctg.conventions.cycle import (
    EffetDejaPasse,
    TransitionImpossible,
    actualiser,
    actualiser_toutes,
    annuler_resiliation,
    creer_convention,
    renouveler,
    resilier,
    revenir_en_brouillon,
    signer,
)
from ctg.conventions.models import Convention, Resiliation, Signataire, Statut, statut_a
from ctg.territoires.models import Departement, Epci
from tests.conftest import instant_de

pytestmark = pytest.mark.django_db


@pytest.fixture
def brouillon():
    epci = Epci.objects.get(code="200068500")
    return creer_convention(caf_du_departement(Departement.objects.get(code="59")), epci, date(2032, 1, 1))


def signataires(convention):
    Signataire.objects.create(
        convention=convention, partie="caf", civilite="Madame", prenom="A", nom="B", qualite="president_ca"
    )
    Signataire.objects.create(
        convention=convention, partie="collectivite", civilite="Monsieur", prenom="C", nom="D", qualite="president_epci"
    )


def test_creation_preremplit_les_adhesions_et_la_fin_n_plus_4(brouillon):
    assert brouillon.statut == Statut.BROUILLON
    assert brouillon.date_fin == date(2036, 12, 31)
    assert brouillon.adhesions.count() == 55
    assert brouillon.adhesions.filter(statut="en_attente").count() == 55
    assert brouillon.visas.count() == 6
    assert "Caf du Nord" in brouillon.visas.last().texte
    assert brouillon.caf.nom == "Caf du Nord"
    assert [(t.rang, t.vers) for t in brouillon.transitions.all()] == [(1, Statut.BROUILLON)]


def test_fin_au_dela_de_n_plus_4_refusee():
    from django.core.exceptions import ValidationError

    epci = Epci.objects.get(code="200068500")
    with pytest.raises(ValidationError) as exc:
        creer_convention(
            caf_du_departement(epci.communes.first().departement), epci, date(2032, 1, 1), date(2037, 1, 1)
        )
    assert "31/12/2036" in str(exc.value.message_dict["date_fin"])
    assert not Convention.objects.filter(date_debut=date(2032, 1, 1)).exists()


@pytest.mark.date("2031-12-15")
def test_signature_exige_des_signataires_puis_cycle_complet(brouillon, horloge):
    with pytest.raises(TransitionImpossible, match="signataire pour la Caf"):
        signer(brouillon, date(2031, 12, 15))
    signataires(brouillon)
    signer(brouillon, date(2031, 12, 15))
    assert brouillon.statut == Statut.SIGNEE
    assert actualiser(brouillon) == []
    horloge.move_to(instant_de("2032-01-01"))
    assert brouillon.statut_du_jour == Statut.EN_VIGUEUR  # as of today, before the daily update writes it
    actualiser(brouillon)
    assert brouillon.statut == Statut.EN_VIGUEUR
    assert actualiser(brouillon) == []  # idempotent
    horloge.move_to(instant_de("2037-01-01"))
    assert brouillon.est_terminee
    actualiser(brouillon)
    assert brouillon.statut == Statut.EXPIREE
    assert [(t.rang, t.de, t.vers) for t in brouillon.transitions.all()] == [
        (1, "", "brouillon"),
        (2, "brouillon", "signee"),
        (3, "signee", "en_vigueur"),
        (4, "en_vigueur", "expiree"),
    ]
    with pytest.raises(TransitionImpossible):
        resilier(brouillon, "denonciation", date(2036, 12, 30), "caf")


@pytest.mark.date("2031-12-15")
def test_signature_datee_dans_le_futur_refusee(brouillon):
    signataires(brouillon)
    with pytest.raises(TransitionImpossible, match="dans le futur"):
        signer(brouillon, date(2031, 12, 16))
    brouillon.refresh_from_db()
    assert brouillon.statut == Statut.BROUILLON and brouillon.date_signature is None


@pytest.mark.date("2031-12-15")
def test_retour_en_brouillon_avant_le_debut_seulement_avec_un_motif(brouillon, horloge):
    signataires(brouillon)
    signer(brouillon, date(2031, 12, 10))
    with pytest.raises(TransitionImpossible, match="motif"):
        revenir_en_brouillon(brouillon, "  ")
    revenir_en_brouillon(brouillon, "signature saisie sur la mauvaise convention")
    assert brouillon.statut == Statut.BROUILLON and brouillon.date_signature is None
    signer(brouillon, date(2031, 12, 12))
    horloge.move_to(instant_de("2032-02-01"))
    actualiser(brouillon)
    with pytest.raises(TransitionImpossible):
        revenir_en_brouillon(brouillon, "trop tard : la convention est en vigueur")


def test_le_statut_du_jour_ne_s_ecrit_pas_a_la_lecture(convention_cambrai, horloge, client, django_user_model):
    """No write on read: a page shows the status as of today; only the daily update writes it."""
    from ctg.comptes.models import Role
    from ctg.conventions.models import Habilitation

    horloge.move_to(instant_de("2027-01-15"))
    user = django_user_model.objects.create_user("lectrice", password="x")
    Habilitation.objects.create(user=user, convention=convention_cambrai, role=Role.LECTURE)
    client.force_login(user)
    avant = convention_cambrai.transitions.count()
    for url in ("/conventions/", f"/conventions/{convention_cambrai.pk}/", "/"):
        reponse = client.get(url)
        assert "Terminée (arrivée à échéance)" in reponse.content.decode(), url
    convention_cambrai.refresh_from_db()
    assert convention_cambrai.statut == Statut.EN_VIGUEUR
    assert convention_cambrai.transitions.count() == avant
    assert [t.vers for t in actualiser_toutes()] == [Statut.EXPIREE]
    assert actualiser_toutes() == []


@pytest.mark.date("2024-09-01")
def test_resiliation_par_denonciation(convention_cambrai, horloge):
    resiliation, calcul = resilier(convention_cambrai, "denonciation", date(2024, 8, 31), "collectivite")
    assert resiliation.date_effet == calcul.date_effet == date(2025, 2, 28)
    horloge.move_to(instant_de("2025-02-27"))
    actualiser(convention_cambrai)
    assert convention_cambrai.statut == Statut.EN_VIGUEUR
    horloge.move_to(instant_de("2025-02-28"))
    actualiser(convention_cambrai)
    assert convention_cambrai.statut == Statut.RESILIEE
    assert convention_cambrai.fin_effective == date(2025, 2, 28)
    with pytest.raises(TransitionImpossible, match="déjà enregistrée|Seule une convention"):
        resilier(convention_cambrai, "sans_avenant", date(2025, 2, 28), "caf")


@pytest.mark.date("2024-09-01")
def test_resiliation_lettre_future_refusee_et_effet_passe_a_confirmer(convention_cambrai):
    with pytest.raises(TransitionImpossible, match="dans le futur"):
        resilier(convention_cambrai, "mise_en_demeure", date(2024, 9, 2), "caf")
    with pytest.raises(EffetDejaPasse, match="déjà passée"):
        resilier(convention_cambrai, "mise_en_demeure", date(2024, 6, 3), "caf")
    assert not Resiliation.objects.filter(convention=convention_cambrai).exists()
    resilier(convention_cambrai, "mise_en_demeure", date(2024, 6, 3), "caf", confirmer_effet_passe=True)
    assert convention_cambrai.statut == Statut.RESILIEE
    assert convention_cambrai.transitions.last().date_effet == date(2024, 7, 3)


@pytest.mark.date("2024-09-01")
def test_annuler_une_resiliation_par_erreur(convention_cambrai):
    resilier(convention_cambrai, "sans_avenant", date(2024, 9, 1), "caf")
    assert convention_cambrai.statut == Statut.RESILIEE
    with pytest.raises(TransitionImpossible, match="pourquoi"):
        annuler_resiliation(convention_cambrai, "")
    annuler_resiliation(convention_cambrai, "lettre enregistrée sur la mauvaise convention")
    convention_cambrai.refresh_from_db()
    assert convention_cambrai.statut == Statut.EN_VIGUEUR
    assert not hasattr(convention_cambrai, "resiliation")
    vers = [t.vers for t in convention_cambrai.transitions.all()]
    assert vers[-3:] == [Statut.RESILIEE, Statut.SIGNEE, Statut.EN_VIGUEUR]
    trace = Resiliation.historique.filter(convention_id=convention_cambrai.pk, history_type="-").get()
    assert "mauvaise convention" in trace.history_change_reason


@pytest.mark.date("2024-01-31")
def test_modes_reserves_a_la_caf(convention_cambrai):
    with pytest.raises(TransitionImpossible, match="seule la Caf"):
        resilier(convention_cambrai, "infraction", date(2024, 1, 31), "collectivite")
    with pytest.raises(TransitionImpossible, match="seule la Caf"):
        resilier(convention_cambrai, "sans_avenant", date(2024, 1, 31), "collectivite")
    assert not hasattr(convention_cambrai, "resiliation")


def test_statut_a_une_date_donnee(convention_cambrai):
    """From its stored status, forward: what the daily update would write on a given day."""
    assert statut_a(convention_cambrai, date(2026, 12, 31)) == Statut.EN_VIGUEUR
    assert statut_a(convention_cambrai, date(2027, 1, 1)) == Statut.EXPIREE


def test_renouvellement_par_accord_explicite(convention_cambrai):
    nouvelle = renouveler(convention_cambrai)
    assert nouvelle.statut == Statut.BROUILLON
    assert (nouvelle.date_debut, nouvelle.date_fin) == (date(2027, 1, 1), date(2031, 12, 31))
    assert nouvelle.precedente == convention_cambrai
    assert nouvelle.signataires.count() == 3 and nouvelle.adhesions.count() == 55
    assert nouvelle.ctes_identifiant is None  # a new act, to be sent again
    with pytest.raises(TransitionImpossible, match="déjà été renouvelée"):
        renouveler(convention_cambrai)

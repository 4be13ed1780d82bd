"""The snapshots of the test loaders (tests/instantanes.py): applied again, they give the rows the loader wrote; a
test that wrote something else first gets the loader run again."""

import pytest
from django.db import connection, transaction

from ctg.comptes.models import Organisation
from tests import instantanes
from tests.instantanes import instantane

pytestmark = pytest.mark.django_db


class _Annule(Exception):
    pass


def _organisations():
    return sorted(Organisation.objects.values_list("id", "type", "nom"))


def _premiere_fois(cle, charger):
    """The loader's first run (recorded), then the database back where the test began, as the next test finds it."""
    try:
        with transaction.atomic():
            instantane(cle, charger)
            apres = _organisations()
            raise _Annule
    except _Annule:
        pass
    instantanes.debut_de_test(transactionnel=False)
    return apres


def _chargeur():
    appels = []

    def charger():
        appels.append(1)
        Organisation.objects.create(type="autre", nom=f"Centre social n° {len(appels)}")

    return charger, appels


def test_un_instantane_redonne_les_lignes_du_chargeur_sans_le_relancer(request):
    charger, appels = _chargeur()
    apres = _premiere_fois(request.node.name, charger)
    assert Organisation.objects.filter(nom__startswith="Centre social").count() == 0
    assert instantanes._SUIVI.etat() is not None

    instantane(request.node.name, charger)

    assert appels == [1]
    assert _organisations() == apres
    assert instantanes._SUIVI.appliques == (request.node.name,)


def test_une_ecriture_avant_l_instantane_le_fait_verifier_par_la_base(request):
    charger, appels = _chargeur()
    apres = _premiere_fois(request.node.name, charger)
    Organisation.objects.create(type="autre", nom="Écrite par le test")  # another starting state
    assert instantanes._SUIVI.etat() is None

    instantane(request.node.name, charger)

    assert appels == [1, 1]  # the counts differ: the loader ran again
    assert len(_organisations()) == len(apres) + 1


def test_une_requete_qui_ecrit_est_vue_et_une_lecture_non():
    with connection.cursor() as curseur:
        curseur.execute("SELECT COUNT(*) FROM comptes_organisation")
        assert instantanes._SUIVI.etat() is not None
        curseur.execute(
            "  update comptes_organisation SET nom = nom WHERE id = %s", [0]
        )  # lower case, after spaces, no row
    assert instantanes._SUIVI.etat() is None


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY : PostgreSQL seulement")
def test_un_copy_est_vu_comme_une_ecriture():
    modele = Organisation.objects.create(type="autre", nom="Copiée")
    instantanes.debut_de_test(transactionnel=False)
    table = instantanes._tables()["comptes_organisation"]
    ligne = list(instantanes._lignes(table)[modele.pk])
    ligne[table.rang_cle] = modele.pk + 1000
    assert instantanes._SUIVI.etat() is not None
    with connection.cursor() as curseur:
        with curseur.copy(f"COPY {table.nom} ({', '.join(table.colonnes)}) FROM STDIN") as copie:
            copie.write_row(ligne)
    assert instantanes._SUIVI.etat() is None
    assert Organisation.objects.filter(nom="Copiée").count() == 2

"""The EPCI's diagnostic page computes its figures once per version of the data and choice of tab, map and year, the
same for every user; sorting and the user's conventions stay per request (the figures after an import:
``test_import_change_les_chiffres``)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ctg.diagnostic.calcul.observations import _memoire_des_donnees

pytestmark = pytest.mark.django_db
PAGE = "/diagnostic/epci/200068500/"


def lectures(client, **parametres):
    with CaptureQueriesContext(connection) as requetes:
        reponse = client.get(PAGE, parametres)
    assert reponse.status_code == 200
    return reponse.content.decode(), [q["sql"] for q in requetes]


def test_relue_sans_lire_les_donnees(client_connecte):
    premiere, requetes_premiere = lectures(client_connecte, indicateur="places_total")
    seconde, requetes_seconde = lectures(client_connecte, indicateur="places_total", tri="nom", ordre="asc")
    assert any("observation" in q or "valeurindicateur" in q for q in requetes_premiere)
    assert not any("observation" in q or "valeurindicateur" in q for q in requetes_seconde)
    assert len(requetes_seconde) < len(requetes_premiere)
    assert premiere.count("<tr") == seconde.count("<tr")  # the same rows, sorted otherwise


def test_un_parametre_inconnu_ne_remplit_pas_la_memoire(client_connecte):
    lectures(client_connecte)
    gardes = len(_memoire_des_donnees()["calculs"])
    for n in range(5):
        lectures(client_connecte, indicateur=f"inconnu-{n}", domaine=f"rien-{n}")
    assert len(_memoire_des_donnees()["calculs"]) == gardes

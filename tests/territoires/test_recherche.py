import pytest

from ctg.territoires.recherche import cle_recherche, mots, rechercher


def test_mots_sans_accents_ni_tirets():
    assert mots("Neuville-Saint-Rémy") == ["neuville", "saint", "remy"]
    assert mots("neuville st remy") == ["neuville", "saint", "remy"]
    assert mots("L'Abergement-Clémenciat") == ["l", "abergement", "clemenciat"]
    assert cle_recherche("Sainte-Marie") == " sainte marie "
    assert mots("ESCAUDŒUVRES") == mots("Escaudœuvres") == ["escaudoeuvres"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("texte", "attendu"),
    [
        ("neuville st remy", "59428"),
        ("Neuville-Saint-Rémy", "59428"),
        ("NEUVILLE SAINT REMY", "59428"),
        ("59122", "59122"),
        ("escaudoeuvres", "59206"),
    ],
)
def test_recherche_de_commune(texte, attendu):
    assert attendu in [c.code for c in rechercher(texte)["communes"]]


@pytest.mark.django_db
def test_recherche_par_nom_trouve_epci_et_commune():
    resultats = rechercher("Cambrai")
    assert "200068500" in [e.code for e in resultats["epci"]]
    assert resultats["communes"][0].code == "59122"  # the most populated first


@pytest.mark.django_db
def test_recherche_par_code_postal_siren_et_departement():
    assert "59122" in [c.code for c in rechercher("59400")["communes"]]
    assert [e.code for e in rechercher("200068500")["epci"]] == ["200068500"]
    assert [d.code for d in rechercher("2A")["departements"]] == ["2A"]
    assert [d.code for d in rechercher("corse du sud")["departements"]] == ["2A"]


@pytest.mark.django_db
def test_recherche_vide_ou_sans_resultat():
    assert rechercher("") == {"epci": [], "communes": [], "departements": []}
    assert rechercher("zzzzqqq") == {"epci": [], "communes": [], "departements": []}

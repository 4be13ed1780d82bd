import pytest

from ctg.documents import ElementListe, Fragment, Liste, Note, Paragraphe, Tableau, enrichi, texte_brut
from ctg.documents.modele import espaces_insecables


def test_enrichi_lit_le_gras_et_l_italique():
    assert enrichi("La Ctg **couvre** les *domaines* suivants") == [
        Fragment("La Ctg "),
        Fragment("couvre", gras=True),
        Fragment(" les "),
        Fragment("domaines", italique=True),
        Fragment(" suivants"),
    ]


def test_enrichi_sans_marque_donne_un_seul_fragment():
    assert enrichi("Ci-après dénommée « la Caf »;") == [Fragment("Ci-après dénommée « la Caf »;")]


def test_les_blocs_acceptent_une_chaine_ou_des_fragments():
    assert Paragraphe("un *mot*").fragments == [Fragment("un "), Fragment("mot", italique=True)]
    element = ElementListe([Fragment("texte"), Note("une note")], Liste([ElementListe("sous-point")]))
    assert texte_brut(element.fragments) == "texte"
    assert element.sous_liste.elements[0].fragments == [Fragment("sous-point")]


def test_un_tableau_refuse_une_ligne_de_la_mauvaise_largeur():
    with pytest.raises(ValueError, match="2 cellules pour 3 colonnes"):
        Tableau(["a", "b", "c"], [["1", "2"]])


def test_espaces_insecables_a_la_francaise():
    assert espaces_insecables("« la Caf » ; objectifs : oui ? non !") == (
        "«\u00a0la Caf\u00a0»\u00a0; objectifs\u00a0: oui\u00a0? non\u00a0!"
    )
    assert espaces_insecables("ID: 059") == "ID: 059"

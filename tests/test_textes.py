"""French text in every page: "de" elided before a vowel, one full stop at the end of a sentence, names in French
alphabetical order (``ctg.formats`` and the ``francais`` template filters)."""

import pytest
from django.template import Context, Template

from ctg.formats import cle_alphabetique, de, phrase, trier_par_nom


@pytest.mark.parametrize(
    "nom, attendu",
    [
        ("Cambrai", "de Cambrai"),
        ("Iwuy", "d'Iwuy"),
        ("Élincourt", "d'Élincourt"),
        ("Avesnes-les-Aubert", "d'Avesnes-les-Aubert"),
        ("Oisy-le-Verger", "d'Oisy-le-Verger"),
        ("Haucourt-en-Cambrésis", "de Haucourt-en-Cambrésis"),  # an "h" may be aspirated: never elided
        ("Yerres", "de Yerres"),  # "Y" kept as a consonant
        ("", "de "),
    ],
)
def test_de_elide_devant_une_voyelle(nom, attendu):
    assert de(nom) == attendu


@pytest.mark.parametrize(
    "texte, attendu",
    [
        ("tant qu'elle n'a pas adhéré.", "tant qu'elle n'a pas adhéré."),
        ("tant qu'elle n'a pas adhéré", "tant qu'elle n'a pas adhéré."),
        ("crèches, relais, etc.", "crèches, relais, etc."),
        ("vraiment ?", "vraiment ?"),
        ("et ensuite…", "et ensuite…"),
        ("", ""),
    ],
)
def test_une_phrase_finit_par_un_seul_point(texte, attendu):
    assert phrase(texte) == attendu


def test_les_noms_sont_dans_l_ordre_alphabetique_francais():
    noms = ["Wambaix", "Éleu-dit-Leauwette", "Estrun", "Eswars", "Écaillon", "Œuf-en-Ternois", "Liévin", "Lens"]
    assert sorted(noms, key=cle_alphabetique) == [
        "Écaillon",
        "Éleu-dit-Leauwette",
        "Estrun",
        "Eswars",
        "Lens",
        "Liévin",
        "Œuf-en-Ternois",
        "Wambaix",
    ]
    assert trier_par_nom([{"nom": "Éleu"}, {"nom": "Eleu"}, {"nom": "Avion"}], nom=lambda c: c["nom"]) == [
        {"nom": "Avion"},
        {"nom": "Eleu"},
        {"nom": "Éleu"},
    ]


def test_les_filtres_des_gabarits():
    gabarit = Template("{% load francais %}Adhésion {{ nom|de }} : {{ motif|phrase }}")
    rendu = gabarit.render(Context({"nom": "Iwuy", "motif": "n'a pas adhéré."}))
    assert rendu == "Adhésion d&#x27;Iwuy : n&#x27;a pas adhéré."

"""The fixed text of the convention, read from its Markdown files: every file reads into the document's blocks,
footnotes become notes, and a construct the document cannot print is refused with its file and line."""

import pytest

from ctg.conventions import texte_fixe
from ctg.documents import ElementListe, Liste, Paragraphe, Titre
from ctg.documents.modele import Note


def test_les_textes_de_la_convention_se_lisent_en_blocs():
    articles = texte_fixe.blocs("articles-1-a-9")
    titres = [b.texte for b in articles if isinstance(b, Titre)]
    assert len(titres) == 9 and titres[6] == "ARTICLE 7 – ECHANGES DE DONNEES"
    notes = [f for b in articles if isinstance(b, Paragraphe) for f in b.fragments if isinstance(f, Note)]
    assert [n.texte[:30] for n in notes] == ["Le montant de référence est ce"]  # article 5, in the paragraph
    engagements = next(b for b in articles if isinstance(b, Liste) and "double" not in str(b))
    assert isinstance(engagements.elements[0], ElementListe)
    assert texte_fixe.blocs("preambule-debut")[0] == Titre("Préambule")
    assert texte_fixe.blocs("preambule-fin")  # and each document gets its own copy
    assert texte_fixe.blocs("articles-1-a-9") is not texte_fixe.blocs("articles-1-a-9")


@pytest.mark.parametrize(
    "source",
    [
        "# Titre\n\n1. une liste numérotée\n",
        "Un paragraphe\n\n    du code\n",
        "| a | b |\n|---|---|\n| 1 | 2 |\n",
        "Voir [le site](https://exemple.fr).\n",
    ],
)
def test_une_construction_non_imprimable_est_refusee(tmp_path, monkeypatch, source):
    (tmp_path / "essai.md").write_text(source, encoding="utf-8")
    monkeypatch.setattr(texte_fixe, "DOSSIER", tmp_path)
    texte_fixe._lus.cache_clear()
    with pytest.raises(texte_fixe.TexteIllisible, match=r"textes/essai\.md, ligne \d+ : « \w+ » n'est pas pris"):
        texte_fixe.blocs("essai")
    texte_fixe._lus.cache_clear()

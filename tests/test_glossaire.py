"""The glossary: public, every term with its definition and its source, reachable from every page's footer."""

import pytest

from ctg.glossaire import TERMES
from tests.lecture import espaces_lus, texte_html

pytestmark = pytest.mark.django_db

ATTENDUS = {"CTG", "Caf", "EPCI", "CEJ", "PSU", "SPPE", "Bonus territoire", "EAJE", "ALSH", "LAEP", "RPE", "@ctes"}


def test_le_glossaire_se_lit_sans_compte_avec_chaque_terme_et_sa_source(client):
    reponse = client.get("/glossaire/")
    assert reponse.status_code == 200
    texte = texte_html(reponse.content.decode())
    noms = {t.terme for t in TERMES}
    assert ATTENDUS <= noms
    for t in TERMES:
        assert espaces_lus(t.definition) in texte and espaces_lus(f"Source : {t.source}") in texte, t.terme
        assert f'id="{t.ancre}"' in reponse.content.decode() and f'href="#{t.ancre}"' in reponse.content.decode()
    assert len({t.ancre for t in TERMES}) == len(TERMES)  # one anchor per term


def test_ordre_alphabetique_francais_et_lien_du_pied_de_page(client):
    termes = [t.terme for t in TERMES]
    assert termes.index("@ctes") < termes.index("Allocataires à bas revenus") < termes.index("ALSH")
    assert termes.index("EAJE") < termes.index("EPCI")
    page = client.get("/accessibilite/").content.decode()
    assert 'href="/glossaire/"' in page

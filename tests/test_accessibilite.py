"""Accessibility without a browser: every form control of every page a Caf adviser opens has an accessible name (RGAA
11.1, WCAG 1.3.1 / 4.1.2), read from the HTML with the standard-library parser; the accessibility statement is public
and linked from every page. The browser audit (axe-core, widths, focus) is tests/e2e/test_accessibilite.py."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from ctg import acces
from ctg.conventions.cycle import renouveler
from ctg.demo.comptes import creer_comptes_demo
from ctg.demo.plan import charger_demo_plan
from ctg.views import AUDIT_ACCESSIBILITE

from .test_acces import modules_perms, motifs, regles, url_de

pytestmark = pytest.mark.django_db

# Access categories of the pages that hold forms (ctg.acces), plus the sign-in page.
FORMULAIRES = {
    acces.PUBLIQUE,
    acces.CONTRIBUTION,
    acces.EDITION,
    acces.EDITION_BROUILLON,
    acces.EDITION_OU_REFERENT,
    acces.CREATION,
    acces.IMPORT_DONNEES,
}

# Controls that a person fills in or chooses (a button is named by its text or value).
CHAMPS = {"input", "select", "textarea"}
SANS_ETIQUETTE = {"hidden", "submit", "button", "reset", "image"}


class _Champs(HTMLParser):
    """The form controls of a page, each with what could name it, and every id of the page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.etiquettes_pour: set[str] = set()
        self.champs: list[dict] = []
        self._dans_etiquette = 0

    def handle_starttag(self, tag, attrs):
        attributs = dict(attrs)
        if attributs.get("id"):
            self.ids.add(attributs["id"])
        if tag == "label":
            if attributs.get("for"):
                self.etiquettes_pour.add(attributs["for"])
            else:
                self._dans_etiquette += 1
        elif tag in CHAMPS and (attributs.get("type") or "text").lower() not in SANS_ETIQUETTE:
            self.champs.append({**attributs, "balise": tag, "enveloppe": self._dans_etiquette > 0})

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag == "label" and self._dans_etiquette:
            self._dans_etiquette -= 1


def champs_sans_nom(html: str) -> list[str]:
    """The controls of ``html`` without a programmatic label: no ``<label for>``, no wrapping label, no non-empty
    ``aria-label``, no ``aria-labelledby`` whose ids all exist."""
    lecteur = _Champs()
    lecteur.feed(html)
    manquants = []
    for champ in lecteur.champs:
        reference = (champ.get("aria-labelledby") or "").split()
        if (
            (champ.get("id") and champ["id"] in lecteur.etiquettes_pour)
            or champ["enveloppe"]
            or (champ.get("aria-label") or "").strip()
            or (reference and all(i in lecteur.ids for i in reference))
        ):
            continue
        manquants.append(f"<{champ['balise']} name={champ.get('name')!r} id={champ.get('id')!r}>")
    return manquants


def test_le_lecteur_reconnait_les_champs_sans_nom():
    html = (
        '<label for="a">A</label><input id="a"><label>B <select name="b"></select></label>'
        '<input name="c" aria-label="C"><span id="t">T</span><input name="d" aria-labelledby="t">'
        '<input name="e"><input name="f" aria-labelledby="absent"><textarea name="g"></textarea>'
        '<input type="hidden" name="h"><input type="submit" value="OK"><label for="x">X</label><input id="y">'
    )
    assert champs_sans_nom(html) == [
        "<input name='e' id=None>",
        "<input name='f' id=None>",
        "<textarea name='g' id=None>",
        "<input name=None id='y'>",
    ]


def test_chaque_champ_de_chaque_page_a_un_nom(client, convention_cambrai):
    """Every form page of the permission walk, as the Caf adviser opens it (the demo convention in force, its plan, a
    fiche, a meeting…), plus the form of a draft convention with its signatories: no form control without a name."""
    creer_comptes_demo(convention_cambrai)
    charger_demo_plan(convention_cambrai)
    demo = get_user_model().objects.get(username="demo")
    brouillon = renouveler(convention_cambrai, par=demo)
    valeurs = {"format": "txt"}
    for module in modules_perms():
        if hasattr(module, "exemples_acces"):
            valeurs.update(module.exemples_acces(convention_cambrai))
    categories = regles()
    client.force_login(demo)
    urls = [f"/conventions/{brouillon.pk}/modifier/", f"/conventions/{brouillon.pk}/signer/"]
    # the pages of the categories that edit something, not their downloads ("rapport.<str:format>", ".xlsx"…)
    urls += [
        url_de(nom, motif, valeurs)
        for nom, motif in motifs()
        if categories.get(nom) in FORMULAIRES and "." not in str(motif.pattern).rsplit("/", 1)[-1]
    ]
    lues, manquants = 0, []
    for url in urls:
        reponse = client.get(url)
        if reponse.streaming:  # a download read through, as a WSGI server does (it closes its file)
            b"".join(reponse.streaming_content)
            continue
        if reponse.status_code != 200 or not reponse["Content-Type"].startswith("text/html"):
            continue
        lues += 1
        manquants += [f"{url} : {champ}" for champ in champs_sans_nom(reponse.content.decode())]
    assert not manquants, "Champs sans étiquette :\n" + "\n".join(manquants)
    assert lues >= 30  # the walk went through the forms


def test_formulaires_en_tableau_nommes_par_colonne_et_ligne(client, convention_cambrai):
    """In a table of a form, each cell's label says its column and its row: "Nom du signataire 2"."""
    creer_comptes_demo(convention_cambrai)
    demo = get_user_model().objects.get(username="demo")
    brouillon = renouveler(convention_cambrai, par=demo)
    fiche = charger_demo_plan(convention_cambrai)[0]
    client.force_login(demo)
    page = client.get(f"/conventions/{brouillon.pk}/modifier/").content.decode()
    assert '<label class="sr" for="id_signataires-1-nom">Nom du signataire 2</label>' in page
    assert "Retirer le signataire 1" in page
    page = client.get(f"/plan/conventions/{convention_cambrai.pk}/actions/{fiche.pk}/modifier/").content.decode()
    assert '<label class="sr" for="id_jalons-1-libelle">Jalon (jalon 2)</label>' in page
    assert '<label class="sr" for="id_financements-0-montant">Montant (€) (financement 1)</label>' in page


def test_declaration_d_accessibilite_publique_et_liee_de_chaque_page(client):
    page = client.get("/accessibilite/")
    assert page.status_code == 200  # without signing in
    texte = page.content.decode()
    assert "partiellement conforme" in texte and "Voies de recours" in texte and "Défenseur des droits" in texte
    assert texte.count("<li>") >= len(AUDIT_ACCESSIBILITE["pages"])
    connexion = client.get("/comptes/connexion/").content.decode()
    assert 'href="/accessibilite/">Accessibilité : partiellement conforme</a>' in connexion


def test_la_declaration_cite_l_outil_du_test_de_bout_en_bout():
    """The statement names the version of axe-core the end-to-end audit runs (tests/e2e/vendor/axe-core)."""
    axe = Path(__file__).parent / "e2e" / "vendor" / "axe-core" / "axe.min.js"
    with open(axe, encoding="utf-8") as fichier:
        version = re.match(r"/\*! axe v([\d.]+)", fichier.readline()).group(1)
    assert AUDIT_ACCESSIBILITE["outil"] == f"axe-core {version}"

"""The audit of the accessibility statement, replayed: axe-core (vendored, tests/e2e/vendor/axe-core) on the main pages
as the demo Caf adviser sees them, at 1,280 px and at 390 px (a phone): no serious or critical violation, and at
390 px no page that scrolls sideways. A screenshot of each page at each width goes to the captures folder."""

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from ctg.conventions.cycle import renouveler
from ctg.demo.comptes import MOT_DE_PASSE_DEMO, creer_comptes_demo
from ctg.demo.convention_cambrai import charger_convention_cambrai
from ctg.demo.financement import charger_demo_financement
from ctg.demo.plan import charger_demo_plan
from ctg.financement.baremes import semer_baremes
from ctg.gouvernance.regles import comite_de

from .visite import LARGEURS, violations_graves

pytestmark = [pytest.mark.navigateur, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"


def pages_auditees(convention, brouillon, fiche) -> list[tuple[str, str]]:
    """The pages of the audit (the accessibility statement lists the same), as (name of the capture, path)."""
    pk = convention.pk
    return [
        ("accueil", "/"),
        ("convention", f"/conventions/{pk}/"),
        ("convention-modifier", f"/conventions/{brouillon.pk}/modifier/"),
        ("adhesions", f"/conventions/{pk}/adhesions/"),
        ("diagnostic-epci", f"/diagnostic/epci/{convention.epci_id}/"),
        ("plan-actions", f"/plan/conventions/{pk}/actions/"),
        ("fiche-modifier", f"/plan/conventions/{pk}/actions/{fiche.pk}/modifier/"),
        ("comite", f"/gouvernance/conventions/{pk}/"),
        ("financement", f"/financement/conventions/{pk}/?annee=2024"),
        ("portefeuille", "/portefeuille/"),
        ("donnees", "/donnees/"),
        ("declaration-accessibilite", "/accessibilite/"),
    ]


def test_pages_principales_sans_violation_grave_ni_defilement_lateral(live_server, navigateur, captures):
    semer_baremes()
    convention = charger_convention_cambrai()
    creer_comptes_demo(convention)
    fiche = charger_demo_plan(convention)[0]
    charger_demo_financement(convention)
    comite_de(convention)
    # a renewal in draft: its signatories are edited in a table of the form
    brouillon = renouveler(convention, par=get_user_model().objects.get(username="demo"))

    # one context (one sign-in), axe-core loaded in every page (an inline script: the CSP is bypassed); each page is
    # loaded once and audited at each width (the media queries apply when the window is resized)
    (captures / "accessibilite").mkdir(exist_ok=True)
    contexte = navigateur.new_context(viewport={"width": LARGEURS[0], "height": 900}, locale="fr-FR", bypass_csp=True)
    try:
        contexte.add_init_script(path=str(AXE))
        page = contexte.new_page()
        page.goto(live_server.url + "/comptes/connexion/")
        page.get_by_label("Identifiant").fill("demo")
        page.get_by_label("Mot de passe").fill(MOT_DE_PASSE_DEMO)
        page.get_by_role("button", name="Se connecter").click()
        page.wait_for_url(live_server.url + "/")

        problemes = []
        for nom, chemin in pages_auditees(convention, brouillon, fiche):
            page.set_viewport_size({"width": LARGEURS[0], "height": 900})
            reponse = page.goto(live_server.url + chemin)
            assert reponse.ok, f"{chemin} : réponse {reponse.status}"
            if page.locator("#carte").count():
                page.wait_for_selector("#carte[data-pret], #carte.carte-erreur")
            for largeur in LARGEURS:
                page.set_viewport_size({"width": largeur, "height": 900})
                resultats = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
                problemes += [f"{chemin} à {largeur} px : {v}" for v in violations_graves(resultats)]
                if largeur < 800:
                    large, ecran = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
                    if large > ecran:
                        problemes.append(f"{chemin} à {largeur} px : la page défile de côté ({large} px de large)")
                # the whole page on the phone, the first screen on the computer (a full capture costs its time)
                page.screenshot(path=captures / "accessibilite" / f"{nom}-{largeur}.png", full_page=largeur < 800)
        assert not problemes, "\n".join(problemes)
    finally:
        contexte.close()

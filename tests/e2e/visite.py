"""One visit of a journey's page: load it (a path, an address or an action such as a click), then audit it with
axe-core (vendored, tests/e2e/vendor/axe-core): no serious or critical violation, no sideways scroll on a phone;
and a screenshot of it at 1,280 px and at 390 px in the journey's folder of the test artefacts (conftest.py)."""

from collections.abc import Callable
from pathlib import Path

AXE = (Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js").read_text(encoding="utf-8")
LARGEURS = (1280, 390)
HAUTEUR = 900
GRAVES = {"serious", "critical"}


def violations_graves(resultats: dict) -> list[str]:
    """axe-core's serious and critical violations, each with its rule, its help and (at most 5 of) its nodes."""
    return [
        f"{v['id']} ({v['impact']}) : {v['help']} — {len(v['nodes'])} élément(s) : "
        + " ; ".join(f"{' '.join(map(str, n['target']))} {n['html'][:120]}" for n in v["nodes"][:5])
        for v in resultats["violations"]
        if v["impact"] in GRAVES
    ]


def auditer(page) -> list[str]:
    """The page's serious or critical violations, axe-core loaded into it if it is not yet (a page's script is run by
    the browser's debugging protocol: the site's Content Security Policy stays in force for the page itself)."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE)
    return violations_graves(page.evaluate("() => axe.run(document, {resultTypes: ['violations']})"))


class Visites:
    """The visits of one journey: ``visiter(page, "/conventions/", "conventions")`` loads a path (of the live
    server), ``visiter(page, lambda: bouton.click(), "apres-envoi")`` runs an action that loads a page, and
    ``visiter(page, None, "nom")`` audits the page as it is (after an htmx exchange, say)."""

    def __init__(self, base_url: str, dossier: Path):
        self.base_url = base_url
        self.dossier = dossier
        self.numero = 0

    def __call__(self, page, url_ou_action: str | Callable | None, nom: str):
        if isinstance(url_ou_action, str):
            adresse = url_ou_action if "://" in url_ou_action else self.base_url + url_ou_action
            reponse = page.goto(adresse)
            assert reponse is not None and reponse.ok, f"{adresse} : réponse {reponse and reponse.status}"
        elif url_ou_action is not None:
            url_ou_action()
        page.wait_for_load_state()
        if page.locator("#carte").count():  # a map: audited once Leaflet has drawn it (or said it could not)
            page.wait_for_selector("#carte[data-pret], #carte.carte-erreur")
        self.numero += 1
        chemin = page.url.removeprefix(self.base_url)
        problemes = [f"{chemin} ({nom}) : {v}" for v in auditer(page)]
        prefixe = self.dossier / f"{self.numero:02d}-{nom}"
        page.set_viewport_size({"width": LARGEURS[0], "height": HAUTEUR})
        page.screenshot(path=f"{prefixe}-{LARGEURS[0]}.png")
        page.set_viewport_size({"width": LARGEURS[1], "height": HAUTEUR})
        try:
            large, ecran = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
            if large > ecran:
                problemes.append(f"{chemin} ({nom}) à {LARGEURS[1]} px : la page défile de côté ({large} px de large)")
            page.screenshot(path=f"{prefixe}-{LARGEURS[1]}.png", full_page=True)
        finally:
            page.set_viewport_size({"width": LARGEURS[0], "height": HAUTEUR})
        assert not problemes, "axe-core et affichage sur téléphone :\n" + "\n".join(problemes)
        return page


def connecter(page, base_url: str, user) -> None:
    """Signs ``user`` in without going through the sign-in page (audited in the Caf adviser's journey): the session
    cookie of Django's test client, given to the browser."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    cookie = client.cookies["sessionid"]
    page.context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": base_url}])

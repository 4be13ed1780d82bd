"""The pages of the load test, with their weights: read by the locust scenario (``charge_locust.py``) and by the
measure of the work per page (``bench_pages.py``), so that both describe the same mix."""

from __future__ import annotations


def pages(convention: str | int, epci: str) -> list[tuple[str, str, int]]:
    """The pages every role reads: (address, stable name for the figures, weight: how often a user opens it)."""
    c = convention
    return [
        ("/", "accueil", 3),
        ("/conventions/", "liste des conventions", 2),
        (f"/conventions/{c}/", "tableau de la convention", 4),
        (f"/conventions/{c}/adhesions/", "adhésions", 1),
        (f"/diagnostic/conventions/{c}/", "diagnostic partagé", 2),
        (f"/diagnostic/epci/{epci}/", "diagnostic de l'EPCI", 2),
        (f"/territoires/epci/{epci}/", "page de l'EPCI", 1),
        (f"/plan/conventions/{c}/", "plan d'action", 2),
        (f"/plan/conventions/{c}/actions/", "fiches action", 1),
        (f"/plan/conventions/{c}/tableau-de-bord/", "tableau de bord du plan", 1),
        (f"/gouvernance/conventions/{c}/", "comité de pilotage", 2),
        (f"/financement/conventions/{c}/", "financement", 2),
        (f"/financement/conventions/{c}/pluriannuel/", "financement pluriannuel", 1),
    ]

"""What the other apps add to a convention's dashboard and deadlines.

Each app may have a ``tableau`` module (``ctg.plan.tableau``, ``ctg.gouvernance.tableau``…) defining any of:

- ``alertes(convention) -> list[str]``: warnings shown at the top of the dashboard (parity broken, funding short…);
- ``liens(convention) -> list[tuple[str, str]]``: (label, url) buttons of the dashboard;
- ``echeances(convention, aujourd_hui) -> list[Echeance]``: deadlines added to the dashboard and ``ctg echeances``;
- ``dates_reunions_tenues(convention) -> list[date]``: the comité de pilotage meetings held (semester rule);
- ``renouvellement(ancienne, nouvelle) -> list[str]``: what the app copies, explicitly, into a renewal (in the
  renewal's transaction), described in words.
"""

from __future__ import annotations

import functools
import importlib

from django.apps import apps


@functools.cache
def modules_tableau() -> tuple:
    """The apps' ``tableau`` modules, looked up once (the dashboard asks several times per page)."""
    modules = []
    for app in apps.get_app_configs():
        if app.name.startswith("ctg.") and app.name != "ctg.conventions":
            try:
                modules.append(importlib.import_module(f"{app.name}.tableau"))
            except ModuleNotFoundError as exc:
                if exc.name != f"{app.name}.tableau":
                    raise
    return tuple(modules)


def collecter(fonction: str, *args) -> list:
    resultats = []
    for module in modules_tableau():
        if hasattr(module, fonction):
            resultats.extend(getattr(module, fonction)(*args))
    return resultats

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

from ctg.extensions import modules_des_applications


def modules_tableau() -> tuple:
    return modules_des_applications("tableau", sauf="ctg.conventions")


def collecter(fonction: str, *args) -> list:
    resultats = []
    for module in modules_tableau():
        if hasattr(module, fonction):
            resultats.extend(getattr(module, fonction)(*args))
    return resultats

"""What the other apps add to the territories' pages, without this app importing them: it is the lowest layer of
the product (``[tool.importlinter]`` in pyproject.toml), every other app builds on it.

Each app may have a ``territoire`` module (``ctg.conventions.territoire``…) defining any of:

- ``conventions(user, epcis) -> dict[str, list]``: per EPCI code, the conventions of these EPCI that ``user`` may open
  (the others are not even mentioned: article 14);
- ``peut_creer_convention(user, epci) -> bool``: ``user`` may set up a convention for ``epci``.
"""

from __future__ import annotations

from ctg.extensions import modules_des_applications


def modules_territoire() -> tuple:
    return modules_des_applications("territoire", sauf="ctg.territoires")


def conventions(user, epcis) -> dict[str, list]:
    """Per EPCI code (every one of ``epcis``), the conventions ``user`` may open, as the apps give them."""
    par_epci: dict[str, list] = {e.code: [] for e in epcis}
    for module in modules_territoire():
        if hasattr(module, "conventions"):
            for code, liste in module.conventions(user, epcis).items():
                par_epci.setdefault(code, []).extend(liste)
    return par_epci


def peut_creer_convention(user, epci) -> bool:
    return any(
        module.peut_creer_convention(user, epci)
        for module in modules_territoire()
        if hasattr(module, "peut_creer_convention")
    )

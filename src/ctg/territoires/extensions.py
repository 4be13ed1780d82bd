"""What the other apps add to the territories' pages, without this app importing them: it is the lowest layer of
the product (``[tool.importlinter]`` in pyproject.toml), every other app builds on it.

Each app may have a ``territoire`` module (``ctg.conventions.territoire``…) defining any of:

- ``conventions(user, epcis) -> dict[str, list]``: per EPCI code, the conventions of these EPCI that ``user`` may open
  (the others are not even mentioned: article 14);
- ``peut_creer_convention(user, epci) -> bool``: ``user`` may set up a convention for ``epci``.
"""

from __future__ import annotations

import functools
import importlib

from django.apps import apps


@functools.cache
def modules_territoire() -> tuple:
    """The apps' ``territoire`` modules, looked up once."""
    modules = []
    for app in apps.get_app_configs():
        if app.name.startswith("ctg.") and app.name != "ctg.territoires":
            try:
                modules.append(importlib.import_module(f"{app.name}.territoire"))
            except ModuleNotFoundError as exc:
                if exc.name != f"{app.name}.territoire":
                    raise
    return tuple(modules)


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

"""Extension points: a lower app shows what higher apps add to its pages without importing them (the floors of
``[tool.importlinter]`` in pyproject.toml). Each app may have a module of an agreed name (``tableau`` for a
convention's dashboard, ``territoire`` for the territories' pages); the lower app asks for all of them here."""

from __future__ import annotations

import functools
import importlib

from django.apps import apps


@functools.cache
def modules_des_applications(nom: str, sauf: str = "") -> tuple:
    """The ``ctg.<app>.<nom>`` modules of the product's apps (but ``sauf``, the asking app), looked up once."""
    modules = []
    for app in apps.get_app_configs():
        if app.name.startswith("ctg.") and app.name != sauf:
            try:
                modules.append(importlib.import_module(f"{app.name}.{nom}"))
            except ModuleNotFoundError as exc:
                if exc.name != f"{app.name}.{nom}":
                    raise
    return tuple(modules)

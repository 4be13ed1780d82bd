"""The ``ctg`` console command: ``ctg <name> …`` runs the management command ``<name>``."""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ctg.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(["ctg", *(sys.argv[1:] if argv is None else argv)])
    except ImproperlyConfigured as exc:  # a bad setting: its message says which and what to do, no traceback
        sys.exit(f"CTG ne peut pas démarrer : {exc}")


if __name__ == "__main__":
    main()

"""The one place that tells "today" and "now" to every rule, page, command and document of CTG.

Nothing else in the product calls ``date.today()``, ``datetime.now()`` or ``timezone.now()``: the tests pin
this clock (``time-machine``) and the suite passes whatever the machine's date.
"""

from datetime import date, datetime

from django.utils import timezone


def maintenant() -> datetime:
    """The current instant (aware, UTC)."""
    return timezone.now()


def aujourd_hui() -> date:
    """Today's date in the product's time zone (Europe/Paris): the date every rule reasons on."""
    return timezone.localdate(maintenant())

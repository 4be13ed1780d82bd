from django import template

from ..textes import euros as _euros
from ..textes import nombre as _nombre

register = template.Library()


@register.filter
def euros(valeur):
    """``Decimal("12345.6")`` → "12 345,60 €"; None → "—"."""
    return _euros(valeur)


@register.filter
def nombre(valeur):
    return "—" if valeur is None else _nombre(valeur)


@register.filter
def negatif(valeur):
    return valeur is not None and valeur < 0

from django import template

from ..perms import peut_voir_portefeuille

register = template.Library()


@register.filter
def voit_le_portefeuille(user) -> bool:
    """The menu's entry: a Caf's staff or a national administrator."""
    return peut_voir_portefeuille(user)

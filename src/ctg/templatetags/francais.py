"""French text in every template: ``{% load francais %}``, then ``{{ commune.nom|de }}`` ("de Cambrai", "d'Iwuy")
and ``{{ motif|phrase }}`` (one full stop at the end, never two). The rules live in ``ctg.formats``, shared with
the documents and the messages."""

from django import template

from ctg import formats

register = template.Library()


@register.filter
def de(nom):
    """The word "de" before the name, elided before a vowel: ``{{ commune.nom|de }}`` → "de Cambrai", "d'Iwuy"."""
    return formats.de(nom)


@register.filter
def phrase(texte):
    """The text with one final full stop: "… adhéré." is left as it is."""
    return formats.phrase(texte)

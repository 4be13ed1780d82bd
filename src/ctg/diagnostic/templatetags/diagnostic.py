from django import template
from django.utils.html import format_html

from ctg.diagnostic import presentation
from ctg.diagnostic.models import Etat

register = template.Library()


@register.simple_tag
def texte_valeur(resultat, indicateur):
    """The figure as the pages show it; a partial one says, on hover, what its sum covers."""
    texte = presentation.texte_valeur(resultat, indicateur)
    if resultat is not None and resultat.etat == Etat.PARTIEL and resultat.valeur is not None:
        return format_html('<span title="{}">{}</span>', resultat.etat_libelle, texte)
    return texte


@register.simple_tag
def texte_sources(resultat):
    return presentation.texte_sources(resultat)

from django import template

from ctg.diagnostic import presentation

register = template.Library()


@register.simple_tag
def texte_valeur(resultat, indicateur):
    return presentation.texte_valeur(resultat, indicateur)


@register.simple_tag
def texte_sources(resultat):
    return presentation.texte_sources(resultat)

"""``{% bandeau_confidentiel objet %}``: the banner of a working document's page (article 14)."""

from django import template

from ctg.documents.confidentialite import MENTION_CONFIDENTIELLE, est_document_de_travail

register = template.Library()


@register.inclusion_tag("documents/bandeau_confidentiel.html")
def bandeau_confidentiel(objet):
    return {"confidentiel": est_document_de_travail(objet), "mention": MENTION_CONFIDENTIELLE}

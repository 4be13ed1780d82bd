"""``{% liens_export "app:nom" arg… %}``: the "Exporter : XLSX · CSV" links of a table (the URL takes ``format`` last).

An optional ``parametres="a=1&b=2"`` keyword carries the page's filters to the export; an optional ``libelle``
replaces "Exporter" (a second, wider export of the same table: « Exporter toutes les colonnes »)."""

from django import template
from django.urls import reverse
from django.utils.html import format_html

from ctg.documents.tableurs import FORMATS_TABLEUR

register = template.Library()


@register.simple_tag
def liens_export(nom, *args, parametres="", libelle="Exporter"):
    suffixe = f"?{parametres}" if parametres else ""
    liens = [
        format_html('<a href="{}{}">{}</a>', reverse(nom, args=[*args, format]), suffixe, format.upper())
        for format in FORMATS_TABLEUR
    ]
    return format_html('<span class="exports">{} : {} · {}</span>', libelle, *liens)

"""The pages of the rgpd application: data-exchange requests and registers (article 7, ``urls_echanges``), people's
rights and the product's own data (``urls_personnes``)."""

from . import urls_echanges, urls_personnes

app_name = "rgpd"
urlpatterns = urls_echanges.urlpatterns + urls_personnes.urlpatterns

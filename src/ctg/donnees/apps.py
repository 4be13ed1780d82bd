from django.apps import AppConfig


class DonneesConfig(AppConfig):
    name = "ctg.donnees"
    verbose_name = "Données ouvertes"

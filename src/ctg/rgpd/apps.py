from django.apps import AppConfig


class RgpdConfig(AppConfig):
    name = "ctg.rgpd"
    verbose_name = "Données personnelles, échanges de données et communication (articles 7, 8 et 14)"

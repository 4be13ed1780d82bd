from django.apps import AppConfig


class TerritoiresConfig(AppConfig):
    name = "ctg.territoires"
    verbose_name = "Territoires"

from django.apps import AppConfig


class TachesConfig(AppConfig):
    name = "ctg.taches"
    verbose_name = "Travaux en arrière-plan"

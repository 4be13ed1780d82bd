from django.apps import AppConfig


class FinancementConfig(AppConfig):
    name = "ctg.financement"
    verbose_name = "Financement : Cej et bonus territoire"

    def ready(self):
        from ctg.generations.partages import suivre_partage

        from .models import Bareme, RichesseCommune

        # the national scales and the communes' wealth: the financing computed for a convention reads them
        suivre_partage(Bareme, RichesseCommune)

from django.apps import AppConfig


class FinancementConfig(AppConfig):
    name = "ctg.financement"
    verbose_name = "Financement : Cej et bonus territoire"

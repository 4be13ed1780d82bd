from django.apps import AppConfig


class ComptesConfig(AppConfig):
    name = "ctg.comptes"
    verbose_name = "Comptes et organisations"

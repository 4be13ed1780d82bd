from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "ctg.api"
    verbose_name = "Interface de programmation (API JSON)"

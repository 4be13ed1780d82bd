from django.apps import AppConfig


class GenerationsConfig(AppConfig):
    name = "ctg.generations"
    verbose_name = "Générations des données des conventions"

    def ready(self):
        from .signaux import brancher

        brancher()

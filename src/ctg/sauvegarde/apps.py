from django.apps import AppConfig


class SauvegardeConfig(AppConfig):
    name = "ctg.sauvegarde"
    verbose_name = "Sauvegarde et restauration d'une convention"

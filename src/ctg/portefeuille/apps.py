from django.apps import AppConfig


class PortefeuilleConfig(AppConfig):
    name = "ctg.portefeuille"
    verbose_name = "Portefeuille des CTG d'une Caf"

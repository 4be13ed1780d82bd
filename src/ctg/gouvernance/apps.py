from django.apps import AppConfig


class GouvernanceConfig(AppConfig):
    name = "ctg.gouvernance"
    verbose_name = "Comité de pilotage"

from django.apps import AppConfig


class PlanConfig(AppConfig):
    name = "ctg.plan"
    verbose_name = "Plan d'actions et évaluation"

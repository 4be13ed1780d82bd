from django.apps import AppConfig
from django.db.models.signals import post_save


def _plan_de_la_nouvelle_convention(sender, instance, created, raw=False, **kwargs):
    """Every convention has its plan from its creation, with its objectives tree (so no page writes on read)."""
    if created and not raw:
        from .cycle import plan_de

        plan_de(instance)


class PlanConfig(AppConfig):
    name = "ctg.plan"
    verbose_name = "Plan d'actions et évaluation"

    def ready(self):
        post_save.connect(
            _plan_de_la_nouvelle_convention,
            sender="conventions.Convention",
            dispatch_uid="plan_de_la_nouvelle_convention",
        )

"""``ctg actualiser``: the daily update of the conventions' status (to run every day, e.g. from cron)."""

from django.core.management.base import BaseCommand

from ctg import audit, horloge
from ctg.conventions.cycle import actualiser_toutes
from ctg.extensions import modules_des_applications


class Command(BaseCommand):
    help = (
        "Applique les changements de statut que le calendrier apporte aux conventions (entrée en vigueur à la "
        "date de début, fin après la date de fin, résiliation à sa date d'effet). Sans effet si tout est à jour : "
        "à lancer chaque jour (cron : 5 0 * * * ctg actualiser)."
    )

    def handle(self, *args, **options):
        with audit.par_commande("actualiser"):
            faites = actualiser_toutes()
            # the daily work of the other apps (a ``quotidien`` module with ``actualiser() -> list[str]``)
            for module in modules_des_applications("quotidien", sauf="ctg.conventions"):
                for ligne in module.actualiser():
                    self.stdout.write(ligne)
        jour = horloge.aujourd_hui()
        if not faites:
            self.stdout.write(f"Aucune convention à mettre à jour au {jour:%d/%m/%Y}.")
            return
        for transition in faites:
            self.stdout.write(
                f"  n° {transition.convention_id} {transition.convention} : {transition.get_de_display()} → "
                f"{transition.get_vers_display()} ({transition.date_effet:%d/%m/%Y})"
            )
        nombre = len(faites)
        self.stdout.write(
            self.style.SUCCESS(
                f"{nombre} transition{'s' if nombre > 1 else ''} enregistrée{'s' if nombre > 1 else ''}."
            )
        )

import json

from django.core.management.base import BaseCommand

from ctg.conventions.echeances import echeances
from ctg.conventions.selection import trouver_convention

from .convention_terminer import date_iso


class Command(BaseCommand):
    help = "Affiche les échéances d'une convention : faites, en retard, à faire bientôt, à venir."

    def add_arguments(self, parser):
        parser.add_argument("convention", help="identifiant @ctes ou numéro interne de la convention")
        parser.add_argument("--date", help="date du jour à considérer (AAAA-MM-JJ), aujourd'hui par défaut")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **options):
        convention = trouver_convention(options["convention"])
        jour = date_iso(options["date"]) if options["date"] else None
        liste = echeances(convention, jour)
        if options["json"]:
            self.stdout.write(
                json.dumps(
                    {
                        "convention": convention.pk,
                        "ctes_identifiant": convention.ctes_identifiant,
                        "statut": convention.statut_du_jour,
                        "echeances": [e.as_dict() for e in liste],
                    },
                    ensure_ascii=False,
                    indent=2,
                )
            )
            return
        self.stdout.write(f"{convention} — {convention.libelle_statut_du_jour}")
        for e in liste:
            detail = f" ({e.detail})" if e.detail else ""
            self.stdout.write(f"  {e.date:%d/%m/%Y}  {e.etat_libelle:<17} {e.libelle}{detail}")

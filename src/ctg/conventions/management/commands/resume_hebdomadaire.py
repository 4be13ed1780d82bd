"""``ctg resume_hebdomadaire``: the weekly e-mail digest of deadlines (to run every Monday, e.g. from cron)."""

from django.core.management.base import BaseCommand, CommandError

from ctg import horloge
from ctg.conventions.resume import EnvoiInterrompu, envoyer_resumes


class Command(BaseCommand):
    help = (
        "Envoie à chaque personne ayant un rôle sur une convention en cours les échéances en retard ou à faire "
        "bientôt, un courriel par personne (rien à qui n'a aucune échéance à signaler ou a refusé le résumé). "
        "À lancer chaque lundi (cron : 0 7 * * 1 ctg resume_hebdomadaire)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--essai", action="store_true", help="n'envoie rien : affiche à qui partirait quel message")

    def handle(self, *args, **options):
        jour = horloge.aujourd_hui()
        try:
            bilan = envoyer_resumes(jour, essai=options["essai"], sortie=self.stdout)
        except EnvoiInterrompu as exc:
            raise CommandError(str(exc)) from exc
        if options["essai"]:
            self.stdout.write(f"Essai au {jour:%d/%m/%Y} : aucun courriel envoyé.")
            return
        nombre = len(bilan.envoyes)
        self.stdout.write(
            self.style.SUCCESS(
                f"Résumé du {jour:%d/%m/%Y} envoyé à {nombre} personne{'s' if nombre > 1 else ''} ; "
                f"{bilan.sans_echeance} sans échéance à signaler."
            )
        )

"""``ctg anonymiser IDENTIFIANT [--dry-run]``: erase a person while keeping the history of decisions."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from ctg import audit
from ctg.rgpd.personnes import anonymiser, pseudonyme


class Command(BaseCommand):
    help = (
        "Anonymise une personne (droit à l'effacement, RGPD art. 17) en gardant l'historique des décisions : son "
        "nom devient « Personne anonymisée n° X » et son adresse électronique est effacée partout (compte, "
        "membres du comité, signataires, invitations, textes qui la nomment, et leur historique) ; les faits et "
        "les dates restent. Le compte est désactivé. --dry-run liste ce qui changerait sans rien écrire."
    )

    def add_arguments(self, parser):
        parser.add_argument("identifiant", help="identifiant de connexion de la personne")
        parser.add_argument("--dry-run", action="store_true", help="lister ce qui changerait, sans rien écrire")

    def handle(self, *args, identifiant, dry_run, **options):
        user = get_user_model().objects.filter(username=identifiant).first()
        if user is None:
            raise CommandError(f"Aucun compte d'identifiant « {identifiant} ».")
        if user.is_superuser:
            raise CommandError("Un compte d'administration ne s'anonymise pas : retirez-lui d'abord ce statut.")
        with audit.par_commande("anonymiser"):
            resultat = anonymiser(user, essai=dry_run)
        for changement in resultat.changements:
            self.stdout.write(f"  {changement}")
        nombre = len(resultat.changements)
        if dry_run:
            self.stdout.write(f"Essai : {nombre} valeur{'s' if nombre > 1 else ''} à remplacer ; rien n'est écrit.")
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"{identifiant} devient « {pseudonyme(user)} » : {nombre} valeur{'s' if nombre > 1 else ''} "
                    "remplacée" + ("s." if nombre > 1 else ".")
                )
            )

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ctg import audit, horloge
from ctg.conventions.selection import trouver_convention
from ctg.gouvernance.ics import calendrier_annuel
from ctg.gouvernance.models import Reunion


class Command(BaseCommand):
    help = (
        "Écrit le calendrier annuel des réunions du comité de pilotage d'une convention au format iCalendar (.ics), "
        "à importer dans un agenda."
    )

    def add_arguments(self, parser):
        parser.add_argument("convention", help="identifiant @ctes ou numéro interne de la convention")
        parser.add_argument("--output", "-o", required=True, help="fichier .ics à écrire (« - » : sortie standard)")
        parser.add_argument("--annee", type=int, help="année du calendrier, l'année en cours par défaut")

    def handle(self, *args, convention, output, annee, **options):
        objet = trouver_convention(convention)
        annee = annee or horloge.aujourd_hui().year
        if not 1900 < annee < 2200:
            raise CommandError(f"Année invalide : {annee}.")
        with audit.par_commande("copil_calendrier"):  # reads only; any write would be recorded as this command's
            contenu = calendrier_annuel(objet, annee)
            nombre = Reunion.objects.filter(comite__convention=objet, date__year=annee).count()
        if output == "-":
            self.stdout.write(contenu.decode("utf-8"), ending="")
            return
        chemin = Path(output)
        if not chemin.parent.exists():
            raise CommandError(f"Le dossier « {chemin.parent} » n'existe pas.")
        chemin.write_bytes(contenu)
        self.stdout.write(
            f"{nombre} réunion{'s' if nombre > 1 else ''} en {annee} écrite{'s' if nombre > 1 else ''} dans {chemin}."
        )

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from ctg import audit
from ctg.conventions.selection import trouver_convention
from ctg.financement.importation import importer


class Command(BaseCommand):
    help = (
        "Importe les financements constatés des communes (XLSX ou CSV, colonnes du modèle exporté) dans une "
        "convention : tout est vérifié d'abord, rien n'est écrit s'il y a une erreur. Les changements sont "
        "enregistrés dans l'historique au nom de la personne indiquée (--par), sinon du compte système."
    )

    def add_arguments(self, parser):
        parser.add_argument("convention", help="identifiant @ctes ou numéro interne de la convention")
        parser.add_argument("fichier", help="fichier .xlsx ou .csv")
        parser.add_argument("--par", help="identifiant de la personne pour qui l'import est fait")
        parser.add_argument("--essai", action="store_true", help="vérifie et compte sans rien enregistrer")

    def handle(self, *args, convention, fichier, par=None, essai=False, **options):
        convention = trouver_convention(convention)
        chemin = Path(fichier)
        if not chemin.is_file():
            raise CommandError(f"Fichier introuvable : {chemin}.")
        personne = None
        if par:
            personne = get_user_model().objects.filter(username=par).first()
            if personne is None:
                raise CommandError(f"Aucun compte d'identifiant « {par} ».")
        try:
            with audit.par_commande("importer_financements", user=personne), chemin.open("rb") as contenu:
                resultat = importer(convention, chemin.name, contenu, par=personne, essai=essai)
        except OSError as exc:
            raise CommandError(f"Fichier illisible : {chemin} ({exc.strerror or exc}).") from exc
        if resultat.erreurs:
            raise CommandError(
                "Import refusé, rien n'a été enregistré :\n" + "\n".join(f"  {e}" for e in resultat.erreurs)
            )
        self.stdout.write(f"{convention} — import de « {chemin.name} » : {resultat.bilan}")

import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ctg.territoires.importation import ErreurImport, importer

LIBELLES = {"regions": "Régions", "departements": "Départements", "epci": "EPCI", "communes": "Communes"}


class Command(BaseCommand):
    # The import reads files and writes the territories tables only: Django's system checks (URLs, templates, admin:
    # about a second, more than writing the 35,000 communes) are for ``ctg check`` and the server, not for it.
    requires_system_checks = []
    help = (
        "Importe les régions, départements, EPCI et communes (avec leurs contours) depuis l'instantané "
        "data/territoires/ ou un autre dossier au même format. Idempotent et transactionnel."
    )

    def add_arguments(self, parser):
        parser.add_argument("--source", type=Path, default=None, help="dossier source (défaut : data/territoires/)")
        parser.add_argument("--dry-run", action="store_true", help="calcule les changements sans rien écrire")

    def handle(self, *args, source=None, dry_run=False, **options):
        dossier = source or settings.CTG_TERRITOIRES_DIR
        debut = time.perf_counter()
        progression = options["verbosity"] >= 1
        try:
            bilan = importer(dossier, simulation=dry_run, progression=progression)
        except ErreurImport as exc:
            message = "\n".join(f"  - {e}" for e in exc.erreurs)
            raise CommandError(
                f"Import refusé, rien n'a été modifié ({len(exc.erreurs)} erreur(s)) :\n{message}"
            ) from exc
        duree = time.perf_counter() - debut
        entete = "Simulation (--dry-run), rien n'a été écrit" if dry_run else "Import terminé"
        self.stdout.write(f"{entete} en {duree:.1f} s depuis {dossier}")
        for cle, libelle in LIBELLES.items():
            c = getattr(bilan, cle)
            self.stdout.write(
                f"  {libelle:<13} {c.crees:>6} créé(s), {c.modifies:>6} modifié(s), "
                f"{c.inchanges:>6} inchangé(s), {c.supprimes:>6} supprimé(s)"
            )
        self.stdout.write(f"  Communes ayant changé d'EPCI : {bilan.communes_deplacees}")
        self.stdout.write(
            f"  Contours d'EPCI et de départements mis à jour : {bilan.contours_recalcules} "
            f"(dont {bilan.contours_calcules} calculé(s) à l'import, les autres précalculés dans la source)"
        )

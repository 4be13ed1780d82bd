import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ctg.donnees import telechargement
from ctg.donnees.formats import DATASETS_OPENDATASOFT
from ctg.donnees.importation import ErreurImport, importer_fichier

from .import_donnees import ecrire_bilan, erreur_commande


class Command(BaseCommand):
    help = (
        "Télécharge un jeu de données de data.caf.fr (API Opendatasoft v2.1) en CSV « ; » : le fichier complet, ou "
        "un seul territoire (--territoire : commune, EPCI, département ; un EPCI dans un jeu communal donne ses "
        "communes). Avec --importer, importe ensuite le fichier."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dataset", required=True, help=f"identifiant du jeu sur data.caf.fr : {', '.join(DATASETS_OPENDATASOFT)}"
        )
        parser.add_argument("--territoire", default=None, help="code Insee de commune, SIREN d'EPCI, département ou FR")
        parser.add_argument("--sortie", type=Path, default=None, help="fichier à écrire (défaut : DATASET[_CODE].csv)")
        parser.add_argument("--importer", action="store_true", help="importe le fichier une fois téléchargé")

    def handle(self, *args, dataset, territoire=None, sortie=None, importer=False, **options):
        progression = options["verbosity"] >= 1
        debut = time.perf_counter()
        try:
            resultat = telechargement.telecharger(
                dataset,
                territoire=territoire,
                sortie=sortie,
                client=telechargement.client_par_defaut(),
                progression=progression,
            )
        except telechargement.ErreurTelechargement as exc:
            raise CommandError(f"Téléchargement impossible : {exc}") from exc
        self.stdout.write(
            f"Téléchargé en {time.perf_counter() - debut:.1f} s : {resultat.lignes} ligne(s) de {dataset} "
            f"→ {resultat.chemin}"
        )
        self.stdout.write(f"  Source : {resultat.url}")
        if not importer:
            return
        debut = time.perf_counter()
        try:
            bilan = importer_fichier(resultat.chemin, dataset=dataset, source_url=resultat.url, progression=progression)
        except ErreurImport as exc:
            raise erreur_commande(exc, f"Fichier téléchargé ({resultat.chemin}) mais ") from exc
        ecrire_bilan(self, bilan, time.perf_counter() - debut)

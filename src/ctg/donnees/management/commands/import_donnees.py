import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ctg.donnees.importation import ErreurImport, importer_fichier


def ecrire_bilan(commande: BaseCommand, bilan, duree: float) -> None:
    if bilan.deja_importe:
        commande.stdout.write(bilan.resume()[0])
        return
    if bilan.simulation:
        entete = f"Simulation (--dry-run), rien n'a été écrit ({duree:.1f} s) : {bilan.fichier}"
    else:
        entete = f"Import terminé en {duree:.1f} s : {bilan.fichier}"
    commande.stdout.write(entete)
    for ligne in bilan.resume():
        commande.stdout.write(f"  {ligne}")


def erreur_commande(exc: ErreurImport, prefixe: str = "") -> CommandError:
    message = "\n".join(f"  - {ligne}" for ligne in exc.lignes())
    return CommandError(f"{prefixe}Import refusé, rien n'a été écrit ({exc.total} erreur(s)) :\n{message}")


class Command(BaseCommand):
    help = (
        "Importe un fichier de données ouvertes : data.caf.fr (txcouv_pe_*, nbpla_pe_*, s_ben_com_f, entier ou "
        "extrait select=, avec noms de colonnes ou libellés), Bas_revenu_Com_AAAA.csv (tous millésimes), Insee par "
        "commune (CODGEO, P21_…, C21_…) ou par IRIS (IRIS, COM : additionnés par commune) ou iris_pop. Le format "
        "est reconnu d'après l'en-tête. Les arrondissements de Paris, Lyon et Marseille sont additionnés dans leur "
        "ville. Tout le fichier est vérifié avant d'écrire, en une transaction ; le même fichier importé deux fois "
        "ne change rien."
    )

    def add_arguments(self, parser):
        parser.add_argument("fichier", type=Path, help="fichier CSV à importer")
        parser.add_argument(
            "--dataset",
            default=None,
            help="impose le format quand l'en-tête est ambigu (ex. txcouv_pe_epci, insee_fam, txcouv_pe)",
        )
        parser.add_argument("--dry-run", action="store_true", help="vérifie et calcule le bilan sans rien écrire")
        parser.add_argument(
            "--demonstration", action="store_true", help="marque le fichier comme données de démonstration (fictives)"
        )
        parser.add_argument("--source-url", default="", help="adresse d'où vient le fichier (provenance)")
        parser.add_argument(
            "--ignorer-inconnus",
            action="store_true",
            help="écarte (et compte) les codes de territoire absents du référentiel au lieu de refuser le fichier",
        )
        parser.add_argument(
            "--millesime",
            type=int,
            default=None,
            help="année du fichier quand son nom ne la donne pas (Bas_revenu_Com_AAAA.csv) ; remplace celle du nom",
        )

    def handle(self, *args, fichier, dataset=None, dry_run=False, **options):
        debut = time.perf_counter()
        try:
            bilan = importer_fichier(
                fichier,
                dataset=dataset,
                simulation=dry_run,
                demonstration=options["demonstration"],
                source_url=options["source_url"],
                progression=options["verbosity"] >= 1,
                ignorer_inconnus=options["ignorer_inconnus"],
                millesime=options["millesime"],
            )
        except ErreurImport as exc:
            raise erreur_commande(exc) from exc
        ecrire_bilan(self, bilan, time.perf_counter() - debut)

from django.core.management.base import BaseCommand, CommandError

from ctg.conventions.echange import ErreurEchange, importer_fichier

ETATS = {"créée": "à créer", "mise à jour": "à mettre à jour", "inchangée": "inchangée"}


def _pluriel(n: int, mot: str) -> str:
    return f"{n} {mot}{'s' if n > 1 else ''}"


class Command(BaseCommand):
    help = (
        "Crée ou met à jour des conventions à partir d'un fichier JSON au format « ctg-convention » (une convention "
        "ou une liste de conventions). Le fichier est refusé en entier, sans rien enregistrer, si l'une d'elles a "
        "une erreur : toutes les erreurs sont listées."
    )

    def add_arguments(self, parser):
        parser.add_argument("fichier", help="fichier JSON (UTF-8) au format ctg-convention")
        parser.add_argument(
            "--dry-run", action="store_true", help="vérifie et dit ce qui serait fait, sans rien enregistrer"
        )

    def handle(self, *args, fichier: str, dry_run: bool = False, **options):
        try:
            resultats = importer_fichier(fichier, simulation=dry_run)
        except ErreurEchange as exc:
            raise CommandError(
                f"Fichier refusé, rien n'a été enregistré : {_pluriel(len(exc.erreurs), 'erreur')}.\n"
                + "\n".join(f"  - {erreur}" for erreur in exc.erreurs)
            ) from exc
        for i, resultat in enumerate(resultats):
            convention = resultat.convention
            numero = f" (n° {convention.pk})" if convention.pk else ""
            ctes = f", @ctes {convention.ctes_identifiant}" if convention.ctes_identifiant else ""
            etat = ETATS[resultat.etat] if dry_run else resultat.etat
            self.stdout.write(f"[{i}] {convention}{numero}{ctes} : {etat}")
        bilan = ", ".join(
            f"{n} {ETATS[etat] if dry_run else etat}"
            for etat in ETATS
            if (n := sum(1 for r in resultats if r.etat == etat))
        )
        if dry_run:
            self.stdout.write(f"Simulation, rien n'a été enregistré : {bilan}.")
        else:
            self.stdout.write(self.style.SUCCESS(f"{_pluriel(len(resultats), 'convention')} : {bilan}."))

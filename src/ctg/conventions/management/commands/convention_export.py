from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ctg.conventions.echange import exporter, vers_json
from ctg.conventions.selection import trouver_convention


class Command(BaseCommand):
    help = (
        "Exporte une convention (ou plusieurs : une liste) au format JSON « ctg-convention », que "
        "« ctg convention_import » relit. Sortie standard par défaut."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "conventions", nargs="+", metavar="CONVENTION", help="identifiant @ctes ou numéro interne de la convention"
        )
        parser.add_argument("--output", "-o", help="fichier où écrire le JSON (UTF-8) au lieu de la sortie standard")

    def handle(self, *args, conventions: list[str], output: str | None = None, **options):
        descriptions = [exporter(trouver_convention(reference)) for reference in conventions]
        texte = vers_json(descriptions[0] if len(descriptions) == 1 else descriptions)
        if output is None:
            self.stdout.write(texte, ending="")
            return
        try:
            Path(output).write_text(texte, encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"Impossible d'écrire « {output} » : {exc.strerror or exc}.") from exc
        n = len(descriptions)
        self.stdout.write(f"{n} convention{'s' if n > 1 else ''} exportée{'s' if n > 1 else ''} dans {output}.")

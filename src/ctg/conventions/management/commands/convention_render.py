from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ctg.conventions.document import FORMATS, editer_convention
from ctg.conventions.selection import ConventionIntrouvable, trouver_convention


class Command(BaseCommand):
    help = (
        "Édite le document d'une convention (texte, Word ou PDF) à partir de ses données : parties, visas, "
        "articles, page de signature et annexes. CONVENTION = identifiant @ctes ou numéro interne."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "convention", help="identifiant @ctes (ex. 059-200068500-20211221-D2021_12_10_01-CC) ou numéro"
        )
        parser.add_argument("--format", choices=FORMATS, default="pdf", help="format du fichier (défaut : pdf)")
        parser.add_argument("--output", "-o", type=Path, required=True, help="fichier à écrire")

    def handle(self, *args, convention, format, output, **options):
        output = Path(output)  # a str when called through call_command
        try:
            fiche = trouver_convention(convention)
        except ConventionIntrouvable as exc:
            raise CommandError(str(exc)) from exc
        if output.exists() and output.is_dir():
            raise CommandError(
                f"« {output} » est un dossier : donnez le chemin d'un fichier (ex. convention.{format})."
            )
        if not output.parent.is_dir():
            raise CommandError(f"Impossible d'écrire « {output} » : le dossier « {output.parent} » n'existe pas.")
        edition = editer_convention(fiche, format)
        try:
            output.write_bytes(edition.contenu)
        except OSError as exc:
            raise CommandError(f"Impossible d'écrire « {output} » : {exc.strerror or exc}.") from exc
        edition_pdf = "" if format == "pdf" else " dans l'édition PDF"
        self.stdout.write(
            f"Convention écrite dans {output} ({format.upper()}, {len(edition.contenu) // 1024 + 1} Ko) : "
            f"{edition.pages} pages{edition_pdf}, {edition.passes} mise(s) en page, {edition.duree:.1f} s."
        )

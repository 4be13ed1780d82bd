from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ctg.conventions.selection import ConventionIntrouvable, trouver_convention

FORMATS = ("pdf", "docx", "xlsx", "csv")


class Command(BaseCommand):
    help = (
        "Édite le plan d'actions d'une convention : le plan de 10 pages au plus (PDF, DOCX) ou le tableau des "
        "actions (XLSX, CSV « ; » avec BOM). CONVENTION = identifiant @ctes ou numéro interne."
    )

    def add_arguments(self, parser):
        parser.add_argument("convention", help="identifiant @ctes ou numéro interne de la convention")
        parser.add_argument("--format", choices=FORMATS, default="pdf", help="format du fichier (défaut : pdf)")
        parser.add_argument("--output", "-o", type=Path, required=True, help="fichier à écrire")

    def handle(self, *args, convention, format, output, **options):
        from ctg.plan.documents import PlanTropLong, rendre_plan
        from ctg.plan.exports import exporter_tableau
        from ctg.plan.regles import fiches_suivies

        output = Path(output)
        try:
            objet = trouver_convention(convention)
        except ConventionIntrouvable as exc:
            raise CommandError(str(exc)) from exc
        if output.is_dir():
            raise CommandError(f"« {output} » est un dossier : donnez le chemin d'un fichier (ex. plan.{format}).")
        if not output.parent.is_dir():
            raise CommandError(f"Impossible d'écrire « {output} » : le dossier « {output.parent} » n'existe pas.")
        if format in ("xlsx", "csv"):
            suivis = fiches_suivies(objet)
            contenu = exporter_tableau(objet, suivis, format)
            detail = f"{len(suivis)} action(s)"
        else:
            try:
                contenu = rendre_plan(objet, format)
            except PlanTropLong as exc:
                raise CommandError(str(exc)) from exc
            detail = "10 pages au plus"
            if format == "pdf":
                from ctg.documents.rendu_pdf import compter_pages_pdf

                detail = f"{compter_pages_pdf(contenu)} page(s) sur 10 au plus"
        try:
            output.write_bytes(contenu)
        except OSError as exc:
            raise CommandError(f"Impossible d'écrire « {output} » : {exc.strerror or exc}.") from exc
        self.stdout.write(f"Plan d'actions écrit dans {output} ({format.upper()}, {detail}).")

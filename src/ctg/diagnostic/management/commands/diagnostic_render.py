import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ctg import audit
from ctg.conventions.selection import ConventionIntrouvable, trouver_convention
from ctg.diagnostic.rapport import RapportTropLong, rendre_rapport
from ctg.territoires.models import Epci

FORMATS = ("pdf", "docx", "html")


class Command(BaseCommand):
    help = (
        "Écrit le diagnostic territorial (20 pages au plus) d'un EPCI (SIREN) ou d'une convention "
        "(identifiant @ctes ou numéro interne, avec son diagnostic partagé)."
    )

    def add_arguments(self, parser):
        parser.add_argument("reference", help="SIREN d'EPCI, identifiant @ctes ou numéro de convention")
        parser.add_argument("--format", choices=FORMATS, default="pdf")
        parser.add_argument("--output", required=True, help="fichier à écrire")
        parser.add_argument("--annee", type=int, help="année des données (par défaut la plus récente)")

    def handle(self, *args, reference, format, output, annee=None, **options):
        reference = reference.strip()
        convention = None
        if len(reference) == 9 and reference.isdigit() and Epci.objects.filter(code=reference).exists():
            code = reference
        else:
            try:
                convention = trouver_convention(reference)
            except ConventionIntrouvable as exc:
                raise CommandError(
                    f"« {reference} » n'est ni le SIREN d'un EPCI ni une convention connue. {exc}"
                ) from exc
            code = convention.epci_id
        chemin = Path(output)
        if not chemin.parent.exists():
            raise CommandError(f"Le dossier {chemin.parent} n'existe pas.")
        debut = time.perf_counter()
        try:
            with audit.par_commande("diagnostic_render"):  # may create the convention's (empty) diagnostic
                contenu = rendre_rapport(code, format, convention=convention, annee=annee)
        except RapportTropLong as exc:
            raise CommandError(str(exc)) from exc
        try:
            chemin.write_bytes(contenu)
        except OSError as exc:
            raise CommandError(f"Impossible d'écrire {chemin} : {exc.strerror}.") from exc
        duree = time.perf_counter() - debut
        pages = ""
        if format == "pdf":
            from ctg.documents.rendu_pdf import compter_pages_pdf

            pages = f", {compter_pages_pdf(contenu)} pages"
        self.stdout.write(
            f"Diagnostic écrit dans {chemin} ({format.upper()}, {len(contenu) // 1024} Ko{pages}) en {duree:.1f} s."
        )

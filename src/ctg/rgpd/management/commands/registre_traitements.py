"""``ctg registre_traitements ORGANISATION --format xlsx|csv|pdf --output FICHIER``: an organisation's register of
processing activities (GDPR article 30), the same lines as its page."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ctg.rgpd.registre import OrganisationInconnue, exporter, organisation_designee


class Command(BaseCommand):
    help = (
        "Écrit le registre des activités de traitement (article 30 du RGPD) d'une organisation : chaque traitement "
        "créé par une demande d'échange de données personnelles approuvée dont elle détient les données "
        "(article 7 des CTG). ORGANISATION : son nom tel qu'il s'affiche (« Caf du Nord ») ou son numéro."
    )

    def add_arguments(self, parser):
        parser.add_argument("organisation", help="nom affiché de l'organisation (« Caf du Nord ») ou son numéro")
        parser.add_argument(
            "--format", choices=["xlsx", "csv", "pdf"], default="xlsx", help="xlsx (par défaut), csv ou pdf"
        )
        parser.add_argument("--output", required=True, help="fichier à écrire")

    def handle(self, *args, organisation, format, output, **options):
        try:
            objet = organisation_designee(organisation)
        except OrganisationInconnue as exc:
            raise CommandError(str(exc)) from exc
        contenu, _type, _nom = exporter(objet, format)
        chemin = Path(output)
        try:
            chemin.write_bytes(contenu)
        except OSError as exc:
            raise CommandError(f"Impossible d'écrire « {chemin} » : {exc.strerror}.") from exc
        self.stdout.write(f"Registre des traitements de {objet.nom_long} écrit dans {chemin} ({format.upper()}).")

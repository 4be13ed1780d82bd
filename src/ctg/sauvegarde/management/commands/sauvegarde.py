from django.core.management.base import BaseCommand, CommandError

from ctg.conventions.models import Convention
from ctg.conventions.selection import trouver_convention
from ctg.sauvegarde.export import SauvegardeImpossible, sauvegarder


class Command(BaseCommand):
    help = (
        "Sauvegarde une ou plusieurs conventions (ou toutes) dans une archive ZIP : leurs enregistrements et leur "
        "historique en JSON, leurs fichiers téléversés, un manifeste avec l'empreinte SHA-256 de chaque partie. "
        "« ctg restauration » la relit."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "conventions", nargs="*", metavar="CONVENTION", help="identifiant @ctes ou numéro interne de la convention"
        )
        parser.add_argument("--toutes", action="store_true", help="toutes les conventions de l'instance")
        parser.add_argument("--output", "-o", required=True, help="fichier ZIP à écrire")

    def handle(self, *args, conventions: list[str], toutes: bool, output: str, **options):
        if toutes == bool(conventions):
            raise CommandError("Donnez une ou plusieurs conventions, ou --toutes (l'un ou l'autre).")
        choisies = list(Convention.objects.order_by("pk")) if toutes else [trouver_convention(c) for c in conventions]
        if not choisies:
            raise CommandError("Aucune convention sur cette instance : rien à sauvegarder.")
        try:
            manifeste = sauvegarder(choisies, output)
        except SauvegardeImpossible as exc:
            raise CommandError(str(exc)) from exc
        except OSError as exc:
            raise CommandError(f"Impossible d'écrire « {output} » : {exc.strerror or exc}.") from exc
        n = len(choisies)
        parties = manifeste["parties"]
        fichiers = sum(1 for nom in parties if nom.startswith("fichiers/"))
        self.stdout.write(
            f"{n} convention{'s' if n > 1 else ''} sauvegardée{'s' if n > 1 else ''} dans {output} : "
            f"{len(parties) - fichiers} fichiers JSON, {fichiers} fichier{'s' if fichiers > 1 else ''} téléversé"
            f"{'s' if fichiers > 1 else ''}, empreinte des données {manifeste['empreinte_donnees']}."
        )

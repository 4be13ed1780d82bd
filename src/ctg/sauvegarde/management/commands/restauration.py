from django.core.management.base import BaseCommand, CommandError

from ctg import audit
from ctg.sauvegarde.archive import ArchiveRefusee
from ctg.sauvegarde.restauration import restaurer


class Command(BaseCommand):
    help = (
        "Restaure sur cette instance une archive écrite par « ctg sauvegarde », en une seule transaction, après "
        "avoir tout vérifié (manifeste, tailles, empreintes SHA-256, noms, territoires présents). Une archive ne se "
        "restaure qu'une fois."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", metavar="FICHIER.zip", help="archive à restaurer")
        parser.add_argument(
            "--dry-run", action="store_true", help="vérifier et dire ce qui serait créé, sans rien écrire"
        )

    def handle(self, *args, archive: str, dry_run: bool, **options):
        try:
            with audit.par_commande("restauration"):
                bilan = restaurer(archive, essai=dry_run)
        except ArchiveRefusee as exc:
            raise CommandError(str(exc)) from exc
        verbe = "seraient créés" if dry_run else "créés"
        self.stdout.write("Essai (rien n'est écrit) : archive vérifiée." if dry_run else "Archive restaurée.")
        self.stdout.write(f"Conventions : {', '.join(bilan.conventions)}")
        total = sum(bilan.enregistrements.values())
        self.stdout.write(f"Enregistrements {verbe} : {total}")
        for etiquette, nombre in bilan.enregistrements.items():
            self.stdout.write(f"  {etiquette} : {nombre}")
        self.stdout.write(
            f"Comptes {verbe} (inactifs, sans mot de passe) : {len(bilan.comptes_crees)}"
            + (f" ({', '.join(bilan.comptes_crees)})" if bilan.comptes_crees else "")
        )
        self.stdout.write(f"Comptes déjà présents, rattachés par leur identifiant : {len(bilan.comptes_existants)}")
        self.stdout.write(
            f"Organisations {verbe} : {len(bilan.organisations_creees)} ; déjà présentes : "
            f"{len(bilan.organisations_existantes)}"
        )
        self.stdout.write(f"Fichiers téléversés {'à écrire' if dry_run else 'écrits'} : {bilan.fichiers}")

import json

from django.conf import settings
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand

from ctg.territoires.models import ImportTerritoires


def instantane_deja_importe() -> bool:
    """True when the latest import came from the embedded snapshot with the same checksums."""
    meta_path = settings.CTG_TERRITOIRES_DIR / "sources.json"
    dernier = ImportTerritoires.objects.order_by("-date").first()
    if dernier is None or not meta_path.is_file():
        return False
    attendues = json.loads(meta_path.read_text(encoding="utf-8")).get("fichiers", {})
    return bool(attendues) and all(dernier.empreintes.get(nom) == sha for nom, sha in attendues.items())


class Command(BaseCommand):
    help = (
        "Prépare et lance CTG en local : migrations, import des territoires (s'ils ne sont pas à jour), "
        "démonstration et ses comptes (sur la base SQLite embarquée d'un essai local, ou avec CTG_DEMO=true), mise "
        "à jour quotidienne des statuts (ctg actualiser), puis serveur sur 127.0.0.1:8000."
    )

    def add_arguments(self, parser):
        parser.add_argument("--adresse", default="127.0.0.1:8000", help="adresse d'écoute (défaut : 127.0.0.1:8000)")
        parser.add_argument("--sans-serveur", action="store_true", help="prépare tout sans lancer le serveur")

    def handle(self, *args, adresse, sans_serveur, **options):
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("Base de données à jour.")
        if instantane_deja_importe():
            self.stdout.write("Territoires déjà importés depuis l'instantané embarqué.")
        else:
            call_command("import_territoires", stdout=self.stdout)
        if settings.CTG_DEMO:
            call_command("charger_demo", stdout=self.stdout)
        else:
            self.stdout.write(
                "Démonstration non chargée : cette installation est en production (DEBUG=false ou ALLOWED_HOSTS "
                "donné) ou utilise sa propre base (DATABASE_URL), et les comptes de démonstration ont un mot de passe "
                "public. Pour une base réservée à la démonstration, relancez avec la variable CTG_DEMO=true."
            )
        if "actualiser" in get_commands():  # the daily update: statuses as of today (entry into force, end…)
            call_command("actualiser", stdout=self.stdout)
        if sans_serveur:
            return
        self.stdout.write(f"Ouvrez http://{adresse}/ dans votre navigateur (Ctrl+C pour arrêter).")
        call_command("runserver", adresse, use_reloader=False)

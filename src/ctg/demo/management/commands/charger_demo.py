from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from ctg import audit
from ctg.conventions.models import Convention
from ctg.demo.communication import charger_demo_communication
from ctg.demo.comptes import creer_comptes_demo, exiger_demo_autorisee
from ctg.demo.convention_cambrai import charger_convention_cambrai
from ctg.demo.donnees import charger_donnees_embarquees
from ctg.demo.echanges import charger_demo_echanges
from ctg.demo.financement import charger_demo_financement
from ctg.demo.gouvernance import charger_demo_gouvernance
from ctg.demo.plan import charger_besoins_demo, charger_demo_plan
from ctg.demo.renouvellement import charger_renouvellement
from ctg.territoires.models import Epci

# The demonstration content of each app (``ctg.demo.<app>``), loaded in this order (the plan links the diagnostic's
# indicators). The demo sits above every app (the floors of pyproject.toml): it imports them directly.
DEMOS_DES_APPLICATIONS = [
    charger_besoins_demo,  # the needs of the shared diagnostic, before the comité validates it
    charger_demo_gouvernance,
    charger_demo_plan,
    charger_demo_financement,
    charger_demo_communication,
    charger_demo_echanges,
]


class Command(BaseCommand):
    help = (
        "Charge la convention de référence (Caf du Nord × CA de Cambrai, décembre 2021), les données ouvertes "
        "embarquées (population réelle, jeu Caf de démonstration FICTIF) et le contenu de démonstration de chaque "
        "module, puis son renouvellement 2027–2031 en préparation (brouillon de démonstration) ; crée ou "
        "réinitialise un compte de démonstration par rôle sur les deux. Refusé en production ou sur une base "
        "donnée par DATABASE_URL, sauf avec CTG_DEMO=true."
    )

    def add_arguments(self, parser):
        parser.add_argument("--sans-donnees", action="store_true", help="ne charge pas les données ouvertes embarquées")

    def handle(self, *args, sans_donnees=False, **options):
        exiger_demo_autorisee()  # before anything is written: no demonstration content either
        if not Epci.objects.filter(code="200068500").exists():
            raise CommandError("Le référentiel des territoires est vide : lancez d'abord « ctg import_territoires ».")
        with audit.par_commande("charger_demo"):
            self.charger(sans_donnees)

    def charger(self, sans_donnees):
        convention = charger_convention_cambrai()
        comptes = creer_comptes_demo(convention)
        self.stdout.write(f"Convention de référence : {convention} (n° {convention.pk})")
        if not sans_donnees:
            self.stdout.write(
                "Données ouvertes embarquées (population réelle par IRIS, jeu Caf de démonstration FICTIF) :"
            )
            if charger_donnees_embarquees(stdout=self.stdout):
                call_command("calculer_indicateurs", stdout=self.stdout)
        for charger in DEMOS_DES_APPLICATIONS:
            # A fresh copy for each module: none saves a copy that another module has changed since.
            charger(Convention.objects.get(pk=convention.pk))
            self.stdout.write(f"Contenu de démonstration chargé : {charger.__module__.rsplit('.', 1)[-1]}")
        renouvellement = charger_renouvellement(Convention.objects.get(pk=convention.pk))
        self.stdout.write(
            f"Renouvellement en préparation (brouillon de démonstration) : {renouvellement} (n° {renouvellement.pk})"
        )
        self.stdout.write("Comptes de démonstration (personnes fictives, pour un essai local uniquement) :")
        for compte in comptes:
            identifiant, mot_de_passe, role = compte["identifiant"], compte["mot_de_passe"], compte["role"]
            self.stdout.write(f"  identifiant : {identifiant:<17} mot de passe : {mot_de_passe}   ({role})")

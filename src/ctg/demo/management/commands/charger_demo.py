from django.core.management.base import BaseCommand, CommandError

from ctg.demo.comptes import creer_comptes_demo
from ctg.demo.convention_cambrai import charger_convention_cambrai
from ctg.territoires.models import Epci


class Command(BaseCommand):
    help = (
        "Charge la convention de référence (Caf du Nord × CA de Cambrai, décembre 2021) et crée ou réinitialise "
        "un compte de démonstration par rôle."
    )

    def handle(self, *args, **options):
        if not Epci.objects.filter(code="200068500").exists():
            raise CommandError("Le référentiel des territoires est vide : lancez d'abord « ctg import_territoires ».")
        convention = charger_convention_cambrai()
        comptes = creer_comptes_demo(convention)
        self.stdout.write(f"Convention de référence : {convention} (n° {convention.pk})")
        self.stdout.write("Comptes de démonstration (personnes fictives, pour un essai local uniquement) :")
        for compte in comptes:
            identifiant, mot_de_passe, role = compte["identifiant"], compte["mot_de_passe"], compte["role"]
            self.stdout.write(f"  identifiant : {identifiant:<17} mot de passe : {mot_de_passe}   ({role})")

from django.core.management.base import BaseCommand

from ctg.demo.comptes import creer_comptes_demo


class Command(BaseCommand):
    help = "Crée (ou réinitialise) les comptes de démonstration et affiche leurs identifiants."

    def handle(self, *args, **options):
        comptes = creer_comptes_demo()
        self.stdout.write("Comptes de démonstration (fictifs, pour un essai local uniquement) :")
        for compte in comptes:
            self.stdout.write(f"  identifiant : {compte['identifiant']}   mot de passe : {compte['mot_de_passe']}")

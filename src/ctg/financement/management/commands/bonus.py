import json

from django.core.management.base import BaseCommand, CommandError

from ctg import audit, horloge
from ctg.conventions.selection import trouver_convention
from ctg.financement.calcul import Donnees, bonus_annee, engagements_annee, totaux
from ctg.financement.textes import euros


class Command(BaseCommand):
    help = (
        "Affiche le bonus territoire de chaque structure d'une convention pour une année, avec son explication, "
        "puis les engagements des anciennes communes Cej et leur statut."
    )

    def add_arguments(self, parser):
        parser.add_argument("convention", help="identifiant @ctes ou numéro interne de la convention")
        parser.add_argument("--annee", type=int, help="année calculée (par défaut : l'année en cours)")
        parser.add_argument("--json", action="store_true", help="sortie JSON (montants en texte décimal exact)")

    def handle(self, *args, **options):
        # read-only today; anything a future rule would write is recorded as done by this command
        with audit.par_commande("bonus"):
            self._afficher(options)

    def _afficher(self, options):
        convention = trouver_convention(options["convention"])
        annee = options["annee"] or horloge.aujourd_hui().year
        if not 2000 <= annee <= 2100:
            raise CommandError(f"Année invalide : {annee}.")
        donnees = Donnees(convention)
        bonus = bonus_annee(convention, annee, donnees)
        engagements = engagements_annee(convention, annee, donnees)
        somme = totaux(bonus)
        if options["json"]:
            self.stdout.write(
                json.dumps(
                    {
                        "convention": convention.pk,
                        "ctes_identifiant": convention.ctes_identifiant,
                        "annee": annee,
                        "reference_taux": f"barème en vigueur au 01/01/{annee}",
                        "total_bonus_territoire": str(somme["bonus"]),
                        "total_ctre": str(somme["ctre"]),
                        "structures": [b.as_dict() for b in bonus],
                        "engagements": [e.as_dict() for e in engagements],
                    },
                    ensure_ascii=False,
                    indent=2,
                )
            )
            return
        self.stdout.write(f"{convention} — bonus territoire {annee} (barème en vigueur au 01/01/{annee})")
        if any(s.demonstration for s in donnees.structures):
            self.stdout.write("Attention : données FICTIVES de démonstration.")
        for b in bonus:
            self.stdout.write("")
            self.stdout.write(f"{b.structure.nom} ({b.structure.type_court}, {b.structure.commune.nom})")
            self.stdout.write(f"  {b.statut_libelle} — bonus dû : {euros(b.montant)}")
            for ligne in b.explication:
                self.stdout.write(f"    · {ligne}")
        self.stdout.write("")
        self.stdout.write(f"Total du bonus territoire dû en {annee} : {euros(somme['bonus'])}")
        if somme["ctre"]:
            self.stdout.write(f"Total CTRE (places employeurs) : {euros(somme['ctre'])}")
        self.stdout.write("")
        self.stdout.write(f"Engagements des anciennes communes Cej en {annee} :")
        if not engagements:
            self.stdout.write("  aucun")
        for e in engagements:
            self.stdout.write(
                f"  {e.commune.nom} : {e.statut_libelle} — engagement {euros(e.engagement)}, constaté {euros(e.reel)}"
            )
            self.stdout.write(f"    · {e.explication}")

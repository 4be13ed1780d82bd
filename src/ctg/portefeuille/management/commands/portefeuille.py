import json
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError

from ctg.financement.textes import euros
from ctg.portefeuille.calcul import ENTETES, ligne_tableau, portefeuille, vue_nationale
from ctg.territoires.models import Departement


def _entier(valeur: int) -> str:
    return f"{valeur:,}".replace(",", "\u202f")


def _cellule(valeur) -> str:
    return euros(valeur) if isinstance(valeur, Decimal) else str(valeur)


def _taux(valeur) -> str:
    return "—" if valeur is None else f"{valeur:.1f} %".replace(".", ",")


class Command(BaseCommand):
    help = (
        "Portefeuille des CTG de la Caf d'un département : chaque EPCI avec ou sans CTG, couverture, échéances en "
        "retard, renouvellements à préparer (fin dans moins de 18 mois), bonus territoire de l'année ; « FR » donne "
        "la vue nationale (une ligne par département). Les mêmes chiffres que la page du portefeuille."
    )

    def add_arguments(self, parser):
        parser.add_argument("departement", help="code du département (59, 2A, 971) ou FR pour la vue nationale")
        parser.add_argument("--json", action="store_true", help="les chiffres en JSON")

    def handle(self, *args, departement, **options):
        if departement.upper() == "FR":
            vue = vue_nationale()
            if options["json"]:
                return self._json(vue.as_dict())
            return self._national(vue)
        objet = Departement.objects.filter(code=departement.upper()).first()
        if objet is None:
            raise CommandError(f"Aucun département de code « {departement} » (exemples : 59, 2A, 971, ou FR).")
        resultat = portefeuille(objet)
        if options["json"]:
            return self._json(resultat.as_dict())
        return self._departement(resultat)

    def _json(self, donnees):
        self.stdout.write(json.dumps(donnees, ensure_ascii=False, indent=2))

    def _departement(self, p):
        c = p.couverture
        demo = " (démonstration)" if p.demonstration else ""
        self.stdout.write(f"Portefeuille de la {p.caf} au {p.jour:%d/%m/%Y}{demo}")
        self.stdout.write(
            f"  EPCI : {c.epci}, dont {c.epci_couverts} avec une CTG en vigueur et {c.epci_sans_ctg} sans"
        )
        self.stdout.write(
            f"  Couverture : {c.communes_couvertes}/{c.communes} communes ({_taux(c.taux_communes)}), "
            f"{_entier(c.population_couverte)}/{_entier(c.population)} habitants ({_taux(c.taux_population)})"
        )
        self.stdout.write(
            f"  Échéances en retard : {p.echeances_en_retard} ; renouvellements à préparer : {c.renouvellements} ; "
            f"bonus territoire {p.annee} : {euros(p.bonus_annee)}"
        )
        lignes = [ENTETES[:-1]] + [[_cellule(v) for v in ligne_tableau(lg)[:-1]] for lg in p.lignes]
        largeurs = [max(len(ligne[i]) for ligne in lignes) for i in range(len(lignes[0]))]
        largeurs[1] = min(largeurs[1], 45)
        for ligne in lignes:
            cellules = (v[: largeurs[i]].ljust(largeurs[i]) for i, v in enumerate(ligne))
            self.stdout.write(("  " + "  ".join(cellules)).rstrip())

    def _national(self, vue):
        t = vue.total
        self.stdout.write(
            f"Vue nationale au {vue.jour:%d/%m/%Y} : {t.epci_couverts}/{t.epci} EPCI avec une CTG en vigueur, "
            f"population couverte {_taux(t.taux_population)}"
        )
        for lg in vue.lignes:
            c = lg.couverture
            self.stdout.write(
                f"  {lg.departement.code:<4}{lg.caf:<40} EPCI {c.epci_couverts:>3}/{c.epci:<3} "
                f"communes {_taux(c.taux_communes):>8}  population {_taux(c.taux_population):>8}  "
                f"à renouveler {c.renouvellements}"
            )

from django.core.management.base import BaseCommand, CommandError
from django.utils.formats import number_format

from ctg import audit
from ctg.diagnostic.calcul import calculer_tout
from ctg.diagnostic.models import Etat
from ctg.territoires.fiches import TerritoireIntrouvable


def _n(x) -> str:
    return number_format(x, force_grouping=True)


class Command(BaseCommand):
    help = (
        "Calcule et enregistre tous les indicateurs du diagnostic pour chaque EPCI, chaque département et la "
        "France, pour chaque année présente dans les données importées (ou seulement l'année --annee)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--annee", type=int, action="append", metavar="AAAA", help="année à calculer (répétable)")

    def handle(self, *args, annee=None, **options):
        for a in annee or []:
            if not 1900 <= a <= 2100:
                raise CommandError(f"Année « {a} » invalide : attendu AAAA, par exemple 2023.")
        try:
            with audit.par_commande("calculer_indicateurs"):
                bilan = calculer_tout(annees=annee, progression=options.get("verbosity", 1) >= 1)
        except TerritoireIntrouvable as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(texte_bilan(bilan, annee))


def texte_bilan(bilan: dict, annees_demandees=None) -> str:
    annees = bilan["annees"]
    if not annees:
        demande = f" pour {', '.join(map(str, annees_demandees))}" if annees_demandees else ""
        return f"Aucune donnée à calculer{demande} : importez d'abord des fichiers de données."
    periode = str(annees[0]) if len(annees) == 1 else f"{annees[0]} à {annees[-1]}"
    t = bilan["territoires"]
    lignes = [
        f"Indicateurs calculés : {bilan['indicateurs']} indicateurs, années {periode} "
        f"({bilan['calculs']} calculs indicateur × année).",
        f"Territoires : {_n(t['epci'])} EPCI, {t['departement']} départements et la France.",
        f"Valeurs enregistrées : {_n(bilan['valeurs'])} en {number_format(bilan['duree'], 1)} s.",
    ]
    etats = ", ".join(f"{Etat(e).label} {_n(bilan['etats'][e])}" for e in Etat.values if bilan["etats"].get(e))
    lignes.append(f"États : {etats}.")
    for dataset, n in sorted(bilan["communes_hors_referentiel"].items()):
        lignes.append(
            f"Note : {_n(n)} lignes communales de {dataset} ont un code absent du référentiel des communes "
            "(code ancien, étranger ou inconnu) : elles ne sont pas agrégées."
        )
    if bilan["demonstration"]:
        lignes.append(
            "ATTENTION : des valeurs sont calculées sur des données de DÉMONSTRATION (fictives) : "
            "ne les présentez jamais comme réelles."
        )
    return "\n".join(lignes)

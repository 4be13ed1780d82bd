import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.formats import number_format

from ctg.territoires.fiches import TerritoireIntrouvable, fiche_territoire


class Command(BaseCommand):
    help = (
        "Affiche un territoire : code INSEE de commune (59122), SIREN d'EPCI (200068500) "
        "ou code de département (59, 2A, 971)."
    )

    def add_arguments(self, parser):
        parser.add_argument("code", help="code INSEE, SIREN d'EPCI ou code de département")
        parser.add_argument("--json", action="store_true", help="sortie JSON")

    def handle(self, *args, code, json: bool = False, **options):
        try:
            fiche = fiche_territoire(code)
        except TerritoireIntrouvable as exc:
            raise CommandError(str(exc)) from exc
        if json:
            self.stdout.write(_dumps(fiche))
            return
        self.stdout.write(texte_fiche(fiche))


def _dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)


def _nombre(n) -> str:
    return "non connue" if n is None else number_format(n, force_grouping=True)


def texte_fiche(fiche: dict) -> str:
    lignes = [f"{fiche['nom']} ({fiche['type_libelle']}, code {fiche['code']})"]
    annee = f" ({fiche['population_annee']})" if fiche.get("population_annee") else ""
    lignes.append(f"Population municipale{annee} : {_nombre(fiche['population'])}")
    if fiche["type"] == "commune":
        epci = fiche["epci"]
        lignes.append(f"Département : {fiche['departement']['nom']} ({fiche['departement']['code']})")
        lignes.append(f"EPCI : {epci['nom']} ({epci['code']})" if epci else "EPCI : aucun")
        lignes.append(f"Codes postaux : {', '.join(fiche['codes_postaux']) or '—'}")
    elif fiche["type"] == "epci":
        lignes.append(f"Type : {fiche['type_epci_libelle']} ({fiche['type_epci']})")
        lignes.append(f"Départements : {', '.join(d['nom'] for d in fiche['departements'])}")
        lignes.append(f"{len(fiche['communes'])} communes :")
        for c in fiche["communes"]:
            lignes.append(f"  {c['code']}  {c['nom']:<40} {_nombre(c['population']):>12}")
    else:
        lignes.append(f"Région : {fiche['region']['nom']}")
        lignes.append(f"{fiche['nombre_communes']} communes, {fiche['nombre_epci']} EPCI")
    lignes.append(f"Source : {fiche['source']}")
    return "\n".join(lignes)

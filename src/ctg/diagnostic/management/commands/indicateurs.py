import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.formats import number_format

from ctg.diagnostic.calcul import Resultat, tableau_territoire, trouver_territoire
from ctg.diagnostic.catalogue import Indicateur
from ctg.diagnostic.models import Etat
from ctg.territoires.fiches import TerritoireIntrouvable

AVERTISSEMENT = (
    "ATTENTION : certaines valeurs sont calculées sur des données de DÉMONSTRATION (fictives) : "
    "ne les présentez jamais comme réelles."
)


class Command(BaseCommand):
    help = (
        "Affiche tous les indicateurs du diagnostic d'un territoire avec les valeurs de son département et de la "
        "France : code INSEE de commune (59122), SIREN d'EPCI (200068500), code de département (59) ou FR."
    )

    def add_arguments(self, parser):
        parser.add_argument("code", help="code INSEE, SIREN d'EPCI, code de département ou FR")
        parser.add_argument(
            "--annee",
            type=int,
            metavar="AAAA",
            help="année de référence : chaque indicateur à sa dernière année disponible jusqu'à celle-ci",
        )
        parser.add_argument("--json", action="store_true", help="sortie JSON")

    def handle(self, *args, code, annee=None, json: bool = False, **options):
        if annee is not None and not 1900 <= annee <= 2100:
            raise CommandError(f"Année « {annee} » invalide : attendu AAAA, par exemple 2023.")
        try:
            territoire = trouver_territoire(code)
        except TerritoireIntrouvable as exc:
            raise CommandError(str(exc)) from exc
        tableau = tableau_territoire(territoire, annee)
        if json:
            self.stdout.write(_dumps(tableau_en_dict(tableau)))
            return
        self.stdout.write(texte_tableau(tableau))


def _dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)


def tableau_en_dict(tableau: dict) -> dict:
    return {
        "territoire": tableau["territoire"].as_dict(),
        "annee_demandee": tableau["annee"],
        "demonstration": tableau["demonstration"],
        "avertissement": AVERTISSEMENT if tableau["demonstration"] else None,
        "indicateurs": [
            {
                **ligne["indicateur"].as_dict(),
                **_resultat_dict(ligne["valeur"], sans=("indicateur", "niveau", "code")),
                "departement": _resultat_dict(ligne["departement"]) if ligne["departement"] else None,
                "france": _resultat_dict(ligne["france"]) if ligne["france"] else None,
            }
            for ligne in tableau["lignes"]
        ],
    }


def _resultat_dict(r: Resultat, sans=("indicateur",)) -> dict:
    return {cle: v for cle, v in r.as_dict().items() if cle not in sans}


def unite_accordee(unite: str, valeur: float) -> str:
    """French agreement: singular below 2 ("1 commune", "0,5 place pour 100 enfants")."""
    if unite in ("%", "€") or abs(valeur) >= 2:
        return unite
    premier, _, reste = unite.partition(" ")
    if premier.endswith("s"):
        premier = premier[:-1]
    return f"{premier} {reste}".strip()


def valeur_texte(ind: Indicateur, r: Resultat | None, unite: bool = True, partiel: bool = True) -> str:
    if r is None:
        return "—"
    if r.valeur is None:
        return ETATS_COURTS[r.etat]
    arrondie = round(r.valeur, ind.decimales)
    texte = number_format(arrondie, decimal_pos=ind.decimales, force_grouping=True)
    if unite:
        texte += "\u00a0%" if ind.unite == "%" else f" {unite_accordee(ind.unite, arrondie)}"
    if partiel and r.etat == Etat.PARTIEL:
        texte += " (partiel)"
    if r.demonstration:
        texte += " [DÉMONSTRATION]"
    return texte


ETATS_COURTS = {
    Etat.DISPONIBLE: "disponible",
    Etat.PARTIEL: "partiel",
    Etat.SECRET: "secret statistique",
    Etat.ABSENT: "pas de donnée",
}


def _communes(n: int, adjectif: str = "") -> str:
    s = "s" if n > 1 else ""
    return f"{n} commune{s}" + (f" {adjectif}{s}" if adjectif else "")


def _detail_etat(r: Resultat) -> str:
    if r.officiel:
        return "valeur publiée par la Caf"
    if r.etat == Etat.PARTIEL and r.couverture is not None:
        return r.couverture_libelle  # "somme de 54 communes sur 55 (1 en secret statistique), 95 % de la population"
    if r.etat == Etat.ABSENT or r.niveau == "commune":
        return ""
    morceaux = []
    if r.communes and r.etat != Etat.SECRET:
        morceaux.append(_communes(r.communes, "retenue"))
    if r.communes_secretes:
        morceaux.append(f"{_communes(r.communes_secretes)} en secret statistique")
    if r.communes_manquantes:
        morceaux.append(f"{_communes(r.communes_manquantes)} sans donnée")
    return ", ".join(morceaux)


NIVEAUX = {"commune": "communes", "epci": "EPCI", "departement": "département", "france": "France"}


def _sources(r: Resultat) -> str:
    vues = []
    for s in r.sources:
        if "reference" in s:
            ref = s["reference"]
            nom = "de la France" if ref["niveau"] == "france" else f"du département {ref['code']}"
            v = "non disponible" if ref["valeur"] is None else number_format(round(ref["valeur"], 1), decimal_pos=1)
            texte = f"taux de référence {nom} : {v} ({s['periode']})"
        else:
            texte = f"{s['dataset']} — {s['fichier']}, période {s['periode']}"
            if s.get("niveau") == "commune" and r.niveau != "commune":
                texte += " (somme des communes)"
            elif s.get("niveau") and s["niveau"] != "commune":
                texte += f" (fichier du niveau {NIVEAUX[s['niveau']]})"
            if s.get("demonstration"):
                texte += " [DÉMONSTRATION]"
        if texte not in vues:
            vues.append(texte)
    return " ; ".join(vues) or "—"


def texte_tableau(tableau: dict) -> str:
    t = tableau["territoire"]
    lignes = [f"Indicateurs du diagnostic — {t.libelle}"]
    if tableau["annee"]:
        lignes.append(
            f"Année de référence : {tableau['annee']} (chaque indicateur à sa dernière année jusqu'à celle-ci)"
        )
    if tableau["demonstration"]:
        lignes.append(AVERTISSEMENT)
    domaine = None
    for ligne in tableau["lignes"]:
        ind: Indicateur = ligne["indicateur"]
        r: Resultat = ligne["valeur"]
        if ind.domaine != domaine:
            domaine = ind.domaine
            lignes.append("")
            lignes.append(f"== {ind.domaine_libelle[:1].upper()}{ind.domaine_libelle[1:]} ==")
        annee = r.annee if r.annee is not None else "—"
        detail = _detail_etat(r)
        lignes.append(f"{ind.libelle} [{ind.code}]")
        lignes.append(
            f"  {annee} : {valeur_texte(ind, r, partiel=False)} — {ETATS_COURTS[r.etat]}"
            + (f" ({detail})" if detail else "")
        )
        autour = []
        if ligne["departement"] is not None:
            autour.append(f"{t.departement_nom} ({t.departement}) : {valeur_texte(ind, ligne['departement'], False)}")
        if ligne["france"] is not None:
            autour.append(f"France : {valeur_texte(ind, ligne['france'], False)}")
        if autour:
            lignes.append("  " + " · ".join(autour))
        lignes.append(f"  Sources : {_sources(r)}")
    if tableau["demonstration"]:
        lignes.append("")
        lignes.append(AVERTISSEMENT)
    return "\n".join(lignes)

"""The adhesion of the member communes (annexe 4): recorded by the Caf or the collectivité, proposed by a commune's
referent (the rules: each change goes through these functions, part of the rules layer of ``cycle``), read from a
CSV file, and summed up (rates, and what the bonus territoire needs)."""

import csv
from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction

from ctg import formats, horloge
from ctg.formats import trier_par_nom

from . import perms
from .cycle import TransitionImpossible, _auteur, _exiger, _valeurs_termes
from .models import Adhesion, Convention, StatutAdhesion


@dataclass
class ResumeAdhesions:
    communes: int
    adherees: int
    en_attente: int
    refusees: int
    population: int
    population_adherente: int
    bonus_bloque: list[Adhesion]

    @property
    def taux_communes(self) -> float:
        return 100 * self.adherees / self.communes if self.communes else 0.0

    @property
    def taux_population(self) -> float:
        return 100 * self.population_adherente / self.population if self.population else 0.0


def resume_adhesions(convention: Convention) -> ResumeAdhesions:
    adhesions = trier_par_nom(convention.adhesions.select_related("commune"), nom=lambda a: a.commune.nom)
    adherees = [a for a in adhesions if a.statut == StatutAdhesion.ADHEREE]
    return ResumeAdhesions(
        communes=len(adhesions),
        adherees=len(adherees),
        en_attente=sum(1 for a in adhesions if a.statut == StatutAdhesion.EN_ATTENTE),
        refusees=sum(1 for a in adhesions if a.statut == StatutAdhesion.REFUSEE),
        population=sum(a.commune.population or 0 for a in adhesions),
        population_adherente=sum(a.commune.population or 0 for a in adherees),
        bonus_bloque=[a for a in adhesions if a.bonus_bloque],
    )


def convention_de_reference(epci_code: str) -> Convention | None:
    """The convention whose statements describe an EPCI today (the childhood competence transferred by its communes,
    whether it covers the SPPE schéma): the one in force, else the latest signed, else the latest draft."""
    from .models import Statut

    conventions = list(
        Convention.objects.filter(epci_id=epci_code).select_related("resiliation").order_by("-date_debut", "-pk")
    )
    en_vigueur = [c for c in conventions if c.statut_du_jour == Statut.EN_VIGUEUR]
    signees = [c for c in conventions if c.est_signee]
    return (en_vigueur or signees or conventions or [None])[0]


def competences_transferees(convention: Convention | None) -> set[str]:
    """The communes that transferred their childhood competence to the EPCI, as the adhesions of ``convention`` (its
    reference convention, :func:`convention_de_reference`) record it."""
    if convention is None:
        return set()
    return set(
        convention.adhesions.filter(competence_petite_enfance_transferee=True).values_list("commune_id", flat=True)
    )


# --- Many adhesions at once: a CSV file -------------------------------------------------------------------------

COLONNES_CSV = ("code_insee", "commune", "statut", "date_deliberation")
STATUTS_CSV = {
    **{s.value: s.value for s in StatutAdhesion},
    **{s.label.casefold(): s.value for s in StatutAdhesion},
    "adherente": StatutAdhesion.ADHEREE,
    "adhérente": StatutAdhesion.ADHEREE,
    "refus": StatutAdhesion.REFUSEE,
}
LIGNES_MAX = 2000  # an EPCI has at most a few hundred communes


class FichierAdhesionsInvalide(Exception):
    """The file cannot be read as a table of adhesions; ``erreurs`` lists every line refused and why."""

    def __init__(self, erreurs: list[str]):
        super().__init__(" ; ".join(erreurs))
        self.erreurs = erreurs


def _date_csv(texte: str) -> date | None:
    if not texte:
        return None
    for forme in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(texte, forme).date()
        except ValueError:
            continue
    raise ValueError(f"date « {texte} » illisible (JJ/MM/AAAA)")


def lire_csv_adhesions(contenu: bytes) -> dict[str, dict]:
    """The adhesions of a CSV file (``;`` or ``,``, UTF-8 or Windows-1252, as Excel writes it): commune's INSEE code
    -> {"statut", "date_deliberation"}. The columns are named in the first line: ``code_insee``, ``statut`` (adhérée,
    refusée, en attente) and ``date_deliberation`` (JJ/MM/AAAA); ``commune`` (its name) may be there, for reading.
    Every line is checked; ``FichierAdhesionsInvalide`` lists all that are wrong."""
    try:
        texte = contenu.decode("utf-8-sig")
    except UnicodeDecodeError:
        texte = contenu.decode("cp1252", errors="replace")
    lignes = texte.splitlines()
    if not lignes or not lignes[0].strip():
        raise FichierAdhesionsInvalide(["le fichier est vide."])
    separateur = ";" if lignes[0].count(";") >= lignes[0].count(",") else ","
    lecteur = csv.DictReader(lignes, delimiter=separateur)
    colonnes = [(c or "").strip().casefold() for c in lecteur.fieldnames or []]
    manquantes = [c for c in ("code_insee", "statut", "date_deliberation") if c not in colonnes]
    if manquantes:
        raise FichierAdhesionsInvalide(
            [
                f"ligne 1 : colonne(s) {', '.join(manquantes)} absente(s) ; "
                f"colonnes attendues : {';'.join(COLONNES_CSV)}."
            ]
        )
    lecteur.fieldnames = colonnes
    valeurs: dict[str, dict] = {}
    erreurs: list[str] = []
    for numero, ligne in enumerate(lecteur, start=2):
        if numero > LIGNES_MAX + 1:
            erreurs.append(f"plus de {LIGNES_MAX} lignes : ce n'est pas le tableau des communes d'un EPCI.")
            break
        code = (ligne.get("code_insee") or "").strip()
        if not code and not any((v or "").strip() for v in ligne.values() if isinstance(v, str)):
            continue  # an empty line
        statut = STATUTS_CSV.get((ligne.get("statut") or "").strip().casefold())
        problemes = []
        if not code:
            problemes.append("code INSEE absent")
        elif code in valeurs:
            problemes.append(f"commune {code} déjà donnée plus haut")
        if statut is None:
            problemes.append(f"statut « {ligne.get('statut') or ''} » inconnu (adhérée, refusée ou en attente)")
        try:
            jour = _date_csv((ligne.get("date_deliberation") or "").strip())
        except ValueError as exc:
            problemes.append(str(exc))
            jour = None
        if problemes:
            erreurs.append(f"ligne {numero} : {', '.join(problemes)}.")
        else:
            valeurs[code] = {"statut": statut, "date_deliberation": jour}
    if erreurs:
        raise FichierAdhesionsInvalide(erreurs)
    if not valeurs:
        raise FichierAdhesionsInvalide(["aucune commune dans le fichier."])
    return valeurs


# --- Adhesions (annexe 4) ----------------------------------------------------------------------------

CHAMPS_ADHESION = (
    "statut",
    "maire_civilite",
    "maire_prenom",
    "maire_nom",
    "date_deliberation",
    "ancienne_commune_cej",
    "competence_petite_enfance_transferee",
)


def _verifier_adhesion(statut: str, date_deliberation: date | None) -> None:
    if statut in {StatutAdhesion.ADHEREE, StatutAdhesion.REFUSEE} and date_deliberation is None:
        raise TransitionImpossible("Indiquez la date de la délibération du conseil municipal.")
    if date_deliberation and date_deliberation > horloge.aujourd_hui():
        raise TransitionImpossible("La date de la délibération est dans le futur.")


@transaction.atomic
def enregistrer_adhesion(adhesion: Adhesion, valeurs: dict, par=None) -> Adhesion:
    """The Caf adviser or the project lead records (or confirms) a commune's adhesion or refusal."""
    if par is not None:
        _exiger(
            perms.peut_confirmer_adhesion(par, adhesion.convention),
            "L'adhésion d'une commune est enregistrée par la Caf ou la collectivité ; la commune la propose.",
        )
    _valeurs_termes(adhesion, valeurs, CHAMPS_ADHESION)
    _verifier_adhesion(valeurs.get("statut", adhesion.statut), valeurs.get("date_deliberation"))
    for champ, valeur in valeurs.items():
        setattr(adhesion, champ, valeur)
    if adhesion.proposition and adhesion.statut == adhesion.proposition:
        adhesion.proposition, adhesion.proposition_deliberation = "", None
    _auteur(adhesion, par).save()
    return adhesion


class AdhesionsRefusees(TransitionImpossible):
    """Several adhesions recorded at once, some refused: ``erreurs`` maps each commune's name to why; nothing was
    written."""

    def __init__(self, erreurs: dict[str, str]):
        super().__init__(" ; ".join(f"{nom} : {raison}" for nom, raison in erreurs.items()))
        self.erreurs = erreurs


def enregistrer_adhesions(convention: Convention, valeurs: dict[str, dict], par=None) -> list[Adhesion]:
    """Record many communes' adhesions at once (a table, a CSV file): ``valeurs`` maps a commune's INSEE code to its
    fields. Each goes through ``enregistrer_adhesion``; all or nothing: if one is refused, none is written and
    ``AdhesionsRefusees`` names every commune refused and why. Returns the adhesions changed."""
    adhesions = {a.commune_id: a for a in convention.adhesions.select_related("commune", "convention")}
    erreurs: dict[str, str] = {}
    changees = []
    with transaction.atomic():
        for code, champs in valeurs.items():
            adhesion = adhesions.get(code)
            if adhesion is None:
                erreurs[code] = "cette commune n'est pas membre de l'intercommunalité de la convention."
                continue
            if all(getattr(adhesion, champ) == valeur for champ, valeur in champs.items()):
                continue
            try:
                with transaction.atomic():
                    changees.append(enregistrer_adhesion(adhesion, champs, par))
            except TransitionImpossible as exc:
                erreurs[adhesion.commune.nom] = str(exc)
        if erreurs:
            transaction.set_rollback(True)
    if erreurs:
        raise AdhesionsRefusees(erreurs)
    return changees


@transaction.atomic
def proposer_adhesion(adhesion: Adhesion, proposition: str, date_deliberation: date, par=None) -> Adhesion:
    """A commune's referent proposes its adhesion or its refusal, with the deliberation's date; it counts once the
    Caf adviser or the project lead confirms it."""
    if par is not None:
        _exiger(
            perms.peut_proposer_adhesion(par, adhesion.convention, adhesion.commune_id),
            "Seul·e le ou la référent·e de cette commune propose son adhésion.",
        )
    if proposition not in {StatutAdhesion.ADHEREE, StatutAdhesion.REFUSEE}:
        raise TransitionImpossible("Proposez une adhésion ou un refus.")
    _verifier_adhesion(proposition, date_deliberation)
    adhesion.proposition = proposition
    adhesion.proposition_deliberation = date_deliberation
    adhesion.proposee_par = par
    adhesion.proposee_le = horloge.maintenant()
    _auteur(adhesion, par, "Proposition de la commune").save()
    return adhesion


@transaction.atomic
def confirmer_adhesion(adhesion: Adhesion, par=None, accepter: bool = True) -> Adhesion:
    """Confirm (or reject) the commune's proposal."""
    if not adhesion.proposition:
        raise TransitionImpossible(f"Aucune proposition {formats.de(adhesion.commune.nom)} n'est en attente.")
    if not accepter:
        if par is not None:
            _exiger(
                perms.peut_confirmer_adhesion(par, adhesion.convention),
                "Seules la Caf et la collectivité confirment ou écartent une proposition.",
            )
        adhesion.proposition, adhesion.proposition_deliberation = "", None
        _auteur(adhesion, par, "Proposition de la commune écartée").save()
        return adhesion
    return enregistrer_adhesion(
        adhesion, {"statut": adhesion.proposition, "date_deliberation": adhesion.proposition_deliberation}, par
    )

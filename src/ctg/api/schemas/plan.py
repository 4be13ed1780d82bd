"""The action plan: what the API sends and receives."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ninja import Field, Schema

from .commun import Jour


class ValeurSaisie(Schema):
    date: date
    valeur: float
    commentaire: str


class CibleAnnuelle(Schema):
    annee: int
    valeur: float


class IndicateurAction(Schema):
    id: int
    definition_id: int = Field(
        description="l'indicateur défini dans la convention ; d'autres fiches peuvent le suivre, avec leurs cibles"
    )
    libelle: str
    unite: str
    source: str
    indicateur_catalogue: str
    territoire: str = Field(description="code INSEE de la commune des données ; vide : l'intercommunalité")
    annee_reference: int | None = Field(description="l'année de la valeur initiale (indicateur lié aux données)")
    valeur_initiale: float | None
    cible: float
    date_cible: date
    cibles: list[CibleAnnuelle] = Field(description="la cible de chaque année ; celle de l'échéance est la cible")
    valeurs: list[ValeurSaisie]
    version: int = Field(description="à renvoyer en le modifiant (409 s'il a changé depuis)")


class FicheCourte(Schema):
    id: int
    numero: int
    titre: str
    statut: str
    statut_libelle: str
    statut_le: date | None
    priorite: int
    date_debut: date | None
    date_fin: date | None
    communes: list[str]


class ActeurFiche(Schema):
    id: int = Field(description="la ligne : à renvoyer pour la garder en modifiant la fiche")
    role: str = Field(description="partenaire ou operateur")
    organisation_id: int
    organisation: str
    precision: str = Field(description="le service ou le contact dans l'organisation")


class JalonFiche(Schema):
    id: int = Field(description="la ligne : à renvoyer pour la garder en modifiant la fiche")
    libelle: str
    date_prevue: date
    date_realisee: date | None


class FinancementFiche(Schema):
    id: int = Field(description="la ligne : à renvoyer pour la garder en modifiant la fiche")
    financeur: str
    annee: int
    nature: str = Field(description="aide ou fonds_propres")
    montant: str = Field(description="montant prévu, en euros (texte décimal)")
    montant_realise: str | None = Field(description="montant réalisé, en euros (texte décimal) ; vide tant qu'inconnu")


class Fiche(FicheCourte):
    description: str
    public: str
    pilote_structure: str
    pilote_personne: str
    partenaires: str = Field(description="les partenaires, un par ligne (« Organisation — précision »)")
    pilote: int | None = Field(description="le compte du pilote (un membre de la convention), s'il en a un")
    acteurs: list[ActeurFiche] = Field(description="les partenaires et opérateurs, chacun une organisation")
    jalons: list[JalonFiche] = Field(description="les étapes de l'action, par date prévue")
    indicateurs: list[IndicateurAction]
    financements: list[FinancementFiche] = Field(description="le budget de l'action : prévu et réalisé")
    besoins: list[int] = Field(
        description="les besoins du diagnostic auxquels elle répond (identifiants : /diagnostic, besoins[].id)"
    )
    transitions: list[str] = Field(description="les changements de statut que vous pouvez faire aujourd'hui")
    objectifs: list[int] = Field(description="les objectifs servis (identifiants : /objectifs)")
    version: int = Field(description="la version de la fiche : à renvoyer en la modifiant (409 si elle a changé)")


class ChangementStatut(Schema):
    transition: str = Field(description="demarrer, signaler_retard, mettre_en_pause, reprendre, terminer…")


class NouvelleValeur(Schema):
    """Une valeur mesurée à une date (AAAA-MM-JJ) ; une valeur déjà saisie à cette date est remplacée."""

    date: date
    valeur: float
    commentaire: str = Field("", description="200 caractères au plus")


class SaisieCible(Schema):
    annee: int
    valeur: float


class SaisieIndicateur(Schema):
    """Un indicateur suivi par la fiche, comme son formulaire : un indicateur déjà défini dans la convention
    (``definition_id``, suivi aussi par d'autres fiches) ou celui décrit ici, puis la valeur initiale, la cible
    finale et sa date, et la cible de chaque année."""

    definition_id: int | None = Field(None, description="un indicateur déjà défini (GET : indicateurs[].definition_id)")
    libelle: str = Field("", description="ou l'indicateur décrit : son intitulé, 200 caractères au plus")
    unite: str = ""
    source: str = ""
    indicateur_catalogue: str = Field("", description="le code d'un indicateur du diagnostic (/indicateurs)")
    territoire: str = Field("", description="code INSEE d'une commune de l'intercommunalité ; vide : l'EPCI")
    annee_reference: int | None = None
    valeur_initiale: float | None = Field(None, description="obligatoire pour un indicateur non lié aux données")
    cible: float | None = Field(None, description="la cible finale (obligatoire)")
    date_cible: date | None = Field(None, description="la date de la cible finale (obligatoire)")
    cibles: list[SaisieCible] = Field([], max_length=100, description="la cible de chaque année, une par année")


class ModificationIndicateur(Schema):
    """Les champs de l'indicateur à changer ; un champ absent garde sa valeur. ``cibles`` présente remplace les
    cibles annuelles (une année absente est retirée) ; celle de l'année de ``date_cible`` est toujours la cible."""

    definition_id: int | None = None
    libelle: str | None = None
    unite: str | None = None
    source: str | None = None
    indicateur_catalogue: str | None = None
    territoire: str | None = None
    annee_reference: int | None = None
    valeur_initiale: float | None = None
    cible: float | None = None
    date_cible: date | None = None
    cibles: list[SaisieCible] | None = Field(None, max_length=100)
    version: int | None = Field(None, description="la version lue : si elle a changé depuis, 409 (version_perimee)")


class LigneActeur(Schema):
    """Un partenaire ou un opérateur : une organisation de la convention (``organisation_id``, voir ``acteurs`` des
    fiches) ou nommée (``nom`` : retrouvée quels que soient casse et accents, sinon créée)."""

    id: int | None = Field(None, description="la ligne existante gardée (GET : acteurs[].id) ; absent : une nouvelle")
    role: str = Field("partenaire", description="partenaire ou operateur")
    organisation_id: int | None = None
    nom: str = Field("", description="ou le nom d'une organisation, 200 caractères au plus")
    precision: str = Field("", description="le service ou le contact, 200 caractères au plus")


class LigneJalon(Schema):
    id: int | None = Field(None, description="la ligne existante gardée (GET : jalons[].id) ; absent : une nouvelle")
    libelle: str = Field(description="200 caractères au plus")
    date_prevue: date
    date_realisee: date | None = None


class LigneFinancement(Schema):
    id: int | None = Field(
        None, description="la ligne existante gardée (GET : financements[].id) ; absent : une nouvelle"
    )
    financeur: str = Field(description="200 caractères au plus")
    annee: int
    nature: str = Field("aide", description="aide ou fonds_propres")
    montant: Decimal = Field(description="montant prévu, en euros")
    montant_realise: Decimal | None = Field(None, description="montant réalisé, en euros ; vide tant qu'inconnu")


class SaisieFiche(Schema):
    """Une nouvelle fiche action, comme le formulaire « Nouvelle fiche action » : « à venir », ou démarrée
    aussitôt (``statut`` : en_cours)."""

    titre: str = Field(description="200 caractères au plus")
    description: str = ""
    public: str = ""
    pilote_structure: str = ""
    pilote_personne: str = ""
    date_debut: date | None = None
    date_fin: date | None = None
    priorite: int = Field(2, description="1 haute, 2 moyenne, 3 basse")
    communes: list[str] = Field([], description="codes INSEE des communes concernées ; aucune : tout le territoire")
    objectifs: list[int] = Field([], description="identifiants des objectifs servis (/objectifs)")
    besoins: list[int] = Field([], description="identifiants des besoins du diagnostic auxquels elle répond")
    pilote: int | None = Field(None, description="le compte du pilote : un membre de la convention")
    statut: str = Field("a_venir", description="a_venir, ou en_cours pour démarrer la fiche aussitôt")
    acteurs: list[LigneActeur] = Field([], max_length=200, description="les partenaires et opérateurs")
    jalons: list[LigneJalon] = Field([], max_length=200, description="les étapes de l'action")
    financements: list[LigneFinancement] = Field([], max_length=200, description="le budget de l'action")


class ModificationFiche(Schema):
    """Les champs de la fiche à changer ; un champ absent garde sa valeur. Une liste (``acteurs``, ``jalons``,
    ``financements``) présente remplace toutes les lignes de la fiche : une ligne avec son ``id`` est gardée (et
    modifiée), une ligne sans ``id`` est ajoutée, une ligne existante absente de la liste est supprimée."""

    titre: str | None = None
    description: str | None = None
    public: str | None = None
    pilote_structure: str | None = None
    pilote_personne: str | None = None
    date_debut: date | None = None
    date_fin: date | None = None
    priorite: int | None = None
    communes: list[str] | None = None
    objectifs: list[int] | None = None
    besoins: list[int] | None = Field(None, description="identifiants des besoins du diagnostic (GET : besoins)")
    pilote: int | None = Field(
        None, description="le compte du pilote (null : aucun) ; seuls les éditeurs de la convention le changent"
    )
    acteurs: list[LigneActeur] | None = Field(None, max_length=200, description="les partenaires et opérateurs")
    jalons: list[LigneJalon] | None = Field(None, max_length=200, description="les étapes de l'action")
    financements: list[LigneFinancement] | None = Field(None, max_length=200, description="le budget de l'action")
    version: int | None = Field(
        None,
        description="la version de la fiche lue (GET) : si elle a changé depuis, 409 (version_perimee) et rien "
        "n'est écrit ; sans elle, la fiche actuelle est modifiée",
    )


class Plan(Schema):
    statut: str = Field(description="en_preparation, adopte, en_revision ou clos")
    statut_libelle: str
    etat: str = Field(description="l'état du plan en mots, comme sa page")
    adopte_le: date | None = Field(description="la première adoption (article 4), gardée par les révisions")
    revision_ouverte_le: date | None
    motif_revision: str
    revise_le: date | None
    clos_le: date | None
    objectifs_modifiables: bool = Field(description="l'arbre des objectifs s'écrit (en préparation ou en révision)")


class AdoptionPlan(Schema):
    date: Jour = Field(description="la date de la réunion du comité de pilotage qui adopte ; pas dans le futur")


class RevisionPlan(Schema):
    motif: str = Field(description="la décision du comité de pilotage qui ouvre la révision, 1000 caractères au plus")


class Objectif(Schema):
    id: int
    parent: int | None = Field(description="l'objectif auquel il est rattaché ; aucun pour une mission")
    numero: str = Field(description="sa place dans l'arbre, comme sur la page (ex. 2.1.3)")
    niveau: str
    niveau_libelle: str
    intitule: str
    description: str
    champ: str
    champ_libelle: str
    signataire: str
    source: str = Field(description="l'article de la convention d'une mission ou d'un enjeu (ni déplacé ni renommé)")
    version: int = Field(description="à renvoyer en le modifiant (409 s'il a changé depuis)")


class SaisieObjectif(Schema):
    """Un objectif de l'arbre, comme son formulaire : rattaché à un objectif (son niveau suit celui du parent)."""

    intitule: str = Field(description="300 caractères au plus")
    rattachement: int | None = Field(None, description="l'objectif parent ; aucun : un nouveau champ d'intervention")
    description: str = ""
    champ: str = Field("partage", description="partage, caf, collectivite ou autre")
    signataire: str = Field("", description="le signataire dont c'est le champ (champ « autre »)")


class ModificationObjectif(Schema):
    """Les champs de l'objectif à changer ; un champ absent garde sa valeur."""

    intitule: str | None = None
    rattachement: int | None = None
    description: str | None = None
    champ: str | None = None
    signataire: str | None = None
    version: int | None = Field(None, description="la version lue : si elle a changé depuis, 409 (version_perimee)")


class EvaluationRevue(Schema):
    fiche: int
    numero: int
    progression: int | None
    statut: str
    statut_libelle: str
    commentaire: str
    decision: str
    decision_libelle: str


class AdaptationRevue(Schema):
    objectif: int
    texte: str


class RevueCourte(Schema):
    id: int
    type: str
    type_libelle: str
    date: date
    nom_instance: str


class Revue(RevueCourte):
    synthese: str
    effets: str
    evaluations: list[EvaluationRevue]
    adaptations: list[AdaptationRevue] = Field(description="bilan final : les adaptations proposées des objectifs")


class SaisieEvaluation(Schema):
    fiche: int = Field(description="identifiant de la fiche évaluée")
    progression: int | None = Field(None, description="avancement en % ; absent : celui calculé")
    statut: str | None = Field(None, description="statut constaté ; absent : le statut actuel de la fiche")
    commentaire: str = ""
    decision: str = Field("maintenir", description="maintenir, adapter ou arreter")


class NouvelleRevue(Schema):
    """Une revue du plan (plan ouvert) ou le bilan final (``type`` bilan, unique ; clôt le plan), comme le
    formulaire de la page : chaque fiche est évaluée ; une fiche absente d'``evaluations`` l'est comme le
    formulaire la propose (avancement calculé, statut actuel, « maintenir »)."""

    type: str = Field("revue", description="revue ou bilan")
    date: date
    nom_instance: str = "Comité de pilotage"
    synthese: str = ""
    effets: str = ""
    evaluations: list[SaisieEvaluation] = []
    adaptations: list[AdaptationRevue] = Field([], description="bilan final seulement")

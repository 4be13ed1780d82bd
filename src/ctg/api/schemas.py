"""What the API sends and receives (the OpenAPI schema is built from these). Labels come from the models' choices:
every code (``statut``) is sent with its French label (``statut_libelle``)."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from typing import Literal

from ninja import Field, Schema

Jour = date  # in a class whose field is named « date », the annotation « date | None » would read that field


class Erreur(Schema):
    code: str = Field(description="code stable : non_authentifie, interdit, introuvable, validation…")
    message: str = Field(description="ce qui ne va pas, en français")


# --- territories and indicators ---------------------------------------------------------------------------------


class Territoire(Schema):
    niveau: str = Field(description="commune, epci, departement ou france")
    code: str = Field(description="code INSEE (commune, département) ou SIREN (EPCI)")
    nom: str
    population: int | None = None
    population_annee: int | None = None
    departement: str | None = None
    epci: str | None = None
    communes: list[CommuneCourte] | None = Field(None, description="les communes membres (EPCI, département)")
    forme: dict | None = Field(None, description="contour GeoJSON (WGS84), avec ?forme=1")


class CommuneCourte(Schema):
    code: str
    nom: str


class Indicateur(Schema):
    code: str
    libelle: str
    domaine: str
    domaine_libelle: str
    definition: str
    formule: str
    unite: str
    agregation: str
    sources: list[str]
    decimales: int
    contexte: bool


class ValeurIndicateur(Schema):
    indicateur: str
    libelle: str
    unite: str
    niveau: str
    code: str
    annee: int | None
    valeur: float | None
    numerateur: float | None
    denominateur: float | None
    etat: str = Field(description="disponible, secret, partiel ou absent")
    etat_libelle: str
    demonstration: bool = Field(description="calculée sur des données de démonstration (fictives)")
    sources: list[dict] = Field(description="provenance : jeu de données, fichier, période, communes retenues")


# --- conventions --------------------------------------------------------------------------------------------------


class Signataire(Schema):
    partie: str
    civilite: str
    prenom: str
    nom: str
    qualite: str


class Convention(Schema):
    id: int
    titre: str
    caf: str
    epci: CommuneCourte
    date_debut: date
    date_fin: date
    date_signature: date | None
    statut: str = Field(description="statut du jour : brouillon, signee, en_vigueur, echue, resiliee…")
    statut_libelle: str
    ctes_identifiant: str | None = Field(description="identifiant @ctes de la transmission en préfecture")
    domaines: list[str]
    signataires: list[Signataire]
    envoye_prefecture_le: date | None
    recu_prefecture_le: date | None
    affiche_le: date | None
    deliberation_instance: str = Field(description="conseil_communautaire ou bureau_communautaire…")
    deliberation_date: date | None
    deliberation_numero: str
    annexe1: str = Field(description="annexe 1 : diagnostic à la signature")
    chef_projet_nom: str
    chef_projet_fonction: str
    objectifs_identifies_le: date | None
    tient_lieu_de_schema_sppe: bool | None
    visas: list[str] = Field(description="les visas (« Vu … »), dans l'ordre")
    tribunal_administratif: str = Field(description="tribunal administratif dont relève la Caf (article 13)")
    resiliation: ResiliationConvention | None = Field(description="la résiliation enregistrée (article 12)")
    version: int = Field(description="à renvoyer pour modifier la convention sans écraser une modification d'autrui")


class ResiliationConvention(Schema):
    mode: str = Field(description="mise_en_demeure, infraction, sans_avenant ou denonciation")
    mode_libelle: str
    initiative: str = Field(description="caf ou collectivite")
    date_envoi: date
    date_effet: date
    motif: str


class NouvelleConvention(Schema):
    """Une convention en brouillon, comme la page « Nouvelle convention » : réservé aux conseillers et conseillères
    d'une Caf (droit de créer une convention), pour une intercommunalité du département de leur Caf."""

    epci: str = Field(description="SIREN de l'EPCI (9 chiffres) ou son nom, s'il n'en désigne qu'un")
    date_debut: date
    date_fin: date | None = Field(None, description="par défaut : 31 décembre de l'année N+4")


class ModificationConvention(Schema):
    """Les champs de la page « Modifier la convention » ; un champ absent garde sa valeur. Une fois la convention
    signée, ses termes (titre, dates, domaines, délibération, annexe 1, chef·fe de projet, visas) ne changent que
    par avenant : les changer est refusé (409)."""

    titre: str | None = None
    date_debut: date | None = None
    date_fin: date | None = None
    domaines: list[str] | None = None
    ctes_identifiant: str | None = Field(None, description="DDD-SIREN-AAAAMMJJ-NUMERO-NATURE ; vide : aucun")
    envoye_prefecture_le: date | None = None
    recu_prefecture_le: date | None = None
    affiche_le: date | None = None
    deliberation_instance: str | None = None
    deliberation_date: date | None = None
    deliberation_numero: str | None = None
    annexe1: str | None = None
    chef_projet_nom: str | None = None
    chef_projet_fonction: str | None = None
    objectifs_identifies_le: date | None = None
    tient_lieu_de_schema_sppe: bool | None = None
    visas: list[str] | None = Field(None, description="tous les visas, dans l'ordre (remplacent les actuels)")
    signataires: list[SaisieSignataire] | None = Field(
        None, description="tous les signataires (remplacent les actuels) ; en brouillon seulement"
    )
    tribunal_administratif: str | None = Field(None, description="modifiable par le personnel de la Caf seulement")
    version: int | None = Field(
        None,
        description="la version lue (GET) : si la convention a changé depuis, 409 (version_perimee) et rien n'est "
        "écrit ; sans elle, la version actuelle",
    )


class SaisieSignataire(Schema):
    partie: str = Field(description="caf ou collectivite")
    ordre: int = Field(0, description="rang parmi les signataires de sa partie")
    civilite: str = Field(description="Madame ou Monsieur")
    prenom: str
    nom: str
    qualite: str = Field(description="president_ca, directeur_general, president_epci ou autre")
    qualite_autre: str = Field("", description="la qualité en toutes lettres, pour « autre »")


class SignatureConvention(Schema):
    date_signature: date = Field(description="pas dans le futur, ni après la fin de la convention")


class SaisieResiliation(Schema):
    """La fin de la convention (article 12), au nom de votre partie (la Caf ou la collectivité)."""

    mode: str = Field(description="mise_en_demeure, denonciation ; pour la Caf seule : infraction, sans_avenant")
    date_envoi: date = Field(description="date d'envoi de la lettre recommandée ou du préavis (pas dans le futur)")
    motif: str = ""
    confirmer_effet_passe: bool = Field(
        False, description="obligatoire (true) quand la date d'effet calculée est déjà passée"
    )


class Motif(Schema):
    motif: str = Field(description="2 000 caractères au plus")


class Adhesion(Schema):
    commune: CommuneCourte
    statut: str
    statut_libelle: str
    date_deliberation: date | None
    ancienne_commune_cej: bool
    competence_petite_enfance_transferee: bool
    proposition: str = Field(description="proposition de la commune à confirmer : adheree, refusee, ou vide")
    proposition_deliberation: date | None = Field(description="date de la délibération proposée")


class SaisieAdhesion(Schema):
    """L'adhésion (ou le refus) votée par le conseil municipal. Un champ absent garde sa valeur."""

    statut: str = Field(description="adheree, refusee ou en_attente")
    date_deliberation: date | None = Field(None, description="obligatoire pour une adhésion ou un refus")
    maire_civilite: str | None = Field(None, description="Madame ou Monsieur")
    maire_prenom: str | None = None
    maire_nom: str | None = None
    ancienne_commune_cej: bool | None = None
    competence_petite_enfance_transferee: bool | None = None


class TraitementProposition(Schema):
    decision: Literal["confirmer", "ecarter"] = Field(
        description="confirmer : la proposition devient l'adhésion (ou le refus) ; ecarter : elle est retirée"
    )


class Echeance(Schema):
    code: str
    libelle: str
    date: date
    etat: str
    etat_libelle: str
    detail: str
    source: str


class Avenant(Schema):
    numero: int
    statut: str
    statut_libelle: str
    date: date | None
    objet: str
    ctes_identifiant: str
    signataires: str
    modifications: dict = Field(description="champ de la convention → nouvelle valeur, appliquée à la signature")


class NouvelAvenant(Schema):
    """Un projet d'avenant, comme la page « Nouvel avenant » : son objet et les termes qu'il change une fois signé
    (un terme absent ne change pas)."""

    objet: str
    signataires: str = ""
    ctes_identifiant: str = Field("", description="identifiant @ctes de l'avenant, 80 caractères au plus")
    titre: str | None = None
    date_fin: date | None = None
    domaines: list[str] | None = Field(None, description="les domaines d'intervention après l'avenant")
    chef_projet_nom: str | None = None
    chef_projet_fonction: str | None = None
    annexe1: str | None = None


class SignatureAvenant(Schema):
    date_signature: date = Field(description="pas dans le futur, ni avant la signature de la convention")


class CorrectionConvention(Schema):
    """La correction d'une erreur matérielle d'une convention signée, comme le formulaire de la page « Modifier la
    convention » : son motif et les termes corrigés (un terme absent garde sa valeur)."""

    motif: str = Field(description="l'erreur matérielle corrigée ; conservé dans l'historique")
    titre: str | None = None
    date_debut: date | None = None
    date_fin: date | None = None
    domaines: list[str] | None = Field(None, description="les domaines d'intervention corrigés")
    chef_projet_nom: str | None = None
    chef_projet_fonction: str | None = None
    annexe1: str | None = None


class AdhesionEnBloc(Schema):
    commune: str = Field(description="code INSEE d'une commune membre")
    statut: str = Field(description="adheree, refusee ou en_attente")
    date_deliberation: date | None = Field(None, description="obligatoire pour une adhésion ou un refus")


class SaisieAdhesionsEnBloc(Schema):
    """Les adhésions de plusieurs communes d'un coup, comme le tableau « Saisir les adhésions » : tout ou rien ; une
    commune absente de la liste ne change pas."""

    adhesions: list[AdhesionEnBloc]


class MembreConvention(Schema):
    id: int = Field(description="identifiant de l'habilitation (pour retirer l'accès)")
    nom: str
    role: str
    role_libelle: str
    commune: CommuneCourte | None = Field(description="la commune d'une ou d'un référent")


class InvitationMembre(Schema):
    id: int
    email: str
    role: str
    role_libelle: str
    commune: CommuneCourte | None
    invitee_par: str
    creee_le: datetime
    expire_le: datetime = Field(description="le lien ne sert plus après ; une invitation révoquée expire aussitôt")


class MembresConvention(Schema):
    membres: list[MembreConvention]
    invitations: list[InvitationMembre] = Field(
        description="les invitations en attente (non utilisées, non expirées) : vues de qui peut inviter seulement"
    )


class NouvelleInvitation(Schema):
    """Une invitation, comme le formulaire de la page « Membres » : un lien personnel, à usage unique, valable 14
    jours, envoyé par courriel à la personne invitée (et à elle seule : il n'est jamais renvoyé par l'API)."""

    email: str
    role: str = Field(description="conseiller_caf, chef_projet, referent_commune, membre_copil ou lecture")
    commune: str = Field("", description="code INSEE de la commune, pour une ou un référent")


# --- shared diagnostic ----------------------------------------------------------------------------------------------


class Commentaire(Schema):
    domaine: str
    texte: str


class Besoin(Schema):
    id: int
    domaine: str
    intitule: str
    description: str
    public: str
    priorite: int | None
    indicateurs: list[str]
    communes: list[str]


class Contribution(Schema):
    auteur: str
    domaine: str
    date: date
    texte: str


class Diagnostic(Schema):
    statut: str
    statut_libelle: str
    annee: int | None
    synthese: str
    soumis_le: date | None
    valide_le: date | None
    commentaires: list[Commentaire]
    besoins: list[Besoin]
    contributions: list[Contribution]
    version: int = Field(description="à renvoyer pour modifier le texte sans écraser une modification d'autrui")


class SaisieSection(Schema):
    """Le texte d'une section du diagnostic partagé ; vide : la section est effacée (un commentaire est retiré)."""

    texte: str
    version: int | None = Field(
        None,
        description="la version lue (GET du diagnostic) : si le diagnostic a changé depuis, 409 (version_perimee) "
        "et rien n'est écrit ; sans elle, la version actuelle",
    )


class SaisieBesoin(Schema):
    """Un besoin du diagnostic, comme son formulaire."""

    domaine: str | None = Field(None, description="petite_enfance, jeunesse… (obligatoire)")
    intitule: str | None = Field(None, description="le besoin (obligatoire), 300 caractères au plus")
    description: str = ""
    public: str = ""
    priorite: int = Field(2, description="1 haute, 2 moyenne, 3 basse")
    communes: list[str] = Field([], description="codes INSEE des communes adhérentes concernées")
    indicateurs: list[str] = Field([], description="codes des indicateurs du diagnostic qui l'étayent")


class ModificationBesoin(Schema):
    """Les champs du besoin à changer ; un champ absent garde sa valeur."""

    domaine: str | None = None
    intitule: str | None = None
    description: str | None = None
    public: str | None = None
    priorite: int | None = None
    communes: list[str] | None = None
    indicateurs: list[str] | None = None


class SaisieContribution(Schema):
    """La contribution d'un partenaire ou d'un gestionnaire au diagnostic (annexe 2)."""

    auteur: str | None = Field(None, description="la structure ou la personne (obligatoire)")
    domaine: str = Field("", description="vide : tous domaines")
    date: Jour | None = Field(None, description="absente : aujourd'hui")
    texte: str | None = Field(None, description="la contribution (obligatoire)")


class ChangementDiagnostic(Schema):
    action: str = Field(description="soumettre (au comité de pilotage) ou retirer (retour en brouillon)")
    date: Jour | None = Field(None, description="la date de soumission ; absente : aujourd'hui")


# --- action plan ----------------------------------------------------------------------------------------------------


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


# --- comité de pilotage ---------------------------------------------------------------------------------------------


class Decision(Schema):
    ordre: int
    texte: str
    mode: str
    objet: str
    objet_libelle: str
    reference: str = Field(description="ex. « Fiche action 2.1 », un document")
    objet_id: int | None = Field(description="numéro de la fiche action ou de l'initiative décidée, le cas échéant")
    motif: str
    resultat: str = Field(description="adoptée par consensus, ou adoptée / rejetée avec le décompte des votes")
    effet: str = Field(description="ce que la décision adoptée a exécuté dans le produit")


class SaisieVote(Schema):
    membre: int = Field(description="identifiant d'un membre votant présent ou représenté")
    choix: str = Field(description="pour, contre ou abstention")


class NouvelleDecision(Schema):
    """Une décision de la réunion ; elle reçoit le numéro suivant."""

    texte: str
    mode: str = Field("consensus", description="consensus, ou vote (avec les votes)")
    objet: str = Field(
        "autre",
        description="diagnostic_valide, diagnostic_rouvert (motif obligatoire), plan_adopte, action_adaptee, "
        "initiative (son numéro dans objet_id), evaluation, financement ou autre",
    )
    motif: str = ""
    reference: str = Field("", description="200 caractères au plus")
    objet_id: int | None = Field(None, description="numéro de la fiche action ou de l'initiative")
    votes: list[SaisieVote] = Field([], description="mode « vote » : le vote de chaque membre qui a voté")


class Presence(Schema):
    membre: int = Field(description="identifiant du membre du comité")
    nom: str
    etat: str = Field(description="present, excuse, represente, absent, ou vide : non renseignée")
    represente_par: str


class PointOrdreDuJour(Schema):
    rubrique: str = Field(
        "autre", description="diagnostic, plan, evaluation, finances, coordination, innovation ou autre"
    )
    intitule: str = Field(min_length=1, max_length=300)


class ReponseConvocation(Schema):
    membre: int = Field(description="identifiant du membre du comité qui répond")
    nom: str
    reponse: str = Field(description="vient ou excuse")
    reponse_libelle: str
    remplacant: str = Field(description="qui le ou la représente, s'il ou elle ne vient pas")
    commentaire: str
    repondu_le: datetime


class CommentaireCompteRendu(Schema):
    membre: int = Field(description="identifiant du membre du comité qui commente")
    nom: str
    texte: str
    ecrit_le: datetime


class Reunion(Schema):
    id: int
    comite: str
    comite_id: int = Field(description="le comité de pilotage ou l'un de ses sous-comités")
    date: date
    heure_debut: str = Field(description="HH:MM")
    heure_fin: str = Field(description="HH:MM")
    lieu: str
    lien_visio: str
    statut: str
    statut_libelle: str
    ordre_du_jour: list[PointOrdreDuJour]
    convocations_envoyees_le: datetime | None
    compte_rendu: str
    compte_rendu_approuve_le: date | None
    version: int = Field(description="à renvoyer pour modifier la réunion sans écraser une modification d'autrui")
    decisions: list[Decision]
    presences: list[Presence] = Field(description="chaque membre en fonction le jour de la réunion")
    reponses: list[ReponseConvocation] = Field([], description="les réponses des membres à la convocation")
    commentaires: list[CommentaireCompteRendu] = Field(
        [], description="les commentaires des membres sur le projet de compte rendu"
    )


class NouvelleReunion(Schema):
    """Une réunion à planifier, comme le formulaire « Nouvelle réunion » : un lieu, un lien de visioconférence, ou
    les deux ; l'heure de fin suit l'heure de début."""

    comite: int | None = Field(None, description="identifiant d'un sous-comité ; sans lui : le comité de pilotage")
    date: date
    heure_debut: time = Field(time(14, 0), description="HH:MM")
    heure_fin: time = Field(time(16, 0), description="HH:MM")
    lieu: str = Field("", description="300 caractères au plus")
    lien_visio: str = Field("", description="adresse https de la visioconférence")
    ordre_du_jour: list[PointOrdreDuJour] = Field([], description="les points, dans l'ordre")


class ModificationReunion(Schema):
    """Les champs à changer ; un champ absent garde sa valeur. La date et le comité d'une réunion tenue ne changent
    plus ; une réunion close (compte rendu approuvé) ne change plus."""

    comite: int | None = None
    date: Jour | None = None
    heure_debut: time | None = None
    heure_fin: time | None = None
    lieu: str | None = None
    lien_visio: str | None = None
    ordre_du_jour: list[PointOrdreDuJour] | None = Field(
        None, description="l'ordre du jour entier, qui remplace le précédent (les points gardent leur rang)"
    )
    version: int | None = Field(
        None,
        description="la version de la réunion lue : si elle a changé depuis, 409 (version_perimee) et rien n'est "
        "écrit ; sans elle, la réunion actuelle est modifiée",
    )


class ChangementReunion(Schema):
    action: Literal["annuler", "retablir", "approuver"] = Field(
        description="annuler une réunion planifiée, retablir (planifier de nouveau) une réunion annulée, approuver "
        "le compte rendu d'une réunion tenue (la réunion est alors close)"
    )


class SaisieCompteRendu(Schema):
    compte_rendu: str = Field(description="un paragraphe par ligne ; les présences et les décisions s'y ajoutent")
    version: int | None = Field(None, description="la version de la réunion lue (409 si elle a changé depuis)")


class EnvoiConvocations(Schema):
    travail: int = Field(description="le travail en arrière-plan qui envoie les courriels")
    statut: str = Field(description="en_attente, en_cours, termine ou echec")
    statut_libelle: str
    message: str = Field(description="le bilan : membres convoqués, membres sans adresse de courriel")
    details: list[str]
    reunion: Reunion


class SaisiePresence(Schema):
    membre: int
    etat: str = Field(description="present, excuse, represente, absent ; vide : efface la présence enregistrée")
    represente_par: str = Field("", description="qui représentait le membre (état « represente »)")


class SaisiePresences(Schema):
    """Les présences à enregistrer ; un membre absent de la liste garde la présence déjà enregistrée."""

    presences: list[SaisiePresence]


class SaisieReponse(Schema):
    """La réponse du membre à la convocation (elle remplace sa réponse précédente)."""

    reponse: Literal["vient", "excuse"] = Field(description="vient : présent·e ; excuse : absent·e")
    remplacant: str = Field("", description="s'il ou elle ne vient pas : qui le ou la représente (200 caractères)")
    commentaire: str = Field("", description="2000 caractères au plus")


class SaisieCommentaire(Schema):
    texte: str = Field(description="le commentaire du membre sur le projet de compte rendu (5000 caractères)")


class MembreComite(Schema):
    id: int
    comite_id: int = Field(description="le comité de pilotage ou l'un de ses sous-comités")
    civilite: str
    prenom: str
    nom: str
    nom_complet: str
    organisation: str
    fonction: str
    email: str | None = Field(description="visible de la Caf et de la collectivité seulement (sinon null)")
    cote: str = Field(description="caf, collectivite, cosignataire ou partenaire")
    cote_libelle: str
    role: str = Field(description="votant, consultatif, animateur, pilote ou secretariat")
    role_libelle: str
    vote: bool = Field(description="voix délibérative")
    debut: date
    fin: date | None = Field(description="dernier jour du mandat ; null : en cours")
    en_fonction: bool = Field(description="en fonction aujourd'hui")
    compte: int | None = Field(description="le compte CTG de la personne, si elle en a un")


class MembreEnregistre(MembreComite):
    parite: str = Field(description="la parité du comité de pilotage aujourd'hui, comme l'affiche la page")


class Parite(Schema):
    respectee: bool
    caf: int = Field(description="membres votants de la Caf en fonction")
    collectivite: int = Field(description="membres votants de la collectivité en fonction")
    cosignataires: int
    message: str


class Comite(Schema):
    id: int
    nom: str
    thematique: str
    description: str
    membres: list[MembreComite] = Field(description="tous ses membres, anciens compris")


class Composition(Comite):
    parite: Parite = Field(description="la parité des membres votants en fonction aujourd'hui (article 6)")
    sous_comites: list[Comite]


class SaisieMembre(Schema):
    """Un membre du comité, comme le formulaire de la composition : l'animateur·rice représente la Caf, le pilote
    la collectivité ; la fin du mandat suit son début."""

    comite: int | None = Field(None, description="identifiant d'un sous-comité ; sans lui : le comité de pilotage")
    civilite: str = Field("", description="Madame, Monsieur ou vide")
    prenom: str
    nom: str
    organisation: str = Field(description="ex. Caf du Nord, CA de Cambrai")
    fonction: str = ""
    email: str = Field("", description="pour recevoir les convocations")
    cote: str = Field(description="caf, collectivite, cosignataire ou partenaire")
    role: str = Field("votant", description="votant, consultatif, animateur, pilote ou secretariat")
    debut: date | None = Field(None, description="début du mandat ; sans lui : aujourd'hui")
    fin: date | None = Field(None, description="dernier jour du mandat")
    compte: int | None = Field(None, description="identifiant du compte CTG d'un membre de la convention")


class ModificationMembre(Schema):
    """Les champs à changer ; un champ absent garde sa valeur (``fin`` et ``compte`` à null les effacent)."""

    comite: int | None = None
    civilite: str | None = None
    prenom: str | None = None
    nom: str | None = None
    organisation: str | None = None
    fonction: str | None = None
    email: str | None = None
    cote: str | None = None
    role: str | None = None
    debut: date | None = None
    fin: date | None = None
    compte: int | None = None


class NouveauSousComite(Schema):
    nom: str = Field("Commission thématique", description="200 caractères au plus")
    thematique: str = Field(description="la thématique du sous-comité, 200 caractères au plus")
    description: str = Field("", description="sa mission")


class Initiative(Schema):
    id: int
    titre: str
    commune: CommuneCourte | None = Field(description="null : tout le territoire")
    operateur: str
    domaine: str
    domaine_libelle: str
    description: str
    reperee_le: date
    suivi: str = Field(description="reperee, a_discuter, suivie, transformee ou ecartee")
    suivi_libelle: str
    notes_suivi: str
    fiche_reference: str = Field(description="la fiche action née de l'initiative, une fois transformée")
    fiche_id: int | None
    transformee_le: date | None


class NouvelleInitiative(Schema):
    """Une initiative du territoire signalée au comité, comme le formulaire « Signaler une initiative »."""

    titre: str = Field(description="200 caractères au plus")
    commune: str | None = Field(
        None, description="code INSEE d'une commune de l'intercommunalité ; sans lui : tout le territoire"
    )
    operateur: str = ""
    domaine: str = ""
    description: str
    reperee_le: date | None = Field(None, description="sans elle : aujourd'hui")


class ModificationInitiative(Schema):
    """Les champs à changer, et le suivi ; un champ absent garde sa valeur (``commune`` à null : tout le
    territoire)."""

    titre: str | None = None
    commune: str | None = None
    operateur: str | None = None
    domaine: str | None = None
    description: str | None = None
    reperee_le: date | None = None
    suivi: str | None = Field(None, description="reperee, a_discuter, suivie ou ecartee")
    notes_suivi: str | None = None


class TransformationInitiative(Schema):
    reference: str = Field("", description="ex. « Fiche action 3.2 » ; vide : créée par le plan d'actions")
    fiche_id: int | None = Field(None, description="numéro de la fiche action, si elle existe déjà")


# --- financing ------------------------------------------------------------------------------------------------------


class Capacite(Schema):
    depuis: date
    places: int
    places_employeurs: int
    heures: str | None = Field(description="heures d'ouverture ou d'accueil par an (texte décimal)")
    etp: str | None = Field(description="équivalents temps plein (texte décimal)")


class Gestionnaire(Schema):
    id: int
    nom: str


class Structure(Schema):
    id: int
    nom: str
    type: str
    type_libelle: str
    commune: CommuneCourte
    psu: bool
    date_ouverture: date | None
    date_fermeture: date | None
    demonstration: bool
    reference: str
    gestionnaire: Gestionnaire
    communes_desservies: list[CommuneCourte]
    cofinancee: bool
    en_qpv: bool
    en_zrr: bool
    capacites: list[Capacite] = Field(description="la capacité à compter de chaque date, la plus ancienne d'abord")
    version: int = Field(description="à renvoyer pour modifier la structure sans écraser une modification d'autrui")


class ModificationStructure(Schema):
    """Les champs de la page « Modifier la structure » (un champ absent garde sa valeur) ; une nouvelle capacité
    (places, heures, ETP) s'ajoute à compter de `capacite_depuis`, l'historique des capacités est conservé."""

    nom: str | None = None
    type: str | None = Field(None, description="eaje, alsh, laep, rpe, centre_social, evs ou autre")
    reference: str | None = None
    gestionnaire: int | None = Field(None, description="un organisme de la convention (identifiant)")
    nouveau_gestionnaire: str | None = Field(None, description="ou le nom d'un nouveau gestionnaire")
    commune: str | None = Field(None, description="code INSEE de la commune d'implantation, membre")
    communes_desservies: list[str] | None = None
    psu: bool | None = None
    cofinancee: bool | None = None
    en_qpv: bool | None = None
    en_zrr: bool | None = None
    date_ouverture: date | None = None
    date_fermeture: date | None = None
    capacite_depuis: date | None = Field(None, description="par défaut : la date d'ouverture")
    places: int | None = None
    places_employeurs: int | None = None
    heures: Decimal | None = None
    etp: Decimal | None = None
    version: int | None = Field(
        None,
        description="la version lue de la structure : si elle a changé depuis, 409 (version_perimee) et rien n'est "
        "écrit",
    )


class NouvelleStructure(ModificationStructure):
    """Une structure de la convention, comme la page « Nouvelle structure »."""

    nom: str
    type: str = Field(description="eaje, alsh, laep, rpe, centre_social, evs ou autre")
    commune: str = Field(description="code INSEE de la commune d'implantation, membre")


class Composante(Schema):
    code: str
    libelle: str
    montant: str
    explication: str
    bonus_territoire: bool


class Bonus(Schema):
    structure: int
    nom: str
    type: str
    commune: str
    commune_nom: str
    annee: int
    statut: str
    statut_libelle: str
    bonus_territoire: str = Field(description="montant dû, en euros (texte décimal)")
    montant_calcule: str
    ctre: str
    composantes: list[Composante]
    explication: list[str] = Field(description="le montant en mots : règle, taux, référence, conditions")


class EngagementCommune(Schema):
    annee: int
    engagement: str | None = Field(description="engagement Cej de la commune, en euros (texte décimal)")
    financement: str | None = Field(description="financement de la commune retenu pour l'engagement, en euros")
    statut: str
    statut_libelle: str
    alerte: str = Field(description="le financement inférieur à l'engagement, en mots ; vide sans alerte")


class Financement(Schema):
    id: int
    structure: int
    structure_nom: str
    annee: int
    document: str = Field(description="budget (prévisionnel) ou compte (de résultat)")
    document_libelle: str
    montant_commune: str = Field(description="financement de la commune, en euros (texte décimal)")
    montant_autres: str = Field(description="autres financeurs, en euros (texte décimal)")
    commentaire: str
    origine: str
    version: int = Field(description="à renvoyer pour modifier la ligne sans écraser une modification d'autrui")
    engagement: EngagementCommune | None = Field(
        description="l'engagement de maintien des financements de la commune cette année-là (ancienne commune Cej)"
    )


class SaisieFinancement(Schema):
    """Le financement d'une structure par la commune pour une année, lu dans un document (budget prévisionnel ou
    compte de résultat). Une ligne déjà saisie pour la même structure, année et document est modifiée."""

    structure: int = Field(description="identifiant de la structure (liste : /structures?commune=…)")
    annee: int
    document: Literal["budget", "compte"] = "compte"
    montant_commune: Decimal = Field(description="en euros, deux décimales au plus")
    montant_autres: Decimal = Field(Decimal("0"), description="département, MSA, autres collectivités…")
    commentaire: str = Field("", description="300 caractères au plus")
    version: int | None = Field(
        None,
        description="la version de la ligne lue (réponse précédente) : si elle a changé depuis, 409 "
        "(version_perimee) et rien n'est écrit ; sans elle, la ligne existante est modifiée",
    )


class LigneCej(Schema):
    structure: int
    structure_nom: str
    montant_n1: str = Field(description="montant bonifié N-1 de la Caf (charges à payer), en euros (texte décimal)")
    unites_reference: str = Field(description="unités couvertes : places, heures ou ETP (texte décimal)")
    engagement_commune: str = Field(description="financement annuel de la commune prévu au Cej, en euros")


class Cej(Schema):
    id: int
    commune: CommuneCourte
    intitule: str
    date_debut: date
    date_fin: date
    annee_reference: int = Field(description="l'année N-1 dont le montant bonifié est conservé")
    actions: str
    commentaire: str
    reprise_de: int | None = Field(description="le Cej de la convention précédente repris au renouvellement")
    demonstration: bool
    lignes: list[LigneCej]


class SaisieLigneCej(Schema):
    structure: int = Field(description="identifiant d'une structure de la convention (liste : /structures)")
    montant_n1: Decimal = Field(description="en euros, deux décimales au plus")
    unites_reference: Decimal = Decimal("0")
    engagement_commune: Decimal = Field(Decimal("0"), description="en euros par an")


class NouveauCej(Schema):
    """Un contrat enfance jeunesse de référence, comme le formulaire « Nouveau Cej » : une commune membre, ses dates,
    l'année N-1 de référence et, par structure, les montants de référence."""

    commune: str = Field(description="code INSEE d'une commune membre de la convention")
    intitule: str = Field(description="ex. « Cej 2018-2021 de Cambrai », 200 caractères au plus")
    date_debut: date
    date_fin: date
    annee_reference: int
    actions: str = ""
    commentaire: str = ""
    lignes: list[SaisieLigneCej] = Field([], description="une ligne par structure")


class ModificationCej(Schema):
    """Les champs à changer ; un champ absent garde sa valeur."""

    commune: str | None = None
    intitule: str | None = None
    date_debut: date | None = None
    date_fin: date | None = None
    annee_reference: int | None = None
    actions: str | None = None
    commentaire: str | None = None
    lignes: list[SaisieLigneCej] | None = Field(
        None,
        description="toutes les lignes du Cej : celle d'une structure déjà présente est modifiée, une structure "
        "absente de la liste perd sa ligne",
    )


class Verification(Schema):
    id: int
    commune: CommuneCourte
    annee: int
    conclusion: str = Field(description="conforme (bonus versé) ou non_conforme (bonus suspendu)")
    conclusion_libelle: str
    documents: str = Field(description="les documents examinés, un par ligne")
    commentaire: str
    piece_jointe: str = Field(description="le nom du fichier joint tel qu'il a été déposé ; vide sans pièce")
    piece_jointe_type: str = Field(description="son type, reconnu à son contenu")
    piece_jointe_url: str | None = Field(description="l'adresse de son téléchargement ; null sans pièce")
    verifie_par: str
    verifie_le: datetime


# --- tokens ---------------------------------------------------------------------------------------------------------


class Moi(Schema):
    identifiant: str
    jeton: str | None = Field(None, description="nom du jeton utilisé (absent avec une session)")
    ecriture: bool
    derniere_utilisation: datetime | None = None


Territoire.model_rebuild()
Convention.model_rebuild()
ModificationConvention.model_rebuild()

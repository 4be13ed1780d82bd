"""The comité de pilotage: what the API sends and receives."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Literal

from ninja import Field, Schema

from .commun import CommuneCourte, Jour


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

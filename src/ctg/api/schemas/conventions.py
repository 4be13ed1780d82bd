"""Conventions: parties, adhesions, deadlines, avenants, members and invitations: what the API sends and receives."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from ninja import Field, Schema

from .commun import CommuneCourte


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


Convention.model_rebuild()
ModificationConvention.model_rebuild()

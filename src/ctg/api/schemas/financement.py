"""Financing: what the API sends and receives."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from ninja import Field, Schema

from .commun import CommuneCourte


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

"""The shared diagnostic: what the API sends and receives."""

from __future__ import annotations

from datetime import date

from ninja import Field, Schema

from .commun import Jour


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

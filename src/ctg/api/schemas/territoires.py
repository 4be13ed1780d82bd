"""Territories and indicators: what the API sends and receives."""

from __future__ import annotations

from ninja import Field, Schema

from .commun import CommuneCourte


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


Territoire.model_rebuild()

"""What every part of the API shares: the error body, a commune named by its code."""

from __future__ import annotations

from datetime import date

from ninja import Field, Schema

Jour = date  # in a class whose field is named « date », the annotation « date | None » would read that field


class Erreur(Schema):
    code: str = Field(description="code stable : non_authentifie, interdit, introuvable, validation…")
    message: str = Field(description="ce qui ne va pas, en français")


class CommuneCourte(Schema):
    code: str
    nom: str

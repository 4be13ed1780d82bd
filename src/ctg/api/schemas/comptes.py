"""The caller's account: what the API sends and receives."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema


class Moi(Schema):
    identifiant: str
    jeton: str | None = Field(None, description="nom du jeton utilisé (absent avec une session)")
    ecriture: bool
    derniere_utilisation: datetime | None = None

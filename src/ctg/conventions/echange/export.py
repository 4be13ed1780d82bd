"""Writing a convention as a ``ctg-convention`` description (the format is described in ``echange/__init__.py``)."""

from __future__ import annotations

import json
from datetime import date

from ..models import (
    Convention,
    Resiliation,
)
from .commun import FORMAT, VERSION


def _iso(jour: date | None) -> str | None:
    return jour.isoformat() if jour else None


def exporter(convention: Convention) -> dict:
    """The description of a convention in the ``ctg-convention`` format (a dict ready for ``json.dumps``)."""
    caf = convention.caf
    resiliation = Resiliation.objects.filter(convention=convention).first()
    return {
        "format": FORMAT,
        "version": VERSION,
        "caf": {
            "departement": caf.departement_id,
            "nom": caf.nom,
            "tribunal_administratif": caf.tribunal_administratif,
        },
        "epci": {"siren": convention.epci_id, "nom": convention.epci.nom},
        "titre": convention.titre,
        "date_debut": _iso(convention.date_debut),
        "date_fin": _iso(convention.date_fin),
        "statut": convention.statut_du_jour,
        "date_signature": _iso(convention.date_signature),
        "domaines": list(convention.domaines or []),
        "ctes": {
            "identifiant": convention.ctes_identifiant or None,
            "envoye_prefecture_le": _iso(convention.envoye_prefecture_le),
            "recu_prefecture_le": _iso(convention.recu_prefecture_le),
            "affiche_le": _iso(convention.affiche_le),
        },
        "deliberation": {
            "instance": convention.deliberation_instance,
            "date": _iso(convention.deliberation_date),
            "numero": convention.deliberation_numero,
        },
        "annexe1": convention.annexe1,
        "chef_projet": {"nom": convention.chef_projet_nom, "fonction": convention.chef_projet_fonction},
        "diagnostic_valide_le": _iso(convention.diagnostic_valide_le),
        "objectifs_identifies_le": _iso(convention.objectifs_identifies_le),
        "visas": list(convention.visas.order_by("ordre", "pk").values_list("texte", flat=True)),
        "signataires": [
            {
                "partie": s.partie,
                "ordre": s.ordre,
                "civilite": s.civilite,
                "prenom": s.prenom,
                "nom": s.nom,
                "qualite": s.qualite,
                "qualite_autre": s.qualite_autre,
            }
            for s in convention.signataires.order_by("partie", "ordre", "pk")
        ],
        "avenants": [
            {
                "numero": a.numero,
                "date": _iso(a.date),
                "objet": a.objet,
                "modifications": dict(a.modifications),
                "signataires": a.signataires,
                "ctes_identifiant": a.ctes_identifiant,
            }
            for a in convention.avenants.order_by("numero")
        ],
        "adhesions": [
            {
                "commune": a.commune_id,
                "nom": a.commune.nom,
                "statut": a.statut,
                "maire": {"civilite": a.maire_civilite, "prenom": a.maire_prenom, "nom": a.maire_nom},
                "date_deliberation": _iso(a.date_deliberation),
                "ancienne_commune_cej": a.ancienne_commune_cej,
                "commentaire": a.commentaire,
            }
            for a in convention.adhesions.select_related("commune").order_by("commune_id")
        ],
        "resiliation": None
        if resiliation is None
        else {
            "mode": resiliation.mode,
            "date_envoi": _iso(resiliation.date_envoi),
            "date_effet": _iso(resiliation.date_effet),
            "initiative": resiliation.initiative,
            "motif": resiliation.motif,
        },
    }


def vers_json(donnees) -> str:
    """The JSON text of one description or of a list of them: UTF-8 characters kept, indented, final newline."""
    return json.dumps(donnees, ensure_ascii=False, indent=2) + "\n"

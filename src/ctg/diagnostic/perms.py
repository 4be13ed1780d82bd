"""Who may do what on the shared diagnostic of a convention (the roles are the convention's:
``ctg.conventions.perms``), and who may open each page.

The transitions of the shared diagnostic (``DiagnosticConvention``, a django-fsm machine) name their permission
here, as callables ``(diagnostic, user) -> bool``:

- the Caf adviser and the collectivité's project lead submit the diagnostic to the comité de pilotage, and
  withdraw it (back to draft) while the comité has not decided;
- validating it, and reopening a validated diagnostic, are acts of the comité de pilotage: they happen only while
  a decision of a held meeting of the comité is being applied (``ctg.diagnostic.partage.valider`` / ``rouvrir``,
  called by ``ctg.gouvernance.decisions``), on behalf of the person who records that decision (an editor of
  the convention).
"""

from ctg import acces
from ctg.comptes.models import Role
from ctg.conventions import perms as perms_convention

ROLES_REDACTION = {Role.CONSEILLER_CAF, Role.CHEF_PROJET}


def redige(user, convention) -> bool:
    """The Caf adviser or the project lead (or the administrator) of a convention still running."""
    if user is None or not user.is_authenticated or convention.est_terminee:
        return False
    return user.is_superuser or perms_convention.role(user, convention) in ROLES_REDACTION


def peut_soumettre(diagnostic, user) -> bool:
    return redige(user, diagnostic.convention)


def peut_retirer(diagnostic, user) -> bool:
    return redige(user, diagnostic.convention)


def par_decision_du_comite(diagnostic, user) -> bool:
    """Validation and reopening: only while a decision of the comité is applied, by whoever records it."""
    return getattr(diagnostic, "_decision_du_comite", None) is not None and redige(user, diagnostic.convention)


def peut_rediger(user, convention) -> bool:
    """Edit the text, the comments by domain and the needs (of a draft diagnostic only: see ``partage``)."""
    return perms_convention.peut_modifier(user, convention)


def peut_contribuer(user, convention) -> bool:
    return perms_convention.peut_contribuer(user, convention)


ACCES = {
    "diagnostic:convention": acces.MEMBRE,
    "diagnostic:besoins_export": acces.MEMBRE,
    "diagnostic:epci_communes_export": acces.PUBLIQUE,
    "diagnostic:departement_intercommunalites_export": acces.PUBLIQUE,
    "diagnostic:rapport_convention": acces.MEMBRE,
    "diagnostic:besoin_nouveau": acces.EDITION,
    "diagnostic:besoin": acces.EDITION,
    "diagnostic:contribution": acces.CONTRIBUTION,
    "diagnostic:statut": acces.POST,
    "diagnostic:epci": acces.PUBLIQUE,
    "diagnostic:epci_carte": acces.PUBLIQUE,
    "diagnostic:epci_export": acces.PUBLIQUE,
    "diagnostic:rapport_epci": acces.CONNECTE,  # a PDF rendered on demand: signed-in users only
    "diagnostic:commune": acces.PUBLIQUE,
    "diagnostic:indicateurs_export": acces.PUBLIQUE,  # the key figures of the page, as CSV or XLSX
    "diagnostic:carte_sig": acces.PUBLIQUE,  # GeoJSON for a GIS (an indicator by commune or by EPCI)
}


def exemples_acces(convention) -> dict:
    from .models import Besoin
    from .partage import diagnostic_de

    besoin = Besoin.objects.create(diagnostic=diagnostic_de(convention), domaine="jeunesse", intitule="Besoin")
    return {
        "besoin": besoin.pk,
        "action": "soumettre",
        "diagnostic:epci_export/format": "csv",
        "diagnostic:besoins_export/format": "csv",
        "diagnostic:epci_communes_export/format": "csv",
        "diagnostic:departement_intercommunalites_export/format": "csv",
        "diagnostic:departement_intercommunalites_export/code": "59",
        "diagnostic:indicateurs_export/code": "200068500",
        "diagnostic:indicateurs_export/format": "xlsx",
        "diagnostic:carte_sig/code": "200068500",
        "diagnostic:carte_sig/indicateur": "taux_couverture_global",
    }

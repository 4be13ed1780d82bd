"""The action plan of a convention: its objectives tree, its fiches action, the indicators they follow (defined once
for the convention), and its evaluation.

Seed (convention Caf du Nord × CA de Cambrai, 2021): article 1 (a strategic project built on the shared diagnostic),
article 2 (the four Caf missions), article 3 (fields of the collectivité and of other signatories), article 4 (the
"enjeux" and the objectives identified by the end of year 2), article 9 (evaluation at each review and a final
bilan), annexe 2 (a plan with concrete, dated, quantified objectives, 10 pages at most).

The rules (progress, lateness) live in ``ctg.plan.regles``; the tree of the seed in ``ctg.plan.arbre``.

Two state machines (django-fsm): the plan's own lifecycle (in preparation → adopted ⇄ under revision → closed by
the final bilan) and the status of each fiche action. Their transitions are the methods decorated below; who may
fire them is the ``permission`` (``ctg.plan.perms``), what must hold is the ``conditions`` (here). Callers go
through the rules layer ``ctg.plan.cycle``, never these methods nor the status fields directly.

Every act is dated: the rules layer sets ``_jour_acte`` on the instance (today for a person on a page; the date of
the comité's meeting for an adoption; the real date of a past act for a command or the demo), and the conditions
judge the act on that day. Once the convention has ended, the plan is read-only but for its final bilan.
"""

from .commun import (
    DERNIER_JOUR,
    PREMIER_JOUR,
    acte_pas_dans_le_futur,
    annee_dans_les_bornes,
    bilan_final_enregistre,
    contrainte,
    convention_signee_ce_jour,
    dans_les_bornes,
    fin_du_suivi,
    jamais_revise,
    jour_de_l_acte,
    motif_indique,
    motif_lecture_seule,
    plan_modifiable,
    posterieur_au_dernier_acte,
)
from .fiches import (
    ACTIVES,
    CONDITIONS_FICHE,
    ActeurFiche,
    FicheAction,
    Financement,
    Jalon,
    NatureFinancement,
    Priorite,
    RoleActeur,
    StatutFiche,
)
from .indicateurs import (
    CHAMPS_DEFINITION,
    CibleAnnuelle,
    DefinitionIndicateur,
    IndicateurAction,
    ValeurSaisie,
)
from .plan import (
    NIVEAU_ENFANT,
    Champ,
    Niveau,
    Objectif,
    Plan,
    StatutPlan,
)
from .revues import (
    AdaptationObjectif,
    Decision,
    EvaluationAction,
    Revue,
    TypeRevue,
)

__all__ = [
    "ACTIVES",
    "ActeurFiche",
    "AdaptationObjectif",
    "CHAMPS_DEFINITION",
    "CONDITIONS_FICHE",
    "Champ",
    "CibleAnnuelle",
    "DERNIER_JOUR",
    "Decision",
    "DefinitionIndicateur",
    "EvaluationAction",
    "FicheAction",
    "Financement",
    "IndicateurAction",
    "Jalon",
    "NIVEAU_ENFANT",
    "NatureFinancement",
    "Niveau",
    "Objectif",
    "PREMIER_JOUR",
    "Plan",
    "Priorite",
    "Revue",
    "RoleActeur",
    "StatutFiche",
    "StatutPlan",
    "TypeRevue",
    "ValeurSaisie",
    "acte_pas_dans_le_futur",
    "annee_dans_les_bornes",
    "bilan_final_enregistre",
    "contrainte",
    "convention_signee_ce_jour",
    "dans_les_bornes",
    "fin_du_suivi",
    "jamais_revise",
    "jour_de_l_acte",
    "motif_indique",
    "motif_lecture_seule",
    "plan_modifiable",
    "posterieur_au_dernier_acte",
]

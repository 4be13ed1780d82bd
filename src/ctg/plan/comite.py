"""What the plan offers the comité de pilotage (``ctg.gouvernance``, its sibling, which does not import it): the
extension point ``comite`` of ``ctg.extensions``, asked for by ``gouvernance.decisions.extension_du_comite``.

- ``adopter_plan(convention, jour, user=None)``: a decision "plan adopté" adopts the plan on the meeting's date;
- ``creer_fiche_depuis_initiative(convention, titre, description, commune_code=None, …)``: an initiative of the
  innovation watch becomes a fiche action.
"""

from .cycle import adopter_plan, creer_fiche_depuis_initiative

__all__ = ["adopter_plan", "creer_fiche_depuis_initiative"]

"""Who may do what with the data-exchange requests of a convention (article 7) and with an organisation's register
of processing activities (GDPR article 30). Views, templates and the rules layer call these functions.

- every member of the convention sees its requests and their steps (article 14: others get 404);
- the Caf adviser and the collectivité's project lead file a request in the name of their own organisation, a party
  to the convention (the administrator for either party);
- the holder's staff (people of the holding organisation with a role on the convention other than read-only) study a
  request, answer it or decide on it, and record what was sent;
- only the holder's data protection officer in office (``DelegueProtectionDonnees``) gives the opinion — whatever
  their role on the convention, and without any: the DPO opens the requests their organisation holds (and only
  those) from its register page, where the studied ones wait for their opinion;
- an organisation's register is read by its staff and by national administrators (403 for others); its staff
  designate its DPO (also possible in the administration site).

The transitions of a request (``DemandeEchange``, a django-fsm machine) name their permission here, as callables
``(demande, user) -> bool``.
"""

from __future__ import annotations

from ctg import acces
from ctg.comptes.models import (
    Organisation,
    Role,
    est_administrateur_national,
    organisation_de,
    organisation_epci,
    parties_de,
)
from ctg.conventions import perms as perms_convention

REFUS_REGISTRE = (
    "Le registre des traitements d'une organisation est réservé à son personnel et aux administrateurs nationaux."
)


def parties(convention) -> list[Organisation]:
    """The parties of a convention that have an organisation in the product (``comptes.models.parties_de``)."""
    return [organisation for _libelle, organisation in parties_de(convention) if organisation is not None]


def _membre_de(user, organisation) -> bool:
    mienne = organisation_de(user)
    return mienne is not None and organisation is not None and mienne.pk == organisation.pk


def _agit_pour(user, organisation, convention) -> bool:
    """A person of ``organisation`` who may act on ``convention`` (any role but read-only), or the administrator."""
    if user is None or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return _membre_de(user, organisation) and perms_convention.role(user, convention) not in {None, Role.LECTURE}


def organisations_pour_demander(user, convention) -> list[Organisation]:
    """The parties ``user`` may file a request for: their own organisation if it is a party; both for the
    administrator; none for anyone else or on a convention that has ended."""
    if convention.est_terminee or not perms_convention.peut_modifier(user, convention):
        return []
    liste = parties(convention)
    if user.is_superuser:
        return liste
    return [o for o in liste if _membre_de(user, o)]


def peut_demander(user, convention) -> bool:
    return bool(organisations_pour_demander(user, convention))


def est_delegue_du_detenteur(user, demande) -> bool:
    from .models import delegue_en_fonction

    if user is None or not user.is_authenticated:
        return False
    delegue = delegue_en_fonction(demande.detenteur)
    return delegue is not None and delegue.user_id == user.pk


# --- Transitions' permissions (django-fsm): (demande, user) -> bool -------------------------------------------


def a_aviser(user, organisation):
    """The requests ``organisation`` holds that wait for the opinion of ``user``, its DPO in office (none for anyone
    else)."""
    from .models import DemandeEchange, StatutDemande, delegue_en_fonction

    delegue = delegue_en_fonction(organisation)
    if delegue is None or delegue.user_id != user.pk:
        return DemandeEchange.objects.none()
    return DemandeEchange.objects.filter(detenteur=organisation, statut=StatutDemande.ETUDIEE).select_related(
        "convention__epci", "demandeur"
    )


def peut_etudier(demande, user) -> bool:
    return _agit_pour(user, demande.detenteur, demande.convention)


def peut_rendre_avis(demande, user) -> bool:
    """Only the holder's DPO in office (not even the administrator: the opinion is theirs)."""
    return est_delegue_du_detenteur(user, demande)


def peut_decider(demande, user) -> bool:
    return _agit_pour(user, demande.detenteur, demande.convention)


def peut_repondre(demande, user) -> bool:
    return _agit_pour(user, demande.detenteur, demande.convention)


def peut_transmettre(demande, user) -> bool:
    return _agit_pour(user, demande.detenteur, demande.convention)


# --- Registers -------------------------------------------------------------------------------------------------


def peut_voir_registre(user, organisation) -> bool:
    if not user.is_authenticated:
        return False
    return est_administrateur_national(user) or _membre_de(user, organisation)


def peut_designer_delegue(user, organisation) -> bool:
    return peut_voir_registre(user, organisation)


ACCES = {
    "rgpd:echanges": acces.MEMBRE,
    "rgpd:echanges_export": acces.MEMBRE,
    "rgpd:echange_nouveau": acces.EDITION,
    "rgpd:echange": acces.MEMBRE,
    "rgpd:echange_etape": acces.POST,
    # An organisation's register: its staff and national administrators, others 403 — on the walk, the Caf du Nord's
    # register, the same people as its portfolio.
    "rgpd:registre": acces.PORTEFEUILLE,
    "rgpd:registre_export": acces.PORTEFEUILLE,
    "rgpd:delegue": acces.POST,
}


def exemples_acces(convention) -> dict:
    """A personal-data request of the collectivité to the Caf on ``convention``, and the Caf's register."""
    from django.contrib.auth import get_user_model

    from .echanges import deposer

    User = get_user_model()
    auteur = User.objects.filter(is_superuser=True).first() or User.objects.create_superuser("auteur.echange")
    caf, collectivite = convention.caf, organisation_epci(convention.epci)
    demande = deposer(
        convention,
        auteur,
        demandeur=collectivite,
        objet="Parcours des familles",
        finalite="Suivi",
        champs=["Nom", "Adresse"],
        donnees_personnelles=True,
        categories_personnes="Allocataires",
        base_legale="mission_publique",
        conservation_mois=12,
        destinataires="Service enfance",
        moyen="plateforme",
    )
    return {
        "rgpd:echange/demande": demande.pk,
        "rgpd:echange_etape/demande": demande.pk,
        "rgpd:echange_etape/etape": "etude",
        "rgpd:registre/organisation": caf.pk,
        "rgpd:registre_export/organisation": caf.pk,
        "rgpd:registre_export/format": "csv",
        "rgpd:delegue/organisation": caf.pk,
        "rgpd:echanges_export/format": "xlsx",
    }

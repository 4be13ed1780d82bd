"""The loader of the demonstration plan of the reference convention (Caf du Nord × CA de Cambrai): FICTITIOUS fiches
action (their content: ``ctg.demo.contenu.plan``), marked "(démonstration)" in their titles and flagged
``demonstration``, so that every page and document says so.

Twelve fiches across the four missions of article 2 (one finished, one paused, one late because a milestone was
missed), with pilots, partners, budgets by financer and year, milestones, indicators — some linked to the catalogue
of the diagnostic (taux_couverture_global, foyers_allocataires, part_allocataires_bas_revenus) so their values come
from the open data — some needs of the shared diagnostic, strategic objectives, the plan's adoption at the end of
year 2 and a review by the comité de pilotage in 2025.

Everything goes through the rules layer (``ctg.plan.cycle``) as the system user, each act at its real date: a
fiche is started on its start date, the micro-crèche finished on 30/09/2025, the social space paused at the 2025
review. An act dated after today is not recorded (the demo loaded on an earlier date stops there); loaded after the
convention's end, it tells the same story.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from ctg import horloge
from ctg.audit import par_commande, utilisateur_systeme
from ctg.plan import acteurs, cibles, cycle, definitions
from ctg.plan.models import (
    CHAMPS_DEFINITION,
    CibleAnnuelle,
    Decision,
    FicheAction,
    Financement,
    IndicateurAction,
    Jalon,
    Niveau,
    Objectif,
    RoleActeur,
    StatutFiche,
    StatutPlan,
    ValeurSaisie,
)

from .contenu.plan import (
    ADOPTION,
    AVANCEMENTS_A_LA_REVUE,
    BESOINS,
    DECISIONS_DE_LA_REVUE,
    DESCRIPTION_DES_BESOINS,
    EN_PAUSE_A_LA_REVUE,
    FICHES,
    MISSION_PMI,
    REVUE,
    STATUTS,
    STRATEGIQUES,
    SYNTHESE_DE_LA_REVUE,
    SYNTHESE_DU_PLAN,
)


def charger_besoins_demo(convention) -> int:
    """The fictitious needs of the shared diagnostic that the demo fiches answer, created while the diagnostic is
    still a draft (to be loaded before the comité validates it: a validated diagnostic is locked); return how
    many needs the diagnostic then has among them. ``charger_demo_plan`` links the fiches to them."""
    with par_commande("charger_demo"), transaction.atomic():
        return len(_besoins(convention))


def _besoins(convention) -> dict:
    """The demo needs, created if missing and the diagnostic still open, by their title otherwise."""
    from ctg.diagnostic.models import Besoin
    from ctg.diagnostic.partage import diagnostic_de

    diagnostic = diagnostic_de(convention)
    besoins = {}
    for code, domaine, intitule, public, communes, indicateurs, priorite in BESOINS:
        besoin = Besoin.objects.filter(diagnostic=diagnostic, intitule=intitule).first()
        if besoin is None:
            try:
                with transaction.atomic():
                    besoin = Besoin.objects.create(
                        diagnostic=diagnostic,
                        intitule=intitule,
                        domaine=domaine,
                        public=public,
                        indicateurs=indicateurs,
                        priorite=priorite,
                        description=DESCRIPTION_DES_BESOINS,
                    )
                    besoin.communes.set([c for c in communes if convention.epci.communes.filter(code=c).exists()])
            except ValidationError:  # the shared diagnostic is already validated: its needs are fixed
                continue
        besoins[code] = besoin
    return besoins


def _objectifs(convention) -> dict:
    cycle.plan_de(convention)
    missions = sorted(convention.objectifs.filter(niveau=Niveau.MISSION, source="article 2"), key=lambda m: m.ordre)
    enjeux = {(i, j): e for i, m in enumerate(missions, 1) for j, e in enumerate(m.enfants.order_by("ordre", "pk"), 1)}
    objectifs = {}
    for cle, intitule, operationnels in STRATEGIQUES:
        strategique = Objectif.objects.create(
            convention=convention, parent=enjeux[cle], niveau=Niveau.STRATEGIQUE, intitule=intitule, ordre=1
        )
        objectifs[cle] = strategique
        for k, texte in enumerate(operationnels, 1):
            objectifs[(*cle, k)] = Objectif.objects.create(
                convention=convention, parent=strategique, niveau=Niveau.OPERATIONNEL, intitule=texte, ordre=k
            )
    objectifs["pmi"] = Objectif.objects.create(convention=convention, niveau=Niveau.MISSION, **MISSION_PMI)
    objectifs.update({f"e{i}.{j}": e for (i, j), e in enjeux.items()})
    return objectifs


def _fiche(
    convention,
    titre,
    *,
    statut=StatutFiche.EN_COURS,
    objectifs=(),
    besoins=(),
    communes=(),
    jalons=(),
    financements=(),
    indicateurs=(),
    partenaires="",
    operateurs="",
    **champs,
):
    systeme = utilisateur_systeme()
    jour = min(ADOPTION, horloge.aujourd_hui())
    fiche = cycle.creer_fiche(convention, titre, systeme, jour=jour, demonstration=True, **champs)
    actes = [("demarrer", max(fiche.date_debut, jour))] if statut != StatutFiche.A_VENIR else []
    if statut in STATUTS:
        actes.append(STATUTS[statut])
    for nom, le in actes:
        if le <= horloge.aujourd_hui():
            fiche = cycle.changer_statut_fiche(fiche, nom, systeme, jour=le)
    fiche.objectifs.set(objectifs)
    fiche.besoins.set([b for b in besoins if b is not None])
    fiche.communes.set([c for c in communes if convention.epci.communes.filter(code=c).exists()])
    acteurs.ajouter_acteurs(fiche, RoleActeur.PARTENAIRE, partenaires)
    acteurs.ajouter_acteurs(fiche, RoleActeur.OPERATEUR, operateurs)
    for libelle, prevue, realisee in jalons:
        Jalon.objects.create(fiche=fiche, libelle=libelle, date_prevue=prevue, date_realisee=realisee)
    for financeur, annee, montant, nature, *realise in financements:
        Financement.objects.create(
            fiche=fiche,
            financeur=financeur,
            annee=annee,
            montant=Decimal(montant),
            nature=nature,
            montant_realise=Decimal(realise[0]) if realise else None,
        )
    for i, (champs_ind, valeurs) in enumerate(indicateurs):
        champs_ind = dict(champs_ind)  # (the content stays as it is for the next load)
        trajectoire = champs_ind.pop("cibles", {})
        champs_definition = {nom: champs_ind.pop(nom, "") for nom in CHAMPS_DEFINITION}
        definition = definitions.definition(convention, **champs_definition)
        ind = IndicateurAction.objects.create(fiche=fiche, definition=definition, ordre=i, **champs_ind)
        for annee, valeur in trajectoire.items():
            CibleAnnuelle.objects.create(indicateur=ind, annee=annee, valeur=valeur)
        cibles.aligner_cible_finale(ind)
        for jour, valeur in valeurs:
            ValeurSaisie.objects.create(indicateur=ind, date=jour, valeur=valeur)
    return fiche


def _pilote_referent(convention):
    from ctg.comptes.models import Role
    from ctg.conventions.models import Habilitation

    h = Habilitation.objects.filter(convention=convention, role=Role.REFERENT_COMMUNE, commune_id="59122").first()
    return h.user if h else None


def charger_demo_plan(convention) -> list[FicheAction]:
    """Load the demonstration plan on ``convention`` once (run again, it changes nothing but the pilot account of
    the referent's fiche, set when the demo accounts exist); return its fiches. Recorded in the history as done
    by the system through ``ctg charger_demo``."""
    with par_commande("charger_demo"), transaction.atomic():
        return _charger(convention)


def _charger(convention) -> list[FicheAction]:
    existantes = list(FicheAction.objects.filter(convention=convention, demonstration=True))
    if existantes:
        referent = _pilote_referent(convention)
        if referent:
            for fiche in existantes:
                if fiche.pilote_id is None and "référent" in fiche.pilote_personne:
                    fiche.pilote = referent
                    fiche.save(update_fields=["pilote", "modifie_le"])
        return existantes
    b = _besoins(convention)
    o = _objectifs(convention)
    plan = cycle.plan_de(convention)
    plan.synthese = SYNTHESE_DU_PLAN
    plan.save(update_fields=["synthese", "modifie_le"])
    b = {code: b.get(code) for code, *_ in BESOINS}
    fiches = []
    for contenu in FICHES:
        champs = dict(contenu)
        titre = champs.pop("titre")
        champs["objectifs"] = [o[cle] for cle in champs.get("objectifs", ())]
        champs["besoins"] = [b[code] for code in champs.get("besoins", ())]
        if champs.pop("pilote_referent", False):
            champs["pilote"] = _pilote_referent(convention)
        fiches.append(_fiche(convention, titre, **champs))
    systeme = utilisateur_systeme()
    aujourd_hui = horloge.aujourd_hui()
    plan.refresh_from_db()
    if plan.statut == StatutPlan.EN_PREPARATION and ADOPTION <= aujourd_hui:
        # (the comité's decision of the gouvernance demo, when loaded first, has already adopted it that day)
        cycle.adopter_plan(convention, ADOPTION, systeme)
    if REVUE <= aujourd_hui:
        cycle.enregistrer_revue(
            convention,
            systeme,
            date=REVUE,
            nom_instance="Comité de pilotage",
            synthese=SYNTHESE_DE_LA_REVUE,
            evaluations=[
                {
                    "fiche": f,
                    "progression": AVANCEMENTS_A_LA_REVUE.get(i),
                    "statut": StatutFiche.EN_PAUSE if i in EN_PAUSE_A_LA_REVUE else StatutFiche.EN_COURS,
                    "commentaire": DECISIONS_DE_LA_REVUE.get(i, (None, "Conforme au calendrier."))[1],
                    "decision": DECISIONS_DE_LA_REVUE.get(i, (Decision.MAINTENIR, ""))[0],
                }
                for i, f in enumerate(fiches, 1)
            ],
        )
    return [FicheAction.objects.get(pk=f.pk) for f in fiches]

"""The lifecycle of a convention, as an explicit state machine with its history.

brouillon → signée → en vigueur → terminée (arrivée à échéance | résiliée).
A signed convention enters into force on its start date, and expires after its end date; a
termination (article 12) ends it on its computed date. Renewal is only by an explicit new agreement:
a new convention, in draft, that names the one it renews.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction

from ctg import horloge

from .models import Convention, Resiliation, Statut, Transition
from .regles import REGLES_RESILIATION, calculer_resiliation

TRANSITIONS = {
    Statut.BROUILLON: {Statut.SIGNEE},
    Statut.SIGNEE: {Statut.EN_VIGUEUR, Statut.BROUILLON, Statut.RESILIEE},
    Statut.EN_VIGUEUR: {Statut.EXPIREE, Statut.RESILIEE},
    Statut.EXPIREE: set(),
    Statut.RESILIEE: set(),
}


class TransitionImpossible(Exception):
    pass


def _passer(convention: Convention, vers: str, date_effet: date, motif: str = "", par=None) -> Transition:
    if vers not in TRANSITIONS[convention.statut]:
        raise TransitionImpossible(
            f"Une convention « {convention.get_statut_display().lower()} » ne peut pas passer à « "
            f"{Statut(vers).label.lower()} »."
        )
    transition = Transition.objects.create(
        convention=convention, de=convention.statut, vers=vers, date_effet=date_effet, motif=motif, par=par
    )
    convention.statut = vers
    convention.save(update_fields=["statut", "modifiee_le"])
    return transition


def manques_pour_signer(convention: Convention) -> list[str]:
    manques = []
    if not convention.signataires.filter(partie="caf").exists():
        manques.append("au moins un signataire pour la Caf")
    if not convention.signataires.filter(partie="collectivite").exists():
        manques.append("au moins un signataire pour la collectivité")
    return manques


@transaction.atomic
def signer(convention: Convention, date_signature: date, par=None) -> Transition:
    manques = manques_pour_signer(convention)
    if manques:
        raise TransitionImpossible("Signature impossible : il manque " + " et ".join(manques) + ".")
    if date_signature > convention.date_fin:
        raise TransitionImpossible("La date de signature est postérieure à la fin de la convention.")
    convention.date_signature = date_signature
    convention.save(update_fields=["date_signature", "modifiee_le"])
    return _passer(convention, Statut.SIGNEE, date_signature, "Signature par les parties", par)


@transaction.atomic
def revenir_en_brouillon(convention: Convention, motif: str, par=None) -> Transition:
    convention.date_signature = None
    convention.save(update_fields=["date_signature", "modifiee_le"])
    return _passer(convention, Statut.BROUILLON, horloge.aujourd_hui(), motif or "Retour en brouillon", par)


@transaction.atomic
def actualiser(convention: Convention, aujourd_hui: date | None = None) -> list[Transition]:
    """Apply the transitions that time brings: entry into force on the start date, expiry after the end date,
    termination on its effective date."""
    aujourd_hui = aujourd_hui or horloge.aujourd_hui()
    faites = []
    if convention.statut == Statut.SIGNEE and convention.date_debut <= aujourd_hui:
        faites.append(
            _passer(convention, Statut.EN_VIGUEUR, convention.date_debut, "Entrée en vigueur (date de début)")
        )
    resiliation = Resiliation.objects.filter(convention=convention).first()
    if resiliation and convention.statut in {Statut.SIGNEE, Statut.EN_VIGUEUR}:
        if resiliation.date_effet <= aujourd_hui and resiliation.date_effet < convention.date_fin:
            faites.append(_passer(convention, Statut.RESILIEE, resiliation.date_effet, resiliation.get_mode_display()))
    if convention.statut == Statut.EN_VIGUEUR and convention.date_fin < aujourd_hui:
        faites.append(_passer(convention, Statut.EXPIREE, convention.date_fin, "Arrivée à échéance (date de fin)"))
    return faites


@transaction.atomic
def resilier(
    convention: Convention,
    mode: str,
    date_envoi: date,
    initiative: str,
    motif: str = "",
    par=None,
    aujourd_hui: date | None = None,
):
    """Record a termination under article 12; it takes effect on the computed date."""
    regle = REGLES_RESILIATION.get(mode)
    if regle is None:
        raise TransitionImpossible(f"Mode de résiliation « {mode} » inconnu : {', '.join(REGLES_RESILIATION)}.")
    if convention.statut not in {Statut.SIGNEE, Statut.EN_VIGUEUR}:
        raise TransitionImpossible(
            "Seule une convention signée ou en vigueur peut être résiliée "
            f"(statut : {convention.get_statut_display()})."
        )
    if hasattr(convention, "resiliation"):
        raise TransitionImpossible(f"Une résiliation est déjà enregistrée : {convention.resiliation}.")
    if regle.par_la_caf_seulement and initiative != "caf":
        raise TransitionImpossible(f"{regle.titre} : seule la Caf peut la prononcer (article 12).")
    if date_envoi < (convention.date_signature or convention.date_debut):
        raise TransitionImpossible("La date d'envoi précède la signature de la convention.")
    calcul = calculer_resiliation(mode, date_envoi, convention.date_fin)
    resiliation = Resiliation.objects.create(
        convention=convention,
        mode=mode,
        date_envoi=date_envoi,
        date_effet=calcul.date_effet,
        initiative=initiative,
        motif=motif,
        enregistree_par=par,
    )
    actualiser(convention, aujourd_hui)
    return resiliation, calcul


@transaction.atomic
def renouveler(convention: Convention, par=None) -> Convention:
    """Article 10: renewal only by explicit agreement — a new draft convention from the day after the end."""
    from .models import Adhesion, Signataire, Visa
    from .regles import fin_maximale

    if Convention.objects.filter(precedente=convention).exists():
        raise TransitionImpossible("Cette convention a déjà été renouvelée.")
    debut = convention.date_fin + timedelta(days=1)
    nouvelle = Convention.objects.create(
        caf=convention.caf,
        epci=convention.epci,
        titre=convention.titre,
        date_debut=debut,
        date_fin=fin_maximale(debut),
        domaines=list(convention.domaines),
        deliberation_instance=convention.deliberation_instance,
        annexe1=convention.annexe1,
        chef_projet_nom=convention.chef_projet_nom,
        chef_projet_fonction=convention.chef_projet_fonction,
        precedente=convention,
    )
    Visa.objects.bulk_create([Visa(convention=nouvelle, ordre=v.ordre, texte=v.texte) for v in convention.visas.all()])
    Signataire.objects.bulk_create(
        [
            Signataire(
                convention=nouvelle,
                partie=s.partie,
                ordre=s.ordre,
                civilite=s.civilite,
                prenom=s.prenom,
                nom=s.nom,
                qualite=s.qualite,
                qualite_autre=s.qualite_autre,
            )
            for s in convention.signataires.all()
        ]
    )
    Adhesion.objects.bulk_create(
        [
            Adhesion(convention=nouvelle, commune_id=a.commune_id, ancienne_commune_cej=a.ancienne_commune_cej)
            for a in convention.adhesions.all()
        ]
    )
    for habilitation in convention.habilitations.all():
        habilitation.pk = None
        habilitation.convention = nouvelle
        habilitation.save()
    Transition.objects.create(
        convention=nouvelle,
        de="",
        vers=Statut.BROUILLON,
        date_effet=horloge.aujourd_hui(),
        motif=f"Renouvellement par accord explicite de la convention n° {convention.pk}",
        par=par,
    )
    return nouvelle


VISAS_PAR_DEFAUT = [
    "Vu les articles L. 263-1, L. 223-1, et L. 227-1 à 3 du Code de la Sécurité Sociale ;",
    "Vu le Code de l'action sociale et des familles ;",
    "Vu le Code général des collectivités territoriales ;",
    "Vu l'arrêté du 3 octobre 2001 relatif à l'action sociale des Caisses d'allocations familiales (Caf);",
    "Vu la Convention d'objectifs et de gestion (Cog) arrêtée entre l'Etat et la Caisse nationale des allocations "
    "familiales (Cnaf) ;",
    "Vu la délibération du conseil d'administration de la {caf} en date du [à compléter] concernant le Contrat "
    "pluriannuel d'objectifs et de gestion (Cpog) évoquant la stratégie et les objectifs de déploiement des CTG;",
]


@transaction.atomic
def creer_convention(caf, epci, date_debut: date, date_fin: date | None = None, par=None, **champs) -> Convention:
    """A new draft convention, with the default visas and one pending adhesion per member commune (annexe 4)."""
    from .models import Adhesion, Visa
    from .regles import fin_maximale

    convention = Convention(caf=caf, epci=epci, date_debut=date_debut, date_fin=date_fin or fin_maximale(date_debut))
    for champ, valeur in champs.items():
        setattr(convention, champ, valeur)
    convention.full_clean()
    convention.save()
    Visa.objects.bulk_create(
        [Visa(convention=convention, ordre=i, texte=t.format(caf=caf.nom)) for i, t in enumerate(VISAS_PAR_DEFAUT, 1)]
    )
    Adhesion.objects.bulk_create([Adhesion(convention=convention, commune=c) for c in epci.communes.order_by("nom")])
    Transition.objects.create(
        convention=convention, de="", vers=Statut.BROUILLON, date_effet=horloge.aujourd_hui(), motif="Création", par=par
    )
    if par is not None:
        from ctg.comptes.models import Habilitation, role_du_createur

        Habilitation.objects.get_or_create(user=par, convention=convention, defaults={"role": role_du_createur(par)})
    return convention

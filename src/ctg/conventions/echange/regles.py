"""The rules of a convention on a description whose shape is checked (``schema``) and whose parts are found
(``validation``): dates, signature and status, the terms of a signed convention (article 10), the termination
(article 12), the @ctes identifiers of avenants; then across the conventions of one file."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from ctg import horloge

from ..models import (
    Convention,
    Partie,
    Resiliation,
    Statut,
    valeurs_des_modifications,
)
from ..regles import (
    REGLES_RESILIATION,
    IdentifiantCtesInvalide,
    analyser_ctes,
    calculer_resiliation,
    departement_siege,
    erreurs_convention,
    erreurs_ctes,
    fin_maximale,
)
from .commun import CHAMPS_SIGNATAIRE
from .schema import INVALIDE
from .validation import ABSENT, CHEMINS_CHAMPS, _joindre, _Plan


class Regles:
    """Checks one read description against the rules, collecting every error with its place in the file."""

    def __init__(self):
        self.erreurs: list[str] = []

    def erreur(self, chemin: str, message: str) -> None:
        self.erreurs.append(f"{chemin or 'convention'} : {message}")

    def verifier(self, plan: _Plan) -> list[str]:
        """The rules on the convention as it would be once imported (file values over current or default ones)."""
        r, invalides = plan.racine, plan.invalides
        if plan.existante is not None:
            convention = Convention.objects.get(pk=plan.existante.pk)
        else:
            convention = Convention()
            if plan.epci:
                convention.epci = plan.epci
        for champ, valeur in plan.champs.items():
            if champ != "statut":
                setattr(convention, champ, valeur)
        plan.statut = plan.champs.get("statut", convention.statut)
        if plan.existante is None and "date_fin" not in plan.champs and convention.date_debut:
            convention.date_fin = fin_maximale(convention.date_debut)
        plan.effective = convention

        for champ, messages in erreurs_convention(convention).items():
            for message in messages:
                self.erreur(_joindre(r, CHEMINS_CHAMPS.get(champ, champ)), message)
        if convention.ctes_identifiant and not convention.epci_id:
            try:
                analyser_ctes(convention.ctes_identifiant)
            except IdentifiantCtesInvalide as exc:
                self.erreur(_joindre(r, "ctes.identifiant"), str(exc))

        statut, signature, aujourd_hui = plan.statut, convention.date_signature, horloge.aujourd_hui()
        libelle = f"« {Statut(statut).label.lower()} » (statut « {statut} »)"
        fin = convention.date_fin
        if signature and statut != Statut.BROUILLON and "date_signature" not in invalides and aujourd_hui < signature:
            if fin is None or signature <= fin:
                self.erreur(
                    _joindre(r, "date_signature"),
                    f"la signature ({signature:%d/%m/%Y}) est dans le futur : une convention est importée signée une "
                    "fois signée.",
                )
        self._termes_figes(plan, convention)
        if not invalides & {"statut", "date_signature"}:
            if statut != Statut.BROUILLON and signature is None:
                self.erreur(_joindre(r, "date_signature"), f"obligatoire pour une convention {libelle}.")
            if statut == Statut.BROUILLON and signature is not None:
                self.erreur(
                    _joindre(r, "date_signature"),
                    "une convention en brouillon n'est pas signée : date_signature doit être null, ou le statut "
                    "« signee », « en_vigueur »…",
                )
        if signature and convention.date_fin and not invalides & {"date_signature", "date_fin"}:
            if signature > convention.date_fin:
                self.erreur(
                    _joindre(r, "date_signature"),
                    f"la signature ({signature:%d/%m/%Y}) est postérieure à la fin de la convention "
                    f"({convention.date_fin:%d/%m/%Y}).",
                )

        if statut != Statut.BROUILLON and not invalides & {"statut", "signataires"}:
            if plan.signataires is not None:
                parties = {s["partie"] for s in plan.signataires}
            elif plan.existante is not None:
                parties = set(plan.existante.signataires.values_list("partie", flat=True))
            else:
                parties = set()
            manques = [
                nom
                for code, nom in ((Partie.CAF, "la Caf"), (Partie.COLLECTIVITE, "la collectivité"))
                if code not in parties
            ]
            if manques:
                self.erreur(
                    _joindre(r, "signataires"),
                    f"une convention {libelle} a au moins un signataire pour " + " et pour ".join(manques) + ".",
                )

        if plan.avenants and plan.epci:
            siege = departement_siege(plan.epci)
            for avenant in plan.avenants:
                if avenant["ctes_identifiant"] not in (ABSENT, ""):
                    for message in erreurs_ctes(avenant["ctes_identifiant"], plan.epci.code, siege):
                        self.erreur(_joindre(avenant["chemin"], "ctes_identifiant"), message)

        self._regles_resiliation(plan, convention)
        self._statut_coherent(plan, convention)
        return self.erreurs

    # The status a file may give: the one its signature, dates and termination give today, or an earlier step on the
    # same path (a file exported some time ago); never one the convention has not reached.
    ORDRE_STATUTS = {Statut.BROUILLON: 0, Statut.SIGNEE: 1, Statut.EN_VIGUEUR: 2, Statut.EXPIREE: 3, Statut.RESILIEE: 3}

    def _statut_coherent(self, plan, convention):
        if plan.invalides & {"statut", "date_signature", "date_debut", "date_fin", "resiliation"}:
            return
        signature = convention.date_signature
        if "statut" not in plan.champs or signature is None or plan.statut == Statut.BROUILLON:
            return
        if signature > horloge.aujourd_hui() or (convention.date_fin and signature > convention.date_fin):
            return  # already refused
        jour = horloge.aujourd_hui()
        if isinstance(plan.resiliation, dict):
            effet = plan.resiliation["date_effet"]
        elif plan.resiliation is ABSENT and plan.existante is not None and hasattr(plan.existante, "resiliation"):
            effet = plan.existante.resiliation.date_effet
        else:
            effet = None
        attendu = Statut.EN_VIGUEUR if convention.date_debut <= jour else Statut.SIGNEE
        if effet is not None and effet <= jour and effet < convention.date_fin:
            attendu = Statut.RESILIEE
        elif attendu == Statut.EN_VIGUEUR and convention.date_fin < jour:
            attendu = Statut.EXPIREE
        fichier = plan.statut
        atteint = self.ORDRE_STATUTS[fichier] < self.ORDRE_STATUTS[attendu] or fichier == attendu
        if not atteint or (fichier in {Statut.EXPIREE, Statut.RESILIEE} and fichier != attendu):
            self.erreur(
                _joindre(plan.racine, "statut"),
                f"« {fichier} » ne correspond pas à la convention : signée le {convention.date_signature:%d/%m/%Y}, "
                f"du {convention.date_debut:%d/%m/%Y} au {convention.date_fin:%d/%m/%Y}, elle est « {attendu} » au "
                f"{jour:%d/%m/%Y}. Le statut découle de la signature, des dates et de la résiliation : il ne s'écrit "
                "pas.",
            )

    def _termes_figes(self, plan, convention):
        """Article 10: a signed convention's terms, visas and signatories change only by a signed avenant. A file
        may bring new signed avenants: their modifications are then the only changes allowed."""
        existante, r = plan.existante, plan.racine
        if existante is None or existante.statut == Statut.BROUILLON:
            return
        attendus = {champ: getattr(existante, champ) for champ in Convention.TERMES}
        actuels = {a.numero: a for a in existante.avenants.all()}
        for avenant in plan.avenants or []:
            actuel = actuels.get(avenant["numero"])
            if actuel is None:
                if avenant["date"] not in (None, ABSENT, INVALIDE):
                    attendus.update(valeurs_des_modifications(avenant["modifications"]))
            elif actuel.date is not None and (
                avenant["date"] != actuel.date
                or avenant["objet"] != actuel.objet
                or avenant["modifications"] != actuel.modifications
            ):
                self.erreur(
                    avenant["chemin"], f"l'avenant n° {actuel.numero} est signé : il ne se modifie plus (article 10)."
                )
        for champ in Convention.TERMES:
            if champ in plan.champs and plan.champs[champ] != attendus[champ]:
                self.erreur(
                    _joindre(r, CHEMINS_CHAMPS.get(champ, champ)),
                    f"la convention n° {existante.pk} est signée : ce terme ne change que par un avenant signé "
                    "(article 10), à joindre au fichier dans « avenants » avec ses « modifications ».",
                )
        if plan.visas is not None and plan.visas != list(
            existante.visas.order_by("ordre", "pk").values_list("texte", flat=True)
        ):
            self.erreur(_joindre(r, "visas"), "la convention est signée : ses visas ne changent plus.")
        if plan.signataires is not None:
            voulus = sorted((tuple(x[c] for c in CHAMPS_SIGNATAIRE) for x in plan.signataires), key=lambda t: t[:2])
            if voulus != list(existante.signataires.order_by("partie", "ordre", "pk").values_list(*CHAMPS_SIGNATAIRE)):
                self.erreur(_joindre(r, "signataires"), "la convention est signée : ses signataires ne changent plus.")
        if plan.resiliation is None and hasattr(existante, "resiliation"):
            self.erreur(
                _joindre(r, "resiliation"),
                "l'annulation d'une résiliation est un acte de la Caf, avec son motif, sur la page de la convention.",
            )
        if plan.statut == Statut.BROUILLON and "statut" in plan.champs:
            self.erreur(_joindre(r, "statut"), "une convention signée ne revient pas en brouillon par un fichier.")

    def _regles_resiliation(self, plan, convention):
        if plan.resiliation is INVALIDE or "statut" in plan.invalides:
            return
        chemin = _joindre(plan.racine, "resiliation")
        if plan.resiliation is ABSENT:
            lu = None
            resiliation = Resiliation.objects.filter(convention=plan.existante).first() if plan.existante else None
        else:
            resiliation = lu = plan.resiliation
        statut = plan.statut
        if statut == Statut.RESILIEE and resiliation is None:
            self.erreur(chemin, "une convention « resiliee » a une résiliation (mode, date_envoi, initiative).")
        if statut == Statut.BROUILLON and resiliation is not None:
            self.erreur(chemin, "une convention en brouillon ne peut pas avoir de résiliation.")
        if lu is None:
            return
        regle = REGLES_RESILIATION[lu["mode"]]
        if regle.par_la_caf_seulement and lu["initiative"] != Partie.CAF:
            self.erreur(_joindre(chemin, "initiative"), f"{regle.titre} : seule la Caf peut la prononcer (article 12).")
        depart = convention.date_signature or convention.date_debut
        if depart and lu["date_envoi"] < depart:
            self.erreur(
                _joindre(chemin, "date_envoi"),
                f"la date d'envoi ({lu['date_envoi']:%d/%m/%Y}) précède la signature de la convention "
                f"({depart:%d/%m/%Y}).",
            )
        if lu["date_effet"] is ABSENT:
            lu["date_effet"] = calculer_resiliation(lu["mode"], lu["date_envoi"], convention.date_fin).date_effet
        elif lu["date_effet"] < lu["date_envoi"]:
            self.erreur(
                _joindre(chemin, "date_effet"),
                f"la date d'effet ({lu['date_effet']:%d/%m/%Y}) précède la date d'envoi ({lu['date_envoi']:%d/%m/%Y}).",
            )


def _verifier_ensemble(plans: list[_Plan]) -> list[str]:
    """Checks across the conventions of one file: each convention once, one name per Caf."""
    erreurs = []
    par_ctes, par_cle, par_existante, cafs = {}, {}, {}, {}
    for plan in plans:
        ctes = plan.champs.get("ctes_identifiant")
        if ctes:
            if ctes in par_ctes:
                erreurs.append(
                    f"{_joindre(plan.racine, 'ctes.identifiant')} : identifiant @ctes « {ctes} » déjà donné à la "
                    f"convention {par_ctes[ctes]} du fichier."
                )
            par_ctes.setdefault(ctes, plan.racine)
        debut = plan.champs.get("date_debut")
        double = False
        if plan.departement and plan.epci and debut:
            cle = (plan.departement.code, plan.epci.code, debut)
            if cle in par_cle:
                double = True
                erreurs.append(
                    f"{plan.racine} : même Caf, même EPCI ({plan.epci.code}) et même date de début "
                    f"({debut:%d/%m/%Y}) que la convention {par_cle[cle]} du fichier."
                )
            par_cle.setdefault(cle, plan.racine)
        if plan.existante is not None:
            if plan.existante.pk in par_existante and not double:
                erreurs.append(
                    f"{plan.racine} : décrit la même convention (n° {plan.existante.pk}) que la convention "
                    f"{par_existante[plan.existante.pk]} du fichier."
                )
            par_existante.setdefault(plan.existante.pk, plan.racine)
        if plan.departement:
            for cle_caf, valeur in (("nom", plan.caf_nom), ("tribunal_administratif", plan.caf_tribunal)):
                if isinstance(valeur, str):
                    deja = cafs.setdefault((plan.departement.code, cle_caf), (valeur, plan.racine))
                    if deja[0] != valeur:
                        erreurs.append(
                            f"{_joindre(plan.racine, 'caf.' + cle_caf)} : « {valeur} » alors que la convention "
                            f"{deja[1]} du fichier donne « {deja[0]} » pour la même Caf."
                        )
    return erreurs


def _erreurs_validation(exc: ValidationError, racine: str) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [
            f"{_joindre(racine, CHEMINS_CHAMPS.get(champ, champ))} : {message}"
            for champ, messages in exc.message_dict.items()
            for message in messages
        ]
    return [f"{racine or 'convention'} : {message}" for message in exc.messages]

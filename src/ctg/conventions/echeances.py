"""What is due on a convention, and when: the dashboard and ``ctg echeances`` show the same list."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, timedelta

from ctg import horloge

from .models import STATUTS_TERMINES, Convention, Statut, statut_a
from .regles import ajouter_mois, fin_deuxieme_annee, semestres

PROCHE_JOURS = 60


class Etat:
    FAITE = "faite"
    EN_RETARD = "en_retard"
    PROCHE = "proche"
    A_VENIR = "a_venir"
    SANS_OBJET = "sans_objet"

    LIBELLES = {
        "faite": "fait",
        "en_retard": "en retard",
        "proche": "à faire bientôt",
        "a_venir": "à venir",
        "sans_objet": "sans objet",
    }


@dataclass
class Echeance:
    code: str
    libelle: str
    date: date
    etat: str
    detail: str = ""
    source: str = ""

    @property
    def etat_libelle(self) -> str:
        return Etat.LIBELLES[self.etat]

    def as_dict(self) -> dict:
        d = asdict(self)
        d["date"] = self.date.isoformat()
        d["etat_libelle"] = self.etat_libelle
        return d


def _etat(echeance: date, faite_le: date | None, aujourd_hui: date) -> str:
    if faite_le:
        return Etat.FAITE
    if echeance < aujourd_hui:
        return Etat.EN_RETARD
    if echeance <= aujourd_hui + timedelta(days=PROCHE_JOURS):
        return Etat.PROCHE
    return Etat.A_VENIR


def reunions_tenues(convention: Convention) -> list[date]:
    """Dates of the comité de pilotage meetings held, as the governance app records them."""
    from .extensions import collecter

    fournisseur = getattr(convention, "dates_copil_tenus", None)
    if callable(fournisseur):  # set by tests that need given dates
        return sorted(fournisseur())
    return sorted(collecter("dates_reunions_tenues", convention))


def echeances(convention: Convention, aujourd_hui: date | None = None) -> list[Echeance]:
    aujourd_hui = aujourd_hui or horloge.aujourd_hui()
    liste: list[Echeance] = []
    fin2 = fin_deuxieme_annee(convention.date_debut)
    statut = statut_a(convention, aujourd_hui)  # the status on that day, whatever is stored
    terminee = statut in STATUTS_TERMINES
    fin_effective = convention.fin_effective if statut == Statut.RESILIEE else convention.date_fin

    def ajouter(code, libelle, jour, faite_le=None, detail="", source=""):
        etat = _etat(jour, faite_le, aujourd_hui)
        if terminee and not faite_le and jour > fin_effective:
            etat = Etat.SANS_OBJET
        liste.append(Echeance(code, libelle, jour, etat, detail, source))

    ajouter(
        "diagnostic_valide",
        "Diagnostic partagé validé par le comité de pilotage",
        fin2,
        convention.diagnostic_valide_le,
        f"validé le {convention.diagnostic_valide_le:%d/%m/%Y}" if convention.diagnostic_valide_le else "",
        "préambule : « au plus tard à la fin de la deuxième année de la convention »",
    )
    ajouter(
        "objectifs_identifies",
        "Objectifs précis et projets conjoints identifiés",
        fin2,
        convention.objectifs_identifies_le,
        f"identifiés le {convention.objectifs_identifies_le:%d/%m/%Y}" if convention.objectifs_identifies_le else "",
        "article 4 : « au plus tard à l'issue de la deuxième année de conventionnement »",
    )
    tenues = reunions_tenues(convention)
    for debut, fin in semestres(convention.date_debut, convention.date_fin):
        dans = [d for d in tenues if debut <= d <= fin]
        moitie = "1er" if debut.month == 1 else "2d"
        detail = "réunion(s) le " + ", ".join(f"{d:%d/%m/%Y}" for d in dans) if dans else "aucune réunion enregistrée"
        echeance = Echeance(
            f"copil_{debut:%Y}_{1 if debut.month == 1 else 2}",
            f"Comité de pilotage du {moitie} semestre {debut.year}",
            fin,
            _etat(fin, dans[0] if dans else None, aujourd_hui),
            detail,
            "article 6 et annexe 2 : comité de pilotage « a minima semestriel »",
        )
        if not dans and debut <= aujourd_hui <= fin:
            echeance.etat = Etat.PROCHE  # the current semester: a meeting is due
        if terminee and not dans and debut > fin_effective:
            echeance.etat = Etat.SANS_OBJET
        liste.append(echeance)
    preavis = ajouter_mois(convention.date_fin, -6)
    ajouter(
        "preavis_denonciation",
        "Dernier jour pour dénoncer la convention avec six mois de préavis",
        preavis,
        None,
        "",
        "article 12 : dénonciation moyennant un délai de prévenance de six mois",
    )
    if liste[-1].etat == Etat.EN_RETARD:
        liste[-1].etat = Etat.SANS_OBJET  # a notice date that has passed is not a task left undone
    renouvelee = Convention.objects.filter(precedente=convention).exists()
    ajouter(
        "fin",
        "Fin de la convention" + (" (renouvelée par accord explicite)" if renouvelee else ""),
        convention.date_fin,
        convention.date_fin if statut == Statut.EXPIREE or renouvelee else None,
        "renouvellement uniquement par accord explicite" if not renouvelee else "",
        "article 10",
    )
    if hasattr(convention, "resiliation"):
        r = convention.resiliation
        liste.append(
            Echeance(
                "resiliation",
                f"Résiliation : {r.get_mode_display()}",
                r.date_effet,
                Etat.FAITE if r.date_effet <= aujourd_hui else Etat.A_VENIR,
                f"envoi le {r.date_envoi:%d/%m/%Y}",
                "article 12",
            )
        )
    from .extensions import collecter

    liste.extend(collecter("echeances", convention, aujourd_hui))
    return sorted(liste, key=lambda e: (e.date, e.code))


def tableau_de_bord(convention: Convention) -> tuple[list[Echeance], list[str]]:
    """The deadlines and the alerts of the convention's dashboard (those of every application), the same for every
    user: computed once per state of the convention's data and per day (``ctg.generations``), then read again."""
    from ctg.generations.memoire import memorise

    from .extensions import collecter

    liste, alertes = memorise(
        convention, "tableau_de_bord", lambda: (tuple(echeances(convention)), tuple(collecter("alertes", convention)))
    )
    return list(liste), list(alertes)

"""The adhesion of the member communes (annexe 4) summed up: rates, and what the bonus territoire needs."""

from dataclasses import dataclass

from ctg.formats import trier_par_nom

from .models import Adhesion, Convention, StatutAdhesion


@dataclass
class ResumeAdhesions:
    communes: int
    adherees: int
    en_attente: int
    refusees: int
    population: int
    population_adherente: int
    bonus_bloque: list[Adhesion]

    @property
    def taux_communes(self) -> float:
        return 100 * self.adherees / self.communes if self.communes else 0.0

    @property
    def taux_population(self) -> float:
        return 100 * self.population_adherente / self.population if self.population else 0.0


def resume_adhesions(convention: Convention) -> ResumeAdhesions:
    adhesions = trier_par_nom(convention.adhesions.select_related("commune"), nom=lambda a: a.commune.nom)
    adherees = [a for a in adhesions if a.statut == StatutAdhesion.ADHEREE]
    return ResumeAdhesions(
        communes=len(adhesions),
        adherees=len(adherees),
        en_attente=sum(1 for a in adhesions if a.statut == StatutAdhesion.EN_ATTENTE),
        refusees=sum(1 for a in adhesions if a.statut == StatutAdhesion.REFUSEE),
        population=sum(a.commune.population or 0 for a in adhesions),
        population_adherente=sum(a.commune.population or 0 for a in adherees),
        bonus_bloque=[a for a in adhesions if a.bonus_bloque],
    )


def convention_de_reference(epci_code: str) -> Convention | None:
    """The convention whose statements describe an EPCI today (the childhood competence transferred by its communes,
    whether it covers the SPPE schéma): the one in force, else the latest signed, else the latest draft."""
    from .models import Statut

    conventions = list(
        Convention.objects.filter(epci_id=epci_code).select_related("resiliation").order_by("-date_debut", "-pk")
    )
    en_vigueur = [c for c in conventions if c.statut_du_jour == Statut.EN_VIGUEUR]
    signees = [c for c in conventions if c.est_signee]
    return (en_vigueur or signees or conventions or [None])[0]


def competences_transferees(convention: Convention | None) -> set[str]:
    """The communes that transferred their childhood competence to the EPCI, as the adhesions of ``convention`` (its
    reference convention, :func:`convention_de_reference`) record it."""
    if convention is None:
        return set()
    return set(
        convention.adhesions.filter(competence_petite_enfance_transferee=True).values_list("commune_id", flat=True)
    )

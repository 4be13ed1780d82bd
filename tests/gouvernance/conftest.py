"""A comité de pilotage at parity on the reference convention, built by hand (fictitious people)."""

from datetime import date

import pytest

from ctg.conventions.cycle import actualiser
from ctg.gouvernance.models import Cote, Membre, Reunion, RoleComite, StatutReunion
from ctg.gouvernance.regles import comite_de


@pytest.fixture
def convention(convention_cambrai):
    actualiser(convention_cambrai)
    return convention_cambrai


def membre(comite, prenom, cote, role=RoleComite.VOTANT, debut=date(2022, 1, 1), fin=None, **autres):
    return Membre.objects.create(
        comite=comite,
        prenom=prenom,
        nom="Test",
        organisation={"caf": "Caf du Nord", "collectivite": "CA de Cambrai"}.get(cote, "Partenaire"),
        email=f"{prenom.lower()}@example.org",
        cote=cote,
        role=role,
        debut=debut,
        fin=fin,
        **autres,
    )


@pytest.fixture
def comite(convention):
    """Two voting members per side, a consultative resource person and a secretariat."""
    comite = comite_de(convention)
    comite.m = {
        "anim": membre(comite, "Anne", Cote.CAF, RoleComite.ANIMATEUR),
        "caf": membre(comite, "Bruno", Cote.CAF),
        "pilote": membre(comite, "Chloé", Cote.COLLECTIVITE, RoleComite.PILOTE),
        "col": membre(comite, "Denis", Cote.COLLECTIVITE),
        "ressource": membre(comite, "Émile", Cote.PARTENAIRE, RoleComite.CONSULTATIF),
        "secretariat": membre(comite, "Flore", Cote.COLLECTIVITE, RoleComite.SECRETARIAT),
    }
    return comite


@pytest.fixture
def reunion_tenue(comite):
    """A meeting of 14/03/2023 with everyone present."""
    from ctg.gouvernance.decisions import enregistrer_presences

    reunion = Reunion.objects.create(comite=comite, date=date(2023, 3, 14), lieu="Salle du conseil")
    enregistrer_presences(reunion, {m: ("present", "") for m in comite.m.values()}, aujourd_hui=date(2026, 11, 28))
    reunion.refresh_from_db()
    assert reunion.statut == StatutReunion.TENUE
    return reunion

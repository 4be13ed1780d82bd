"""The comité's composition and meetings export to CSV and XLSX with the page's columns."""

from datetime import date

import pytest

from ctg.gouvernance import tableaux
from ctg.gouvernance.models import Reunion

pytestmark = pytest.mark.django_db


def test_reunions_a_venir_puis_passees_avec_les_colonnes_de_la_page(client, convention, reunion_tenue):
    Reunion.objects.create(comite=reunion_tenue.comite, date=date(2027, 2, 1), lieu="")
    a_venir, passees = tableaux.reunions_ordonnees(convention)
    export = tableaux.reunions(convention, a_venir, passees, avec_comite=False)
    assert export.entetes == ["Date", "Lieu", "Statut", "Décisions"]
    assert export.lignes[0][:2] == ["01/02/2027", "visioconférence"] and export.lignes[0][3] == ""
    assert export.lignes[1][:2] == ["14/03/2023", "Salle du conseil"] and export.lignes[1][3] == 0
    assert tableaux.entetes_reunions(True)[1] == "Comité"


def test_composition_une_ligne_par_membre_et_export_reserve_aux_membres(compte_demo, convention, comite):
    export = tableaux.composition(convention, [(comite, comite.membres.all())])
    assert export.entetes == ["Comité", *tableaux.ENTETES_MEMBRES] and len(export.lignes) == 6
    anne = next(ligne for ligne in export.lignes if ligne[1].startswith("Anne"))
    assert anne[2] == "Caf du Nord" and anne[5] == "depuis le 01/01/2022"
    client = compte_demo("lecture")
    csv = client.get(f"/gouvernance/conventions/{convention.pk}/composition.csv")
    assert csv.content.decode("utf-8-sig").splitlines()[0] == ";".join(export.entetes)
    page = client.get(f"/gouvernance/conventions/{convention.pk}/").content.decode()
    assert f"/gouvernance/conventions/{convention.pk}/reunions.xlsx" in page
    client.logout()
    assert client.get(f"/gouvernance/conventions/{convention.pk}/reunions.xlsx").status_code == 302

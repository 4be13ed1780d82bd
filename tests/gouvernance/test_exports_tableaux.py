"""The comité's composition and meetings export to CSV and XLSX with the page's columns."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model

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


@pytest.fixture
def tables_du_comite(convention, comite, reunion_tenue):
    """A decision, an initiative and the attendance of ``reunion_tenue``: (page, table id, export, a known row)."""
    from ctg.gouvernance.decisions import enregistrer_decision
    from ctg.gouvernance.models import Initiative

    enregistrer_decision(reunion_tenue, "=Le comité adopte le plan.", "consensus", "autre", "Fiche 1.2")
    Initiative.objects.create(
        convention=convention, titre="Café des parents", description="Un lieu.", reperee_le=date(2023, 1, 5)
    )
    base = f"/gouvernance/conventions/{convention.pk}"
    reunion = f"{base}/reunions/{reunion_tenue.pk}"
    return {
        "decisions": (f"{base}/decisions/", "decisions", f"{base}/decisions", "=Le comité adopte le plan."),
        "initiatives": (f"{base}/initiatives/", "initiatives", f"{base}/initiatives", "tout le territoire"),
        "presences": (f"{reunion}/", "presences", f"{reunion}/presences", "Présent"),
    }


@pytest.mark.parametrize("table", ["decisions", "initiatives", "presences"])
def test_exports_avec_les_colonnes_de_la_page(compte_demo, tables_du_comite, table):
    from ..exports import entetes_de_la_page, lire_export

    page, identifiant, export, connue = tables_du_comite[table]
    client = compte_demo("lecture")
    html = client.get(page).content.decode()
    entetes = entetes_de_la_page(html, identifiant)
    assert f'href="{export}.xlsx"' in html and len(entetes) >= 3
    for format in ("csv", "xlsx"):
        lues, lignes, _ = lire_export(client.get(f"{export}.{format}").content, format)
        assert lues == entetes
        assert any(connue in cellule for ligne in lignes for cellule in ligne)
    assert client.get(f"{export}.ods").status_code == 404
    client.logout()
    client.force_login(get_user_model().objects.create_user("exterieur"))
    assert client.get(f"{export}.csv").status_code == 404

"""The Caf's portfolio: the Caf du Nord's page lists the Nord's EPCI with and without a CTG, its coverage (computed
here again from the territories), the same figures as ``ctg portefeuille 59 --json``, who may see it, the national
view, the exports, the map, and a number of queries that does not grow with the EPCI nor the conventions."""

import csv
import io
import json
import re
from collections import Counter
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from openpyxl import load_workbook

from ctg.comptes.models import Profil, Role
from ctg.conventions.models import Convention, Habilitation, Statut
from ctg.demo.comptes import creer_comptes_demo
from ctg.territoires.models import Commune

pytestmark = [pytest.mark.django_db, pytest.mark.date("2026-06-15")]

CAMBRAI = "200068500"
PAGE_NORD = "/portefeuille/departements/59/"


@pytest.fixture
def comptes(convention_cambrai):
    creer_comptes_demo(convention_cambrai)
    User = get_user_model()
    national = User.objects.create_user("national", password="x")
    Profil.objects.create(user=national, administrateur_national=True)
    return {u.username: u for u in User.objects.all()}


def epci_du_nord() -> set[str]:
    """The Nord's EPCI, found here from the communes: those with most of their communes in the Nord."""
    par_epci: dict[str, Counter] = {}
    for epci, dep in Commune.objects.exclude(epci=None).values_list("epci_id", "departement_id"):
        par_epci.setdefault(epci, Counter())[dep] += 1
    return {epci for epci, c in par_epci.items() if min(c, key=lambda dep: (-c[dep], dep)) == "59"}


def lignes_de_la_page(html: str) -> dict[str, str]:
    return dict(re.findall(r'<tr data-siren="(\d{9})" data-situation="([a-z_]+)">', html))


def test_la_page_de_la_caf_du_nord_liste_ses_epci_avec_et_sans_ctg(client, comptes):
    client.force_login(comptes["demo"])
    reponse = client.get(PAGE_NORD)
    assert reponse.status_code == 200
    html = reponse.content.decode()
    lignes = lignes_de_la_page(html)
    attendus = epci_du_nord()
    assert set(lignes) == attendus and len(attendus) > 10
    assert lignes[CAMBRAI] == "a_renouveler"  # in force until 31/12/2026: renewal due within 18 months
    sans = [code for code, situation in lignes.items() if situation == "sans"]
    assert len(sans) == len(attendus) - 1
    assert "Métropole Européenne de Lille" in html and "CA de Cambrai" in html
    assert "Portefeuille des CTG de la Caf du Nord" in html
    # the renewal pipeline names Cambrai's convention; the menu leads here
    assert 'id="tableau-renouvellements"' in html and f'href="/conventions/{convention_pk(CAMBRAI)}/"' in html
    assert 'href="/portefeuille/"' in html


def convention_pk(epci):
    return Convention.objects.filter(epci_id=epci).order_by("date_debut").first().pk


def test_couverture_calculee_depuis_les_territoires(client, comptes):
    client.force_login(comptes["demo"])
    p = client.get(PAGE_NORD).context["portefeuille"]
    communes = list(Commune.objects.filter(departement_id="59").values_list("epci_id", "population"))
    couvertes = [pop or 0 for epci, pop in communes if epci == CAMBRAI]
    population = sum(pop or 0 for _, pop in communes)
    c = p.couverture
    assert (c.communes, c.communes_couvertes) == (len(communes), len(couvertes))
    assert (c.population, c.population_couverte) == (population, sum(couvertes))
    assert c.taux_population == round(100 * sum(couvertes) / population, 1)
    assert c.taux_communes == round(100 * len(couvertes) / len(communes), 1)
    assert (c.epci, c.epci_couverts) == (len(epci_du_nord()), 1)
    html = client.get(PAGE_NORD).content.decode()
    taux = f"{c.taux_population:.1f}".replace(".", ",")
    assert re.search(rf'id="taux-population">{taux}\s%', html)


def test_la_commande_donne_les_chiffres_de_la_page(client, comptes):
    sortie = io.StringIO()
    call_command("portefeuille", "59", "--json", stdout=sortie)
    commande = json.loads(sortie.getvalue())
    client.force_login(comptes["demo"])
    reponse = client.get(PAGE_NORD)
    page = reponse.context["portefeuille"].as_dict()
    # the command reads every convention, the page those the adviser holds a role on: all of the Nord's here
    assert commande.pop("toutes_les_conventions") and not page.pop("toutes_les_conventions")
    assert commande == page
    html = reponse.content.decode()
    assert lignes_de_la_page(html) == {e["code"]: e["situation"] for e in commande["epci"]}
    t = commande["totaux"]
    assert f'id="epci-couverts">{t["epci_avec_ctg_en_vigueur"]} sur {t["epci"]}<' in html
    assert f'id="echeances-en-retard">{t["echeances_en_retard"]}<' in html
    assert f'id="renouvellements">{t["renouvellements_a_preparer"]}<' in html
    assert commande["renouvellements"] == [CAMBRAI]
    # the CSV export with every column has the same rows as the command
    csv_page = client.get(PAGE_NORD + "portefeuille.csv?colonnes=toutes").content.decode("utf-8-sig")
    lignes = list(csv.reader(io.StringIO(csv_page), delimiter=";"))
    assert [ligne[0] for ligne in lignes[1:]] == [e["code"] for e in commande["epci"]]
    # and the human-readable table the same totals
    texte = io.StringIO()
    call_command("portefeuille", "59", stdout=texte)
    assert f"EPCI : {t['epci']}, dont {t['epci_avec_ctg_en_vigueur']} avec une CTG en vigueur" in texte.getvalue()


def test_refus_pour_un_referent_de_commune_et_pour_une_autre_caf(client, comptes):
    client.force_login(comptes["referent.commune"])
    for url in ("/portefeuille/", PAGE_NORD, PAGE_NORD + "carte.geojson", PAGE_NORD + "portefeuille.csv"):
        reponse = client.get(url)
        assert reponse.status_code == 403
    assert "réservé aux agents d&#x27;une Caf" in client.get(PAGE_NORD).content.decode()
    assert 'href="/portefeuille/"' not in client.get("/").content.decode()
    client.force_login(comptes["demo"])
    assert client.get("/portefeuille/departements/62/").status_code == 403
    assert client.get("/portefeuille/").context["portefeuille"].departement.code == "59"


def test_vue_nationale_pour_une_administration_nationale(client, comptes):
    client.force_login(comptes["national"])
    reponse = client.get("/portefeuille/")
    assert reponse.status_code == 200
    vue = reponse.context["vue"]
    nord = next(lg for lg in vue.lignes if lg.departement.code == "59")
    assert nord.couverture.epci == len(epci_du_nord())
    assert vue.total.epci == sum(lg.couverture.epci for lg in vue.lignes) > 1200
    # a national administrator sees only the conventions they hold a role on (article 14): none here
    assert vue.total.epci_couverts == 0 and not vue.toutes_les_conventions
    assert 'href="/portefeuille/departements/59/"' in reponse.content.decode()
    assert client.get("/portefeuille/departements/62/").status_code == 200
    sortie = io.StringIO()
    call_command("portefeuille", "FR", "--json", stdout=sortie)
    national = json.loads(sortie.getvalue())
    assert national["totaux"]["epci_avec_ctg_en_vigueur"] == 1
    assert national["totaux"]["epci"] == vue.total.epci
    # the Nord's late deadlines, the same as its own portfolio's (the command reads every convention)
    sortie = io.StringIO()
    call_command("portefeuille", "59", "--json", stdout=sortie)
    nord_seul = json.loads(sortie.getvalue())["totaux"]
    (nord_national,) = [d for d in national["departements"] if d["code"] == "59"]
    assert nord_national["echeances_en_retard"] == nord_seul["echeances_en_retard"] > 0
    assert nord_national["bonus_annee"] == nord_seul["bonus_annee"]
    assert national["totaux"]["echeances_en_retard"] == nord_seul["echeances_en_retard"]


def test_exports_et_carte(client, comptes):
    client.force_login(comptes["demo"])
    brut = client.get(PAGE_NORD + "portefeuille.csv").content
    assert brut.startswith("\ufeff".encode())
    entetes = brut.decode("utf-8-sig").splitlines()[0].split(";")
    assert entetes[:2] == ["EPCI", "Population"] and "Échéances en retard" in entetes
    classeur = load_workbook(io.BytesIO(client.get(PAGE_NORD + "portefeuille.xlsx").content))
    cellules = [[c.value for c in ligne] for ligne in classeur.active.iter_rows()]
    assert cellules[0][0].startswith("Portefeuille des CTG — Caf du Nord")
    assert entetes in cellules
    assert client.get(PAGE_NORD + "portefeuille.pdf").status_code == 404
    carte = json.loads(client.get(PAGE_NORD + "carte.geojson").content)
    assert len(carte["features"]) == len(epci_du_nord())
    assert [c["libelle"] for c in carte["legende"]] == [
        "CTG en vigueur, fin dans moins de 18 mois",
        "Sans CTG",
    ]
    cambrai = next(f for f in carte["features"] if f["properties"]["code"] == CAMBRAI)
    assert cambrai["properties"]["classe"] == 0 and cambrai["geometry"] is not None


def test_nombre_de_requetes_borne(client, comptes, django_assert_max_num_queries):
    """The page reads the territories, the conventions, the adhesions and the financing in a fixed number of queries,
    whatever the number of EPCI and communes; each convention in force adds only its dashboard's deadlines
    (``ctg.conventions.echeances`` and the apps' extension points: four queries for a bare convention)."""
    client.force_login(comptes["demo"])
    with django_assert_max_num_queries(26):
        assert client.get(PAGE_NORD).status_code == 200
    caf = Convention.objects.get(pk=convention_pk(CAMBRAI)).caf
    for code in sorted(epci_du_nord() - {CAMBRAI})[:5]:  # five more conventions in force, visible to the adviser
        c = Convention.objects.create(
            caf=caf,
            epci_id=code,
            date_debut=date(2025, 1, 1),
            date_fin=date(2029, 12, 31),
            date_signature=date(2024, 12, 1),
            statut=Statut.EN_VIGUEUR,
        )
        Habilitation.objects.create(user=comptes["demo"], convention=c, role=Role.CONSEILLER_CAF)
    with django_assert_max_num_queries(26 + 5 * 4):
        p = client.get(PAGE_NORD).context["portefeuille"]
    assert p.couverture.epci_couverts == 6 and p.couverture.renouvellements == 1
    # the national view: every EPCI of France (1,255), in a fixed number of queries
    client.force_login(comptes["national"])
    with django_assert_max_num_queries(12):
        assert client.get("/portefeuille/").context["vue"].total.epci > 1200


def test_la_demonstration_est_marquee(client, demo_chargee):
    """With the demo (its 2027–2031 renewal draft, its fictitious structures and bonus), the page, the exports and
    the command say "démonstration"."""
    client.force_login(get_user_model().objects.get(username="demo"))
    html = client.get(PAGE_NORD).content.decode()
    assert 'class="bandeau-demo"' in html and "(démonstration)" in html
    assert "2027–2031" in html  # the renewal in preparation
    classeur = load_workbook(io.BytesIO(client.get(PAGE_NORD + "portefeuille.xlsx").content))
    assert "démonstration" in classeur.active["A2"].value.lower()
    sortie = io.StringIO()
    call_command("portefeuille", "59", stdout=sortie)
    assert "(démonstration)" in sortie.getvalue().splitlines()[0]

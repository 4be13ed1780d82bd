"""The territorial diagnostic as users see it: the EPCI and commune pages, the exports, the 20-page report, and the
shared diagnostic of a convention — on the embedded data (real population, FICTITIOUS Caf demonstration set)."""

import csv
import io
import json
from datetime import date

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from ctg.conventions.models import Convention
from ctg.demo.comptes import creer_comptes_demo
from ctg.diagnostic.models import Besoin, StatutDiagnostic
from ctg.diagnostic.partage import ChangementImpossible, diagnostic_de, soumettre
from ctg.diagnostic.rapport import PAGES_MAXIMUM, RapportTropLong, construire_rapport, rendre_rapport, verifier_longueur
from ctg.documents import Paragraphe
from ctg.documents.rendu_pdf import compter_pages_pdf

from .outils import valider_par_le_comite

pytestmark = pytest.mark.django_db


@pytest.fixture
def donnees_demo(donnees_embarquees_calculees):
    """The embedded data (real population, FICTITIOUS Caf set) and every indicator computed on them."""


def test_page_epci_export_et_rapport_sur_le_jeu_de_demonstration(client_connecte, donnees_demo, tmp_path):
    page = client_connecte.get("/diagnostic/epci/200068500/").content.decode()
    assert "Données de démonstration" in page and "FICTIFS" in page  # the warning on every page with demo figures
    assert "Taux de couverture global" in page and "Nord" in page and "France" in page
    assert "DEMONSTRATION_txcouv_pe_epci.csv" in page  # source and vintage beside the figures
    assert "<svg" in page  # evolution chart over the three demo years

    carte = json.loads(
        client_connecte.get("/diagnostic/epci/200068500/carte.geojson?indicateur=foyers_allocataires").content
    )
    assert len(carte["features"]) == 55
    assert {f["properties"]["etat"] for f in carte["features"]} <= {"disponible", "secret", "partiel", "absent"}

    fragment = client_connecte.get(
        "/diagnostic/epci/200068500/",
        {"partiel": "communes", "indicateur": "enfants_0_2", "tri": "nom", "ordre": "asc"},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert fragment.startswith('<table class="tableau" id="table-communes">') and fragment.index(
        "Abancourt"
    ) < fragment.index("Wambaix")

    reponse = client_connecte.get(
        "/diagnostic/epci/200068500/communes.csv", {"domaine": "petite_enfance", "colonnes": "toutes"}
    )
    texte = reponse.content.decode("utf-8")
    assert texte.startswith("\ufeff") and reponse["Content-Type"].startswith("text/csv")
    lignes = list(csv.reader(io.StringIO(texte.lstrip("\ufeff")), delimiter=";"))
    assert lignes[0][:3] == ["Code INSEE", "Commune", "Population municipale 2023"]
    assert len(lignes) == 56 and lignes[1][-1] == "oui"

    classeur = load_workbook(io.BytesIO(client_connecte.get("/diagnostic/epci/200068500/communes.xlsx").content))
    feuille = classeur.active
    assert "FICTIFS" in feuille["A2"].value
    assert feuille.max_row == 4 + 55

    commune = client_connecte.get("/diagnostic/communes/59122/").content.decode()
    assert "Service public de la petite enfance" in commune and "schéma" in commune.lower()

    pdf = rendre_rapport("200068500", "pdf")
    assert 1 < compter_pages_pdf(pdf) <= PAGES_MAXIMUM
    assert len(pdf) < 5 * 1024 * 1024
    from pypdf import PdfReader

    texte_pdf = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "DÉMONSTRATION" in texte_pdf and "Sources et millésimes" in texte_pdf
    assert "Taux de couverture global" in texte_pdf
    sortie = tmp_path / "diagnostic.docx"
    call_command("diagnostic_render", "200068500", format="docx", output=str(sortie))
    assert sortie.read_bytes()[:2] == b"PK"


def test_rapport_refuse_au_dela_de_20_pages(donnees_demo):
    document, parties, _ = construire_rapport("200068500")
    parties[1].blocs += [Paragraphe("Texte trop long. " * 400) for _ in range(12)]
    document.blocs += parties[1].blocs[-12:]
    with pytest.raises(RapportTropLong) as exc:
        verifier_longueur(document, parties)
    assert f"au-delà des {PAGES_MAXIMUM} pages" in str(exc.value) and f"« {parties[1].titre} »" in str(exc.value)


def test_rapport_sans_donnees_caf_reste_honnete():
    texte = rendre_rapport("200068500", "html").decode("utf-8")
    assert "Diagnostic territorial — CA de Cambrai" in texte
    assert "DÉMONSTRATION" not in texte  # no demonstration data loaded: no warning, and no invented figure


@pytest.mark.date("2024-09-02")  # the demo convention in force
def test_diagnostic_partage_du_brouillon_a_la_validation(client, convention_cambrai):
    creer_comptes_demo(convention_cambrai)
    diagnostic = diagnostic_de(convention_cambrai)
    with pytest.raises(ChangementImpossible, match="Rédigez la synthèse"):
        soumettre(diagnostic, date(2023, 5, 2))
    client.login(username="chef.projet", password="ctg-demo-2026")
    url = f"/diagnostic/conventions/{convention_cambrai.pk}/"
    client.post(
        url,
        {
            "synthese": "Un territoire rural autour d'une ville centre.",
            "domaine_petite_enfance": "Peu de places.",
            "version_lue": diagnostic.version,
        },
    )
    client.post(
        f"{url}besoins/nouveau/",
        {
            "domaine": "petite_enfance",
            "intitule": "Places d'accueil dans le sud du territoire",
            "priorite": "1",
            "communes": ["59267", "59269"],
            "indicateurs": ["taux_couverture_global"],
        },
    )
    besoin = Besoin.objects.get(diagnostic=diagnostic)
    assert set(besoin.communes.values_list("code", flat=True)) == {"59267", "59269"}
    with pytest.raises(ChangementImpossible, match="précède la signature de la convention"):
        soumettre(diagnostic, date(2021, 11, 1))
    client.post(f"{url}statut/soumettre/", {"date": "2023-05-02"})
    # the validation is the comité's decision, not a button of the diagnostic's page
    reponse = client.post(f"{url}statut/valider/", {"date": "2023-06-20"}, follow=True)
    assert "sont des décisions du comité de pilotage" in reponse.content.decode()
    diagnostic.refresh_from_db()
    assert diagnostic.statut == StatutDiagnostic.SOUMIS and diagnostic.soumis_le == date(2023, 5, 2)
    valider_par_le_comite(convention_cambrai, date(2023, 6, 20))
    diagnostic.refresh_from_db()
    assert diagnostic.statut == StatutDiagnostic.VALIDE and diagnostic.valide_le == date(2023, 6, 20)
    assert Convention.objects.get(pk=convention_cambrai.pk).diagnostic_valide_le == date(2023, 6, 20)
    page = client.get(f"/conventions/{convention_cambrai.pk}/").content.decode()
    assert "validé le 20/06/2023" in page  # the year-2 deadline on the dashboard is met
    client.logout()
    client.login(username="lecture", password="ctg-demo-2026")
    assert client.post(f"{url}statut/soumettre/", {"date": "2023-05-02"}).status_code == 403

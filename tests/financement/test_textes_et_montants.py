"""The financing pages say what their alerts say: the commune's funding counted against its Cej commitment appears
in the multi-year table, with the structures it leaves out named; one full stop per sentence; the import template
of a renewal offers one of its own years; lists in French alphabetical order."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model

from ctg.conventions.models import Convention
from ctg.financement.calcul import engagements_annee
from ctg.financement.exports import pluriannuel, table_pluriannuelle
from ctg.financement.simulation import simuler
from ctg.formats import cle_alphabetique
from ctg.territoires.models import Commune
from tests.lecture import texte_html

pytestmark = pytest.mark.django_db


def lire(client, url) -> str:
    reponse = client.get(url)
    assert reponse.status_code == 200, url
    return texte_html(reponse.content)


def test_le_tableau_pluriannuel_montre_le_montant_de_l_alerte_et_la_structure_exclue(client, demo, comptes):
    client.force_login(comptes["lecture"])
    base = f"/financement/conventions/{demo.pk}"
    alerte = lire(client, f"{base}/?annee=2024")
    centre_social = demo.structures.get(type="centre_social", commune_id="59122")
    assert "(262 500,00 € au lieu de 273 000,00 €" in alerte
    assert f"hors {centre_social.nom} (ni enfance-jeunesse ni au Cej)" in alerte

    reponse = client.get(f"{base}/pluriannuel/")
    page = texte_html(reponse.content)
    # the whole funding of Cambrai, then the part the alert compares with the commitment, the excluded structure named
    assert "Financement commune" in page and "302 500,00 €" in page
    retenu = page.split("dont retenu pour l'engagement Cej", 1)[1].split("Engagement Cej", 1)[0]
    assert f"hors {centre_social.nom} (ni enfance-jeunesse ni au Cej)" in retenu
    assert "262 500,00 €" in retenu
    assert 'data-testid="retenu-59122"' in reponse.content.decode()

    entetes, lignes, _ = table_pluriannuelle(demo)
    colonne = entetes.index("2024")
    (ligne,) = [
        ligne for ligne in lignes if ligne[0] == "Cambrai" and ligne[3].startswith("dont retenu pour l'engagement Cej")
    ]
    assert ligne[colonne] == 262500 and centre_social.nom in ligne[3]

    # the same figure and the same structure left out in the command's JSON (ctg bonus --json)
    (cambrai,) = [e.as_dict() for e in engagements_annee(demo, 2024) if e.commune.code == "59122"]
    assert cambrai["reel"] == "262500.00" and cambrai["structures_hors_engagement"] == [centre_social.nom]


def test_le_resume_de_la_simulation_finit_par_un_seul_point(demo):
    resultat = simuler(demo, Commune.objects.get(code="59322"), 12, date(2026, 1, 1), annees=[2026])
    assert resultat.resume.endswith("tant qu'elle n'a pas adhéré.") and ".." not in resultat.resume


@pytest.mark.date("2026-11-30")
def test_le_modele_d_import_d_un_renouvellement_est_d_une_de_ses_annees(client, demo, comptes):
    renouvellement = Convention.objects.filter(precedente=demo).first() or Convention.objects.create(
        caf=demo.caf, epci=demo.epci, date_debut=date(2027, 1, 1), date_fin=date(2031, 12, 31), precedente=demo
    )
    client.force_login(comptes["demo"])
    assert "Modèle pré-rempli avec les structures du territoire : XLSX 2025 · CSV 2025" in lire(
        client, f"/financement/conventions/{demo.pk}/import/"
    )
    admin = get_user_model().objects.create_superuser("admin.textes", password="x")
    client.force_login(admin)
    page = lire(client, f"/financement/conventions/{renouvellement.pk}/import/")
    assert "XLSX 2027 · CSV 2027" in page and "2025" not in page.split("Modèle", 1)[1].split("CSV", 1)[0]


def test_les_communes_et_les_structures_dans_l_ordre_alphabetique_francais(demo, creer_structure):
    creer_structure("Éveil des petits", commune="59122", type="eaje")
    creer_structure("Zébulon", commune="59122", type="eaje")
    tableau = pluriannuel(demo)
    cambrai = next(bloc for bloc in tableau["communes"] if bloc["commune"].code == "59122")
    noms = [ligne["structure"].nom for ligne in cambrai["structures"]]
    multi_accueil = next(n for n in noms if n.startswith("Multi-accueil"))
    assert noms == sorted(noms, key=cle_alphabetique)
    assert noms.index("Éveil des petits") < noms.index(multi_accueil) < noms.index("Zébulon")

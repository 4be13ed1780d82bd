"""The pages as users see them, the dashboard alerts, and the rights (members read, editors write, a consultative
member does not vote)."""

import io
from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from ctg import horloge
from ctg.demo.comptes import creer_comptes_demo
from ctg.gouvernance.models import Decision, Initiative, Membre, Reunion, StatutReunion
from ctg.gouvernance.perms import ACCES, exemples_acces
from tests.test_acces import attendu, motifs, url_de

from ..lecture import texte_docx

pytestmark = pytest.mark.django_db

COMPTES = [None, "exterieur", "lecture", "membre.copil", "referent.commune", "chef.projet", "demo", "admin"]
# The demo convention runs 2022-01-01 → 2026-12-31: the tests that edit its comité run while it is in force.
EN_VIGUEUR = "2026-11-30"


@pytest.fixture
def comptes(convention):
    creer_comptes_demo(convention)
    User = get_user_model()
    comptes = {u.username: u for u in User.objects.filter(habilitations__convention=convention)}
    comptes["exterieur"] = User.objects.create_user("exterieur", password="x")
    comptes["admin"] = User.objects.create_superuser("admin", password="x")
    return comptes


@pytest.mark.date(EN_VIGUEUR)
def test_parcours_des_droits_sur_les_pages_du_comite(client, convention, comptes):
    """The walk of tests/test_acces.py, on this app's URLs only (independent from the other apps' state)."""
    valeurs = {"pk": convention.pk, "format": "txt", **exemples_acces(convention)}
    miennes = [(nom, motif) for nom, motif in motifs() if nom.startswith("gouvernance:")]
    assert {nom for nom, _ in miennes} == set(ACCES)
    for compte in COMPTES:
        client.logout()
        if compte:
            client.force_login(comptes[compte])
        for nom, motif in miennes:
            url = url_de(nom, motif, valeurs)
            assert client.get(url).status_code == attendu(ACCES[nom], nom, compte), f"{compte} GET {url}"


def _page(client, url) -> str:
    reponse = client.get(url)
    assert reponse.status_code == 200, url
    return reponse.content.decode()


@pytest.mark.date(EN_VIGUEUR)
def test_retirer_un_membre_caf_rompt_la_parite_et_le_tableau_de_bord_le_dit(client, convention, comite, comptes):
    client.force_login(comptes["demo"])
    tableau = _page(client, f"/conventions/{convention.pk}/")
    assert "Parité rompue" not in tableau and "parité rompue" not in tableau
    assert reverse("gouvernance:comite", args=[convention.pk]) in tableau  # the "Comité de pilotage" button

    bruno = comite.m["caf"]
    donnees = {
        "comite": comite.pk,
        "civilite": "",
        "prenom": bruno.prenom,
        "nom": bruno.nom,
        "organisation": bruno.organisation,
        "fonction": "",
        "email": bruno.email,
        "cote": "caf",
        "role": "votant",
        "debut": "2022-01-01",
        "fin": (horloge.aujourd_hui() - timedelta(days=1)).isoformat(),
        "compte": "",
    }
    reponse = client.post(f"/gouvernance/conventions/{convention.pk}/composition/{bruno.pk}/", donnees, follow=True)
    assert "Parité rompue" in reponse.content.decode()
    tableau = _page(client, f"/conventions/{convention.pk}/")
    assert "Comité de pilotage — parité rompue au" in tableau
    assert "il manque 1 représentant·e votant·e de la Caf" in tableau

    composition = _page(client, f"/gouvernance/conventions/{convention.pk}/composition/")
    assert 'data-testid="historique-parite"' in composition and "rompue" in composition
    # the parity at a past date, as an htmx fragment
    fragment = client.get(
        f"/gouvernance/conventions/{convention.pk}/composition/", {"date": "2023-01-01"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert (
        fragment.startswith('<div id="parite" class="parite"') and "Parité respectée</strong> au 01/01/2023" in fragment
    )


@pytest.mark.date(EN_VIGUEUR)
def test_semestre_sans_reunion_signale_au_tableau_de_bord_et_dans_echeances(client, convention, comite, comptes):
    Reunion.objects.create(comite=comite, date=date(2022, 3, 1), lieu="Cambrai", statut=StatutReunion.TENUE)
    client.force_login(comptes["lecture"])
    tableau = _page(client, f"/conventions/{convention.pk}/")
    assert "aucune réunion tenue au cours des semestres 2d semestre 2022, 1er semestre 2023" in tableau
    sortie = io.StringIO()
    call_command("echeances", str(convention.pk), "--date", "2026-11-28", stdout=sortie)
    texte = " ".join(sortie.getvalue().split())
    assert "en retard Comité de pilotage du 2d semestre 2022 (aucune réunion enregistrée)" in texte
    assert "fait Comité de pilotage du 1er semestre 2022 (réunion(s) le 01/03/2022)" in texte
    assert "à faire bientôt Comité de pilotage du 2d semestre 2026" in texte
    page = _page(client, f"/gouvernance/conventions/{convention.pk}/")
    assert "sans réunion" in page and "réunion due" in page


@pytest.mark.date(EN_VIGUEUR)
def test_planifier_convoquer_presences_decision_compte_rendu(client, convention, comite, comptes, mailoutbox):
    client.force_login(comptes["chef.projet"])
    base = f"/gouvernance/conventions/{convention.pk}"
    assert "Planifier une réunion" in _page(client, base + "/")
    donnees = {
        "comite": comite.pk,
        "date": horloge.aujourd_hui().isoformat(),
        "heure_debut": "14:00",
        "heure_fin": "16:00",
        "lieu": "",
        "lien_visio": "",
        "points-TOTAL_FORMS": "3",
        "points-INITIAL_FORMS": "0",
        "points-MIN_NUM_FORMS": "0",
        "points-MAX_NUM_FORMS": "1000",
        "points-0-rubrique": "diagnostic",
        "points-0-intitule": "Validation du diagnostic",
        "points-1-rubrique": "finances",
        "points-1-intitule": "Point sur les financements",
        "points-2-rubrique": "autre",
        "points-2-intitule": "",
    }
    page = client.post(base + "/reunions/nouvelle/", donnees).content.decode()
    assert "Indiquez le lieu de la réunion ou un lien de visioconférence." in page
    donnees["lien_visio"] = "visio.example.org/copil"
    reponse = client.post(base + "/reunions/nouvelle/", donnees)
    reunion = Reunion.objects.get(comite=comite)
    assert reponse.status_code == 302 and reponse["Location"] == reunion.get_absolute_url()
    assert reunion.lien_visio == "https://visio.example.org/copil"
    assert [p.intitule for p in reunion.points.all()] == ["Validation du diagnostic", "Point sur les financements"]

    client.post(base + f"/reunions/{reunion.pk}/convocations/")
    assert len(mailoutbox) == 6 and mailoutbox[0].attachments[0][0].endswith(".ics")

    m = comite.m
    presences = {f"etat_{x.pk}": "present" for x in m.values()}
    presences.update({f"par_{x.pk}": "" for x in m.values()})
    presences[f"etat_{m['col'].pk}"] = "represente"
    page = client.post(base + f"/reunions/{reunion.pk}/presences/", presences).content.decode()
    assert "Indiquez qui représentait Denis Test." in page
    presences[f"par_{m['col'].pk}"] = "Chloé Test"
    reponse = client.post(base + f"/reunions/{reunion.pk}/presences/", presences, follow=True)
    assert "Présences enregistrées. 4 membres votants présents ou représentés sur 4" in reponse.content.decode()
    reunion.refresh_from_db()
    assert reunion.statut == StatutReunion.TENUE

    decision = {
        "texte": "Le comité adopte le plan d'actions.",
        "mode": "vote",
        "objet": "action_adaptee",
        "reference": "Fiche 2.1",
        "objet_id": "",
        **{f"vote_{x.pk}": "pour" for x in (m["anim"], m["caf"], m["pilote"], m["col"])},
        f"vote_{m['ressource'].pk}": "pour",
    }
    page = client.post(base + f"/reunions/{reunion.pk}/decisions/nouvelle/", decision).content.decode()
    assert "Émile Test siège à titre consultatif (personne ressource) : son vote ne peut pas être enregistré." in page
    assert Decision.objects.count() == 0
    decision[f"vote_{m['ressource'].pk}"] = ""
    reponse = client.post(base + f"/reunions/{reunion.pk}/decisions/nouvelle/", decision, follow=True)
    assert "Décision n° 1 enregistrée : adoptée (4 pour, 0 contre, 0 abstention)." in reponse.content.decode()

    reunion.refresh_from_db()
    client.post(
        base + f"/reunions/{reunion.pk}/compte-rendu/",
        {"compte_rendu": "Échanges nourris.", "version_lue": reunion.version},
    )
    reunion.refresh_from_db()
    assert reunion.compte_rendu == "Échanges nourris."
    page = _page(client, reunion.get_absolute_url())
    assert "Échanges nourris." in page and "Fiche 2.1" in page and 'data-testid="quorum"' in page
    reponse = client.get(base + f"/reunions/{reunion.pk}/compte-rendu.docx")
    assert "Échanges nourris." in texte_docx(reponse.content) and "attachment" in reponse["Content-Disposition"]
    assert "Le comité adopte le plan" in _page(client, base + "/decisions/")
    reponse = client.get(base + "/decisions.xlsx")
    assert reponse["Content-Type"].startswith("application/vnd.openxmlformats")
    reponse = client.get(base + f"/calendrier-{horloge.aujourd_hui().year}.ics")
    assert reponse["Content-Type"].startswith("text/calendar") and b"BEGIN:VEVENT" in reponse.content


@pytest.mark.date(EN_VIGUEUR)
def test_membre_du_copil_lit_mais_ne_vote_pas(client, convention, comite, reunion_tenue, comptes):
    consultatif = comite.m["ressource"]
    consultatif.compte = comptes["membre.copil"]
    consultatif.save()
    client.force_login(comptes["membre.copil"])
    base = f"/gouvernance/conventions/{convention.pk}"
    page = _page(client, base + "/")
    assert "Vous siégez au comité : <strong>Personne ressource (à titre consultatif)</strong>" in page
    assert "vous ne prenez pas part aux votes" in page and "Planifier une réunion" not in page
    page = _page(client, reunion_tenue.get_absolute_url())
    assert "Enregistrer une décision" not in page and "Enregistrer les présences" not in page
    assert "Compte rendu (PDF)" in page
    reponse = client.post(
        base + f"/reunions/{reunion_tenue.pk}/decisions/nouvelle/",
        {"texte": "x", "mode": "consensus", "objet": "autre"},
    )
    assert reponse.status_code == 403 and Decision.objects.count() == 0
    assert client.post(base + f"/reunions/{reunion_tenue.pk}/convocations/").status_code == 403
    # but may report an initiative; the read-only account may not
    reponse = client.post(
        base + "/initiatives/nouvelle/",
        {"titre": "Ludothèque mobile", "commune": "59122", "description": "Jeux", "reperee_le": "2026-11-01"},
    )
    assert reponse.status_code == 302 and Initiative.objects.get().signalee_par == comptes["membre.copil"]
    client.force_login(comptes["lecture"])
    assert client.post(base + "/initiatives/nouvelle/", {"titre": "x"}).status_code == 403
    assert client.post(base + "/composition/nouveau/", {"prenom": "x"}).status_code == 403
    client.force_login(comptes["exterieur"])
    assert client.get(base + "/").status_code == 404
    assert Membre.objects.filter(prenom="x").count() == 0


@pytest.mark.date(EN_VIGUEUR)
def test_transformer_une_initiative(client, convention, comptes):
    initiative = Initiative.objects.create(
        convention=convention, titre="Ludothèque", description="d", reperee_le=date(2026, 1, 1)
    )
    client.force_login(comptes["demo"])
    base = f"/gouvernance/conventions/{convention.pk}/initiatives"
    reponse = client.post(f"{base}/{initiative.pk}/transformer/", {"reference": "Fiche action 4.1"}, follow=True)
    assert "transformée en fiche action : Fiche action 4.1" in reponse.content.decode()
    reponse = client.post(f"{base}/{initiative.pk}/transformer/", {"reference": ""}, follow=True)
    assert "déjà transformée" in reponse.content.decode()


@pytest.mark.date(EN_VIGUEUR)
def test_ajouter_un_sous_comite_et_un_membre(client, convention, comite, comptes):
    client.force_login(comptes["demo"])
    base = f"/gouvernance/conventions/{convention.pk}"
    client.post(base + "/sous-comites/nouveau/", {"nom": "Commission", "thematique": "petite enfance"})
    sous = comite.sous_comites.get()
    reponse = client.post(
        base + "/composition/nouveau/",
        {
            "comite": sous.pk,
            "prenom": "Iris",
            "nom": "Test",
            "organisation": "Relais petite enfance",
            "cote": "partenaire",
            "role": "consultatif",
            "debut": "2024-01-01",
        },
    )
    assert reponse.status_code == 302 and sous.membres.get().prenom == "Iris"
    page = _page(client, base + "/composition/")
    assert "Commission (petite enfance)" in page and "Iris Test" in page

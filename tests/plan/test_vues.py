"""Pages of the plan: every view renders, filters and sorting, from a need to a fiche, reviews, rights."""

from datetime import date

import lxml.html
import pytest

from ctg.comptes.models import Organisation
from ctg.diagnostic.models import Besoin
from ctg.diagnostic.partage import diagnostic_de
from ctg.plan.models import EvaluationAction, FicheAction, IndicateurAction, Revue
from tests.plan.fabriques import creer_indicateur

from ..lecture import texte_docx, texte_pdf
from .conftest import fiche_de_test

pytestmark = pytest.mark.django_db


def test_toutes_les_pages_du_plan_de_demonstration(client, demo, comptes):
    client.force_login(comptes["lecture"])
    fiche = FicheAction.objects.get(numero=3)
    revue = Revue.objects.get()
    base = f"/plan/conventions/{demo.pk}/"
    for url in [
        base,
        base + "actions/",
        base + "calendrier/",
        base + "tableau-de-bord/",
        base + "besoins/",
        base + "revues/",
        base + f"revues/{revue.pk}/",
        base + f"actions/{fiche.pk}/",
    ]:
        page = client.get(url)
        assert page.status_code == 200, url
        texte = page.content.decode()
        assert "Plan de démonstration" in texte, url  # the demonstration banner on every page
        assert "Modifier la fiche" not in texte and "Nouvelle fiche action" not in texte
        if url.endswith("tableau-de-bord/"):  # the targets of the year, the demo's trajectory among them
            cibles = lxml.html.fromstring(texte).xpath('//table[@id="cibles"]')[0].text_content()
            assert "Assistant·e·s maternel·le·s en activité" in cibles
    carte = client.get(base + "besoins/carte.geojson").json()
    cambrai = next(f for f in carte["features"] if f["properties"]["code"] == "59122")
    assert cambrai["properties"]["besoins"] == 3 and cambrai["properties"]["actions"] >= 4
    assert len(carte["features"]) == 55
    cuvillers = next(f for f in carte["features"] if f["properties"]["code"] == "59167")
    assert cuvillers["properties"]["besoins"] is None and cuvillers["properties"]["texte"].startswith("0 besoin")


@pytest.mark.date("2026-11-30")  # the convention in force
def test_tableau_de_bord_de_la_convention_montre_le_plan(client, demo, comptes):
    client.force_login(comptes["chef.projet"])
    page = client.get(f"/conventions/{demo.pk}/").content.decode()
    assert f'href="/plan/conventions/{demo.pk}/"' in page and "Plan d&#x27;actions" in page
    assert "1 action en retard" in page
    assert "Objectifs précis et projets conjoints identifiés" in page


def test_filtres_et_tri(client, demo, comptes):
    client.force_login(comptes["lecture"])
    url = f"/plan/conventions/{demo.pk}/actions/"
    mission = demo.objectifs.get(source="article 2", ordre=4)

    def numeros(**filtres):
        page = client.get(url, filtres, HTTP_HX_REQUEST="true").content.decode()
        import re

        return [int(n) for n in re.findall(r'<tr id="fiche-\d+"[^>]*>\s*<td class="nombre">(\d+)</td>', page)]

    assert numeros() == list(range(1, 13))
    assert numeros(mission=mission.pk) == [10, 11, 12]
    assert numeros(commune="59322") == [7, 9]
    assert numeros(pilote="Caf du Nord") == [2, 8, 10, 11]
    assert numeros(statut="en_retard") == [3]
    assert numeros(statut="terminee") == [1]
    assert numeros(financeur="Département du Nord") == [1, 12]
    assert numeros(annee="2023") == [1, 2, 6, 10]
    assert numeros(financeur="Caf du Nord", annee="2022") == [2]  # runs (or is financed) that year
    assert numeros(tri="budget", ordre="desc")[0] == 1
    assert numeros(tri="fin", ordre="asc")[0] == 1 and numeros(tri="debut", ordre="desc")[0] == 9
    page = client.get(url, {"statut": "en_retard"}).content.decode()
    assert "1</strong> action sur 12 (filtrées)" in page


@pytest.mark.date("2026-11-30")  # the convention in force
def test_d_un_besoin_a_une_fiche_avec_un_objectif_chiffre_et_date(client, convention, comptes):
    client.force_login(comptes["demo"])
    besoin = Besoin.objects.create(
        diagnostic=diagnostic_de(convention), domaine="petite_enfance", intitule="Places manquantes à Iwuy"
    )
    besoin.communes.set(["59322"])
    page = client.get(f"/plan/conventions/{convention.pk}/besoins/").content.decode()
    assert f"actions/nouvelle/?besoin={besoin.pk}" in page and "aucune action" in page
    formulaire = client.get(f"/plan/conventions/{convention.pk}/actions/nouvelle/", {"besoin": besoin.pk})
    initial = formulaire.context["form"].initial
    assert initial["titre"] == "Places manquantes à Iwuy" and initial["communes"] == ["59322"]
    assert len(initial["objectifs"]) == 1  # the enjeu "petite enfance" of article 4
    donnees = {
        "titre": "Micro-crèche à Iwuy",
        "description": "",
        "public": "familles",
        "objectifs": initial["objectifs"],
        "besoins": [str(besoin.pk)],
        "communes": ["59322"],
        "pilote": "",
        "pilote_structure": "Mairie d'Iwuy",
        "pilote_personne": "",
        "acteurs-TOTAL_FORMS": "3",
        "acteurs-INITIAL_FORMS": "0",
        "acteurs-0-role": "partenaire",
        "acteurs-0-organisation": str(convention.caf_id),
        "acteurs-0-precision": "conseillère territoriale",
        "acteurs-1-role": "operateur",
        "acteurs-1-nom": "  Centre social  d'Iwuy ",
        "acteurs-2-role": "partenaire",
        "acteurs-2-nom": "CAF DU NORD",
        "date_debut": "2025-01-01",
        "date_fin": "2026-12-31",
        "statut": "en_cours",
        "priorite": "1",
        "jalons-TOTAL_FORMS": "1",
        "jalons-INITIAL_FORMS": "0",
        "jalons-0-libelle": "Permis de construire",
        "jalons-0-date_prevue": "2025-06-30",
        "financements-TOTAL_FORMS": "2",
        "financements-INITIAL_FORMS": "0",
        "financements-0-financeur": "Caf du Nord",
        "financements-0-annee": "2025",
        "financements-0-montant": "60000.50",
        "financements-0-nature": "aide",
        "financements-1-financeur": "Mairie d'Iwuy",
        "financements-1-annee": "2025",
        "financements-1-montant": "20000",
        "financements-1-nature": "fonds_propres",
    }
    reponse = client.post(f"/plan/conventions/{convention.pk}/actions/nouvelle/", donnees)
    fiche = FicheAction.objects.get()
    assert reponse.status_code == 302 and reponse["Location"] == fiche.get_absolute_url()
    assert fiche.numero == 1 and list(fiche.besoins.all()) == [besoin]
    # partners and operators: the Caf chosen, then found again by its name typed otherwise; a new operator created
    assert fiche.liste_partenaires == ["Caf du Nord — conseillère territoriale", "Caf du Nord"]
    assert fiche.liste_operateurs == ["Centre social d'Iwuy"]
    assert fiche.acteurs.get(role="operateur").organisation.type == "autre"
    assert str(sum(f.montant for f in fiche.financements.all())) == "80000.50"
    reponse = client.post(
        f"/plan/conventions/{convention.pk}/actions/{fiche.pk}/indicateurs/nouveau/",
        {
            "libelle": "Places créées",
            "unite": "places",
            "valeur_initiale": "0",
            "cible": "10",
            "date_cible": "2026-09-30",
            "cibles-TOTAL_FORMS": "2",
            "cibles-INITIAL_FORMS": "0",
            "cibles-0-annee": "2025",
            "cibles-0-valeur": "4",
            "cibles-1-annee": "2026",
            "cibles-1-valeur": "9",  # the year of the final target: the final target wins
        },
    )
    assert reponse.status_code == 302
    indicateur = IndicateurAction.objects.get()
    assert list(indicateur.cibles.values_list("annee", "valeur")) == [(2025, 4), (2026, 10)]
    client.post(
        f"/plan/conventions/{convention.pk}/actions/{fiche.pk}/indicateurs/{indicateur.pk}/valeurs/",
        {"date": "2025-12-31", "valeur": "4"},
    )
    page = client.get(fiche.get_absolute_url()).content.decode()
    assert "40 %" in page and "30/09/2026" in page
    lignes = lxml.html.fromstring(page).xpath('//table[contains(@class, "petit-tableau")]/tbody/tr')
    annees = [" ".join(" ".join(ligne.itertext()).split()) for ligne in lignes]
    assert annees == ["2025 4 4 atteinte", "2026 10 — non mesurée"]  # each year's target next to its value
    page = client.get(f"/plan/conventions/{convention.pk}/besoins/").content.decode()
    assert "Micro-crèche à Iwuy" in page


@pytest.mark.date("2026-11-30")  # the convention in force
def test_fiche_invalide_rien_n_est_enregistre(client, convention, comptes):
    client.force_login(comptes["demo"])
    reponse = client.post(
        f"/plan/conventions/{convention.pk}/actions/nouvelle/",
        {
            "titre": "X",
            "statut": "en_cours",
            "priorite": "2",
            "date_debut": "2026-01-01",
            "date_fin": "2025-01-01",
            "acteurs-TOTAL_FORMS": "1",
            "acteurs-INITIAL_FORMS": "0",
            "acteurs-0-role": "partenaire",
            "acteurs-0-nom": "Mission locale",
            "jalons-TOTAL_FORMS": "0",
            "jalons-INITIAL_FORMS": "0",
            "financements-TOTAL_FORMS": "0",
            "financements-INITIAL_FORMS": "0",
        },
    )
    assert reponse.status_code == 200 and "La fin précède le début." in reponse.content.decode()
    assert not FicheAction.objects.exists() and not Organisation.objects.filter(nom="Mission locale").exists()


@pytest.mark.date("2026-12-20")  # the convention in force
def test_revue_et_bilan(client, demo, comptes):
    client.force_login(comptes["demo"])
    fiches = list(FicheAction.objects.order_by("numero"))
    donnees = {"type": "revue", "date": "2026-06-25", "nom_instance": "Comité de pilotage", "synthese": "Revue de juin"}
    for f in fiches:
        donnees.update({f"f{f.pk}-progression": "50", f"f{f.pk}-statut": "en_cours", f"f{f.pk}-decision": "maintenir"})
    donnees[f"f{fiches[2].pk}-decision"] = "adapter"
    donnees[f"f{fiches[2].pk}-commentaire"] = "Organiser le forum à l'automne."
    donnees[f"f{fiches[8].pk}-decision"] = "arreter"
    reponse = client.post(f"/plan/conventions/{demo.pk}/revues/nouvelle/", donnees)
    revue = Revue.objects.get(date=date(2026, 6, 25))
    assert reponse.status_code == 302 and revue.evaluations.count() == 12
    assert EvaluationAction.objects.get(revue=revue, fiche=fiches[2]).decision == "adapter"
    page = client.get(f"/plan/conventions/{demo.pk}/revues/{revue.pk}/").content.decode()
    assert "Organiser le forum à l&#x27;automne." in page and "Arrêter" in page

    formulaire = client.get(f"/plan/conventions/{demo.pk}/revues/nouvelle/", {"type": "bilan"})
    assert "Objectifs à adapter" in formulaire.content.decode()
    enjeu = demo.objectifs.get(
        intitule__startswith="Poursuivre la structuration d'une offre diversifiée en direction de la petite"
    )
    donnees.update(
        {
            "type": "bilan",
            "date": "2026-12-15",
            "effets": "Couverture en hausse.",
            f"o{enjeu.pk}-texte": "Viser 60 places.",
        }
    )
    client.post(f"/plan/conventions/{demo.pk}/revues/nouvelle/", donnees)
    bilan = Revue.objects.get(type="bilan")
    assert bilan.adaptations.get().texte == "Viser 60 places."
    page = client.get(f"/plan/conventions/{demo.pk}/revues/{bilan.pk}/").content.decode()
    assert "Effets : indicateurs avant / après" in page and "Viser 60 places." in page
    assert "12 (2025-12-31)" not in page
    for format_, lire in (("pdf", texte_pdf), ("docx", texte_docx)):
        reponse = client.get(f"/plan/conventions/{demo.pk}/revues/{bilan.pk}/rapport.{format_}")
        assert reponse.status_code == 200 and "Viser 60 places." in lire(reponse.content), format_


@pytest.mark.date("2026-11-30")  # the convention in force
def test_adoption_remplit_l_echeance(client, convention, comptes):
    client.force_login(comptes["chef.projet"])
    client.post(f"/plan/conventions/{convention.pk}/adopter/", {"date": "2023-12-14"})
    convention.refresh_from_db()
    assert convention.objectifs_identifies_le == date(2023, 12, 14)
    client.post(f"/plan/conventions/{convention.pk}/adopter/", {"action": "retirer"})
    convention.refresh_from_db()
    assert convention.objectifs_identifies_le is None
    reponse = client.post(f"/plan/conventions/{convention.pk}/adopter/", {"date": "2020-01-01"}, follow=True)
    assert "précède la signature" in reponse.content.decode()


@pytest.mark.date("2026-11-30")  # the convention in force
def test_referent_pilote_modifie_seulement_ses_fiches(client, convention, comptes):
    referent = comptes["referent.commune"]
    sienne = fiche_de_test(convention, "Clas de Cambrai", pilote=referent)
    autre = fiche_de_test(convention, "Autre action")
    ind = creer_indicateur(fiche=sienne, libelle="Enfants", valeur_initiale=60, cible=90, date_cible=date(2026, 6, 30))
    client.force_login(referent)
    base = f"/plan/conventions/{convention.pk}/actions/"
    assert client.get(f"{base}{sienne.pk}/modifier/").status_code == 200
    assert client.get(f"{base}{autre.pk}/modifier/").status_code == 403
    assert client.get(f"{base}{sienne.pk}/indicateurs/nouveau/").status_code == 200
    assert client.get(f"{base}{autre.pk}/indicateurs/nouveau/").status_code == 403
    assert (
        client.post(
            f"{base}{sienne.pk}/indicateurs/{ind.pk}/valeurs/", {"date": "2025-06-30", "valeur": "75"}
        ).status_code
        == 302
    )
    assert ind.valeurs_saisies.get().valeur == 75
    autre_ind = creer_indicateur(fiche=autre, libelle="X", valeur_initiale=0, cible=1, date_cible=date(2026, 1, 1))
    assert (
        client.post(
            f"{base}{autre.pk}/indicateurs/{autre_ind.pk}/valeurs/", {"date": "2025-06-30", "valeur": "1"}
        ).status_code
        == 403
    )
    assert client.post(f"{base}{sienne.pk}/modifier/", {"supprimer": "1"}).status_code == 403  # editors only
    assert client.get(f"/plan/conventions/{convention.pk}/actions/nouvelle/").status_code == 403
    assert client.get(f"/plan/conventions/{convention.pk}/revues/nouvelle/").status_code == 403
    assert "Modifier la fiche" in client.get(f"{base}{sienne.pk}/").content.decode()
    assert "Modifier la fiche" not in client.get(f"{base}{autre.pk}/").content.decode()
    # the same account without the referent's role (a copil member piloting a fiche) does not edit it
    client.force_login(comptes["membre.copil"])
    sienne.pilote = comptes["membre.copil"]
    sienne.save()
    assert client.get(f"{base}{sienne.pk}/modifier/").status_code == 403


def test_lecture_seule_ne_modifie_rien(client, convention, comptes):
    fiche = fiche_de_test(convention, "Action")
    client.force_login(comptes["lecture"])
    base = f"/plan/conventions/{convention.pk}/"
    assert client.post(base + "actions/nouvelle/", {"titre": "X"}).status_code == 403
    assert client.post(base + f"actions/{fiche.pk}/modifier/", {"titre": "X"}).status_code == 403
    assert client.post(base + "adopter/", {"date": "2023-01-01"}).status_code == 403
    assert client.post(base + "objectifs/nouveau/", {"intitule": "X"}).status_code == 403
    client.force_login(comptes["demo"])
    fiche.refresh_from_db()
    assert fiche.titre == "Action"


@pytest.mark.date("2026-11-30")  # the convention in force
def test_objectif_ajoute_sous_un_enjeu(client, convention, comptes):
    client.force_login(comptes["demo"])
    client.get(f"/plan/conventions/{convention.pk}/")
    enjeu = convention.objectifs.get(intitule__startswith="Faciliter l'autonomie des jeunes")
    reponse = client.post(
        f"/plan/conventions/{convention.pk}/objectifs/nouveau/",
        {"rattachement": str(enjeu.pk), "intitule": "Un point information jeunesse par bassin", "champ": "partage"},
    )
    assert reponse.status_code == 302
    objectif = convention.objectifs.get(intitule="Un point information jeunesse par bassin")
    assert objectif.niveau == "strategique" and objectif.parent == enjeu
    page = client.get(f"/plan/conventions/{convention.pk}/").content.decode()
    assert "2.3.1</span>Un point information jeunesse par bassin" in page
    reponse = client.post(
        f"/plan/conventions/{convention.pk}/objectifs/nouveau/",
        {"rattachement": "", "intitule": "Politique de la ville", "champ": "autre", "signataire": ""},
    )
    assert "Nommez le signataire" in reponse.content.decode()

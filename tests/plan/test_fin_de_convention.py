"""Once the convention has ended (A: 31/12/2026), its plan is read-only but for the final bilan; its pages still
read right: the follow-up (lateness, Gantt, dashboard) is the one of its last day. The final bilan closes the plan.
The demo tells the same story whatever the day it is loaded."""

from datetime import date

import pytest

from ctg.plan import cycle
from ctg.plan.models import FicheAction, Plan, Revue, ValeurSaisie
from ctg.plan.regles import fiches_suivies, jour_de_suivi
from ctg.plan.tableau import alertes

pytestmark = pytest.mark.django_db
FIN = "La convention a pris fin le 31/12/2026"


def donnees_bilan(convention, jour: str) -> dict:
    donnees = {"type": "bilan", "date": jour, "nom_instance": "Comité de pilotage", "effets": "Couverture en hausse."}
    for f in FicheAction.objects.filter(convention=convention):
        donnees.update({f"f{f.pk}-statut": f.statut, f"f{f.pk}-decision": "maintenir"})
    return donnees


@pytest.mark.date("2031-06-15")
def test_apres_la_fin_tout_est_en_lecture_seule_sauf_le_bilan(client, demo, comptes):
    client.force_login(comptes["demo"])
    base = f"/plan/conventions/{demo.pk}/"
    fiche = FicheAction.objects.get(numero=3)
    indicateur = fiche.indicateurs.get()
    objectif = demo.objectifs.filter(source="").first()
    for url in ["", "actions/", "calendrier/", "tableau-de-bord/", "revues/", f"actions/{fiche.pk}/"]:
        page = client.get(base + url).content.decode()
        assert FIN in page and "Lecture seule" in page, url
        assert "Nouvelle fiche action" not in page and 'data-testid="transitions"' not in page, url
    for url in [
        f"actions/{fiche.pk}/modifier/",
        f"actions/{fiche.pk}/indicateurs/{indicateur.pk}/",
        f"objectifs/{objectif.pk}/",
        "revues/nouvelle/",
    ]:
        page = client.get(base + url)
        assert page.status_code == 200 and FIN in page.content.decode(), url  # opens, read-only

    titre = fiche.titre
    page = client.post(base + f"actions/{fiche.pk}/modifier/", {"titre": "Autre titre", "priorite": "1"})
    assert page.status_code == 200 and FIN in page.content.decode()
    page = client.post(base + f"actions/{fiche.pk}/statut/", {"transition": "terminer"}, follow=True)
    assert FIN in page.content.decode()
    client.post(
        base + f"actions/{fiche.pk}/indicateurs/{indicateur.pk}/valeurs/", {"date": "2026-12-31", "valeur": "1"}
    )
    client.post(base + "adopter/", {"action": "reviser", "motif": "Nouvelle période"})
    client.post(base + "objectifs/nouveau/", {"intitule": "Objectif tardif", "champ": "partage"})
    page = client.post(base + "revues/nouvelle/", {"type": "revue", "date": "2026-12-15", "nom_instance": "Copil"})
    assert FIN in page.content.decode()
    fiche.refresh_from_db()
    assert (fiche.titre, fiche.statut) == (titre, "en_cours")
    assert not ValeurSaisie.objects.filter(indicateur=indicateur, date=date(2026, 12, 31)).exists()
    assert Plan.objects.get(convention=demo).statut == "adopte"
    assert not demo.objectifs.filter(intitule="Objectif tardif").exists() and Revue.objects.count() == 1
    with pytest.raises(cycle.ChangementImpossible, match=FIN):
        cycle.changer_statut_fiche(fiche, "terminer", comptes["chef.projet"])

    # the final bilan, once, closes the plan
    assert alertes(demo) == [
        "Plan d'actions : la convention a pris fin le 31/12/2026 ; son bilan final reste à établir (article 9)."
    ]
    reponse = client.post(base + "revues/nouvelle/?type=bilan", donnees_bilan(demo, "2031-06-10"))
    assert reponse.status_code == 302
    plan = Plan.objects.get(convention=demo)
    assert (plan.statut, plan.clos_le, plan.adopte_le) == ("clos", date(2031, 6, 10), date(2023, 11, 16))
    assert alertes(demo) == []
    page = client.post(base + "revues/nouvelle/?type=bilan", donnees_bilan(demo, "2031-06-12"))
    assert "a déjà été établi (le 10/06/2031)" in page.content.decode() and Revue.objects.count() == 2
    assert "Clos par le bilan final du 10/06/2031" in client.get(base).content.decode()


@pytest.mark.date("2031-06-15")
def test_les_pages_se_lisent_au_dernier_jour_de_la_convention(client, demo, comptes):
    assert jour_de_suivi(demo) == date(2026, 12, 31)
    assert [s.fiche.numero for s in fiches_suivies(demo) if s.en_retard] == [3]  # as on 31/12/2026
    client.force_login(comptes["lecture"])
    base = f"/plan/conventions/{demo.pk}/"
    gantt = client.get(base + "calendrier/").content.decode()
    assert "fin de la convention (31/12/2026), dernier jour du suivi ; nous sommes le 15/06/2031" in gantt
    assert 'class="gantt-aujourdhui"' in gantt
    bord = client.get(base + "tableau-de-bord/").content.decode()
    assert "calculés au 31/12/2026, dernier jour de la convention" in bord
    assert 'data-testid="nombre-retard">1<' in bord


@pytest.mark.date("2027-01-15")
def test_quinze_jours_apres_la_fin(client, demo, comptes):
    client.force_login(comptes["chef.projet"])
    base = f"/plan/conventions/{demo.pk}/"
    assert client.get(base + "actions/", {"statut": "en_retard"}).context["lignes"][0].fiche.numero == 3
    assert FIN in client.get(base).content.decode()
    assert alertes(demo)[0].startswith("Plan d'actions : la convention a pris fin le 31/12/2026")


@pytest.mark.date("2024-05-01")
def test_la_demo_chargee_plus_tot_s_arrete_a_ce_jour(demo):
    statuts = dict(FicheAction.objects.values_list("numero", "statut"))
    assert statuts[1] == "en_cours" and statuts[9] == "a_venir"  # finished in 2025, started in September 2024
    assert Plan.objects.get(convention=demo).adopte_le == date(2023, 11, 16) and not Revue.objects.exists()


@pytest.mark.date("2031-06-15")
def test_la_demo_chargee_apres_la_fin_raconte_la_meme_histoire(demo):
    fiches = {f.numero: f for f in FicheAction.objects.all()}
    assert (fiches[1].statut, fiches[1].statut_le) == ("terminee", date(2025, 9, 30))
    assert (fiches[9].statut, fiches[9].statut_le) == ("en_pause", date(2025, 6, 26))
    assert {f.statut for n, f in fiches.items() if n not in (1, 9)} == {"en_cours"}
    assert Plan.objects.get(convention=demo).adopte_le == date(2023, 11, 16)
    assert Revue.objects.get().evaluations.count() == 12


@pytest.mark.date("2026-12-20")  # the convention in force
def test_le_bilan_final_clot_le_plan_avant_la_fin(client, demo, comptes):
    client.force_login(comptes["chef.projet"])
    base = f"/plan/conventions/{demo.pk}/"
    assert client.post(base + "revues/nouvelle/?type=bilan", donnees_bilan(demo, "2026-12-18")).status_code == 302
    fiche = FicheAction.objects.get(numero=2)
    page = client.post(base + f"actions/{fiche.pk}/statut/", {"transition": "terminer"}, follow=True)
    assert "Le bilan final du plan d&#x27;actions a été établi le 18/12/2026" in page.content.decode()
    assert FicheAction.objects.get(numero=2).statut == "en_cours"
    futur = client.post(base + "revues/nouvelle/", {"type": "revue", "date": "2026-12-21", "nom_instance": "Copil"})
    assert "établi le 18/12/2026" in futur.content.decode()

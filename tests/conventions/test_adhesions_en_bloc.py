"""Every commune's adhesion in one table or from a CSV file: through the rules layer, all or nothing."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ctg.conventions.adhesions import FichierAdhesionsInvalide, lire_csv_adhesions
from ctg.conventions.models import StatutAdhesion
from tests.lecture import texte_html

pytestmark = [pytest.mark.django_db, pytest.mark.date("2025-06-15")]


def url(convention) -> str:
    return f"/conventions/{convention.pk}/adhesions/saisie/"


def etat(convention, code):
    a = convention.adhesions.get(commune_id=code)
    return a.statut, a.date_deliberation


def tableau_actuel(convention) -> dict:
    donnees = {}
    for a in convention.adhesions.all():
        donnees[f"statut_{a.commune_id}"] = a.statut
        donnees[f"date_{a.commune_id}"] = a.date_deliberation.isoformat() if a.date_deliberation else ""
    return donnees


def test_le_tableau_enregistre_plusieurs_communes_d_un_coup(compte_demo, convention_cambrai):
    client = compte_demo("chef.projet")
    page = client.get(url(convention_cambrai)).content.decode()
    assert 'for="id_statut_59122"' in page and "Statut — Cambrai" in page  # each field named after its commune
    donnees = tableau_actuel(convention_cambrai)
    donnees |= {
        "statut_59122": "adheree",
        "date_59122": "2022-03-14",
        "statut_59428": "refusee",
        "date_59428": "2022-04-01",
    }
    reponse = client.post(url(convention_cambrai), donnees, follow=True)
    assert "2 adhésion(s) enregistrée(s)" in texte_html(reponse.content)
    assert etat(convention_cambrai, "59122") == (StatutAdhesion.ADHEREE, date(2022, 3, 14))
    assert etat(convention_cambrai, "59428") == (StatutAdhesion.REFUSEE, date(2022, 4, 1))
    historique = convention_cambrai.adhesions.get(commune_id="59122").historique.first()
    assert historique.history_user.username == "chef.projet"


def test_une_ligne_fausse_et_rien_n_est_enregistre(compte_demo, convention_cambrai):
    client = compte_demo("demo")
    avant = {a.commune_id: (a.statut, a.date_deliberation) for a in convention_cambrai.adhesions.all()}
    donnees = tableau_actuel(convention_cambrai)
    donnees |= {"statut_59122": "adheree", "date_59122": "2022-03-14", "statut_59428": "adheree", "date_59428": ""}
    page = texte_html(client.post(url(convention_cambrai), donnees).content)
    assert "indiquez la date de la délibération du conseil municipal" in page
    # a date in the future is refused by the rules layer, the whole table with it
    donnees |= {"date_59428": "2030-01-01"}
    page = texte_html(client.post(url(convention_cambrai), donnees).content)
    assert "Rien n'a été enregistré" in page and "La date de la délibération est dans le futur." in page
    assert {a.commune_id: (a.statut, a.date_deliberation) for a in convention_cambrai.adhesions.all()} == avant


def test_depuis_un_fichier_csv_d_excel(compte_demo, convention_cambrai):
    client = compte_demo("chef.projet")
    modele = client.get(url(convention_cambrai) + "?modele=csv")
    contenu = b"".join(modele.streaming_content) if modele.streaming else modele.content
    assert contenu.startswith(b"\xef\xbb\xbf") and b"code_insee;commune;statut;date_deliberation" in contenu
    fichier = (
        "code_insee;commune;statut;date_deliberation\r\n"
        "59122;Cambrai;Adhérée;14/03/2022\r\n"
        "59428;X;refusée;2022-04-01\r\n"
    )
    envoi = SimpleUploadedFile("adhesions.csv", fichier.encode("cp1252"), content_type="text/csv")
    reponse = client.post(url(convention_cambrai), {"fichier": envoi}, follow=True)
    assert "2 adhésion(s) enregistrée(s)" in texte_html(reponse.content)
    assert etat(convention_cambrai, "59122") == (StatutAdhesion.ADHEREE, date(2022, 3, 14))
    assert etat(convention_cambrai, "59428") == (StatutAdhesion.REFUSEE, date(2022, 4, 1))


def test_un_fichier_faux_ne_change_rien_et_dit_chaque_ligne(compte_demo, convention_cambrai):
    client = compte_demo("chef.projet")
    avant = {a.commune_id: (a.statut, a.date_deliberation) for a in convention_cambrai.adhesions.all()}
    fichier = (
        "code_insee;statut;date_deliberation\n59122;adhérée;14/03/2022\n59428;peut-être;\n75056;adhérée;01/01/2022\n"
    )
    envoi = SimpleUploadedFile("adhesions.csv", fichier.encode(), content_type="text/csv")
    page = texte_html(client.post(url(convention_cambrai), {"fichier": envoi}).content)
    assert "ligne 3 : statut « peut-être » inconnu" in page
    envoi = SimpleUploadedFile(
        "adhesions.csv", b"code_insee;statut;date_deliberation\n59122;adheree;14/03/2022\n75056;adheree;01/01/2022\n"
    )
    page = texte_html(client.post(url(convention_cambrai), {"fichier": envoi}).content)
    assert "75056 : cette commune n'est pas membre de l'intercommunalité de la convention." in page
    assert {a.commune_id: (a.statut, a.date_deliberation) for a in convention_cambrai.adhesions.all()} == avant


def test_lecture_du_csv():
    assert lire_csv_adhesions(b"code_insee,statut,date_deliberation\n59122,en attente,\n") == {
        "59122": {"statut": "en_attente", "date_deliberation": None}
    }
    with pytest.raises(FichierAdhesionsInvalide, match="colonne\\(s\\) statut"):
        lire_csv_adhesions(b"code_insee;date_deliberation\n59122;\n")
    with pytest.raises(FichierAdhesionsInvalide, match="ligne 3 : commune 59122 déjà donnée plus haut"):
        lire_csv_adhesions(b"code_insee;statut;date_deliberation\n59122;refusee;01/02/2022\n59122;adheree;31/02/2022\n")


def test_seules_la_caf_et_la_collectivite_saisissent_en_bloc(compte_demo, convention_cambrai):
    for compte in ("referent.commune", "lecture"):
        assert compte_demo(compte).get(url(convention_cambrai)).status_code == 403
    page = compte_demo("referent.commune").get(f"/conventions/{convention_cambrai.pk}/adhesions/").content.decode()
    assert "adhesions/saisie/" not in page
    page = compte_demo("demo").get(f"/conventions/{convention_cambrai.pk}/adhesions/").content.decode()
    assert "adhesions/saisie/" in page

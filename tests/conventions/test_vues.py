from datetime import date

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError

from ctg.comptes.models import Habilitation, Invitation, Profil, Role, caf_du_departement
from ctg.conventions.models import Convention, Statut
from ctg.demo.comptes import creer_comptes_demo
from ctg.territoires.models import Departement

pytestmark = pytest.mark.django_db


@pytest.fixture
def conseillere(django_user_model):
    user = django_user_model.objects.create_user("conseillere", password="mot-de-passe-long-1")
    Profil.objects.create(user=user, organisation=caf_du_departement(Departement.objects.get(code="01")))
    return user


def test_creer_une_convention(client, conseillere):
    client.force_login(conseillere)
    reponse = client.post("/conventions/nouvelle/", {"epci": "200071751", "date_debut": "2025-01-01"})
    convention = Convention.objects.get(epci_id="200071751")
    assert reponse.status_code == 302 and reponse["Location"] == f"/conventions/{convention.pk}/"
    assert convention.caf.nom == "Caf de l'Ain"
    assert convention.date_fin == date(2029, 12, 31)
    assert convention.adhesions.count() == convention.epci.communes.count() > 0
    assert Habilitation.objects.get(user=conseillere, convention=convention).role == Role.CONSEILLER_CAF
    page = client.get(f"/conventions/{convention.pk}/").content.decode()
    assert "Caf de l&#x27;Ain" in page and "Brouillon" in page


@pytest.mark.parametrize(
    ("donnees", "message"),
    [
        ({"epci": "123456789", "date_debut": "2025-01-01"}, "Aucun EPCI de SIREN"),
        ({"epci": "200071751", "date_debut": "2025-02-30"}, "Saisissez une date valide"),
        ({"epci": "200071751", "date_debut": "2025-01-01", "date_fin": "2030-06-30"}, "31/12/2029"),
        ({"epci": "200071751", "date_debut": "2025-01-01", "departement_caf": "00"}, "Aucun département"),
    ],
)
def test_creation_refusee_sans_rien_ecrire(client, conseillere, donnees, message):
    client.force_login(conseillere)
    reponse = client.post("/conventions/nouvelle/", donnees)
    assert reponse.status_code == 200
    assert message in reponse.content.decode()
    assert not Convention.objects.filter(epci_id="200071751").exists()


def test_avenant_numerote(client, convention_cambrai):
    creer_comptes_demo(convention_cambrai)
    client.login(username="chef.projet", password="ctg-demo-2026")
    url = f"/conventions/{convention_cambrai.pk}/avenants/nouveau/"
    client.post(url, {"date": "2023-05-02", "objet": "Ajout d'un domaine", "signataires": "Les présidents"})
    client.post(url, {"date": "2024-05-02", "objet": "Prolongation d'un calendrier"})
    assert list(convention_cambrai.avenants.values_list("numero", flat=True)) == [1, 2]
    assert client.post(url, {"date": "2024-02-31", "objet": "x"}).status_code == 200
    assert convention_cambrai.avenants.count() == 2


def test_adhesion_en_htmx(client, convention_cambrai):
    creer_comptes_demo(convention_cambrai)
    client.login(username="demo", password="ctg-demo-2026")
    url = f"/conventions/{convention_cambrai.pk}/adhesions/59122/"
    formulaire = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert formulaire.startswith('<tr id="adhesion-59122"') and "<form" in formulaire
    refus = client.post(url, {"a59122-statut": "adheree"}, HTTP_HX_REQUEST="true").content.decode()
    assert "Indiquez la date de la délibération" in refus
    ligne = client.post(
        url,
        {
            "a59122-statut": "adheree",
            "a59122-date_deliberation": "2022-02-07",
            "a59122-maire_civilite": "Madame",
            "a59122-maire_prenom": "Prénom",
            "a59122-maire_nom": "Exemple",
            "a59122-ancienne_commune_cej": "on",
        },
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert "Adhérée" in ligne and "07/02/2022" in ligne and "Madame Prénom EXEMPLE" in ligne
    page = client.get(f"/conventions/{convention_cambrai.pk}/adhesions/").content.decode()
    assert "1 / 55" in page


def test_ancienne_commune_cej_non_adherente_signalee(client, convention_cambrai):
    creer_comptes_demo(convention_cambrai)
    convention_cambrai.adhesions.filter(commune_id="59428").update(ancienne_commune_cej=True)
    client.login(username="lecture", password="ctg-demo-2026")
    page = client.get(f"/conventions/{convention_cambrai.pk}/").content.decode()
    assert "Bonus territoire bloqué" in page and "Neuville-Saint-Rémy" in page


def test_resiliation_montre_la_date_avant_de_confirmer(client, convention_cambrai):
    creer_comptes_demo(convention_cambrai)
    client.login(username="demo", password="ctg-demo-2026")
    url = f"/conventions/{convention_cambrai.pk}/resilier/"
    donnees = {"mode": "mise_en_demeure", "date_envoi": "2026-01-31", "initiative": "caf", "motif": "Test"}
    apercu = client.post(url, donnees, HTTP_HX_REQUEST="true").content.decode()
    assert "Date de fin effective : 28/02/2026" in apercu
    convention_cambrai.refresh_from_db()
    assert not hasattr(convention_cambrai, "resiliation")
    page = client.post(url, {**donnees, "initiative": "collectivite", "mode": "infraction"}).content.decode()
    assert "seule la Caf peut la prononcer" in page
    client.post(url, {**donnees, "confirmer": "1"})
    convention_cambrai.refresh_from_db()
    assert convention_cambrai.resiliation.date_effet == date(2026, 2, 28)
    assert convention_cambrai.statut == Statut.RESILIEE  # 28/02/2026 is already past


def test_invitation_a_usage_unique(client, convention_cambrai):
    creer_comptes_demo(convention_cambrai)
    client.login(username="demo", password="ctg-demo-2026")
    client.post(
        f"/conventions/{convention_cambrai.pk}/membres/",
        {"email": "referente@mairie.example", "role": "referent_commune", "commune": "59428"},
    )
    invitation = Invitation.objects.get(email="referente@mairie.example")
    assert len(mail.outbox) == 1 and invitation.jeton in mail.outbox[0].body
    client.logout()
    url = f"/comptes/invitations/{invitation.jeton}/"
    reponse = client.post(
        url,
        {
            "username": "referente",
            "first_name": "Nadia",
            "last_name": "Exemple",
            "password1": "un-mot-de-passe-solide",
            "password2": "un-mot-de-passe-solide",
        },
    )
    assert reponse.status_code == 302
    habilitation = Habilitation.objects.get(user__username="referente")
    assert (habilitation.role, habilitation.commune_id) == (Role.REFERENT_COMMUNE, "59428")
    client.logout()
    assert client.get(url).status_code == 410  # single use


def test_commande_terminer(convention_cambrai, capsys):
    call_command(
        "convention_terminer", convention_cambrai.ctes_identifiant, mode="denonciation", date="2024-08-31", dry_run=True
    )
    sortie = capsys.readouterr().out
    assert "Date de fin effective : 28/02/2025" in sortie and "rien n'a été enregistré" in sortie
    assert not hasattr(Convention.objects.get(pk=convention_cambrai.pk), "resiliation")
    call_command("convention_terminer", str(convention_cambrai.pk), mode="sans_avenant", date="2025-03-10", json=True)
    import json

    resultat = json.loads(capsys.readouterr().out)
    assert resultat["date_effet"] == "2025-03-10" and resultat["enregistree"] is True
    assert Convention.objects.get(pk=convention_cambrai.pk).statut == Statut.RESILIEE


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["inconnue", "--mode", "denonciation", "--date", "2024-01-01"], "Aucune convention"),
        (["{pk}", "--mode", "denonciation", "--date", "2024-02-30"], "invalide ou impossible"),
        (["{pk}", "--mode", "infraction", "--date", "2024-02-01", "--initiative", "collectivite"], "seule la Caf"),
    ],
)
def test_commande_terminer_erreurs(convention_cambrai, arguments, message):
    arguments = [a.format(pk=convention_cambrai.pk) for a in arguments]
    with pytest.raises(CommandError, match=message):
        call_command("convention_terminer", *arguments)
    assert not hasattr(Convention.objects.get(pk=convention_cambrai.pk), "resiliation")


def test_commande_echeances(convention_cambrai, capsys):
    import json

    call_command("echeances", convention_cambrai.ctes_identifiant, date="2023-03-01", json=True)
    donnees = json.loads(capsys.readouterr().out)
    codes = {e["code"]: e for e in donnees["echeances"]}
    assert codes["diagnostic_valide"]["date"] == "2023-12-31"
    assert codes["copil_2022_1"]["etat"] == "en_retard"
    call_command("echeances", str(convention_cambrai.pk), date="2023-03-01")
    assert "31/12/2023  à venir" in capsys.readouterr().out

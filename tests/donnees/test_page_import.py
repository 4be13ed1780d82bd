"""The data page: a file checked first (nothing written), imported once confirmed, recorded with who imported it,
undone (its rows removed, the values it replaced put back); who may do what."""

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ctg.comptes.models import Profil, caf_du_departement
from ctg.donnees.models import Fichier, Observation, ValeursRemplacees
from ctg.territoires.models import Departement

FICHIERS = Path(__file__).parent / "fichiers"
pytestmark = pytest.mark.django_db
ENTETE = (
    "annee;numepci;nomepci;numdep;nomdep;txcouv_psu_col_epci;txcouv_hors_psu_col_epci;txcouv_eaje_epci;"
    "txcouv_prescol_epci;txcouv_am_ind_epci;txcouv_gad_ind_epci;txcouv_ind_epci;txcouv_epci\n"
)
DETAIL = "2.9;20.1;3.5;36.8;0.6;37.4"  # the rates between the first one and the global one


def agent_caf(identifiant: str, departement: str = "59", droit: bool = True):
    user = get_user_model().objects.create_user(identifiant, password="x")
    Profil.objects.create(user=user, organisation=caf_du_departement(Departement.objects.get(code=departement)))
    if droit:
        user.user_permissions.add(Permission.objects.get(content_type__app_label="donnees", codename="add_fichier"))
    return user


def envoyer(client, nom: str, contenu: bytes):
    fichier = SimpleUploadedFile(nom, contenu, content_type="text/csv")
    return client.post(
        reverse("donnees:page"), {"action": "apercu", "fichier": fichier, "dataset": "", "millesime": ""}
    )


def importer(client, nom: str, contenu: bytes):
    apercu = envoyer(client, nom, contenu)
    assert apercu.status_code == 200
    garde = apercu.context["apercu"]["garde"]
    return client.post(
        reverse("donnees:page"), {"action": "confirmer", "garde": garde, "nom": nom, "dataset": "", "millesime": ""}
    )


def taux(code: str, periode: str = "2023"):
    return Observation.objects.get(dataset="txcouv_pe", niveau="epci", code=code, periode=periode).valeurs["txcouv"]


def test_verifier_puis_confirmer(client):
    agent = agent_caf("agent.nord")
    client.force_login(agent)
    page = client.get(reverse("donnees:page"))
    assert page.status_code == 200 and "Vérifier le fichier" in page.content.decode()

    contenu = (FICHIERS / "txcouv_pe_epci.csv").read_bytes()
    apercu = envoyer(client, "txcouv_pe_epci.csv", contenu)
    texte = apercu.content.decode()
    assert "Rien n'est encore enregistré" in texte
    assert "Observations : 3 créée(s), 0 modifiée(s), 0 inchangée(s)" in texte
    assert not Fichier.objects.exists() and not Observation.objects.exists()  # checked, nothing written
    garde = apercu.context["apercu"]["garde"]
    assert default_storage.exists(garde)

    reponse = client.post(
        reverse("donnees:page"),
        {"action": "confirmer", "garde": garde, "nom": "txcouv_pe_epci.csv", "dataset": "", "millesime": ""},
        follow=True,
    )
    assert "Import de « txcouv_pe_epci.csv » terminé : 3 observation(s) créée(s), 0 modifiée(s)" in (
        reponse.content.decode()
    )
    fichier = Fichier.objects.get()
    assert fichier.importe_par == agent and fichier.nom == "txcouv_pe_epci.csv"
    assert taux("200068500") == 61.0
    assert not default_storage.exists(garde)  # the kept copy goes once read
    historique = client.get(reverse("donnees:page")).content.decode()
    assert "txcouv_pe_epci.csv" in historique and fichier.empreinte[:12] in historique
    assert "Annuler cet import" in historique


def test_fichier_refuse_rien_n_est_ecrit(client):
    client.force_login(agent_caf("agent.nord"))
    contenu = (ENTETE + f"2023;200068500;CA DE CAMBRAI;59;NORD;douze;{DETAIL};61\n").encode()
    reponse = envoyer(client, "txcouv.csv", contenu)
    texte = reponse.content.decode()
    assert "ce fichier ne peut pas être importé, rien n'a été enregistré" in texte
    assert "douze" in texte  # the error names the value
    assert "garde" not in reponse.context["apercu"]
    assert not Fichier.objects.exists() and not Observation.objects.exists()
    # a name that is not a file kept for an import is never read nor deleted
    reponse = client.post(reverse("donnees:page"), {"action": "confirmer", "garde": "../settings.py", "nom": "x"})
    assert reponse.status_code == 302 and not Fichier.objects.exists()


def test_annuler_remet_les_valeurs_remplacees(client):
    client.force_login(agent_caf("agent.nord"))
    premier = (
        ENTETE
        + f"2023;200068500;CA DE CAMBRAI;59;NORD;17.2;{DETAIL};61\n"
        + f"2023;200030633;CA DU CAUDRESIS;59;NORD;11.4;{DETAIL};58\n"
    )
    second = (
        ENTETE
        + f"2023;200068500;CA DE CAMBRAI;59;NORD;17.2;{DETAIL};64.5\n"  # changed
        + f"2023;200030633;CA DU CAUDRESIS;59;NORD;11.4;{DETAIL};58\n"  # unchanged, taken over by the second file
        + f"2023;200070555;CC DE LA VEYLE;01;AIN;6.2;{DETAIL};89.7\n"  # new
    )
    importer(client, "premier.csv", premier.encode())
    importer(client, "second.csv", second.encode())
    ancien, nouveau = Fichier.objects.order_by("pk")
    assert taux("200068500") == 64.5 and Observation.objects.count() == 3
    assert ValeursRemplacees.objects.filter(fichier=nouveau).count() == 2

    # the first import is no longer the latest one: it cannot be undone
    refus = client.post(reverse("donnees:annuler", args=[ancien.pk]), follow=True)
    assert "n&#x27;est pas le dernier import" in refus.content.decode()
    assert Fichier.objects.filter(annule_le__isnull=False).count() == 0

    reponse = client.post(reverse("donnees:annuler", args=[nouveau.pk]), follow=True)
    assert "1 observation(s) retirée(s), 2 remise(s) dans leur état antérieur" in reponse.content.decode()
    assert taux("200068500") == 61.0 and taux("200030633") == 58.0
    assert not Observation.objects.filter(code="200070555").exists()
    assert set(Observation.objects.values_list("fichier", flat=True)) == {ancien.pk}
    nouveau.refresh_from_db()
    assert nouveau.annule_le is not None  # kept in the history
    assert "annulé le" in reponse.content.decode()

    # the same file may be imported again once its import is undone
    importer(client, "second.csv", second.encode())
    assert taux("200068500") == 64.5 and Fichier.objects.filter(annule_le__isnull=True).count() == 2


def test_qui_peut_importer_et_annuler(client):
    auteur = agent_caf("agent.nord")
    client.force_login(auteur)
    importer(client, "txcouv_pe_epci.csv", (FICHIERS / "txcouv_pe_epci.csv").read_bytes())
    fichier = Fichier.objects.get()

    sans_droit = agent_caf("sans.droit", droit=False)
    autre_caf = agent_caf("agent.ain", departement="01")
    for user, page, annulation in ((sans_droit, 403, 403), (autre_caf, 200, 403)):
        client.force_login(user)
        assert client.get(reverse("donnees:page")).status_code == page
        assert client.post(reverse("donnees:annuler", args=[fichier.pk])).status_code == annulation
        assert Observation.objects.count() == 3
    client.logout()
    assert client.get(reverse("donnees:page")).status_code == 302

    collegue = agent_caf("collegue.nord")  # same Caf as the author
    client.force_login(collegue)
    assert client.post(reverse("donnees:annuler", args=[fichier.pk])).status_code == 302
    assert not Observation.objects.exists()


def test_telecharger_depuis_data_caf_fr(client, monkeypatch):
    from ctg.donnees import telechargement

    from .test_telechargement import ClientEnregistre

    url = f"{telechargement.BASE}/txcouv_pe_epci/records"
    enregistre = ClientEnregistre({(url, 0): (200, "txcouv_pe_epci_records_200068500.json")})
    monkeypatch.setattr(telechargement, "client_par_defaut", lambda: enregistre)
    client.force_login(agent_caf("agent.nord"))
    donnees = {"action": "telecharger", "api-dataset": "txcouv_pe_epci", "api-territoire": "200068500"}
    apercu = client.post(reverse("donnees:page"), donnees)
    assert enregistre.requetes and enregistre.requetes[0][1]["where"] == 'numepci="200068500"'
    contexte = apercu.context["apercu"]
    assert contexte["nom"] == "txcouv_pe_epci_200068500.csv" and contexte["source_url"].startswith(url)
    assert not Observation.objects.exists()
    client.post(
        reverse("donnees:page"),
        {
            "action": "confirmer",
            "garde": contexte["garde"],
            "nom": contexte["nom"],
            "source_url": contexte["source_url"],
        },
    )
    fichier = Fichier.objects.get()
    assert fichier.source_url == contexte["source_url"] and Observation.objects.filter(code="200068500").exists()

    # the network refuses: said on the form, nothing kept
    def injoignable(*args, **kwargs):
        raise telechargement.ErreurTelechargement("impossible de joindre data.caf.fr (réseau injoignable).")

    monkeypatch.setattr(telechargement, "telecharger", injoignable)
    monkeypatch.setattr("ctg.donnees.views.telecharger", injoignable)
    reponse = client.post(reverse("donnees:page"), donnees)
    assert "Téléchargement impossible : impossible de joindre data.caf.fr" in reponse.content.decode()
    assert reponse.context["apercu"] is None and Fichier.objects.count() == 1


def test_un_import_en_ligne_de_commande_ne_s_annule_pas(client):
    from ctg.donnees.importation import importer_fichier

    importer_fichier(FICHIERS / "txcouv_pe_epci.csv")
    fichier = Fichier.objects.get()
    client.force_login(get_user_model().objects.create_superuser("admin", password="x"))
    assert "Annuler cet import" not in client.get(reverse("donnees:page")).content.decode()
    reponse = client.post(reverse("donnees:annuler", args=[fichier.pk]), follow=True)
    assert "a été importé en ligne de commande" in reponse.content.decode()
    assert Observation.objects.count() == 3 and Fichier.objects.get().annule_le is None

"""Sending the invitations as background work: inline on the embedded default, queued in the database and executed by
``ctg db_worker`` otherwise; its progress record; names that would break an e-mail header."""

import io
import signal
import smtplib
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import call_command
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from ctg.demo.comptes import creer_comptes_demo
from ctg.gouvernance.convocations import envoyer_convocations_en_arriere_plan
from ctg.gouvernance.models import Comite, Cote, Membre, Reunion, RoleComite, StatutReunion
from ctg.taches.models import StatutTravail, Travail

pytestmark = [pytest.mark.django_db, pytest.mark.date("2026-11-30")]  # the convention is in force

FILE_EN_BASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def comptes(convention):
    creer_comptes_demo(convention)
    return {u.username: u for u in get_user_model().objects.filter(habilitations__convention=convention)}


@pytest.fixture
def reunion(comite):
    return Reunion.objects.create(comite=comite, date=date(2026, 12, 8), lieu="Cambrai")


def _url(reunion) -> str:
    return f"/gouvernance/conventions/{reunion.comite.convention_id}/reunions/{reunion.pk}/convocations/"


def test_envoi_fait_pendant_la_requete_et_son_travail_termine(client, reunion, comptes):
    client.force_login(comptes["chef.projet"])
    reponse = client.post(_url(reunion), follow=True)
    assert "Convocations envoyées à 6 membres." in reponse.content.decode()
    travail = Travail.objects.get()
    assert (travail.statut, travail.fait, travail.total) == (StatutTravail.TERMINE, 7, 7)  # the PDF, then 6 messages
    assert travail.par == comptes["chef.projet"] and travail.convention == reunion.comite.convention
    assert travail.libelle == "terminé" and travail.message == "Convocations envoyées à 6 membres."
    assert len(mail.outbox) == 6
    (nom_ics, _, _), (nom_pdf, pdf, type_pdf) = mail.outbox[0].attachments
    assert nom_ics == "copil-2026-12-08.ics" and nom_pdf == "convocation-2026-12-08.pdf"
    assert type_pdf == "application/pdf" and pdf.startswith(b"%PDF")
    reunion.refresh_from_db()
    assert reunion.convocations_envoyees_le is not None


class BoiteQuiNoteLAvancement(EmailBackend):
    """Records, at each message, the progress the work's page would read at that moment."""

    vus: list = []

    def send_messages(self, messages):
        travail = Travail.objects.get()
        self.vus.append((travail.statut, travail.fait, travail.total, travail.libelle))
        return super().send_messages(messages)


def test_l_avancement_est_enregistre_message_apres_message(client, reunion, comptes):
    BoiteQuiNoteLAvancement.vus = []
    client.force_login(comptes["demo"])
    with override_settings(EMAIL_BACKEND=f"{__name__}.BoiteQuiNoteLAvancement"):
        client.post(_url(reunion))
    assert [v[1] for v in BoiteQuiNoteLAvancement.vus] == [1, 2, 3, 4, 5, 6]
    assert BoiteQuiNoteLAvancement.vus[2] == ("en_cours", 3, 7, "en cours 3/7")


class BoiteEnPanne(EmailBackend):
    """The mail server refuses the third message."""

    def send_messages(self, messages):
        if len(mail.outbox) == 2:
            raise smtplib.SMTPServerDisconnected("connexion perdue")
        return super().send_messages(messages)


def test_un_serveur_de_courriel_en_panne_donne_un_echec_explique(client, reunion, comptes):
    client.force_login(comptes["demo"])
    with override_settings(EMAIL_BACKEND=f"{__name__}.BoiteEnPanne"):
        reponse = client.post(_url(reunion), follow=True)
    assert reponse.status_code == 200
    travail = Travail.objects.get()
    assert travail.statut == StatutTravail.ECHEC
    assert travail.libelle.startswith("échec : le serveur de courriel a refusé l'envoi (connexion perdue) ;")
    assert "2 convocations envoyées avant l'incident" in travail.erreur
    assert len(travail.details) == 2 and all(d.startswith("Déjà envoyée à ") for d in travail.details)
    assert "Convocations : échec : le serveur de courriel a refusé" in reponse.content.decode()
    reunion.refresh_from_db()
    assert reunion.convocations_envoyees_le is None  # to be sent again


@pytest.mark.parametrize("nom", ["Commission\npetite enfance", "Commission\r\nBcc: intrus@example.net", "A\rB"])
def test_un_retour_a_la_ligne_dans_le_nom_d_un_sous_comite_n_empeche_pas_l_envoi(client, comite, comptes, nom):
    """Django refuses a header holding CR or LF (BadHeaderError): the subject is made one line."""
    sous = Comite.objects.create(convention=comite.convention, parent=comite, nom=nom)
    Membre.objects.create(
        comite=sous,
        prenom="Iris",
        nom="Test",
        organisation="Relais petite enfance",
        email="iris@example.org",
        cote=Cote.PARTENAIRE,
        role=RoleComite.CONSULTATIF,
        debut=date(2024, 1, 1),
    )
    reunion = Reunion.objects.create(comite=sous, date=date(2026, 12, 9), lieu="Cambrai")
    client.force_login(comptes["demo"])
    reponse = client.post(_url(reunion))
    assert reponse.status_code == 302
    (message,) = mail.outbox
    assert "\r" not in message.subject and "\n" not in message.subject
    entetes = message.message().as_string().split("\n\n", 1)[0]
    assert not [ligne for ligne in entetes.splitlines() if ligne.lower().startswith("bcc")]
    assert message.recipients() == ["iris@example.org"]
    assert message.subject.startswith(f"Convocation : {' '.join(nom.split())} du 09/12/2026 — ")
    assert Travail.objects.get().statut == StatutTravail.TERMINE


@pytest.fixture
def signaux_du_processus():
    """``db_worker`` installs its own SIGINT/SIGTERM handlers: the test session gets its own back."""
    avant = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    yield
    for numero, traitant in avant.items():
        signal.signal(numero, traitant)


def test_en_production_l_envoi_attend_le_processus_de_travail(
    client, reunion, comptes, signaux_du_processus, monkeypatch
):
    """CTG_TACHES=base: the page answers at once with the work's page; ``ctg db_worker`` does the sending."""
    # the worker closes stale connections between tasks; inside the test's transaction there is none to close
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)
    client.force_login(comptes["chef.projet"])
    with override_settings(TASKS=FILE_EN_BASE):
        reponse = client.post(_url(reunion))
        travail = Travail.objects.get()
        assert reponse.status_code == 302 and reponse["Location"] == travail.get_absolute_url()
        assert mail.outbox == [] and travail.statut == StatutTravail.EN_ATTENTE
        page = client.get(travail.get_absolute_url()).content.decode()
        assert "En attente" in page and f'hx-get="{travail.get_absolute_url()}"' in page and 'hx-trigger="every' in page
        # pressed twice: the same work, not a second sending
        assert client.post(_url(reunion))["Location"] == travail.get_absolute_url()
        assert Travail.objects.count() == 1 and DBTaskResult.objects.count() == 1

        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0, stdout=io.StringIO())

    travail.refresh_from_db()
    assert (travail.statut, travail.fait, travail.total) == (StatutTravail.TERMINE, 7, 7)
    assert DBTaskResult.objects.get().status == "SUCCESSFUL" and str(DBTaskResult.objects.get().id) == travail.tache_id
    assert len(mail.outbox) == 6
    page = client.get(travail.get_absolute_url(), headers={"HX-Request": "true"}).content.decode()
    assert "Terminé" in page and "Convocations envoyées à 6 membres." in page
    assert "hx-get" not in page and "<html" not in page  # the fragment htmx swaps in, no more polling
    assert f'href="{reunion.get_absolute_url()}"' in page


def test_une_reunion_annulee_avant_le_passage_du_processus_n_est_pas_convoquee(reunion, comptes):
    """The task checks the meeting again when it runs: cancelled since the button was pressed, nothing is sent."""
    travail = Travail.objects.create(convention=reunion.comite.convention, intitule="Envoi", par=comptes["demo"])
    Reunion.objects.filter(pk=reunion.pk).update(statut=StatutReunion.ANNULEE)
    envoyer_convocations_en_arriere_plan.call(travail.pk, reunion.pk)
    travail.refresh_from_db()
    assert travail.libelle == "échec : Seule une réunion planifiée peut faire l'objet de convocations."
    assert mail.outbox == []

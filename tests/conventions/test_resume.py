"""The weekly digest of deadlines: who gets it, what it says, the opt-out link and the command."""

import io
import re
from datetime import date

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from ctg.comptes.models import Profil, Role
from ctg.conventions import resume
from ctg.conventions.models import Habilitation

pytestmark = [pytest.mark.django_db, pytest.mark.date("2026-11-30")]


@pytest.fixture
def personnes(convention_cambrai, django_user_model):
    """Two people with a role on the reference convention (in force until 31/12/2026), one without any role."""
    cree = {}
    for identifiant, role in [("cheffe", Role.CHEF_PROJET), ("lectrice", Role.LECTURE), ("sans.role", None)]:
        user = django_user_model.objects.create_user(
            username=identifiant, email=f"{identifiant}@exemple.fr", first_name=identifiant.title()
        )
        if role:
            Habilitation.objects.create(user=user, convention=convention_cambrai, role=role)
        cree[identifiant] = user
    return cree


def message_a(adresse):
    return [m for m in mail.outbox if m.to == [adresse]]


def test_un_message_par_personne_avec_les_echeances_de_ses_conventions(personnes, convention_cambrai):
    bilan = resume.envoyer_resumes()

    assert sorted(bilan.envoyes) == ["cheffe@exemple.fr", "lectrice@exemple.fr"]
    assert message_a("sans.role@exemple.fr") == []
    (message,) = message_a("cheffe@exemple.fr")
    # 30/11/2026: the end of the convention (31/12/2026) is due soon; the rule it comes from is quoted.
    assert "Fin de la convention" in message.body and "31/12/2026" in message.body
    assert "Règle : article 10" in message.body
    assert f"http://127.0.0.1:8000/conventions/{convention_cambrai.pk}/" in message.body
    assert "à faire bientôt" in message.subject
    lien = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert lien.startswith("http://127.0.0.1:8000/conventions/resume-hebdomadaire/desabonnement/")
    assert lien in message.body
    assert resume.compte_du_jeton(lien.rstrip("/").rsplit("/", 1)[1]) == personnes["cheffe"]


def test_rien_a_qui_a_refuse_le_resume_ni_pour_une_convention_terminee(personnes, convention_cambrai):
    resume.desabonner(personnes["lectrice"])
    assert Profil.objects.get(user=personnes["lectrice"]).resume_hebdomadaire is False

    assert resume.envoyer_resumes().envoyes == ["cheffe@exemple.fr"]
    # In 2027 the convention has ended: nothing is late or due on it any more for anyone.
    mail.outbox.clear()
    bilan = resume.envoyer_resumes(date(2027, 3, 1))
    assert bilan.envoyes == [] and bilan.sans_echeance == 1 and mail.outbox == []


def test_le_lien_de_desabonnement_demande_confirmation_puis_arrete_le_resume(client, personnes):
    adresse = reverse("conventions:resume_desabonnement", args=[resume.jeton_desabonnement(personnes["cheffe"])])

    page = client.get(adresse)
    assert page.status_code == 200 and "Ne plus recevoir ce résumé" in page.content.decode()
    assert not Profil.objects.filter(user=personnes["cheffe"], resume_hebdomadaire=False).exists()

    page = client.post(adresse)
    assert page.status_code == 200 and "ne recevra plus" in page.content.decode()
    assert Profil.objects.get(user=personnes["cheffe"]).resume_hebdomadaire is False


def test_un_lien_altere_est_refuse_et_ne_change_rien(client, personnes):
    signature = resume.jeton_desabonnement(personnes["cheffe"])
    for mauvaise in (signature[:-2] + "xx", resume.jeton_desabonnement(personnes["cheffe"]).replace(":", ".", 1)):
        page = client.post(reverse("conventions:resume_desabonnement", args=[mauvaise]))
        assert page.status_code == 404 and "pas valide" in page.content.decode()
    assert not Profil.objects.filter(resume_hebdomadaire=False).exists()


def test_la_commande_a_l_essai_n_envoie_rien(personnes):
    sortie = io.StringIO()
    call_command("resume_hebdomadaire", "--essai", stdout=sortie)
    assert mail.outbox == []
    assert "cheffe@exemple.fr : CTG — vos échéances de la semaine" in sortie.getvalue()
    assert "aucun courriel envoyé" in sortie.getvalue()

    call_command("resume_hebdomadaire", stdout=sortie)
    assert len(mail.outbox) == 2 and "envoyé à 2 personnes" in sortie.getvalue()


def test_le_profil_montre_le_choix_et_le_change(client, personnes):
    client.force_login(personnes["cheffe"])
    page = client.get("/comptes/profil/").content.decode()
    (case,) = re.findall(r'<input type="checkbox" name="resume_hebdomadaire"[^>]*>', page)
    assert " checked" in case  # on by default
    identite = {"first_name": "Cheffe", "last_name": "Exemple", "email": "cheffe@exemple.fr"}
    assert client.post("/comptes/profil/", identite).status_code == 302  # box unticked
    assert Profil.objects.get(user=personnes["cheffe"]).resume_hebdomadaire is False
    assert resume.envoyer_resumes().envoyes == ["lectrice@exemple.fr"]
    client.post("/comptes/profil/", {**identite, "resume_hebdomadaire": "on"})
    assert Profil.objects.get(user=personnes["cheffe"]).resume_hebdomadaire is True

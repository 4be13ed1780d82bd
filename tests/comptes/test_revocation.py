"""Pending invitations: listed on the members' page, revocable by who may invite, the link sent to its addressee
only (never shown on the page of whoever invites)."""

import pytest
from django.core import mail

from ctg.conventions.invitations import InvitationInvalide, accepter, revoquer
from ctg.conventions.models import Invitation
from tests.lecture import texte_html

pytestmark = [pytest.mark.django_db, pytest.mark.date("2025-06-15")]


def inviter(client, convention) -> tuple[Invitation, str]:
    reponse = client.post(
        f"/conventions/{convention.pk}/membres/",
        {"email": "elu@mairie.example", "role": "lecture", "commune": ""},
        follow=True,
    )
    return Invitation.objects.get(email="elu@mairie.example"), reponse.content.decode()


def test_le_lien_part_par_courriel_et_n_est_pas_montre_a_qui_invite(compte_demo, convention_cambrai):
    client = compte_demo("chef.projet")
    invitation, page = inviter(client, convention_cambrai)
    assert len(mail.outbox) == 1 and invitation.jeton in mail.outbox[0].body
    assert mail.outbox[0].to == ["elu@mairie.example"]
    assert invitation.jeton not in page
    texte = texte_html(page)
    assert "Invitation envoyée par courriel à elu@mairie.example" in texte
    assert "elu@mairie.example — Lecture seule — envoyée le 15/06/2025" in texte  # listed while pending


def test_revoquer_une_invitation_en_attente(compte_demo, convention_cambrai):
    client = compte_demo("chef.projet")
    invitation, _ = inviter(client, convention_cambrai)
    url = f"/conventions/{convention_cambrai.pk}/invitations/{invitation.pk}/revoquer/"
    page = texte_html(client.post(url, follow=True).content)
    assert "Invitation de elu@mairie.example révoquée : son lien ne sert plus." in page
    assert "elu@mairie.example — " not in page  # no longer listed
    invitation.refresh_from_db()
    assert invitation.raison_invalide == "a expiré" and invitation.utilisee_le is None  # kept, not deleted
    derniere = invitation.historique.first()
    assert (derniere.history_user.username, derniere.history_change_reason) == ("chef.projet", "révocation")
    with pytest.raises(InvitationInvalide):
        accepter(invitation.jeton, creer_compte=lambda: pytest.fail("aucun compte ne doit être créé"))
    # twice: said, nothing changes
    page = texte_html(client.post(url, follow=True).content)
    assert "Ce lien d'invitation a expiré. Rien n'a changé." in page


def test_seuls_ceux_qui_invitent_revoquent(compte_demo, convention_cambrai, django_user_model):
    invitation, _ = inviter(compte_demo("chef.projet"), convention_cambrai)
    url = f"/conventions/{convention_cambrai.pk}/invitations/{invitation.pk}/revoquer/"
    client = compte_demo("lecture")
    assert client.post(url).status_code == 403
    assert "Révoquer" not in client.get(f"/conventions/{convention_cambrai.pk}/membres/").content.decode()
    etranger = django_user_model.objects.create_user("etranger", password="x")
    client.force_login(etranger)
    assert client.post(url).status_code == 404
    invitation.refresh_from_db()
    assert invitation.valide


def test_une_invitation_utilisee_ne_se_revoque_pas(convention_cambrai, django_user_model):
    chef = django_user_model.objects.create_user("chef", password="x")
    invitation = Invitation.objects.create(
        convention=convention_cambrai, email="a@example.org", role="lecture", invitee_par=chef
    )
    accepter(invitation.jeton, user=django_user_model.objects.create_user("a", password="x"))
    with pytest.raises(InvitationInvalide, match="a déjà servi"):
        revoquer(invitation, chef)

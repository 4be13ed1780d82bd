"""The members of a convention through the API: read (the invitations only for whoever may invite), invite (an
e-mail carries the personal link, never the API's answer), revoke an invitation, remove a member, with the members
page's form (``InvitationForm``), rules (``ctg.conventions.invitations``) and right (``perms.peut_inviter``)."""

import pytest
from django.core import mail

from ctg.conventions.models import Invitation

from .conftest import entete


@pytest.fixture
def reference(convention_cambrai):
    from ctg.demo.comptes import creer_comptes_demo

    creer_comptes_demo(convention_cambrai)
    return convention_cambrai


def _envoyer(client, methode, url, corps, secret):
    return getattr(client, methode)(f"/api/v1{url}", corps, content_type="application/json", **entete(secret))


def test_inviter_puis_revoquer_une_invitation(client, reference, jeton_de):
    url = f"/conventions/{reference.pk}/invitations"
    corps = {"email": "nouvelle@example.org", "role": "referent_commune", "commune": "59122"}
    assert _envoyer(client, "post", url, corps, jeton_de("lecture", True)).status_code == 403
    assert _envoyer(client, "post", url, corps, jeton_de("demo")).status_code == 403  # a read-only token
    secret = jeton_de("chef.projet", ecriture=True)
    reponse = _envoyer(client, "post", url, {**corps, "commune": ""}, secret)
    assert reponse.json()["erreurs"] == [
        {"champ": "commune", "message": "Choisissez la commune dont la personne sera référente."}
    ]
    reponse = _envoyer(client, "post", url, {**corps, "email": "pas-une-adresse"}, secret)
    assert (reponse.status_code, reponse.json()["erreurs"][0]["champ"]) == (422, "email")
    assert not Invitation.objects.exists() and mail.outbox == []

    reponse = _envoyer(client, "post", url, corps, secret)
    assert reponse.status_code == 201, reponse.content
    invitation = Invitation.objects.get()
    assert invitation.jeton not in reponse.content.decode()  # the link goes to its addressee only
    (courriel,) = mail.outbox
    assert courriel.to == ["nouvelle@example.org"] and f"/conventions/invitations/{invitation.jeton}/" in courriel.body
    assert reponse.json()["commune"] == {"code": "59122", "nom": "Cambrai"}

    lus = client.get(f"/api/v1/conventions/{reference.pk}/membres", **entete(secret)).json()
    assert [i["email"] for i in lus["invitations"]] == ["nouvelle@example.org"]
    vus_en_lecture = client.get(f"/api/v1/conventions/{reference.pk}/membres", **entete(jeton_de("lecture"))).json()
    assert vus_en_lecture["invitations"] == [] and len(vus_en_lecture["membres"]) == len(lus["membres"])

    revocation = f"{url}/{invitation.pk}/revocation"
    assert _envoyer(client, "post", revocation, {}, jeton_de("membre.copil", True)).status_code == 403
    reponse = _envoyer(client, "post", revocation, {}, secret)
    assert reponse.status_code == 200, reponse.content
    invitation.refresh_from_db()
    assert not invitation.valide
    assert client.get(f"/api/v1/conventions/{reference.pk}/membres", **entete(secret)).json()["invitations"] == []
    reponse = _envoyer(client, "post", revocation, {}, secret)
    assert (reponse.status_code, reponse.json()["message"]) == (409, "Ce lien d'invitation a expiré. Rien n'a changé.")


def test_retirer_un_membre_mais_jamais_soi_meme(client, reference, jeton_de):
    secret = jeton_de("demo", ecriture=True)
    lecture = jeton_de("lecture")
    membres = client.get(f"/api/v1/conventions/{reference.pk}/membres", **entete(lecture)).json()["membres"]
    ids = {m["role"]: m["id"] for m in membres}
    url = f"/conventions/{reference.pk}/membres/"
    assert _envoyer(client, "delete", url + str(ids["lecture"]), {}, jeton_de("membre.copil", True)).status_code == 403
    reponse = _envoyer(client, "delete", url + str(ids["conseiller_caf"]), {}, secret)
    assert (reponse.status_code, reponse.json()["message"]) == (409, "Vous ne pouvez pas retirer votre propre accès.")

    reponse = _envoyer(client, "delete", url + str(ids["lecture"]), {}, secret)
    assert reponse.status_code == 200, reponse.content
    assert "lecture" not in [m["role"] for m in reponse.json()["membres"]]
    assert client.get(f"/api/v1/conventions/{reference.pk}", **entete(lecture)).status_code == 404
    assert reference.habilitations.model.historique.latest().history_user.username == "demo"
    assert _envoyer(client, "delete", url + str(ids["lecture"]), {}, secret).status_code == 404

"""An invitation link serves once: accepted under a row lock, inside the transaction that creates the account."""

import threading
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError, close_old_connections, connection, transaction
from django.test.utils import CaptureQueriesContext

from ctg import horloge
from ctg.comptes.models import Role
from ctg.conventions.invitations import InvitationInvalide, accepter, verrouiller
from ctg.conventions.models import Habilitation, Invitation

pytestmark = pytest.mark.django_db

FORMULAIRE = {
    "username": "nouvelle",
    "first_name": "Nadia",
    "last_name": "Exemple",
    "password1": "un-mot-de-passe-solide",
    "password2": "un-mot-de-passe-solide",
}


@pytest.fixture
def invitante(django_user_model):
    return django_user_model.objects.create_user("invitante", password="x")


@pytest.fixture
def invitation(convention_cambrai, invitante):
    return Invitation.objects.create(
        convention=convention_cambrai, email="invitee@example.org", role=Role.CONSEILLER_CAF, invitee_par=invitante
    )


def test_un_second_usage_est_refuse(invitation, django_user_model):
    premiere = django_user_model.objects.create_user("premiere", password="x")
    seconde = django_user_model.objects.create_user("seconde", password="x")
    accepter(invitation.jeton, user=premiere)
    with pytest.raises(InvitationInvalide) as refus:
        accepter(invitation.jeton, user=seconde)
    assert refus.value.raison == "a déjà servi"
    assert str(refus.value) == "Ce lien d'invitation a déjà servi."
    membres = Habilitation.objects.filter(convention=invitation.convention, user__in=[premiere, seconde])
    assert [(h.user, h.role) for h in membres] == [(premiere, Role.CONSEILLER_CAF)]
    invitation.refresh_from_db()
    assert invitation.utilisee_par == premiere and invitation.utilisee_le is not None


def test_une_invitation_expiree_est_refusee(invitation, django_user_model):
    invitation.expire_le = horloge.maintenant() - timedelta(minutes=1)
    invitation.save()
    with pytest.raises(InvitationInvalide, match="a expiré"):
        accepter(invitation.jeton, user=django_user_model.objects.create_user("tardive", password="x"))
    assert not Habilitation.objects.filter(user__username="tardive").exists()


def test_verrouillage_dans_la_transaction(invitation):
    """The validity is read again on the locked row (FOR UPDATE where the database has row locks), not trusted
    from what the page showed."""
    with transaction.atomic(), CaptureQueriesContext(connection) as requetes:
        verrouillee = verrouiller(invitation.jeton)
    assert verrouillee.pk == invitation.pk
    sql = requetes.captured_queries[0]["sql"]
    assert ("FOR UPDATE" in sql) == connection.features.has_select_for_update
    Invitation.objects.filter(pk=invitation.pk).update(utilisee_le=horloge.maintenant())  # used meanwhile
    with transaction.atomic(), pytest.raises(InvitationInvalide, match="a déjà servi"):
        verrouiller(invitation.jeton)


def test_lien_utilise_entre_l_affichage_et_l_envoi_du_formulaire(client, invitation, django_user_model):
    """The page showed a valid link; someone else used it before the form was sent: refused, and the account
    the form would have created is not created."""
    url = f"/conventions/invitations/{invitation.jeton}/"
    assert client.get(url).status_code == 200
    accepter(invitation.jeton, user=django_user_model.objects.create_user("rapide", password="x"))
    reponse = client.post(url, FORMULAIRE)
    assert reponse.status_code == 410 and "a déjà servi" in reponse.content.decode()
    assert not django_user_model.objects.filter(username="nouvelle").exists()


def test_accepter_par_la_page_cree_le_compte_et_le_role_et_laisse_une_trace(client, invitation):
    reponse = client.post(f"/conventions/invitations/{invitation.jeton}/", FORMULAIRE)
    assert reponse.status_code == 302 and reponse["Location"] == invitation.convention.get_absolute_url()
    nouvelle = get_user_model().objects.get(username="nouvelle")
    assert Habilitation.objects.get(user=nouvelle, convention=invitation.convention).role == Role.CONSEILLER_CAF
    utilisation = invitation.historique.filter(history_type="~").latest()
    assert utilisation.utilisee_par_id == nouvelle.pk and utilisation.history_user_id == nouvelle.pk
    assert not hasattr(utilisation, "jeton")  # the secret link is not copied into the history
    assert Habilitation.historique.filter(user=nouvelle, history_type="+").exists()
    client.logout()
    second = client.post(f"/conventions/invitations/{invitation.jeton}/", {**FORMULAIRE, "username": "autre"})
    assert second.status_code == 410 and not get_user_model().objects.filter(username="autre").exists()


def test_compte_connecte_qui_rejoint(client, invitation, django_user_model):
    membre = django_user_model.objects.create_user("connectee", password="x")
    client.force_login(membre)
    url = f"/conventions/invitations/{invitation.jeton}/"
    assert client.post(url).status_code == 302
    assert Habilitation.objects.get(user=membre, convention=invitation.convention).role == Role.CONSEILLER_CAF
    autre = django_user_model.objects.create_user("autre", password="x")
    client.force_login(autre)
    assert client.post(url).status_code == 410
    assert not Habilitation.objects.filter(user=autre).exists()


@pytest.mark.django_db(transaction=True)
def test_dix_usages_simultanes_une_seule_reussite(convention_cambrai, invitante):
    """Ten people open the same link at the same instant: one joins, nine are told it has already served.
    Real concurrency needs a database with row locks and concurrent connections (PostgreSQL)."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrence réelle : PostgreSQL seulement (SQLite sérialise les écritures)")
    invitation = Invitation.objects.create(
        convention=convention_cambrai, email="invitee@example.org", role=Role.CONSEILLER_CAF, invitee_par=invitante
    )
    User = get_user_model()
    personnes = [User.objects.create_user(f"personne{i}", password="x") for i in range(10)]
    depart = threading.Barrier(len(personnes))
    resultats = []

    def essayer(user):
        try:
            depart.wait(timeout=30)
            accepter(invitation.jeton, user=user)
            resultats.append("rejoint")
        except InvitationInvalide as exc:
            resultats.append(exc.raison)
        finally:
            close_old_connections()
            connection.close()

    fils = [threading.Thread(target=essayer, args=(user,)) for user in personnes]
    for fil in fils:
        fil.start()
    for fil in fils:
        fil.join(timeout=60)
    assert sorted(resultats) == ["a déjà servi"] * 9 + ["rejoint"]
    assert Habilitation.objects.filter(convention=convention_cambrai, user__in=personnes).count() == 1


def test_la_base_refuse_un_role_inconnu_et_un_usage_sans_date(convention_cambrai, invitante):
    with pytest.raises(IntegrityError), transaction.atomic():
        Habilitation.objects.create(user=invitante, convention=convention_cambrai, role="administrateur")
    with pytest.raises(IntegrityError), transaction.atomic():
        Invitation.objects.create(
            convention=convention_cambrai,
            email="x@example.org",
            role=Role.LECTURE,
            invitee_par=invitante,
            utilisee_par=invitante,
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Invitation.objects.create(
            convention=convention_cambrai, email="x@example.org", role="chef", invitee_par=invitante
        )


def test_un_lien_envoye_avant_mene_a_la_meme_invitation(client, invitation):
    """Links e-mailed before the invitations moved to the conventions' pages (valid 14 days) still work."""
    reponse = client.get(f"/comptes/invitations/{invitation.jeton}/")
    assert reponse.status_code == 301 and reponse["Location"] == f"/conventions/invitations/{invitation.jeton}/"
    assert client.get(reponse["Location"]).status_code == 200

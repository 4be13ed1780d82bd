"""The page of one's API tokens and the rules behind it."""

import hashlib

import pytest
from django.core.exceptions import ValidationError

from ctg.api import jetons
from ctg.api.models import JetonApi
from tests.test_accessibilite import champs_sans_nom


def test_le_jeton_est_garde_haché_et_montre_une_fois(client, utilisateur):
    client.force_login(utilisateur)
    reponse = client.post("/api/jetons/", {"nom": "Tableau de bord", "ecriture": "on"})
    assert reponse.status_code == 200 and reponse["Cache-Control"] == "no-store"
    jeton = JetonApi.objects.get(user=utilisateur)
    secret = reponse.context["nouveau"]
    assert secret.startswith("ctg_") and len(secret) > 40 and secret in reponse.content.decode()
    assert jeton.empreinte == hashlib.sha256(secret.encode()).hexdigest() and secret not in jeton.prefixe
    assert jeton.ecriture and jeton.nom == "Tableau de bord"
    page = client.get("/api/jetons/").content.decode()
    assert "Tableau de bord" in page and secret not in page and jeton.prefixe in page
    assert champs_sans_nom(page) == []


def test_revocation_par_son_seul_titulaire(client, utilisateur, django_user_model):
    jeton, secret = jetons.creer_jeton(utilisateur, "Essai")
    autre = django_user_model.objects.create_user("autre", password="x")
    client.force_login(autre)
    assert client.post(f"/api/jetons/{jeton.pk}/revoquer/").status_code == 404
    assert jetons.authentifier(secret) is not None
    client.force_login(utilisateur)
    assert client.post(f"/api/jetons/{jeton.pk}/revoquer/").status_code == 302
    assert jetons.authentifier(secret) is None
    assert "révoqué le" in client.get("/api/jetons/").content.decode()


def test_nom_obligatoire_rien_n_est_cree(client, utilisateur):
    client.force_login(utilisateur)
    reponse = client.post("/api/jetons/", {"nom": "   "})
    assert reponse.status_code == 400 and not JetonApi.objects.exists()
    with pytest.raises(ValidationError):
        jetons.creer_jeton(utilisateur, "")


def test_dernier_usage_note(utilisateur, horloge):
    jeton, secret = jetons.creer_jeton(utilisateur, "Essai")
    assert jeton.dernier_usage is None
    jetons.authentifier(secret)
    jeton.refresh_from_db()
    assert jeton.dernier_usage is not None

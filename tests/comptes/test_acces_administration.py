"""The administration: reached by staff only, through the product's login; national data, privileges, second
factors and login lockouts changed by national administrators only."""

import pytest
from axes.models import AccessAttempt
from django.contrib.admin.sites import site
from django.contrib.auth.models import Group, Permission
from django.test import RequestFactory
from django_otp.plugins.otp_totp.models import TOTPDevice

from ctg.comptes.models import Organisation, Profil, caf_du_departement
from ctg.financement.models import Bareme, RichesseCommune
from ctg.territoires.models import Commune, Departement, Epci, ImportTerritoires, Region

pytestmark = pytest.mark.django_db


@pytest.fixture
def nord():
    return caf_du_departement(Departement.objects.get(code="59"))


def compte(django_user_model, identifiant, organisation=None, national=False, **champs):
    user = django_user_model.objects.create_user(identifiant, password="x", **champs)
    user.user_permissions.set(Permission.objects.all())  # every Django permission: the rules below still apply
    Profil.objects.create(user=user, organisation=organisation, administrateur_national=national)
    return user


@pytest.fixture
def agent_nord(django_user_model, nord):
    return compte(django_user_model, "agent.nord", nord, is_staff=True)


@pytest.fixture
def national(django_user_model):
    return compte(django_user_model, "national", national=True, is_staff=True)


def requete(user):
    requete = RequestFactory().get("/admin/")
    requete.user = user
    return requete


# Who reaches the administration.


def test_un_visiteur_est_envoye_a_la_connexion_du_produit(client):
    reponse = client.get("/admin/", follow=True)
    assert reponse.redirect_chain[-1][0] == "/comptes/connexion/?next=%2Fadmin%2F"
    assert "Mot de passe oublié" in reponse.content.decode()  # the product's page, not the administration's form


def test_la_page_de_connexion_de_l_administration_n_est_pas_offerte(client):
    reponse = client.post("/admin/login/", {"username": "x", "password": "y"})
    assert reponse.status_code == 302 and reponse.url.startswith("/comptes/connexion/")


def test_une_redirection_vers_un_autre_site_est_ignoree(client):
    reponse = client.get("/admin/login/?next=https://exemple.org/")
    assert reponse.url == "/comptes/connexion/?next=%2Fadmin%2F"


def test_un_compte_sans_statut_d_equipe_est_refuse(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("lecteur", password="x"))
    reponse = client.get("/admin/", follow=True)
    assert reponse.status_code == 403
    assert "réservée au personnel" in reponse.content.decode()


def test_le_personnel_entre(client, agent_nord):
    client.force_login(agent_nord)
    assert client.get("/admin/").status_code == 200


def test_le_personnel_deja_connecte_va_ou_il_allait(client, agent_nord):
    client.force_login(agent_nord)
    assert client.get("/admin/login/?next=/admin/comptes/").url == "/admin/comptes/"


# National data.


@pytest.mark.parametrize("modele", [Bareme, RichesseCommune])
def test_donnees_nationales_modifiees_par_l_administration_nationale_seulement(modele, agent_nord, national):
    administration = site._registry[modele]
    for droit in ("has_add_permission", "has_change_permission", "has_delete_permission"):
        assert not getattr(administration, droit)(requete(agent_nord)), droit
        assert getattr(administration, droit)(requete(national)), droit
    assert administration.has_view_permission(requete(agent_nord))


@pytest.mark.parametrize("modele", [Region, Departement, Epci, Commune, ImportTerritoires])
def test_territoires_en_lecture_seule(modele, national, django_user_model):
    administration = site._registry[modele]
    superadmin = django_user_model.objects.create_superuser("racine", password="x")
    for user in (national, superadmin):
        assert not administration.has_add_permission(requete(user))
        assert not administration.has_change_permission(requete(user))
        assert not administration.has_delete_permission(requete(user))
        assert administration.has_view_permission(requete(user))


@pytest.mark.parametrize("modele", [TOTPDevice, AccessAttempt, Group])
def test_second_facteur_blocages_et_groupes_reserves_a_l_administration_nationale(modele, agent_nord, national):
    administration = site._registry[modele]
    assert not administration.has_module_permission(requete(agent_nord))
    assert not administration.has_view_permission(requete(agent_nord))
    assert not administration.has_change_permission(requete(agent_nord))
    assert administration.has_view_permission(requete(national))
    assert administration.has_delete_permission(requete(national))


def test_la_cle_du_second_facteur_n_est_pas_montree(client, national):
    device = TOTPDevice.objects.create(user=national, name="app", confirmed=True)
    client.force_login(national)
    page = client.get(f"/admin/otp_totp/totpdevice/{device.pk}/change/").content.decode()
    assert device.key not in page


# Accounts and their privileges.


def test_le_personnel_ne_se_donne_pas_de_privilege(client, agent_nord):
    administration = site._registry[type(agent_nord)]
    lecture_seule = administration.get_readonly_fields(requete(agent_nord), agent_nord)
    assert {"is_staff", "is_superuser", "groups", "user_permissions"} <= set(lecture_seule)
    client.force_login(agent_nord)
    page = client.get(f"/admin/auth/user/{agent_nord.pk}/change/").content.decode()
    assert 'name="is_superuser"' not in page


def test_l_administration_nationale_donne_les_privileges(agent_nord, national):
    administration = site._registry[type(agent_nord)]
    assert "is_superuser" not in administration.get_readonly_fields(requete(national), agent_nord)


def test_le_personnel_modifie_les_comptes_ordinaires_de_son_organisation(django_user_model, agent_nord, nord, national):
    administration = site._registry[type(agent_nord)]
    collegue = compte(django_user_model, "collegue", nord)
    autre_caf = compte(django_user_model, "autre", caf_du_departement(Departement.objects.get(code="62")))
    equipe = compte(django_user_model, "equipe", nord, is_staff=True)
    assert administration.has_change_permission(requete(agent_nord), collegue)
    assert not administration.has_change_permission(requete(agent_nord), autre_caf)
    assert not administration.has_change_permission(requete(agent_nord), equipe)
    assert not administration.has_change_permission(requete(agent_nord), national)
    assert administration.has_change_permission(requete(national), autre_caf)


def test_le_personnel_ne_change_pas_l_organisation_d_un_profil(django_user_model, agent_nord, nord, national):
    administration = site._registry[Profil]
    assert "organisation" in administration.get_readonly_fields(requete(agent_nord))
    assert "organisation" not in administration.get_readonly_fields(requete(national))
    autre = compte(django_user_model, "autre", Organisation.objects.create(type="autre", nom="Association"))
    assert not administration.has_change_permission(requete(agent_nord), autre.profil)

"""The administration of accounts: an organisation's own data by its own staff; national administrators named by
national administrators; the history of roles and invitations shown, never reverted nor edited."""

import pytest
from django.contrib.admin.sites import site
from django.test import RequestFactory

from ctg.comptes.models import Organisation, Profil, caf_du_departement
from ctg.conventions.models import Habilitation, Invitation
from ctg.territoires.models import Departement

pytestmark = pytest.mark.django_db


@pytest.fixture
def agent_caf_nord(django_user_model):
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user("agent.nord", password="x", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(codename__in=["change_organisation", "change_profil", "view_profil"])
    )
    Profil.objects.create(user=user, organisation=caf_du_departement(Departement.objects.get(code="59")))
    return user


def requete(user):
    requete = RequestFactory().get("/admin/")
    requete.user = user
    return requete


def test_une_caf_ne_modifie_que_ses_propres_donnees(agent_caf_nord):
    admin_organisation = site._registry[Organisation]
    nord = caf_du_departement(Departement.objects.get(code="59"))
    pas_de_calais = caf_du_departement(Departement.objects.get(code="62"))
    assert admin_organisation.has_change_permission(requete(agent_caf_nord), nord)
    assert not admin_organisation.has_change_permission(requete(agent_caf_nord), pas_de_calais)
    assert not admin_organisation.has_delete_permission(requete(agent_caf_nord), nord)


def test_seul_un_administrateur_national_en_nomme_un_autre(agent_caf_nord, django_user_model):
    admin_profil = site._registry[Profil]
    assert "administrateur_national" in admin_profil.get_readonly_fields(requete(agent_caf_nord))
    superadmin = django_user_model.objects.create_superuser("racine", password="x")
    assert "administrateur_national" not in admin_profil.get_readonly_fields(requete(superadmin))


@pytest.mark.parametrize("modele", [Habilitation, Invitation])
def test_historique_en_lecture_seule_dans_l_administration(modele, django_user_model):
    administration = site._registry[modele]
    superadmin = django_user_model.objects.create_superuser("racine", password="x")
    assert hasattr(administration, "history_view")  # the history is shown (SimpleHistoryAdmin)
    assert administration.revert_disabled(requete(superadmin))
    assert not administration.has_change_history_permission(requete(superadmin))

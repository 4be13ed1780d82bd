"""Who may reach and change what in the administration (staff only: ``comptes.views.connexion_administration``).

National data (barèmes, communes' wealth, accounts' privileges, second factors, login lockouts) is changed by a
national administrator only (``est_administrateur_national``); a Caf's staff changes its own organisation and the
ordinary accounts of its own people."""

# The libraries' own administrations are registered now, so that they can be restricted below.
import axes.admin  # noqa: F401
import django.contrib.auth.admin  # noqa: F401
import django_otp.plugins.otp_totp.admin  # noqa: F401
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import Organisation, Profil, est_administrateur_national, organisation_de


class DonneesNationalesAdmin:
    """National reference data: added, changed and deleted by a national administrator only; other staff read it
    (with Django's view permission)."""

    def has_add_permission(self, request, *args):
        return est_administrateur_national(request.user)

    def has_change_permission(self, request, obj=None):
        return est_administrateur_national(request.user)

    def has_delete_permission(self, request, obj=None):
        return est_administrateur_national(request.user)


class ReserveeAuxAdministrateursNationaux(DonneesNationalesAdmin):
    """Not even shown to other staff: second factors' secrets, login attempts (names and addresses)."""

    def has_view_permission(self, request, obj=None):
        return est_administrateur_national(request.user)

    def has_module_permission(self, request):
        return est_administrateur_national(request.user)


def reserver_aux_administrateurs_nationaux(*modeles) -> None:
    """Put the administrations a library registered behind ``ReserveeAuxAdministrateursNationaux``."""
    for modele in modeles:
        if admin.site.is_registered(modele):
            classe = type(admin.site._registry[modele])
            admin.site.unregister(modele)
            admin.site.register(
                modele, type(classe.__name__, (ReserveeAuxAdministrateursNationaux, classe), {"__module__": __name__})
            )


reserver_aux_administrateurs_nationaux(TOTPDevice, AccessAttempt, AccessLog, AccessFailureLog, Group)


def compte_privilegie(user) -> bool:
    return user.is_superuser or user.is_staff or est_administrateur_national(user)


def peut_modifier_compte(acteur, compte) -> bool:
    """A national administrator changes any account; other staff change themselves and the ordinary accounts
    (neither staff nor administrator) of their own organisation."""
    if est_administrateur_national(acteur):
        return True
    if compte.pk == acteur.pk:
        return True
    organisation = organisation_de(acteur)
    return organisation is not None and organisation_de(compte) == organisation and not compte_privilegie(compte)


User = get_user_model()
UserAdminDeDjango = type(admin.site._registry[User])
admin.site.unregister(User)


@admin.register(User)
class CompteAdmin(UserAdminDeDjango):
    """Django's accounts: privileges (staff, superuser, groups, permissions) given by a national administrator
    only, so that no staff account raises its own rights."""

    PRIVILEGES = ["is_staff", "is_superuser", "groups", "user_permissions"]

    def get_readonly_fields(self, request, obj=None):
        champs = list(super().get_readonly_fields(request, obj))
        if not est_administrateur_national(request.user):
            champs += self.PRIVILEGES
        return champs

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or peut_modifier_compte(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (
            obj is None or (obj.pk != request.user.pk and peut_modifier_compte(request.user, obj))
        )


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    """An organisation's own data (a Caf's tribunal…) is edited by its own staff, or a national administrator."""

    list_display = ["nom", "type", "departement", "tribunal_administratif"]
    list_filter = ["type"]
    search_fields = ["nom"]
    raw_id_fields = ["departement", "epci", "commune"]

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        if obj is None or est_administrateur_national(request.user):
            return True
        organisation = organisation_de(request.user)
        return organisation is not None and organisation.pk == obj.pk

    def has_delete_permission(self, request, obj=None):
        return est_administrateur_national(request.user) and super().has_delete_permission(request, obj)


@admin.register(Profil)
class ProfilAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "fonction", "administrateur_national"]
    list_filter = ["administrateur_national"]
    raw_id_fields = ["user", "organisation"]

    def get_readonly_fields(self, request, obj=None):
        # Only a national administrator names another one (national barèmes, any Caf's convention), or moves a
        # person to another organisation (which would give them that organisation's rights here).
        if est_administrateur_national(request.user):
            return []
        return ["administrateur_national", "organisation", "user"]

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (
            obj is None or peut_modifier_compte(request.user, obj.user)
        )

    def has_delete_permission(self, request, obj=None):
        return est_administrateur_national(request.user) and super().has_delete_permission(request, obj)

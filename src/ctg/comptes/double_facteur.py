"""The second factor (TOTP codes from an authenticator application, django-otp).

Optional for everyone, mandatory for the Caf's staff when ``CTG_DOUBLE_FACTEUR_CAF`` is on. A user who has a
confirmed application (or must have one) is not signed in by the password alone: the login page keeps them
"pending" in the session (``mettre_en_attente``), and the code page signs them in once the code is right
(``conclure``); a pending login lasts a few minutes. Wrong codes are throttled by the library (a delay that doubles
with each failure).
"""

from base64 import b32encode
from datetime import datetime, timedelta

import django_otp
import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth import login as ouvrir_session
from django.utils.safestring import mark_safe
from django_otp.plugins.otp_totp.models import TOTPDevice

from ctg import horloge

from .models import Organisation, organisation_de

NOM_APPAREIL = "Application d'authentification"
SESSION_ATTENTE = "ctg_connexion_en_attente"
DUREE_ATTENTE = timedelta(minutes=5)


def personnel_caf(user) -> bool:
    organisation = organisation_de(user)
    return organisation is not None and organisation.type == Organisation.Type.CAF


def obligatoire(user) -> bool:
    """The second factor is mandatory for this account (a Caf's staff, when ``CTG_DOUBLE_FACTEUR_CAF`` is on)."""
    return bool(getattr(settings, "CTG_DOUBLE_FACTEUR_CAF", False)) and personnel_caf(user)


def appareil(user) -> TOTPDevice | None:
    """The user's confirmed authenticator application, if they have one."""
    if not user.is_authenticated:
        return None
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).order_by("pk").first()


def exige(user) -> bool:
    """Signing in this account takes a code: it has an application, or must have one."""
    return appareil(user) is not None or obligatoire(user)


def appareil_a_confirmer(user) -> TOTPDevice:
    """The application being enrolled: the same secret until it is confirmed (a reload shows the same QR code)."""
    existant = TOTPDevice.objects.devices_for_user(user, confirmed=False).order_by("pk").first()
    return existant or TOTPDevice.objects.create(user=user, name=NOM_APPAREIL, confirmed=False)


def qr_code_svg(device: TOTPDevice) -> str:
    """The enrolment link as an inline SVG image (no script, no request to another site)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathFillImage, box_size=8)
    svg = image.to_string(encoding="unicode")
    svg = svg.replace("<svg ", '<svg role="img" aria-label="QR code à scanner avec l\'application" ', 1)
    # The image holds only path data drawn from the device's link: no text of anyone's reaches the markup.
    return mark_safe(svg)  # nosec B308 B703


def secret_en_clair(device: TOTPDevice) -> str:
    """The secret to type in by hand when the QR code cannot be scanned, in groups of four characters."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def refus_temporaire(device: TOTPDevice) -> str | None:
    """Why no code can be checked right now (too many wrong codes), or None."""
    permis, _ = device.verify_is_allowed()
    if permis:
        return None
    return "Trop de codes erronés à la suite : patientez quelques secondes, puis saisissez le code affiché à ce moment."


def verifier(device: TOTPDevice, code: str) -> bool:
    """The code is the one the application shows now (a code already used is refused), under a row lock."""
    return django_otp.verify_token(device.user, device.persistent_id, code) is not None


def confirmer(device: TOTPDevice, code: str) -> bool:
    """Enrol the application once it gives a right code; any former application of the user is removed."""
    if not verifier(device, code):
        return False
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    device.refresh_from_db()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return True


def desactiver(user) -> None:
    TOTPDevice.objects.filter(user=user).delete()


def mettre_en_attente(request, user, suivant: str) -> None:
    """The password was right: remember who is signing in until the code is given (the session stays anonymous)."""
    request.session.cycle_key()
    request.session[SESSION_ATTENTE] = {
        "user": user.pk,
        "backend": user.backend,
        "suivant": suivant,
        "depuis": horloge.maintenant().isoformat(),
    }


def en_attente(request):
    """``(user, backend, suivant)`` of the login waiting for its code, or None (none, or started too long ago)."""
    attente = request.session.get(SESSION_ATTENTE)
    if not attente:
        return None
    if datetime.fromisoformat(attente["depuis"]) + DUREE_ATTENTE < horloge.maintenant():
        del request.session[SESSION_ATTENTE]
        return None
    user = get_user_model().objects.filter(pk=attente["user"], is_active=True).first()
    if user is None:
        return None
    return user, attente["backend"], attente["suivant"]


def conclure(request, user, backend: str, device: TOTPDevice) -> None:
    """Sign in the pending user, verified by ``device`` (the session records it: ``request.user.is_verified()``)."""
    request.session.pop(SESSION_ATTENTE, None)
    user.otp_device = device  # django-otp persists it in the session when the user is signed in
    ouvrir_session(request, user, backend=backend)

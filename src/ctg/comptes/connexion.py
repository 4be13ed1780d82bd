"""Throttling of failed logins (django-axes): the client's address behind the reverse proxy, the authentication
backend, and a log line in French for each lockout.

Failures are counted per account and per address (``AXES_LOCKOUT_PARAMETERS``): after ``AXES_FAILURE_LIMIT``
failures the account, or the address, is refused for ``AXES_COOLOFF_TIME``, even with the right password.
"""

import ipaddress
import logging

from axes.backends import AxesStandaloneBackend
from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.dispatch import receiver
from django.shortcuts import render

journal = logging.getLogger("ctg.comptes.connexion")


def _adresse_valide(texte: str) -> str | None:
    try:
        return str(ipaddress.ip_address(texte.strip()))
    except ValueError:
        return None


def adresse_du_client(request) -> str | None:
    """The address a login attempt comes from (``AXES_CLIENT_IP_CALLABLE``).

    Without a proxy, the connection's own address (``REMOTE_ADDR``). Behind ``n`` proxies of our own
    (``CTG_NOMBRE_PROXIES``: by default one when the server trusts a proxy for HTTPS, ``SECURE_PROXY_SSL_HEADER``),
    the address the first of them saw: the ``n``-th entry of ``X-Forwarded-For`` counted from the right (each
    proxy appends the address it received the request from). The entries on its left are written by the client
    and never trusted: an attacker who sends ``X-Forwarded-For: 1.2.3.4`` does not get a fresh address for each
    attempt. A header shorter than the chain of proxies, or an entry that is not an address, falls back to
    ``REMOTE_ADDR``."""
    distante = request.META.get("REMOTE_ADDR")
    proxies = settings.CTG_NOMBRE_PROXIES
    if proxies <= 0:
        return distante
    chaine = [partie for partie in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if partie.strip()]
    if len(chaine) < proxies:
        return distante
    return _adresse_valide(chaine[-proxies]) or distante


class AxesBackend(AxesStandaloneBackend, ModelBackend):
    """Django's accounts, refused while the account or the address is locked out.

    Every login page passes the request. A call without one (``Client.login`` in tests, a script) has no address
    to count: it is not throttled, instead of failing as the library's backend does."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def minutes_de_blocage() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


def reponse_blocage(request, reponse_initiale=None, identifiants=None):
    """The page of a locked-out login (``AXES_LOCKOUT_CALLABLE``): what happened, for how long, what to do."""
    contexte = {"echecs": settings.AXES_FAILURE_LIMIT, "minutes": minutes_de_blocage()}
    return render(request, "comptes/connexion_bloquee.html", contexte, status=settings.AXES_HTTP_RESPONSE_CODE)


@receiver(user_locked_out)
def journaliser_blocage(sender, request, username, ip_address, **kwargs):
    journal.warning(
        "Connexion bloquée après %s échecs : compte « %s », adresse %s, pendant %s minutes.",
        settings.AXES_FAILURE_LIMIT,
        username,
        ip_address,
        minutes_de_blocage(),
        extra={"evenement": "connexion_bloquee", "compte": username, "adresse": ip_address},
    )

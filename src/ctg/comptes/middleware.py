from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse

from . import double_facteur


class DoubleFacteurMiddleware:
    """A session opened without the code its account now needs (an application enrolled elsewhere, the second
    factor made mandatory for the Caf's staff since) is closed: the person signs in again, code included.

    Placed after django-otp's ``OTPMiddleware`` (``request.user.is_verified()``) and the messages."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and not user.is_verified() and double_facteur.exige(user):
            logout(request)
            messages.info(request, "Votre compte demande un code de vérification : connectez-vous à nouveau.")
            return redirect(f"{reverse('login')}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

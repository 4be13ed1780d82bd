"""``ctg jeton_api IDENTIFIANT --nom NOM [--ecriture]``: a new personal API token for an account; the token is
printed alone on the last line (shown once: only its SHA-256 is kept)."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from ctg.api.jetons import creer_jeton


class Command(BaseCommand):
    help = "Crée un jeton d'API personnel pour un compte et l'affiche (une seule fois), seul sur la dernière ligne."

    def add_arguments(self, parser):
        parser.add_argument("identifiant", help="identifiant du compte titulaire")
        parser.add_argument("--nom", required=True, help="à quoi sert le jeton")
        parser.add_argument("--ecriture", action="store_true", help="lecture et écriture (par défaut : lecture seule)")

    def handle(self, identifiant, nom, ecriture, **options):
        User = get_user_model()
        user = User.objects.filter(**{User.USERNAME_FIELD: identifiant}).first()
        if user is None:
            raise CommandError(f"Aucun compte d'identifiant « {identifiant} ».")
        try:
            jeton, secret = creer_jeton(user, nom, ecriture)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stderr.write(
            f"Jeton « {jeton.nom} » ({jeton.portee_libelle}) créé pour {identifiant} : copiez-le, il ne sera plus "
            "affiché."
        )
        self.stdout.write(secret)

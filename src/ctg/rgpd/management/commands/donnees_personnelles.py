"""``ctg donnees_personnelles IDENTIFIANT --output FICHIER.json``: a person's data, as they would export it."""

import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from ctg.rgpd.personnes import donnees_de


class Command(BaseCommand):
    help = (
        "Exporte les données personnelles qu'enregistre CTG sur une personne (droit d'accès, RGPD art. 15) : "
        "son compte et chaque ligne du registre qui la concerne, en JSON."
    )

    def add_arguments(self, parser):
        parser.add_argument("identifiant", help="identifiant de connexion de la personne")
        parser.add_argument("--output", required=True, help="fichier JSON à écrire")

    def handle(self, *args, identifiant, output, **options):
        user = get_user_model().objects.filter(username=identifiant).first()
        if user is None:
            raise CommandError(f"Aucun compte d'identifiant « {identifiant} ».")
        donnees = donnees_de(user)
        Path(output).write_text(json.dumps(donnees, ensure_ascii=False, indent=2), encoding="utf-8")
        lignes = sum(len(s["lignes"]) for s in donnees["sections"])
        self.stdout.write(
            f"{lignes} ligne{'s' if lignes > 1 else ''} en {len(donnees['sections'])} rubrique"
            f"{'s' if len(donnees['sections']) > 1 else ''} écrites dans {output}."
        )

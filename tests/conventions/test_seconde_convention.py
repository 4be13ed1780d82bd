"""A second convention, for another Caf and EPCI, set up from a JSON file: its document speaks of it alone."""

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from ctg.conventions.models import Convention

pytestmark = pytest.mark.django_db
EXEMPLE = Path(settings.ROOT_DIR) / "data" / "exemples" / "convention-caf-ain-cc-exemple.json"


def test_convention_importee_puis_rendue_sans_rien_de_cambrai(tmp_path, capsys):
    description = json.loads(EXEMPLE.read_text(encoding="utf-8"))
    call_command("convention_import", str(EXEMPLE))
    convention = Convention.objects.get(ctes_identifiant=description["ctes"]["identifiant"])
    sortie = tmp_path / "convention.txt"
    call_command("convention_render", convention.ctes_identifiant, format="txt", output=str(sortie))
    texte = sortie.read_text(encoding="utf-8")

    assert "Caisse d'allocations familiales de l'Ain" in texte
    assert f"ID: {description['ctes']['identifiant']}" in texte
    assert "1/01/2025" in texte or "01/01/2025" in texte
    assert "31 décembre 2029" in texte or "31/12/2029" in texte
    for commune in convention.epci.communes.all():
        assert commune.nom in texte
    for signataire in description["signataires"]:
        assert signataire["nom"].upper() in texte
    for absent in ("Cambrai", "CAMBRAI", "Caf du Nord", "LIBRIZZI", "GRARD", "VILLAIN", "Fanton", "200068500", "Lille"):
        assert absent not in texte, absent
    assert "XX" not in texte

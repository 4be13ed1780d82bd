"""``ctg bonus CONVENTION --annee YYYY [--json]``."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from .conftest import plat

pytestmark = pytest.mark.django_db

CTES = "059-200068500-20211221-D2021_12_10_01-CC"


def test_bonus_en_texte(demo, capsys):
    call_command("bonus", CTES, annee=2024)
    sortie = plat(capsys.readouterr().out)
    assert "bonus territoire 2024 (barème en vigueur au 01/01/2024)" in sortie
    assert "Attention : données FICTIVES de démonstration." in sortie
    assert (
        "Multi-accueil Les Lucioles (démonstration) (EAJE, Cambrai)\n  À vérifier — bonus dû : 117 415,38 €" in sortie
    )
    assert "· Places nouvelles : 8 places au-delà des 32 places de référence du Cej × 3 600,00 €" in sortie
    assert "Multi-accueil Les Mésanges (démonstration) (EAJE, Iwuy)\n  Non éligible — bonus dû : 0,00 €" in sortie
    assert "Total du bonus territoire dû en 2024 : 196 800,00 €" in sortie
    assert "Cambrai : Inférieur à l'engagement — engagement 273 000,00 €, constaté 262 500,00 €" in sortie
    assert "Iwuy : Respecté" in sortie


def test_bonus_en_json(demo, capsys):
    call_command("bonus", str(demo.pk), annee=2025, json=True)
    donnees = json.loads(capsys.readouterr().out)
    assert donnees["annee"] == 2025 and donnees["total_bonus_territoire"] == "208800.00"
    assert donnees["total_ctre"] == "11200.00"
    lucioles = next(s for s in donnees["structures"] if s["nom"].startswith("Multi-accueil Les Lucioles"))
    assert lucioles["bonus_territoire"] == "125415.38" and lucioles["statut"] == "eligible"
    assert [c["code"] for c in lucioles["composantes"]] == ["existantes", "nouvelles", "trajectoire"]
    assert [c["montant"] for c in lucioles["composantes"]] == ["88615.38", "28800.00", "8000.00"]
    assert all(c["explication"] for c in lucioles["composantes"])
    assert {e["commune_nom"]: e["statut"] for e in donnees["engagements"]} == {
        "Cambrai": "respecte",
        "Iwuy": "respecte",
        "Neuville-Saint-Rémy": "respecte",
    }


def test_convention_inconnue(db):
    with pytest.raises(CommandError, match="Aucune convention"):
        call_command("bonus", "999999", annee=2024)

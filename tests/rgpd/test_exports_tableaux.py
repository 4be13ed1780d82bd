"""A convention's data-exchange requests and the log of its confidential downloads export to CSV and XLSX with the
columns of their pages, with the pages' access (the log: its editors only)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model

from ctg.documents.models import TelechargementConfidentiel
from ctg.rgpd.perms_echanges import exemples_acces

from ..exports import entetes_de_la_page, lire_export

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "page, identifiant, compte, connue",
    [
        ("echanges/", "demandes", "lecture", "Parcours des familles"),
        ("telechargements-confidentiels/", "telechargements", "chef.projet", "=Plan (brouillon)"),
    ],
)
def test_exports_avec_les_colonnes_de_la_page(compte_demo, convention_cambrai, page, identifiant, compte, connue):
    exemples_acces(convention_cambrai)  # a personal-data request
    client = compte_demo(compte)
    TelechargementConfidentiel.objects.create(
        convention=convention_cambrai,
        user=get_user_model().objects.get(username="lecture"),
        document="=Plan (brouillon)",
        format="pdf",
        telecharge_le=datetime(2024, 3, 1, 10, 30, tzinfo=ZoneInfo("Europe/Paris")),
    )
    base = f"/rgpd/conventions/{convention_cambrai.pk}/"
    export = base + page.rstrip("/")
    html = client.get(base + page).content.decode()
    entetes = entetes_de_la_page(html, identifiant)
    assert f'href="{export}.xlsx"' in html and len(entetes) >= 4
    for format in ("csv", "xlsx"):
        lues, lignes, _ = lire_export(client.get(f"{export}.{format}").content, format)
        assert lues == entetes and len(lignes) == 1
        assert connue in lignes[0] or f"'{connue}" in lignes[0]  # a leading "=" is written as text
    if identifiant == "telechargements":
        assert lignes[0][0] == "01/03/2024 10:30"
        assert compte_demo("lecture").get(f"{export}.csv").status_code == 403
    client.force_login(get_user_model().objects.create_user("exterieur"))
    assert client.get(f"{export}.csv").status_code == 404

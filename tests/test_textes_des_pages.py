"""Pages in French, not in codes: a need's indicators by their catalogue label, "Adhésion d'Iwuy" (elision), the
adhesions in French alphabetical order."""

import pytest
from django.contrib.auth import get_user_model

from ctg.diagnostic.partage import diagnostic_de
from ctg.formats import cle_alphabetique
from tests.lecture import texte_html

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(db):
    return get_user_model().objects.create_superuser("admin.textes", password="x")


def lire(client, url) -> str:
    reponse = client.get(url)
    assert reponse.status_code == 200, url
    return texte_html(reponse.content)


def test_les_indicateurs_d_un_besoin_par_leur_libelle(client, convention_cambrai, admin):
    diagnostic_de(convention_cambrai).besoins.create(
        domaine="petite_enfance",
        intitule="Places d'accueil pour les familles modestes",
        indicateurs=["part_allocataires_bas_revenus", "indicateur_disparu"],
    )
    client.force_login(admin)
    page = lire(client, f"/diagnostic/conventions/{convention_cambrai.pk}/")
    assert "Part des allocataires à bas revenus" in page
    assert "part_allocataires_bas_revenus" not in page and "indicateur_disparu" not in page


def test_l_adhesion_d_iwuy_et_l_ordre_des_communes(client, convention_cambrai, admin):
    client.force_login(admin)
    page = lire(client, f"/conventions/{convention_cambrai.pk}/adhesions/59322/")
    assert "Adhésion d'Iwuy" in page and "Adhésion de la commune d'Iwuy" in page and "de Iwuy" not in page
    reponse = client.get(f"/conventions/{convention_cambrai.pk}/adhesions/")
    noms = [ligne["adhesion"].commune.nom for ligne in reponse.context["lignes"]]
    assert len(noms) == 55 and noms == sorted(noms, key=cle_alphabetique)

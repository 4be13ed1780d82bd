"""From every territory page, and from the home page, a way to the territory's diagnostic; to its conventions only
for the users who may open them (article 14: the others do not learn that they exist)."""

import json
import re
import uuid

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from ctg.comptes.models import Role
from ctg.conventions.models import Habilitation

pytestmark = pytest.mark.django_db

CA_CAMBRAI = "200068500"
CA_LENS_LIEVIN = "246200364"
CA_PAYS_BASQUE = "200067106"


@pytest.fixture
def cambrai(convention_cambrai):
    """The convention of the CA de Cambrai and a member of it (Caf adviser)."""
    membre = get_user_model().objects.create_user("membre.cambrai", password="x")
    Habilitation.objects.create(user=membre, convention=convention_cambrai, role=Role.CONSEILLER_CAF)
    return convention_cambrai, membre


def _liens_conventions(contenu: str) -> set[str]:
    return set(re.findall(r'href="(/conventions/\d+/)"', contenu))


def test_page_epci_mene_au_diagnostic_et_aux_seules_conventions_permises(client, cambrai, utilisateur):
    convention, membre = cambrai
    url = reverse("territoires:epci", args=[CA_CAMBRAI])
    client.force_login(membre)
    contenu = client.get(url).content.decode()
    assert f'href="/diagnostic/epci/{CA_CAMBRAI}/"' in contenu
    assert _liens_conventions(contenu) == {convention.get_absolute_url()}
    assert f'href="/diagnostic/conventions/{convention.pk}/"' in contenu  # its shared diagnostic

    client.force_login(utilisateur)  # signed in, no role on the convention
    contenu = client.get(url).content.decode()
    assert f'href="/diagnostic/epci/{CA_CAMBRAI}/"' in contenu
    assert not _liens_conventions(contenu) and "/diagnostic/conventions/" not in contenu
    assert "Vous ne participez à aucune convention" in contenu


def test_page_commune_mene_au_diagnostic_de_son_epci_et_a_ses_chiffres(client, cambrai, utilisateur):
    convention, membre = cambrai
    client.force_login(membre)
    contenu = client.get(reverse("territoires:commune", args=["59122"])).content.decode()
    assert f'href="/diagnostic/epci/{CA_CAMBRAI}/"' in contenu and 'href="/diagnostic/communes/59122/"' in contenu
    assert _liens_conventions(contenu) == {convention.get_absolute_url()}

    client.force_login(utilisateur)
    contenu = client.get(reverse("territoires:commune", args=["59122"])).content.decode()
    assert f'href="/diagnostic/epci/{CA_CAMBRAI}/"' in contenu and not _liens_conventions(contenu)


def test_page_departement_mene_au_diagnostic_de_chaque_epci(client, cambrai, utilisateur):
    convention, membre = cambrai
    client.force_login(membre)
    contenu = client.get(reverse("territoires:departement", args=["59"])).content.decode()
    tableau = contenu[contenu.index('id="epci-du-departement"') :]
    assert len(re.findall(r'href="/diagnostic/epci/\d{9}/"', tableau)) == 17  # every EPCI of the Nord
    ligne_cambrai = next(ligne for ligne in tableau.split("<tr>") if f"/diagnostic/epci/{CA_CAMBRAI}/" in ligne)
    assert _liens_conventions(ligne_cambrai) == {convention.get_absolute_url()}

    client.force_login(utilisateur)
    contenu = client.get(reverse("territoires:departement", args=["59"])).content.decode()
    assert f'href="/diagnostic/epci/{CA_CAMBRAI}/"' in contenu
    assert not _liens_conventions(contenu) and "celles auxquelles vous participez" not in contenu


def test_territoire_sans_convention_mene_a_son_diagnostic(client_connecte):
    contenu = client_connecte.get(reverse("territoires:epci", args=[CA_LENS_LIEVIN])).content.decode()
    assert f'href="/diagnostic/epci/{CA_LENS_LIEVIN}/"' in contenu


def test_accueil_recherche_le_diagnostic_d_un_territoire(client_connecte):
    accueil = client_connecte.get("/").content.decode()
    assert "Diagnostic d'un territoire" in accueil and f'action="{reverse("territoires:diagnostic")}"' in accueil

    # One intercommunalité found: straight to its diagnostic.
    reponse = client_connecte.get(reverse("territoires:diagnostic"), {"q": CA_PAYS_BASQUE})
    assert reponse.status_code == 302 and reponse["Location"] == f"/diagnostic/epci/{CA_PAYS_BASQUE}/"
    reponse = client_connecte.get(reverse("territoires:diagnostic"), {"q": "lens lievin"})
    assert reponse["Location"] == f"/diagnostic/epci/{CA_LENS_LIEVIN}/"

    # Several territories: each one leads to a diagnostic, a commune to its intercommunalité's.
    contenu = client_connecte.get(reverse("territoires:diagnostic"), {"q": "lens"}).content.decode()
    assert f'href="/diagnostic/epci/{CA_LENS_LIEVIN}/">Diagnostic de CA de Lens - Liévin' in contenu
    assert 'href="/diagnostic/communes/62498/"' in contenu  # Lens, the commune
    fragment = client_connecte.get(
        reverse("territoires:diagnostic"), {"q": CA_PAYS_BASQUE}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "<html" not in fragment and f'href="/diagnostic/epci/{CA_PAYS_BASQUE}/"' in fragment
    assert (
        "Aucun territoire ne correspond"
        in client_connecte.get(reverse("territoires:diagnostic"), {"q": "zzzqqq"}).content.decode()
    )


def test_sans_aucun_chiffre_caf_le_bandeau_le_dit_a_un_conseiller(client_connecte):
    contenu = client_connecte.get(f"/diagnostic/epci/{CA_LENS_LIEVIN}/").content.decode()
    debut = contenu.index('id="donnees-caf-absentes"')
    bandeau = contenu[debut : contenu.index("</div>", debut)]
    assert "Les chiffres de la Caf" in bandeau and "data.caf.fr" in bandeau
    assert "https://data.caf.fr/explore/dataset/txcouv_pe_com/" in bandeau  # which file, and where it comes from
    assert "Note pour l'administrateur" in bandeau
    assert bandeau.index("ctg import_donnees") > bandeau.index("Note pour l'administrateur")  # the command: a note
    assert "bandeau-demo" not in contenu


def test_un_chiffre_caf_suffit_a_retirer_le_bandeau(client_connecte):
    from ctg.donnees.models import Fichier, Observation

    fichier = Fichier.objects.create(dataset="s_ben_com_f", nom="s_ben_com_f.csv", empreinte=uuid.uuid4().hex)
    Observation.objects.create(
        fichier=fichier,
        dataset="s_ben_com_f",
        niveau="commune",
        code="59122",
        periode="2023",
        annee=2023,
        valeurs={"indfoy_ndur": 15000},
    )
    contenu = client_connecte.get(f"/diagnostic/epci/{CA_CAMBRAI}/", {"domaine": "acces_droits"}).content.decode()
    assert re.search(r"15.000", contenu)  # the Caf figure, shown
    assert 'id="donnees-caf-absentes"' not in contenu


def _carte(client, contenu: str) -> dict:
    url = re.search(r'data-geojson="([^"]+)"', contenu).group(1).replace("&amp;", "&")
    return json.loads(client.get(url).content)


def test_carte_par_defaut_d_un_epci_sans_chiffre_caf_dit_quelque_chose(client_connecte):
    contenu = client_connecte.get(f"/diagnostic/epci/{CA_LENS_LIEVIN}/").content.decode()
    assert "indicateur=nombre_communes" not in re.search(r'data-geojson="([^"]+)"', contenu).group(1)  # 1 everywhere
    carte = _carte(client_connecte, contenu)
    assert len(carte["legende"]) >= 2
    assert len({c["libelle"] for c in carte["legende"]}) == len(carte["legende"])
    assert 'id="carte-vide"' not in contenu


def test_legende_des_cartes_sans_classe_degeneree(client_connecte):
    # Equal values: one class.
    carte = _carte(
        client_connecte,
        client_connecte.get(
            f"/diagnostic/epci/{CA_LENS_LIEVIN}/", {"domaine": "petite_enfance", "indicateur": "nombre_communes"}
        ).content.decode(),
    )
    assert [c["libelle"] for c in carte["legende"]] == ["valeur unique : 1"]
    assert {f["properties"]["classe"] for f in carte["features"]} == {0}
    # No value: no class, the communes are white and the page says why.
    page = client_connecte.get(
        f"/diagnostic/epci/{CA_LENS_LIEVIN}/", {"domaine": "petite_enfance", "indicateur": "taux_couverture_global"}
    ).content.decode()
    carte = _carte(client_connecte, page)
    assert carte["legende"] == [] and {f["properties"]["classe"] for f in carte["features"]} == {None}
    assert 'id="carte-vide"' in page
    # Population of the communes of an EPCI: five classes, each distinct, in order.
    carte = json.loads(client_connecte.get(reverse("territoires:epci_carte", args=[CA_CAMBRAI])).content)
    assert len(carte["legende"]) == 5
    bas = [c["bas"] for c in carte["legende"]]
    assert bas == sorted(set(bas))

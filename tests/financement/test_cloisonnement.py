"""A convention's financing is its own: someone who set up a second convention on the demo convention's EPCI
(CA de Cambrai, 200068500) sees none of its structures, Cej, funding or verifications and changes none of them,
through pages, exports or imports. Reads pass at any date; the second convention is a draft, editable at any date."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from ctg.comptes.models import Organisation, Profil, Role, caf_du_departement
from ctg.conventions.models import Adhesion, Convention, Habilitation
from ctg.financement.importation import ENTETES
from ctg.financement.models import FinancementReel, Structure
from ctg.territoires.models import Departement

from .conftest import plat

pytestmark = pytest.mark.django_db

NOMS_DE_A = ["Lucioles", "Petits Pas", "Cej 2018-2021 de Cambrai", "Association Petite Enfance du Cambrésis"]


@pytest.fixture
def intrus(demo, django_user_model):
    """A Caf adviser of another Caf, with no role on A, who set up convention B (2027–2031) on A's EPCI."""
    caf = caf_du_departement(Departement.objects.get(code="64"))
    user = django_user_model.objects.create_user("intrus", password="x")
    Profil.objects.create(user=user, organisation=caf)
    autre = Convention.objects.create(
        caf=caf,
        epci=demo.epci,
        titre="Convention de l'intrus",
        date_debut=date(2027, 1, 1),
        date_fin=date(2031, 12, 31),
    )
    for commune in demo.epci.communes.all():
        Adhesion.objects.create(convention=autre, commune=commune)
    Habilitation.objects.create(user=user, convention=autre, role=Role.CONSEILLER_CAF)
    return user, autre


@pytest.fixture
def objets_de_a(demo):
    lucioles = demo.structures.get(nom__startswith="Multi-accueil Les Lucioles")
    return {
        "structure": lucioles,
        "cej": demo.cej.get(commune_id="59122"),
        "financement": FinancementReel.objects.get(structure=lucioles, annee=2023, document="compte"),
        "verification": demo.verifications.get(annee=2023),
    }


def sans_rien_de_a(contenu: str):
    for nom in NOMS_DE_A:
        assert nom not in contenu, nom


def test_l_autre_convention_ne_voit_rien_de_a(client, demo, intrus, objets_de_a):
    user, autre = intrus
    client.force_login(user)
    base = f"/financement/conventions/{autre.pk}"
    for url in [f"{base}/", f"{base}/?annee=2024", f"{base}/pluriannuel/", f"{base}/communes/59122/"]:
        reponse = client.get(url)
        assert reponse.status_code == 200, url
        sans_rien_de_a(plat(reponse.content.decode()))
    for tableau in ("bonus", "engagements", "pluriannuel", "modele"):
        for format in ("csv", "xlsx"):
            reponse = client.get(f"{base}/export.{format}?tableau={tableau}&annee=2024")
            assert reponse.status_code == 200
            if format == "csv":
                sans_rien_de_a(reponse.content.decode("utf-8-sig"))
            else:
                feuille = load_workbook(io.BytesIO(reponse.content)).worksheets[0]
                sans_rien_de_a(" ".join(str(c) for ligne in feuille.iter_rows(values_only=True) for c in ligne))
    # A's records through B's URLs: not found
    pk_a = objets_de_a["structure"].pk
    for url in [
        f"{base}/structures/{pk_a}/",
        f"{base}/structures/{pk_a}/modifier/",
        f"{base}/cej/{objets_de_a['cej'].pk}/",
        f"{base}/communes/59122/financements/?ligne={objets_de_a['financement'].pk}",
        f"{base}/verifications/{objets_de_a['verification'].pk}/document/",
    ]:
        assert client.get(url).status_code == 404, url
    # and A itself is not disclosed
    assert client.get(f"/financement/conventions/{demo.pk}/").status_code == 404


def test_l_autre_convention_ne_modifie_rien_de_a(client, demo, intrus, objets_de_a):
    user, autre = intrus
    client.force_login(user)
    base = f"/financement/conventions/{autre.pk}"
    lucioles, financement = objets_de_a["structure"], objets_de_a["financement"]
    structure = {
        "nom": "Renommée par l'intrus",
        "type": "eaje",
        "nouveau_gestionnaire": "Intrus SAS",
        "commune": "59122",
        "version_lue": lucioles.version,
    }
    assert client.post(f"{base}/structures/{lucioles.pk}/modifier/", structure).status_code == 404
    # the funding of 2023 (152 000 €) cannot be overwritten, neither as an edit nor as a "new" line
    montant = {"montant_commune": "1", "montant_autres": "0", "version_lue": financement.version}
    reponse = client.post(f"{base}/communes/59122/financements/", {"ligne": financement.pk, **montant})
    assert reponse.status_code == 404
    nouvelle = {"structure": lucioles.pk, "annee": "2023", "document": "compte", **montant}
    reponse = client.post(f"{base}/communes/59122/financements/", nouvelle)
    assert reponse.status_code == 200 and "Sélectionnez un choix valide" in reponse.content.decode()
    cej = {
        "commune": "59122",
        "intitule": "Cej de l'intrus",
        "date_debut": "2018-01-01",
        "date_fin": "2021-12-31",
        "annee_reference": "2021",
        "lignes-TOTAL_FORMS": "1",
        "lignes-INITIAL_FORMS": "0",
        "lignes-0-structure": lucioles.pk,
        "lignes-0-montant_n1": "1",
        "lignes-0-unites_reference": "1",
        "lignes-0-engagement_commune": "1",
    }
    assert client.post(f"{base}/cej/{objets_de_a['cej'].pk}/", cej).status_code == 404
    assert client.post(f"{base}/cej/nouveau/", cej).status_code == 200  # the line's structure is not a choice
    assert not autre.cej.exists()
    # an import into B does not recognise A's structures
    fichier = ";".join(ENTETES) + "\r\n2023;59122;Multi-accueil Les Lucioles (démonstration);;compte;1;0;\r\n"
    reponse = client.post(
        f"{base}/import/", {"fichier": SimpleUploadedFile("f.csv", fichier.encode(), content_type="text/csv")}
    )
    assert "structure inconnue sur le territoire de la convention" in reponse.content.decode()
    lucioles.refresh_from_db()
    financement.refresh_from_db()
    assert lucioles.nom == "Multi-accueil Les Lucioles (démonstration)" and lucioles.version == 1
    assert financement.montant_commune == Decimal("152000") and financement.version == 1
    assert objets_de_a["cej"].lignes.count() == 4


@pytest.mark.date("2026-06-15")  # A is in force: its editors open its structure form
def test_les_gestionnaires_proposes_sont_ceux_de_la_convention(client, demo, comptes, intrus):
    user, autre = intrus
    operateur_b = Organisation.objects.create(type=Organisation.Type.AUTRE, nom="Crèches de l'intrus")
    Structure.objects.create(
        convention=autre, nom="Crèche de B", type="eaje", commune_id="59122", gestionnaire=operateur_b
    )
    client.force_login(comptes["chef.projet"])
    choix_a = {
        nom
        for _, nom in client.get(f"/financement/conventions/{demo.pk}/structures/nouvelle/")
        .context["form"]
        .fields["gestionnaire"]
        .choices
    }
    assert "Caf du Nord" in choix_a and "CA de Cambrai" in choix_a and "Cambrai" in choix_a
    assert "Crèches du Nord SAS (démonstration)" in choix_a
    assert "Crèches de l'intrus" not in choix_a and "Caf des Pyrénées-Atlantiques" not in choix_a

    client.force_login(user)
    base = f"/financement/conventions/{autre.pk}/structures/nouvelle/"
    choix_b = {nom for _, nom in client.get(base).context["form"].fields["gestionnaire"].choices}
    assert "Crèches de l'intrus" in choix_b and "Caf des Pyrénées-Atlantiques" in choix_b
    assert not any(nom.endswith("(démonstration)") or nom == "Caf du Nord" for nom in choix_b)
    contenu = client.get(base).content.decode()
    assert "Crèches du Nord SAS" not in contenu and "Caf du Nord" not in contenu
    # another convention's operator cannot be posted; the same name typed in is a new organisation
    operateur_a = Organisation.objects.get(nom="Crèches du Nord SAS (démonstration)")
    structure = {"nom": "Crèche B2", "type": "eaje", "commune": "59122", "gestionnaire": operateur_a.pk}
    reponse = client.post(base, structure)
    assert reponse.status_code == 200 and "Sélectionnez un choix valide" in reponse.content.decode()
    structure.update(gestionnaire="", nouveau_gestionnaire="Crèches du Nord SAS (démonstration)")
    assert client.post(base, structure).status_code == 302
    gestionnaire = autre.structures.get(nom="Crèche B2").gestionnaire
    assert gestionnaire.pk != operateur_a.pk and gestionnaire.nom == operateur_a.nom

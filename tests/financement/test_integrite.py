"""Integrity of the financing: national rates revised by a national administrator only, every change in the
history with its author, stale forms refused, and what must never be stored refused by the database."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.admin.sites import site
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.test import RequestFactory

from ctg.audit import IDENTIFIANT_SYSTEME
from ctg.comptes.models import Profil, caf_du_departement
from ctg.financement.importation import ENTETES
from ctg.financement.models import (
    Bareme,
    Capacite,
    Cej,
    FinancementReel,
    LigneCej,
    RichesseCommune,
    Structure,
    Verification,
)
from ctg.financement.views import annee_de_saisie, annee_par_defaut

from .conftest import CAMBRAI, plat

pytestmark = pytest.mark.django_db
EN_COURS = "2026-06-15"


@pytest.fixture
def personnel_caf(demo, django_user_model):
    """A staff account of the Caf du Nord (not a national administrator)."""
    user = django_user_model.objects.create_user("personnel.caf", password="x", is_staff=True)
    Profil.objects.create(user=user, organisation=caf_du_departement(demo.caf.departement))
    return user


# --- national rates ------------------------------------------------------------------------------------------------


def test_seul_un_administrateur_national_modifie_les_baremes(client, personnel_caf, administrateur_national):
    tranche = Bareme.objects.get(nature="nouvelles_unites", tranche__startswith="Tranche 1", valide_au=None)
    revision = {
        "valide_du": "2027-01-01",
        "montant": "4000",
        "seuil_potentiel_financier": "900",
        "seuil_revenu": "13000",
        "arrondi": "centime",
        "source": "Circulaire de test",
    }
    nouveau = {
        "type_structure": "laep",
        "nature": "nouvelles_unites",
        "unite": "heure",
        "valide_du": "2027-01-01",
        "montant": "1",
        "arrondi": "centime",
        "source": "Note de test",
    }
    client.force_login(personnel_caf)
    assert "Réviser" not in client.get("/financement/baremes/").content.decode()
    assert client.post(f"/financement/baremes/{tranche.pk}/reviser/", revision).status_code == 403
    assert client.post("/financement/baremes/nouveau/", nouveau).status_code == 403
    assert not Bareme.objects.filter(remplace=tranche).exists()
    assert not Bareme.objects.filter(type_structure="laep", nature="nouvelles_unites").exists()

    client.force_login(administrateur_national)
    assert client.post(f"/financement/baremes/{tranche.pk}/reviser/", revision).status_code == 302
    assert client.post("/financement/baremes/nouveau/", nouveau).status_code == 302
    assert Bareme.objects.get(remplace=tranche).montant == Decimal("4000")
    assert Bareme.objects.get(type_structure="laep", nature="nouvelles_unites").cree_par == administrateur_national


@pytest.mark.parametrize("modele", [Bareme, RichesseCommune])
def test_administration_des_donnees_nationales(modele, personnel_caf, administrateur_national):
    admin = site._registry[modele]
    bareme = Bareme.objects.first()
    for user, permis in [(personnel_caf, False), (administrateur_national, True)]:
        requete = RequestFactory().get("/admin/")
        requete.user = user
        assert admin.has_add_permission(requete) is permis
        assert admin.has_change_permission(requete, bareme) is permis
        assert admin.has_delete_permission(requete, bareme) is permis


def test_les_modeles_d_une_convention_ont_un_historique():
    from simple_history.admin import SimpleHistoryAdmin

    for modele in (Structure, Capacite, Cej, LigneCej, FinancementReel, Verification, Bareme, RichesseCommune):
        assert hasattr(modele, "historique"), modele
        assert isinstance(site._registry[modele], SimpleHistoryAdmin), modele
    assert Capacite.chemin_convention == FinancementReel.chemin_convention == "structure__convention"
    assert LigneCej.chemin_convention == "cej__convention"


# --- history: who changed what -------------------------------------------------------------------------------------


@pytest.mark.date(EN_COURS)
def test_historique_d_une_modification_par_une_page(client, demo, comptes):
    lucioles = demo.structures.get(nom__startswith="Multi-accueil Les Lucioles")
    client.force_login(comptes["chef.projet"])
    donnees = {
        "nom": lucioles.nom,
        "type": "eaje",
        "gestionnaire": lucioles.gestionnaire_id,
        "commune": CAMBRAI,
        "psu": "on",
        "cofinancee": "on",
        "en_qpv": "on",
        "date_ouverture": "2010-09-01",
        "date_fermeture": "2030-06-30",
        "places": "40",
        "places_employeurs": "0",
        "version_lue": "1",
    }
    url = f"/financement/conventions/{demo.pk}/structures/{lucioles.pk}/modifier/"
    assert client.post(url, donnees).status_code == 302
    dernier = lucioles.historique.latest("history_date")
    assert dernier.history_type == "~" and dernier.history_user == comptes["chef.projet"]
    assert dernier.date_fermeture == date(2030, 6, 30) and dernier.version == 2
    changes = set(dernier.diff_against(dernier.prev_record).changed_fields)
    assert "date_fermeture" in changes and "nom" not in changes


def test_historique_d_un_import_par_la_commande(demo, tmp_path, django_user_model):
    lucioles = demo.structures.get(nom__startswith="Multi-accueil Les Lucioles")
    fichier = tmp_path / "financements.csv"
    fichier.write_text(
        ";".join(ENTETES) + "\n2025;59122;Multi-accueil Les Lucioles (démonstration);;compte;159000;46000;\n",
        encoding="utf-8",
    )
    sortie = io.StringIO()
    call_command("importer_financements", str(demo.pk), str(fichier), stdout=sortie)
    assert "0 ligne créée, 1 modifiée, 0 inchangée." in sortie.getvalue()
    ligne = FinancementReel.objects.get(structure=lucioles, annee=2025, document="compte")
    assert ligne.montant_commune == Decimal("159000") and ligne.version == 2
    dernier = ligne.historique.latest("history_date")
    assert dernier.history_user.username == IDENTIFIANT_SYSTEME
    assert dernier.history_change_reason == "commande ctg importer_financements"
    # for a named person
    personne = django_user_model.objects.create_user("agent.caf", password="x")
    fichier.write_text(fichier.read_text(encoding="utf-8").replace("159000", "160000"), encoding="utf-8")
    call_command("importer_financements", str(demo.pk), str(fichier), par="agent.caf", stdout=sortie)
    ligne.refresh_from_db()
    assert ligne.saisi_par == personne and ligne.historique.latest("history_date").history_user == personne


@pytest.mark.date(EN_COURS)
def test_historique_d_un_import_par_la_page(client, demo, comptes):
    contenu = ";".join(ENTETES) + "\n2025;59122;Crèche Les Petits Pas (démonstration);;compte;93000;23000;\n"
    client.force_login(comptes["demo"])
    reponse = client.post(
        f"/financement/conventions/{demo.pk}/import/",
        {"fichier": SimpleUploadedFile("comptes-2025.csv", contenu.encode(), content_type="text/csv")},
    )
    assert reponse.status_code == 302
    petits_pas = demo.structures.get(nom__startswith="Crèche Les Petits Pas")
    ligne = FinancementReel.objects.get(structure=petits_pas, annee=2025, document="compte")
    assert ligne.saisi_par == comptes["demo"] and ligne.origine == "import comptes-2025.csv"
    assert ligne.historique.latest("history_date").history_user == comptes["demo"]


# --- stale forms ---------------------------------------------------------------------------------------------------


@pytest.mark.date(EN_COURS)
def test_un_formulaire_de_structure_perime_est_refuse(client, demo, comptes):
    lucioles = demo.structures.get(nom__startswith="Multi-accueil Les Lucioles")
    url = f"/financement/conventions/{demo.pk}/structures/{lucioles.pk}/modifier/"
    client.force_login(comptes["demo"])
    version = client.get(url).context["form"]["version_lue"].value()
    donnees = {
        "nom": "Multi-accueil Les Lucioles (démonstration)",
        "type": "eaje",
        "gestionnaire": lucioles.gestionnaire_id,
        "commune": CAMBRAI,
        "psu": "on",
        "cofinancee": "on",
        "date_ouverture": "2010-09-01",
        "places": "40",
        "places_employeurs": "0",
        "version_lue": version,
    }
    assert client.post(url, {**donnees, "reference": "EAJE-0001"}).status_code == 302
    # a second person saves the form they opened before that save: refused, with what changed
    client.force_login(comptes["chef.projet"])
    reponse = client.post(url, {**donnees, "reference": "EAJE-9999"})
    assert reponse.status_code == 409
    contenu = plat(reponse.content.decode())
    assert "a été modifié depuis que vous l&#x27;avez ouvert" in contenu
    assert "« référence » modifié par" in contenu and ": — → EAJE-0001" in contenu
    lucioles.refresh_from_db()
    assert lucioles.reference == "EAJE-0001" and lucioles.version == 2


@pytest.mark.date(EN_COURS)
def test_un_formulaire_de_financement_perime_est_refuse(client, demo, comptes):
    lucioles = demo.structures.get(nom__startswith="Multi-accueil Les Lucioles")
    ligne = FinancementReel.objects.get(structure=lucioles, annee=2023, document="compte")
    url = f"/financement/conventions/{demo.pk}/communes/59122/financements/"
    client.force_login(comptes["referent.commune"])
    premier = {"ligne": ligne.pk, "version_lue": 1, "montant_commune": "151000", "montant_autres": "41000"}
    assert client.post(url, premier).status_code == 302
    client.force_login(comptes["chef.projet"])
    reponse = client.post(url, {**premier, "montant_commune": "1"})
    assert reponse.status_code == 409
    contenu = plat(reponse.content.decode())
    assert "« financement de la commune (€) » modifié par" in contenu and "152000.00 → 151000.00" in contenu
    ligne.refresh_from_db()
    assert ligne.montant_commune == Decimal("151000") and ligne.version == 2


# --- what must never be stored ---------------------------------------------------------------------------------------


def _interdit(creer):
    with pytest.raises(IntegrityError), transaction.atomic():
        creer()


def test_contraintes_de_la_base(convention, creer_structure, creer_cej, django_user_model):
    creche = creer_structure("Crèche A", places=20)
    cej = creer_cej(CAMBRAI, [(creche, "60000", "20", "90000")])
    FinancementReel.objects.create(structure=creche, annee=2024, document="compte", montant_commune="1")
    user = django_user_model.objects.create_user("verificateur", password="x")
    verification = {"convention": convention, "commune_id": CAMBRAI, "conclusion": "conforme", "verifie_par": user}
    Verification.objects.create(annee=2024, documents="CR 2024", **verification)

    def financement(**valeurs):
        champs = {"structure": creche, "annee": 2025, "document": "compte", "montant_commune": "1", **valeurs}
        return lambda: FinancementReel.objects.create(**champs)

    _interdit(financement(montant_commune="-0.01"))
    _interdit(financement(montant_autres="-5"))
    _interdit(financement(annee=1899))
    _interdit(financement(annee=2101))
    _interdit(financement(document="facture"))
    _interdit(financement(annee=2024))  # same structure, year and document
    _interdit(lambda: Verification.objects.create(annee=2024, documents="encore", **verification))
    _interdit(lambda: Verification.objects.create(annee=1950, documents="CR", **verification))
    _interdit(lambda: Verification.objects.create(**{**verification, "conclusion": "peut-etre"}, annee=2025))
    _interdit(lambda: Capacite.objects.create(structure=creche, depuis=date(2025, 1, 1), places=5, places_employeurs=6))
    _interdit(lambda: Capacite.objects.create(structure=creche, depuis=date(2025, 1, 1), heures=Decimal("-1")))
    _interdit(
        lambda: Structure.objects.create(
            convention=convention,
            nom="Crèche B",
            type="eaje",
            commune_id=CAMBRAI,
            gestionnaire=creche.gestionnaire,
            date_ouverture=date(2020, 1, 1),
            date_fermeture=date(2019, 12, 31),
        )
    )
    _interdit(
        lambda: Structure.objects.create(
            convention=convention, nom="X", type="piscine", commune_id=CAMBRAI, gestionnaire=creche.gestionnaire
        )
    )
    _interdit(lambda: LigneCej.objects.filter(pk=cej.lignes.get().pk).update(engagement_commune=Decimal("-1")))
    _interdit(lambda: LigneCej.objects.filter(pk=cej.lignes.get().pk).update(montant_n1=Decimal("-1")))
    _interdit(lambda: Cej.objects.filter(pk=cej.pk).update(date_fin=date(2017, 12, 31)))
    _interdit(lambda: Cej.objects.filter(pk=cej.pk).update(annee_reference=21))
    revalorisation = Bareme.objects.filter(nature="revalorisation").first()
    _interdit(lambda: Bareme.objects.filter(pk=revalorisation.pk).update(montant=Decimal("150")))
    _interdit(lambda: Bareme.objects.filter(pk=revalorisation.pk).update(montant=Decimal("-1")))
    _interdit(lambda: Bareme.objects.filter(nature="trajectoire").update(seuil_croissance=Decimal("101")))
    _interdit(lambda: RichesseCommune.objects.create(commune_id=CAMBRAI, annee=2024, potentiel_financier=-1, revenu=1))


@pytest.mark.date(EN_COURS)
def test_un_montant_negatif_est_refuse_par_le_formulaire(client, demo, comptes):
    lucioles = demo.structures.get(nom__startswith="Multi-accueil Les Lucioles")
    client.force_login(comptes["demo"])
    reponse = client.post(
        f"/financement/conventions/{demo.pk}/communes/59122/financements/",
        {"structure": lucioles.pk, "annee": "2021", "document": "compte", "montant_commune": "-10"},
    )
    assert reponse.status_code == 200 and "Un montant ne peut pas être négatif." in reponse.content.decode()
    assert not FinancementReel.objects.filter(structure=lucioles, annee=2021).exists()


# --- any date --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("jour", "annee", "saisie"),
    [
        (date(2021, 6, 1), 2022, 2022),  # before the convention: its first year
        (date(2024, 6, 1), 2024, 2023),  # during: this year; last year's accounts
        (date(2027, 1, 15), 2026, 2026),  # after its end: its last year
        (date(2031, 6, 15), 2026, 2026),
        (date(2024, 2, 29), 2024, 2023),  # a leap day
    ],
)
def test_l_annee_proposee_reste_dans_la_convention(convention, jour, annee, saisie):
    assert annee_par_defaut(convention, jour) == annee
    assert annee_de_saisie(convention, jour) == saisie

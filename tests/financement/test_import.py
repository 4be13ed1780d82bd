"""Import of actual funding: real quirks (BOM, ``;``, decimal comma, XLSX numbers), errors with line and column,
nothing written on error, idempotent counts."""

import io
from decimal import Decimal

import pytest
from openpyxl import Workbook

from ctg.financement.importation import ENTETES, importer, lettre, lire_montant
from ctg.financement.models import FinancementReel

from .conftest import plat

pytestmark = pytest.mark.django_db

ENTETE = ";".join(ENTETES)


def csv(*lignes: str) -> bytes:
    return ("\ufeff" + "\r\n".join([ENTETE, *lignes]) + "\r\n").encode("utf-8")


@pytest.fixture
def structures(convention, creer_structure):
    return {
        "a": creer_structure("Crèche Les Pinsons", places=20, reference="EAJE-59-0001"),
        "b": creer_structure("Accueil de loisirs du Centre", type="alsh", heures=Decimal("5000")),
    }


def test_import_csv_puis_rejeu_idempotent(convention, structures):
    contenu = csv(
        "2024;59122;Crèche Les Pinsons;;compte de résultat;12 345,67;1 000;",
        "2024;59122;;EAJE-59-0001;budget prévisionnel;12000;;prévision",
        '2024;59122;accueil de loisirs du centre;;Compte de résultat;"8 000,50 €";0;',
    )
    resultat = importer(convention, "financements.csv", contenu)
    assert resultat.erreurs == [] and (resultat.crees, resultat.modifies, resultat.inchanges) == (3, 0, 0)
    ligne = FinancementReel.objects.get(structure=structures["a"], annee=2024, document="compte")
    assert ligne.montant_commune == Decimal("12345.67") and ligne.montant_autres == Decimal("1000")
    assert ligne.origine == "import financements.csv"
    resultat = importer(convention, "financements.csv", contenu)
    assert (resultat.crees, resultat.modifies, resultat.inchanges) == (0, 0, 3)
    assert resultat.bilan == "0 ligne créée, 0 modifiée, 3 inchangées."
    contenu = csv("2024;59122;Crèche Les Pinsons;;compte;13000;1000;")
    resultat = importer(convention, "financements.csv", contenu)
    assert (resultat.crees, resultat.modifies) == (0, 1)
    assert FinancementReel.objects.get(structure=structures["a"], document="compte").montant_commune == 13000


def test_chaque_erreur_avec_sa_ligne_et_sa_colonne_et_rien_n_est_ecrit(convention, structures):
    contenu = csv(
        "2024;59122;Crèche Les Pinsons;;compte;12000;;",  # valid, but not written since others fail
        "20x4;59122;Crèche Les Pinsons;;compte;12000;;",
        "2024;59122;Crèche inconnue;;compte;12000;;",
        "2024;59122;Crèche Les Pinsons;;facture;12,3,4;;",
        "2024;59322;Crèche Les Pinsons;;budget;-5;;",
        "2024;59122;Crèche Les Pinsons;;compte de résultat;12000;;",
    )
    resultat = importer(convention, "financements.csv", contenu)
    assert [plat(e) for e in resultat.erreurs] == [
        "Ligne 3, colonne A « Année » : année invalide « 20x4 » (attendue entre 2017 et 2027).",
        "Ligne 4, colonne C « Structure » : structure inconnue sur le territoire de la convention « Crèche inconnue ».",
        "Ligne 5, colonne E « Document » : document inconnu « facture » (budget prévisionnel ou compte de résultat).",
        "Ligne 5, colonne F « Financement de la commune (€) » : montant illisible « 12,3,4 » (un montant positif en "
        "euros, au centime).",
        "Ligne 6, colonne B « Commune (code Insee) » : la structure « Crèche Les Pinsons » est à Cambrai (59122), "
        "pas à « 59322 ».",
        "Ligne 6, colonne F « Financement de la commune (€) » : montant illisible « -5 » (un montant positif en euros, "
        "au centime).",
        "Ligne 7 : même structure, année et document qu'à la ligne 2.",
    ]
    assert not FinancementReel.objects.exists()


def test_entetes_manquants(convention, structures):
    resultat = importer(convention, "f.csv", b"Nom;Montant\nx;1\n")
    assert "Ligne 1 : en-têtes attendus introuvables" in resultat.erreurs[0]
    assert importer(convention, "f.ods", b"x").erreurs == ["Format non reconnu : envoyez un fichier .csv ou .xlsx."]


def test_import_xlsx_avec_des_nombres_et_un_titre_au_dessus(convention, structures):
    classeur = Workbook()
    feuille = classeur.active
    feuille.append(["Financements constatés 2025 — CA de Cambrai"])
    feuille.append([])
    feuille.append(ENTETE.split(";"))
    feuille.append([2025, "59122", "Crèche Les Pinsons", None, "compte de résultat", 12345.6, 250, None])
    feuille.append([2025, "59122", "Accueil de loisirs du Centre", None, "budget", None, None, None])  # left blank
    tampon = io.BytesIO()
    classeur.save(tampon)
    resultat = importer(convention, "financements.xlsx", tampon.getvalue())
    assert resultat.erreurs == [] and (resultat.crees, resultat.ignorees) == (1, 1)
    assert FinancementReel.objects.get().montant_commune == Decimal("12345.60")


def test_essai_ne_rien_enregistrer(convention, structures):
    resultat = importer(convention, "f.csv", csv("2024;59122;Crèche Les Pinsons;;compte;1;;"), essai=True)
    assert resultat.crees == 1 and "essai : rien n'a été enregistré" in resultat.bilan
    assert not FinancementReel.objects.exists()


def test_lire_montant_et_lettres():
    assert lire_montant("12 345,67 €") == Decimal("12345.67")
    assert lire_montant("12\u202f345,67") == Decimal("12345.67")
    assert lire_montant("1.234,5") == Decimal("1234.50")
    assert lire_montant(1234.1) == Decimal("1234.10") and lire_montant(7) == Decimal("7")
    for mauvais in ("", "abc", "-1", "1,234", "1e3x", True):
        if mauvais == "1,234":
            with pytest.raises(ValueError):
                lire_montant(mauvais)  # three decimals: not an amount to the cent
            continue
        with pytest.raises(ValueError):
            lire_montant(mauvais)
    assert [lettre(i) for i in (0, 25, 26)] == ["A", "Z", "AA"]


@pytest.mark.date("2026-06-15")  # the demo convention is still in force: its editors may import
def test_import_par_la_page(client, demo, comptes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = f"/financement/conventions/{demo.pk}/import/"
    client.force_login(comptes["referent.commune"])
    assert client.get(url).status_code == 403
    client.force_login(comptes["chef.projet"])
    fichier = SimpleUploadedFile("f.csv", csv("2024;59122;Crèche inconnue;;compte;1;;"), content_type="text/csv")
    reponse = client.post(url, {"fichier": fichier})
    contenu = plat(reponse.content.decode())
    assert reponse.status_code == 200 and "1 erreur : rien n'a été enregistré." in contenu
    assert "Ligne 2, colonne C « Structure »" in contenu
    ligne = "2024;59122;Multi-accueil Les Lucioles (démonstration);;compte;152000;43500;"
    fichier = SimpleUploadedFile("f.csv", csv(ligne), content_type="text/csv")
    reponse = client.post(url, {"fichier": fichier}, follow=True)
    assert "0 ligne créée, 1 modifiée, 0 inchangée." in reponse.content.decode()

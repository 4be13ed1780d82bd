"""Import of actual funding, bounded whatever the file: lines, uncompressed size and errors are capped, amounts stay
within their domain, the comment follows the rules of free text; each refusal is a French message and writes
nothing."""

import io
import time
import zipfile
from decimal import Decimal

import pytest
from openpyxl import Workbook

from ctg.financement.importation import ENTETES, importer, lire_montant
from ctg.financement.models import FinancementReel

from .conftest import plat

pytestmark = pytest.mark.django_db

ENTETE = ";".join(ENTETES)
PINSONS = "2024;59122;Crèche Les Pinsons;;compte;12000;;"


def csv(*lignes: str) -> bytes:
    return ("\ufeff" + "\r\n".join([ENTETE, *lignes]) + "\r\n").encode("utf-8")


def xlsx(*lignes, derniere_ligne: int | None = None) -> bytes:
    """A workbook with the header and ``lignes``; ``derniere_ligne`` puts one cell that far down (even beyond the
    1,048,576 rows Excel writes), so that the sheet announces, and a reader walks through, that many rows, though
    the file stays a few kilobytes."""
    classeur = Workbook()
    feuille = classeur.active
    feuille.append(ENTETES)
    for ligne in lignes:
        feuille.append(ligne)
    if derniere_ligne:
        feuille.cell(row=1_048_576, column=1, value=" ")
    tampon = io.BytesIO()
    classeur.save(tampon)
    if not derniere_ligne:
        return tampon.getvalue()
    sortie = io.BytesIO()
    with zipfile.ZipFile(tampon) as source, zipfile.ZipFile(sortie, "w", zipfile.ZIP_DEFLATED) as copie:
        for info in source.infolist():
            contenu = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                contenu = contenu.replace(b"1048576", str(derniere_ligne).encode())
            copie.writestr(info, contenu)
    return sortie.getvalue()


@pytest.fixture
def pinsons(creer_structure):
    return creer_structure("Crèche Les Pinsons", places=20, reference="EAJE-59-0001")


def refuse(convention, nom, contenu) -> list[str]:
    resultat = importer(convention, nom, contenu)
    assert resultat.erreurs and (resultat.crees, resultat.modifies) == (0, 0)
    assert not FinancementReel.objects.exists()
    return [plat(e) for e in resultat.erreurs]


def test_une_feuille_qui_annonce_trop_de_lignes_s_arrete_au_plafond(convention, pinsons, settings):
    settings.CTG_FINANCEMENT_LIGNES_MAX = 1_000
    contenu = xlsx([2024, "59122", "Crèche Les Pinsons", None, "compte", 12000, None, None], derniere_ligne=200_000)
    assert refuse(convention, "f.xlsx", contenu) == [
        "Fichier trop long : plus de 1000 lignes. Importez-le en plusieurs fois (par année, par exemple), ou retirez "
        "les lignes vides sous le tableau."
    ]


def test_six_millions_de_lignes_annoncees_sont_refusees_en_quelques_secondes(convention, pinsons):
    contenu = xlsx([2024, "59122", "Crèche Les Pinsons", None, "compte", 12000, None, None], derniere_ligne=6_000_000)
    debut = time.perf_counter()
    [erreur] = refuse(convention, "f.xlsx", contenu)
    assert time.perf_counter() - debut < 10
    assert erreur.startswith("Fichier trop long : plus de 20000 lignes.")


def test_un_classeur_trop_gros_une_fois_decompresse_n_est_pas_ouvert(convention, pinsons, settings):
    settings.CTG_FINANCEMENT_XLSX_MAX = 1024 * 1024
    tampon = io.BytesIO(xlsx([2024, "59122", "Crèche Les Pinsons", None, "compte", 12000, None, None]))
    with zipfile.ZipFile(tampon, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/bombe.bin", b"\0" * (3 * 1024 * 1024))  # 3 MB that compress to 3 kB
    assert len(tampon.getvalue()) < 50_000
    assert refuse(convention, "f.xlsx", tampon.getvalue()) == [
        "Classeur XLSX trop gros une fois décompressé (3 Mo, 1 Mo au plus) : gardez une seule feuille avec les lignes "
        "à importer, ou envoyez un CSV."
    ]


def test_les_erreurs_au_dela_du_plafond_sont_comptees_sans_etre_gardees(convention, pinsons, settings):
    settings.CTG_IMPORT_ERREURS_MAX = 10
    lignes = [f"2024;59122;Crèche {i};;compte;1;;" for i in range(1_000)]
    resultat = importer(convention, "f.csv", csv(*lignes))
    assert resultat.nombre_erreurs == 1_000 and len(resultat.erreurs) == 11
    assert plat(resultat.erreurs[0]).startswith("Ligne 2, colonne C « Structure » : structure inconnue")
    assert plat(resultat.erreurs[-1]) == ("… et 990 autres erreurs non détaillées (par colonne : « Structure » : 990).")
    assert not FinancementReel.objects.exists()


@pytest.mark.parametrize(
    "montant", ["1" + "0" * 400, "1e400", "1e308", "1000000000000", "Infinity", "NaN"], ids=lambda m: m[:12]
)
def test_un_montant_hors_de_son_domaine_est_refuse(convention, pinsons, montant):
    [erreur] = refuse(convention, "f.csv", csv(f"2024;59122;Crèche Les Pinsons;;compte;{montant};;"))
    assert erreur.startswith("Ligne 2, colonne F « Financement de la commune (€) » : montant")


def test_un_montant_trop_grand_dit_le_maximum(convention, pinsons):
    [erreur] = refuse(convention, "f.csv", csv("2024;59122;Crèche Les Pinsons;;compte;1e308;;"))
    assert erreur == (
        "Ligne 2, colonne F « Financement de la commune (€) » : montant « 1e308 » refusé : nombre trop grand : un "
        "montant ne dépasse pas 999 999 999 999,99 €."
    )


def test_lire_montant_borne():
    assert lire_montant("999 999 999 999,99") == Decimal("999999999999.99")
    for mauvais in ("1 000 000 000 000", 10**400, float("inf"), "1e-400", "-0,01"):
        with pytest.raises(ValueError):
            lire_montant(mauvais)


def test_un_commentaire_avec_un_caractere_nul_est_refuse(convention, pinsons):
    [erreur] = refuse(convention, "f.csv", csv("2024;59122;Crèche Les Pinsons;;compte;12000;;prévu\x00ici"))
    assert erreur == (
        "Ligne 2, colonne H « Commentaire » : caractère nul (U+0000) interdit (position 6) : retirez ce caractère."
    )


def test_un_commentaire_trop_long_est_refuse(convention, pinsons):
    [erreur] = refuse(convention, "f.csv", csv("2024;59122;Crèche Les Pinsons;;compte;12000;;" + "x" * 301))
    assert erreur == "Ligne 2, colonne H « Commentaire » : trop long : 301 caractères, 300 au plus."


def test_une_ligne_coupee_dans_un_guillemet_est_refusee(convention, pinsons):
    contenu = ("\ufeff" + ENTETE + "\r\n" + PINSONS + "\r\n" + '2024;59122;Crèche Les Pinsons;;budget;"12').encode()
    assert refuse(convention, "f.csv", contenu) == [
        "Ligne 3 : guillemet ouvert et jamais fermé : le fichier semble tronqué."
    ]


def test_un_fichier_ouvert_est_lu_sans_etre_charge_en_entier(convention, pinsons, tmp_path):
    chemin = tmp_path / "f.csv"
    chemin.write_bytes(csv(PINSONS))
    with chemin.open("rb") as fichier:
        resultat = importer(convention, "f.csv", fichier)
    assert resultat.erreurs == [] and resultat.crees == 1

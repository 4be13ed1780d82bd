"""Bounded work and numbers within their domain: a hostile or broken file is refused with a French message that
says where, nothing is written, and reading it costs bounded memory (rows, errors, lines and size are capped)."""

import tracemalloc
from pathlib import Path

import pytest
from django.core.management import call_command

from ctg.donnees.importation import ErreurImport, importer_fichier
from ctg.donnees.models import Fichier, Observation

FICHIERS = Path(__file__).parent / "fichiers"
pytestmark = pytest.mark.django_db

ENTETE_PLACES = (FICHIERS / "nbpla_pe_epci.csv").read_text(encoding="utf-8-sig").splitlines()[0]
LIGNE_CAMBRAI = "2023;200068500;CA DE CAMBRAI;59;NORD;390;65;455;80;835;15;1385"


def places(tmp_path, *lignes: str, fin: str = "\n", nom: str = "nbpla_pe_epci.csv") -> Path:
    chemin = tmp_path / nom
    chemin.write_text("\n".join([ENTETE_PLACES, *lignes]) + fin, encoding="utf-8")
    return chemin


def refuse(chemin, **options) -> ErreurImport:
    avant = (Fichier.objects.count(), Observation.objects.count())
    with pytest.raises(ErreurImport) as exc:
        importer_fichier(chemin, **options)
    assert (Fichier.objects.count(), Observation.objects.count()) == avant
    return exc.value


# --- numbers within their domain -------------------------------------------------------------------------------


def test_un_nombre_de_places_negatif_est_refuse(tmp_path):
    [erreur] = refuse(places(tmp_path, LIGNE_CAMBRAI.replace(";390;", ";-55;"))).erreurs
    assert (erreur.ligne, erreur.colonne, erreur.valeur) == (2, "pl_psu_col_epci", "-55")
    assert erreur.message == "nombre négatif : un effectif ne peut pas être négatif"


def test_un_entier_de_400_chiffres_est_refuse(tmp_path):
    [erreur] = refuse(places(tmp_path, LIGNE_CAMBRAI.replace(";390;", ";" + "9" * 400 + ";"))).erreurs
    assert erreur.colonne == "pl_psu_col_epci"
    assert erreur.message == "nombre trop long (400 caractères, 40 au plus)"
    assert erreur.valeur == "9" * 57 + "…"


def test_un_grand_entier_et_1e308_sont_hors_du_domaine(tmp_path):
    erreurs = refuse(places(tmp_path, LIGNE_CAMBRAI.replace(";390;65;", ";" + "9" * 30 + ";1e308;"))).erreurs
    assert [(e.colonne, e.message) for e in erreurs] == [
        ("pl_psu_col_epci", "nombre trop grand : un effectif ne dépasse pas 100\u00a0000\u00a0000"),
        ("pl_hors_psu_col_epci", "nombre trop grand : un effectif ne dépasse pas 100\u00a0000\u00a0000"),
    ]


def test_un_nombre_infini_est_refuse(tmp_path):
    [erreur] = refuse(places(tmp_path, LIGNE_CAMBRAI.replace(";390;", ";1e309;"))).erreurs
    assert erreur.message == "nombre infini"


def test_un_taux_de_couverture_est_borne(tmp_path):
    chemin = tmp_path / "txcouv_pe_epci.csv"
    texte = (FICHIERS / "txcouv_pe_epci.csv").read_text(encoding="utf-8-sig")
    chemin.write_text(texte.replace(";74.2;", ";1500;"), encoding="utf-8")
    [erreur] = refuse(chemin).erreurs
    assert erreur.message == "nombre trop grand : un taux de couverture ne dépasse pas 1\u00a0000 %"


# --- a truncated row is an error, never a smaller number -------------------------------------------------------


def test_une_derniere_ligne_coupee_au_milieu_d_une_valeur_est_refusee(tmp_path):
    # The file stops in the middle of "1385": without the final line break, the row cannot be trusted.
    chemin = places(tmp_path, LIGNE_CAMBRAI.removesuffix("85"), fin="")
    [erreur] = refuse(chemin).erreurs
    assert erreur.ligne == 2
    assert erreur.message.startswith("la dernière ligne ne finit pas par un retour à la ligne : le fichier semble")
    assert importer_fichier(places(tmp_path, LIGNE_CAMBRAI, nom="complet_nbpla.csv")).crees == 1


def test_un_guillemet_jamais_ferme_est_une_erreur(tmp_path):
    chemin = places(tmp_path, LIGNE_CAMBRAI.replace(";1385", ';"1385'))
    [erreur] = refuse(chemin).erreurs
    assert erreur.message == ("guillemet ouvert et jamais fermé avant la fin du fichier : le fichier semble tronqué")


def test_une_ligne_avec_moins_de_champs_que_l_en_tete_est_une_erreur(tmp_path):
    [erreur] = refuse(places(tmp_path, LIGNE_CAMBRAI.rsplit(";", 3)[0])).erreurs
    assert erreur.ligne == 2 and erreur.message.startswith("9 champ(s) au lieu de 12")


# --- bounded work ----------------------------------------------------------------------------------------------


def test_une_avalanche_de_doublons_ne_garde_que_les_premieres_erreurs(tmp_path, settings):
    settings.CTG_IMPORT_ERREURS_MAX = 10
    chemin = places(tmp_path, *[LIGNE_CAMBRAI] * 5_000)
    exc = refuse(chemin)
    assert len(exc.erreurs) == 10 and exc.total == 4_999
    assert all("en double pour la période 2023 (déjà en ligne 2)" in e.message for e in exc.erreurs)
    assert exc.lignes()[-1] == "… et 4989 autre(s) erreur(s) (par colonne : numepci : 4989)"


def test_la_memoire_ne_grandit_pas_avec_le_nombre_d_erreurs(tmp_path, settings):
    """5,000 then 20,000 duplicate rows, every one an error: only the cap is kept and the file is read row by row, so
    the peak of memory is the same for both (15,000 more errors kept took over 5 MB)."""
    settings.CTG_IMPORT_ERREURS_MAX = 100
    importer_fichier(places(tmp_path, LIGNE_CAMBRAI, nom="chauffe_nbpla.csv"), simulation=True)  # caches

    def pic_de_l_import(chemin):
        tracemalloc.start()
        try:
            with pytest.raises(ErreurImport) as exc:
                importer_fichier(chemin)
            _taille, pic = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        return exc.value, pic

    petit, pic_petit = pic_de_l_import(places(tmp_path, *[LIGNE_CAMBRAI] * 5_000, nom="petit_nbpla.csv"))
    grand, pic_grand = pic_de_l_import(places(tmp_path, *[LIGNE_CAMBRAI] * 20_000))
    assert (petit.total, grand.total, len(grand.erreurs)) == (4_999, 19_999, 100)
    assert pic_grand - pic_petit < 1024 * 1024
    assert pic_grand < 4 * 1024 * 1024


def test_au_dela_du_nombre_maximal_de_lignes_la_lecture_s_arrete(tmp_path, settings):
    settings.CTG_IMPORT_LIGNES_MAX = 3
    lignes = [LIGNE_CAMBRAI.replace("2023;", f"{annee};") for annee in range(2016, 2024)]
    [erreur] = refuse(places(tmp_path, *lignes)).erreurs
    assert erreur.ligne == 5
    assert erreur.message.startswith("plus de 3 lignes de données (CTG_IMPORT_LIGNES_MAX) : lecture arrêtée")


def test_un_fichier_trop_volumineux_est_refuse_sans_etre_lu(tmp_path, settings):
    settings.CTG_IMPORT_TAILLE_MAX = 100
    chemin = places(tmp_path, LIGNE_CAMBRAI)
    [erreur] = refuse(chemin).erreurs
    assert erreur.message == (
        f"fichier trop volumineux : {chemin.stat().st_size} octets, 100 octets au plus (CTG_IMPORT_TAILLE_MAX) ; "
        "découpez-le, par exemple par année ou par département"
    )


def test_une_ligne_sans_fin_n_est_jamais_lue_en_entier(tmp_path):
    chemin = tmp_path / "nbpla_pe_epci.csv"
    chemin.write_text(ENTETE_PLACES + "\n" + ";" * 3_000_000, encoding="utf-8")
    [erreur] = refuse(chemin).erreurs
    assert erreur.ligne == 2
    assert erreur.message.startswith("ligne de plus de 1000000 caractères : ce n'est pas un fichier CSV de données")


# --- values already stored never crash the indicators ----------------------------------------------------------


def test_des_valeurs_aberrantes_deja_enregistrees_ne_font_pas_planter_les_indicateurs(capsys):
    fichier = Fichier.objects.create(dataset="s_ben_com_f", nom="ancien.csv", empreinte="0" * 64)
    for code, valeurs in {
        "59122": {"indfoy_ndur": 10**400, "indfoy_rsa": 1e308},
        "59322": {"indfoy_ndur": 1e308, "indfoy_rsa": 1e308},
    }.items():
        Observation.objects.create(
            fichier=fichier,
            dataset="s_ben_com_f",
            niveau="commune",
            code=code,
            periode="2023",
            annee=2023,
            valeurs=valeurs,
        )
    call_command("indicateurs", "200068500")
    sortie = capsys.readouterr().out
    assert "Part des foyers allocataires percevant le RSA [part_foyers_rsa]" in sortie

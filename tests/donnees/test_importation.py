"""Import of the fixture files (real headers and quirks) into Fichier and Observation."""

import hashlib
import shutil
from pathlib import Path

import pytest

from ctg.donnees.importation import ErreurImport, importer_fichier
from ctg.donnees.models import CODE_FRANCE, Fichier, Observation
from ctg.territoires.models import Commune

FICHIERS = Path(__file__).parent / "fichiers"
pytestmark = pytest.mark.django_db


def copie(tmp_path: Path, nom: str, nouveau_nom: str | None = None, remplacer=None, encodage="utf-8-sig") -> Path:
    """A copy of a fixture file, possibly renamed, with its text transformed by ``remplacer``."""
    chemin = tmp_path / (nouveau_nom or nom)
    if remplacer is None:
        shutil.copy(FICHIERS / nom, chemin)
    else:
        texte = (FICHIERS / nom).read_text(encoding=encodage)
        chemin.write_text(remplacer(texte), encoding=encodage, newline="")
    return chemin


def etat():
    return (
        Fichier.objects.count(),
        sorted(Observation.objects.values_list("dataset", "niveau", "code", "periode", "valeurs", "fichier_id")),
    )


def obs(dataset, code, periode):
    return Observation.objects.get(dataset=dataset, code=code, periode=periode)


def test_taux_de_couverture_communes():
    bilan = importer_fichier(
        FICHIERS / "txcouv_pe_com.csv", source_url="https://data.caf.fr/explore/dataset/txcouv_pe_com/"
    )
    assert (bilan.dataset, bilan.jeu, bilan.niveau) == ("txcouv_pe_com", "txcouv_pe", "commune")
    assert bilan.encodage == "UTF-8 avec BOM" and bilan.separateur == ";"
    assert (bilan.crees, bilan.modifies, bilan.inchanges) == (6, 0, 0)
    assert bilan.ecartes == {"arrondissement": 1}
    assert bilan.periodes == ["2022", "2023"]
    assert bilan.lignes == 7
    assert bilan.cellules_secretes == 4
    cambrai = obs("txcouv_pe", "59122", "2023")
    assert cambrai.niveau == "commune" and cambrai.annee == 2023
    assert cambrai.valeurs == {
        "txcouv_psu_col": 28.4,
        "txcouv_hors_psu_col": 4.1,
        "txcouv_eaje": 32.5,
        "txcouv_prescol": 2.7,
        "txcouv_am_ind": 24.9,
        "txcouv_gad_ind": None,  # blank = secret, never 0
        "txcouv_ind": 25.6,
        "txcouv": 60.8,
    }
    fichier = cambrai.fichier
    assert (fichier.dataset, fichier.nom, fichier.periodes, fichier.lignes) == (
        "txcouv_pe_com",
        "txcouv_pe_com.csv",
        ["2022", "2023"],
        7,
    )
    assert fichier.empreinte == hashlib.sha256((FICHIERS / "txcouv_pe_com.csv").read_bytes()).hexdigest()
    assert fichier.source_url == "https://data.caf.fr/explore/dataset/txcouv_pe_com/"
    assert fichier.producteur.startswith("Caisse nationale des allocations familiales")
    assert fichier.licence == "Licence Ouverte 2.0"
    assert not fichier.demonstration
    assert fichier.bilan["crees"] == 6 and fichier.bilan["ecartes"] == {"arrondissement": 1}


def test_epci_ligne_fictive_xx_ecartee():
    bilan = importer_fichier(FICHIERS / "txcouv_pe_epci.csv")
    assert bilan.crees == 3 and bilan.ecartes == {"fictif": 1}
    assert not Observation.objects.filter(code="XX").exists()
    assert obs("txcouv_pe", "200070555", "2023").valeurs["txcouv"] == 89.7
    assert obs("txcouv_pe", "200030633", "2023").valeurs["txcouv_gad_ind"] is None


def test_departements_et_france():
    importer_fichier(FICHIERS / "txcouv_pe_dep.csv")
    assert obs("txcouv_pe", "2A", "2023").niveau == "departement"
    bilan = importer_fichier(FICHIERS / "txcouv_pe_nat.csv")
    assert bilan.niveau == "france" and bilan.periodes == ["2023"]  # annee is a date in the national file
    france = obs("txcouv_pe", CODE_FRANCE, "2023")
    assert france.niveau == "france"
    v = france.valeurs
    assert v["txcouv"] == 60.9
    assert (
        round(
            v["txcouv_psu_col"]
            + v["txcouv_hors_psu_col"]
            + v["txcouv_prescol"]
            + v["txcouv_am_ind"]
            + v["txcouv_gad_ind"],
            1,
        )
        == 60.9
    )


def test_places_avec_colonne_supplementaire():
    bilan = importer_fichier(FICHIERS / "nbpla_pe_epci.csv")
    assert bilan.dataset == "nbpla_pe_epci" and bilan.ecartes == {"fictif": 1}
    assert obs("nbpla_pe", "200068500", "2023").valeurs == {
        "pl_psu_col": 390,
        "pl_hors_psu_col": 65,
        "pl_prescol": 80,
        "pl_am_ind": 835,
        "pl_gad_ind": 15,
        "tot_offre": 1385,
        "pl_eaje": 455,
    }
    assert obs("nbpla_pe", "200030633", "2023").valeurs["pl_gad_ind"] is None


def test_beneficiaires_etranger_et_inconnu_ecartes():
    bilan = importer_fichier(FICHIERS / "s_ben_com_f.csv")
    assert bilan.periodes == ["2022-12"]
    assert bilan.crees == 3
    assert bilan.ecartes == {"etranger": 1, "non_localise": 1}
    cambrai = obs("s_ben_com_f", "59122", "2022-12")
    assert cambrai.annee == 2022
    assert cambrai.valeurs["indfoy_ndur"] == 7410 and cambrai.valeurs["indnbp_ndur"] == 17325
    assert cambrai.valeurs["indmtt_rsa"] == 1083400
    abancourt = obs("s_ben_com_f", "59001", "2022-12").valeurs
    assert abancourt["indfoy_cf"] is None and abancourt["indfoy_rsa"] is None and abancourt["indfoy_ab"] == 10
    assert sorted(abancourt) == sorted([  # jsonb (PostgreSQL) does not keep the keys' order
        "indfoy_ndur", "indnbp_ndur", "indfoy_af", "indfoy_cf", "indfoy_asf", "indfoy_ab", "indfoy_cmg",
        "indfoy_ndurpaje", "indfoy_apl", "indfoy_als", "indfoy_alf", "indfoy_ndural", "indfoy_rsa", "indfoy_ppa",
        "indmtt_rsa", "indmtt_ppa",
    ])  # fmt: skip


def test_export_avec_libelles_et_virgule_decimale():
    bilan = importer_fichier(FICHIERS / "txcouv_pe_epci_libelles.csv")
    assert bilan.par_libelles and bilan.dataset == "txcouv_pe_epci"
    assert obs("txcouv_pe", "200068500", "2023").valeurs["txcouv_eaje"] == 20.1
    assert obs("txcouv_pe", "200030633", "2023").valeurs["txcouv_gad_ind"] is None


def test_bas_revenu_millesime_du_nom():
    bilan = importer_fichier(FICHIERS / "Bas_revenu_Com_2019.csv")
    assert bilan.periodes == ["2019"] and bilan.encodage == "UTF-8"
    assert obs("bas_revenu", "59122", "2019").valeurs == {
        "nb_allocataires_ress": 5630,
        "nb_pers_couv_ress": 13655,
        "all_bas_revenu": 2410,
        "pers_bas_revenu": 6285,
    }
    assert obs("bas_revenu", "59001", "2019").valeurs["all_bas_revenu"] is None


def test_bas_revenu_sans_millesime(tmp_path):
    chemin = copie(tmp_path, "Bas_revenu_Com_2019.csv", "bas_revenu.csv")
    with pytest.raises(ErreurImport, match="millésime introuvable"):
        importer_fichier(chemin)
    assert importer_fichier(chemin, millesime=2020).periodes == ["2020"]


def test_insee_latin1_point_virgule():
    bilan = importer_fichier(FICHIERS / "base-cc-evol-struct-pop-2021.csv")
    assert (bilan.dataset, bilan.encodage, bilan.separateur) == ("insee_pop", "Latin-1 (ISO-8859-1)", ";")
    assert bilan.colonnes_ignorees == ["LIBGEO"]
    cambrai = obs("insee_pop", "59122", "2021")
    assert cambrai.annee == 2021
    assert cambrai.valeurs["pop"] == 31134
    assert cambrai.valeurs["pop0002"] == pytest.approx(1069.4418)
    assert set(cambrai.valeurs) == {
        "pop",
        "pop0002",
        "pop0305",
        "pop0610",
        "pop1117",
        "pop1824",
        "pop2539",
        "poph",
        "popf",
    }


def test_insee_virgule():
    bilan = importer_fichier(FICHIERS / "base-cc-coupl-fam-men-2021.csv")
    assert (bilan.dataset, bilan.separateur) == ("insee_fam", ",")
    valeurs = obs("insee_fam", "59428", "2021").valeurs
    assert valeurs["fammono"] == pytest.approx(198.3187)
    assert valeurs["men"] == pytest.approx(1844.1102)


def test_iris_pop():
    bilan = importer_fichier(FICHIERS / "iris_pop.csv")
    assert bilan.periodes == ["2021"]
    assert obs("iris_pop", "59122", "2021").valeurs == {
        "pop": 31134,
        "pop_0_19": 7472,
        "pop_20_64": 17435,
        "pop_65p": 6227,
    }


def test_reimport_du_meme_fichier_ne_change_rien():
    importer_fichier(FICHIERS / "s_ben_com_f.csv")
    avant = etat()
    bilan = importer_fichier(FICHIERS / "s_ben_com_f.csv")
    assert bilan.deja_importe
    assert bilan.changements == 0
    assert "déjà importé" in bilan.resume()[0]
    assert etat() == avant


def test_reimport_reconnu_avant_la_lecture_des_lignes():
    importer_fichier(FICHIERS / "s_ben_com_f.csv")
    Commune.objects.filter(code="59428").delete()  # the territories changed since: the rows are not read again
    bilan = importer_fichier(FICHIERS / "s_ben_com_f.csv")
    assert bilan.deja_importe


def test_jeu_historique_impose():
    bilan = importer_fichier(FICHIERS / "txcouv_pe_epci.csv", dataset="txcouv_pe_epci_hist")
    assert (bilan.dataset, bilan.jeu) == ("txcouv_pe_epci_hist", "txcouv_pe")
    assert Fichier.objects.get().dataset == "txcouv_pe_epci_hist"
    assert obs("txcouv_pe", "200068500", "2023").niveau == "epci"


def test_nouveau_millesime_a_cote_de_l_ancien(tmp_path):
    importer_fichier(FICHIERS / "s_ben_com_f.csv")
    suivant = copie(
        tmp_path, "s_ben_com_f.csv", "s_ben_com_f_2023.csv", lambda t: t.replace("2022-12-31", "2023-12-31")
    )
    bilan = importer_fichier(suivant)
    assert (bilan.crees, bilan.modifies, bilan.inchanges) == (3, 0, 0)
    assert sorted(Observation.objects.filter(code="59122").values_list("periode", flat=True)) == ["2022-12", "2023-12"]
    assert Fichier.objects.count() == 2


def test_fichier_corrige_met_a_jour(tmp_path):
    premier = importer_fichier(FICHIERS / "txcouv_pe_epci.csv")
    corrige = copie(
        tmp_path,
        "txcouv_pe_epci.csv",
        remplacer=lambda t: t.replace(";36.8;0.6;37.4;61\n", ";36.9;0.6;37.5;61.1\n"),  # Cambrai corrected
    )
    bilan = importer_fichier(corrige)
    assert (bilan.crees, bilan.modifies, bilan.inchanges) == (0, 1, 2)
    cambrai = obs("txcouv_pe", "200068500", "2023")
    assert cambrai.valeurs["txcouv"] == 61.1
    assert cambrai.fichier_id == bilan.fichier_id != premier.fichier_id
    # The unchanged observations now point at the newest file that carries them.
    assert obs("txcouv_pe", "200070555", "2023").fichier_id == bilan.fichier_id
    assert Observation.objects.filter(dataset="txcouv_pe").count() == 3


def test_fichier_de_demonstration_ne_remplace_pas_les_donnees_reelles(tmp_path):
    importer_fichier(FICHIERS / "txcouv_pe_epci.csv")
    fictif = copie(tmp_path, "txcouv_pe_epci.csv", remplacer=lambda t: t.replace(";61\n", ";99.9\n"))
    bilan = importer_fichier(fictif, demonstration=True)
    assert (bilan.modifies, bilan.conserves, bilan.inchanges) == (0, 1, 2)
    assert obs("txcouv_pe", "200068500", "2023").valeurs["txcouv"] == 61
    assert not obs("txcouv_pe", "200068500", "2023").fichier.demonstration
    assert Fichier.objects.get(pk=bilan.fichier_id).demonstration


def test_simulation_n_ecrit_rien():
    avant = etat()
    bilan = importer_fichier(FICHIERS / "txcouv_pe_com.csv", simulation=True)
    assert bilan.simulation and bilan.crees == 6
    assert etat() == avant


# ---------------------------------------------------------------------------------------------------------------
# Every error refuses the whole file, says where, and writes nothing


def refuse(chemin, **options) -> list:
    avant = etat()
    with pytest.raises(ErreurImport) as exc:
        importer_fichier(chemin, **options)
    assert etat() == avant
    return exc.value.erreurs


def test_valeur_non_numerique(tmp_path):
    chemin = copie(tmp_path, "txcouv_pe_epci.csv", remplacer=lambda t: t.replace(";74.2;", ";74,2,1;"))
    [erreur] = refuse(chemin)
    assert (erreur.ligne, erreur.colonne, erreur.valeur) == (4, "txcouv_am_ind_epci", "74,2,1")
    assert str(erreur) == (
        "txcouv_pe_epci.csv, ligne 4, colonne « txcouv_am_ind_epci » : valeur non numérique : « 74,2,1 »"
    )


def test_toutes_les_erreurs_sont_listees(tmp_path):
    def abimer(texte):
        texte = texte.replace("2023;200030633", "2023;200030634")  # unknown SIREN
        texte = texte.replace(";17.2;", ";abc;")
        return texte.replace("2023;200070555", "2O23;200070555")

    erreurs = refuse(copie(tmp_path, "txcouv_pe_epci.csv", remplacer=abimer))
    assert [(e.ligne, e.colonne) for e in erreurs] == [(2, "txcouv_psu_col_epci"), (3, "numepci"), (4, "annee")]
    assert "code inconnu du référentiel" in erreurs[1].message
    assert erreurs[2].valeur == "2O23"


def test_colonne_manquante(tmp_path):
    # Every rate of txcouv_pe_* is required (s_ben_com_f and bas_revenu take any subset: see test_formats_reels).
    chemin = copie(tmp_path, "txcouv_pe_epci.csv", remplacer=lambda t: t.replace(";txcouv_eaje_epci;", ";txcouv_eaj;"))
    erreurs = refuse(chemin)
    assert erreurs[0].ligne == 1
    assert "colonne(s) manquante(s) txcouv_eaje_epci" in erreurs[0].message
    assert any(e.colonne == "txcouv_eaj" and "txcouv_eaje_epci" in e.message for e in erreurs)


def test_mauvais_separateur(tmp_path):
    chemin = copie(tmp_path, "txcouv_pe_epci.csv", remplacer=lambda t: t.replace(";", ","))
    [erreur] = refuse(chemin)
    assert erreur.ligne == 1 and "séparateur « , »" in erreur.message and "« ; »" in erreur.message


def test_tabulation_refusee(tmp_path):
    chemin = copie(tmp_path, "base-cc-coupl-fam-men-2021.csv", remplacer=lambda t: t.replace(",", "\t"))
    [erreur] = refuse(chemin)
    assert "tabulation" in erreur.message


def test_mauvais_encodage(tmp_path):
    chemin = tmp_path / "txcouv_pe_epci.csv"
    chemin.write_bytes((FICHIERS / "txcouv_pe_epci.csv").read_text(encoding="utf-8-sig").encode("utf-16"))
    [erreur] = refuse(chemin)
    assert "UTF-16" in erreur.message


def test_bom_utf8_mais_octets_latin1(tmp_path):
    chemin = tmp_path / "txcouv_pe_epci_libelles.csv"
    texte = (FICHIERS / "txcouv_pe_epci_libelles.csv").read_text(encoding="utf-8-sig")
    chemin.write_bytes(b"\xef\xbb\xbf" + texte.encode("latin-1"))
    [erreur] = refuse(chemin)
    assert "ligne 1" in erreur.message and "UTF-8" in erreur.message


def test_caf_en_latin1_accepte_et_signale(tmp_path):
    chemin = tmp_path / "txcouv_pe_epci_libelles.csv"
    chemin.write_bytes((FICHIERS / "txcouv_pe_epci_libelles.csv").read_text(encoding="utf-8-sig").encode("cp1252"))
    bilan = importer_fichier(chemin)
    assert bilan.encodage == "Latin-1 (ISO-8859-1)" and bilan.crees == 2


def test_date_impossible(tmp_path):
    chemin = copie(tmp_path, "s_ben_com_f.csv", remplacer=lambda t: t.replace("2022-12-31;59428", "2022-02-30;59428"))
    [erreur] = refuse(chemin)
    assert (erreur.ligne, erreur.colonne, erreur.valeur) == (4, "dtreffre", "2022-02-30")
    assert erreur.message == "date impossible"


def test_code_inconnu_puis_ignore(tmp_path):
    # 59540 was a commune merged into another: well-formed, unknown to the territories app.
    chemin = copie(tmp_path, "s_ben_com_f.csv", remplacer=lambda t: t.replace(";59428;", ";59540;"))
    [erreur] = refuse(chemin)
    assert (erreur.ligne, erreur.colonne, erreur.valeur) == (4, "numcomdo", "59540")
    bilan = importer_fichier(chemin, ignorer_inconnus=True)
    assert bilan.crees == 2 and bilan.ecartes == {"etranger": 1, "non_localise": 1, "inconnu": 1}
    assert bilan.codes_inconnus == ["59540"]
    assert "Codes absents du référentiel : 59540" in bilan.resume()


def test_code_mal_forme(tmp_path):
    chemin = copie(tmp_path, "s_ben_com_f.csv", remplacer=lambda t: t.replace(";59428;", ";5942B;"))
    [erreur] = refuse(chemin, ignorer_inconnus=True)
    assert erreur.colonne == "numcomdo" and "code invalide" in erreur.message


def test_zero_initial_perdu_par_un_tableur(tmp_path):
    chemin = copie(tmp_path, "txcouv_pe_dep.csv", remplacer=lambda t: t.replace("\n2023;2A;", "\n2023;1;"))
    importer_fichier(chemin)
    assert obs("txcouv_pe", "01", "2023").niveau == "departement"


def test_doublon_territoire_periode(tmp_path):
    def doubler(texte):
        lignes = texte.splitlines(keepends=True)
        return "".join([*lignes, lignes[1]])

    [erreur] = refuse(copie(tmp_path, "txcouv_pe_com.csv", remplacer=doubler))
    assert erreur.ligne == 9 and erreur.colonne == "numcom"
    assert "59122 en double pour la période 2023 (déjà en ligne 2)" in erreur.message


def test_ligne_tronquee(tmp_path):
    chemin = copie(
        tmp_path,
        "iris_pop.csv",
        remplacer=lambda t: t.replace("59122;31134;7472;17435;6227", "59122;31134"),
        encodage="utf-8",
    )
    [erreur] = refuse(chemin)
    assert erreur.ligne == 3 and "2 champ(s) au lieu de 5" in erreur.message


def test_fichier_vide_et_entete_seule(tmp_path):
    vide = tmp_path / "vide.csv"
    vide.write_bytes(b"")
    assert "vide" in refuse(vide)[0].message
    seule = tmp_path / "entete.csv"
    seule.write_text("com;pop;pop_0_19;pop_20_64;pop_65p\n")
    assert "aucune ligne" in refuse(seule)[0].message


def test_simulation_d_un_fichier_errone_leve_aussi(tmp_path):
    chemin = copie(tmp_path, "txcouv_pe_epci.csv", remplacer=lambda t: t.replace(";74.2;", ";x;"))
    refuse(chemin, simulation=True)

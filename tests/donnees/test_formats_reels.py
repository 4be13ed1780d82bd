"""The shapes the real files take: s_ben_com_f ``select=`` extracts, the arrondissements municipaux of Paris, Lyon
and Marseille, Insee IRIS and commune files, every vintage of Bas_revenu_Com; the signal sent after an import."""

import shutil
from pathlib import Path

import pytest

from ctg.donnees.importation import ErreurImport, importer_fichier
from ctg.donnees.models import Fichier, Observation
from ctg.donnees.signaux import observations_importees

FICHIERS = Path(__file__).parent / "fichiers"
pytestmark = pytest.mark.django_db

LYON = [f"6938{n}" for n in range(1, 10)]


def copie(tmp_path: Path, nom: str, nouveau_nom: str | None = None, remplacer=None, encodage="utf-8-sig") -> Path:
    chemin = tmp_path / (nouveau_nom or nom)
    if remplacer is None:
        shutil.copy(FICHIERS / nom, chemin)
    else:
        texte = (FICHIERS / nom).read_text(encoding=encodage)
        chemin.write_text(remplacer(texte), encoding=encodage, newline="")
    return chemin


def ecrire(tmp_path: Path, nom: str, texte: str, encodage="utf-8-sig") -> Path:
    chemin = tmp_path / nom
    chemin.write_text(texte, encoding=encodage, newline="")
    return chemin


def valeurs(dataset, code, periode) -> dict:
    return Observation.objects.get(dataset=dataset, code=code, periode=periode).valeurs


def etat():
    return (
        Fichier.objects.count(),
        sorted(Observation.objects.values_list("dataset", "niveau", "code", "periode", "valeurs", "fichier_id")),
    )


def refuse(chemin, **options) -> list:
    avant = etat()
    with pytest.raises(ErreurImport) as exc:
        importer_fichier(chemin, **options)
    assert etat() == avant
    return exc.value.erreurs


# ---------------------------------------------------------------------------------------------------------------
# s_ben_com_f: select= extracts, rows without a commune code, dtreffre as 2024-12 or 2024-12-31


def test_beneficiaires_extrait_select():
    bilan = importer_fichier(FICHIERS / "s_ben_com_f_select.csv")
    assert (bilan.dataset, bilan.periodes) == ("s_ben_com_f", ["2024-12"])
    assert bilan.variables == ["indfoy_rsa", "indfoy_ppa", "indmtt_rsa", "indmtt_ppa"]
    # The row without a commune code is left out and counted, never a refusal.
    assert bilan.ecartes == {"etranger": 1, "sans code commune": 1}
    assert bilan.lignes == 14 and bilan.crees == 4
    # Only the columns of the file: the others stay absent, never 0.
    assert valeurs("s_ben_com_f", "59122", "2024-12") == {
        "indfoy_rsa": 1705,
        "indmtt_rsa": 1101300,
        "indfoy_ppa": 2135,
        "indmtt_ppa": 472600,
    }
    assert valeurs("s_ben_com_f", "59001", "2024-12") == {
        "indfoy_rsa": None,
        "indmtt_rsa": None,
        "indfoy_ppa": 25,
        "indmtt_ppa": 5200,
    }
    assert not Observation.objects.filter(code__in=["", "99999", *LYON]).exists()
    resume = bilan.resume()
    assert "Lignes écartées : 2 (résidents à l'étranger (code 99999) : 1 ; sans code commune (allocataires non " in (
        "\n".join(resume)
    )


def test_beneficiaires_arrondissements_de_lyon_additionnes():
    bilan = importer_fichier(FICHIERS / "s_ben_com_f_select.csv")
    assert bilan.arrondissements == {"69123": 9}
    assert "Lignes d'arrondissements municipaux additionnées dans leur ville : Lyon (69123) : 9" in bilan.resume()
    lyon = Observation.objects.get(dataset="s_ben_com_f", code="69123", periode="2024-12")
    assert lyon.niveau == "commune" and lyon.annee == 2024
    # Households and amounts added; the 9th arrondissement's amount of prime d'activité is secret: Lyon's is
    # unknown, never the sum of the other eight.
    assert lyon.valeurs == {"indfoy_rsa": 12735, "indmtt_rsa": 7472700, "indfoy_ppa": 19735, "indmtt_ppa": None}


def test_beneficiaires_date_de_reference_complete(tmp_path):
    importer_fichier(FICHIERS / "s_ben_com_f_select.csv")
    jour = copie(tmp_path, "s_ben_com_f_select.csv", "jour.csv", lambda t: t.replace("2024-12;", "2024-12-31;"))
    bilan = importer_fichier(jour)
    assert bilan.periodes == ["2024-12"]
    assert (bilan.crees, bilan.modifies, bilan.inchanges) == (0, 0, 4)


def test_beneficiaires_la_ligne_de_la_ville_l_emporte(tmp_path):
    chemin = copie(
        tmp_path,
        "s_ben_com_f_select.csv",
        remplacer=lambda t: t + "2024-12;69123;LYON;12740;7472800;19730;1389900\n",
    )
    bilan = importer_fichier(chemin)
    assert valeurs("s_ben_com_f", "69123", "2024-12") == {
        "indfoy_rsa": 12740,
        "indmtt_rsa": 7472800,
        "indfoy_ppa": 19730,
        "indmtt_ppa": 1389900,
    }
    assert bilan.ecartes["arrondissement"] == 9 and bilan.arrondissements == {}


def test_beneficiaires_arrondissements_incomplets(tmp_path):
    def sans_le_9e(texte):
        return "".join(ligne for ligne in texte.splitlines(keepends=True) if ";69389;" not in ligne)

    bilan = importer_fichier(copie(tmp_path, "s_ben_com_f_select.csv", remplacer=sans_le_9e))
    assert not Observation.objects.filter(code="69123").exists()  # never a partial sum
    assert bilan.ecartes["arrondissement"] == 8 and bilan.crees == 3
    [avertissement] = [a for a in bilan.avertissements if "Lyon" in a]
    assert "Lyon (69123) : arrondissements municipaux incomplets" in avertissement
    assert "2024-12 : manque 69389 (1 sur 9)" in avertissement


def test_beneficiaires_commune_masquee(tmp_path):
    chemin = copie(tmp_path, "s_ben_com_f_select.csv", remplacer=lambda t: t.replace("2024-12;;;", "2024-12;59XXX;;"))
    bilan = importer_fichier(chemin)
    assert bilan.ecartes == {"etranger": 1, "non_localise": 1}


def test_beneficiaires_sans_colonne_de_valeurs(tmp_path):
    chemin = ecrire(tmp_path, "s_ben.csv", "dtreffre;numcomdo;nomcom;foyers\n2024-12;59122;CAMBRAI;1705\n")
    [erreur] = refuse(chemin)
    assert erreur.ligne == 1
    assert str(erreur).startswith(
        "s_ben.csv, ligne 1 : en-tête non reconnu comme s_ben_com_f : aucune colonne de valeurs connue (au moins une "
        "de : indfoy_ndur,"
    )
    assert "indmtt_*" in erreur.message


def test_beneficiaires_sans_code_commune_dans_l_entete(tmp_path):
    chemin = ecrire(tmp_path, "s_ben.csv", "dtreffre;nomcom;indfoy_rsa\n2024-12;CAMBRAI;1705\n")
    [erreur] = refuse(chemin)
    assert "en-tête non reconnu comme s_ben_com_f : colonne(s) manquante(s) numcomdo" in erreur.message


def test_beneficiaires_erreur_dans_un_arrondissement(tmp_path):
    chemin = copie(tmp_path, "s_ben_com_f_select.csv", remplacer=lambda t: t.replace(";2620;", ";2 620,5,1;"))
    [erreur] = refuse(chemin)
    assert (erreur.ligne, erreur.colonne, erreur.valeur) == (15, "indfoy_rsa", "2 620,5,1")


# ---------------------------------------------------------------------------------------------------------------
# Paris, Lyon, Marseille in the childcare files: places added, rates never averaged


def test_places_des_arrondissements_additionnees():
    bilan = importer_fichier(FICHIERS / "nbpla_pe_com.csv")
    assert bilan.arrondissements == {"69123": 9}
    assert valeurs("nbpla_pe", "69123", "2023") == {
        "pl_psu_col": 5400,
        "pl_hors_psu_col": 690,
        "pl_prescol": 140,
        "pl_am_ind": 2445,
        "pl_gad_ind": None,  # secret in the 4th arrondissement
        "tot_offre": 9415,
        "pl_eaje": 6090,
    }
    # Two arrondissements of Marseille's sixteen: no figure for Marseille.
    assert not Observation.objects.filter(code__in=["13055", "13201", "13202"]).exists()
    assert bilan.ecartes == {"arrondissement": 2}
    [marseille] = bilan.avertissements
    assert marseille.startswith("Marseille (13055) : arrondissements municipaux incomplets")
    assert "manque 13203, 13204, 13205, 13206, 13207 … (14 sur 16)" in marseille
    assert f"Attention : {marseille}" in bilan.resume()


TXCOUV_COM = (
    "annee;numcom;nomcom;numepci;nomepci;numdep;nomdep;txcouv_psu_col_com;txcouv_hors_psu_col_com;txcouv_eaje_com;"
    "txcouv_prescol_com;txcouv_am_ind_com;txcouv_gad_ind_com;txcouv_ind_com;txcouv_com"
)


def test_taux_des_arrondissements_jamais_moyennes(tmp_path):
    lignes = [TXCOUV_COM, "2023;59122;CAMBRAI;200068500;CA DE CAMBRAI;59;NORD;28.4;4.1;32.5;2.7;24.9;;25.6;60.8"]
    for i, code in enumerate(LYON):
        lignes.append(
            f"2023;{code};LYON {i + 1}E ARRONDISSEMENT;200046977;METROPOLE DE LYON;69;RHONE;"
            f"{40 + i}.1;6.2;{46 + i}.3;1.4;12.5;3.1;15.6;{63 + i}.3"
        )
    bilan = importer_fichier(ecrire(tmp_path, "txcouv_pe_com.csv", "\n".join(lignes) + "\n"))
    assert not Observation.objects.filter(code__in=["69123", *LYON]).exists()
    assert bilan.crees == 1 and bilan.ecartes == {"arrondissement": 9} and bilan.arrondissements == {}
    [avertissement] = bilan.avertissements
    assert avertissement.startswith("Lyon (69123), 2023 : pas de taux tiré des arrondissements (txcouv, txcouv_am_ind")
    assert "un taux ne s'additionne ni ne se moyenne" in avertissement


def test_taux_recalcule_quand_le_fichier_a_numerateur_et_denominateur(tmp_path):
    # No file of data.caf.fr carries them today: a file that gives the places and the children beside the rates.
    lignes = [TXCOUV_COM + ";pl_eaje_com;nb_enf_moins3_com"]
    places, enfants = [120, 95, 410, 130, 220, 330, 480, 515, 260], [300, 210, 950, 260, 580, 640, 1320, 1460, 690]
    for i, code in enumerate(LYON):
        lignes.append(
            f"2023;{code};LYON;200046977;METROPOLE DE LYON;69;RHONE;35.1;4.9;40.0;1.4;12.5;3.1;15.6;57.0;"
            f"{places[i]};{enfants[i]}"
        )
    bilan = importer_fichier(ecrire(tmp_path, "txcouv_pe_com.csv", "\n".join(lignes) + "\n"))
    lyon = valeurs("txcouv_pe", "69123", "2023")
    assert lyon == {"txcouv_eaje": round(100 * 2560 / 6410, 1), "pl_eaje": 2560, "nb_enf_moins3": 6410}
    assert lyon["txcouv_eaje"] == 39.9  # not the mean of the nine rates (40.0)
    assert bilan.arrondissements == {"69123": 9}
    [avertissement] = bilan.avertissements
    assert "txcouv_eaje" not in avertissement and "txcouv_psu_col" in avertissement


# ---------------------------------------------------------------------------------------------------------------
# Insee: IRIS files summed by commune, commune files with what they give


def test_insee_iris_additionnes_par_commune():
    bilan = importer_fichier(FICHIERS / "base-ic-evol-struct-pop-2020.csv")
    assert (bilan.dataset, bilan.jeu, bilan.niveau) == ("insee_pop", "insee_pop", "commune")
    assert bilan.periodes == ["2020"] and bilan.par_iris
    assert bilan.lignes == 14 and bilan.crees == 3
    assert bilan.colonnes_ignorees == ["TYP_IRIS", "LAB_IRIS"]
    cambrai = Observation.objects.get(dataset="insee_pop", code="59122", periode="2020")
    assert cambrai.annee == 2020
    # 98.4371425 + 110.4412 + 120.3989 = 329.28 → 329 (each IRIS rounded first would give 328).
    assert cambrai.valeurs["pop0002"] == 329
    assert cambrai.valeurs["pop"] == 8846  # 2745.41 + 3120.38 + 2980.45 = 8846.24 (8845 rounding each IRIS)
    assert all(isinstance(v, int) for v in cambrai.valeurs.values())
    assert len(cambrai.valeurs) == 72  # every P20_ and C20_ column
    assert {"pop15p_cs1", "pop_imm", "pmen", "phormen", "f65p"} <= set(cambrai.valeurs)
    abergement = valeurs("insee_pop", "01001", "2020")
    assert (abergement["pop"], abergement["pop0002"], abergement["phormen"]) == (806, 31, 0)
    assert "Fichier par IRIS : 14 IRIS regroupés en 3 commune(s)" in "\n".join(bilan.resume())


def test_insee_iris_arrondissements_de_lyon():
    bilan = importer_fichier(FICHIERS / "base-ic-evol-struct-pop-2020.csv")
    assert bilan.arrondissements == {"69123": 10}  # ten IRIS in nine arrondissements
    lyon = valeurs("insee_pop", "69123", "2020")
    # ten IRIS of 100.3 children: 1003, rounded once (1000 rounding each IRIS, 1001 each arrondissement)
    assert lyon["pop0002"] == 1003
    assert lyon["pop"] == 150004


def test_insee_iris_cellule_vide(tmp_path):
    chemin = copie(
        tmp_path,
        "base-ic-evol-struct-pop-2020.csv",
        remplacer=lambda t: t.replace("591220102;59122;H;1;3120.38;110.4412;", "591220102;59122;H;1;3120.38;;"),
        encodage="utf-8",
    )
    importer_fichier(chemin)
    cambrai = valeurs("insee_pop", "59122", "2020")
    assert cambrai["pop0002"] is None and cambrai["pop"] == 8846


def test_insee_iris_en_double(tmp_path):
    def doubler(texte):
        lignes = texte.splitlines(keepends=True)
        return "".join([*lignes, lignes[3]])

    [erreur] = refuse(copie(tmp_path, "base-ic-evol-struct-pop-2020.csv", remplacer=doubler, encodage="utf-8"))
    assert (erreur.ligne, erreur.colonne, erreur.valeur) == (16, "IRIS", "591220102")
    assert erreur.message == "IRIS en double (déjà en ligne 4)"


def test_insee_iris_valeur_illisible(tmp_path):
    chemin = copie(
        tmp_path,
        "base-ic-evol-struct-pop-2020.csv",
        remplacer=lambda t: t.replace(";2980.45;120.3989;", ";2980,45,1;120.3989;"),
        encodage="utf-8",
    )
    [erreur] = refuse(chemin)
    assert str(erreur) == (
        "base-ic-evol-struct-pop-2020.csv, ligne 5, colonne « P20_POP » : valeur non numérique : « 2980,45,1 »"
    )


def test_insee_communes_tranches_larges_et_ville_de_paris():
    bilan = importer_fichier(FICHIERS / "base-cc-evol-struct-pop-2021-arm.csv")
    assert (bilan.dataset, bilan.encodage) == ("insee_pop", "Latin-1 (ISO-8859-1)")
    assert bilan.periodes == ["2015", "2021"]
    neuville = valeurs("insee_pop", "59428", "2021")
    assert "pop0002" not in neuville  # absent from the file: absent, not an error
    assert neuville["pop0014"] == pytest.approx(830.7419) and neuville["pop"] == 4012
    assert valeurs("insee_pop", "59428", "2015") == {"pop": 3941, "pop0014": pytest.approx(801.1174)}
    # The file has Paris itself: its row wins, the rows of its arrondissements are left out.
    assert valeurs("insee_pop", "75056", "2021")["pop"] == 2133111
    assert bilan.ecartes == {"arrondissement": 2} and bilan.arrondissements == {}
    assert not Observation.objects.filter(code__startswith="751").exists()


# ---------------------------------------------------------------------------------------------------------------
# Bas_revenu_Com: every vintage


def test_bas_revenu_2014():
    bilan = importer_fichier(FICHIERS / "BasrevenuCom2014.csv")
    assert (bilan.dataset, bilan.periodes) == ("bas_revenu", ["2014"])
    assert bilan.ecartes == {"etranger": 1, "non_localise": 1}
    assert bilan.crees == 3 and bilan.cellules_secretes == 2
    assert valeurs("bas_revenu", "59122", "2014") == {
        "nb_allocataires_ress": 5480,
        "nb_pers_couv_ress": 13270,
        "all_bas_revenu": 2395,
        "pers_bas_revenu": 6240,
    }
    # The secret is a single space: absent value, never 0.
    abancourt = valeurs("bas_revenu", "59001", "2014")
    assert abancourt == {
        "nb_allocataires_ress": 68,
        "nb_pers_couv_ress": 210,
        "all_bas_revenu": None,
        "pers_bas_revenu": None,
    }


def test_bas_revenu_2009_nb_allocataires():
    bilan = importer_fichier(FICHIERS / "BasrevenuCom2009.csv")
    assert bilan.periodes == ["2009"] and bilan.ecartes == {"etranger": 1}
    assert valeurs("bas_revenu", "59122", "2009") == {
        "nb_allocataires_ress": 5315,
        "nb_pers_couv_ress": 12915,
        "all_bas_revenu": 2205,
        "pers_bas_revenu": 5830,
    }


@pytest.mark.parametrize(
    ("nom", "annee"),
    [("Bas_revenu_Com_2016.csv", "2016"), ("BasrevenuCom2011.csv", "2011"), ("bas_revenu_com_2019 (1).csv", "2019")],
)
def test_bas_revenu_millesime_du_nom_quelle_que_soit_l_ecriture(tmp_path, nom, annee):
    assert importer_fichier(copie(tmp_path, "BasrevenuCom2014.csv", nom)).periodes == [annee]


def test_bas_revenu_millesime_impose(tmp_path):
    assert importer_fichier(FICHIERS / "BasrevenuCom2014.csv", millesime=2015).periodes == ["2015"]


@pytest.mark.parametrize(
    "entete",
    [
        "Communes;Code_Insee;NB_allocataires_ress;NB_pers_couv_ress;ALL_bas_revenu;Pers_bas_revenu",
        "LIBGEO;CODGEO;NB_allocataires_ress;NB_pers_couv_ress;ALL_bas_revenu;Pers_bas_revenu",
        "COMMUNES;CODES_INSEE;NB_ALLOCATAIRES_RESS;NB_PERS_COUV_RESS;ALL_BAS_REVENU;PERS_BAS_REVENU",
        "communes;codes_insee;nb_allocataires_ress;nb_pers_couv_ress;all_bas_revenu;pers_bas_revenu",
    ],
)
def test_bas_revenu_ecritures_de_l_entete(tmp_path, entete):
    def remplacer(texte):  # read with universal newlines: written back with "\n"
        return entete + "\n" + texte.split("\n", 1)[1]

    bilan = importer_fichier(copie(tmp_path, "BasrevenuCom2014.csv", remplacer=remplacer, encodage="cp1252"))
    assert bilan.dataset == "bas_revenu" and not bilan.par_libelles
    assert valeurs("bas_revenu", "59122", "2014")["all_bas_revenu"] == 2395


def test_bas_revenu_sans_colonne_de_valeurs(tmp_path):
    chemin = ecrire(tmp_path, "Bas_revenu_Com_2016.csv", "Communes;Codes_Insee;Allocataires\nCAMBRAI;59122;5480\n")
    [erreur] = refuse(chemin)
    assert "en-tête non reconnu comme bas_revenu : aucune colonne de valeurs connue" in erreur.message


# ---------------------------------------------------------------------------------------------------------------
# The signal, once the import is committed


@pytest.fixture
def recus():
    bilans = []

    def recepteur(sender, bilan, **kwargs):
        bilans.append((bilan, bilan.fichier_id, Fichier.objects.filter(pk=bilan.fichier_id).exists()))

    observations_importees.connect(recepteur)
    yield bilans
    observations_importees.disconnect(recepteur)


def test_signal_apres_l_import(recus, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as rappels:
        bilan = importer_fichier(FICHIERS / "s_ben_com_f_select.csv")
        assert recus == []  # not before the commit
    assert len(rappels) == 1
    assert recus == [(bilan, bilan.fichier_id, True)] and bilan.fichier_id is not None
    assert bilan.crees == 4


def test_pas_de_signal_sans_import(recus, django_capture_on_commit_callbacks, tmp_path):
    with django_capture_on_commit_callbacks(execute=True) as rappels:
        importer_fichier(FICHIERS / "nbpla_pe_com.csv", simulation=True)
        with pytest.raises(ErreurImport):
            importer_fichier(ecrire(tmp_path, "vide.csv", "dtreffre;numcomdo;indfoy_rsa\n"))
    assert rappels == [] and recus == []
    importer_fichier(FICHIERS / "nbpla_pe_com.csv")
    with django_capture_on_commit_callbacks(execute=True) as rappels:
        assert importer_fichier(FICHIERS / "nbpla_pe_com.csv").deja_importe
    assert rappels == [] and recus == []

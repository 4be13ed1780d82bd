"""Recognition of the formats from the header alone (no database)."""

import csv
from pathlib import Path

import pytest

from ctg.donnees.formats import FORMATS, normaliser
from ctg.donnees.importation import decoder, nombre, periode_annee, periode_mois, separateur
from ctg.donnees.jeux import JEUX
from ctg.donnees.reconnaissance import EnteteNonReconnue, annee_du_nom, reconnaitre

FICHIERS = Path(__file__).parent / "fichiers"


def entete(nom: str) -> list[str]:
    texte, _encodage = decoder((FICHIERS / nom).read_bytes())
    premiere = texte.splitlines()[0]
    return next(csv.reader([premiere], delimiter=separateur(premiere)))


@pytest.mark.parametrize(
    ("nom", "dataset", "niveau"),
    [
        ("txcouv_pe_com.csv", "txcouv_pe_com", "commune"),
        ("txcouv_pe_epci.csv", "txcouv_pe_epci", "epci"),
        ("txcouv_pe_dep.csv", "txcouv_pe_dep", "departement"),
        ("txcouv_pe_nat.csv", "txcouv_pe_nat", "france"),
        ("nbpla_pe_epci.csv", "nbpla_pe_epci", "epci"),
        ("s_ben_com_f.csv", "s_ben_com_f", "commune"),
        ("txcouv_pe_epci_libelles.csv", "txcouv_pe_epci", "epci"),
        ("Bas_revenu_Com_2019.csv", "bas_revenu", "commune"),
        ("base-cc-evol-struct-pop-2021.csv", "insee_pop", "commune"),
        ("base-cc-coupl-fam-men-2021.csv", "insee_fam", "commune"),
        ("iris_pop.csv", "iris_pop", "commune"),
        ("nbpla_pe_com.csv", "nbpla_pe_com", "commune"),
        ("s_ben_com_f_select.csv", "s_ben_com_f", "commune"),
        ("BasrevenuCom2014.csv", "bas_revenu", "commune"),
        ("BasrevenuCom2009.csv", "bas_revenu", "commune"),
        ("base-ic-evol-struct-pop-2020.csv", "insee_pop", "commune"),
        ("base-cc-evol-struct-pop-2021-arm.csv", "insee_pop", "commune"),
    ],
)
def test_chaque_format_est_reconnu_par_son_entete(nom, dataset, niveau):
    plan = reconnaitre(entete(nom))
    assert (plan.dataset, plan.format.niveau) == (dataset, niveau)
    # Every variable of jeux.py the format carries is read, under its jeux.py name.
    attendues = set(JEUX[plan.format.jeu].variables)
    if plan.format.jeu.startswith("insee"):
        assert {v for v in plan.variables if v in attendues} == {v for v in attendues if v in plan.variables}
    elif nom == "s_ben_com_f_select.csv":  # an extract: the variables it has
        assert plan.variables == ["indfoy_rsa", "indfoy_ppa", "indmtt_rsa", "indmtt_ppa"]
    else:
        assert attendues <= set(plan.variables)


def test_fichier_insee_par_iris():
    plan = reconnaitre(entete("base-ic-evol-struct-pop-2020.csv"))
    assert (plan.index_iris, plan.index_code) == (0, 1)
    [(periode, colonnes)] = plan.groupes
    assert periode == "2020" and len(colonnes) == 72
    assert plan.variables[:3] == ["pop", "pop0002", "pop0305"]
    assert plan.colonnes_ignorees == ["TYP_IRIS", "LAB_IRIS"]
    # The commune file has no IRIS column.
    assert reconnaitre(entete("base-cc-evol-struct-pop-2021-arm.csv")).index_iris is None


def test_bas_revenu_toutes_les_ecritures():
    plan = reconnaitre(entete("BasrevenuCom2009.csv"))
    assert [(v, c) for _i, v, c in plan.groupes[0][1]] == [
        ("nb_allocataires_ress", "NB_allocataires"),
        ("nb_pers_couv_ress", "NB_pers_couv_ress"),
        ("all_bas_revenu", "ALL_bas_revenu"),
        ("pers_bas_revenu", "Pers_bas_revenu"),
    ]
    for code in ("Codes_Insee", "Code_Insee", "CODGEO", "codes_insee"):
        plan = reconnaitre(["Communes", code, "ALL_bas_revenu", "Pers_bas_revenu"])
        assert plan.dataset == "bas_revenu" and plan.index_code == 1 and not plan.par_libelles
        assert plan.variables == ["all_bas_revenu", "pers_bas_revenu"]
    with pytest.raises(EnteteNonReconnue, match="colonne en double"):
        reconnaitre(["Codes_Insee", "NB_allocataires", "NB_allocataires_ress"])


def test_extrait_de_beneficiaires_sans_valeur_connue():
    with pytest.raises(EnteteNonReconnue) as exc:
        reconnaitre(["dtreffre", "numcomdo", "nomcom"])
    assert "aucune colonne de valeurs connue" in str(exc.value)
    # Another column of the same family is a value column.
    assert reconnaitre(["dtreffre", "numcomdo", "indfoy_aah"]).variables == ["indfoy_aah"]


def test_le_nom_du_fichier_ne_decide_pas_du_format(tmp_path):
    # An EPCI file saved under a misleading name is still an EPCI file.
    assert reconnaitre(entete("txcouv_pe_epci.csv")).dataset == "txcouv_pe_epci"


def test_noms_des_variables_sans_suffixe_de_niveau_ni_prefixe_de_millesime():
    plan = reconnaitre(entete("txcouv_pe_com.csv"))
    assert plan.variables == [
        "txcouv_psu_col",
        "txcouv_hors_psu_col",
        "txcouv_eaje",
        "txcouv_prescol",
        "txcouv_am_ind",
        "txcouv_gad_ind",
        "txcouv_ind",
        "txcouv",
    ]
    assert plan.colonnes_ignorees == ["nomcom", "numepci", "nomepci", "numdep", "nomdep"]
    nbpla = reconnaitre(entete("nbpla_pe_epci.csv"))
    assert nbpla.variables[:6] == [
        "pl_psu_col",
        "pl_hors_psu_col",
        "pl_prescol",
        "pl_am_ind",
        "pl_gad_ind",
        "tot_offre",
    ]
    assert "pl_eaje" in nbpla.variables  # a further value column of the file is kept, without its suffix
    insee = reconnaitre(entete("base-cc-evol-struct-pop-2021.csv"))
    assert insee.groupes[0][0] == "2021"
    assert insee.variables[:6] == ["pop", "pop0002", "pop0305", "pop0610", "pop1117", "pop1824"]
    assert insee.colonnes_ignorees == ["LIBGEO"]
    fam = reconnaitre(entete("base-cc-coupl-fam-men-2021.csv"))
    assert {"men", "fam", "fammono", "coupaenf", "ne24f0", "ne24f4p"} <= set(fam.variables)


def test_export_avec_libelles():
    plan = reconnaitre(entete("txcouv_pe_epci_libelles.csv"))
    assert plan.par_libelles
    assert plan.variables[-1] == "txcouv"
    assert "Nom EPCI" in plan.colonnes_ignorees


def test_libelles_d_une_commune_donnent_le_niveau_le_plus_fin():
    cellules = [
        "Date référence",
        "Numéro commune",
        "Nom commune",
        "Numéro EPCI",
        "Numéro Département",
        "Taux de couv EAJE PSU",
        "Taux de couv hors EAJE PSU",
        "Taux de couv EAJE - ensemble",
        "Taux de couv préscolarisation",
        "Taux de couv assistantes maternelles",
        "Taux de couv salariée à domicile",
        "Taux de couv accueil individuel - ensemble",
        "Taux de couv global",
    ]
    assert reconnaitre(cellules).dataset == "txcouv_pe_com"
    sans_code = [c for c in cellules if not c.startswith(("Numéro", "Nom"))]
    assert reconnaitre(sans_code).dataset == "txcouv_pe_nat"


def test_normalisation():
    assert normaliser("\ufeffTaux de couv. EAJE – ensemble") == "taux couverture eaje ensemble"
    assert normaliser("TAUX DE COUVERTURE EAJE ENSEMBLE") == "taux couverture eaje ensemble"
    assert normaliser("Date de référence") == normaliser("date  reference")
    assert normaliser("Taux de couv assistantes maternelles") == normaliser("Taux de couv assistante maternelle")


def test_entete_inconnu_propose_les_colonnes_proches():
    cellules = entete("txcouv_pe_epci_libelles.csv")
    cellules[-1] = "Taux de couv glob"
    with pytest.raises(EnteteNonReconnue) as exc:
        reconnaitre(cellules)
    messages = [m for _c, m in exc.value.problemes]
    assert any("colonne(s) manquante(s) txcouv_epci" in m for m in messages)
    inconnues = [(c, m) for c, m in exc.value.problemes if c]
    assert len(inconnues) == 1  # "Nom EPCI" and the other identification columns are not reported
    colonne, message = inconnues[0]
    assert colonne == "Taux de couv glob"
    assert message.startswith("colonne inconnue ; proche de : « Taux de couv global (txcouv_epci) »")


def test_entete_totalement_inconnu():
    with pytest.raises(EnteteNonReconnue) as exc:
        reconnaitre(["nom", "prenom", "age"])
    assert "en-tête non reconnu" in str(exc.value)
    assert "txcouv_pe_com" in str(exc.value)  # the known formats are listed


def test_dataset_impose():
    # --dataset restricts the formats; a dataset id of jeux.py allows its levels; _hist is the same format.
    assert reconnaitre(entete("txcouv_pe_epci.csv"), dataset="txcouv_pe").dataset == "txcouv_pe_epci"
    assert reconnaitre(entete("txcouv_pe_epci.csv"), dataset="txcouv_pe_epci_hist").dataset == "txcouv_pe_epci_hist"
    with pytest.raises(EnteteNonReconnue, match="manquante"):
        reconnaitre(entete("txcouv_pe_epci.csv"), dataset="nbpla_pe_epci")
    with pytest.raises(EnteteNonReconnue, match="inconnu"):
        reconnaitre(entete("txcouv_pe_epci.csv"), dataset="n_existe_pas")
    # An Insee file with both population and family columns: the dataset chooses.
    fam = entete("base-cc-coupl-fam-men-2021.csv")
    assert reconnaitre(fam, dataset="insee_pop").dataset == "insee_pop"


def test_insee_plusieurs_millesimes_et_prefixes():
    plan = reconnaitre(["CODGEO", "P21_POP", "P15_POP", "D99_POP", "P21_MEN", "C21_MEN", "LIBGEO"], dataset="insee_fam")
    periodes = {periode: [v for _i, v, _c in colonnes] for periode, colonnes in plan.groupes}
    assert periodes == {"2021": ["pop", "men"], "2015": ["pop"], "1999": ["pop"]}
    colonne_men = [c for _i, v, c in plan.groupes[0][1] if v == "men"]
    assert colonne_men == ["C21_MEN"]  # insee_fam prefers the complementary exploitation
    assert "P21_MEN" in plan.colonnes_ignorees


def test_tous_les_formats_ont_un_jeu():
    assert {f.jeu for f in FORMATS.values()} == set(JEUX)


def test_nombres():
    assert nombre("12") == 12 and isinstance(nombre("12"), int)
    assert nombre("12,5") == 12.5
    assert nombre("12.5") == 12.5
    assert nombre("1 234,5") == 1234.5
    assert nombre("1\u202f234") == 1234
    assert nombre("-3") == -3
    for mauvais in ("abc", "1,2,3", "1.234,5", "nan", "inf", "1_000", "12 %", "٣"):
        with pytest.raises(ValueError):
            nombre(mauvais)


def test_periodes():
    assert periode_annee("2023") == ("2023", 2023)
    assert periode_annee("2023-01-01") == ("2023", 2023)
    assert periode_mois("2022-12-31") == ("2022-12", 2022)
    assert periode_mois("31/12/2022") == ("2022-12", 2022)
    assert periode_mois("202212") == ("2022-12", 2022)
    assert periode_mois("2024-12") == ("2024-12", 2024)  # data.caf.fr exports with the month only
    for mauvais in ("2022-02-30", "2022-13-01", "31/02/2022"):
        with pytest.raises(ValueError, match="impossible"):
            periode_mois(mauvais)
    with pytest.raises(ValueError):
        periode_annee("vingt")


def test_encodages():
    assert decoder("\ufeffa;b".encode())[1] == "UTF-8 avec BOM"
    assert decoder("é;b".encode())[1] == "UTF-8"
    assert decoder("é;b".encode("latin-1")) == ("é;b", "Latin-1 (ISO-8859-1)")
    assert decoder("œ;€".encode("cp1252")) == ("œ;€", "Windows-1252")
    with pytest.raises(ValueError, match="UTF-16"):
        decoder("a;b".encode("utf-16"))


def test_millesime_du_nom():
    assert annee_du_nom("Bas_revenu_Com_2019.csv") == 2019
    assert annee_du_nom("bas_revenu.csv") is None
    assert annee_du_nom("BasrevenuCom2014.csv") == 2014
    assert annee_du_nom("Bas_revenu_Com_2016 (1).csv") == 2016


def test_libelles_de_valeurs_inconnus_proposent_les_proches_de_tous_les_formats():
    # Identification labels alone (common to several formats) do not make a "closest" format.
    with pytest.raises(EnteteNonReconnue) as exc:
        reconnaitre(["Date référence", "Numéro commune", "Nom commune", "Nb foyer allocataire RSA", "Personnes couv"])
    problemes = dict(exc.value.problemes)
    assert problemes[None].startswith("en-tête non reconnu (colonnes lues : Date référence, Numéro commune")
    assert "« Nb foyers RSA (indfoy_rsa) »" in problemes["Nb foyer allocataire RSA"]
    assert "indnbp_ndur" in problemes["Personnes couv"]

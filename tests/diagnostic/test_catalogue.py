from ctg.conventions.models import Domaine
from ctg.diagnostic.catalogue import CATALOGUE, INDICATEURS, TERRITOIRES, Agregation, indicateur, par_domaine
from ctg.donnees.jeux import JEUX

ATTENDUS = {
    "population_municipale",
    "enfants_0_2",
    "enfants_3_5",
    "enfants_6_10",
    "jeunes_11_17",
    "population_0_19",
    "foyers_allocataires",
    "personnes_couvertes",
    "taux_couverture_population",
    "foyers_af",
    "part_foyers_af",
    "foyers_paje",
    "part_foyers_paje",
    "foyers_cmg",
    "part_foyers_cmg",
    "foyers_aide_logement",
    "part_foyers_aide_logement",
    "foyers_rsa",
    "part_foyers_rsa",
    "foyers_ppa",
    "part_foyers_ppa",
    "allocataires_bas_revenus",
    "part_allocataires_bas_revenus",
    "taux_couverture_global",
    "taux_couverture_psu",
    "taux_couverture_hors_psu",
    "taux_couverture_prescolarisation",
    "taux_couverture_assmat",
    "taux_couverture_garde_domicile",
    "places_psu",
    "places_hors_psu",
    "places_prescolarisation",
    "places_assmat",
    "places_garde_domicile",
    "places_total",
    "familles_monoparentales",
    "part_familles_monoparentales",
    "nombre_communes",
    "sppe_communes_moins_3500",
    "sppe_communes_3500_10000",
    "sppe_communes_plus_10000",
    "places_manquantes_taux_departement",
    "places_manquantes_taux_france",
}


def test_le_catalogue_couvre_le_minimum_demande():
    assert ATTENDUS <= set(INDICATEURS)


def test_sources_et_variables_respectent_le_contrat_des_jeux():
    for ind in CATALOGUE:
        assert ind.domaine in Domaine.values
        assert ind.libelle and ind.definition and ind.formule and ind.unite
        for source in ind.sources:
            assert source == TERRITOIRES or source in JEUX
        for terme in (ind.officiel, ind.numerateur, ind.denominateur):
            if terme is not None and terme.dataset != TERRITOIRES:
                assert set(terme.variables) <= set(JEUX[terme.dataset].variables), ind.code


def test_taux_de_couverture_petite_enfance():
    for code in ("global", "psu", "hors_psu", "prescolarisation", "assmat", "garde_domicile"):
        ind = indicateur(f"taux_couverture_{code}")
        assert ind.agregation == Agregation.OFFICIEL_OU_RATIO
        assert ind.sources == ("txcouv_pe", "nbpla_pe", "insee_pop")
        assert ind.denominateur.variables == ("pop0002",)
        assert ind.unite == "places pour 100 enfants"


def test_taux_de_couverture_de_la_population_dit_que_les_millesimes_different():
    ind = indicateur("taux_couverture_population")
    assert ind.agregation == Agregation.RATIO
    assert ind.sources == ("s_ben_com_f", TERRITOIRES)
    assert "millésimes diffèrent" in ind.definition


def test_regroupement_par_domaine_dans_l_ordre_des_domaines():
    groupes = par_domaine()
    assert list(groupes)[0] == Domaine.PETITE_ENFANCE
    assert sum(len(v) for v in groupes.values()) == len(CATALOGUE)
    assert indicateur("part_familles_monoparentales") in groupes[Domaine.PARENTALITE]

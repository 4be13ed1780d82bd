"""Indicators of population: inhabitants, children, households (Insee census, Code officiel géographique)."""

from .definitions import DROITS, ENF, ENFANTS_0_2, JEU, PE, POPULATION, Agregation, Indicateur, terme


def indicateurs() -> list[Indicateur]:
    return [
        Indicateur(
            "population_municipale",
            "Population municipale",
            DROITS,
            "Population municipale du Code officiel géographique (millésime de population 2023 pour le COG "
            "importé) : personnes ayant leur résidence habituelle sur le territoire de la commune.",
            "somme des populations municipales des communes",
            "habitants",
            Agregation.SOMME,
            numerateur=POPULATION,
            contexte=True,
        ),
        Indicateur(
            "enfants_0_2",
            "Enfants de moins de 3 ans",
            PE,
            "Enfants de 0 à 2 ans révolus au recensement de la population (Insee) : le public de l'accueil du "
            "jeune enfant et le dénominateur du taux de couverture en modes d'accueil.",
            "somme des enfants de 0 à 2 ans des communes",
            "enfants",
            Agregation.SOMME,
            numerateur=ENFANTS_0_2,
            contexte=True,
        ),
        Indicateur(
            "enfants_3_5",
            "Enfants de 3 à 5 ans",
            ENF,
            "Enfants de 3 à 5 ans révolus au recensement de la population (Insee) : âge de l'école maternelle et "
            "des accueils de loisirs maternels.",
            "somme des enfants de 3 à 5 ans des communes",
            "enfants",
            Agregation.SOMME,
            numerateur=terme("insee_pop", "pop0305"),
            contexte=True,
        ),
        Indicateur(
            "enfants_6_10",
            "Enfants de 6 à 10 ans",
            ENF,
            "Enfants de 6 à 10 ans révolus au recensement de la population (Insee) : âge de l'école élémentaire, "
            "public des accueils de loisirs et du périscolaire.",
            "somme des enfants de 6 à 10 ans des communes",
            "enfants",
            Agregation.SOMME,
            numerateur=terme("insee_pop", "pop0610"),
            contexte=True,
        ),
        Indicateur(
            "jeunes_11_17",
            "Jeunes de 11 à 17 ans",
            JEU,
            "Jeunes de 11 à 17 ans révolus au recensement de la population (Insee) : public des politiques "
            "jeunesse (accueils de jeunes, promeneurs du net, projets de jeunes).",
            "somme des jeunes de 11 à 17 ans des communes",
            "jeunes",
            Agregation.SOMME,
            numerateur=terme("insee_pop", "pop1117"),
            contexte=True,
        ),
        Indicateur(
            "population_0_19",
            "Population de 0 à 19 ans",
            ENF,
            "Habitants de moins de 20 ans au recensement 2021, agrégés des IRIS aux communes.",
            "somme des habitants de 0 à 19 ans des communes",
            "habitants",
            Agregation.SOMME,
            numerateur=terme("iris_pop", "pop_0_19"),
            contexte=True,
        ),
        Indicateur(
            "part_0_19",
            "Part des moins de 20 ans dans la population",
            ENF,
            "Habitants de moins de 20 ans rapportés à la population du même recensement (2021, par IRIS).",
            "Σ population de 0 à 19 ans ÷ Σ population × 100",
            "%",
            Agregation.RATIO,
            numerateur=terme("iris_pop", "pop_0_19"),
            denominateur=terme("iris_pop", "pop"),
            facteur=100,
            decimales=1,
            contexte=True,
        ),
    ]

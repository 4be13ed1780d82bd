"""Indicators of families: composition of the allocataire households (data.caf.fr)."""

from .definitions import PAR, Agregation, Indicateur, terme


def indicateurs() -> list[Indicateur]:
    return [
        Indicateur(
            "familles_monoparentales",
            "Familles monoparentales",
            PAR,
            "Familles composées d'un parent sans conjoint et d'au moins un enfant, au recensement (Insee).",
            "somme des familles monoparentales des communes",
            "familles",
            Agregation.SOMME,
            numerateur=terme("insee_fam", "fammono"),
        ),
        Indicateur(
            "part_familles_monoparentales",
            "Part des familles monoparentales",
            PAR,
            "Familles monoparentales rapportées à l'ensemble des familles, au recensement (Insee).",
            "Σ familles monoparentales ÷ Σ familles × 100",
            "%",
            Agregation.RATIO,
            numerateur=terme("insee_fam", "fammono"),
            denominateur=terme("insee_fam", "fam"),
            facteur=100,
            decimales=1,
        ),
    ]

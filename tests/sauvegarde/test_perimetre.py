"""Every model a convention owns is saved or left out with its reason: a model added with a foreign key to a
convention (or to anything a convention owns) makes this test fail until it is one or the other."""

from django.apps import apps

from ctg.sauvegarde import perimetre

# What a convention refers to without owning it: written by a natural reference, never saved as its own.
REFERENCES = {perimetre.COMPTE, perimetre.ORGANISATION, *perimetre.TERRITOIRES}


def lies_a_une_convention() -> set[str]:
    """Every model with a path of foreign keys, nullable or not, to a convention (through anything but the
    references)."""
    tous = apps.get_models(include_auto_created=True)
    lies = {perimetre.RACINE}
    change = True
    while change:
        change = False
        for modele in tous:
            cles = [f.related_model._meta.label for f in modele._meta.concrete_fields if f.is_relation]
            if modele._meta.label not in lies and lies & set(cles):
                lies.add(modele._meta.label)
                change = True
    return lies - REFERENCES


def test_chaque_modele_d_une_convention_est_sauvegarde_ou_ecarte_avec_sa_raison():
    sauvegardes = {m._meta.label for m in perimetre.modeles_sauvegardes()}
    ecartes = {m._meta.label for m in apps.get_models(include_auto_created=True) if perimetre.exclu(m)}
    assert not sauvegardes & ecartes
    assert lies_a_une_convention() - sauvegardes - ecartes == set()
    assert all(len(raison) > 40 for raison in perimetre.HORS_PERIMETRE.values())
    # the history and the tables of many-to-many relations come with their model
    assert {"plan.HistoricalFicheAction", "plan.FicheAction_objectifs", "plan.HistoricalFicheAction_objectifs"} <= (
        sauvegardes
    )


def test_chaque_reference_d_un_modele_sauvegarde_a_sa_regle():
    assert perimetre.references_non_couvertes() == []

"""Indicators defined once for the convention and followed by several fiches, each with its own targets: the same
description is one definition; changing it from a fiche changes it for that fiche only when others follow it."""

from datetime import date

import pytest

from ctg.plan import definitions, presentation
from ctg.plan.cycle import ChangementImpossible
from ctg.plan.models import DefinitionIndicateur, IndicateurAction
from ctg.plan.regles import fiches_suivies
from tests.plan.fabriques import creer_indicateur

from .conftest import fiche_de_test

pytestmark = pytest.mark.django_db
FIN = date(2026, 12, 31)


def test_une_definition_suivie_par_deux_fiches_chacune_avec_ses_cibles(convention):
    creche, relais = fiche_de_test(convention, "Micro-crèche"), fiche_de_test(convention, "Relais")
    a = creer_indicateur(fiche=creche, libelle="Places", unite="places", valeur_initiale=0, cible=12, date_cible=FIN)
    b = creer_indicateur(fiche=relais, libelle=" Places ", unite="places", valeur_initiale=5, cible=40, date_cible=FIN)
    assert a.definition == b.definition and DefinitionIndicateur.objects.count() == 1
    assert list(a.definition.suivis.order_by("cible").values_list("fiche__titre", "cible")) == [
        ("Micro-crèche", 12),
        ("Relais", 40),
    ]
    # the pages read the wording through the definition, each fiche its own target
    suivis = fiches_suivies(convention, date(2025, 1, 1))
    assert [(s.mesures[0].definition.libelle, s.mesures[0].indicateur.cible) for s in suivis] == [
        ("Places", 12),
        ("Places", 40),
    ]
    # the fiche's page names the other fiches following it
    presentation.autres_fiches(suivis[0])
    assert suivis[0].mesures[0].autres_fiches == [b]


def test_un_indicateur_du_catalogue_recoit_son_unite_et_ses_sources(convention):
    definition = definitions.definition(convention, libelle="Offre", indicateur_catalogue="places_total")
    assert (definition.unite, definition.source) == ("places", "données ouvertes : nbpla_pe")
    assert definition.lie
    with pytest.raises(ChangementImpossible, match="Nommez"):
        definitions.definition(convention, libelle="  ")


def test_changer_la_description_depuis_une_fiche(convention):
    creche, relais = fiche_de_test(convention, "Micro-crèche"), fiche_de_test(convention, "Relais")
    seul = creer_indicateur(fiche=creche, libelle="Enfants", valeur_initiale=0, cible=12, date_cible=FIN)
    definition = seul.definition
    # followed by this fiche alone: the definition itself changes
    assert definitions.definir(seul, champs={"libelle": "Enfants accueillis"}) == definition
    definition.refresh_from_db()
    assert definition.libelle == "Enfants accueillis"
    seul.save()
    # followed by another fiche too: the other keeps it, this fiche follows the new description
    autre = IndicateurAction.objects.create(fiche=relais, definition=definition, cible=3, date_cible=FIN)
    nouvelle = definitions.definir(seul, champs={"libelle": "Enfants inscrits"})
    seul.save()
    definition.refresh_from_db()
    assert (definition.libelle, nouvelle.libelle) == ("Enfants accueillis", "Enfants inscrits")
    assert IndicateurAction.objects.get(pk=autre.pk).definition == definition
    # a fiche follows a definition once
    double = IndicateurAction(fiche=creche, cible=1, date_cible=FIN)
    with pytest.raises(ChangementImpossible, match="suit déjà"):
        definitions.definir(double, choisie=nouvelle)
    # choosing an indicator already defined: the other fiche follows it, with its own target
    assert definitions.definir(IndicateurAction(fiche=relais, cible=1, date_cible=FIN), choisie=nouvelle) == nouvelle


def test_une_definition_d_une_autre_convention_est_refusee(convention):
    from ctg.conventions.models import Convention

    fiche = fiche_de_test(convention)
    ailleurs = DefinitionIndicateur(convention=Convention(pk=convention.pk + 1000), libelle="Autre")
    with pytest.raises(ChangementImpossible, match="pas défini dans cette convention"):
        definitions.definir(IndicateurAction(fiche=fiche, cible=1, date_cible=FIN), choisie=ailleurs)

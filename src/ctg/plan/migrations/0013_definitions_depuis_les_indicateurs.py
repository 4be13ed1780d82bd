"""One definition per distinct wording, unit, source, catalogue key and territory of a convention's indicators;
each indicator follows its own (two fiches measuring the same thing follow one definition, each keeping its
baseline and targets). A version in an indicator's history follows the definition of its description when the
convention has one, otherwise that of its indicator. Back: each indicator (and version) gets its definition's
fields again; the definitions go with 0012."""

from django.db import migrations

CHAMPS = ("libelle", "unite", "source", "indicateur_catalogue", "territoire")


def definitions(apps, schema_editor):
    IndicateurAction = apps.get_model("plan", "IndicateurAction")
    Historique = apps.get_model("plan", "HistoricalIndicateurAction")
    Definition = apps.get_model("plan", "DefinitionIndicateur")
    conventions = dict(apps.get_model("plan", "FicheAction").objects.values_list("pk", "convention_id"))
    par_description = {}
    par_indicateur = {}
    for ind in IndicateurAction.objects.order_by("pk"):
        cle = (conventions[ind.fiche_id], *(getattr(ind, c) for c in CHAMPS))
        if cle not in par_description:
            par_description[cle] = Definition.objects.create(
                convention_id=cle[0], **{c: getattr(ind, c) for c in CHAMPS}
            ).pk
        ind.definition_id = par_description[cle]
        ind.save(update_fields=["definition"])
        par_indicateur[ind.pk] = ind.definition_id
    for version in Historique.objects.filter(definition__isnull=True).order_by("history_id"):
        cle = (conventions.get(version.fiche_id), *(getattr(version, c) for c in CHAMPS))
        version.definition_id = par_description.get(cle, par_indicateur.get(version.id))
        if version.definition_id is not None:
            version.save(update_fields=["definition"])


def champs_depuis_les_definitions(apps, schema_editor):
    Definition = apps.get_model("plan", "DefinitionIndicateur")
    champs = {d.pk: {c: getattr(d, c) for c in CHAMPS} for d in Definition.objects.all()}
    for nom in ("IndicateurAction", "HistoricalIndicateurAction"):
        for objet in apps.get_model("plan", nom).objects.filter(definition__isnull=False):
            for c, valeur in champs.get(objet.definition_id, {}).items():
                setattr(objet, c, valeur)
            objet.definition_id = None
            objet.save(update_fields=[*CHAMPS, "definition"])


class Migration(migrations.Migration):
    dependencies = [
        ("plan", "0012_definitions_des_indicateurs"),
    ]

    operations = [migrations.RunPython(definitions, champs_depuis_les_definitions)]

"""The single target of each indicator becomes the target of its year (the year of its date): the first point of
its yearly trajectory. The target and its date stay on the indicator, so that back nothing is lost."""

from django.db import migrations


def cibles_annuelles(apps, schema_editor):
    IndicateurAction = apps.get_model("plan", "IndicateurAction")
    CibleAnnuelle = apps.get_model("plan", "CibleAnnuelle")
    CibleAnnuelle.objects.bulk_create(
        CibleAnnuelle(indicateur_id=pk, annee=date_cible.year, valeur=cible)
        for pk, cible, date_cible in IndicateurAction.objects.values_list("pk", "cible", "date_cible").order_by("pk")
    )


def sans_cibles_annuelles(apps, schema_editor):
    apps.get_model("plan", "CibleAnnuelle").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("plan", "0010_cibles_annuelles"),
    ]

    operations = [migrations.RunPython(cibles_annuelles, sans_cibles_annuelles)]

"""A fiche's indicator reads what it measures through its definition: its own wording, unit, source, catalogue key
and territory go (back: 0013 writes them again from the definition)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("plan", "0013_definitions_depuis_les_indicateurs"),
    ]

    operations = [
        # blank before going, so that back the wording is added empty to the existing rows, then written by 0013
        migrations.AlterField(
            model_name="historicalindicateuraction",
            name="libelle",
            field=models.CharField(blank=True, max_length=200, verbose_name="indicateur"),
        ),
        migrations.AlterField(
            model_name="indicateuraction",
            name="libelle",
            field=models.CharField(blank=True, max_length=200, verbose_name="indicateur"),
        ),
        migrations.RemoveField(
            model_name="historicalindicateuraction",
            name="indicateur_catalogue",
        ),
        migrations.RemoveField(
            model_name="historicalindicateuraction",
            name="libelle",
        ),
        migrations.RemoveField(
            model_name="historicalindicateuraction",
            name="source",
        ),
        migrations.RemoveField(
            model_name="historicalindicateuraction",
            name="territoire",
        ),
        migrations.RemoveField(
            model_name="historicalindicateuraction",
            name="unite",
        ),
        migrations.RemoveField(
            model_name="indicateuraction",
            name="indicateur_catalogue",
        ),
        migrations.RemoveField(
            model_name="indicateuraction",
            name="libelle",
        ),
        migrations.RemoveField(
            model_name="indicateuraction",
            name="source",
        ),
        migrations.RemoveField(
            model_name="indicateuraction",
            name="territoire",
        ),
        migrations.RemoveField(
            model_name="indicateuraction",
            name="unite",
        ),
        migrations.AlterField(
            model_name="indicateuraction",
            name="definition",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="suivis",
                to="plan.definitionindicateur",
                verbose_name="indicateur",
            ),
        ),
    ]

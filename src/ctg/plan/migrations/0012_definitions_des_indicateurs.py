"""The indicators defined once for the convention (``DefinitionIndicateur``), which the fiches' indicators will
follow (``definition``, filled by 0013; the fields it replaces go in 0014). The checks on the wording move to the
definition (back: restored once 0013 has written the fields again)."""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("conventions", "0006_membres_vers_les_conventions"),
        ("plan", "0011_cible_de_l_annee_de_l_echeance"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="DefinitionIndicateur",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("libelle", models.CharField(max_length=200, verbose_name="indicateur")),
                ("unite", models.CharField(blank=True, max_length=60, verbose_name="unité")),
                ("source", models.CharField(blank=True, max_length=200, verbose_name="source")),
                (
                    "indicateur_catalogue",
                    models.CharField(
                        blank=True,
                        help_text="rempli depuis les données ouvertes",
                        max_length=60,
                        verbose_name="indicateur du diagnostic",
                    ),
                ),
                (
                    "territoire",
                    models.CharField(
                        blank=True,
                        help_text="code INSEE d'une commune ; vide : l'EPCI",
                        max_length=9,
                        verbose_name="territoire des données",
                    ),
                ),
            ],
            options={
                "verbose_name": "définition d'indicateur",
                "verbose_name_plural": "définitions des indicateurs",
                "ordering": ["libelle", "pk"],
            },
        ),
        migrations.CreateModel(
            name="HistoricalDefinitionIndicateur",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                ("libelle", models.CharField(max_length=200, verbose_name="indicateur")),
                ("unite", models.CharField(blank=True, max_length=60, verbose_name="unité")),
                ("source", models.CharField(blank=True, max_length=200, verbose_name="source")),
                (
                    "indicateur_catalogue",
                    models.CharField(
                        blank=True,
                        help_text="rempli depuis les données ouvertes",
                        max_length=60,
                        verbose_name="indicateur du diagnostic",
                    ),
                ),
                (
                    "territoire",
                    models.CharField(
                        blank=True,
                        help_text="code INSEE d'une commune ; vide : l'EPCI",
                        max_length=9,
                        verbose_name="territoire des données",
                    ),
                ),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.TextField(null=True)),
                (
                    "history_type",
                    models.CharField(choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1),
                ),
            ],
            options={
                "verbose_name": "historical définition d'indicateur",
                "verbose_name_plural": "historical définitions des indicateurs",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.AddField(
            model_name="definitionindicateur",
            name="convention",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="definitions_indicateurs",
                to="conventions.convention",
            ),
        ),
        migrations.AddField(
            model_name="historicalindicateuraction",
            name="definition",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="plan.definitionindicateur",
                verbose_name="indicateur",
            ),
        ),
        migrations.AddField(
            model_name="indicateuraction",
            name="definition",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="suivis",
                to="plan.definitionindicateur",
                verbose_name="indicateur",
            ),
        ),
        migrations.AddField(
            model_name="historicaldefinitionindicateur",
            name="convention",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="conventions.convention",
            ),
        ),
        migrations.AddField(
            model_name="historicaldefinitionindicateur",
            name="history_user",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL
            ),
        ),
        migrations.AddConstraint(
            model_name="definitionindicateur",
            constraint=models.UniqueConstraint(
                fields=("convention", "libelle", "unite", "source", "indicateur_catalogue", "territoire"),
                name="plan_definition_unique",
            ),
        ),
        migrations.AddConstraint(
            model_name="definitionindicateur",
            constraint=models.CheckConstraint(
                condition=models.Q(("libelle", ""), _negated=True), name="plan_definition_libelle_non_vide"
            ),
        ),
        migrations.RemoveConstraint(
            model_name="indicateuraction",
            name="plan_indicateur_libelle_non_vide",
        ),
        migrations.RemoveConstraint(
            model_name="indicateuraction",
            name="plan_indicateur_non_lie_a_une_valeur_initiale",
        ),
    ]

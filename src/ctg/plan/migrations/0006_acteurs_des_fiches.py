import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    # The partners and operators of a fiche become records linked to organisations (then 0007 reads the text
    # lines into them, and 0008 removes the text fields).

    dependencies = [
        ("comptes", "0008_libelles_des_champs"),
        ("plan", "0001_squashed_0005_plan"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="HistoricalActeurFiche",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                (
                    "role",
                    models.CharField(
                        choices=[("partenaire", "Partenaire"), ("operateur", "Opérateur gestionnaire")],
                        default="partenaire",
                        max_length=10,
                        verbose_name="rôle",
                    ),
                ),
                (
                    "precision",
                    models.CharField(
                        blank=True,
                        help_text="ex. « PMI », « adjointe à la famille »",
                        max_length=200,
                        verbose_name="service ou contact",
                    ),
                ),
                ("ordre", models.PositiveSmallIntegerField(default=0, verbose_name="ordre")),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.TextField(null=True)),
                (
                    "history_type",
                    models.CharField(choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1),
                ),
                (
                    "fiche",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="plan.ficheaction",
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "organisation",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="comptes.organisation",
                        verbose_name="organisation",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical partenaire ou opérateur d'une action",
                "verbose_name_plural": "historical partenaires et opérateurs des actions",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="ActeurFiche",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "role",
                    models.CharField(
                        choices=[("partenaire", "Partenaire"), ("operateur", "Opérateur gestionnaire")],
                        default="partenaire",
                        max_length=10,
                        verbose_name="rôle",
                    ),
                ),
                (
                    "precision",
                    models.CharField(
                        blank=True,
                        help_text="ex. « PMI », « adjointe à la famille »",
                        max_length=200,
                        verbose_name="service ou contact",
                    ),
                ),
                ("ordre", models.PositiveSmallIntegerField(default=0, verbose_name="ordre")),
                (
                    "fiche",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="acteurs", to="plan.ficheaction"
                    ),
                ),
                (
                    "organisation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="acteurs_de_fiches",
                        to="comptes.organisation",
                        verbose_name="organisation",
                    ),
                ),
            ],
            options={
                "verbose_name": "partenaire ou opérateur d'une action",
                "verbose_name_plural": "partenaires et opérateurs des actions",
                "ordering": ["role", "ordre", "pk"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("role__in", ["partenaire", "operateur"])), name="plan_acteur_role_connu"
                    )
                ],
            },
        ),
    ]

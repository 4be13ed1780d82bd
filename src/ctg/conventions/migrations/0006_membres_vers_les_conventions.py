import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

import ctg.conventions.models.membres


class Migration(migrations.Migration):
    dependencies = [
        ("comptes", "0009_membres_vers_les_conventions"),
        ("conventions", "0005_communication_approbationcommunication_and_more"),
        ("territoires", "0001_squashed_0002_territoires"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    # The memberships and invitations come from ``comptes`` (its 0009): first taken over as they are, in their
    # tables, then the tables get this app's names. Rows, history and constraints are kept as they were.
    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="HistoricalHabilitation",
                    fields=[
                        ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                        (
                            "role",
                            models.CharField(
                                choices=[
                                    ("conseiller_caf", "Conseiller·ère territorial·e de la Caf"),
                                    ("chef_projet", "Chef·fe de projet CTG de la collectivité"),
                                    ("referent_commune", "Référent·e d'une commune"),
                                    ("membre_copil", "Membre du comité de pilotage"),
                                    ("lecture", "Lecture seule"),
                                ],
                                max_length=20,
                                verbose_name="rôle",
                            ),
                        ),
                        ("creee_le", models.DateTimeField(blank=True, editable=False, verbose_name="créée le")),
                        ("history_id", models.AutoField(primary_key=True, serialize=False)),
                        ("history_date", models.DateTimeField(db_index=True)),
                        ("history_change_reason", models.TextField(null=True)),
                        (
                            "history_type",
                            models.CharField(
                                choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                            ),
                        ),
                        (
                            "commune",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                help_text="pour un·e référent·e de commune",
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="territoires.commune",
                            ),
                        ),
                        (
                            "convention",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="conventions.convention",
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
                            "user",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "comptes_historicalhabilitation",
                        "verbose_name": "historical habilitation",
                        "verbose_name_plural": "historical habilitations",
                        "ordering": ("-history_date", "-history_id"),
                        "get_latest_by": ("history_date", "history_id"),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name="HistoricalInvitation",
                    fields=[
                        ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                        ("email", models.EmailField(max_length=254, verbose_name="adresse électronique")),
                        (
                            "role",
                            models.CharField(
                                choices=[
                                    ("conseiller_caf", "Conseiller·ère territorial·e de la Caf"),
                                    ("chef_projet", "Chef·fe de projet CTG de la collectivité"),
                                    ("referent_commune", "Référent·e d'une commune"),
                                    ("membre_copil", "Membre du comité de pilotage"),
                                    ("lecture", "Lecture seule"),
                                ],
                                max_length=20,
                                verbose_name="rôle",
                            ),
                        ),
                        ("creee_le", models.DateTimeField(blank=True, editable=False, verbose_name="créée le")),
                        (
                            "expire_le",
                            models.DateTimeField(default=ctg.conventions.models.membres.expiration_invitation),
                        ),
                        ("utilisee_le", models.DateTimeField(blank=True, null=True, verbose_name="utilisée le")),
                        ("history_id", models.AutoField(primary_key=True, serialize=False)),
                        ("history_date", models.DateTimeField(db_index=True)),
                        ("history_change_reason", models.TextField(null=True)),
                        (
                            "history_type",
                            models.CharField(
                                choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                            ),
                        ),
                        (
                            "commune",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="territoires.commune",
                            ),
                        ),
                        (
                            "convention",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="conventions.convention",
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
                            "invitee_par",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
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
                            ),
                        ),
                        (
                            "utilisee_par",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "comptes_historicalinvitation",
                        "verbose_name": "historical invitation",
                        "verbose_name_plural": "historical invitations",
                        "ordering": ("-history_date", "-history_id"),
                        "get_latest_by": ("history_date", "history_id"),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name="Habilitation",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "role",
                            models.CharField(
                                choices=[
                                    ("conseiller_caf", "Conseiller·ère territorial·e de la Caf"),
                                    ("chef_projet", "Chef·fe de projet CTG de la collectivité"),
                                    ("referent_commune", "Référent·e d'une commune"),
                                    ("membre_copil", "Membre du comité de pilotage"),
                                    ("lecture", "Lecture seule"),
                                ],
                                max_length=20,
                                verbose_name="rôle",
                            ),
                        ),
                        ("creee_le", models.DateTimeField(auto_now_add=True, verbose_name="créée le")),
                        (
                            "commune",
                            models.ForeignKey(
                                blank=True,
                                help_text="pour un·e référent·e de commune",
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                to="territoires.commune",
                            ),
                        ),
                        (
                            "convention",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="habilitations",
                                to="conventions.convention",
                            ),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="habilitations",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "comptes_habilitation",
                        "verbose_name": "habilitation",
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("user", "convention"), name="une_habilitation_par_convention"
                            ),
                            models.CheckConstraint(
                                condition=models.Q(
                                    (
                                        "role__in",
                                        [
                                            "conseiller_caf",
                                            "chef_projet",
                                            "referent_commune",
                                            "membre_copil",
                                            "lecture",
                                        ],
                                    )
                                ),
                                name="habilitation_role_valide",
                            ),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="Invitation",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("email", models.EmailField(max_length=254, verbose_name="adresse électronique")),
                        (
                            "role",
                            models.CharField(
                                choices=[
                                    ("conseiller_caf", "Conseiller·ère territorial·e de la Caf"),
                                    ("chef_projet", "Chef·fe de projet CTG de la collectivité"),
                                    ("referent_commune", "Référent·e d'une commune"),
                                    ("membre_copil", "Membre du comité de pilotage"),
                                    ("lecture", "Lecture seule"),
                                ],
                                max_length=20,
                                verbose_name="rôle",
                            ),
                        ),
                        (
                            "jeton",
                            models.CharField(
                                default=ctg.conventions.models.membres.jeton_invitation,
                                editable=False,
                                max_length=64,
                                unique=True,
                            ),
                        ),
                        ("creee_le", models.DateTimeField(auto_now_add=True, verbose_name="créée le")),
                        (
                            "expire_le",
                            models.DateTimeField(default=ctg.conventions.models.membres.expiration_invitation),
                        ),
                        ("utilisee_le", models.DateTimeField(blank=True, null=True, verbose_name="utilisée le")),
                        (
                            "commune",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                to="territoires.commune",
                            ),
                        ),
                        (
                            "convention",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="invitations",
                                to="conventions.convention",
                            ),
                        ),
                        (
                            "invitee_par",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "organisation",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                to="comptes.organisation",
                            ),
                        ),
                        (
                            "utilisee_par",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "comptes_invitation",
                        "verbose_name": "invitation",
                        "ordering": ["-creee_le"],
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(
                                    (
                                        "role__in",
                                        [
                                            "conseiller_caf",
                                            "chef_projet",
                                            "referent_commune",
                                            "membre_copil",
                                            "lecture",
                                        ],
                                    )
                                ),
                                name="invitation_role_valide",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(
                                    ("utilisee_par__isnull", True), ("utilisee_le__isnull", False), _connector="OR"
                                ),
                                name="invitation_utilisee_datee",
                            ),
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.AlterModelTable(name="historicalhabilitation", table=None),
        migrations.AlterModelTable(name="historicalinvitation", table=None),
        migrations.AlterModelTable(name="habilitation", table=None),
        migrations.AlterModelTable(name="invitation", table=None),
    ]

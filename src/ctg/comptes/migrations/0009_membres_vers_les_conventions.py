from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("comptes", "0008_libelles_des_champs"),
    ]

    # The memberships and invitations now belong to the conventions (``conventions`` 0006 takes them over, tables,
    # rows and history included): here they only leave the state of this app, nothing is dropped.
    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name="historicalhabilitation",
                    name="commune",
                ),
                migrations.RemoveField(
                    model_name="historicalhabilitation",
                    name="convention",
                ),
                migrations.RemoveField(
                    model_name="historicalhabilitation",
                    name="history_user",
                ),
                migrations.RemoveField(
                    model_name="historicalhabilitation",
                    name="user",
                ),
                migrations.RemoveField(
                    model_name="historicalinvitation",
                    name="commune",
                ),
                migrations.RemoveField(
                    model_name="historicalinvitation",
                    name="convention",
                ),
                migrations.RemoveField(
                    model_name="historicalinvitation",
                    name="history_user",
                ),
                migrations.RemoveField(
                    model_name="historicalinvitation",
                    name="invitee_par",
                ),
                migrations.RemoveField(
                    model_name="historicalinvitation",
                    name="organisation",
                ),
                migrations.RemoveField(
                    model_name="historicalinvitation",
                    name="utilisee_par",
                ),
                migrations.RemoveField(
                    model_name="invitation",
                    name="commune",
                ),
                migrations.RemoveField(
                    model_name="invitation",
                    name="convention",
                ),
                migrations.RemoveField(
                    model_name="invitation",
                    name="invitee_par",
                ),
                migrations.RemoveField(
                    model_name="invitation",
                    name="organisation",
                ),
                migrations.RemoveField(
                    model_name="invitation",
                    name="utilisee_par",
                ),
                migrations.DeleteModel(
                    name="Habilitation",
                ),
                migrations.DeleteModel(
                    name="HistoricalHabilitation",
                ),
                migrations.DeleteModel(
                    name="HistoricalInvitation",
                ),
                migrations.DeleteModel(
                    name="Invitation",
                ),
            ],
            database_operations=[],
        ),
    ]

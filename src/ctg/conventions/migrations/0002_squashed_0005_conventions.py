# Written with the squashed migrations of the conventions and of the accounts: the tables are created by
# 0001_squashed_0005_conventions; this one stands for the migrations 0002 to 0005, which a database migrated before
# keeps (they interleave with those of the accounts, hence two steps).

from django.db import migrations


class Migration(migrations.Migration):
    replaces = [
        ("conventions", "0002_integrite"),
        ("conventions", "0003_competence_petite_enfance"),
        ("conventions", "0004_schema_sppe"),
        ("conventions", "0005_communication_approbationcommunication_and_more"),
    ]

    dependencies = [
        ("conventions", "0001_squashed_0005_conventions"),
        ("comptes", "0002_squashed_0007_comptes"),
    ]

    operations = []

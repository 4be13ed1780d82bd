from django.db import migrations


class Migration(migrations.Migration):
    # The text fields of partners and operators, read into records by 0007, go (back: 0007 writes them again).

    dependencies = [
        ("plan", "0007_acteurs_depuis_le_texte"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="ficheaction",
            name="operateurs",
        ),
        migrations.RemoveField(
            model_name="ficheaction",
            name="partenaires",
        ),
        migrations.RemoveField(
            model_name="historicalficheaction",
            name="operateurs",
        ),
        migrations.RemoveField(
            model_name="historicalficheaction",
            name="partenaires",
        ),
    ]

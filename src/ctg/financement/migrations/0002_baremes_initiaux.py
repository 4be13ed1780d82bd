"""The initial rates table (sources and notes in ``ctg.financement.baremes.BAREMES_INITIAUX``)."""

from django.db import migrations


def semer(apps, schema_editor):
    from ctg.financement.baremes import semer_baremes

    semer_baremes(apps.get_model("financement", "Bareme"))


class Migration(migrations.Migration):
    dependencies = [("financement", "0001_initial")]

    operations = [migrations.RunPython(semer, migrations.RunPython.noop)]

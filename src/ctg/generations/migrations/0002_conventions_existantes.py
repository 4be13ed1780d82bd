import uuid

from django.db import migrations


def jetons_des_conventions_existantes(apps, schema_editor):
    """A token for every convention already there (else nothing of theirs would be kept until their next write)."""
    Convention = apps.get_model("conventions", "Convention")
    Generation = apps.get_model("generations", "Generation")
    deja = set(Generation.objects.values_list("convention_pk", flat=True))
    Generation.objects.bulk_create(
        Generation(convention_pk=pk, jeton=uuid.uuid4().hex)
        for pk in Convention.objects.values_list("pk", flat=True)
        if pk not in deja
    )


class Migration(migrations.Migration):
    dependencies = [
        ("generations", "0001_initial"),
        ("conventions", "0001_initial"),
    ]

    operations = [migrations.RunPython(jetons_des_conventions_existantes, migrations.RunPython.noop)]

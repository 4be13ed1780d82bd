"""The note of the initial "report N-1" rate says that existing places are smoothed over the territoire de
compétence (the commune, or the EPCI when the competence was transferred): rows still holding the former wording
get the new one (a rate revised by an administrator is left as it is)."""

from django.db import migrations

ANCIENNE = (
    "Les places existantes reprennent le montant N-1 (ou les derniers montants du Cej), lissé sur le territoire "
    "de compétence : montant des EAJE de la commune ÷ places de référence, multiplié par les places existantes "
    "de chaque structure. "
)
NOUVELLE = (
    "Les places existantes reprennent le montant N-1 (ou les derniers montants du Cej), lissé sur le territoire "
    "de compétence (la commune, ou l'EPCI quand la compétence lui a été transférée) : montant des EAJE de ce "
    "territoire ÷ leurs places de référence, multiplié par les places existantes de chaque structure. "
)


def reformuler(apps, schema_editor):
    Bareme = apps.get_model("financement", "Bareme")
    for bareme in Bareme.objects.filter(nature="report_n1", note__startswith=ANCIENNE):
        bareme.note = NOUVELLE + bareme.note[len(ANCIENNE) :]
        bareme.save(update_fields=["note"])


def revenir(apps, schema_editor):
    Bareme = apps.get_model("financement", "Bareme")
    for bareme in Bareme.objects.filter(nature="report_n1", note__startswith=NOUVELLE):
        bareme.note = ANCIENNE + bareme.note[len(NOUVELLE) :]
        bareme.save(update_fields=["note"])


class Migration(migrations.Migration):
    dependencies = [("financement", "0006_pieces_jointes_en_fichiers")]

    operations = [migrations.RunPython(reformuler, revenir)]

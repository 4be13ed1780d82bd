"""The verifications' attachments move out of the database into files of the default storage (``STORAGES``), under
a generated name; their type becomes the one their content shows (the one the browser declared is not trusted).
The history's versions move too (one file for the same bytes). Reversible: the files are read back into the
database (and left on disk)."""

import hashlib
import uuid

import filetype
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import migrations, models

import ctg.financement.models

EXTENSIONS = {
    "application/pdf": "pdf",
    "image/png": "png",
    "image/jpeg": "jpg",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
}


def vers_fichiers(apps, schema_editor):
    stockage = storages["default"]
    deja = {}  # (convention, sha256) -> stored name

    def deplacer(modele, cle):
        lignes = modele.objects.filter(fichier__isnull=False).values_list(cle, "convention_id", "fichier")
        for pk, convention_id, contenu in lignes.iterator(chunk_size=50):
            contenu = bytes(contenu)
            type_mime = filetype.guess_mime(contenu[:8192]) or "application/octet-stream"
            empreinte = (convention_id, hashlib.sha256(contenu).hexdigest())
            if empreinte not in deja:
                extension = EXTENSIONS.get(type_mime)
                nom = f"verifications/{convention_id}/{uuid.uuid4().hex}{'.' + extension if extension else ''}"
                deja[empreinte] = stockage.save(nom, ContentFile(contenu))
            modele.objects.filter(**{cle: pk}).update(piece=deja[empreinte], fichier_type=type_mime)

    deplacer(apps.get_model("financement", "Verification"), "pk")
    deplacer(apps.get_model("financement", "HistoricalVerification"), "history_id")


def vers_base(apps, schema_editor):
    stockage = storages["default"]
    for modele, cle in (
        (apps.get_model("financement", "Verification"), "pk"),
        (apps.get_model("financement", "HistoricalVerification"), "history_id"),
    ):
        for pk, nom in modele.objects.exclude(piece="").values_list(cle, "piece").iterator(chunk_size=50):
            if stockage.exists(nom):
                with stockage.open(nom, "rb") as fichier:
                    modele.objects.filter(**{cle: pk}).update(fichier=fichier.read())


class Migration(migrations.Migration):
    dependencies = [
        ("financement", "0005_convention_obligatoire_et_contraintes"),
    ]

    operations = [
        migrations.AlterField(
            model_name="historicalverification",
            name="fichier_nom",
            field=models.CharField(
                blank=True,
                help_text="le nom du fichier joint, tel qu'il a été déposé",
                max_length=200,
                verbose_name="pièce jointe",
            ),
        ),
        migrations.AlterField(
            model_name="historicalverification",
            name="fichier_type",
            field=models.CharField(blank=True, max_length=100, verbose_name="type de la pièce jointe"),
        ),
        migrations.AlterField(
            model_name="verification",
            name="fichier_nom",
            field=models.CharField(
                blank=True,
                help_text="le nom du fichier joint, tel qu'il a été déposé",
                max_length=200,
                verbose_name="pièce jointe",
            ),
        ),
        migrations.AlterField(
            model_name="verification",
            name="fichier_type",
            field=models.CharField(blank=True, max_length=100, verbose_name="type de la pièce jointe"),
        ),
        migrations.AddField(
            model_name="historicalverification",
            name="piece",
            field=models.TextField(
                blank=True, default="", editable=False, max_length=100, verbose_name="fichier de la pièce jointe"
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="verification",
            name="piece",
            field=models.FileField(
                blank=True,
                default="",
                editable=False,
                upload_to=ctg.financement.models.chemin_piece,
                verbose_name="fichier de la pièce jointe",
            ),
            preserve_default=False,
        ),
        migrations.RunPython(vers_fichiers, vers_base),
        migrations.RemoveField(model_name="historicalverification", name="fichier"),
        migrations.RemoveField(model_name="verification", name="fichier"),
        migrations.RenameField(model_name="historicalverification", old_name="piece", new_name="fichier"),
        migrations.RenameField(model_name="verification", old_name="piece", new_name="fichier"),
    ]

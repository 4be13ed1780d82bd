"""Migration 0007: a database seeded before the smoothing rule was reworded gets the new note of the "report N-1"
rate; a note revised by an administrator is left as it is."""

from importlib import import_module

import pytest
from django.apps import apps

from ctg.financement.models import Bareme

pytestmark = pytest.mark.django_db
migration = import_module("ctg.financement.migrations.0007_note_du_report_n1")


def test_la_note_du_report_n1_est_reformulee_et_une_note_revisee_gardee():
    initial = Bareme.objects.get(nature="report_n1", note__startswith=migration.NOUVELLE)
    suite = initial.note[len(migration.NOUVELLE) :]
    Bareme.objects.filter(pk=initial.pk).update(note=migration.ANCIENNE + suite)  # as seeded before
    revisee = Bareme.objects.exclude(pk=initial.pk).filter(nature="report_n1").first()
    migration.reformuler(apps, None)
    initial.refresh_from_db()
    assert initial.note == migration.NOUVELLE + suite
    assert Bareme.objects.get(pk=revisee.pk).note == revisee.note
    migration.revenir(apps, None)
    initial.refresh_from_db()
    assert initial.note == migration.ANCIENNE + suite

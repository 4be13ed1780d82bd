"""The migration that moves the verifications' attachments out of the database into files of the storage, and
back. Run on a copy of the session's SQLite template (migrated, with the territories), in a process of its own
(tests/scenario_de_migration.py)."""

import textwrap

import pytest

from tests.scenario_de_migration import rejouer_sur_copie

pytestmark = pytest.mark.django_db

SCRIPT = textwrap.dedent(
    r"""
    import json, re
    import django
    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.files.base import ContentFile
    from django.core.files.storage import storages
    from django.core.management import call_command
    from django.db import connection
    from ctg.demo.convention_cambrai import charger_convention_cambrai
    from ctg.financement.models import Verification

    PDF = b"%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n"
    AVANT, APRES = "0001_squashed_0005_financement", "0006_pieces_jointes_en_fichiers"
    resultat = {}

    def lignes():
        with connection.cursor() as curseur:
            curseur.execute("SELECT fichier, fichier_type FROM financement_verification")
            principales = curseur.fetchall()
            curseur.execute("SELECT fichier, fichier_type FROM financement_historicalverification")
            return principales + curseur.fetchall()

    call_command("migrate", "financement", verbosity=0)
    convention = charger_convention_cambrai()
    verification = Verification.objects.create(
        convention=convention, commune_id="59122", annee=2023, conclusion="conforme", documents="Compte 2023",
        fichier_nom="compte-œ.pdf", fichier_type="application/pdf", fichier=ContentFile(PDF, name="x"),
        verifie_par=get_user_model().objects.create_user("caf"),
    )
    # back: the bytes return to the database (the type the browser declared, as it was then)
    call_command("migrate", "financement", AVANT, verbosity=0)
    resultat["en_base"] = [(bytes(f) == PDF, t) for f, t in lignes()]
    with connection.cursor() as curseur:
        for table in ("financement_verification", "financement_historicalverification"):
            curseur.execute(f"UPDATE {table} SET fichier_type = 'text/html'")
    # forward: one file on the storage for the same bytes, the type from the content
    call_command("migrate", "financement", APRES, verbosity=0)
    noms = lignes()
    resultat["apres"] = noms
    resultat["meme_fichier"] = len({n for n, _ in noms}) == 1
    nom = noms[0][0]
    with storages["default"].open(nom, "rb") as fichier:
        resultat["contenu_identique"] = fichier.read() == PDF
    resultat["nom_genere"] = bool(re.fullmatch(rf"verifications/{convention.pk}/[0-9a-f]{{32}}\.pdf", nom))
    resultat["nom_affiche"] = Verification.objects.get(pk=verification.pk).fichier_nom
    print(json.dumps(resultat))
    """
)


def test_les_pieces_passent_de_la_base_aux_fichiers_et_retour(tmp_path):
    resultat = rejouer_sur_copie(SCRIPT, tmp_path)
    assert resultat["en_base"] == [[True, "application/pdf"], [True, "application/pdf"]]
    assert [t for _, t in resultat["apres"]] == ["application/pdf", "application/pdf"]
    assert resultat["meme_fichier"] and resultat["contenu_identique"] and resultat["nom_genere"]
    assert resultat["nom_affiche"] == "compte-œ.pdf"

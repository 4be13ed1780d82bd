import io
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile

from ctg.sauvegarde import archive, export

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture(autouse=True)
def stockage(settings, tmp_path):
    """The default storage in a folder of the test's own."""
    dossier = tmp_path / "fichiers"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": dossier}},
    }
    return dossier


@pytest.fixture
def convention(convention_cambrai):
    """The reference convention with a fiche action tied to an objective, a person's role, a comité meeting (and the
    history of one deleted), a structure managed by a partner, and a Caf verification with its file."""
    from ctg.comptes.models import Organisation
    from ctg.conventions.models import Habilitation
    from ctg.financement.models import Structure, Verification
    from ctg.gouvernance.models import Comite, Reunion
    from ctg.plan.models import FicheAction, Objectif

    convention = convention_cambrai
    pilote = get_user_model().objects.create_user(username="pilote.cambrai", first_name="Camille", last_name="Roux")
    Habilitation.objects.create(user=pilote, convention=convention, role="chef_projet")
    fiche = FicheAction.objects.create(
        convention=convention, numero=99, titre="Halte-garderie itinérante", pilote=pilote
    )
    fiche.objectifs.add(Objectif.objects.filter(convention=convention).first())
    comite = Comite.objects.filter(convention=convention, parent=None).first() or Comite.objects.create(
        convention=convention
    )
    Reunion.objects.create(comite=comite, date=date(2026, 12, 10), lieu="Hôtel communautaire, Cambrai")
    Reunion.objects.create(comite=comite, date=date(2026, 12, 3), lieu="Annulée").delete()
    association = Organisation.objects.create(type="autre", nom="Association Les P'tits Loups", commune_id="59122")
    structure = Structure.objects.create(
        convention=convention, nom="Crèche Les P'tits Loups", type="eaje", gestionnaire=association, commune_id="59122"
    )
    structure.communes_desservies.add("59010")
    verification = Verification(
        convention=convention,
        commune_id="59122",
        annee=2025,
        conclusion="conforme",
        documents="Compte de résultat 2025",
        fichier_nom="compte-résultat.pdf",
        verifie_par=pilote,
    )
    verification.fichier.save("compte-resultat.pdf", ContentFile(PDF), save=False)
    verification.save()
    return convention


def en_zip(conventions) -> bytes:
    tampon = io.BytesIO()
    export.sauvegarder(conventions, tampon)
    return tampon.getvalue()


def parties(contenu: bytes) -> dict[str, bytes]:
    return archive.lire(io.BytesIO(contenu)).parties

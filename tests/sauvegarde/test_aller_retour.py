"""A convention saved, deleted, restored, saved again: the same archive, byte for byte (the manifest's date and
engine apart); a second restoration is refused; a dry run writes nothing."""

import io
import json
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from ctg.comptes.models import Organisation
from ctg.conventions.models import Convention
from ctg.plan.models import FicheAction
from ctg.sauvegarde import archive
from ctg.sauvegarde.models import Restauration
from ctg.sauvegarde.restauration import restaurer

from .conftest import PDF, en_zip, parties

pytestmark = pytest.mark.django_db


def test_sauvegarde_supprimee_restauree_puis_sauvegardee_a_l_identique(convention, stockage):
    ctes = convention.ctes_identifiant
    avant = en_zip([convention])
    parties_avant = parties(avant)
    assert "donnees/plan.HistoricalFicheAction.json" in parties_avant
    assert any(nom.startswith("fichiers/") and contenu == PDF for nom, contenu in parties_avant.items())
    comptes = json.loads(parties_avant["references/auth.User.json"])["enregistrements"]
    assert {"username": "pilote.cambrai", "first_name": "Camille", "last_name": "Roux", "email": ""} in comptes
    assert not any("password" in compte for compte in comptes)
    reunions = json.loads(parties_avant["donnees/gouvernance.HistoricalReunion.json"])["enregistrements"]
    supprimee = [r for r in reunions if r["history_type"] == "-"]
    assert supprimee and supprimee[0]["id"] > len(
        json.loads(parties_avant["donnees/gouvernance.Reunion.json"])["enregistrements"]
    )

    convention.delete()
    (fichier,) = [p for p in stockage.rglob("*") if p.is_file()]
    fichier.unlink()
    get_user_model().objects.filter(username="pilote.cambrai").delete()
    Organisation.objects.filter(nom="Association Les P'tits Loups").delete()

    bilan = restaurer(io.BytesIO(avant))
    assert bilan.conventions == [ctes]
    assert bilan.comptes_crees == ["pilote.cambrai"]
    assert bilan.organisations_creees == ["Association Les P'tits Loups"]
    restauree = Convention.objects.get(ctes_identifiant=ctes)
    pilote = FicheAction.objects.get(convention=restauree, numero=99).pilote
    assert not pilote.is_active and not pilote.has_usable_password()
    assert pilote.habilitations.get().convention == restauree
    assert fichier.read_bytes() == PDF

    apres = parties(en_zip([restauree]))
    assert apres.keys() == parties_avant.keys()
    differentes = [nom for nom in apres if apres[nom] != parties_avant[nom]]
    assert differentes == []


def test_une_archive_ne_se_restaure_pas_deux_fois(convention):
    contenu = en_zip([convention])
    with pytest.raises(archive.ArchiveRefusee, match="déjà sur cette instance"):
        restaurer(io.BytesIO(contenu))
    convention.delete()
    restaurer(io.BytesIO(contenu))
    Convention.objects.filter(ctes_identifiant=None).delete()
    with pytest.raises(archive.ArchiveRefusee, match="déjà"):
        restaurer(io.BytesIO(contenu))
    assert Restauration.objects.count() == 1


def test_commandes_sauvegarde_et_essai_de_restauration(convention, stockage, tmp_path):
    sortie = tmp_path / "cambrai.zip"
    texte = io.StringIO()
    call_command("sauvegarde", convention.ctes_identifiant, output=str(sortie), stdout=texte)
    assert f"1 convention sauvegardée dans {sortie}" in texte.getvalue()
    with pytest.raises(CommandError, match="Donnez une ou plusieurs conventions, ou --toutes"):
        call_command("sauvegarde", convention.ctes_identifiant, toutes=True, output=str(sortie))
    convention.delete()
    for fichier in stockage.rglob("*"):
        if fichier.is_file():
            fichier.unlink()

    texte = io.StringIO()
    call_command("restauration", str(sortie), dry_run=True, stdout=texte)
    assert "Essai (rien n'est écrit) : archive vérifiée." in texte.getvalue()
    assert "  plan.FicheAction : 1" in texte.getvalue()
    assert "Comptes seraient créés (inactifs, sans mot de passe) : 0" in texte.getvalue()
    assert "Fichiers téléversés à écrire : 1" in texte.getvalue()
    assert not Convention.objects.exists()
    assert not any(p.is_file() for p in stockage.rglob("*"))
    with pytest.raises(CommandError, match="Archive illisible, tronquée ou abîmée"):
        call_command("restauration", str(Path(__file__).with_name("__init__.py")))


def test_une_archive_d_avant_le_deplacement_des_habilitations_se_restaure(convention):
    """An archive written when the memberships belonged to the accounts (parts ``comptes.Habilitation``) restores
    them into today's model."""
    ctes = convention.ctes_identifiant
    actuelle = archive.lire(io.BytesIO(en_zip([convention])))
    anciennes = {}
    for nom, contenu in actuelle.parties.items():
        if "Habilitation" in nom:
            ancien = nom.replace("conventions.", "comptes.")
            contenu = contenu.replace(b'"conventions.', b'"comptes.')
            assert ancien != nom and b'"comptes.' in contenu
            nom = ancien
        anciennes[nom] = contenu
    assert "donnees/comptes.Habilitation.json" in anciennes
    sortie = io.BytesIO()
    archive.ecrire(sortie, anciennes, actuelle.manifeste["conventions"])
    membres = sorted(convention.habilitations.values_list("user__username", "role"))
    convention.delete()
    restaurer(io.BytesIO(sortie.getvalue()))
    assert (
        sorted(Convention.objects.get(ctes_identifiant=ctes).habilitations.values_list("user__username", "role"))
        == membres
    )


def test_le_fichier_d_une_ancienne_version_est_sauvegarde_tant_qu_il_existe(convention, stockage):
    """A replaced attachment is named by the history: its file goes into the archive and comes back with the
    restore; once purged from the disk, the backup goes on without it."""
    from django.core.files.base import ContentFile

    from ctg.financement.models import Verification

    verification = Verification.objects.get(convention=convention)
    ancien = verification.fichier.name
    verification.fichier.save("compte-resultat-corrige.pdf", ContentFile(PDF + b"%corrige\n"))
    assert verification.historique.filter(fichier=ancien).exists()
    contenu = en_zip([convention])
    avant = parties(contenu)
    assert avant[f"fichiers/{ancien}"] == PDF
    assert avant[f"fichiers/{verification.fichier.name}"] == PDF + b"%corrige\n"
    ctes = convention.ctes_identifiant
    convention.delete()
    for fichier in [p for p in stockage.rglob("*") if p.is_file()]:
        fichier.unlink()
    restaurer(io.BytesIO(contenu))
    assert (stockage / ancien).read_bytes() == PDF
    (stockage / ancien).unlink()  # purged (the retention of a transfer, article 7)
    apres = parties(en_zip([Convention.objects.get(ctes_identifiant=ctes)]))
    assert f"fichiers/{ancien}" not in apres and f"fichiers/{verification.fichier.name}" in apres

"""A changed, truncated, foreign or dangerous archive is refused with a French message, and nothing is written."""

import io
import json
import zipfile

import pytest

from ctg.conventions.models import Convention
from ctg.sauvegarde import archive
from ctg.sauvegarde.models import Restauration
from ctg.sauvegarde.restauration import restaurer

from .conftest import en_zip

pytestmark = pytest.mark.django_db


def reecrit(contenu: bytes, changer) -> bytes:
    """The archive with its entries (name -> bytes) changed by ``changer``."""
    with zipfile.ZipFile(io.BytesIO(contenu)) as zip_:
        entrees = {nom: zip_.read(nom) for nom in zip_.namelist()}
    changer(entrees)
    sortie = io.BytesIO()
    with zipfile.ZipFile(sortie, "w") as zip_:
        for nom, octets in entrees.items():
            zip_.writestr(nom, octets)
    return sortie.getvalue()


def fiche_modifiee(entrees):
    nom = "donnees/plan.FicheAction.json"
    entrees[nom] = entrees[nom].replace(b"Halte-garderie", b"Halte-garderif")


def partie_glissee(nom):
    def changer(entrees):
        entrees[nom] = b"{}"
        manifeste = json.loads(entrees["manifeste.json"])
        manifeste["parties"][nom] = {"sha256": archive.sha256(b"{}"), "taille": 2}
        entrees["manifeste.json"] = archive.en_json(manifeste)

    return changer


CAS = {
    "empreinte": (fiche_modifiee, "SHA-256 de « donnees/plan.FicheAction.json » ne correspond pas"),
    "tronquee": (None, "illisible, tronquée ou abîmée"),
    "etrangere": (lambda e: e.pop("manifeste.json"), "n'est pas une sauvegarde CTG"),
    "remontee": (partie_glissee("fichiers/../../settings.py"), "Nom de fichier refusé"),
    "absolu": (partie_glissee("/etc/passwd"), "Nom de fichier refusé"),
    "manquante": (lambda e: e.pop("donnees/plan.FicheAction.json"), "Partie manquante"),
    "en_trop": (lambda e: e.update({"fichiers/intrus.pdf": b"%PDF"}), "Partie inattendue"),
}


def test_archive_abimee_refusee_et_rien_n_est_ecrit(convention, stockage, monkeypatch):
    contenu = en_zip([convention])
    fichiers = sorted(p for p in stockage.rglob("*") if p.is_file())
    for cas, (changer, message) in CAS.items():
        abimee = contenu[: len(contenu) * 2 // 3] if changer is None else reecrit(contenu, changer)
        with pytest.raises(archive.ArchiveRefusee, match=message):
            restaurer(io.BytesIO(abimee))
        assert Convention.objects.count() == 1, cas
    monkeypatch.setattr(archive, "MAX_PARTIE", 1000)  # against ZIP bombs: no part read beyond the cap
    with pytest.raises(archive.ArchiveRefusee, match="est trop grand"):
        restaurer(io.BytesIO(contenu))
    assert not Restauration.objects.exists()
    assert sorted(p for p in stockage.rglob("*") if p.is_file()) == fichiers


def test_territoire_absent_de_la_cible(convention):
    contenu = en_zip([convention])

    def commune_inconnue(entrees):
        nom = "donnees/conventions.Adhesion.json"
        donnees = json.loads(entrees[nom])
        donnees["enregistrements"][0]["commune"] = "99999"
        entrees[nom] = archive.en_json(donnees)
        manifeste = json.loads(entrees["manifeste.json"])
        manifeste["parties"][nom] = {"sha256": archive.sha256(entrees[nom]), "taille": len(entrees[nom])}
        parties = {n: o for n, o in entrees.items() if n != "manifeste.json"}
        manifeste["empreinte_donnees"] = archive.empreinte_donnees(parties)
        entrees["manifeste.json"] = archive.en_json(manifeste)

    convention.delete()
    with pytest.raises(archive.ArchiveRefusee, match=r"absents de cette instance : 1 commune \(code 99999\)"):
        restaurer(io.BytesIO(reecrit(contenu, commune_inconnue)))
    assert not Convention.objects.exists()

"""The register of processing activities (GDPR article 30) of one organisation: its approved personal-data requests
as holder, nothing of another organisation; as XLSX read back, and through ``ctg registre_traitements``."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from ctg.rgpd import echanges
from ctg.rgpd.registre import ENTETES, exporter

from .test_echanges import ETUDE, approuvee, demande_de, monde  # noqa: F401 (fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.date("2026-06-15")]


def lignes_xlsx(contenu: bytes) -> list[list]:
    feuille = load_workbook(io.BytesIO(contenu)).active
    lignes = [list(r) for r in feuille.iter_rows(values_only=True)]
    debut = next(i for i, r in enumerate(lignes) if list(r[:2]) == ENTETES[:2])
    return lignes[debut + 1 :]


@pytest.fixture
def registres(monde):  # noqa: F811
    """At the Caf: one approved request, one only studied, one without personal data answered; at the EPCI: one
    approved request of the Caf."""
    convention, comptes, caf, collectivite = monde
    approuvee(monde, objet="Familles monoparentales")
    echanges.etudier(demande_de(monde, objet="Encore à l'étude"), comptes["demo"], **ETUDE)
    echanges.repondre(
        demande_de(monde, personnelle=False, objet="Liste des équipements"),
        comptes["demo"],
        accepter=True,
        reponse="ok",
    )
    echanges.designer_delegue(collectivite, comptes["lecture"], comptes["chef.projet"])
    demande = echanges.deposer(
        convention,
        comptes["demo"],
        demandeur=caf,
        champs=["Nom de l'enfant"],
        donnees_personnelles=True,
        objet="Inscrits aux accueils de loisirs",
        finalite="Évaluer",
        destinataires="Conseillère",
        moyen="plateforme",
        base_legale="mission_publique",
        conservation_mois=6,
        categories_personnes="Enfants",
    )
    echanges.etudier(demande, comptes["chef.projet"], **ETUDE)
    echanges.rendre_avis(demande, comptes["lecture"], sens="favorable", recommandations="Minimiser")
    echanges.decider(demande, comptes["chef.projet"], approuver=True, motifs="ok", mesures_securite="Chiffrement")
    return caf, collectivite


def test_registre_xlsx_ne_liste_que_les_traitements_approuves_de_l_organisation(registres):
    caf, collectivite = registres
    contenu, type_mime, nom = exporter(caf, "xlsx")
    lignes = lignes_xlsx(contenu)
    assert [ligne[1] for ligne in lignes] == ["Transmission à CA de Cambrai : Familles monoparentales"]
    assert lignes[0][9] == "12 mois" and "Sacha Exemple" in lignes[0][2]
    assert "Inscrits aux accueils" not in str(lignes)
    autres = lignes_xlsx(exporter(collectivite, "xlsx")[0])
    assert [ligne[1] for ligne in autres] == ["Transmission à Caf du Nord : Inscrits aux accueils de loisirs"]
    assert nom.endswith(".xlsx") and "spreadsheetml" in type_mime


def test_commande_par_nom_et_par_numero(registres, tmp_path):
    caf, _ = registres
    sortie = tmp_path / "registre.xlsx"
    call_command(
        "registre_traitements", "caf du nord", "--format", "xlsx", "--output", str(sortie), stdout=io.StringIO()
    )
    assert [ligne[1] for ligne in lignes_xlsx(sortie.read_bytes())][0].endswith("Familles monoparentales")
    csv = tmp_path / "registre.csv"
    call_command("registre_traitements", str(caf.pk), "--format", "csv", "--output", str(csv), stdout=io.StringIO())
    texte = csv.read_bytes().decode("utf-8-sig")
    assert texte.count("\r\n") == 2 and "Familles monoparentales" in texte and ";" in texte


def test_commande_organisation_inconnue_n_ecrit_rien(registres, tmp_path):
    sortie = tmp_path / "registre.xlsx"
    with pytest.raises(CommandError, match="Aucune organisation « Caf de Nulle Part »"):
        call_command("registre_traitements", "Caf de Nulle Part", "--output", str(sortie))
    assert not sortie.exists()

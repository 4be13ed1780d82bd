"""The exchange file refuses what no convention holds, with the place of the error, and writes nothing: a deeply
nested JSON, control characters, a visa of megabytes, a date in year 0001, numbers of hundreds of digits, a file
too large."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ctg.conventions.echange import ErreurEchange, importer, lire_fichier
from ctg.conventions.models import Convention, Visa
from ctg.saisie import taille_lisible

from .test_echange import compter, minimal

pytestmark = pytest.mark.django_db


def refus(donnees) -> list[str]:
    avant = compter()
    with pytest.raises(ErreurEchange) as exc:
        importer(donnees)
    assert compter() == avant
    return exc.value.erreurs


def fichier(tmp_path, contenu: str | bytes):
    chemin = tmp_path / "conventions.json"
    chemin.write_bytes(contenu if isinstance(contenu, bytes) else contenu.encode("utf-8"))
    return chemin


def test_un_json_profondement_imbrique_est_refuse_sans_recursionerror(tmp_path):
    chemin = fichier(tmp_path, '{"note": ' + "[" * 100_000 + "]" * 100_000 + "}")
    with pytest.raises(CommandError) as exc:
        call_command("convention_import", str(chemin))
    assert f"Fichier « {chemin} » : JSON trop imbriqué ligne 1, colonne 29 : plus de 20 niveaux" in str(exc.value)
    assert not Convention.objects.filter(date_debut="2027-01-01").exists()


def test_les_crochets_dans_une_chaine_ne_comptent_pas(tmp_path):
    chemin = fichier(tmp_path, json.dumps(minimal(note="[" * 1000 + "{" * 1000)))
    assert lire_fichier(chemin)[0]["note"].startswith("[[[")


def test_un_caractere_nul_dans_un_visa_est_refuse_avec_sa_place():
    erreurs = refus(minimal(visas=["Vu le code de la sécurité sociale", "Vu la délibération\u0000 du conseil"]))
    assert erreurs == ["visas[1] : caractère nul (U+0000) interdit (position 19) : retirez ce caractère."]


def test_un_retour_a_la_ligne_dans_un_nom_est_refuse():
    donnees = minimal(
        signataires=[
            {
                "partie": "caf",
                "civilite": "Madame",
                "prenom": "Lydie",
                "nom": "Librizzi\r\nX",
                "qualite": "president_ca",
            }
        ]
    )
    assert refus(donnees) == [
        "signataires[0].nom : retour à la ligne interdit (position 9) : ce texte tient sur une seule ligne."
    ]


def test_un_visa_de_5_mo_est_refuse():
    assert refus(minimal(visas=["Vu " + "x" * (5 * 1024 * 1024)])) == [
        "visas[0] : trop long : 5\u00a0242\u00a0883 caractères, 2\u00a0000 au plus."
    ]
    assert not Visa.objects.filter(texte__startswith="Vu xxx").exists()


def test_un_texte_long_garde_ses_retours_a_la_ligne_mais_pas_les_caracteres_de_controle():
    donnees = minimal(
        avenants=[{"numero": 1, "date": "2027-06-30", "objet": "Ligne 1\nLigne 2\tsuite\x1b[31m", "signataires": ""}]
    )
    assert refus(donnees) == ["avenants[0].objet : échappement (U+001B) interdit (position 22) : retirez ce caractère."]


@pytest.mark.parametrize("jour", ["0001-01-01", "1899-12-31", "2101-01-01", "9999-12-31"])
def test_une_date_hors_de_1900_2100_est_refusee_avec_sa_place(jour):
    erreurs = refus(minimal(deliberation={"instance": "conseil_communautaire", "date": jour, "numero": "D1"}))
    assert erreurs == [f"deliberation.date : date hors des limites « {jour} » : l'année doit être entre 1900 et 2100."]


def test_une_date_de_debut_en_l_an_1_est_refusee():
    assert refus(minimal(date_debut="0001-01-01"))[0] == (
        "date_debut : date hors des limites « 0001-01-01 » : l'année doit être entre 1900 et 2100."
    )


@pytest.mark.parametrize(
    ("texte", "message"),
    [
        ('{"version": ' + "9" * 400 + "}", "JSON invalide : nombre de 400 chiffres (30 au plus)."),
        ('{"version": 1e400}', "JSON invalide : nombre hors des limites « 1e400 »."),
    ],
)
def test_un_nombre_demesure_est_refuse(tmp_path, texte, message):
    chemin = fichier(tmp_path, texte)
    with pytest.raises(ErreurEchange) as exc:
        lire_fichier(chemin)
    assert exc.value.erreurs == [f"Fichier « {chemin} » : {message}"]


def test_un_fichier_trop_volumineux_n_est_pas_lu(tmp_path, settings):
    settings.CTG_ECHANGE_TAILLE_MAX = 1024
    chemin = fichier(tmp_path, json.dumps(minimal(note="x" * 2000)))
    with pytest.raises(ErreurEchange) as exc:
        lire_fichier(chemin)
    taille = taille_lisible(chemin.stat().st_size)
    assert exc.value.erreurs == [
        f"Fichier « {chemin} » trop volumineux : {taille}, 1 ko au plus (CTG_ECHANGE_TAILLE_MAX) ; importez les "
        "conventions en plusieurs fichiers."
    ]

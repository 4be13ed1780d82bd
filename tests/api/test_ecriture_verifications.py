"""The Caf's verification of a commune's funding through the API: the commune page's form and rights
(``ctg.financement.regles.enregistrer_verification_saisie``), JSON or multipart with an attachment checked by
``ctg.televersement`` as on the page, read back through the GET, nothing written on a refusal."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ctg.api.jetons import creer_jeton
from ctg.demo.comptes import creer_comptes_demo
from ctg.financement.models import Verification

from .conftest import entete

CORPS = {"annee": 2023, "conclusion": "conforme", "documents": "Compte de résultat 2023 de la crèche"}


@pytest.fixture
def reference(convention_cambrai):
    creer_comptes_demo(convention_cambrai)
    return convention_cambrai


def _url(reference, commune="59122"):
    return f"/api/v1/conventions/{reference.pk}/communes/{commune}/verifications"


def _etat():
    return list(Verification.objects.values_list("annee", "conclusion", "commentaire", "fichier_nom", "fichier_type"))


def test_verification_en_json_puis_remplacee_avec_piece_jointe(client, reference, jeton_de):
    secret = jeton_de("demo", ecriture=True)
    cree = client.post(_url(reference), CORPS, content_type="application/json", **entete(secret))
    assert cree.status_code == 201, cree.content
    assert (cree.json()["conclusion_libelle"], cree.json()["piece_jointe"]) == (
        "Financement maintenu : bonus versé",
        "",
    )
    # the same year again, as a form with an attachment: the former one replaced (it stays in the history)
    piece_envoyee = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"
    piece = SimpleUploadedFile("compte 2023.pdf", piece_envoyee)
    corps = {**CORPS, "conclusion": "non_conforme", "commentaire": "Baisse de 10 %", "fichier": piece}
    remplacee = client.post(_url(reference), corps, **entete(secret))
    assert remplacee.status_code == 200, remplacee.content
    lues = client.get(_url(reference), **entete(jeton_de("lecture"))).json()["items"]
    assert [(v["annee"], v["conclusion"], v["piece_jointe"], v["piece_jointe_type"]) for v in lues] == [
        (2023, "non_conforme", "compte 2023.pdf", "application/pdf")
    ]
    verification = Verification.objects.get()
    with verification.fichier.open("rb") as fichier:
        assert fichier.read().startswith(b"%PDF")
    assert verification.historique.count() == 2
    # the attachment downloaded through the address the reading gives, as an attachment, by any member
    assert cree.json()["piece_jointe_url"] is None
    telechargee = client.get(lues[0]["piece_jointe_url"], **entete(jeton_de("lecture")))
    assert telechargee.status_code == 200
    assert b"".join(telechargee.streaming_content) == piece_envoyee
    assert telechargee["Content-Type"] == "application/pdf"
    assert telechargee["Content-Disposition"].startswith("attachment;")
    assert telechargee["X-Content-Type-Options"] == "nosniff"


def test_piece_jointe_introuvable_hors_convention_ou_sans_piece(client, reference, jeton_de, etranger):
    secret = jeton_de("demo", ecriture=True)
    sans_piece = client.post(_url(reference), CORPS, content_type="application/json", **entete(secret)).json()
    url = f"/api/v1/conventions/{reference.pk}/verifications/{sans_piece['id']}/piece-jointe"
    reponse = client.get(url, **entete(secret))
    assert (reponse.status_code, reponse.json()["message"]) == (404, "Aucune pièce jointe.")
    dehors = creer_jeton(etranger, "Étranger")[1]
    assert client.get(url, **entete(dehors)).status_code == 404


def test_piece_refusee_et_saisie_invalide_422_rien_n_est_ecrit(client, reference, jeton_de):
    secret = jeton_de("demo", ecriture=True)
    avant = _etat()
    page_web = SimpleUploadedFile("compte.pdf", b"<!DOCTYPE html><html><script>alert(1)</script></html>")
    refusee = client.post(_url(reference), {**CORPS, "fichier": page_web}, **entete(secret))
    assert refusee.status_code == 422
    assert refusee.json()["erreurs"][0]["champ"] == "fichier"
    sans_documents = client.post(
        _url(reference), {**CORPS, "documents": ""}, content_type="application/json", **entete(secret)
    )
    assert sans_documents.status_code == 422
    assert sans_documents.json()["erreurs"] == [{"champ": "documents", "message": "Ce champ est obligatoire."}]
    illisible = client.post(_url(reference), "[1]", content_type="application/json", **entete(secret))
    assert illisible.status_code == 400
    assert _etat() == avant


def test_seule_la_caf_verifie_et_hors_convention_404(client, reference, jeton_de, etranger):
    avant = _etat()
    for compte in ("chef.projet", "referent.commune", "lecture"):
        reponse = client.post(
            _url(reference), CORPS, content_type="application/json", **entete(jeton_de(compte, ecriture=True))
        )
        assert reponse.status_code == 403, compte
    lecture_seule = client.post(_url(reference), CORPS, content_type="application/json", **entete(jeton_de("demo")))
    assert lecture_seule.status_code == 403
    dehors = creer_jeton(etranger, "Étranger", ecriture=True)[1]
    assert client.post(_url(reference), CORPS, content_type="application/json", **entete(dehors)).status_code == 404
    secret = jeton_de("demo", ecriture=True)
    autre = client.post(_url(reference, "75056"), CORPS, content_type="application/json", **entete(secret))
    assert autre.status_code == 404
    assert _etat() == avant

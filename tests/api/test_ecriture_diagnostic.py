"""Writing the text of the shared diagnostic through the API: a section (the synthesis, a domain's shared comment)
through the page's ``SyntheseForm`` and ``partage.enregistrer_texte``, its rights (``diagnostic.perms``), its
concurrency check (409 ``version_perimee``) and its lock once submitted (409)."""

from datetime import date

import pytest

from ctg.diagnostic.models import CommentaireDomaine, DiagnosticConvention
from ctg.diagnostic.partage import diagnostic_de, soumettre

from .conftest import entete


@pytest.fixture
def reference(convention_cambrai):
    """The reference convention with its demo accounts only."""
    from ctg.demo.comptes import creer_comptes_demo

    creer_comptes_demo(convention_cambrai)
    return convention_cambrai


def _ecrire(client, reference, section, corps, secret):
    url = f"/api/v1/conventions/{reference.pk}/diagnostic/sections/{section}"
    return client.put(url, corps, content_type="application/json", **entete(secret))


def test_la_cheffe_de_projet_ecrit_la_synthese_puis_un_commentaire_de_domaine(client, reference, jeton_de):
    secret = jeton_de("chef.projet", ecriture=True)
    lu = client.get(f"/api/v1/conventions/{reference.pk}/diagnostic", **entete(secret)).json()
    corps = {"texte": "Une offre d'accueil à conforter.", "version": lu["version"]}
    reponse = _ecrire(client, reference, "synthese", corps, secret)
    assert reponse.status_code == 200, reponse.content
    version = reponse.json()["version"]
    reponse = _ecrire(client, reference, "jeunesse", {"texte": "Des foyers ruraux.", "version": version}, secret)
    assert reponse.status_code == 200, reponse.content

    lu = client.get(f"/api/v1/conventions/{reference.pk}/diagnostic", **entete(secret)).json()
    assert (lu["synthese"], lu["commentaires"], lu["version"]) == (
        "Une offre d'accueil à conforter.",
        [{"domaine": "jeunesse", "texte": "Des foyers ruraux."}],
        version + 1,
    )
    assert DiagnosticConvention.objects.get().historique.latest().history_user.username == "chef.projet"

    # an emptied comment is removed; the synthesis stays
    assert _ecrire(client, reference, "jeunesse", {"texte": ""}, secret).status_code == 200
    assert not CommentaireDomaine.objects.exists()
    # a stale version: refused, nothing written
    reponse = _ecrire(client, reference, "synthese", {"texte": "Écrasée ?", "version": version}, secret)
    assert (reponse.status_code, reponse.json()["code"]) == (409, "version_perimee")
    assert DiagnosticConvention.objects.get().synthese == "Une offre d'accueil à conforter."


def test_section_refusee_par_le_role_la_saisie_ou_l_etat(client, reference, jeton_de):
    assert _ecrire(client, reference, "synthese", {"texte": "x"}, jeton_de("referent.commune", True)).status_code == 403
    secret = jeton_de("demo", ecriture=True)
    reponse = _ecrire(client, reference, "inconnue", {"texte": "x"}, secret)
    assert reponse.status_code == 404
    assert "Sections : synthese, " in reponse.json()["message"]
    reponse = _ecrire(client, reference, "synthese", {"texte": "bip\x07"}, secret)
    assert (reponse.status_code, reponse.json()["erreurs"][0]["champ"]) == (422, "texte")
    assert not DiagnosticConvention.objects.filter(synthese__contains="bip").exists()

    diagnostic = diagnostic_de(reference)
    diagnostic.synthese = "À valider."
    diagnostic.save()
    soumettre(diagnostic, date(2026, 11, 2))
    reponse = _ecrire(client, reference, "synthese", {"texte": "Trop tard"}, secret)
    assert reponse.status_code == 409
    assert reponse.json()["message"].startswith("Le diagnostic est soumis au comité de pilotage depuis le 02/11/2026")
    assert DiagnosticConvention.objects.get().synthese == "À valider."

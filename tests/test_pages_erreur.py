import pytest

pytestmark = pytest.mark.django_db


def test_page_introuvable_en_francais(client_connecte):
    reponse = client_connecte.get("/cette-page-n-existe-pas/")
    assert reponse.status_code == 404
    assert "Page introuvable" in reponse.content.decode()


def test_acces_refuse_en_francais(client, convention_cambrai):
    from ctg.demo.comptes import creer_comptes_demo

    creer_comptes_demo(convention_cambrai)
    client.login(username="lecture", password="ctg-demo-2026")
    reponse = client.get(f"/conventions/{convention_cambrai.pk}/modifier/")
    assert reponse.status_code == 403
    assert "Votre rôle sur cette convention ne permet pas de la modifier." in reponse.content.decode()

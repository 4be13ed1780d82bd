"""Joint communication (article 8): approval by every party before publication, changes reset approvals, the
parties' logos (upload checked by content and size, printed on the joint documents)."""

import struct
import zlib
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ctg.comptes.models import organisation_epci
from ctg.conventions import communication as regles
from ctg.conventions.document import document_convention
from ctg.conventions.views_communication import LogoForm
from ctg.documents.rendu_pdf import rendre_html

pytestmark = pytest.mark.django_db


def png(largeur=2, hauteur=2, bourrage=0) -> bytes:
    """A valid PNG (grey pixels); ``bourrage`` bytes of an ancillary chunk make it heavier."""

    def bloc(type_, donnees):
        return struct.pack(">I", len(donnees)) + type_ + donnees + struct.pack(">I", zlib.crc32(type_ + donnees))

    lignes = b"".join(b"\x00" + b"\x80" * largeur for _ in range(hauteur))
    return (
        b"\x89PNG\r\n\x1a\n"
        + bloc(b"IHDR", struct.pack(">IIBBBBB", largeur, hauteur, 8, 0, 0, 0, 0))
        + (bloc(b"tEXt", b"c\x00" + b"x" * bourrage) if bourrage else b"")
        + bloc(b"IDAT", zlib.compress(lignes))
        + bloc(b"IEND", b"")
    )


@pytest.fixture
def comptes(convention_cambrai):
    from django.contrib.auth import get_user_model

    from ctg.demo.comptes import creer_comptes_demo

    creer_comptes_demo(convention_cambrai)
    return {u.username: u for u in get_user_model().objects.all()}


@pytest.fixture
def article(convention_cambrai, comptes):
    return regles.creer(
        convention_cambrai,
        comptes["demo"],
        objet="Inauguration du relais",
        support="communique",
        date_prevue=date(2026, 12, 10),
        contenu="La Caf et la collectivité inaugurent ensemble le relais.",
    )


def test_pas_de_publication_sans_l_approbation_de_chaque_partie(article, comptes):
    regles.approuver(article, comptes["demo"])  # the Caf
    with pytest.raises(regles.CommunicationImpossible, match="CA de Cambrai|Cambrai"):
        regles.publier(article, comptes["demo"])
    article.refresh_from_db()
    assert not article.est_publiee
    with pytest.raises(regles.CommunicationImpossible, match="déjà approuvé"):
        regles.approuver(article, comptes["membre.copil"])  # also the Caf's staff: one approval per party
    with pytest.raises(regles.CommunicationImpossible):
        regles.approuver(article, comptes["referent.commune"])  # a commune is not a party
    with pytest.raises(regles.CommunicationImpossible):
        regles.approuver(article, comptes["lecture"])  # the collectivité's staff, but read-only
    approbation = regles.approuver(article, comptes["chef.projet"])  # the collectivité
    assert approbation.organisation == organisation_epci(article.convention.epci)
    assert approbation.approuvee_par == comptes["chef.projet"] and approbation.approuvee_le is not None
    regles.publier(article, comptes["chef.projet"])
    article.refresh_from_db()
    assert article.est_publiee and article.publiee_par == comptes["chef.projet"]
    with pytest.raises(regles.CommunicationImpossible, match="publiée"):
        regles.modifier(article, comptes["demo"], contenu="Autre texte")


def test_une_modification_retire_les_approbations(article, comptes):
    regles.approuver(article, comptes["demo"])
    regles.approuver(article, comptes["chef.projet"])
    assert not regles.modifier(article, comptes["demo"], objet=article.objet)  # nothing changed: approvals stay
    assert article.approbations.count() == 2
    assert regles.modifier(article, comptes["demo"], date_prevue=date(2026, 12, 17))
    assert article.approbations.count() == 0
    assert regles.parties_manquantes(article) == ["Caf du Nord", "CA de Cambrai"]
    assert article.historique.count() == 2 and article.approbations.model.historique.count() == 4  # 2 in, 2 out


def test_le_logo_refuse_svg_html_et_fichier_trop_lourd():
    def erreurs(nom, contenu, type_="image/png"):
        form = LogoForm(files={"logo": SimpleUploadedFile(nom, contenu, content_type=type_)})
        return form.errors.get("logo", [])

    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    assert "SVG" in erreurs("logo.svg", svg, "image/svg+xml")[0]
    assert erreurs("logo.png", svg)  # an SVG named .png: refused by its content
    assert "balisage" in erreurs("logo.png", b"<html><body>logo</body></html>")[0]
    assert "trop volumineux" in erreurs("logo.png", png(bourrage=regles.TAILLE_MAX_LOGO))[0]
    assert erreurs("logo.gif", b"GIF89a" + b"\x00" * 20)  # another image type
    assert erreurs("logo.png", png()) == []


def test_les_logos_des_parties_figurent_sur_la_convention(convention_cambrai, comptes, settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**settings.STORAGES["default"], "OPTIONS": {"location": tmp_path}},
    }
    assert "<img" not in rendre_html(document_convention(convention_cambrai, None))
    for organisation in (convention_cambrai.caf, organisation_epci(convention_cambrai.epci)):
        form = LogoForm(files={"logo": SimpleUploadedFile("logo.png", png(), content_type="image/png")})
        assert form.is_valid()
        regles.deposer_logo(organisation, form.cleaned_data["logo"])
    html = rendre_html(document_convention(convention_cambrai, None))
    assert html.count('<img src="data:image/png;base64,') == 2
    assert 'alt="Logo de Caf du Nord (caf)"' in html and "Logo de CA de Cambrai (collectivité)" in html


def test_pages_de_la_communication(client, article, comptes):
    client.force_login(comptes["chef.projet"])
    page = client.get(f"/conventions/{article.convention_id}/communication/{article.pk}/").content.decode()
    assert "Approuver au nom de CA de Cambrai" in page and "il manque l'approbation de Caf du Nord" in page
    reponse = client.post(f"/conventions/{article.convention_id}/communication/{article.pk}/approuver/")
    assert reponse.status_code == 302 and article.approbations.count() == 1
    client.force_login(comptes["referent.commune"])
    reponse = client.post(f"/conventions/{article.convention_id}/communication/{article.pk}/approuver/")
    assert article.approbations.count() == 1  # refused, with a message


def test_la_demo_a_une_communication_approuvee_par_les_deux_parties(convention_cambrai, comptes):
    from ctg.demo.communication import charger_demo_communication

    (objet,) = charger_demo_communication(convention_cambrai)
    assert objet.demonstration and objet.est_publiee and "(démonstration)" in objet.objet
    assert regles.parties_manquantes(objet) == []
    assert {a.approuvee_par.username for a in objet.approbations.all()} == {"demo", "chef.projet"}
    assert len(charger_demo_communication(convention_cambrai)) == 1  # loading again replaces it
    assert convention_cambrai.communications.count() == 1

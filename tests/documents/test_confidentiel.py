"""Article 14: working documents marked confidential (banner, header mention, PDF watermark) and their downloads
logged for the convention's editors only."""

from io import BytesIO

import pytest
from django.apps import apps
from django.template import Context, Template

from ctg.documents import MENTION_CONFIDENTIELLE, Document, Paragraphe, rendre_docx, rendre_pdf, rendre_texte
from ctg.documents.confidentialite import ETATS_DE_TRAVAIL, est_document_de_travail
from ctg.documents.models import TelechargementConfidentiel
from ctg.plan.models import Plan, StatutPlan

pytestmark = pytest.mark.django_db


def test_les_etats_de_travail_sont_des_etats_de_leurs_modeles():
    for label, etats in ETATS_DE_TRAVAIL.items():
        champ = apps.get_model(label)._meta.get_field("statut")
        assert etats < {valeur for valeur, _ in champ.choices}, label


def test_bandeau_sur_un_brouillon_et_pas_sur_un_document_approuve():
    gabarit = Template("{% load confidentialite %}{% bandeau_confidentiel objet %}")
    brouillon = gabarit.render(Context({"objet": Plan(statut=StatutPlan.EN_PREPARATION)}))
    adopte = gabarit.render(Context({"objet": Plan(statut=StatutPlan.ADOPTE)}))
    assert MENTION_CONFIDENTIELLE in brouillon and "bandeau-confidentiel" in brouillon
    assert "bandeau-confidentiel" not in adopte and not est_document_de_travail(None)


def test_mention_et_filigrane_dans_les_editions_d_un_document_de_travail():
    from docx import Document as Docx
    from pypdf import PdfReader

    document = Document(titre="Plan", blocs=[Paragraphe("Texte du plan.")], entete="Plan d'actions", confidentiel=True)
    texte = "".join(page.extract_text() for page in PdfReader(BytesIO(rendre_pdf(document))).pages)
    assert "Document de travail confidentiel — article 14 de la convention" in texte  # the header
    assert texte.count("Document de travail confidentiel") == 2  # and the watermark
    entete = Docx(BytesIO(rendre_docx(document))).sections[0].header.paragraphs
    assert [p.text for p in entete] == [MENTION_CONFIDENTIELLE, "Plan d'actions"]
    assert rendre_texte(document).decode().startswith(MENTION_CONFIDENTIELLE)
    document.confidentiel = False
    assert MENTION_CONFIDENTIELLE not in rendre_texte(document).decode()


def test_un_telechargement_confidentiel_est_journalise_et_lu_par_les_editeurs(client, compte_demo, convention_cambrai):
    from django.contrib.auth import get_user_model

    compte_demo("referent.commune")
    assert (
        client.get(f"/plan/conventions/{convention_cambrai.pk}/plan.docx").status_code == 200
    )  # a plan in preparation
    ligne = TelechargementConfidentiel.objects.get()
    assert (ligne.convention, ligne.user.username, ligne.document, ligne.format) == (
        convention_cambrai,
        "referent.commune",
        "Plan d'actions",
        "docx",
    )
    journal = f"/rgpd/conventions/{convention_cambrai.pk}/telechargements-confidentiels/"
    for identifiant in ("demo", "chef.projet"):
        page = compte_demo(identifiant).get(journal)
        assert page.status_code == 200 and "Alex Exemple" in page.content.decode()
    for identifiant in ("referent.commune", "membre.copil", "lecture"):
        assert compte_demo(identifiant).get(journal).status_code == 403
    client.force_login(get_user_model().objects.create_user("etranger", password="x"))
    assert client.get(journal).status_code == 404


def test_le_compte_rendu_non_approuve_est_marque_et_son_telechargement_journalise(compte_demo, convention_cambrai):
    from datetime import date

    from ctg.conventions.cycle import actualiser
    from ctg.gouvernance import reunions
    from ctg.gouvernance.models import Reunion
    from ctg.gouvernance.regles import comite_de

    actualiser(convention_cambrai)
    reunion = Reunion.objects.create(
        comite=comite_de(convention_cambrai), date=date(2023, 3, 14), compte_rendu="Projet de compte rendu."
    )
    client = compte_demo("membre.copil")
    page = client.get(reunion.get_absolute_url()).content.decode()
    assert "bandeau-confidentiel" in page
    adresse = f"{reunion.get_absolute_url()}compte-rendu.txt"
    assert client.get(adresse).status_code == 200
    ligne = TelechargementConfidentiel.objects.get()
    assert (ligne.user.username, ligne.document, ligne.format) == ("membre.copil", "Compte rendu du 14/03/2023", "txt")

    Reunion.objects.filter(pk=reunion.pk).update(statut="tenue")  # held (its attendance is not the point here)
    reunions.approuver_compte_rendu(Reunion.objects.get(pk=reunion.pk), jour=date(2023, 9, 20))
    assert "bandeau-confidentiel" not in client.get(reunion.get_absolute_url()).content.decode()
    client.get(adresse)
    assert TelechargementConfidentiel.objects.count() == 1  # approved minutes: no longer a working document

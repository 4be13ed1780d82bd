"""Invitations with a valid .ics (read back), the minutes as PDF and DOCX, the decisions as XLSX, the calendar."""

import io
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from icalendar import Calendar
from openpyxl import load_workbook

from ctg import horloge
from ctg.diagnostic.partage import diagnostic_de
from ctg.gouvernance import ics, tableaux
from ctg.gouvernance.convocations import envoyer_convocations
from ctg.gouvernance.decisions import enregistrer_decision
from ctg.gouvernance.documents import compte_rendu, convocation, decisions_de, rendre_document
from ctg.gouvernance.models import Comite, PointOrdreDuJour, Reunion, StatutReunion

from ..lecture import texte_docx, texte_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def reunion_planifiee(comite):
    reunion = Reunion.objects.create(
        comite=comite,
        date=date(2026, 12, 8),
        heure_debut=time(14, 0),
        heure_fin=time(16, 30),
        lieu="Siège de la CA de Cambrai, salle du conseil; 2e étage",
        lien_visio="https://visio.example.org/copil",
    )
    PointOrdreDuJour.objects.create(reunion=reunion, ordre=1, rubrique="evaluation", intitule="Bilan final")
    PointOrdreDuJour.objects.create(
        reunion=reunion, ordre=2, rubrique="plan", intitule="Renouvellement : « diagnostic à actualiser », étapes"
    )
    return reunion


def _relire(contenu: bytes | str) -> Calendar:
    """The file read back by icalendar, after checking it is made of CRLF lines of at most 75 octets."""
    brut = contenu.encode("utf-8") if isinstance(contenu, str) else contenu
    assert b"\n" not in brut.replace(b"\r\n", b""), "RFC 5545 impose CRLF"
    assert all(len(ligne) <= 75 for ligne in brut.split(b"\r\n")), "lignes de plus de 75 octets non pliées"
    return Calendar.from_ical(brut)


def _participants(evenement) -> dict[str, dict]:
    return {str(adresse): dict(adresse.params) for adresse in evenement.attendees}


def test_invitation_par_courriel_avec_ics_relu(reunion_planifiee, mailoutbox, comite):
    envoi = envoyer_convocations(reunion_planifiee)
    assert len(mailoutbox) == 6 and len(envoi.destinataires) == 6 and envoi.sans_adresse == []
    message = next(m for m in mailoutbox if m.to == ["anne@example.org"])
    assert message.subject.startswith("Convocation : Comité de pilotage du 08/12/2026")
    assert "Bilan final" in message.body and "voix délibérative" in message.body
    consultatif = next(m for m in mailoutbox if m.to == ["émile@example.org"])
    assert "à titre consultatif" in consultatif.body
    nom, contenu, type_mime = message.attachments[0]
    assert nom == "copil-2026-12-08.ics" and type_mime.startswith("text/calendar; method=REQUEST")

    calendrier = _relire(contenu)
    assert calendrier["METHOD"] == "REQUEST"
    assert [c.name for c in calendrier.subcomponents] == ["VTIMEZONE", "VEVENT"]
    (evenement,) = calendrier.events
    assert evenement["UID"] == f"{reunion_planifiee.uid}@ctg"
    assert evenement["DTSTART"].params["TZID"] == "Europe/Paris"
    assert evenement.start == datetime(2026, 12, 8, 14, tzinfo=ZoneInfo("Europe/Paris"))
    assert evenement.end == datetime(2026, 12, 8, 16, 30, tzinfo=ZoneInfo("Europe/Paris"))
    assert timedelta(0) <= horloge.maintenant() - evenement.stamp < timedelta(minutes=1)  # the pinned clock
    assert evenement["DTSTAMP"].to_ical().endswith(b"Z")
    assert evenement["LOCATION"] == "Siège de la CA de Cambrai, salle du conseil; 2e étage"  # unescaped back
    assert "2. Renouvellement : « diagnostic à actualiser », étapes" in evenement["DESCRIPTION"]
    assert evenement.sequence == 0 and evenement["STATUS"] == "CONFIRMED"
    participants = _participants(evenement)
    assert len(participants) == 6
    assert participants["mailto:anne@example.org"]["ROLE"] == "REQ-PARTICIPANT"
    assert participants["mailto:anne@example.org"]["CN"] == "Anne Test"
    assert participants["mailto:émile@example.org"]["ROLE"] == "OPT-PARTICIPANT"
    assert str(evenement["ORGANIZER"]).startswith("mailto:")
    assert evenement["ORGANIZER"].params["CN"] == reunion_planifiee.comite.convention.caf.nom

    # sent again: a new SEQUENCE, so that calendars update the event
    envoyer_convocations(reunion_planifiee)
    (evenement,) = _relire(mailoutbox[-1].attachments[0][1]).events
    assert evenement.sequence == 1
    reunion_planifiee.refresh_from_db()
    assert reunion_planifiee.convocations_envoyees_le is not None


def test_un_nom_de_membre_ne_peut_pas_ajouter_de_participant(reunion_planifiee, comite):
    anne = comite.m["anim"]
    anne.nom = "Test\r\nATTENDEE;CN=Intrus;ROLE=REQ-PARTICIPANT:mailto:intrus@example.net"
    anne.save()
    bruno = comite.m["caf"]
    bruno.email = "bruno@example.org\r\nATTENDEE:mailto:intrus@example.net"  # not a valid address: left out
    bruno.save()
    comite.nom = "Comité\r\nATTENDEE:mailto:autre@example.net\nX"
    comite.save()

    (evenement,) = _relire(ics.invitation(reunion_planifiee)).events

    participants = _participants(evenement)
    assert sorted(participants) == sorted(f"mailto:{m.email}" for m in comite.m.values() if m != bruno)
    assert participants["mailto:anne@example.org"]["CN"] == (
        "Anne Test ATTENDEE;CN=Intrus;ROLE=REQ-PARTICIPANT:mailto:intrus@example.net"
    )
    assert evenement["SUMMARY"].startswith("Comité\nATTENDEE:mailto:autre@example.net\nX — ")


def test_les_caracteres_de_controle_ne_vont_pas_dans_le_fichier(reunion_planifiee):
    # (NUL is refused by the forms and PostgreSQL cannot store it: the other control characters are tried here.)
    reunion_planifiee.lieu = "Salle\x0c\x07 du conseil\x1b"
    reunion_planifiee.lien_visio = "https://visio.example.org/\r\nATTENDEE:mailto:intrus@example.net"
    reunion_planifiee.save()

    brut = ics.invitation(reunion_planifiee)

    assert not any(octet < 0x20 and octet not in (0x0D, 0x0A) for octet in brut)
    (evenement,) = _relire(brut).events
    assert evenement["LOCATION"] == "Salle du conseil"
    assert "URL" not in evenement  # not a valid address: left out rather than written raw
    assert "mailto:intrus@example.net" not in _participants(evenement)


def test_commande_calendrier_annuel(convention, reunion_planifiee, comite, tmp_path):
    Reunion.objects.create(comite=comite, date=date(2026, 3, 10), lieu="Cambrai", statut=StatutReunion.TENUE)
    Reunion.objects.create(comite=comite, date=date(2026, 6, 2), lieu="Cambrai", statut=StatutReunion.ANNULEE)
    Reunion.objects.create(comite=comite, date=date(2025, 10, 7), lieu="Cambrai", statut=StatutReunion.TENUE)
    sortie = io.StringIO()
    fichier = tmp_path / "copil.ics"
    call_command("copil_calendrier", convention.ctes_identifiant, output=str(fichier), annee=2026, stdout=sortie)
    assert "3 réunions en 2026 écrites" in sortie.getvalue()
    calendrier = _relire(fichier.read_bytes())
    assert calendrier["METHOD"] == "PUBLISH"
    assert calendrier["X-WR-CALNAME"] == f"Comité de pilotage CTG {convention.epci.nom} 2026"
    evenements = calendrier.events
    assert [e.start.date() for e in evenements] == [date(2026, 3, 10), date(2026, 6, 2), date(2026, 12, 8)]
    assert [e["STATUS"] for e in evenements] == ["CONFIRMED", "CANCELLED", "CONFIRMED"]
    assert all("ATTENDEE" not in e for e in evenements)

    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="n'existe pas"):
        call_command("copil_calendrier", str(convention.pk), output=str(tmp_path / "absent" / "x.ics"))


@pytest.fixture
def reunion_avec_decisions(convention, comite, reunion_tenue):
    diagnostic = diagnostic_de(convention)
    diagnostic.synthese = "Synthèse."
    diagnostic.save()
    reunion_tenue.compte_rendu = "Le pilote présente la synthèse.\nLes membres échangent sur les besoins."
    reunion_tenue.save()
    m = comite.m
    enregistrer_decision(
        reunion_tenue,
        "Le comité valide le diagnostic partagé.",
        "vote",
        "diagnostic_valide",
        votes={m["anim"]: "pour", m["caf"]: "pour", m["pilote"]: "pour", m["col"]: "abstention"},
    )
    enregistrer_decision(reunion_tenue, "Horaires élargis du relais.", "consensus", "action_adaptee", "Fiche 1.2")
    return reunion_tenue


def test_compte_rendu_pdf_et_docx(reunion_avec_decisions):
    pdf = rendre_document(reunion_avec_decisions, "compte-rendu", "pdf")
    assert pdf.startswith(b"%PDF")
    docx = rendre_document(reunion_avec_decisions, "compte-rendu", "docx")
    assert docx.startswith(b"PK")
    for texte in (texte_pdf(pdf), texte_docx(docx)):
        aplati = " ".join(texte.split())
        assert "Compte rendu du comité de pilotage" in aplati
        assert "Présences" in aplati and "Anne Test" in aplati and "Émile Test" in aplati
        assert "Présent·e" in aplati
        assert "quorum : 3 — atteint" in aplati
        assert "Parité des présents ou représentés : respectée — 2 Caf / 2 collectivité." in aplati
        assert "Le pilote présente la synthèse." in aplati
        assert "Décision n° 1 — Diagnostic validé" in aplati
        assert "adoptée (3 pour, 0 contre, 1 abstention)" in aplati
        assert "Diagnostic partagé validé le 14/03/2023." in aplati
        assert "Décision n° 2 — Action adaptée" in aplati and "adoptée par consensus" in aplati
        assert "Secrétariat de séance : Flore Test" in aplati


def test_convocation_pdf(reunion_planifiee):
    texte = " ".join(texte_pdf(rendre_document(reunion_planifiee, "convocation", "pdf")).split())
    assert "Convocation au comité de pilotage" in texte and "le 08/12/2026 de 14:00 à 16:30" in texte
    assert "Bilan final" in texte and "Visioconférence : https://visio.example.org/copil" in texte
    assert "Personne ressource (à titre consultatif)" in texte
    assert convocation(reunion_planifiee).titre.startswith("Convocation")
    assert "Compte rendu à rédiger" in " ".join(
        b.fragments[0].texte for b in compte_rendu(reunion_planifiee).blocs if hasattr(b, "fragments") and b.fragments
    )


def _decisions_xlsx(convention) -> bytes:
    liste = tableaux.decisions_avec_resultat(decisions_de(convention))
    return tableaux.decisions(convention, liste, avec_comite=True).contenu("xlsx")


def test_decisions_xlsx(convention, reunion_avec_decisions):
    classeur = load_workbook(io.BytesIO(_decisions_xlsx(convention)))
    feuille = classeur["Décisions"]
    lignes = [[c.value for c in ligne] for ligne in feuille.iter_rows()]
    entete = next(i for i, ligne in enumerate(lignes) if ligne[0] == "Réunion")
    assert lignes[entete] == tableaux.entetes_decisions(avec_comite=True)
    donnees = lignes[entete + 1 :]
    assert len(donnees) == 2
    assert donnees[0][:2] == ["14/03/2023", "Comité de pilotage"] and donnees[0][2] == 1
    assert donnees[0][3] == "Le comité valide le diagnostic partagé." and donnees[0][4] == "Diagnostic validé"
    assert donnees[0][6] == "adoptée (3 pour, 0 contre, 1 abstention)"
    assert donnees[1][5] == "Fiche 1.2" and donnees[1][6] == "adoptée par consensus"


def test_decisions_xlsx_sans_formule(convention, reunion_tenue):
    enregistrer_decision(reunion_tenue, '=HYPERLINK("http://x")', "consensus", "autre", "-2+3")

    feuille = load_workbook(io.BytesIO(_decisions_xlsx(convention)))["Décisions"]
    ligne = next(ligne for ligne in feuille.iter_rows() if ligne[3].value and "HYPERLINK" in ligne[3].value)
    assert ligne[3].value == '\'=HYPERLINK("http://x")' and ligne[3].data_type == "s"
    assert ligne[5].value == "'-2+3" and ligne[5].data_type == "s"
    assert not any(c.data_type == "f" for rangee in feuille.iter_rows() for c in rangee)


def test_convocation_pdf_d_un_sous_comite_hostile_ne_charge_rien(convention, comite):
    from tests.documents.espion import serveur_espion

    with serveur_espion() as espion:
        sous_comite = Comite.objects.create(
            convention=convention, parent=comite, nom=f"\r}}}} html {{ background: url({espion.url}) }}"
        )
        reunion = Reunion.objects.create(comite=sous_comite, date=date(2026, 12, 8), lieu="Cambrai")
        pdf = rendre_document(reunion, "convocation", "pdf")
    assert pdf.startswith(b"%PDF")
    assert espion.requetes == []
    assert "html { background: url(http://127.0.0.1" in " ".join(texte_pdf(pdf).split())  # printed as text

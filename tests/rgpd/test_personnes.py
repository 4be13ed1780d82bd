"""People's rights: the product's register covers every model holding a name or an e-mail address; a person's
export holds their data and nothing of another person; anonymisation keeps decisions and dates and removes the
name everywhere (rows, history, the minutes' PDF); inactive accounts are deactivated, then anonymised."""

import json
import re
from datetime import date, timedelta
from io import BytesIO, StringIO

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import models

from ctg import horloge
from ctg.comptes.models import Role
from ctg.conventions.models import Invitation
from ctg.generations import memoire
from ctg.rgpd import personnes

pytestmark = pytest.mark.django_db

# A field whose name says it holds a person's name or e-mail address (and any e-mail field).
NOM_OU_COURRIEL = re.compile(r"(^|_)(nom|prenom|email|courriel|first_name|last_name|auteur|represente_par|signataire)")


def test_le_registre_couvre_chaque_modele_qui_nomme_une_personne():
    listes = {t.modele for t in personnes.REGISTRE}
    oublies = []
    for modele in apps.get_models():
        label = modele._meta.label
        if not (modele.__module__.startswith("ctg.") or label == "auth.User") or label.split(".")[1].startswith(
            "Historical"
        ):
            continue
        champs = [
            f.name
            for f in modele._meta.concrete_fields
            if isinstance(f, models.EmailField)
            or (isinstance(f, models.CharField | models.TextField) and NOM_OU_COURRIEL.search(f.name))
        ]
        champs = [c for c in champs if not c.endswith("_recherche")]
        if champs and label not in listes and label not in personnes.SANS_DONNEES_PERSONNELLES:
            oublies.append(f"{label} {champs}")
    assert not oublies, f"Modèles avec des données personnelles absents du registre (rgpd/personnes.py) : {oublies}"
    for traitement in personnes.REGISTRE:  # every field named exists
        modele = apps.get_model(traitement.modele)
        for champ in traitement.champs:
            modele._meta.get_field(champ)
    assert not listes & set(personnes.SANS_DONNEES_PERSONNELLES)


@pytest.fixture
def deux_personnes(convention_cambrai):
    User = get_user_model()
    alice = User.objects.create_user("alice", email="alice.martin@example.org", first_name="Alice", last_name="Martin")
    bruno = User.objects.create_user("bruno", email="bruno.petit@example.org", first_name="Bruno", last_name="Petit")
    convention_cambrai.habilitations.create(user=alice, role=Role.CHEF_PROJET)
    Invitation.objects.create(convention=convention_cambrai, email=bruno.email, role=Role.LECTURE, invitee_par=alice)
    Invitation.objects.create(convention=convention_cambrai, email=alice.email, role=Role.LECTURE, invitee_par=bruno)
    return alice, bruno


def test_l_export_contient_ses_donnees_et_rien_d_une_autre_personne(client, deux_personnes, tmp_path):
    alice, bruno = deux_personnes
    client.force_login(alice)
    reponse = client.post("/rgpd/mes-donnees/export.json")
    texte = reponse.content.decode()
    donnees = json.loads(texte)
    assert reponse["Content-Disposition"].startswith("attachment")
    assert donnees["identifiant"] == "alice" and "alice.martin@example.org" in texte
    rubriques = {s["modele"]: s["lignes"] for s in donnees["sections"]}
    assert rubriques["conventions.Habilitation"][0]["role"] == Role.CHEF_PROJET
    assert len(rubriques["conventions.Invitation"]) == 1  # the one she received, not the one she sent
    assert "bruno" not in texte.lower() and "Petit" not in texte
    sortie = tmp_path / "alice.json"
    call_command("donnees_personnelles", "alice", "--output", str(sortie), stdout=StringIO())
    assert json.loads(sortie.read_text())["sections"] == donnees["sections"]


@pytest.fixture
def minutes(convention_cambrai, deux_personnes):
    """A comité member who is Alice (same e-mail address), named in the minutes and a decision, minutes approved."""
    from ctg.conventions.cycle import actualiser
    from ctg.gouvernance import reunions
    from ctg.gouvernance.decisions import enregistrer_decision, enregistrer_presences
    from ctg.gouvernance.models import Cote, Membre, Reunion, RoleComite
    from ctg.gouvernance.regles import comite_de

    actualiser(convention_cambrai)
    alice, _ = deux_personnes
    comite = comite_de(convention_cambrai)
    commun = {"comite": comite, "debut": date(2022, 1, 1), "role": RoleComite.VOTANT}
    membres = [
        Membre.objects.create(prenom="Alice", nom="Martin", email=alice.email, cote=Cote.COLLECTIVITE,
                              organisation="CA de Cambrai", fonction="Vice-présidente", **commun),
        Membre.objects.create(prenom="Carla", nom="Roux", cote=Cote.CAF, organisation="Caf du Nord", **commun),
    ]  # fmt: skip
    reunion = Reunion.objects.create(comite=comite, date=date(2023, 3, 14), lieu="Salle du conseil")
    enregistrer_presences(reunion, {m: ("present", "") for m in membres}, aujourd_hui=date(2026, 11, 28))
    reunion.refresh_from_db()
    decision = enregistrer_decision(reunion, "Alice Martin présentera le calendrier au prochain comité.")
    reunion.refresh_from_db()
    reunion.compte_rendu = "Alice Martin présente le diagnostic ; Carla Roux le commente."
    reunion.save()
    reunions.approuver_compte_rendu(reunion, jour=date(2023, 9, 20))
    return reunion, membres[0], decision


def test_anonymiser_un_membre_du_comite_garde_les_decisions_et_efface_le_nom(minutes, deux_personnes):
    from pypdf import PdfReader

    from ctg.documents import rendre_pdf
    from ctg.gouvernance.documents import compte_rendu
    from ctg.gouvernance.models import Decision, Membre, Reunion

    reunion, membre, decision = minutes
    alice, bruno = deux_personnes
    jeton = memoire.jeton(reunion.comite.convention)
    call_command("anonymiser", "alice", stdout=StringIO())
    convention = type(reunion.comite.convention).objects.get(pk=reunion.comite.convention_id)
    assert jeton and memoire.jeton(convention) != jeton  # what the servers keep of it is computed again
    pseudo = f"Personne anonymisée n° {alice.pk}"
    membre.refresh_from_db()
    assert (membre.prenom, membre.nom, membre.email, membre.fonction) == (
        "Personne anonymisée",
        f"n° {alice.pk}",
        "",
        "",
    )
    assert (membre.debut, membre.cote) == (date(2022, 1, 1), "collectivite")  # the facts stay
    decision.refresh_from_db()
    assert decision.texte == f"{pseudo} présentera le calendrier au prochain comité."
    assert decision.enregistree_le is not None and Decision.objects.filter(reunion=reunion).count() == 1
    reunion.refresh_from_db()
    assert reunion.est_close and reunion.compte_rendu_approuve_le == date(2023, 9, 20)
    assert reunion.compte_rendu == f"{pseudo} présente le diagnostic ; Carla Roux le commente."
    historiques = [
        *Membre.historique.filter(id=membre.pk).values_list("prenom", "nom", "email"),
        *Reunion.historique.filter(id=reunion.pk).values_list("compte_rendu", flat=True),
        *Decision.historique.filter(id=decision.pk).values_list("texte", flat=True),
        *Invitation.historique.values_list("email", flat=True),
    ]
    assert historiques and "Martin" not in repr(historiques) and "alice" not in repr(historiques)
    alice.refresh_from_db()
    assert (alice.username, alice.email, alice.get_full_name(), alice.is_active) == (
        f"anonyme-{alice.pk}", "", pseudo, False
    )  # fmt: skip
    assert Invitation.objects.filter(email="bruno.petit@example.org").exists()  # another person: untouched
    pdf = rendre_pdf(compte_rendu(Reunion.objects.get(pk=reunion.pk)))
    texte = " ".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)
    assert "Martin" not in texte and pseudo in texte and "présentera le calendrier" in texte and "14/03/2023" in texte


def test_l_essai_d_anonymisation_n_ecrit_rien(minutes, deux_personnes, capsys):
    from ctg.gouvernance.models import Membre

    call_command("anonymiser", "alice", "--dry-run")
    sortie = capsys.readouterr().out
    assert "gouvernance.Membre" in sortie and "Alice" in sortie and "rien n'est écrit" in sortie
    assert Membre.objects.filter(prenom="Alice", nom="Martin", email="alice.martin@example.org").exists()
    assert get_user_model().objects.get(username="alice").is_active


@pytest.mark.date("2026-11-30")
def test_comptes_inactifs_desactives_puis_anonymises(settings, deux_personnes):
    settings.CTG_INACTIVITE_JOURS, settings.CTG_ANONYMISATION_JOURS = 365, 30
    alice, bruno = deux_personnes
    User = get_user_model()
    User.objects.filter(pk=alice.pk).update(last_login=horloge.maintenant() - timedelta(days=366))
    User.objects.filter(pk=bruno.pk).update(last_login=horloge.maintenant() - timedelta(days=300))
    resultat = personnes.traiter_inactifs()
    assert resultat.desactives == ["alice"] and resultat.anonymises == []
    assert not User.objects.get(pk=alice.pk).is_active and User.objects.get(pk=bruno.pk).is_active
    assert personnes.traiter_inactifs(horloge.aujourd_hui() + timedelta(days=29)).anonymises == []
    assert personnes.traiter_inactifs(horloge.aujourd_hui() + timedelta(days=30)).anonymises == ["alice"]
    assert User.objects.get(pk=alice.pk).username == f"anonyme-{alice.pk}"


def test_les_jetons_d_api_sont_exportes_puis_revoques_a_l_anonymisation(deux_personnes):
    from ctg.api.jetons import authentifier, creer_jeton

    alice, bruno = deux_personnes
    jeton, secret = creer_jeton(alice, "Tableau SIG d'Alice Martin")
    _, secret_bruno = creer_jeton(bruno, "Tableau de Bruno")
    rubriques = {s["modele"]: s["lignes"] for s in personnes.donnees_de(alice)["sections"]}
    assert [ligne["nom"] for ligne in rubriques["api.JetonApi"]] == ["Tableau SIG d'Alice Martin"]

    call_command("anonymiser", "alice", stdout=StringIO())
    jeton.refresh_from_db()
    assert jeton.nom == f"jeton n° {jeton.pk}" and jeton.revoque_le is not None
    assert authentifier(secret) is None and authentifier(secret_bruno) is not None  # another person: untouched

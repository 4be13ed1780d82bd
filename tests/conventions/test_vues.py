"""Pages of a convention, as each demo role uses them. Tests that act on the reference convention A (Caf du Nord ×
CA de Cambrai, 2022–2026) while it is in force pin a date inside its life; the others pass at any date."""

import json
from datetime import date

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError

from ctg import horloge
from ctg.comptes.models import Profil, Role, caf_du_departement
from ctg.conventions.models import Adhesion, Convention, Habilitation, Invitation, Statut
from ctg.territoires.models import Departement
from tests.conftest import DATE_TESTS, DATES_VUES

pytestmark = pytest.mark.django_db


@pytest.fixture
def conseillere(django_user_model):
    """A Caf de l'Ain adviser, allowed to set up conventions."""
    user = django_user_model.objects.create_user("conseillere", password="mot-de-passe-long-1")
    Profil.objects.create(user=user, organisation=caf_du_departement(Departement.objects.get(code="01")))
    user.user_permissions.add(Permission.objects.get(codename="add_convention"))
    return user


def test_les_pages_passent_aussi_aux_dates_demandees(request):
    """With CTG_DATES_VUES (the README's test command), each test of this module without a date of its own runs once
    more at each of those dates, the product's clock pinned there (tests/conftest.py)."""
    parametres = getattr(request.node, "callspec", None)
    attendue = parametres.params["date_de_la_vue"] if DATES_VUES else DATE_TESTS
    assert horloge.aujourd_hui() == date.fromisoformat(attendue)
    assert bool(parametres) == bool(DATES_VUES)


def test_creer_une_convention(client, conseillere):
    client.force_login(conseillere)
    reponse = client.post("/conventions/nouvelle/", {"epci": "200071751", "date_debut": "2025-01-01"})
    convention = Convention.objects.get(epci_id="200071751")
    assert reponse.status_code == 302 and reponse["Location"] == f"/conventions/{convention.pk}/"
    assert convention.caf.nom == "Caf de l'Ain"
    assert convention.date_fin == date(2029, 12, 31)
    assert convention.adhesions.count() == convention.epci.communes.count() > 0
    assert Habilitation.objects.get(user=conseillere, convention=convention).role == Role.CONSEILLER_CAF
    page = client.get(f"/conventions/{convention.pk}/").content.decode()
    assert "Caf de l&#x27;Ain" in page and "Brouillon" in page
    creation = convention.historique.get(history_type="+")
    assert (creation.history_user, creation.history_change_reason) == (conseillere, "Création")


def test_l_intercommunalite_se_choisit_par_son_nom_ou_arrive_choisie_de_sa_page(client, conseillere):
    client.force_login(conseillere)
    assert 'value="200071751"' in client.get("/conventions/nouvelle/?epci=200071751").content.decode()
    reponse = client.post("/conventions/nouvelle/", {"epci": "CA du Bassin de Bourg", "date_debut": "2025-01-01"})
    assert reponse.status_code == 302 and Convention.objects.get().epci_id == "200071751"


@pytest.mark.parametrize(
    ("donnees", "message"),
    [
        ({"epci": "123456789", "date_debut": "2025-01-01"}, "Aucun EPCI de SIREN"),
        ({"epci": "Ville imaginaire", "date_debut": "2025-01-01"}, "Aucune intercommunalité ne s&#x27;appelle"),
        ({"epci": "cc de la", "date_debut": "2025-01-01"}, "CC de la Plaine de l&#x27;Ain (240100883)"),
        ({"epci": "200071751", "date_debut": "2025-02-30"}, "Saisissez une date valide"),
        ({"epci": "200071751", "date_debut": "2025-01-01", "date_fin": "2030-06-30"}, "31/12/2029"),
        ({"epci": "200068500", "date_debut": "2025-01-01"}, "département de votre Caf"),
    ],
)
def test_creation_refusee_sans_rien_ecrire(client, conseillere, donnees, message):
    client.force_login(conseillere)
    reponse = client.post("/conventions/nouvelle/", donnees)
    assert reponse.status_code == 200
    assert message in reponse.content.decode()
    assert not Convention.objects.exists()


def test_creation_par_la_caf_competente_seulement(compte_demo, convention_cambrai, django_user_model):
    for identifiant in ("lecture", "membre.copil", "referent.commune", "chef.projet"):
        client = compte_demo(identifiant)
        assert client.get("/conventions/nouvelle/").status_code == 403, identifiant
        assert (
            client.post("/conventions/nouvelle/", {"epci": "200067106", "date_debut": "2027-01-01"}).status_code == 403
        )
    client = compte_demo("demo")
    # not an EPCI of the Nord (CA du Pays Basque, Pyrénées-Atlantiques)
    page = client.post("/conventions/nouvelle/", {"epci": "200067106", "date_debut": "2027-01-01"}).content.decode()
    assert "département de votre Caf" in page
    # the same EPCI as A over an overlapping period: the refusal names A
    page = client.post("/conventions/nouvelle/", {"epci": "200068500", "date_debut": "2026-01-01"}).content.decode()
    assert "déjà une convention sur cette période" in page and f"n° {convention_cambrai.pk}" in page
    assert Convention.objects.count() == 1
    # an EPCI of the Nord with no convention: created, signed by the Caf du Nord
    reponse = client.post("/conventions/nouvelle/", {"epci": "200093201", "date_debut": "2027-01-01"})
    nouvelle = Convention.objects.get(epci_id="200093201")
    assert reponse.status_code == 302 and nouvelle.caf == convention_cambrai.caf


@pytest.mark.date("2024-05-02")
def test_avenant_en_projet_puis_signe_applique_ses_modifications(compte_demo, convention_cambrai):
    client = compte_demo("chef.projet")
    url = f"/conventions/{convention_cambrai.pk}/avenants/nouveau/"
    client.post(
        url,
        {"objet": "Nouvelle cheffe de projet", "signataires": "Les présidents", "chef_projet_nom": "Martin"},
    )
    client.post(url, {"objet": "Calendrier du plan d'actions"})
    assert list(convention_cambrai.avenants.values_list("numero", "statut")) == [(1, "projet"), (2, "projet")]
    convention_cambrai.refresh_from_db()
    assert convention_cambrai.chef_projet_nom == "Fanton"  # not before it is signed
    futur = client.post(f"/conventions/{convention_cambrai.pk}/avenants/1/signer/", {"date_signature": "2024-05-03"})
    assert futur.status_code == 302
    assert convention_cambrai.avenants.get(numero=1).statut == "projet"
    client.post(f"/conventions/{convention_cambrai.pk}/avenants/1/signer/", {"date_signature": "2024-05-02"})
    convention_cambrai.refresh_from_db()
    assert convention_cambrai.chef_projet_nom == "Martin"
    assert convention_cambrai.avenants.get(numero=1).date == date(2024, 5, 2)
    changement = convention_cambrai.historique.filter(chef_projet_nom="Martin").get()
    assert changement.history_user.username == "chef.projet"
    assert changement.history_change_reason == "Avenant n° 1 signé le 02/05/2024"
    page = client.get(f"/conventions/{convention_cambrai.pk}/").content.decode()
    assert "Chef·fe de projet de la collectivité : nom → Martin" in page
    assert compte_demo("lecture").get(url).status_code == 403


@pytest.mark.date("2025-06-15")
def test_les_termes_d_une_convention_signee_ne_changent_pas_par_le_formulaire(compte_demo, convention_cambrai):
    client = compte_demo("chef.projet")
    url = f"/conventions/{convention_cambrai.pk}/modifier/"
    page = client.get(url).content.decode()
    assert "ne changent que par un" in page
    formulaire = {
        "version_lue": convention_cambrai.version,
        "titre": "Autre titre",
        "date_debut": "2022-01-01",
        "date_fin": "2026-06-30",
        "domaines": ["enfance"],
        "deliberation_instance": "conseil_communautaire",
        "annexe1": "diagnostic_type",
        "ctes_identifiant": convention_cambrai.ctes_identifiant,
        "envoye_prefecture_le": "2021-12-21",
        "recu_prefecture_le": "2021-12-21",
        "affiche_le": "2021-12-23",
        "tribunal_administratif": "Tribunal administratif de Paris",
    }
    assert client.post(url, formulaire).status_code == 302
    convention_cambrai.refresh_from_db()
    assert convention_cambrai.date_fin == date(2026, 12, 31)  # disabled: the posted value is ignored
    assert convention_cambrai.titre == "Convention territoriale globale"
    assert convention_cambrai.statut == Statut.EN_VIGUEUR
    assert convention_cambrai.affiche_le == date(2021, 12, 23)  # what follows the contract stays editable
    assert convention_cambrai.caf.tribunal_administratif == "Tribunal administratif de Lille"  # the Caf's own data
    modification = convention_cambrai.historique.first()
    assert modification.history_user.username == "chef.projet"
    assert modification.diff_against(modification.prev_record).changed_fields == ["affiche_le"]


@pytest.mark.date("2025-06-15")
def test_le_formulaire_perime_est_refuse_avec_ce_qui_a_change(compte_demo, convention_cambrai):
    url = f"/conventions/{convention_cambrai.pk}/modifier/"
    version = convention_cambrai.version
    base = {"version_lue": version, "deliberation_instance": "conseil_communautaire", "annexe1": "diagnostic_type"}
    assert compte_demo("demo").post(url, {**base, "affiche_le": "2021-12-22"}).status_code == 302
    page = compte_demo("chef.projet").post(url, {**base, "affiche_le": "2021-12-30"}).content.decode()
    assert "modifié depuis que vous l&#x27;avez ouvert" in page
    assert (
        "« affiché le » modifié par Camille Démo (compte de démonstration) le 15/06/2025 à 10:00 : — → 22/12/2021"
        in page
    )
    assert "signee" not in page  # only what changed since the form was read
    convention_cambrai.refresh_from_db()
    assert convention_cambrai.affiche_le == date(2021, 12, 22)


@pytest.mark.date("2025-06-15")
def test_correction_d_une_erreur_materielle_par_la_caf(compte_demo, convention_cambrai):
    url = f"/conventions/{convention_cambrai.pk}/corriger/"
    donnees = {
        "motif": "Coquille dans le nom de la cheffe de projet",
        "correction_titre": convention_cambrai.titre,
        "correction_date_debut": "2022-01-01",
        "correction_date_fin": "2026-12-31",
        "correction_domaines": convention_cambrai.domaines,
        "correction_chef_projet_nom": "Fantón",
        "correction_chef_projet_fonction": convention_cambrai.chef_projet_fonction,
        "correction_annexe1": convention_cambrai.annexe1,
    }
    assert compte_demo("chef.projet").post(url, donnees).status_code == 403
    assert (
        "Corriger une erreur matérielle"
        in compte_demo("demo").get(f"/conventions/{convention_cambrai.pk}/modifier/").content.decode()
    )
    assert compte_demo("demo").post(url, donnees).status_code == 302
    convention_cambrai.refresh_from_db()
    assert convention_cambrai.chef_projet_nom == "Fantón"
    trace = convention_cambrai.historique.first()
    assert trace.history_user.username == "demo"
    assert (
        trace.history_change_reason
        == "Correction d'une erreur matérielle : Coquille dans le nom de la cheffe de projet"
    )
    sans_motif = compte_demo("demo").post(url, {**donnees, "motif": ""}).content.decode()
    assert "Ce champ est obligatoire" in sans_motif


@pytest.mark.date("2025-06-15")
def test_le_tribunal_de_la_caf_est_modifie_par_la_caf(compte_demo, convention_cambrai):
    url = f"/conventions/{convention_cambrai.pk}/modifier/"
    base = {"version_lue": convention_cambrai.version, "deliberation_instance": "conseil_communautaire"}
    base["annexe1"] = "diagnostic_type"
    compte_demo("demo").post(url, {**base, "tribunal_administratif": "Tribunal administratif de Lille (2e chambre)"})
    convention_cambrai.caf.refresh_from_db()
    assert convention_cambrai.caf.tribunal_administratif == "Tribunal administratif de Lille (2e chambre)"


@pytest.mark.date("2024-03-01")
def test_adhesion_proposee_par_la_commune_confirmee_par_la_caf(compte_demo, convention_cambrai):
    url = f"/conventions/{convention_cambrai.pk}/adhesions/59122/"
    referent = compte_demo("referent.commune")
    formulaire = referent.get(url).content.decode()
    assert "Décision du conseil municipal" in formulaire
    referent.post(url, {"a59122-proposition": "refusee", "a59122-date_deliberation": "2024-02-12"})
    adhesion = Adhesion.objects.get(convention=convention_cambrai, commune_id="59122")
    assert (adhesion.statut, adhesion.proposition) == ("en_attente", "refusee")  # a proposal, not a decision
    assert referent.get(f"/conventions/{convention_cambrai.pk}/adhesions/59001/").status_code == 403
    caf = compte_demo("demo")
    assert "Propositions des communes à confirmer" in caf.get(f"/conventions/{convention_cambrai.pk}/").content.decode()
    caf.post(url, {"proposition": "confirmer"})
    adhesion.refresh_from_db()
    assert (adhesion.statut, adhesion.proposition, adhesion.date_deliberation) == ("refusee", "", date(2024, 2, 12))
    assert adhesion.historique.first().history_user.username == "demo"


@pytest.mark.date("2024-03-01")
def test_adhesion_en_htmx(compte_demo, convention_cambrai):
    client = compte_demo("demo")
    url = f"/conventions/{convention_cambrai.pk}/adhesions/59122/"
    formulaire = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert formulaire.startswith('<tr id="adhesion-59122"') and "<form" in formulaire
    refus = client.post(url, {"a59122-statut": "adheree"}, HTTP_HX_REQUEST="true").content.decode()
    assert "Indiquez la date de la délibération" in refus
    ligne = client.post(
        url,
        {
            "a59122-statut": "adheree",
            "a59122-date_deliberation": "2022-02-07",
            "a59122-maire_civilite": "Madame",
            "a59122-maire_prenom": "Prénom",
            "a59122-maire_nom": "Exemple",
            "a59122-ancienne_commune_cej": "on",
            "a59122-competence_petite_enfance_transferee": "on",
        },
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert "Adhérée" in ligne and "07/02/2022" in ligne and "Madame Prénom EXEMPLE" in ligne
    assert convention_cambrai.adhesions.get(commune_id="59122").competence_petite_enfance_transferee
    page = client.get(f"/conventions/{convention_cambrai.pk}/adhesions/").content.decode()
    assert "1 / 55" in page


def test_ancienne_commune_cej_non_adherente_signalee(compte_demo, convention_cambrai):
    convention_cambrai.adhesions.filter(commune_id="59428").update(ancienne_commune_cej=True)
    page = compte_demo("lecture").get(f"/conventions/{convention_cambrai.pk}/").content.decode()
    assert "Bonus territoire bloqué" in page and "Neuville-Saint-Rémy" in page
    # every deadline shows, in words, the rule of the convention that sets it
    assert '<span class="meta regle">Règle : article 10</span>' in page
    assert "Règle : article 6 et annexe 2 : comité de pilotage « a minima semestriel »" in page


@pytest.mark.date("2026-03-15")
def test_resiliation_montre_la_date_avant_de_confirmer(compte_demo, convention_cambrai):
    client = compte_demo("demo")
    url = f"/conventions/{convention_cambrai.pk}/resilier/"
    donnees = {"mode": "mise_en_demeure", "date_envoi": "2026-01-31", "motif": "Test"}
    apercu = client.post(url, donnees, HTTP_HX_REQUEST="true").content.decode()
    assert "Date de fin effective : 28/02/2026" in apercu
    convention_cambrai.refresh_from_db()
    assert not hasattr(convention_cambrai, "resiliation")
    page = client.post(url, {**donnees, "confirmer": "1"}).content.decode()
    assert "déjà passée" in page  # the effect date is past: a confirmation is asked
    assert not Convention.objects.filter(resiliation__isnull=False).exists()
    futur = client.post(url, {**donnees, "date_envoi": "2026-03-16", "confirmer": "1"}).content.decode()
    assert "dans le futur" in futur
    client.post(url, {**donnees, "confirmer": "1", "confirmer_effet_passe": "on"})
    convention_cambrai.refresh_from_db()
    assert convention_cambrai.resiliation.date_effet == date(2026, 2, 28)
    assert convention_cambrai.resiliation.initiative == "caf"
    assert convention_cambrai.statut == Statut.RESILIEE


@pytest.mark.date("2026-03-15")
def test_la_collectivite_ne_prononce_pas_les_resiliations_reservees_a_la_caf(compte_demo, convention_cambrai):
    client = compte_demo("chef.projet")
    url = f"/conventions/{convention_cambrai.pk}/resilier/"
    page = client.get(url).content.decode()
    assert "Collectivité" in page and 'value="infraction"' not in page and 'value="sans_avenant"' not in page
    for mode in ("infraction", "sans_avenant"):
        client.post(url, {"mode": mode, "date_envoi": "2026-03-15", "confirmer": "1"})
        assert not Convention.objects.filter(resiliation__isnull=False).exists()
    client.post(url, {"mode": "denonciation", "date_envoi": "2026-03-15", "confirmer": "1"})
    convention_cambrai.refresh_from_db()
    assert (convention_cambrai.resiliation.initiative, convention_cambrai.resiliation.date_effet) == (
        "collectivite",
        date(2026, 9, 15),
    )
    assert compte_demo("lecture").get(url).status_code == 403


@pytest.mark.date("2026-03-15")
def test_annuler_une_resiliation_est_un_acte_de_la_caf(compte_demo, convention_cambrai):
    compte_demo("chef.projet").post(
        f"/conventions/{convention_cambrai.pk}/resilier/",
        {"mode": "denonciation", "date_envoi": "2026-03-15", "confirmer": "1"},
    )
    url = f"/conventions/{convention_cambrai.pk}/resiliation/annuler/"
    assert compte_demo("chef.projet").post(url, {"motif": "erreur"}).status_code == 403
    compte_demo("demo").post(url, {"motif": ""})
    assert Convention.objects.filter(resiliation__isnull=False).exists()
    compte_demo("demo").post(url, {"motif": "Préavis envoyé par erreur"})
    assert not Convention.objects.filter(resiliation__isnull=False).exists()


def test_une_convention_terminee_ne_se_modifie_plus(compte_demo, convention_cambrai, horloge):
    from tests.conftest import instant_de

    horloge.move_to(instant_de("2027-01-15"))
    client = compte_demo("demo")
    page = client.get(f"/conventions/{convention_cambrai.pk}/").content.decode()
    assert "Terminée (arrivée à échéance)" in page and "Modifier la convention" not in page
    reponse = client.get(f"/conventions/{convention_cambrai.pk}/modifier/")
    assert reponse.status_code == 403 and "terminée" in reponse.content.decode()


@pytest.mark.date("2025-06-15")
def test_invitation_a_usage_unique(compte_demo, client, convention_cambrai):
    compte_demo("demo").post(
        f"/conventions/{convention_cambrai.pk}/membres/",
        {"email": "referente@mairie.example", "role": "referent_commune", "commune": "59428"},
    )
    invitation = Invitation.objects.get(email="referente@mairie.example")
    assert len(mail.outbox) == 1 and invitation.jeton in mail.outbox[0].body
    client.logout()
    url = f"/conventions/invitations/{invitation.jeton}/"
    reponse = client.post(
        url,
        {
            "username": "referente",
            "first_name": "Nadia",
            "last_name": "Exemple",
            "password1": "un-mot-de-passe-solide",
            "password2": "un-mot-de-passe-solide",
        },
    )
    assert reponse.status_code == 302
    habilitation = Habilitation.objects.get(user__username="referente")
    assert (habilitation.role, habilitation.commune_id) == (Role.REFERENT_COMMUNE, "59428")
    client.logout()
    assert client.get(url).status_code == 410  # single use


@pytest.mark.date("2025-03-10")
def test_commande_terminer(convention_cambrai, capsys):
    call_command(
        "convention_terminer", convention_cambrai.ctes_identifiant, mode="denonciation", date="2024-08-31", dry_run=True
    )
    sortie = capsys.readouterr().out
    assert "Date de fin effective : 28/02/2025" in sortie and "rien n'a été enregistré" in sortie
    assert not hasattr(Convention.objects.get(pk=convention_cambrai.pk), "resiliation")
    call_command("convention_terminer", str(convention_cambrai.pk), mode="sans_avenant", date="2025-03-10", json=True)
    resultat = json.loads(capsys.readouterr().out)
    assert resultat["date_effet"] == "2025-03-10" and resultat["enregistree"] is True
    convention = Convention.objects.get(pk=convention_cambrai.pk)
    assert convention.statut == Statut.RESILIEE
    trace = convention.resiliation.historique.get()
    assert trace.history_user.username == "ctg-systeme"  # run from the console: the system user


@pytest.mark.date("2025-03-10")
@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["inconnue", "--mode", "denonciation", "--date", "2024-01-01"], "Aucune convention"),
        (["{pk}", "--mode", "denonciation", "--date", "2024-02-30"], "invalide ou impossible"),
        (["{pk}", "--mode", "infraction", "--date", "2024-02-01", "--initiative", "collectivite"], "seule la Caf"),
        (["{pk}", "--mode", "denonciation", "--date", "2025-03-11"], "dans le futur"),
        (["{pk}", "--mode", "mise_en_demeure", "--date", "2024-02-01"], "--effet-passe"),
    ],
)
def test_commande_terminer_erreurs(convention_cambrai, arguments, message):
    arguments = [a.format(pk=convention_cambrai.pk) for a in arguments]
    with pytest.raises(CommandError, match=message):
        call_command("convention_terminer", *arguments)
    assert not hasattr(Convention.objects.get(pk=convention_cambrai.pk), "resiliation")


def test_commande_echeances(convention_cambrai, capsys):
    call_command("echeances", convention_cambrai.ctes_identifiant, date="2023-03-01", json=True)
    donnees = json.loads(capsys.readouterr().out)
    codes = {e["code"]: e for e in donnees["echeances"]}
    assert codes["diagnostic_valide"]["date"] == "2023-12-31"
    assert codes["copil_2022_1"]["etat"] == "en_retard"
    call_command("echeances", str(convention_cambrai.pk), date="2023-03-01")
    assert "31/12/2023  à venir" in capsys.readouterr().out


@pytest.mark.date("2026-06-15")
def test_commande_actualiser_idempotente(convention_cambrai, horloge, capsys):
    from tests.conftest import instant_de

    horloge.move_to(instant_de("2027-01-02"))
    call_command("actualiser")
    assert "1 transition" in capsys.readouterr().out
    assert Convention.objects.get(pk=convention_cambrai.pk).statut == Statut.EXPIREE
    call_command("actualiser")
    assert "Aucune convention à mettre à jour" in capsys.readouterr().out
    derniere = convention_cambrai.transitions.last()
    assert (derniere.vers, derniere.par.username) == (Statut.EXPIREE, "ctg-systeme")


def test_tous_les_signataires_en_un_enregistrement(client, conseillere):
    """A draft's edit page offers a row for each usual signatory (up to four), always one more for an addition."""
    client.force_login(conseillere)
    client.post("/conventions/nouvelle/", {"epci": "200071751", "date_debut": "2025-01-01"})
    convention = Convention.objects.get(epci_id="200071751")
    page = client.get(f"/conventions/{convention.pk}/modifier/").content.decode()
    existants = convention.signataires.count()
    assert f'name="signataires-TOTAL_FORMS" value="{max(4, existants + 1)}"' in page
    assert "Nom du signataire 4" in page

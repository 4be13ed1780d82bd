"""The shared diagnostic's rules: its state machine and who may do each transition, the lock of a submitted or
validated diagnostic (pages and rules layer), the reopening by a decision of the comité with a reason, the first
validation date kept (on the diagnostic, in its history, on the convention's year-2 deadline), the report of a
reopened diagnostic, optimistic concurrency, the history and the database constraints."""

import io
import zipfile
from datetime import date

import pytest
from django.db import IntegrityError, transaction
from django_fsm import has_transition_perm

from ctg.conventions.cycle import actualiser
from ctg.conventions.echeances import Etat, echeances
from ctg.conventions.models import Convention
from ctg.diagnostic.models import (
    Besoin,
    CommentaireDomaine,
    Contribution,
    DiagnosticConvention,
    DiagnosticVerrouille,
    StatutDiagnostic,
)
from ctg.diagnostic.partage import (
    ChangementImpossible,
    diagnostic_de,
    etat_du_diagnostic,
    retirer,
    rouvrir,
    soumettre,
    valider,
)
from ctg.gouvernance.decisions import DecisionImpossible, enregistrer_decision
from ctg.gouvernance.models import ObjetDecision

from .outils import REDACTEURS, ROLES, comptes, reunion_tenue, rouvrir_par_le_comite, valider_par_le_comite

pytestmark = pytest.mark.django_db

# The demo convention runs 2022-01-01 → 2026-12-31: the tests that change its diagnostic run while it is in force.
EN_VIGUEUR = "2024-09-02"
VALIDATION = date(2023, 3, 14)
REOUVERTURE = date(2024, 3, 12)
REVALIDATION = date(2024, 6, 11)
MOTIF = "Intégrer les données 2023 de la Caf."

# (source, target, transition): the whole machine.
TRANSITIONS = {
    ("brouillon", "soumis", "soumettre"),
    ("soumis", "brouillon", "retirer"),
    ("soumis", "valide", "valider"),
    ("valide", "brouillon", "rouvrir"),
}
# Who may do each transition, outside and inside the application of a decision of the comité.
PAR_DECISION = {"valider", "rouvrir"}


@pytest.fixture
def convention(convention_cambrai):
    actualiser(convention_cambrai)
    return convention_cambrai


@pytest.fixture
def redige(convention):
    """A draft with a synthesis, a comment, a need and a contribution."""
    diagnostic = diagnostic_de(convention)
    diagnostic.synthese = "Un territoire rural autour d'une ville centre."
    diagnostic.save()
    CommentaireDomaine.objects.create(diagnostic=diagnostic, domaine="petite_enfance", texte="Peu de places.")
    besoin = Besoin.objects.create(diagnostic=diagnostic, domaine="petite_enfance", intitule="Places au sud")
    besoin.communes.add("59267")
    Contribution.objects.create(diagnostic=diagnostic, auteur="Centre social", date=date(2023, 1, 10), texte="Ateliers")
    return diagnostic


def _frais(convention) -> DiagnosticConvention:
    return DiagnosticConvention.objects.get(convention=convention)


def test_les_transitions_declarees_sont_celles_de_la_table():
    champ = DiagnosticConvention._meta.get_field("statut")
    declarees = {(t.source, t.target, t.name) for t in champ.get_all_transitions(DiagnosticConvention)}
    assert declarees == TRANSITIONS


@pytest.mark.date(EN_VIGUEUR)
def test_qui_peut_faire_chaque_transition(convention):
    utilisateurs = comptes(convention)
    obtenu, attendu = {}, {}
    for source, _, nom in sorted(TRANSITIONS):
        diagnostic = DiagnosticConvention(convention=convention, statut=source, synthese="Synthèse")
        for role in ROLES:
            hors_decision = has_transition_perm(getattr(diagnostic, nom), utilisateurs[role])
            diagnostic._decision_du_comite, diagnostic._motif = object(), MOTIF  # a decision being applied
            par_decision = has_transition_perm(getattr(diagnostic, nom), utilisateurs[role])
            del diagnostic._decision_du_comite, diagnostic._motif
            obtenu[nom, role] = (hors_decision, par_decision)
            attendu[nom, role] = (role in REDACTEURS and nom not in PAR_DECISION, role in REDACTEURS)
    assert obtenu == attendu


@pytest.mark.date("2027-01-15")
def test_convention_terminee_plus_personne_ne_soumet(convention):
    utilisateurs = comptes(convention)
    diagnostic = DiagnosticConvention(convention=convention, synthese="Synthèse")
    assert not any(has_transition_perm(diagnostic.soumettre, utilisateurs[r]) for r in ROLES)


@pytest.mark.date(EN_VIGUEUR)
def test_reouverture_par_decision_et_premiere_validation_conservee(convention, redige):
    chef = comptes(convention)["chef.projet"]
    valider_par_le_comite(convention, VALIDATION, par=chef)
    diagnostic = _frais(convention)
    assert diagnostic.statut == StatutDiagnostic.VALIDE
    assert diagnostic.valide_le == diagnostic.premiere_validation_le == VALIDATION
    assert Convention.objects.get(pk=convention.pk).diagnostic_valide_le == VALIDATION

    decision = rouvrir_par_le_comite(convention, REOUVERTURE, MOTIF, par=chef)
    diagnostic = _frais(convention)
    assert diagnostic.statut == StatutDiagnostic.BROUILLON and diagnostic.valide_le is None
    assert diagnostic.rouvert_le == REOUVERTURE and diagnostic.motif_reouverture == MOTIF
    assert diagnostic.decision_reouverture == decision and diagnostic.premiere_validation_le == VALIDATION
    assert decision.effet.startswith("Diagnostic partagé rouvert le 12/03/2024 (décision du comité du 12/03/2024)")
    assert Convention.objects.get(pk=convention.pk).diagnostic_valide_le == VALIDATION

    diagnostic.synthese += " Données 2023 intégrées."  # a draft again: editable
    diagnostic.save()
    with pytest.raises(ChangementImpossible, match="précède la réouverture"):
        soumettre(diagnostic, date(2024, 3, 1), par=chef)
    soumettre(diagnostic, date(2024, 4, 2), par=chef)
    decision = valider_par_le_comite(convention, REVALIDATION, par=chef)
    diagnostic = _frais(convention)
    assert diagnostic.valide_le == REVALIDATION and diagnostic.premiere_validation_le == VALIDATION
    assert "La date de la première validation (14/03/2023) reste celle de l'échéance" in decision.effet
    assert etat_du_diagnostic(diagnostic) == (
        "Validé par le comité de pilotage le 11/06/2024 (première validation le 14/03/2023)"
    )

    # the year-2 deadline stays met on 14/03/2023, on time (end of year 2: 31/12/2023)
    convention = Convention.objects.get(pk=convention.pk)
    assert convention.diagnostic_valide_le == VALIDATION
    echeance = {e.code: e for e in echeances(convention, date(2024, 9, 2))}["diagnostic_valide"]
    assert echeance.etat == Etat.FAITE and echeance.detail == "validé le 14/03/2023"

    # the history keeps the first validation date on every row since, and names who recorded each act
    lignes = list(diagnostic.historique.order_by("history_date", "history_id"))
    statuts = [ligne.statut for ligne in lignes]
    assert statuts[-6:] == ["soumis", "valide", "brouillon", "brouillon", "soumis", "valide"]
    depuis = lignes[statuts.index("valide") :]
    assert {ligne.premiere_validation_le for ligne in depuis} == {VALIDATION}
    actes = [apres for avant, apres in zip(lignes, lignes[1:], strict=False) if apres.statut != avant.statut]
    assert len(actes) == 5 and {acte.history_user for acte in actes} == {chef}
    reouverture = lignes[statuts.index("valide") + 1]
    assert reouverture.motif_reouverture == MOTIF
    assert reouverture.history_change_reason == f"Rouvert par décision du comité de pilotage du 12/03/2024 : {MOTIF}"


@pytest.mark.date(EN_VIGUEUR)
def test_rouvrir_exige_une_decision_du_comite_et_un_motif(convention, redige):
    valider_par_le_comite(convention, VALIDATION)
    diagnostic = _frais(convention)
    with pytest.raises(ChangementImpossible, match="Seule une décision enregistrée du comité"):
        rouvrir(diagnostic, None, MOTIF)
    reunion = reunion_tenue(convention, REOUVERTURE)
    autre = enregistrer_decision(reunion, "Point d'étape.", objet=ObjetDecision.AUTRE)
    with pytest.raises(ChangementImpossible, match="n'a pas pour objet « Autre décision » attendu"):
        rouvrir(diagnostic, autre, MOTIF)
    with pytest.raises(DecisionImpossible, match="Indiquez le motif de la réouverture"):
        enregistrer_decision(reunion, "Le comité rouvre le diagnostic.", objet=ObjetDecision.DIAGNOSTIC_ROUVERT)
    lecture = comptes(convention)["lecture"]
    with pytest.raises(DecisionImpossible, match="La réouverture du diagnostic est enregistrée avec la décision"):
        enregistrer_decision(reunion, "Rouvert.", objet=ObjetDecision.DIAGNOSTIC_ROUVERT, motif=MOTIF, par=lecture)
    # nor may the validation be recorded without a decision, nor twice
    with pytest.raises(ChangementImpossible, match="déjà validé"):
        valider(diagnostic, autre)
    assert _frais(convention).statut == StatutDiagnostic.VALIDE
    assert reunion.decisions.count() == 1  # the refused decisions were not recorded


@pytest.mark.date(EN_VIGUEUR)
def test_diagnostic_valide_refuse_toute_modification_dans_la_couche_de_regles(convention, redige):
    valider_par_le_comite(convention, VALIDATION)
    diagnostic = _frais(convention)
    refus = "validé par le comité de pilotage le 14/03/2023 : il ne peut plus être modifié"
    diagnostic.synthese = "Texte altéré après la validation."
    with pytest.raises(DiagnosticVerrouille, match=refus):
        diagnostic.save()
    commentaire = diagnostic.commentaires.get()
    commentaire.texte = "Altéré."
    besoin = diagnostic.besoins.get()
    besoin.intitule = "Altéré"
    contribution = diagnostic.contributions.get()
    contribution.texte = "Altérée"
    ecritures = [
        commentaire.save,
        commentaire.delete,
        besoin.save,
        besoin.delete,
        lambda: besoin.communes.add("59122"),
        lambda: besoin.communes.clear(),
        contribution.save,
        contribution.delete,
        lambda: CommentaireDomaine.objects.create(diagnostic=diagnostic, domaine="jeunesse", texte="Ajout."),
        lambda: Besoin.objects.create(diagnostic=diagnostic, domaine="jeunesse", intitule="Ajout"),
        lambda: Contribution.objects.create(diagnostic=diagnostic, auteur="X", date=date(2024, 1, 1), texte="Ajout"),
    ]
    for ecrire in ecritures:
        with pytest.raises(DiagnosticVerrouille, match=refus), transaction.atomic():
            ecrire()
    with pytest.raises(ChangementImpossible, match="Seul un diagnostic soumis et pas encore validé peut être retiré"):
        retirer(diagnostic)
    diagnostic = _frais(convention)
    assert diagnostic.synthese == "Un territoire rural autour d'une ville centre."
    assert diagnostic.commentaires.get().texte == "Peu de places."
    assert list(Besoin.objects.get().communes.values_list("code", flat=True)) == ["59267"]
    assert Contribution.objects.get().texte == "Ateliers" and Besoin.objects.count() == 1


@pytest.mark.date(EN_VIGUEUR)
def test_diagnostic_soumis_se_retire_pour_etre_modifie(convention, redige):
    chef = comptes(convention)["chef.projet"]
    soumettre(redige, date(2024, 5, 6), par=chef)
    redige.synthese = "Retouche pendant l'examen par le comité."
    with pytest.raises(DiagnosticVerrouille, match="soumis au comité de pilotage depuis le 06/05/2024 .* Retirez-le"):
        redige.save()
    retirer(redige, par=chef)
    redige.synthese = "Retouche après retrait."
    redige.save()
    assert _frais(convention).statut == StatutDiagnostic.BROUILLON and _frais(convention).soumis_le is None


@pytest.mark.date(EN_VIGUEUR)
def test_dates_de_soumission_et_droits(convention, redige):
    utilisateurs = comptes(convention)
    with pytest.raises(ChangementImpossible, match="précède la signature de la convention"):
        soumettre(redige, date(2021, 11, 1))
    with pytest.raises(ChangementImpossible, match="est dans le futur"):
        soumettre(redige, date(2024, 9, 3))
    with pytest.raises(ChangementImpossible, match="Seuls la ou le conseiller·ère territorial·e de la Caf"):
        soumettre(redige, date(2024, 5, 6), par=utilisateurs["referent.commune"])
    vide = diagnostic_de(convention)
    vide.synthese = ""
    vide.save()
    Besoin.objects.all().delete()
    with pytest.raises(ChangementImpossible, match="Rédigez la synthèse ou identifiez au moins un besoin"):
        soumettre(vide, date(2024, 5, 6))
    assert _frais(convention).statut == StatutDiagnostic.BROUILLON


@pytest.mark.date(EN_VIGUEUR)
def test_les_pages_refusent_de_modifier_un_diagnostic_valide(client, convention, redige):
    utilisateurs = comptes(convention)
    valider_par_le_comite(convention, VALIDATION)
    url = f"/diagnostic/conventions/{convention.pk}/"
    besoin = Besoin.objects.get()
    client.force_login(utilisateurs["chef.projet"])
    page = client.get(url).content.decode()
    assert 'name="synthese"' not in page and "Ajouter un besoin" not in page and "Ajouter une contribution" not in page
    assert "Validé par le comité de pilotage le 14/03/2023" in page and 'data-testid="diagnostic-verrouille"' in page
    refus = "il ne peut plus être modifié"
    envois = [
        (url, {"synthese": "Texte altéré.", "version_lue": _frais(convention).version}),
        (f"{url}besoins/{besoin.pk}/", {"domaine": "jeunesse", "intitule": "Altéré", "priorite": "1"}),
        (f"{url}besoins/{besoin.pk}/", {"supprimer": "1"}),
        (f"{url}besoins/nouveau/", {"domaine": "jeunesse", "intitule": "Ajout", "priorite": "1"}),
        (f"{url}contributions/nouvelle/", {"auteur": "X", "date": "2024-09-01", "texte": "Ajout"}),
    ]
    for adresse, donnees in envois:
        reponse = client.post(adresse, donnees, follow=True)
        assert refus in reponse.content.decode(), adresse
    reponse = client.post(f"{url}statut/rouvrir/", follow=True)
    assert "sont des décisions du comité de pilotage" in reponse.content.decode()
    reponse = client.post(f"{url}statut/retirer/", follow=True)
    assert "Seul un diagnostic soumis et pas encore validé peut être retiré" in reponse.content.decode()
    diagnostic = _frais(convention)
    assert diagnostic.statut == StatutDiagnostic.VALIDE
    assert diagnostic.synthese == "Un territoire rural autour d'une ville centre."
    assert Besoin.objects.get().intitule == "Places au sud" and Contribution.objects.count() == 1


@pytest.mark.date(EN_VIGUEUR)
def test_le_rapport_d_un_diagnostic_rouvert_dit_rouvert_et_non_valide(convention, redige):
    from pypdf import PdfReader

    from ctg.diagnostic.rapport import rendre_rapport

    valider_par_le_comite(convention, VALIDATION)
    rouvrir_par_le_comite(convention, REOUVERTURE, MOTIF)
    diagnostic = _frais(convention)
    diagnostic.synthese = "Synthèse en cours de révision."
    diagnostic.save()
    attendu = "Rouvert le 12/03/2024 (décision du comité du 12/03/2024)"
    pdf = rendre_rapport(convention.epci_id, "pdf", convention=convention)
    texte_pdf = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())
    assert attendu in texte_pdf and MOTIF in texte_pdf and "Synthèse en cours de révision." in texte_pdf
    assert "Validé par le comité" not in texte_pdf
    docx = rendre_rapport(convention.epci_id, "docx", convention=convention)
    xml = zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml").decode()
    assert attendu in xml and "Validé par le comité" not in xml


@pytest.mark.date(EN_VIGUEUR)
def test_deux_redacteurs_en_meme_temps_le_second_est_refuse(client, convention):
    utilisateurs = comptes(convention)
    url = f"/diagnostic/conventions/{convention.pk}/"
    version_lue = diagnostic_de(convention).version
    client.force_login(utilisateurs["demo"])
    reponse = client.post(
        url, {"synthese": "Version de la Caf.", "domaine_jeunesse": "Offre à renforcer.", "version_lue": version_lue}
    )
    assert reponse.status_code == 302
    client.force_login(utilisateurs["chef.projet"])
    page = client.post(url, {"synthese": "Version de la collectivité.", "version_lue": version_lue}).content.decode()
    assert "Ce contenu a été modifié depuis que vous l&#x27;avez ouvert" in page
    assert "« synthèse » modifié par" in page and "Version de la Caf." in page
    diagnostic = _frais(convention)
    assert diagnostic.synthese == "Version de la Caf." and diagnostic.commentaires.get().texte == "Offre à renforcer."


@pytest.mark.date(EN_VIGUEUR)
def test_historique_des_pages_nomme_l_auteur(client, convention):
    chef = comptes(convention)["chef.projet"]
    client.force_login(chef)
    url = f"/diagnostic/conventions/{convention.pk}/"
    client.post(url, {"synthese": "Première synthèse.", "version_lue": diagnostic_de(convention).version})
    client.post(f"{url}besoins/nouveau/", {"domaine": "jeunesse", "intitule": "Accueil des 11-17 ans", "priorite": "1"})
    client.post(f"{url}statut/soumettre/", {"date": "2024-09-02"})
    diagnostic = _frais(convention)
    derniere = diagnostic.historique.latest("history_date")
    assert diagnostic.statut == StatutDiagnostic.SOUMIS
    assert derniere.statut == StatutDiagnostic.SOUMIS and derniere.history_user == chef
    assert diagnostic.historique.filter(synthese="Première synthèse.", history_user=chef).exists()
    besoin = Besoin.historique.filter(intitule="Accueil des 11-17 ans", history_type="+").get()
    assert besoin.history_user == chef
    assert Besoin.chemin_convention == "diagnostic__convention"
    assert Besoin.objects.filter(**{Besoin.chemin_convention: convention}).count() == 1


def test_contraintes_de_la_base(convention):
    diagnostic = diagnostic_de(convention)
    interdits = [
        {"statut": "valide"},  # validated without a date
        {"valide_le": VALIDATION},  # a draft with a validation date
        {"statut": "soumis"},  # submitted without a date
        {"statut": "inconnu"},
        {"statut": "valide", "soumis_le": VALIDATION, "valide_le": VALIDATION},  # no first validation
        {"statut": "valide", "soumis_le": REVALIDATION, "valide_le": VALIDATION, "premiere_validation_le": VALIDATION},
        {"premiere_validation_le": VALIDATION, "rouvert_le": REOUVERTURE},  # reopened without decision nor reason
    ]
    for valeurs in interdits:
        with pytest.raises(IntegrityError), transaction.atomic():
            DiagnosticConvention.objects.filter(pk=diagnostic.pk).update(**valeurs)
    with pytest.raises(IntegrityError), transaction.atomic():
        Besoin.objects.create(diagnostic=diagnostic, domaine="jeunesse", intitule="x", priorite=7)
    with pytest.raises(IntegrityError), transaction.atomic():
        CommentaireDomaine.objects.create(diagnostic=diagnostic, domaine="jeunesse", texte="")

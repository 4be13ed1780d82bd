"""Article 7's rules, as a table: who may take each step of a data-exchange request, in which state; a personal-data
request is approved only after its study and its DPO's opinion; every step dated and attributed; nothing deleted."""

import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.management import call_command

from ctg import horloge
from ctg.demo.comptes import creer_comptes_demo
from ctg.rgpd import echanges
from ctg.rgpd.models import DemandeEchange, EtudeDemande, StatutDemande, TraitementRegistre, Transfert
from ctg.rgpd.perms_echanges import parties

pytestmark = [pytest.mark.django_db, pytest.mark.date("2026-06-15")]

ETUDE = {"opportunite": "Utile au plan", "faisabilite": "Extraction possible", "conformite": "Base légale établie"}
AVIS = {"sens": "favorable", "recommandations": "Pseudonymiser les identifiants"}
DECISION = {"approuver": True, "motifs": "Avis favorable suivi", "mesures_securite": "Chiffrement, accès nominatif"}


@pytest.fixture
def monde(convention_cambrai):
    """The demo accounts on the reference convention; the Caf's DPO is « membre.copil » (a Caf employee)."""
    creer_comptes_demo(convention_cambrai)
    comptes = {u.username: u for u in get_user_model().objects.all()}
    caf, collectivite = parties(convention_cambrai)
    echanges.designer_delegue(caf, comptes["membre.copil"], comptes["demo"], date(2026, 1, 1))
    return convention_cambrai, comptes, caf, collectivite


def demande_de(monde, personnelle=True, **autres):
    """A request of the collectivité (chef.projet) for data the Caf holds."""
    convention, comptes, _caf, collectivite = monde
    valeurs = {
        "objet": "Familles accompagnées",
        "finalite": "Suivre les parcours",
        "destinataires": "Service enfance",
        "moyen": "plateforme",
        "conservation_mois": 12 if personnelle else None,
        "base_legale": "mission_publique" if personnelle else "",
        "categories_personnes": "Allocataires" if personnelle else "",
        **autres,
    }
    return echanges.deposer(
        convention,
        comptes["chef.projet"],
        demandeur=collectivite,
        champs=["Nom", "Commune"],
        donnees_personnelles=personnelle,
        **valeurs,
    )


def approuvee(monde, **autres):
    _convention, comptes, _caf, _collectivite = monde
    demande = demande_de(monde, **autres)
    echanges.etudier(demande, comptes["demo"], **ETUDE)
    echanges.rendre_avis(demande, comptes["membre.copil"], **AVIS)
    echanges.decider(demande, comptes["demo"], **DECISION)
    return demande


# step, who acts, state reached before it (steps done first), allowed?
TABLE = [
    ("etudier", "demo", [], True),  # the holder's staff
    ("etudier", "chef.projet", [], False),  # the requester does not study its own request
    ("etudier", "lecture", [], False),  # read-only
    ("rendre_avis", "membre.copil", ["etudier"], True),  # the holder's DPO
    ("rendre_avis", "demo", ["etudier"], False),  # the holder's staff, not its DPO
    ("rendre_avis", "membre.copil", [], False),  # no study yet
    ("decider", "demo", ["etudier", "rendre_avis"], True),
    ("decider", "demo", [], False),  # neither study nor opinion
    ("decider", "demo", ["etudier"], False),  # no opinion
    ("decider", "demo", ["etudier", "rendre_avis", "etudier"], False),  # opinion on a superseded study
    ("decider", "chef.projet", ["etudier", "rendre_avis"], False),
    ("decider", "membre.copil", ["etudier", "rendre_avis"], True),  # a Caf employee with a role on the convention
]
ACTES = {
    "etudier": lambda d, u: echanges.etudier(d, u, **ETUDE),
    "rendre_avis": lambda d, u: echanges.rendre_avis(d, u, **AVIS),
    "decider": lambda d, u: echanges.decider(d, u, **DECISION),
}
AUTEURS = {"etudier": "demo", "rendre_avis": "membre.copil"}


@pytest.mark.parametrize(("etape", "qui", "avant", "permis"), TABLE)
def test_table_des_etapes(monde, etape, qui, avant, permis):
    _convention, comptes, _caf, _collectivite = monde
    demande = demande_de(monde)
    for faite in avant:
        ACTES[faite](demande, comptes[AUTEURS[faite]])
    statut_avant = DemandeEchange.objects.get(pk=demande.pk).statut
    if permis:
        ACTES[etape](demande, comptes[qui])
        assert DemandeEchange.objects.get(pk=demande.pk).statut != statut_avant
    else:
        with pytest.raises(echanges.EchangeImpossible):
            ACTES[etape](demande, comptes[qui])
        assert DemandeEchange.objects.get(pk=demande.pk).statut == statut_avant
        assert not TraitementRegistre.objects.exists()


def test_pas_d_approbation_sans_etude_ni_avis_et_le_message_dit_ce_qui_manque(monde):
    _convention, comptes, _caf, _collectivite = monde
    demande = demande_de(monde)
    with pytest.raises(echanges.EchangeImpossible, match="son étude par le détenteur et l'avis du délégué"):
        echanges.decider(demande, comptes["demo"], **DECISION)
    assert not hasattr(DemandeEchange.objects.get(pk=demande.pk), "decision")


def test_approbation_inscrit_au_registre_du_detenteur_chaque_etape_datee_et_attribuee(monde):
    _convention, comptes, caf, _collectivite = monde
    demande = approuvee(monde)
    assert demande.statut == StatutDemande.APPROUVEE
    etude, avis, decision = demande.etude_en_vigueur, demande.avis_en_vigueur, demande.decision
    assert (etude.par, avis.par, decision.par) == (comptes["demo"], comptes["membre.copil"], comptes["demo"])
    assert all(e.le.date() == horloge.aujourd_hui() for e in (etude, avis, decision))
    assert etude.le <= avis.le <= decision.le
    entree = demande.traitement
    assert entree.organisation == caf and entree.categories_donnees == "Nom, Commune"
    assert "Sacha Exemple" in entree.responsable and entree.conservation == "12 mois"
    historique = demande.historique.order_by("history_date")
    assert [h.statut for h in historique] == ["deposee", "etudiee", "avis_rendu", "approuvee"]
    assert [h.history_user.username for h in historique] == ["chef.projet", "demo", "membre.copil", "demo"]


def test_demande_sans_donnees_personnelles_repondue_directement(monde):
    _convention, comptes, _caf, _collectivite = monde
    demande = demande_de(monde, personnelle=False)
    with pytest.raises(echanges.EchangeImpossible):
        echanges.etudier(demande, comptes["demo"], **ETUDE)
    echanges.repondre(demande, comptes["demo"], accepter=True, reponse="Liste jointe")
    demande.refresh_from_db()
    assert demande.statut == StatutDemande.REPONDUE and demande.decision.par == comptes["demo"]
    personnelle = demande_de(monde)
    with pytest.raises(echanges.EchangeImpossible, match="données personnelles"):
        echanges.repondre(personnelle, comptes["demo"], accepter=True, reponse="Voici")


def test_une_nouvelle_etude_remplace_l_ancienne_qui_reste_et_rien_ne_se_supprime(monde):
    _convention, comptes, _caf, _collectivite = monde
    demande = demande_de(monde)
    premiere = echanges.etudier(demande, comptes["demo"], **ETUDE)
    echanges.rendre_avis(demande, comptes["membre.copil"], **AVIS)
    seconde = echanges.etudier(demande, comptes["demo"], **{**ETUDE, "faisabilite": "Extraction mensuelle"})
    assert EtudeDemande.objects.filter(demande=demande).count() == 2
    assert seconde.remplace == premiere and demande.etude_en_vigueur == seconde
    assert DemandeEchange.objects.get(pk=demande.pk).statut == StatutDemande.ETUDIEE  # the opinion is to give again
    for objet in (premiere, demande):
        with pytest.raises(ValidationError, match="ne se supprime pas"):
            objet.delete()
    assert EtudeDemande.objects.filter(pk=premiere.pk).exists()


def test_le_delegue_d_une_autre_organisation_ne_rend_pas_l_avis(monde):
    _convention, comptes, _caf, collectivite = monde
    echanges.designer_delegue(collectivite, comptes["lecture"], comptes["chef.projet"])
    demande = demande_de(monde)
    echanges.etudier(demande, comptes["demo"], **ETUDE)
    with pytest.raises(echanges.EchangeImpossible, match="Seul·e le ou la délégué·e"):
        echanges.rendre_avis(demande, comptes["lecture"], **AVIS)


def test_demande_personnelle_incomplete_refusee_sans_rien_ecrire(monde):
    with pytest.raises(echanges.EchangeImpossible, match="base légale"):
        demande_de(monde, base_legale="")
    assert not DemandeEchange.objects.exists()


def test_fichier_transmis_supprime_a_la_fin_de_la_conservation(monde, settings, tmp_path, horloge):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**settings.STORAGES["default"], "OPTIONS": {"location": tmp_path}},
    }
    _convention, comptes, _caf, _collectivite = monde
    demande = approuvee(monde)
    contenu = b"nom;commune\nA;Cambrai\n"
    transfert = echanges.transmettre(
        demande,
        comptes["demo"],
        contenu="Extraction des familles",
        fichier=ContentFile(contenu, name="familles.csv"),
        fichier_nom="familles.csv",
        fichier_type="text/csv",
    )
    import hashlib

    assert transfert.empreinte == hashlib.sha256(contenu).hexdigest()
    assert transfert.conserver_jusqu_au == date(2027, 6, 15)
    chemin = tmp_path / transfert.fichier.name
    assert chemin.exists()
    assert echanges.purger_fichiers_expires(date(2027, 6, 15)) == []  # the last day of retention: kept
    faits = echanges.purger_fichiers_expires(date(2027, 6, 16))
    assert [t.pk for t in faits] == [transfert.pk] and not chemin.exists()
    transfert = Transfert.objects.get(pk=transfert.pk)
    assert transfert.fichier_supprime_le is not None and not transfert.fichier
    assert transfert.empreinte and transfert.historique.first().history_change_reason.startswith("Fichier supprimé")
    assert echanges.purger_fichiers_expires(date(2027, 6, 16)) == []  # idempotent


def test_la_mise_a_jour_quotidienne_supprime_les_fichiers_echus(monde, settings, tmp_path, horloge):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**settings.STORAGES["default"], "OPTIONS": {"location": tmp_path}},
    }
    _convention, comptes, _caf, _collectivite = monde
    transfert = echanges.transmettre(
        approuvee(monde), comptes["demo"], contenu="Extraction", fichier=ContentFile(b"a;b\n", name="f.csv")
    )
    horloge.move_to(datetime(2027, 6, 16, 10, tzinfo=ZoneInfo("Europe/Paris")))
    sortie = io.StringIO()
    call_command("actualiser", stdout=sortie)
    assert "transmission de données supprimé (conservation échue)" in sortie.getvalue()
    assert Transfert.objects.get(pk=transfert.pk).fichier_supprime_le is not None

"""The integrity of the convention record: the transition table, who may make each transition, database
constraints, concurrent steps, and random sequences of acts by random roles that never reach a forbidden state nor
another convention's data."""

from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from ctg import audit
from ctg.comptes.models import Role
from ctg.conventions import adhesions, cycle
from ctg.conventions.models import (
    STATUTS_SIGNES,
    Adhesion,
    Avenant,
    Convention,
    Habilitation,
    Signataire,
    Statut,
    StatutAdhesion,
    Transition,
)
from ctg.demo.comptes import creer_comptes_demo
from ctg.etats import a_la_permission
from ctg.horloge import aujourd_hui
from tests.conftest import instant_de

pytestmark = pytest.mark.django_db

# --- The transition table: what the model declares is exactly this -----------------------------------

TABLE = {
    # (source, target, transition): who may make it
    ("brouillon", "signee", "signer"): "la Caf ou la collectivité",
    ("signee", "brouillon", "revenir_en_brouillon"): "la Caf",
    ("signee", "en_vigueur", "entrer_en_vigueur"): "le calendrier",
    ("en_vigueur", "expiree", "arriver_a_echeance"): "le calendrier",
    ("signee", "resiliee", "prendre_fin_par_resiliation"): "le calendrier",
    ("en_vigueur", "resiliee", "prendre_fin_par_resiliation"): "le calendrier",
    ("resiliee", "signee", "annuler_resiliation"): "la Caf",
}
QUI = {
    "la Caf ou la collectivité": {"demo", "chef.projet", "admin"},
    "la Caf": {"demo", "admin"},
    "le calendrier": {audit.IDENTIFIANT_SYSTEME},
}
COMPTES = ["demo", "chef.projet", "referent.commune", "membre.copil", "lecture", "autre", "admin"]


def test_la_table_des_transitions_est_celle_du_modele():
    declarees = {
        (t.source, t.target, t.name) for t in Convention._meta.get_field("statut").get_all_transitions(Convention)
    }
    assert declarees == set(TABLE)


@pytest.fixture
def comptes(convention_cambrai, django_user_model):
    creer_comptes_demo(convention_cambrai)
    comptes = {u.username: u for u in django_user_model.objects.filter(habilitations__convention=convention_cambrai)}
    comptes["admin"] = django_user_model.objects.create_superuser("admin", password="x")
    comptes["autre"] = django_user_model.objects.create_user("autre", password="x")
    comptes[audit.IDENTIFIANT_SYSTEME] = audit.utilisateur_systeme()
    return comptes


@pytest.mark.parametrize(("source", "cible", "nom"), sorted(TABLE))
def test_qui_peut_faire_chaque_transition(convention_cambrai, comptes, source, cible, nom):
    """Each transition × each account: allowed exactly for the roles of the table."""
    convention = Convention.objects.get(pk=convention_cambrai.pk)
    convention.__dict__["statut"] = source  # the transition's permission, checked from its source state
    if source == Statut.BROUILLON:
        convention.__dict__["date_signature"] = None
    autorises = {c for c, user in comptes.items() if a_la_permission(getattr(convention, nom), user)}
    attendus = QUI[TABLE[(source, cible, nom)]]
    if nom == "signer":
        attendus = attendus & {c for c in comptes if source == Statut.BROUILLON}
    assert autorises == attendus


# --- Database constraints -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "valeurs",
    [
        {"date_fin": date(2021, 12, 31)},  # before the start
        {"statut": "inconnu"},
        {"statut": Statut.BROUILLON},  # a draft with a signature date
        {"date_signature": None},  # signed without a date
        {"date_signature": date(2027, 1, 1)},  # signed after its end
    ],
)
def test_contraintes_de_la_convention_en_base(convention_cambrai, valeurs):
    with pytest.raises(IntegrityError), transaction.atomic():
        Convention.objects.filter(pk=convention_cambrai.pk).update(**valeurs)


def test_contraintes_des_pieces_en_base(convention_cambrai):
    premiere = convention_cambrai.transitions.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Transition.objects.create(
            convention=convention_cambrai,
            de="",
            vers=Statut.BROUILLON,
            date_effet=date(2021, 12, 1),
            rang=premiere.rang,
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Transition.objects.filter(pk=premiere.pk).update(vers="ailleurs")
    with pytest.raises(IntegrityError), transaction.atomic():
        Adhesion.objects.filter(convention=convention_cambrai).update(statut="peut-etre")
    with pytest.raises(IntegrityError), transaction.atomic():
        Avenant.objects.create(convention=convention_cambrai, numero=1, objet="x", statut="signe")  # no date
    with pytest.raises(IntegrityError), transaction.atomic():
        Signataire.objects.filter(convention=convention_cambrai).update(partie="prefecture")


# --- One step at a time -----------------------------------------------------------------------------


@pytest.mark.date("2031-12-15")
def test_deux_signatures_en_meme_temps_une_seule_passe(comptes):
    """Two requests read the same draft; the first signs; the second, on its stale copy, is refused: one step."""
    from ctg.comptes.models import caf_du_departement
    from ctg.territoires.models import Departement, Epci

    brouillon = cycle.creer_convention(
        caf_du_departement(Departement.objects.get(code="59")), Epci.objects.get(code="200093201"), date(2032, 1, 1)
    )
    for partie, qualite in (("caf", "president_ca"), ("collectivite", "president_epci")):
        Signataire.objects.create(
            convention=brouillon, partie=partie, civilite="Madame", prenom="A", nom="B", qualite=qualite
        )
    premiere, seconde = Convention.objects.get(pk=brouillon.pk), Convention.objects.get(pk=brouillon.pk)
    cycle.signer(premiere, date(2031, 12, 14))
    with pytest.raises(cycle.TransitionImpossible):
        cycle.signer(seconde, date(2031, 12, 15))
    assert [t.vers for t in brouillon.transitions.all()] == [Statut.BROUILLON, Statut.SIGNEE]
    assert Convention.objects.get(pk=brouillon.pk).date_signature == date(2031, 12, 14)
    # below the rules layer, the model refuses to save a state that changed since it was read
    perimee = Convention.objects.get(pk=brouillon.pk)
    Convention.objects.filter(pk=brouillon.pk).update(statut=Statut.EN_VIGUEUR)
    with pytest.raises(Exception, match="state has been changed"):
        perimee.revenir_en_brouillon()
        perimee.date_signature = None
        perimee.save()


def test_les_termes_signes_ne_changent_ni_par_l_admin_ni_par_le_modele(convention_cambrai, comptes, client):
    convention = Convention.objects.get(pk=convention_cambrai.pk)
    convention.date_fin = date(2026, 6, 30)
    with pytest.raises(ValidationError, match="ne changent que par un avenant"):
        convention.save()
    with pytest.raises(ValidationError, match="signataires ne changent que"):
        convention_cambrai.signataires.first().delete()
    client.force_login(comptes["admin"])
    page = client.get(f"/admin/conventions/convention/{convention_cambrai.pk}/change/").content.decode()
    assert 'name="date_fin"' not in page and 'name="ctes_identifiant"' in page


# --- Random acts by random roles --------------------------------------------------------------------

MODES = ["mise_en_demeure", "infraction", "sans_avenant", "denonciation"]


@pytest.mark.date("2023-03-01")
def test_sequences_aleatoires_d_actes(convention_cambrai, comptes, horloge):
    """Hypothesis drives random acts by random accounts (including ``autre``, who holds the Caf adviser's role on
    another convention of the same EPCI) on both conventions, and the clock forward; never a forbidden state,
    never a write by someone without the right, never a change of the other convention's data."""
    from ctg.comptes.models import Profil

    User = get_user_model()
    a = Convention.objects.get(pk=convention_cambrai.pk)
    with audit.par_commande("jeu d'essai"):
        b = cycle.creer_convention(a.caf, a.epci, date(2027, 1, 1))
    Habilitation.objects.create(user=comptes["autre"], convention=b, role=Role.CONSEILLER_CAF)
    Profil.objects.create(user=comptes["autre"], organisation=a.caf)
    for partie, qualite in (("caf", "president_ca"), ("collectivite", "president_epci")):
        Signataire.objects.create(convention=b, partie=partie, civilite="Madame", prenom="A", nom="B", qualite=qualite)
    from collections import Counter

    bilan = Counter()  # what the random runs really did: the test must have exercised both outcomes
    instant_initial = instant_de("2023-03-01")
    voyage = horloge  # the pinned clock of the test (time-machine)

    class Machine(RuleBasedStateMachine):
        def __init__(self):
            super().__init__()
            self.bloc = transaction.atomic()
            self.bloc.__enter__()
            voyage.move_to(instant_initial)
            self.pks = {"A": a.pk, "B": b.pk}
            self.termes = {cle: self.lire_termes(pk) for cle, pk in self.pks.items()}
            self.autorises_termes = set()  # conventions whose terms an avenant or a correction changed

        def teardown(self):
            transaction.set_rollback(True)
            self.bloc.__exit__(None, None, None)
            voyage.move_to(instant_initial)

        @staticmethod
        def lire_termes(pk):
            return Convention.objects.filter(pk=pk).values(*Convention.TERMES).get()

        def convention(self, cle):
            return Convention.objects.select_related("caf", "epci").get(pk=self.pks[cle])

        def tenter(self, acte, user, cle):
            """Run ``acte`` as ``user``; a refusal must change nothing."""
            avant = self.empreinte()
            try:
                with transaction.atomic():
                    acte()
            except (PermissionDenied, cycle.TransitionImpossible, ValidationError) as exc:
                assert self.empreinte() == avant, "un acte refusé a laissé une trace"
                bilan["refus " + type(exc).__name__] += 1
                return False
            self.verifier_droit(user, cle)
            bilan[f"{acte.__name__} par {user.username}"] += 1
            return True

        def empreinte(self):
            return (
                list(Convention.objects.order_by("pk").values_list("statut", "date_fin", "chef_projet_nom", "version")),
                Transition.objects.count(),
                list(Adhesion.objects.order_by("pk").values_list("statut", "proposition")),
                Avenant.objects.count(),
            )

        def verifier_droit(self, user, cle):
            """What succeeded was allowed: never a read-only role, never someone without a role on it."""
            convention = self.convention(cle)
            role = Habilitation.objects.filter(user=user, convention=convention).values_list("role", flat=True).first()
            assert user.is_superuser or role in {Role.CONSEILLER_CAF, Role.CHEF_PROJET, Role.REFERENT_COMMUNE}, (
                user.username,
                cle,
                role,
            )

        @rule(qui=st.sampled_from(COMPTES), cle=st.sampled_from(["A", "B"]), jours=st.integers(-40, 5))
        def signer(self, qui, cle, jours):
            convention = self.convention(cle)
            jour = aujourd_hui() + timedelta(days=jours)
            if self.tenter(lambda: cycle.signer(convention, jour, par=comptes[qui]), comptes[qui], cle):
                assert jour <= aujourd_hui()

        @rule(
            qui=st.sampled_from(COMPTES),
            cle=st.sampled_from(["A", "B"]),
            mode=st.sampled_from(MODES),
            jours=st.integers(-60, 3),
            confirmer=st.booleans(),
        )
        def resilier(self, qui, cle, mode, jours, confirmer):
            convention = self.convention(cle)
            envoi = aujourd_hui() + timedelta(days=jours)
            user = comptes[qui]
            fait = self.tenter(
                lambda: cycle.resilier(convention, mode, envoi, par=user, confirmer_effet_passe=confirmer), user, cle
            )
            if fait:
                resiliation = self.convention(cle).resiliation
                assert resiliation.date_envoi <= aujourd_hui()
                if mode in {"infraction", "sans_avenant"}:
                    assert resiliation.initiative == "caf" and qui in {"demo", "admin", "autre"}

        @rule(qui=st.sampled_from(COMPTES), cle=st.sampled_from(["A", "B"]))
        def annuler_resiliation(self, qui, cle):
            convention = self.convention(cle)
            self.tenter(lambda: cycle.annuler_resiliation(convention, "erreur", par=comptes[qui]), comptes[qui], cle)

        @rule(qui=st.sampled_from(COMPTES), cle=st.sampled_from(["A", "B"]), nom=st.sampled_from(["Martin", "Petit"]))
        def avenant(self, qui, cle, nom):
            convention = self.convention(cle)
            user = comptes[qui]

            def acte():
                avenant = cycle.ajouter_avenant(convention, "Cheffe de projet", {"chef_projet_nom": nom}, par=user)
                cycle.signer_avenant(avenant, aujourd_hui(), par=user)

            if self.tenter(acte, user, cle):
                self.autorises_termes.add(cle)

        @rule(qui=st.sampled_from(COMPTES), cle=st.sampled_from(["A", "B"]))
        def corriger(self, qui, cle):
            convention = self.convention(cle)
            user = comptes[qui]
            acte = lambda: cycle.corriger(convention, {"titre": "CTG corrigée"}, "coquille", par=user)  # noqa: E731
            if self.tenter(acte, user, cle):
                self.autorises_termes.add(cle)
                assert qui in {"demo", "admin", "autre"}

        @rule(qui=st.sampled_from(COMPTES), cle=st.sampled_from(["A", "B"]), date_fin=st.dates(date(2021, 1, 1)))
        def modifier_les_termes_directement(self, qui, cle, date_fin):
            convention = self.convention(cle)
            convention.date_fin = date_fin
            convention._history_user = comptes[qui]
            if convention.est_signee:
                self.tenter(convention.save, comptes[qui], cle)

        @rule(
            qui=st.sampled_from(COMPTES),
            cle=st.sampled_from(["A", "B"]),
            statut=st.sampled_from([StatutAdhesion.ADHEREE, StatutAdhesion.REFUSEE]),
            confirmer=st.booleans(),
        )
        def adhesion(self, qui, cle, statut, confirmer):
            convention = self.convention(cle)
            adhesion = Adhesion.objects.get(convention=convention, commune_id="59122")
            user = comptes[qui]
            jour = aujourd_hui() - timedelta(days=3)
            if confirmer:
                acte = lambda: adhesions.confirmer_adhesion(adhesion, par=user)  # noqa: E731
            else:
                acte = lambda: adhesions.proposer_adhesion(adhesion, statut, jour, par=user)  # noqa: E731
            avant = adhesion.statut
            if self.tenter(acte, user, cle) and not confirmer:
                assert Adhesion.objects.get(pk=adhesion.pk).statut == avant  # a proposal decides nothing

        @rule(jours=st.integers(1, 900))
        def le_temps_passe(self, jours):
            voyage.shift(timedelta(days=jours))
            with audit.par_commande("actualiser"):
                cycle.actualiser_toutes()

        @invariant()
        def etats_permis(self):
            for cle, pk in self.pks.items():
                convention = Convention.objects.get(pk=pk)
                assert convention.statut in Statut.values
                assert convention.date_debut <= convention.date_fin
                assert (convention.statut == Statut.BROUILLON) == (convention.date_signature is None)
                if convention.date_signature:
                    assert convention.date_signature <= aujourd_hui()
                rangs = list(convention.transitions.values_list("rang", flat=True))
                assert rangs == list(range(1, len(rangs) + 1))
                if convention.statut in STATUTS_SIGNES | {Statut.EXPIREE, Statut.RESILIEE}:
                    termes = self.lire_termes(pk)
                    if cle not in self.autorises_termes:
                        assert termes == self.termes[cle], "termes d'une convention signée changés sans avenant"
                else:
                    self.termes[cle] = self.lire_termes(pk)

        @invariant()
        def aucune_trace_sur_a_par_un_tiers(self):
            tiers = User.objects.filter(username__in=["autre", "lecture", "membre.copil"])
            assert not Convention.historique.filter(id=self.pks["A"], history_user__in=tiers).exists()
            assert not Adhesion.historique.filter(convention_id=self.pks["A"], history_user__in=tiers).exists()

    run_state_machine_as_test(
        Machine,
        settings=settings(
            max_examples=25,
            stateful_step_count=12,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        ),
    )
    assert bilan["refus ActionRefusee"] and bilan["refus TransitionImpossible"], bilan
    assert sum(n for cle, n in bilan.items() if not cle.startswith("refus")) >= 3, bilan

"""The history page of a convention: every change to it and to what it holds, who and when, before → after."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ctg import audit
from ctg.comptes.models import Role, caf_du_departement
from ctg.conventions import cycle
from ctg.conventions.historique import collecter, modeles_historises
from ctg.conventions.models import Convention, Habilitation
from ctg.demo.comptes import creer_comptes_demo
from ctg.demo.convention_cambrai import charger_convention_cambrai
from ctg.territoires.models import Departement, Epci

pytestmark = pytest.mark.django_db


@pytest.fixture
def convention():
    """The demo convention and its accounts, loaded as the demo command does (the history names the command)."""
    with audit.par_commande("charger_demo"):
        convention = charger_convention_cambrai()
        creer_comptes_demo(convention)
    return convention


@pytest.fixture
def autre_convention(convention):
    """A convention of another EPCI (Ain), with a member of its own."""
    with audit.par_commande("test"):
        autre = cycle.creer_convention(
            caf_du_departement(Departement.objects.get(code="01")), Epci.objects.get(code="200071751"), date(2025, 1, 1)
        )
        Habilitation.objects.create(
            user=Habilitation.objects.get(convention=convention, role=Role.LECTURE).user,
            convention=autre,
            role=Role.LECTURE,
        )
    return autre


def page(client, convention, compte="demo", **parametres):
    client.force_login(convention.habilitations.get(user__username=compte).user)
    reponse = client.get(f"/conventions/{convention.pk}/historique/", parametres)
    assert reponse.status_code == 200
    return reponse


def test_modeles_historises_decouverts_avec_leur_chemin():
    modeles = {m._meta.label for m in modeles_historises()}
    assert {"conventions.Convention", "conventions.Habilitation", "conventions.Invitation"} <= modeles
    assert "comptes.Organisation" not in modeles and "comptes.Profil" not in modeles


def test_une_modification_dit_qui_quand_et_avant_apres_avec_les_libelles(client, convention):
    chef = convention.habilitations.get(role=Role.CHEF_PROJET).user
    lecture = convention.habilitations.get(role=Role.LECTURE)
    lecture.role = Role.MEMBRE_COPIL
    lecture._history_user = chef
    lecture.save()
    reponse = page(client, convention)
    premiere = reponse.context["entrees"][0]  # newest first
    assert (premiere.qui, premiere.type_objet, premiere.action) == (
        "Dominique Exemple (compte de démonstration)",
        "Habilitation",
        "modification",
    )
    assert [(c.champ, c.avant, c.apres) for c in premiere.changements] == [
        ("rôle", "Lecture seule", "Membre du comité de pilotage")
    ]
    contenu = reponse.content.decode()
    assert "<strong>rôle</strong> : Lecture seule → Membre du comité de pilotage" in contenu
    assert "CTG (système) — commande ctg charger_demo" in contenu
    dates = [e.quand for e in reponse.context["entrees"]]
    assert dates == sorted(dates, reverse=True)


def test_la_convention_elle_meme_et_sa_signature(client, convention):
    entrees = page(client, convention, type="conventions.convention").context["entrees"]
    assert {e.type_objet for e in entrees} == {"Convention"}
    assert entrees[-1].action == "création" and entrees[-1].qui.startswith("CTG (système)")  # no person: the demo
    changements = [(c.champ, c.avant, c.apres) for e in entrees for c in e.changements]
    assert ("statut", "Brouillon", "Signée") in changements  # choices shown by their label
    assert ("date de signature", "—", "21/12/2021") in changements


def test_un_objet_supprime_reste_dans_l_historique(client, convention):
    retiree = convention.habilitations.get(role=Role.LECTURE)
    retiree._history_user = convention.habilitations.get(role=Role.CONSEILLER_CAF).user
    retiree.delete()
    entrees = page(client, convention).context["entrees"]
    assert entrees[0].action == "suppression" and entrees[0].qui == "Camille Démo (compte de démonstration)"
    assert entrees[0].objet.startswith("lecture — Lecture seule")


def test_filtrer_par_type_d_objet_et_par_personne(client, convention):
    demo = convention.habilitations.get(role=Role.CONSEILLER_CAF).user
    lecture = convention.habilitations.get(role=Role.LECTURE)
    lecture.role = Role.MEMBRE_COPIL
    lecture._history_user = demo
    lecture.save()
    reponse = page(client, convention, type="conventions.habilitation")
    assert reponse.context["entrees"] and {e.type_objet for e in reponse.context["entrees"]} == {"Habilitation"}
    reponse = page(client, convention, personne=str(demo.pk))
    assert [e.action for e in reponse.context["entrees"]] == ["modification"]
    assert 'value="conventions.habilitation"' in reponse.content.decode()  # the form offers the types present
    reponse = page(client, convention, personne="999999")  # not a choice: the form says so, nothing filtered
    assert reponse.context["form"].errors and len(reponse.context["entrees"]) > 1


def test_pagination_du_plus_recent_au_plus_ancien(client, convention):
    reponse = page(client, convention)
    total = reponse.context["page"].paginator.count
    assert total > 50  # the convention, its visas, 55 adhesions, signatories, transitions, roles…
    suivante = page(client, convention, page=2)
    assert suivante.context["entrees"][0].quand <= reponse.context["entrees"][-1].quand
    assert "page=2" in reponse.content.decode() and "Plus anciens" in reponse.content.decode()


def test_une_autre_convention_n_apparait_pas(client, convention, autre_convention):
    references = collecter(convention)
    autres = collecter(autre_convention)
    assert autres and not {(r.modele, r.history_id) for r in references} & {(r.modele, r.history_id) for r in autres}
    assert "Ain" not in page(client, convention).content.decode()


def test_historique_en_lecture_seule_pour_les_pages(client, convention):
    client.force_login(convention.habilitations.get(role=Role.CONSEILLER_CAF).user)
    assert client.post(f"/conventions/{convention.pk}/historique/").status_code == 405


@pytest.mark.date("2024-05-01")
def test_chemin_indirect_et_parents_supprimes_sans_requete_par_ligne(convention, autre_convention):
    """A model reached through its parent (a committee member, through the committee): its rows show even once
    the member and the committee are deleted; another convention's committee stays out; the number of queries
    does not grow with the number of rows."""
    from ctg.gouvernance.models import Comite, Cote, Membre

    assert Membre.chemin_convention == "comite__convention"
    with audit.par_commande("test"):
        principal = Comite.objects.filter(convention=convention, parent=None).first() or Comite.objects.create(
            convention=convention
        )
        groupe = Comite.objects.create(convention=convention, parent=principal, nom="Groupe de travail (test)")
        membre = Membre.objects.create(
            comite=groupe,
            prenom="Inès",
            nom="Témoin",
            organisation="Caf du Nord",
            cote=Cote.CAF,
            debut=date(2024, 1, 1),
        )
        membre.fonction = "Conseillère"
        membre.save()
        ailleurs = Comite.objects.filter(convention=autre_convention, parent=None).first() or Comite.objects.create(
            convention=autre_convention
        )
        Membre.objects.create(
            comite=ailleurs,
            prenom="Hors",
            nom="Champ",
            organisation="Caf de l'Ain",
            cote=Cote.CAF,
            debut=date(2024, 1, 1),
        )
    with CaptureQueriesContext(connection) as avant:
        collecter(convention)
    with audit.par_commande("test"):
        groupe.delete()  # the member goes with it
        for i in range(20):
            Membre.objects.create(
                comite=principal,
                prenom=f"P{i}",
                nom="Nombre",
                organisation="CA",
                cote=Cote.COLLECTIVITE,
                debut=date(2024, 1, 1),
            )
    with CaptureQueriesContext(connection) as apres:
        references = collecter(convention)
    assert len(apres.captured_queries) == len(avant.captured_queries)
    lignes = Membre.historique.filter(history_id__in=[r.history_id for r in references if r.modele is Membre])
    temoin = [ligne.history_type for ligne in lignes if ligne.nom == "Témoin"]
    assert sorted(temoin) == ["+", "-", "~"]
    assert not any(ligne.nom == "Champ" for ligne in lignes)
    assert not Comite.objects.filter(pk=groupe.pk).exists()


def test_nombre_de_requetes_de_la_page_borne(client, convention, django_assert_max_num_queries):
    client.force_login(convention.habilitations.get(role=Role.CONSEILLER_CAF).user)
    with django_assert_max_num_queries(20 + 4 * len(modeles_historises())):
        assert client.get(f"/conventions/{convention.pk}/historique/").status_code == 200


def test_hors_convention_introuvable(client, convention, django_user_model):
    client.force_login(django_user_model.objects.create_user("dehors", password="x"))
    assert client.get(f"/conventions/{convention.pk}/historique/").status_code == 404
    assert Convention.objects.filter(pk=convention.pk).exists()


@pytest.mark.parametrize(
    ("raison", "qui", "motif"),
    [
        ("commande ctg actualiser", "CTG (système) — commande ctg actualiser", ""),
        ("Création — commande ctg charger_demo", "CTG (système) — commande ctg charger_demo", "Création"),
        ("Création (commande ctg charger_demo)", "CTG (système) — commande ctg charger_demo", "Création"),
        ("Entrée en vigueur (date de début)", "CTG (système)", "Entrée en vigueur (date de début)"),
        (None, "CTG (système)", ""),
    ],
)
def test_qui_et_motif_d_une_ligne(raison, qui, motif):
    from types import SimpleNamespace

    from ctg.conventions.historique import _qui_et_motif

    ligne = SimpleNamespace(history_user=audit.utilisateur_systeme(), history_change_reason=raison)
    assert _qui_et_motif(ligne) == (qui, motif)

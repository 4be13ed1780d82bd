"""A comité member with their own account answers the invitation and comments the draft minutes of a meeting
(``ctg.gouvernance.participation``); the secretariat reads the answers, the expected quorum and parity."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.utils.html import escape

from ctg.comptes.models import Role
from ctg.conventions.models import Convention, Habilitation
from ctg.gouvernance import participation, reunions
from ctg.gouvernance.models import CommentaireCompteRendu, Reponse, ReponseConvocation, Reunion
from tests.lecture import texte_html
from tests.test_accessibilite import champs_sans_nom

pytestmark = [pytest.mark.django_db, pytest.mark.date("2023-03-01")]


def compte(convention, nom, role=Role.MEMBRE_COPIL):
    user = get_user_model().objects.create_user(nom, password="x")
    Habilitation.objects.create(user=user, convention=convention, role=role)
    return user


@pytest.fixture
def sieges(comite, convention):
    """An account for each seat of the comité; "sans.siege" belongs to the convention without a seat."""
    comptes = {}
    for cle, membre in comite.m.items():
        membre.compte = compte(convention, f"siege.{cle}")
        membre.save()
        comptes[cle] = membre.compte
    comptes["sans_siege"] = compte(convention, "sans.siege", Role.CHEF_PROJET)
    return comptes


@pytest.fixture
def planifiee(comite):
    return Reunion.objects.create(comite=comite, date=date(2023, 3, 14), lieu="Salle du conseil")


def test_repondre_puis_changer_d_avis(planifiee, sieges, comite):
    reponse = participation.repondre(planifiee, sieges["caf"], vient=True, commentaire="J'apporte les chiffres.")
    assert (reponse.membre, reponse.reponse, reponse.par) == (comite.m["caf"], Reponse.VIENT, sieges["caf"])
    participation.repondre(planifiee, sieges["caf"], vient=False, remplacant="Inès Roy, adjointe")
    reponse = ReponseConvocation.objects.get(reunion=planifiee)  # one answer per member: replaced
    assert (reponse.reponse, reponse.remplacant, reponse.commentaire) == ("excuse", "Inès Roy, adjointe", "")
    with pytest.raises(participation.ParticipationImpossible, match="personne ne vous remplace"):
        participation.repondre(planifiee, sieges["caf"], vient=True, remplacant="Quelqu'un")
    with pytest.raises(participation.SansSiege):
        participation.repondre(planifiee, sieges["sans_siege"], vient=True)
    assert ReponseConvocation.objects.get(reunion=planifiee).reponse == Reponse.EXCUSE  # refusals change nothing


def test_bilan_des_reponses_quorum_et_parite_attendus(planifiee, sieges):
    participation.repondre(planifiee, sieges["anim"], vient=True)
    participation.repondre(planifiee, sieges["caf"], vient=True)
    participation.repondre(planifiee, sieges["pilote"], vient=True)
    participation.repondre(planifiee, sieges["col"], vient=False)
    bilan = participation.bilan_reponses(planifiee)
    assert (len(bilan.viennent), len(bilan.excuses), len(bilan.sans_reponse)) == (3, 1, 2)
    assert not bilan.parite_attendue.respectee and bilan.parite_attendue.resume == "2 Caf / 1 collectivité"
    assert bilan.quorum_attendu  # 3 of 4 voting members expected
    participation.repondre(planifiee, sieges["col"], vient=False, remplacant="Yves Roux")  # represented: counts
    bilan = participation.bilan_reponses(planifiee)
    assert bilan.parite_attendue.respectee and len(bilan.representes) == 1
    assert "3 confirment leur présence, 1 se fait représenter" in bilan.resume
    assert participation.presences_proposees(planifiee)[bilan.representes[0].pk] == ("represente", "Yves Roux")


@pytest.mark.date("2023-06-15")
def test_commentaires_du_projet_de_compte_rendu_clos_a_l_approbation(reunion_tenue, sieges):
    with pytest.raises(participation.ParticipationImpossible, match="projet rédigé"):
        participation.commenter(reunion_tenue, sieges["pilote"], "Trop tôt")
    with pytest.raises(participation.ParticipationImpossible, match="ne répond plus"):
        participation.repondre(reunion_tenue, sieges["pilote"], vient=True)  # held: answers are closed
    Reunion.objects.filter(pk=reunion_tenue.pk).update(compte_rendu="Projet de compte rendu.")
    reunion_tenue.refresh_from_db()
    participation.commenter(reunion_tenue, sieges["pilote"], "Ajouter la date du prochain comité.")
    participation.commenter(reunion_tenue, sieges["pilote"], "Ajouter la date du prochain comité, le 12 septembre.")
    commentaire = CommentaireCompteRendu.objects.get(reunion=reunion_tenue)
    assert commentaire.texte.endswith("le 12 septembre.") and commentaire.ecrit_le.date() == date(2023, 6, 15)
    with pytest.raises(participation.SansSiege):
        participation.commenter(reunion_tenue, sieges["sans_siege"], "Avis")
    reunions.approuver_compte_rendu(reunion_tenue)
    with pytest.raises(participation.ParticipationImpossible, match="les commentaires sont clos"):
        participation.commenter(reunion_tenue, sieges["pilote"], "Trop tard")
    assert CommentaireCompteRendu.objects.get(reunion=reunion_tenue).texte.endswith("le 12 septembre.")


def test_pages_du_membre_du_secretariat_et_des_autres(client, planifiee, sieges, convention):
    url = f"/gouvernance/conventions/{convention.pk}/reunions/{planifiee.pk}/"
    ailleurs = Convention.objects.create(
        caf=convention.caf, epci=convention.epci, date_debut=date(2032, 1, 1), date_fin=date(2036, 12, 31)
    )
    etranger = get_user_model().objects.create_user("etranger")
    Habilitation.objects.create(user=etranger, convention=ailleurs, role=Role.MEMBRE_COPIL)
    donnees = {"reponse": "excuse", "remplacant": "Yves Roux", "commentaire": "En congés."}
    client.force_login(etranger)
    assert client.post(url + "reponse/", donnees).status_code == 404  # another convention's member
    client.force_login(sieges["sans_siege"])
    assert client.post(url + "reponse/", donnees).status_code == 403  # no seat on the comité
    assert "form-reponse" not in client.get(url).content.decode()
    client.force_login(sieges["col"])
    page = client.get(url).content.decode()
    assert 'id="form-reponse"' in page and not champs_sans_nom(page)
    assert client.post(url + "reponse/", donnees).status_code == 302
    client.force_login(sieges["sans_siege"])  # the project lead, the comité's secretariat
    texte = texte_html(client.get(url).content.decode())
    assert "0 confirme sa présence, 1 se fait représenter, 0 excusé·e, 5 sans réponse (sur 6 convoqués)" in texte
    assert "Excusé·e, remplacé·e par Yves Roux" in texte and "« En congés. »" in texte


def test_communes_d_une_initiative_dans_l_ordre_alphabetique_francais(convention):
    from ctg.gouvernance.forms import InitiativeForm

    noms = [nom for _, nom in InitiativeForm(convention=convention).fields["commune"].choices][1:]
    # case and accents ignored: a binary order puts the capital "G" and "S" before "e" and "l"
    assert noms.index("Thun-l'Évêque") < noms.index("Thun-Saint-Martin")
    assert noms.index("Villers-en-Cauchies") < noms.index("Villers-Guislain")
    assert len(noms) == 55


def test_l_administration_montre_les_reponses_sans_les_ecrire(client, planifiee, sieges, django_user_model):
    reponse = participation.repondre(planifiee, sieges["caf"], vient=True, commentaire="J'apporte les chiffres.")
    client.force_login(django_user_model.objects.create_superuser("admin", password="x"))
    liste = client.get("/admin/gouvernance/reponseconvocation/")
    assert liste.status_code == 200 and escape(str(reponse.membre)) in liste.content.decode()
    fiche = client.get(f"/admin/gouvernance/reponseconvocation/{reponse.pk}/change/")
    assert fiche.status_code == 200 and 'name="_save"' not in fiche.content.decode()
    assert client.get("/admin/gouvernance/reponseconvocation/add/").status_code == 403
    assert client.get("/admin/gouvernance/commentairecompterendu/").status_code == 200

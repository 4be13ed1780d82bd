"""Two people editing the same record: the second save, made from a form read at the same version, is refused
with what changed since (who, when, the old and new values), and the first one's change stays."""

from datetime import date

import pytest

from ctg.concurrence import VersionPerimee
from ctg.plan import cycle
from ctg.plan.forms import FicheForm, IndicateurForm, ObjectifForm
from ctg.plan.models import FicheAction, IndicateurAction, Niveau, Objectif
from tests.plan.fabriques import creer_indicateur

from .conftest import fiche_de_test

pytestmark = [pytest.mark.django_db, pytest.mark.date("2026-11-30")]  # the convention in force


def donnees_fiche(fiche, **changes):
    donnees = {
        "titre": fiche.titre,
        "description": fiche.description,
        "public": fiche.public,
        "pilote": "",
        "pilote_structure": fiche.pilote_structure,
        "pilote_personne": "",
        "priorite": str(fiche.priorite),
        "version_lue": str(fiche.version),
        "acteurs-TOTAL_FORMS": "0",
        "acteurs-INITIAL_FORMS": "0",
        "jalons-TOTAL_FORMS": "0",
        "jalons-INITIAL_FORMS": "0",
        "financements-TOTAL_FORMS": "0",
        "financements-INITIAL_FORMS": "0",
    }
    donnees.update(changes)
    return donnees


def test_deux_formulaires_lus_a_la_meme_version(convention, comptes):
    fiche = fiche_de_test(convention, "Micro-crèche", pilote_structure="CA de Cambrai")
    lu_par_a = FicheForm(donnees_fiche(fiche, titre="Micro-crèche de Masnières"), instance=FicheAction.objects.get())
    lu_par_b = FicheForm(
        donnees_fiche(fiche, pilote_structure="Mairie de Masnières"), instance=FicheAction.objects.get()
    )
    assert lu_par_a.is_valid() and lu_par_b.is_valid()  # both read at the same version, both valid so far
    lu_par_a.save()
    with pytest.raises(VersionPerimee):  # B saves after A: refused under the row lock, nothing written
        lu_par_b.save()
    fiche.refresh_from_db()
    assert (fiche.titre, fiche.pilote_structure) == ("Micro-crèche de Masnières", "CA de Cambrai")
    # B submits again the form it read: refused at validation, saying what changed since
    encore = FicheForm(donnees_fiche(fiche, pilote_structure="Mairie", version_lue="1"), instance=fiche)
    assert not encore.is_valid()
    erreur = " ".join(encore.non_field_errors())
    assert "modifié depuis que vous l'avez ouvert" in erreur
    assert "« titre » modifié" in erreur and "Micro-crèche → Micro-crèche de Masnières" in erreur


def test_deux_personnes_sur_la_page_de_la_fiche(client, convention, comptes):
    from django.test import Client

    fiche = fiche_de_test(convention, "Relais petite enfance", pilote_structure="CA de Cambrai")
    url = f"/plan/conventions/{convention.pk}/actions/{fiche.pk}/modifier/"
    client.force_login(comptes["demo"])
    autre = Client()
    autre.force_login(comptes["chef.projet"])
    version_a = client.get(url).context["form"]["version_lue"].value()
    version_b = autre.get(url).context["form"]["version_lue"].value()
    assert version_a == version_b == fiche.version
    premiere = client.post(url, donnees_fiche(fiche, titre="Relais petite enfance d'Iwuy"))
    assert premiere.status_code == 302
    seconde = autre.post(url, donnees_fiche(fiche, titre="Relais du nord"))
    page = seconde.content.decode()
    assert seconde.status_code == 200 and "modifié depuis que vous l&#x27;avez ouvert" in page
    assert "Camille Démo" in page and "Relais petite enfance → Relais petite enfance d&#x27;Iwuy" in page
    assert FicheAction.objects.get().titre == "Relais petite enfance d'Iwuy"  # the first save stays


def test_un_changement_de_statut_rend_le_formulaire_perime(convention, comptes):
    fiche = fiche_de_test(convention, "Lieu d'accueil enfants-parents")
    form = FicheForm(donnees_fiche(fiche, titre="LAEP itinérant"), instance=FicheAction.objects.get())
    cycle.changer_statut_fiche(fiche, "demarrer", comptes["chef.projet"])
    assert not form.is_valid() and "« statut » modifié" in " ".join(form.non_field_errors())
    fiche = FicheAction.objects.get()
    assert (fiche.titre, fiche.statut) == ("Lieu d'accueil enfants-parents", "en_cours")  # nothing lost


def test_objectif_et_indicateur(convention, comptes):
    enjeu = Objectif.objects.filter(convention=convention, niveau=Niveau.ENJEU).first()
    objectif = Objectif.objects.create(
        convention=convention, parent=enjeu, niveau=Niveau.STRATEGIQUE, intitule="Atteindre 56 places"
    )
    parents = [(str(enjeu.pk), enjeu.intitule)]

    def form_objectif(intitule):
        donnees = {"rattachement": str(enjeu.pk), "intitule": intitule, "champ": "partage", "version_lue": "1"}
        return ObjectifForm(donnees, instance=Objectif.objects.get(pk=objectif.pk), parents=parents)

    a, b = form_objectif("Atteindre 56 places pour 100 enfants"), form_objectif("Atteindre 60 places")
    assert a.is_valid() and b.is_valid()
    a.save_dans(convention)
    with pytest.raises(VersionPerimee):
        b.save_dans(convention)
    assert Objectif.objects.get(pk=objectif.pk).intitule == "Atteindre 56 places pour 100 enfants"

    fiche = fiche_de_test(convention)
    indicateur = creer_indicateur(
        fiche=fiche, libelle="Places créées", valeur_initiale=0, cible=10, date_cible=date(2026, 12, 31)
    )

    def form_indicateur(cible):
        donnees = {"libelle": "Places créées", "valeur_initiale": "0", "cible": cible, "date_cible": "2026-12-31"}
        donnees["version_lue"] = "1"
        return IndicateurForm(donnees, instance=IndicateurAction.objects.get(pk=indicateur.pk))

    a, b = form_indicateur("12"), form_indicateur("8")
    assert a.is_valid() and b.is_valid()
    a.save()
    assert not form_indicateur("8").is_valid()
    with pytest.raises(VersionPerimee):
        b.save()
    assert IndicateurAction.objects.get(pk=indicateur.pk).cible == 12

"""The pages of article 7: reached through the convention (404 for a person of another convention), the forms each
person is offered, a step posted, the register's access."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model

from ctg.comptes.models import Profil, Role
from ctg.conventions.models import Convention, Habilitation
from ctg.rgpd import echanges
from ctg.rgpd.models import StatutDemande

from .test_echanges import AVIS, ETUDE, demande_de, monde  # noqa: F401 (fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.date("2026-06-15")]


def test_une_personne_d_une_autre_convention_recoit_404(client, monde):  # noqa: F811
    convention, _comptes, caf, _ = monde
    demande = demande_de(monde)
    autre = Convention.objects.create(
        caf=convention.caf,
        epci=convention.epci,
        date_debut=convention.date_fin.replace(year=2032),
        date_fin=convention.date_fin.replace(year=2036),
    )
    etranger = get_user_model().objects.create_user("etranger")
    Habilitation.objects.create(user=etranger, convention=autre, role=Role.CONSEILLER_CAF)
    client.force_login(etranger)
    for url in (f"/rgpd/conventions/{convention.pk}/echanges/", demande.get_absolute_url()):
        assert client.get(url).status_code == 404
    # the request reached through another convention's address does not exist either
    assert client.get(f"/rgpd/conventions/{autre.pk}/echanges/{demande.pk}/").status_code == 404
    reponse = client.post(f"/rgpd/conventions/{convention.pk}/echanges/{demande.pk}/etude/", {})
    assert reponse.status_code == 404
    assert client.get(f"/rgpd/registres/{caf.pk}/").status_code == 403


def test_formulaires_proposes_selon_la_personne_et_etude_postee(client, monde):  # noqa: F811
    convention, comptes, _caf, _ = monde
    demande = demande_de(monde)
    client.force_login(comptes["chef.projet"])
    page = client.get(demande.get_absolute_url()).content.decode()
    assert "Étude du détenteur" not in page and "Familles accompagnées" in page
    client.force_login(comptes["demo"])
    page = client.get(demande.get_absolute_url()).content.decode()
    assert "Étude du détenteur" in page and "Avis du délégué" not in page
    donnees = {f"etude-{k}": v for k, v in ETUDE.items()}
    client.post(f"/rgpd/conventions/{convention.pk}/echanges/{demande.pk}/etude/", donnees)
    demande.refresh_from_db()
    assert demande.statut == StatutDemande.ETUDIEE
    client.force_login(comptes["membre.copil"])
    page = client.get(demande.get_absolute_url()).content.decode()
    assert "Avis du délégué·e à la protection des données</h2>" in page and "Décision du détenteur" not in page
    assert "Opportunité : Utile au plan" in page


def test_le_tableau_de_bord_mene_aux_echanges(client, monde):  # noqa: F811
    convention, comptes, _caf, _ = monde
    client.force_login(comptes["lecture"])
    assert (
        f"/rgpd/conventions/{convention.pk}/echanges/" in client.get(f"/conventions/{convention.pk}/").content.decode()
    )


def test_le_delegue_sans_role_rend_son_avis_et_ne_voit_que_la_demande(client, monde):  # noqa: F811
    """The holder's DPO usually has no role on the convention: the studied request waits on their organisation's
    register page, they open it (as any request their organisation holds) and give the opinion; the convention, its
    list of requests and its other pages stay hidden."""
    convention, comptes, caf, _ = monde
    demande = demande_de(monde)
    autre = demande_de(monde, objet="Autre demande")
    echanges.etudier(demande, comptes["demo"], **ETUDE)
    delegue = get_user_model().objects.create_user("dpo.caf", first_name="Dora", last_name="Pillet")
    Profil.objects.create(user=delegue, organisation=caf)
    echanges.designer_delegue(caf, delegue, comptes["demo"], date(2026, 6, 1))
    assert not Habilitation.objects.filter(user=delegue).exists()
    client.force_login(delegue)
    page = client.get(f"/rgpd/registres/{caf.pk}/").content.decode()
    assert "Demandes en attente de votre avis" in page and demande.get_absolute_url() in page
    assert autre.get_absolute_url() not in page  # not studied yet: nothing to give an opinion on
    assert client.get(demande.get_absolute_url()).status_code == 200
    assert client.get(autre.get_absolute_url()).status_code == 200  # also held by the Caf
    assert client.post(f"{autre.get_absolute_url()}decision/", {}).status_code == 302  # a step: refused by the rules
    autre.refresh_from_db()
    assert autre.statut == StatutDemande.DEPOSEE
    for url in (f"/conventions/{convention.pk}/", f"/rgpd/conventions/{convention.pk}/echanges/"):
        assert client.get(url).status_code == 404, url
    donnees = {f"avis-{k}": v for k, v in AVIS.items()}
    client.post(f"{demande.get_absolute_url()}avis/", donnees)
    demande.refresh_from_db()
    assert demande.statut == StatutDemande.AVIS_RENDU and demande.avis.get().par == delegue
    assert "Demandes en attente de votre avis" not in client.get(f"/rgpd/registres/{caf.pk}/").content.decode()
    # the former DPO, with no role either, no longer reaches it
    echanges.designer_delegue(caf, comptes["membre.copil"], comptes["demo"], date(2026, 6, 15))
    assert client.get(demande.get_absolute_url()).status_code == 404

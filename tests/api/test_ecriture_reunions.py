"""Planning, changing, cancelling, convening a comité meeting and writing its minutes through the API: the rules of
the meeting's pages (``ctg.gouvernance.reunions``, ``lancer_envoi``, the pages' forms and rights), a read-write
token, the meeting read back through the GET, nothing written on a refusal."""

from datetime import date

from django.core import mail

from ctg.api.jetons import creer_jeton
from ctg.gouvernance.models import Cote, Membre, Reunion, StatutReunion

from .conftest import entete

NOUVELLE = {
    "date": "2026-12-15",
    "heure_debut": "09:30",
    "heure_fin": "11:00",
    "lieu": "Salle du conseil communautaire",
    "ordre_du_jour": [{"rubrique": "plan", "intitule": "Bilan des fiches action"}, {"intitule": "Questions"}],
}


def _url(reference, suite=""):
    return f"/api/v1/conventions/{reference.pk}/reunions{suite}"


def _ecrire(client, methode, url, corps, secret):
    return getattr(client, methode)(url, corps, content_type="application/json", **entete(secret))


def _lire(client, reference, reunion, secret):
    reponse = client.get(_url(reference, f"/{reunion}"), **entete(secret))
    assert reponse.status_code == 200, reponse.content
    return reponse.json()


def _etat():
    return list(Reunion.objects.values_list("pk", "date", "lieu", "statut", "compte_rendu", "version"))


def test_planifier_puis_modifier_une_reunion(client, reference, jeton_de):
    secret = jeton_de("chef.projet", ecriture=True)
    cree = _ecrire(client, "post", _url(reference), NOUVELLE, secret)
    assert cree.status_code == 201, cree.content
    pk = cree.json()["id"]
    lue = _lire(client, reference, pk, jeton_de("lecture"))
    assert (lue["date"], lue["heure_debut"], lue["lieu"], lue["statut"], lue["version"]) == (
        "2026-12-15",
        "09:30",
        NOUVELLE["lieu"],
        "planifiee",
        1,
    )
    assert lue["ordre_du_jour"] == [
        {"rubrique": "plan", "intitule": "Bilan des fiches action"},
        {"rubrique": "autre", "intitule": "Questions"},
    ]

    # a change: the absent fields keep their value, the new agenda replaces the former one
    corps = {"lieu": "Mairie de Cambrai", "ordre_du_jour": [{"intitule": "Point unique"}], "version": 1}
    modifiee = _ecrire(client, "patch", _url(reference, f"/{pk}"), corps, secret)
    assert modifiee.status_code == 200, modifiee.content
    lue = _lire(client, reference, pk, secret)
    assert (lue["lieu"], lue["heure_fin"], lue["version"]) == ("Mairie de Cambrai", "11:00", 2)
    assert lue["ordre_du_jour"] == [{"rubrique": "autre", "intitule": "Point unique"}]

    # the version read is stale now: refused, nothing written
    avant = _etat()
    perimee = _ecrire(client, "patch", _url(reference, f"/{pk}"), {"lieu": "Ailleurs", "version": 1}, secret)
    assert (perimee.status_code, perimee.json()["code"]) == (409, "version_perimee")
    assert "Mairie de Cambrai" in perimee.json()["message"]
    assert _etat() == avant


def test_saisie_invalide_422_et_rien_n_est_ecrit(client, reference, jeton_de):
    secret = jeton_de("demo", ecriture=True)
    avant = _etat()
    sans_lieu = _ecrire(client, "post", _url(reference), {**NOUVELLE, "lieu": ""}, secret)
    assert sans_lieu.status_code == 422
    assert "Indiquez le lieu de la réunion ou un lien de visioconférence." in str(sans_lieu.json()["erreurs"])
    heures = _ecrire(client, "post", _url(reference), {**NOUVELLE, "heure_fin": "08:00"}, secret)
    assert heures.status_code == 422
    assert heures.json()["erreurs"] == [
        {"champ": "heure_fin", "message": "L'heure de fin doit suivre l'heure de début."}
    ]
    # a held meeting keeps its date: said, not ignored
    tenue = reference.reunion
    date_changee = _ecrire(client, "patch", _url(reference, f"/{tenue.pk}"), {"date": "2023-03-02"}, secret)
    assert date_changee.status_code == 422 and "ne changent plus" in str(date_changee.json()["erreurs"])
    assert _etat() == avant


def test_refus_de_droit_403_et_hors_convention_404(client, reference, jeton_de, etranger):
    avant = _etat()
    assert _ecrire(client, "post", _url(reference), NOUVELLE, jeton_de("chef.projet")).status_code == 403
    for compte in ("referent.commune", "membre.copil", "lecture"):
        reponse = _ecrire(client, "post", _url(reference), NOUVELLE, jeton_de(compte, ecriture=True))
        assert reponse.status_code == 403, compte
    dehors = creer_jeton(etranger, "Étranger", ecriture=True)[1]
    assert _ecrire(client, "post", _url(reference), NOUVELLE, dehors).status_code == 404
    url = _url(reference, f"/{reference.reunion.pk}/statut")
    assert _ecrire(client, "post", url, {"action": "approuver"}, jeton_de("lecture", ecriture=True)).status_code == 403
    assert _etat() == avant


def test_annuler_retablir_et_refus_d_etat(client, reference, jeton_de):
    secret = jeton_de("chef.projet", ecriture=True)
    pk = _ecrire(client, "post", _url(reference), NOUVELLE, secret).json()["id"]
    statut = _url(reference, f"/{pk}/statut")
    annulee = _ecrire(client, "post", statut, {"action": "annuler"}, secret)
    assert annulee.status_code == 200 and _lire(client, reference, pk, secret)["statut"] == "annulee"
    deux_fois = _ecrire(client, "post", statut, {"action": "annuler"}, secret)
    assert deux_fois.status_code == 409
    assert (
        deux_fois.json()["message"]
        == "Seule une réunion planifiée peut être annulée (la réunion du 15/12/2026 est « annulée »)."
    )
    assert _ecrire(client, "post", statut, {"action": "retablir"}, secret).status_code == 200
    assert Reunion.objects.get(pk=pk).statut == StatutReunion.PLANIFIEE
    # a held meeting (attendance recorded) cannot be cancelled
    tenue = _ecrire(client, "post", _url(reference, f"/{reference.reunion.pk}/statut"), {"action": "annuler"}, secret)
    assert tenue.status_code == 409 and "planifiée" in tenue.json()["message"]


def test_compte_rendu_redige_approuve_puis_reunion_close(client, reference, jeton_de):
    secret = jeton_de("demo", ecriture=True)
    tenue = reference.reunion
    url = _url(reference, f"/{tenue.pk}/compte-rendu")
    sans = _ecrire(client, "post", _url(reference, f"/{tenue.pk}/statut"), {"action": "approuver"}, secret)
    assert sans.status_code == 409 and sans.json()["message"] == "Rédigez le compte rendu avant de l'approuver."
    redige = _ecrire(client, "post", url, {"compte_rendu": "Le comité a examiné le plan."}, secret)
    assert redige.status_code == 200, redige.content
    assert _lire(client, reference, tenue.pk, secret)["compte_rendu"] == "Le comité a examiné le plan."
    approuve = _ecrire(client, "post", _url(reference, f"/{tenue.pk}/statut"), {"action": "approuver"}, secret)
    assert approuve.status_code == 200
    assert approuve.json()["compte_rendu_approuve_le"] == "2026-11-30"  # the tests' day
    avant = _etat()
    close = _ecrire(client, "post", url, {"compte_rendu": "Réécrit."}, secret)
    assert close.status_code == 409 and "la réunion est close" in close.json()["message"]
    modif = _ecrire(client, "patch", _url(reference, f"/{tenue.pk}"), {"lieu": "Ailleurs"}, secret)
    assert modif.status_code == 409 and "la réunion est close" in modif.json()["message"]
    assert _etat() == avant


def test_convocations_envoyees_par_courriel_comme_le_bouton(client, reference, jeton_de):
    secret = jeton_de("chef.projet", ecriture=True)
    comite = reference.reunion.comite
    for prenom, email in (("Dominique", "pilote@example.org"), ("Camille", "")):
        Membre.objects.create(
            comite=comite, prenom=prenom, nom="Siège", organisation="CA", cote=Cote.COLLECTIVITE,
            email=email, debut=date(2022, 1, 1),
        )  # fmt: skip
    pk = _ecrire(client, "post", _url(reference), NOUVELLE, secret).json()["id"]
    envoi = _ecrire(client, "post", _url(reference, f"/{pk}/convocations"), {}, secret)
    assert envoi.status_code == 200, envoi.content
    assert envoi.json()["statut"] == "termine"
    assert envoi.json()["message"] == (
        "Convocations envoyées à 1 membre. Sans adresse de courriel, à convoquer autrement : Alix Api, Camille Siège."
    )
    assert [m.to for m in mail.outbox] == [["pilote@example.org"]]
    assert "Bilan des fiches action" in mail.outbox[0].body
    assert {a[0] for a in mail.outbox[0].attachments} == {"copil-2026-12-15.ics", "convocation-2026-12-15.pdf"}
    assert _lire(client, reference, pk, secret)["convocations_envoyees_le"] is not None
    # a held meeting is not convened: refused, no e-mail
    tenue = _ecrire(client, "post", _url(reference, f"/{reference.reunion.pk}/convocations"), {}, secret)
    assert tenue.status_code == 409
    assert tenue.json()["message"] == "Seule une réunion planifiée fait l'objet de convocations."
    assert len(mail.outbox) == 1

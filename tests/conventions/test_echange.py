"""The JSON exchange format of a convention: export, import, validation, commands."""

import copy
import json
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ctg.comptes.models import Organisation
from ctg.conventions.cycle import modification_des_termes, resilier
from ctg.conventions.echange import (
    ErreurEchange,
    exporter,
    importer,
    importer_fichier,
    importer_liste,
    lire_fichier,
)
from ctg.conventions.models import (
    Adhesion,
    Avenant,
    Convention,
    Habilitation,
    Resiliation,
    Signataire,
    Statut,
    StatutAdhesion,
    Transition,
    Visa,
)
from ctg.territoires.models import Commune, Epci

DONNEES = Path(__file__).parent / "donnees"
FICHIER_EXEMPLE = Path(__file__).resolve().parents[2] / "data" / "exemples" / "convention-caf-ain-cc-exemple.json"
SIREN_EXEMPLE = "200029999"
CTES_EXEMPLE = "001-200029999-20241218-DEL2024_12_12_05-CC"

pytestmark = pytest.mark.django_db

MODELES = (Convention, Organisation, Visa, Signataire, Adhesion, Avenant, Resiliation, Transition, Habilitation)


def compter() -> dict[str, int]:
    return {modele.__name__: modele.objects.count() for modele in MODELES}


def exemple() -> dict:
    return json.loads(FICHIER_EXEMPLE.read_text(encoding="utf-8"))


def erreurs_de(donnees, **options) -> list[str]:
    with pytest.raises(ErreurEchange) as exc:
        importer(donnees, **options)
    return exc.value.erreurs


def minimal(**champs) -> dict:
    """The smallest valid description: a draft convention of the Caf du Nord with the CA de Cambrai."""
    return {
        "format": "ctg-convention",
        "version": 1,
        "caf": {"departement": "59"},
        "epci": {"siren": "200068500"},
        "date_debut": "2027-01-01",
        **champs,
    }


def sans_note(donnees: dict) -> dict:
    return {cle: valeur for cle, valeur in donnees.items() if cle != "note"}


# --- Export and round trips ------------------------------------------------------------------------


def test_export_de_la_convention_de_cambrai(convention_cambrai):
    donnees = exporter(convention_cambrai)
    assert donnees["format"] == "ctg-convention"
    assert donnees["version"] == 1
    assert donnees["caf"] == {
        "departement": "59",
        "nom": "Caf du Nord",
        "tribunal_administratif": "Tribunal administratif de Lille",
    }
    assert donnees["epci"] == {"siren": "200068500", "nom": "CA de Cambrai"}
    assert donnees["date_debut"] == "2022-01-01"
    assert donnees["date_fin"] == "2026-12-31"
    assert donnees["statut"] == "en_vigueur"  # as of today (2026-11-30)
    assert donnees["ctes"]["identifiant"] == "059-200068500-20211221-D2021_12_10_01-CC"
    assert donnees["deliberation"] == {
        "instance": "conseil_communautaire",
        "date": "2021-12-10",
        "numero": "D2021_12_10_01",
    }
    assert [(s["partie"], s["ordre"], s["nom"]) for s in donnees["signataires"]] == [
        ("caf", 1, "Librizzi"),
        ("caf", 2, "Grard"),
        ("collectivite", 1, "Villain"),
    ]
    assert len(donnees["visas"]) == 6
    assert "17 janvier 2019" in donnees["visas"][5]
    assert len(donnees["adhesions"]) == 55
    assert donnees["adhesions"] == sorted(donnees["adhesions"], key=lambda a: a["commune"])
    assert donnees["resiliation"] is None
    json.dumps(donnees)  # plain JSON types only


def test_reimporter_l_export_sur_la_meme_convention_ne_change_rien(convention_cambrai):
    donnees = exporter(convention_cambrai)
    modifiee_le = Convention.objects.get(pk=convention_cambrai.pk).modifiee_le
    visas = list(Visa.objects.filter(convention=convention_cambrai).values_list("pk", flat=True))
    signataires = list(Signataire.objects.filter(convention=convention_cambrai).values_list("pk", flat=True))
    avant = compter()

    resultat = importer_liste([donnees])[0]

    assert (resultat.convention.pk, resultat.creee, resultat.modifiee) == (convention_cambrai.pk, False, False)
    assert resultat.etat == "inchangée"
    assert compter() == avant
    assert Convention.objects.get(pk=convention_cambrai.pk).modifiee_le == modifiee_le
    assert list(Visa.objects.filter(convention=convention_cambrai).values_list("pk", flat=True)) == visas
    assert list(Signataire.objects.filter(convention=convention_cambrai).values_list("pk", flat=True)) == signataires
    assert exporter(Convention.objects.get(pk=convention_cambrai.pk)) == donnees


def _completer(convention):
    """Fill every optional part of a convention, so that a round trip covers every field. The jeu d'essai writes
    its terms as the signed text had them (``modification_des_termes``), not through avenants."""
    with modification_des_termes("jeu d'essai"):
        convention.affiche_le = date(2021, 12, 22)
        convention.diagnostic_valide_le = date(2023, 6, 30)
        convention.objectifs_identifies_le = date(2023, 12, 15)
        convention.annexe1 = "diagnostic_partage"
        convention.deliberation_instance = "bureau_communautaire"
        convention.domaines = ["jeunesse", "enfance", "logement"]
        convention.titre = "Convention territoriale globale du Cambrésis"
        convention.save()
        Signataire.objects.create(
            convention=convention,
            partie="collectivite",
            ordre=2,
            civilite="Madame",
            prenom="Zoé",
            nom="Essai",
            qualite="autre",
            qualite_autre="Vice-présidente chargée de la jeunesse",
        )
    Avenant.objects.create(
        convention=convention,
        numero=1,
        date=date(2023, 6, 30),
        objet="Ajout du domaine logement",
        signataires="Les signataires de la convention",
        ctes_identifiant="059-200068500-20230630-D2023_06_30_02-CC",
        statut="signe",
        modifications={"domaines": ["enfance", "jeunesse", "logement"]},
    )
    Avenant.objects.create(convention=convention, numero=2, date=date(2024, 2, 1), objet="Calendrier", statut="signe")
    cambrai = Adhesion.objects.get(convention=convention, commune_id="59122")
    cambrai.statut = StatutAdhesion.ADHEREE
    cambrai.maire_civilite = "Monsieur"
    cambrai.maire_prenom = "Jean"
    cambrai.maire_nom = "Essai"
    cambrai.date_deliberation = date(2022, 2, 14)
    cambrai.ancienne_commune_cej = True
    cambrai.commentaire = "Délibération reçue « en avance »\nsur deux lignes."
    cambrai.save()
    Adhesion.objects.filter(convention=convention, commune_id="59001").update(statut=StatutAdhesion.REFUSEE)


def _vider(convention):
    caf = convention.caf
    convention.delete()
    caf.delete()
    assert not Convention.objects.exists()
    assert not Organisation.objects.filter(type="caf").exists()


def test_aller_retour_sans_perte_dans_une_base_vide(convention_cambrai):
    _completer(convention_cambrai)
    donnees = exporter(Convention.objects.get(pk=convention_cambrai.pk))
    texte = json.dumps(donnees, ensure_ascii=False)
    _vider(convention_cambrai)

    convention, creee = importer(json.loads(texte))

    assert creee
    assert exporter(Convention.objects.get(pk=convention.pk)) == donnees
    caf = Organisation.objects.get(type="caf", departement_id="59")
    assert caf.tribunal_administratif == "Tribunal administratif de Lille"
    assert convention.statut == Statut.EN_VIGUEUR  # signed through the rules layer, then in force by its dates
    assert list(convention.transitions.values_list("de", "vers")) == [
        ("", "brouillon"),
        ("brouillon", "signee"),
        ("signee", "en_vigueur"),
    ]
    assert [t.date_effet for t in convention.transitions.all()][1:] == [date(2021, 12, 21), date(2022, 1, 1)]
    # and importing it again changes nothing
    avant = compter()
    assert importer(json.loads(texte)) == (convention, False)
    assert compter() == avant


def test_aller_retour_d_une_convention_resiliee(convention_cambrai):
    resilier(
        convention_cambrai,
        "denonciation",
        date(2025, 1, 10),
        "collectivite",
        motif="Fusion d'EPCI",
        confirmer_effet_passe=True,
    )
    convention_cambrai.refresh_from_db()
    assert convention_cambrai.statut == Statut.RESILIEE
    donnees = exporter(convention_cambrai)
    assert donnees["resiliation"] == {
        "mode": "denonciation",
        "date_envoi": "2025-01-10",
        "date_effet": "2025-07-10",
        "initiative": "collectivite",
        "motif": "Fusion d'EPCI",
    }
    _vider(convention_cambrai)

    convention, creee = importer(copy.deepcopy(donnees))

    assert creee
    assert exporter(convention) == donnees
    assert convention.transitions.last().vers == Statut.RESILIEE
    assert convention.transitions.last().date_effet == date(2025, 7, 10)


# --- The example file --------------------------------------------------------------------------------


def test_le_fichier_exemple_est_marque_fictif():
    donnees = exemple()
    assert "FICTIF" in donnees["note"]
    assert donnees["epci"]["siren"] == SIREN_EXEMPLE
    assert (donnees["date_debut"], donnees["date_fin"]) == ("2025-01-01", "2029-12-31")
    assert donnees["ctes"]["identifiant"] == CTES_EXEMPLE
    assert all("(exemple)" in s["nom"] for s in donnees["signataires"])
    assert all("(exemple)" in a["maire"]["nom"] for a in donnees["adhesions"] if a["maire"]["nom"])


def test_import_du_fichier_exemple():
    resultats = importer_fichier(FICHIER_EXEMPLE)

    assert [(r.creee, r.etat) for r in resultats] == [(True, "créée")]
    convention = Convention.objects.get(ctes_identifiant=CTES_EXEMPLE)
    epci = Epci.objects.get(code=SIREN_EXEMPLE)
    assert convention.epci == epci
    assert convention.caf.nom == "Caf de l'Ain"
    assert convention.caf.departement_id == "01"
    assert convention.caf.tribunal_administratif == "Tribunal administratif de Lyon"
    assert convention.statut == Statut.EN_VIGUEUR
    assert (convention.date_debut, convention.date_fin) == (date(2025, 1, 1), date(2029, 12, 31))
    communes = set(epci.communes.values_list("code", flat=True))
    assert len(communes) == 14
    assert set(convention.adhesions.values_list("commune_id", flat=True)) == communes
    assert convention.adhesions.filter(statut=StatutAdhesion.ADHEREE).count() == 10
    assert [a.commune.nom for a in convention.adhesions.all() if a.bonus_bloque] == ["Poncin"]
    assert convention.signataires.count() == 4
    assert convention.avenants.get().numero == 1
    assert exporter(convention) == sans_note(exemple())
    assert importer_fichier(FICHIER_EXEMPLE)[0].etat == "inchangée"


def test_les_communes_non_listees_sont_creees_en_attente():
    donnees = exemple()
    donnees["adhesions"] = [a for a in donnees["adhesions"] if a["commune"] in {"01304", "01068"}]

    convention, _ = importer(donnees)

    assert convention.adhesions.count() == 14
    assert set(convention.adhesions.exclude(statut=StatutAdhesion.EN_ATTENTE).values_list("commune_id", flat=True)) == {
        "01304",
        "01068",
    }
    pendante = convention.adhesions.get(commune_id="01331")
    assert (pendante.maire_nom, pendante.date_deliberation, pendante.ancienne_commune_cej) == ("", None, False)


def _mise_a_jour(**champs) -> dict:
    return {
        "format": "ctg-convention",
        "version": 1,
        "caf": {"departement": "01"},
        "epci": {"siren": SIREN_EXEMPLE},
        "date_debut": "2025-01-01",
        "ctes": {"identifiant": CTES_EXEMPLE},
        **champs,
    }


def test_mise_a_jour_par_identifiant_ctes_et_avenant_signe():
    importer(exemple())
    convention = Convention.objects.get(ctes_identifiant=CTES_EXEMPLE)
    transitions = convention.transitions.count()
    donnees = _mise_a_jour(
        chef_projet={"nom": "Dominique Petit (exemple)"},
        adhesions=[{"commune": "01331", "statut": "adheree", "date_deliberation": "2026-10-05"}],
        avenants=[
            {
                "numero": 2,
                "date": "2026-03-02",
                "objet": "Nouvelle cheffe de projet (exemple)",
                "modifications": {"chef_projet_nom": "Dominique Petit (exemple)"},
            }
        ],
    )

    resultat = importer_liste([donnees], indexer=False)[0]

    assert (resultat.convention.pk, resultat.creee, resultat.etat) == (convention.pk, False, "mise à jour")
    convention.refresh_from_db()
    assert convention.chef_projet_nom == "Dominique Petit (exemple)"  # by the avenant, signed through the rules
    assert convention.chef_projet_fonction == "Coordinatrice CTG, service enfance-jeunesse (exemple)"  # kept
    assert convention.signataires.count() == 4  # not in the file: kept
    assert list(convention.avenants.values_list("numero", "statut")) == [(1, "signe"), (2, "signe")]
    assert convention.adhesions.get(commune_id="01331").statut == StatutAdhesion.ADHEREE
    assert convention.adhesions.get(commune_id="01304").statut == StatutAdhesion.ADHEREE  # not in the file: kept
    assert convention.statut == Statut.EN_VIGUEUR
    assert convention.transitions.count() == transitions
    raison = convention.historique.filter(chef_projet_nom="Dominique Petit (exemple)").last().history_change_reason
    assert raison == "Avenant n° 2 signé le 02/03/2026"


def test_les_termes_d_une_convention_signee_ne_changent_pas_par_fichier():
    importer(exemple())
    avant = compter()
    erreurs = erreurs_de(
        _mise_a_jour(
            chef_projet={"nom": "Quelqu'un d'autre"},
            titre="Autre titre",
            statut="expiree",
            avenants=[{"numero": 1, "date": "2025-09-19", "objet": "Autre objet"}],
        )
    )
    assert [e.split(" : ")[0] for e in erreurs] == ["avenants[0]", "titre", "chef_projet.nom", "statut"]
    assert "ne change que par un avenant signé (article 10)" in erreurs[1]
    assert "l'avenant n° 1 est signé : il ne se modifie plus" in erreurs[0]
    assert "elle est « en_vigueur » au 30/11/2026" in erreurs[3]
    assert compter() == avant


def test_sans_identifiant_ctes_la_convention_est_celle_de_la_caf_de_l_epci_et_de_la_date_de_debut():
    convention, creee = importer(minimal(titre="Première version"))
    assert creee
    assert convention.date_fin == date(2031, 12, 31)  # N+4 by default
    assert convention.visas.count() == 6  # default visas
    assert convention.adhesions.count() == 55

    memes, creee = importer(minimal(titre="Seconde version"))

    assert not creee
    assert memes.pk == convention.pk
    assert Convention.objects.get(pk=convention.pk).titre == "Seconde version"


def test_simulation_n_ecrit_rien():
    avant = compter()
    convention, creee = importer(exemple(), simulation=True)
    assert creee
    assert convention.pk is None
    assert compter() == avant


def test_l_auteur_de_l_import_est_habilite_et_soumis_a_ses_droits(django_user_model):
    from django.contrib.auth.models import Permission

    from ctg.comptes.models import Profil, caf_du_departement
    from ctg.territoires.models import Departement

    agent = django_user_model.objects.create_user(username="import")
    with pytest.raises(ErreurEchange, match="Caf compétente"):
        importer(exemple(), par=agent)  # no Caf, no right to create: refused, nothing written
    assert not Convention.objects.exists()
    Profil.objects.create(user=agent, organisation=caf_du_departement(Departement.objects.get(code="01")))
    agent.user_permissions.add(Permission.objects.get(codename="add_convention"))
    agent = django_user_model.objects.get(pk=agent.pk)
    convention, _ = importer(exemple(), par=agent)
    assert Habilitation.objects.get(user=agent, convention=convention).role == "conseiller_caf"
    assert convention.avenants.get().cree_par == agent
    assert [t.par for t in convention.transitions.all()][:2] == [agent, agent]  # created, signed
    assert convention.transitions.last().par.username == "ctg-systeme"  # in force by its dates


# --- Validation --------------------------------------------------------------------------------------


def test_un_fichier_avec_plusieurs_erreurs_est_refuse_en_entier(convention_cambrai):
    avant = compter()

    with pytest.raises(ErreurEchange) as exc:
        importer_fichier(DONNEES / "convention-erreurs.json")

    erreurs = exc.value.erreurs
    attendues = [
        ("titel : clé inconnue. Vouliez-vous dire « titre » ?", 1),
        ("statut : valeur « signe » inconnue.", 1),
        ("date_signature : date impossible « 2022-02-30 » : février 2022 a 28 jours.", 1),
        ("domaines[1] : valeur « sport » inconnue.", 1),
        ("signataires[1].ordre : un nombre entier est attendu, pas une chaîne de caractères (« 1 »).", 1),
        ("signataires[1].civilite : valeur « Mme » inconnue. Valeurs possibles : « Madame », « Monsieur ».", 1),
        ("avenants[1].numero : avenant n° 1 en double (déjà en avenants[0]).", 1),
        ("adhesions[1].commune : la commune Lille (59350) n'est pas membre de CA de Cambrai (200068500)", 1),
        ("adhesions[2].commune : commune « 59122 » en double (déjà en adhesions[0]).", 1),
        ("adhesions[3].commune : commune « 59122 » en double", 1),
        ("adhesions[3].ancienne_commune_cej : true ou false est attendu", 1),
        ("date_fin : La date de fin (31/12/2028) dépasse le 31 décembre de l'année N+4", 1),
        ("ctes.identifiant : Le SIREN de l'identifiant @ctes (200093201) n'est pas celui de la collectivité", 1),
        ("date_debut : L'EPCI CA de Cambrai a déjà une convention sur cette période", 1),
    ]
    for debut, nombre in attendues:
        assert sum(e.startswith(debut) for e in erreurs) == nombre, (debut, erreurs)
    assert len(erreurs) == len(attendues), erreurs
    assert compter() == avant


def test_regle_n_plus_4():
    erreurs = erreurs_de(minimal(date_debut="2022-01-01", date_fin="2027-01-01"))
    assert erreurs == [
        "date_fin : La date de fin (01/01/2027) dépasse le 31 décembre de l'année N+4 : une convention commençant en "
        "2022 se termine au plus tard le 31/12/2026 (article 10)."
    ]
    convention, _ = importer(minimal(date_debut="2022-01-01", date_fin="2026-12-31"))
    assert convention.date_fin == date(2026, 12, 31)
    assert erreurs_de(minimal(date_fin="2026-12-31")) == [
        "date_fin : La date de fin (31/12/2026) précède la date de début (01/01/2027)."
    ]


def test_commune_hors_epci_ou_inconnue():
    erreurs = erreurs_de(
        minimal(adhesions=[{"commune": "59350"}, {"commune": "99999"}, {"commune": 59122}, {"commune": "1234"}])
    )
    assert erreurs == [
        "adhesions[0].commune : la commune Lille (59350) n'est pas membre de CA de Cambrai (200068500) : elle est "
        "membre de Métropole Européenne de Lille (200093201).",
        "adhesions[1].commune : aucune commune de code INSEE « 99999 ».",
        "adhesions[2].commune : une chaîne de caractères est attendue, pas un nombre entier (59122).",
        "adhesions[3].commune : code INSEE « 1234 » mal formé : 5 caractères attendus (ex. 01027, 2A004).",
    ]


@pytest.mark.parametrize(
    ("identifiant", "message"),
    [
        (
            "059-200068500-2021122-D1-CC",
            "ctes.identifiant : Identifiant @ctes « 059-200068500-2021122-D1-CC » mal formé : attendu "
            "DDD-SIREN-AAAAMMJJ-NUMERO-NATURE (ex. 059-200068500-20211221-D2021_12_10_01-CC).",
        ),
        (
            "059-200068500-20211221-D1-XX",
            "ctes.identifiant : Nature d'acte « XX » inconnue dans l'identifiant @ctes",
        ),
        (
            "059-200068500-20210230-D1-CC",
            "ctes.identifiant : Date « 20210230 » impossible dans l'identifiant @ctes (AAAAMMJJ).",
        ),
        (
            "059-240100610-20211221-D1-CC",
            "ctes.identifiant : Le SIREN de l'identifiant @ctes (240100610) n'est pas celui de la collectivité "
            "(200068500).",
        ),
        (
            "062-200068500-20211221-D1-CC",
            "ctes.identifiant : Le département de l'identifiant @ctes (062) n'est pas celui de la collectivité (59).",
        ),
    ],
)
def test_identifiant_ctes_invalide(identifiant, message):
    erreurs = erreurs_de(minimal(ctes={"identifiant": identifiant}))
    assert len(erreurs) == 1
    assert erreurs[0].startswith(message)


def test_identifiant_ctes_d_un_avenant():
    erreurs = erreurs_de(
        minimal(
            avenants=[
                {"numero": 1, "date": "2027-05-01", "objet": "x", "ctes_identifiant": "001-200029999-20270501-A1-CC"}
            ]
        )
    )
    assert [e.split(" : ")[0] for e in erreurs] == ["avenants[0].ctes_identifiant"] * 2


def test_cles_types_et_valeurs():
    donnees = minimal(
        version=2,
        format="ctg-convention-v2",
        domaines="enfance",
        signataires=[{"partie": "caf", "civilte": "Madame", "prenom": "", "nom": "X", "qualite": "president_epci"}],
        visas=["Vu le code ;", 3],
        chef_projet="Fanton",
        annexe1="diagnostic",
        deliberation={"instance": "conseil_municipal", "date": "10/12/2021"},
        resiliation={"mode": "denonciation"},
    )
    del donnees["date_debut"]
    assert erreurs_de(donnees) == [
        "date_debut : clé obligatoire absente.",
        "format : « ctg-convention » est attendu, pas une chaîne de caractères (« ctg-convention-v2 »).",
        "version : version 2 non prise en charge : ce programme lit la version 1 du format.",
        "annexe1 : valeur « diagnostic » inconnue. Valeurs possibles : « diagnostic_type » (Diagnostic type établi par "
        "la Caf, si les travaux n'ont pas pu être finalisés), « diagnostic_partage » (Diagnostic partagé, si les "
        "travaux ont été finalisés avant signature).",
        "domaines : une liste [ … ] est attendue, pas une chaîne de caractères (« enfance »).",
        "deliberation.instance : valeur « conseil_municipal » inconnue. Valeurs possibles : « conseil_communautaire » "
        "(conseil communautaire), « bureau_communautaire » (bureau communautaire), « conseil_metropolitain » "
        "(conseil métropolitain).",
        "deliberation.date : « 10/12/2021 » n'est pas une date au format AAAA-MM-JJ (ex. 2025-01-01).",
        "chef_projet : un objet {…} est attendu, pas une chaîne de caractères (« Fanton »).",
        "visas[1] : une chaîne de caractères est attendue, pas un nombre entier (3).",
        "signataires[0].civilte : clé inconnue. Vouliez-vous dire « civilite » ?",
        "signataires[0].civilite : clé obligatoire absente.",
        "signataires[0].prenom : ne doit pas être vide.",
        "signataires[0].qualite : « president_epci » (Président·e de la collectivité) n'est pas une qualité de "
        "signataire de la partie « caf » ; possibles : autre, directeur_general, president_ca.",
        "resiliation.date_envoi : clé obligatoire absente.",
        "resiliation.initiative : clé obligatoire absente.",
    ]


def test_epci_et_departement_inconnus():
    donnees = minimal(caf={"departement": "99"}, epci={"siren": "200000000"})
    assert erreurs_de(donnees) == [
        "caf.departement : département « 99 » inconnu : code du COG attendu, entre guillemets (01, 59, 2A, 971).",
        "epci.siren : aucun EPCI de SIREN « 200000000 » dans le découpage administratif.",
    ]
    assert erreurs_de(minimal(caf={"departement": 59}, epci={"siren": "20006850"})) == [
        "caf.departement : une chaîne de caractères est attendue, pas un nombre entier (59).",
        "epci.siren : SIREN « 20006850 » mal formé : 9 chiffres attendus.",
    ]
    assert erreurs_de([]) == ["convention : un objet {…} est attendu, pas une liste."]


def test_statut_signature_et_signataires():
    assert erreurs_de(minimal(date_signature="2026-12-01")) == [
        "date_signature : une convention en brouillon n'est pas signée : date_signature doit être null, ou le statut "
        "« signee », « en_vigueur »…"
    ]
    assert erreurs_de(minimal(statut="signee")) == [
        "date_signature : obligatoire pour une convention « signée » (statut « signee »).",
        "signataires : une convention « signée » (statut « signee ») a au moins un signataire pour la Caf et pour la "
        "collectivité.",
    ]
    assert erreurs_de(minimal(statut="resiliee", date_signature="2032-01-01")) == [
        "date_signature : la signature (01/01/2032) est postérieure à la fin de la convention (31/12/2031).",
        "signataires : une convention « terminée (résiliée) » (statut « resiliee ») a au moins un signataire pour la "
        "Caf et pour la collectivité.",
        "resiliation : une convention « resiliee » a une résiliation (mode, date_envoi, initiative).",
    ]


def test_resiliation_incoherente(convention_cambrai):
    donnees = exporter(convention_cambrai)
    donnees["resiliation"] = {
        "mode": "infraction",
        "date_envoi": "2021-12-01",
        "date_effet": "2021-11-30",
        "initiative": "collectivite",
    }
    assert erreurs_de(donnees) == [
        "resiliation.initiative : Résiliation de plein droit par la Caf pour infraction aux lois et règlements : seule "
        "la Caf peut la prononcer (article 12).",
        "resiliation.date_envoi : la date d'envoi (01/12/2021) précède la signature de la convention (21/12/2021).",
        "resiliation.date_effet : la date d'effet (30/11/2021) précède la date d'envoi (01/12/2021).",
    ]
    donnees["resiliation"] = {"mode": "sans_avenant", "date_envoi": "2024-03-01", "initiative": "caf"}
    convention, _ = importer(donnees)
    assert convention.resiliation.date_effet == date(2024, 3, 1)  # computed (article 12)
    assert convention.statut == Statut.RESILIEE
    donnees["resiliation"] = None
    assert erreurs_de(donnees) == [
        "resiliation : l'annulation d'une résiliation est un acte de la Caf, avec son motif, sur la page de la "
        "convention."
    ]
    assert Resiliation.objects.filter(convention=convention).exists()


def test_une_convention_existante_ne_change_ni_de_caf_ni_d_identifiant(convention_cambrai):
    donnees = exporter(convention_cambrai)
    donnees["ctes"]["identifiant"] = "059-200068500-20211222-D2021_12_10_02-CC"
    erreurs = erreurs_de(donnees)
    assert erreurs[0] == (
        "ctes.identifiant : une convention de la Caf du Nord avec CA de Cambrai commençant le 01/01/2022 existe déjà "
        f"(n° {convention_cambrai.pk}), avec l'identifiant @ctes « 059-200068500-20211221-D2021_12_10_01-CC » et non "
        "celui-ci."
    )
    assert erreurs[1].startswith("date_debut : L'EPCI CA de Cambrai a déjà une convention sur cette période")
    assert len(erreurs) == 2
    donnees = exporter(convention_cambrai)
    donnees["caf"] = {"departement": "62"}
    erreurs = erreurs_de(donnees)
    assert erreurs[0].startswith("caf.departement : la convention d'identifiant @ctes « 059-200068500-20211221-")
    assert "ne peut pas changer la Caf" in erreurs[0]


def test_liste_de_conventions_refusee_en_entier_avec_les_index(tmp_path):
    bonne = exemple()
    mauvaise = minimal(date_fin="2032-01-01", statut="inconnu")
    doublon = copy.deepcopy(bonne)
    fichier = tmp_path / "conventions.json"
    fichier.write_text(json.dumps([bonne, mauvaise, doublon]), encoding="utf-8")
    avant = compter()

    with pytest.raises(ErreurEchange) as exc:
        importer_fichier(fichier)

    assert exc.value.erreurs == [
        "[1].statut : valeur « inconnu » inconnue. Valeurs possibles : « brouillon » (Brouillon), « signee » (Signée), "
        "« en_vigueur » (En vigueur), « expiree » (Terminée (arrivée à échéance)), « resiliee » (Terminée (résiliée)).",
        "[1].date_fin : La date de fin (01/01/2032) dépasse le 31 décembre de l'année N+4 : une convention commençant "
        "en 2027 se termine au plus tard le 31/12/2031 (article 10).",
        f"[2].ctes.identifiant : identifiant @ctes « {CTES_EXEMPLE} » déjà donné à la convention [0] du fichier.",
        "[2] : même Caf, même EPCI (200029999) et même date de début (01/01/2025) que la convention [0] du fichier.",
    ]
    assert compter() == avant

    fichier.write_text(json.dumps([bonne, minimal()]), encoding="utf-8")
    assert [r.etat for r in importer_fichier(fichier)] == ["créée", "créée"]
    assert Convention.objects.count() == 2


def test_une_meme_caf_a_un_seul_nom_dans_un_fichier():
    autre = minimal(caf={"departement": "01", "nom": "Caf de l'Ain (autre nom)"}, epci={"siren": "240100610"})
    with pytest.raises(ErreurEchange) as exc:
        importer_liste([exemple(), autre])
    assert exc.value.erreurs == [
        "[1].caf.nom : « Caf de l'Ain (autre nom) » alors que la convention [0] du fichier donne « Caf de l'Ain » pour "
        "la même Caf."
    ]


# --- Reading files -------------------------------------------------------------------------------------


def test_json_invalide_donne_ligne_et_colonne():
    with pytest.raises(ErreurEchange) as exc:
        lire_fichier(DONNEES / "json-invalide.json")
    assert exc.value.erreurs == [
        f"Fichier « {DONNEES / 'json-invalide.json'} » : JSON invalide ligne 4, colonne 3 : virgule attendue."
    ]


@pytest.mark.parametrize(
    ("contenu", "message"),
    [
        (b"", "vide."),
        (b'{"a": 1,}', "JSON invalide ligne 1, colonne 9 : nom de clé entre guillemets doubles attendu."),
        (b'{"a": NaN}', "JSON invalide : « NaN » n'est pas une valeur JSON permise."),
        (b'{"a": 1, "a": 2}', "la clé « a » apparaît deux fois dans un même objet."),
        (b"42", "le fichier doit contenir une convention (objet {…}) ou une liste de conventions"),
        (b"[]", "la liste ne contient aucune convention."),
        ('{"nom": "Caf de l\'Hérault"}'.encode("latin-1"), "il n'est pas encodé en UTF-8 (octet invalide ligne 1"),
    ],
)
def test_fichiers_illisibles(tmp_path, contenu, message):
    fichier = tmp_path / "f.json"
    fichier.write_bytes(contenu)
    with pytest.raises(ErreurEchange) as exc:
        lire_fichier(fichier)
    assert len(exc.value.erreurs) == 1
    assert message in exc.value.erreurs[0]


def test_lire_fichier(tmp_path):
    assert lire_fichier(FICHIER_EXEMPLE) == [exemple()]
    liste = tmp_path / "liste.json"
    liste.write_text("\ufeff" + json.dumps([{"a": 1}, {"b": 2}]), encoding="utf-8")  # with a BOM
    assert lire_fichier(liste) == [{"a": 1}, {"b": 2}]
    liste.write_text(json.dumps([{"a": 1}, "b"]), encoding="utf-8")
    with pytest.raises(ErreurEchange, match=r"\[1\] : une convention \(objet \{…\}\) est attendue"):
        lire_fichier(liste)
    with pytest.raises(ErreurEchange, match="introuvable"):
        lire_fichier(tmp_path / "absent.json")
    with pytest.raises(ErreurEchange, match="est un dossier"):
        lire_fichier(tmp_path)


# --- Commands --------------------------------------------------------------------------------------------


def _commande(*args) -> str:
    from io import StringIO

    sortie = StringIO()
    call_command(*args, stdout=sortie)
    return sortie.getvalue()


def test_commande_import_et_dry_run():
    avant = compter()
    sortie = _commande("convention_import", str(FICHIER_EXEMPLE), "--dry-run")
    assert "CTG Caf de l'Ain × CC Rives de l'Ain - Pays du Cerdon (2025–2029)" in sortie
    assert ": à créer" in sortie
    assert "Simulation, rien n'a été enregistré : 1 à créer." in sortie
    assert compter() == avant

    sortie = _commande("convention_import", str(FICHIER_EXEMPLE))
    convention = Convention.objects.get(ctes_identifiant=CTES_EXEMPLE)
    assert f"[0] CTG Caf de l'Ain × CC Rives de l'Ain - Pays du Cerdon (2025–2029) (n° {convention.pk})" in sortie
    assert ": créée" in sortie
    assert "1 convention : 1 créée." in sortie

    sortie = _commande("convention_import", str(FICHIER_EXEMPLE))
    assert "1 convention : 1 inchangée." in sortie


def test_commande_import_refuse_le_fichier_avec_toutes_ses_erreurs(convention_cambrai):
    avant = compter()
    with pytest.raises(CommandError) as exc:
        _commande("convention_import", str(DONNEES / "convention-erreurs.json"))
    message = str(exc.value)
    assert message.startswith("Fichier refusé, rien n'a été enregistré : 14 erreurs.")
    assert "  - adhesions[1].commune : la commune Lille (59350) n'est pas membre de CA de Cambrai" in message
    assert "  - date_signature : date impossible « 2022-02-30 »" in message
    assert compter() == avant
    with pytest.raises(CommandError, match="JSON invalide ligne 4, colonne 3"):
        _commande("convention_import", str(DONNEES / "json-invalide.json"))


def test_commande_export(convention_cambrai, tmp_path):
    sortie = _commande("convention_export", convention_cambrai.ctes_identifiant)
    assert json.loads(sortie) == exporter(convention_cambrai)
    assert "Caf du Nord" in sortie  # ensure_ascii=False: accents as they are
    assert "Directrice de la stratégie territoriale" in sortie
    assert sortie.startswith('{\n  "format": "ctg-convention",')

    fichier = tmp_path / "cambrai.json"
    sortie = _commande("convention_export", str(convention_cambrai.pk), "--output", str(fichier))
    assert sortie == f"1 convention exportée dans {fichier}.\n"
    assert json.loads(fichier.read_text(encoding="utf-8")) == exporter(convention_cambrai)

    importer(exemple())
    sortie = _commande("convention_export", str(convention_cambrai.pk), CTES_EXEMPLE)
    assert [d["epci"]["siren"] for d in json.loads(sortie)] == ["200068500", SIREN_EXEMPLE]

    with pytest.raises(CommandError, match="Aucune convention d'identifiant @ctes ou de numéro « 999999 »"):
        _commande("convention_export", "999999")


def test_commande_export_puis_import_dans_une_base_vide(convention_cambrai, tmp_path):
    _completer(convention_cambrai)
    fichier = tmp_path / "cambrai.json"
    _commande("convention_export", str(convention_cambrai.pk), "-o", str(fichier))
    attendu = json.loads(fichier.read_text(encoding="utf-8"))
    _vider(convention_cambrai)

    assert "1 créée" in _commande("convention_import", str(fichier))

    convention = Convention.objects.get()
    assert exporter(convention) == attendu


def test_cle_inconnue_sans_ressemblance():
    erreurs = erreurs_de(minimal(zzz=1))
    assert erreurs == [
        "zzz : clé inconnue. Clés possibles : format, version, caf, epci, date_debut, note, titre, date_fin, statut, "
        "date_signature, domaines, ctes, deliberation, annexe1, chef_projet, diagnostic_valide_le, "
        "objectifs_identifies_le, visas, signataires, avenants, adhesions, resiliation."
    ]


def test_simulation_d_une_mise_a_jour(convention_cambrai):
    donnees = exporter(convention_cambrai)
    donnees["ctes"]["affiche_le"] = "2021-12-23"
    avant = compter()
    resultat = importer_liste([donnees], simulation=True, indexer=False)[0]
    assert (resultat.creee, resultat.etat) == (False, "mise à jour")
    assert resultat.convention.affiche_le is None
    assert compter() == avant


def test_une_commune_sortie_de_l_epci_garde_son_adhesion(convention_cambrai):
    donnees = exporter(convention_cambrai)
    Commune.objects.filter(code="59001").update(epci_id="200093201")  # Abancourt moves to the MEL
    assert importer(donnees) == (convention_cambrai, False)
    assert convention_cambrai.adhesions.filter(commune_id="59001").exists()


def test_forme_lue_par_le_schema_avec_la_place_de_chaque_erreur():
    """The shape of the file (pydantic models): a wrong type deep inside, an unknown key, a missing key, each said
    in French at its place, in the order of the reading."""
    erreurs = erreurs_de(
        minimal(
            version=True,
            ctes={"identifiant": None, "affiche_le": 20270101},
            signataires=[{"partie": "caf", "civilite": "Madame", "nom": "X", "qualite": "president_ca", "ordre": 0.5}],
            avenants=[{"numero": 1, "date": None, "objet": "x", "modifications": {"titr": "T"}}],
            adhesions=[{"commune": "59122", "maire": {"civilite": 3, "nom": ["X"]}}],
            resiliation={
                "mode": "denonciation",
                "date_envoi": "2027-02-01",
                "initiative": "caf",
                "effet": "2027-08-01",
            },
        )
    )
    assert erreurs == [
        "version : un nombre entier est attendu, pas un booléen (true).",
        "ctes.affiche_le : une date AAAA-MM-JJ (entre guillemets) est attendue, pas un nombre entier (20270101).",
        "signataires[0].prenom : clé obligatoire absente.",
        "signataires[0].ordre : un nombre entier est attendu, pas un nombre décimal (0.5).",
        "avenants[0].modifications.titr : clé inconnue. Vouliez-vous dire « titre » ?",
        "adhesions[0].maire.civilite : une chaîne de caractères est attendue, pas un nombre entier (3).",
        "adhesions[0].maire.nom : une chaîne de caractères est attendue, pas une liste.",
        "resiliation.effet : clé inconnue. Vouliez-vous dire « date_effet » ?",
    ]


def test_forme_dans_une_liste_de_conventions():
    """The place of a shape error in a file of several conventions starts with the convention's index."""
    with pytest.raises(ErreurEchange) as exc:
        importer_liste(
            [
                minimal(),
                minimal(date_debut="2027-02-01", date_fin=None, avenants=[{"numero": 0, "objet": "x", "date": None}]),
            ]
        )
    assert exc.value.erreurs == [
        "[1].date_fin : une date AAAA-MM-JJ est attendue, pas null.",
        "[1].avenants[0].numero : 0 hors des limites : entre 1 et 32767.",
    ]


def test_modifications_d_un_avenant_lues_par_le_schema():
    erreurs = erreurs_de(
        minimal(
            avenants=[
                {
                    "numero": 1,
                    "date": None,
                    "objet": "Domaines",
                    "modifications": {"domaines": ["enfance", "sport"], "date_fin": "2031-02-29"},
                }
            ]
        )
    )
    assert (
        erreurs[0] == "avenants[0].modifications.date_fin : date impossible « 2031-02-29 » : février 2031 a 28 jours."
    )
    assert erreurs[1].startswith("avenants[0].modifications.domaines[1] : valeur « sport » inconnue. Valeurs possibles")
    assert len(erreurs) == 2

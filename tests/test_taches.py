"""Background work (ctg.taches): the setting that chooses where it runs, the record of a work and its page (reached
only through its convention), an unexpected error, a work the queue gave up, and the financing import started from
its page."""

import os
import subprocess
import sys
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from ctg.comptes.models import Role
from ctg.conventions.models import Convention, Habilitation
from ctg.demo.comptes import creer_comptes_demo
from ctg.financement.importation import ENTETES
from ctg.financement.models import FinancementReel
from ctg.financement.taches import DOSSIER, importer_en_arriere_plan
from ctg.taches import lancer, suivre
from ctg.taches.models import StatutTravail, Travail

FILE_EN_BASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _backend(**variables) -> subprocess.CompletedProcess:
    code = "import ctg.settings as s; print(s.TASKS['default']['BACKEND'])"
    env = {**os.environ, **variables}
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False)


def test_inline_par_defaut_file_en_base_sur_demande():
    env = {k: v for k, v in os.environ.items() if k != "CTG_TACHES"}
    code = "import ctg.settings as s; print(s.TASKS['default']['BACKEND'])"
    defaut = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert defaut.stdout.strip() == "django_tasks.backends.immediate.ImmediateBackend"
    assert _backend(CTG_TACHES="base").stdout.strip() == "django_tasks_db.DatabaseBackend"
    refus = _backend(CTG_TACHES="celery")
    assert refus.returncode != 0 and "La variable CTG_TACHES='celery' est inconnue" in refus.stderr


@pytest.mark.parametrize(
    ("statut", "fait", "total", "erreur", "libelle"),
    [
        ("en_attente", 0, 0, "", "en attente"),
        ("en_cours", 0, 0, "", "en cours"),
        ("en_cours", 3, 12, "", "en cours 3/12"),
        ("termine", 12, 12, "", "terminé"),
        ("echec", 3, 12, "le serveur de courriel a refusé l'envoi", "échec : le serveur de courriel a refusé l'envoi"),
    ],
)
def test_statut_en_francais(statut, fait, total, erreur, libelle):
    travail = Travail(statut=statut, fait=fait, total=total, erreur=erreur)
    assert travail.libelle == libelle
    assert travail.est_fini is (statut in {"termine", "echec"})


# --- the work's page ------------------------------------------------------------------------------------------------


@pytest.fixture
def comptes(convention_cambrai):
    creer_comptes_demo(convention_cambrai)
    return {u.username: u for u in get_user_model().objects.filter(habilitations__convention=convention_cambrai)}


@pytest.fixture
def autre_convention(convention_cambrai):
    """A later convention of the same EPCI, with its own Caf adviser."""
    autre = Convention.objects.create(
        caf=convention_cambrai.caf,
        epci=convention_cambrai.epci,
        date_debut=date(2032, 1, 1),
        date_fin=date(2036, 12, 31),
    )
    user = get_user_model().objects.create_user("conseil.autre", password="x")
    Habilitation.objects.create(user=user, convention=autre, role=Role.CONSEILLER_CAF)
    autre.conseiller = user
    return autre


@pytest.fixture
def travail(convention_cambrai, comptes):
    return Travail.objects.create(
        convention=convention_cambrai,
        intitule="Import des financements « comptes.csv »",
        par=comptes["demo"],
        statut=StatutTravail.EN_COURS,
        fait=3,
        total=12,
        message="Vérification de chaque ligne.",
    )


def test_la_page_du_travail_pour_les_membres_de_sa_convention_seulement(client, travail, comptes, autre_convention):
    url = travail.get_absolute_url()
    assert url == f"/travaux/conventions/{travail.convention_id}/{travail.pk}/"
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(comptes["lecture"])
    page = client.get(url).content.decode()
    assert "En cours 3/12" in page and "Vérification de chaque ligne." in page and "<html" in page
    assert 'hx-trigger="every 2s"' in page
    client.force_login(autre_convention.conseiller)
    assert client.get(url).status_code == 404
    # nor through the URL of a convention the user may see
    assert client.get(f"/travaux/conventions/{autre_convention.pk}/{travail.pk}/").status_code == 404


def test_htmx_recoit_le_seul_fragment_du_statut(client, travail, comptes):
    client.force_login(comptes["demo"])
    fragment = client.get(travail.get_absolute_url(), headers={"HX-Request": "true"}).content.decode()
    assert fragment.lstrip().startswith("<section") and "<html" not in fragment
    assert f'id="travail-{travail.pk}"' in fragment and 'hx-swap="outerHTML"' in fragment


@task
def tache_qui_echoue(travail_id: int) -> None:
    with suivre(travail_id) as progression:
        progression.etape(1, 4, "Première étape.")
        raise RuntimeError("panne imprévue")


def test_une_erreur_inattendue_est_consignee_et_dite_en_francais(convention_cambrai, comptes, caplog):
    travail = lancer(tache_qui_echoue, intitule="Essai", convention=convention_cambrai, par=comptes["demo"])
    assert travail.statut == StatutTravail.ECHEC and (travail.fait, travail.total) == (1, 4)
    assert travail.libelle.startswith(
        f"échec : erreur inattendue ; elle est consignée dans le journal du serveur (travail n° {travail.pk})"
    )
    assert "panne imprévue" not in travail.erreur  # the technical detail goes to the log only
    assert any(r.exc_info and "panne imprévue" in str(r.exc_info[1]) for r in caplog.records)


def test_un_travail_abandonne_par_la_file_est_marque_en_echec(client, travail, comptes):
    """The task failed outside its own follow-up (a missing module, a killed process…): the page says so instead of
    « en cours » for ever."""
    resultat = DBTaskResult.objects.create(
        args_kwargs={"args": [travail.pk], "kwargs": {}},
        task_path=f"{__name__}.tache_qui_echoue",
        backend_name="default",
        status="FAILED",
    )
    Travail.objects.filter(pk=travail.pk).update(tache_id=str(resultat.id))
    client.force_login(comptes["demo"])
    with override_settings(TASKS=FILE_EN_BASE):
        page = client.get(travail.get_absolute_url()).content.decode()
    assert "Échec : le travail s&#x27;est interrompu" in page
    travail.refresh_from_db()
    assert travail.statut == StatutTravail.ECHEC


# --- the financing import, started from its page --------------------------------------------------------------------

LIGNE_VALIDE = "2024;59122;Multi-accueil Les Lucioles (démonstration);;compte;152000;43500;"


def _fichier(*lignes: str) -> SimpleUploadedFile:
    contenu = ("\ufeff" + "\r\n".join([";".join(ENTETES), *lignes]) + "\r\n").encode("utf-8")
    return SimpleUploadedFile("comptes-2024.csv", contenu, content_type="text/csv")


@pytest.fixture
def financement(convention_cambrai, comptes):
    from ctg.demo.financement import charger_demo_financement

    charger_demo_financement(convention_cambrai)
    return f"/financement/conventions/{convention_cambrai.pk}/import/"


def _gardes() -> list[str]:
    return default_storage.listdir(DOSSIER)[1] if default_storage.exists(DOSSIER) else []


@pytest.mark.date("2026-06-15")  # the convention is in force: its editors may import
def test_import_fait_pendant_la_requete_et_son_travail_termine(client, financement, comptes):
    client.force_login(comptes["chef.projet"])
    reponse = client.post(financement, {"fichier": _fichier(LIGNE_VALIDE)}, follow=True)
    assert "Import de « comptes-2024.csv » : 0 ligne créée, 1 modifiée, 0 inchangée." in reponse.content.decode()
    travail = Travail.objects.get()
    assert (travail.statut, travail.fait, travail.total) == (StatutTravail.TERMINE, 2, 2)
    assert travail.par == comptes["chef.projet"] and travail.intitule == "Import des financements « comptes-2024.csv »"
    assert _gardes() == []  # the kept upload is removed once read


@pytest.mark.date("2026-06-15")
def test_import_en_erreur_son_travail_liste_les_erreurs(client, financement, comptes):
    client.force_login(comptes["chef.projet"])
    reponse = client.post(financement, {"fichier": _fichier("2024;59122;Crèche inconnue;;compte;1;;")})
    assert reponse.status_code == 200 and "1 erreur : rien n'a été enregistré." in reponse.content.decode()
    travail = Travail.objects.get()
    assert travail.libelle == (
        "échec : 1 erreur : rien n'a été enregistré. Corrigez le fichier puis importez-le de nouveau."
    )
    assert len(travail.details) == 1 and travail.details[0].startswith("Ligne 2, colonne C « Structure »")
    assert _gardes() == []


@pytest.mark.date("2026-06-15")
def test_import_en_file_la_page_repond_aussitot(client, financement, comptes):
    """CTG_TACHES=base: the upload is kept through the storage, the page sends to the work's page; the task, run
    later, reads the kept file, imports it and removes it."""
    client.force_login(comptes["chef.projet"])
    with override_settings(TASKS=FILE_EN_BASE):
        reponse = client.post(financement, {"fichier": _fichier(LIGNE_VALIDE)})
    travail = Travail.objects.get()
    assert reponse.status_code == 302 and reponse["Location"] == travail.get_absolute_url()
    assert travail.statut == StatutTravail.EN_ATTENTE and len(_gardes()) == 1
    assert not FinancementReel.objects.filter(origine="import comptes-2024.csv").exists()

    importer_en_arriere_plan.call(*DBTaskResult.objects.get().args_kwargs["args"])

    travail.refresh_from_db()
    assert travail.libelle == "terminé" and travail.message.endswith("0 ligne créée, 1 modifiée, 0 inchangée.")
    assert FinancementReel.objects.filter(origine="import comptes-2024.csv").exists() and _gardes() == []

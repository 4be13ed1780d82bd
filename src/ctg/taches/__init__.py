"""Background work, in one place: how a page starts a long piece of work and how that work reports its progress.

The work itself is a ``django-tasks`` task declared beside the domain it belongs to (``@task`` from
``django_tasks``, defined at module level), whose first argument is the id of its :class:`~ctg.taches.models.Travail`
and whose body runs inside :func:`suivre`::

    @task
    def envoyer(travail_id: int, reunion_id: int) -> None:
        with suivre(travail_id) as progression:
            progression.etape(0, 12, "Préparation…")
            ...
            progression.conclure("12 convocations envoyées.")

A page starts it with :func:`lancer`, which records the work (who, which convention, where to come back) and
enqueues the task. Where it runs depends on the ``TASKS`` setting (``CTG_TACHES``): inline, within the request, on
the embedded default; in the database queue, executed by ``ctg db_worker``, with ``CTG_TACHES=base``. Either way
the record tells its status, and its page (``taches:travail``) follows it.

A refusal the user can act on is raised as :class:`TravailImpossible` (its message, in French, is shown as
« échec : … »); any other exception is logged with its traceback and shown as an unexpected error.
"""

from __future__ import annotations

import logging
from contextlib import contextmanager

logger = logging.getLogger(__name__)

__all__ = ["INTERVALLE_SECONDES", "Progression", "TravailImpossible", "lancer", "page_du_travail", "suivre"]

# How often a work's page asks for its status while it is waiting or running.
INTERVALLE_SECONDES = 2


class TravailImpossible(Exception):
    """The work cannot be done, for a reason said in French to the person who started it (``details``: lines
    listed under it, such as an import's errors)."""

    def __init__(self, message: str, details: list[str] | None = None):
        super().__init__(message)
        self.message = message
        self.details = list(details or [])


class Progression:
    """What a running task tells its page. Each call writes at once (outside the task's own transaction, when
    it is not itself in one) so that the page polling the record sees the steps as they are done."""

    def __init__(self, travail):
        self.travail = travail
        self.message_final = ""
        self.details: list[str] = []

    def etape(self, fait: int, total: int | None = None, message: str | None = None) -> None:
        champs = {"fait": fait}
        if total is not None:
            champs["total"] = total
        if message is not None:
            champs["message"] = message[:500]
        total_connu = champs.get("total", self.travail.total)
        if total_connu and champs["fait"] > total_connu:
            champs["fait"] = total_connu
        type(self.travail).objects.filter(pk=self.travail.pk).update(**champs)
        for champ, valeur in champs.items():
            setattr(self.travail, champ, valeur)

    def conclure(self, message: str, details: list[str] | None = None) -> None:
        """The summary shown once the work is done (« 12 convocations envoyées. »)."""
        self.message_final = message
        self.details = list(details or [])


def _finir(travail, statut, *, message: str | None = None, erreur: str = "", details: list[str] | None = None):
    from ctg import horloge

    champs = {"statut": statut, "erreur": erreur, "termine_le": horloge.maintenant()}
    if message is not None:
        champs["message"] = message[:500]
    if details is not None:
        champs["details"] = details
    if statut == "termine" and travail.total:
        champs["fait"] = travail.total
    type(travail).objects.filter(pk=travail.pk).update(**champs)
    for champ, valeur in champs.items():
        setattr(travail, champ, valeur)


@contextmanager
def suivre(travail_id: int):
    """Run the body of a task as the work ``travail_id``: marked « en cours », then « terminé », or « échec »
    with the reason. A work already finished (a task delivered twice) is not done again."""
    from ctg import horloge

    from .models import StatutTravail, Travail

    travail = Travail.objects.filter(pk=travail_id).first()
    if travail is None or travail.est_fini:
        raise TravailDejaFini(travail_id)
    Travail.objects.filter(pk=travail.pk).update(statut=StatutTravail.EN_COURS, commence_le=horloge.maintenant())
    travail.statut = StatutTravail.EN_COURS
    progression = Progression(travail)
    try:
        yield progression
    except TravailImpossible as exc:
        _finir(travail, StatutTravail.ECHEC, erreur=exc.message, details=exc.details)
    except Exception:
        logger.exception("Travail n° %s (%s) interrompu par une erreur inattendue", travail.pk, travail.intitule)
        _finir(
            travail,
            StatutTravail.ECHEC,
            erreur=f"erreur inattendue ; elle est consignée dans le journal du serveur (travail n° {travail.pk}). "
            "Réessayez ; si elle se reproduit, signalez-la à l'équipe technique avec ce numéro.",
        )
        raise  # the queue records the task as failed, with its traceback
    else:
        _finir(
            travail,
            StatutTravail.TERMINE,
            message=progression.message_final or None,
            details=progression.details,
        )


class TravailDejaFini(Exception):
    """The task was delivered for a work that is missing or already finished: nothing is done again."""


def lancer(tache, *arguments, intitule: str, convention, par=None, url_retour: str = "", cle: str = ""):
    """Record a work on ``convention`` and enqueue ``tache(travail.pk, *arguments)``; the record, read back after
    the enqueueing (on the embedded default the task has already run).

    With a ``cle``, a work with the same key still waiting or running is returned instead of a second one.
    """
    from django.db import IntegrityError, transaction

    from .models import STATUTS_ACTIFS, StatutTravail, Travail

    try:
        with transaction.atomic():
            travail = Travail.objects.create(
                convention=convention,
                intitule=intitule[:200],
                par=par if par is not None and par.is_authenticated else None,
                url_retour=url_retour,
                cle=cle,
            )
    except IntegrityError:
        deja = Travail.objects.filter(cle=cle, statut__in=STATUTS_ACTIFS).first() if cle else None
        if deja is None:
            raise
        return deja
    try:
        resultat = tache.enqueue(travail.pk, *arguments)
    except Exception:
        logger.exception("Travail n° %s : mise en file impossible", travail.pk)
        _finir(
            travail,
            StatutTravail.ECHEC,
            erreur="le travail n'a pas pu être mis en file d'attente (base de données indisponible ?). Réessayez.",
        )
        raise
    Travail.objects.filter(pk=travail.pk).update(tache_id=str(resultat.id)[:64])
    travail.refresh_from_db()
    return travail


def constater_interruption(travail) -> None:
    """A work the queue gave up (its task failed outside :func:`suivre`: an import error, a killed process
    restarted…) is marked « échec » instead of staying « en cours » for ever."""
    from django_tasks import TaskResultStatus, default_task_backend

    from .models import StatutTravail

    if travail.est_fini or not travail.tache_id or not default_task_backend.supports_get_result:
        return
    try:
        resultat = default_task_backend.get_result(travail.tache_id)
    except Exception:  # noqa: BLE001 - a result pruned or from another backend: nothing to tell
        return
    if resultat.status == TaskResultStatus.FAILED:
        _finir(
            travail,
            StatutTravail.ECHEC,
            erreur=f"le travail s'est interrompu (travail n° {travail.pk}) ; réessayez, et si cela se reproduit, "
            "signalez-le à l'équipe technique avec ce numéro.",
        )


def page_du_travail(request, travail, convention=None):
    """The page of ``travail`` (reached by the caller through its own access rule): its status, the fragment alone
    when htmx asks for it again. A work the queue gave up is marked « échec » first."""
    from django.shortcuts import render

    constater_interruption(travail)
    contexte = {"convention": convention, "travail": travail, "intervalle": INTERVALLE_SECONDES}
    return render(request, "taches/_travail.html" if request.htmx else "taches/travail.html", contexte)

"""The rules of what a comité member does with their own account on a meeting's page (article 6: the comité meets,
its secretariat keeps the minutes), and what the secretariat reads of it.

- a member is the person a seat of the meeting's comité names as its account (``Membre.compte``), in office on the
  meeting's day (:func:`siege`); the convention's other members read the page but neither answer nor comment;
- :func:`repondre`: they answer the invitation while the meeting is planned — they will come, or they will not
  (then, if anyone, who represents them), with an optional comment; a new answer replaces the former one;
- :func:`commenter`: they comment the draft minutes of a held meeting (one comment each, dated, which they may
  rewrite); once the minutes are approved the meeting is closed and so are its comments;
- :func:`bilan_reponses`: for the secretariat, who answered what, and the quorum and parity to expect from the
  answers (a member represented counts, as in the attendance).

Every refusal says why, in French; nothing changes then. The answers prefill the attendance form
(:func:`presences_proposees`); the attendance itself stays recorded by the secretariat.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from ctg import horloge

from .models import (
    ROLES_VOTANTS,
    CommentaireCompteRendu,
    EtatPresence,
    Membre,
    Reponse,
    ReponseConvocation,
    Reunion,
    StatutReunion,
)
from .regles import Parite, membres_en_fonction, parite_parmi


class ParticipationImpossible(Exception):
    """An answer or a comment that cannot be recorded; the message is for the member."""


class SansSiege(ParticipationImpossible):
    """The user has no seat on the meeting's comité on its day (the page answers 403)."""


def siege(reunion: Reunion, user) -> Membre | None:
    """The seat of ``user`` on the meeting's comité, in office on the meeting's day; None if they have none."""
    if user is None or not user.is_authenticated:
        return None
    membres = [m for m in reunion.comite.membres.filter(compte=user) if m.en_fonction(reunion.date)]
    return membres[0] if membres else None


def siege_exige(reunion: Reunion, user) -> Membre:
    """The seat of ``user`` on the meeting's comité; refused (:class:`SansSiege`) without one, and when the
    convention has ended (its comité no longer meets)."""
    membre = siege(reunion, user)
    if membre is None:
        raise SansSiege(
            f"Vous ne siégez pas au {reunion.comite.nom.lower()} le {reunion.date:%d/%m/%Y} : seuls ses membres "
            "répondent à la convocation et commentent le compte rendu."
        )
    if reunion.comite.convention.est_terminee:
        raise ParticipationImpossible("La convention est terminée : son comité ne se réunit plus.")
    return membre


def reponses_ouvertes(reunion: Reunion) -> bool:
    return reunion.statut == StatutReunion.PLANIFIEE


def commentaires_ouverts(reunion: Reunion) -> bool:
    return reunion.statut == StatutReunion.TENUE and bool(reunion.compte_rendu.strip())


@transaction.atomic
def repondre(reunion: Reunion, user, vient: bool, remplacant: str = "", commentaire: str = "") -> ReponseConvocation:
    """Record the answer of ``user``'s seat to the invitation (replacing a former one)."""
    membre = siege_exige(reunion, user)
    reunion = Reunion.objects.select_for_update().get(pk=reunion.pk)
    if not reponses_ouvertes(reunion):
        raise ParticipationImpossible(
            f"La réunion du {reunion.date:%d/%m/%Y} est « {reunion.get_statut_display().lower()} » : on ne répond "
            "plus à sa convocation."
        )
    remplacant = remplacant.strip()
    if vient and remplacant:
        raise ParticipationImpossible("Vous venez : personne ne vous remplace. Videz le champ « remplacé·e par ».")
    reponse = ReponseConvocation.objects.filter(reunion=reunion, membre=membre).first() or ReponseConvocation(
        reunion=reunion, membre=membre
    )
    reponse.reponse = Reponse.VIENT if vient else Reponse.EXCUSE
    reponse.remplacant = remplacant
    reponse.commentaire = commentaire.strip()
    reponse.repondu_le = horloge.maintenant()
    reponse.par = user
    reponse._history_user = user
    reponse.save()
    return reponse


@transaction.atomic
def commenter(reunion: Reunion, user, texte: str) -> CommentaireCompteRendu:
    """Record (or rewrite) the comment of ``user``'s seat on the draft minutes."""
    membre = siege_exige(reunion, user)
    reunion = Reunion.objects.select_for_update().get(pk=reunion.pk)
    if reunion.est_close:
        raise ParticipationImpossible(
            f"Le compte rendu a été approuvé le {reunion.compte_rendu_approuve_le:%d/%m/%Y} : les commentaires sont "
            "clos."
        )
    if not commentaires_ouverts(reunion):
        raise ParticipationImpossible(
            "Le compte rendu se commente une fois la réunion tenue et son projet rédigé par le secrétariat."
        )
    texte = texte.strip()
    if not texte:
        raise ParticipationImpossible("Écrivez votre commentaire.")
    commentaire = CommentaireCompteRendu.objects.filter(reunion=reunion, membre=membre).first()
    commentaire = commentaire or CommentaireCompteRendu(reunion=reunion, membre=membre)
    commentaire.texte = texte
    commentaire.ecrit_le = horloge.maintenant()
    commentaire.par = user
    commentaire._history_user = user
    commentaire.save()
    return commentaire


# --- What the secretariat reads ------------------------------------------------------------------------------


@dataclass
class BilanReponses:
    convoques: list
    reponses: dict  # member pk -> ReponseConvocation
    viennent: list
    representes: list  # excused, with someone who replaces them
    excuses: list  # excused, nobody replaces them
    sans_reponse: list
    votants: list
    votants_attendus: list
    parite_attendue: Parite

    @property
    def quorum_requis(self) -> int:
        return len(self.votants) // 2 + 1 if self.votants else 0

    @property
    def quorum_attendu(self) -> bool:
        return bool(self.votants) and len(self.votants_attendus) >= self.quorum_requis

    @property
    def resume(self) -> str:
        def nombre(n, singulier, pluriel):
            return f"{n} {singulier if n <= 1 else pluriel}"

        return (
            f"{nombre(len(self.viennent), 'confirme sa présence', 'confirment leur présence')}, "
            f"{nombre(len(self.representes), 'se fait représenter', 'se font représenter')}, "
            f"{nombre(len(self.excuses), 'excusé·e', 'excusé·es')}, "
            f"{nombre(len(self.sans_reponse), 'sans réponse', 'sans réponse')} "
            f"(sur {len(self.convoques)} convoqué{'s' if len(self.convoques) > 1 else ''})"
        )

    @property
    def message_quorum(self) -> str:
        n = len(self.votants_attendus)
        texte = f"{n} membre{'s' if n > 1 else ''} votant{'s' if n > 1 else ''} attendu{'s' if n > 1 else ''}"
        texte += f" sur {len(self.votants)} ; quorum : {self.quorum_requis}"
        return texte + (
            " — atteint si les réponses se confirment." if self.quorum_attendu else " — pas encore atteint."
        )


def bilan_reponses(reunion: Reunion) -> BilanReponses:
    convoques = membres_en_fonction(reunion.comite, reunion.date)
    reponses = {r.membre_id: r for r in reunion.reponses.all()}
    viennent = [m for m in convoques if m.pk in reponses and reponses[m.pk].reponse == Reponse.VIENT]
    representes = [m for m in convoques if m.pk in reponses and reponses[m.pk].reponse == Reponse.EXCUSE]
    excuses = [m for m in representes if not reponses[m.pk].remplacant]
    representes = [m for m in representes if reponses[m.pk].remplacant]
    attendus = viennent + representes
    return BilanReponses(
        convoques=convoques,
        reponses=reponses,
        viennent=viennent,
        representes=representes,
        excuses=excuses,
        sans_reponse=[m for m in convoques if m.pk not in reponses],
        votants=[m for m in convoques if m.role in ROLES_VOTANTS],
        votants_attendus=[m for m in attendus if m.role in ROLES_VOTANTS],
        parite_attendue=parite_parmi(reunion.date, attendus),
    )


def presences_proposees(reunion: Reunion) -> dict[int, tuple[str, str]]:
    """The attendance the answers suggest, per member pk, to prefill the secretariat's form: present, represented
    (by whom), excused."""
    proposees = {}
    for reponse in reunion.reponses.all():
        if reponse.reponse == Reponse.VIENT:
            proposees[reponse.membre_id] = (EtatPresence.PRESENT, "")
        elif reponse.remplacant:
            proposees[reponse.membre_id] = (EtatPresence.REPRESENTE, reponse.remplacant)
        else:
            proposees[reponse.membre_id] = (EtatPresence.EXCUSE, "")
    return proposees


def participation(reunion: Reunion, user) -> dict:
    """What the meeting's page shows ``user`` of their own part: their seat, their answer and comment, whether
    answering and commenting are open, and the members' comments on the draft minutes."""
    membre = siege(reunion, user)
    actif = membre is not None and not reunion.comite.convention.est_terminee
    return {
        "siege": membre,
        "ma_reponse": reunion.reponses.filter(membre=membre).first() if membre else None,
        "mon_commentaire": reunion.commentaires.filter(membre=membre).first() if membre else None,
        "peut_repondre": actif and reponses_ouvertes(reunion),
        "peut_commenter": actif and commentaires_ouverts(reunion),
        "commentaires": list(reunion.commentaires.select_related("membre")),
    }

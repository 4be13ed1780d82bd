"""What the pages of the comité share (its views and its members' views): the context of every page, a meeting
reached through its convention, and the meeting's page itself."""

from django.shortcuts import get_object_or_404, render

from ctg import horloge
from ctg.etats import a_la_permission

from . import perms, tableaux
from .decisions import resultat
from .forms import CommentaireCompteRenduForm, ReponseConvocationForm
from .models import Reunion
from .participation import bilan_reponses, participation
from .regles import QUORUM, bilan_presences


def contexte(request, convention, **autres):
    return {"convention": convention, "droits": perms.droits(request.user, convention), **autres}


def reunion_de(convention, reunion_pk) -> Reunion:
    return get_object_or_404(
        Reunion.objects.select_related("comite", "comite__convention"), pk=reunion_pk, comite__convention=convention
    )


def _participation(objet: Reunion, user, reponse_form=None, commentaire_form=None) -> dict:
    """The signed-in member's part on the meeting's page, with their forms (as sent back, or as last recorded)."""
    donnees = participation(objet, user)
    if donnees["peut_repondre"] and reponse_form is None:
        actuelle = donnees["ma_reponse"]
        initial = (
            {"reponse": actuelle.reponse, "remplacant": actuelle.remplacant, "commentaire": actuelle.commentaire}
            if actuelle
            else {}
        )
        reponse_form = ReponseConvocationForm(initial=initial)
    if donnees["peut_commenter"] and commentaire_form is None:
        actuel = donnees["mon_commentaire"]
        commentaire_form = CommentaireCompteRenduForm(initial={"texte": actuel.texte} if actuel else {})
    return {**donnees, "reponse_form": reponse_form, "commentaire_form": commentaire_form}


def page_reunion(request, convention, objet: Reunion, status: int = 200, **formulaires):
    """The meeting's page; ``formulaires``: a member's answer or comment form sent back with its errors."""
    bilan = bilan_presences(objet)
    decisions = list(objet.decisions.prefetch_related("votes__membre"))
    reponses = bilan_reponses(objet)
    colonne_reponses = tableaux.avec_reponses(objet, reponses)
    return render(
        request,
        "gouvernance/reunion.html",
        contexte(
            request,
            convention,
            reunion=objet,
            bilan=bilan,
            reponses=reponses,
            colonne_reponses=colonne_reponses,
            entetes_presences=tableaux.entetes_presences(colonne_reponses),
            lignes_presence=tableaux.lignes_presence(objet, bilan, reponses),
            decisions=[(d, resultat(d)) for d in decisions],
            quorum=QUORUM,
            aujourd_hui=horloge.aujourd_hui(),
            transitions={
                nom: a_la_permission(getattr(objet, methode), request.user)
                for nom, methode in (
                    ("annuler", "annuler"),
                    ("retablir", "retablir"),
                    ("approuver", "approuver_compte_rendu"),
                )
            },
            **_participation(objet, request.user, **formulaires),
        ),
        status=status,
    )

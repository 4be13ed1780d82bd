"""The members of a convention (their roles) and its pending invitations; inviting someone, revoking an invitation,
removing a member, as the members page does: its ``InvitationForm``, the rules of ``ctg.conventions.invitations``
and the right ``ctg.conventions.perms.peut_inviter``. An invitation's link goes to its addressee only, by e-mail:
the API never sends it back."""

from django.shortcuts import get_object_or_404
from ninja import Router, Status
from ninja.errors import HttpError

from ctg import horloge
from ctg.conventions import invitations, perms, tableaux
from ctg.conventions.acces import convention_visible, exiger
from ctg.conventions.forms import InvitationForm
from ctg.conventions.models import Habilitation, Invitation

from .. import schemas
from ..erreurs import formulaire_valide
from ..securite import exiger_ecriture

router = Router(tags=["Conventions"])


def _commune(objet) -> dict | None:
    return None if objet.commune_id is None else {"code": objet.commune_id, "nom": objet.commune.nom}


def _invitation(i: Invitation) -> dict:
    return {
        "id": i.pk,
        "email": i.email,
        "role": i.role,
        "role_libelle": i.get_role_display(),
        "commune": _commune(i),
        "invitee_par": i.invitee_par.get_full_name() or i.invitee_par.username,
        "creee_le": i.creee_le,
        "expire_le": i.expire_le,
    }


def _membres(request, convention) -> dict:
    """What the members page shows: every member, and to whoever may invite, the invitations still pending."""
    en_attente = []
    if perms.peut_inviter(request.user, convention):
        en_attente = convention.invitations.filter(utilisee_le=None, expire_le__gt=horloge.maintenant())
        en_attente = en_attente.select_related("invitee_par", "commune").order_by("-creee_le", "-pk")
    return {
        "membres": [
            {
                "id": h.pk,
                "nom": h.user.get_full_name() or h.user.username,
                "role": h.role,
                "role_libelle": h.get_role_display(),
                "commune": _commune(h),
            }
            for h in tableaux.habilitations(convention).order_by("role", "pk")
        ],
        "invitations": [_invitation(i) for i in en_attente],
    }


def _a_gerer(request, pk: int):
    exiger_ecriture(request)
    convention = convention_visible(request, pk)
    exiger(
        perms.peut_inviter(request.user, convention),
        "Les membres d'une convention sont gérés par la Caf et la collectivité.",
    )
    return convention


@router.get(
    "/conventions/{pk}/membres",
    response=schemas.MembresConvention,
    url_name="membres_convention",
    summary="Membres et invitations",
)
def membres(request, pk: int):
    """Les personnes qui ont un rôle sur la convention (elles seules la voient, article 14) et, pour qui peut
    inviter (la Caf et la collectivité), les invitations en attente."""
    return _membres(request, convention_visible(request, pk))


@router.post(
    "/conventions/{pk}/invitations",
    response={201: schemas.InvitationMembre},
    url_name="invitation_nouvelle",
    summary="Inviter une personne",
)
def invitation_nouvelle(request, pk: int, saisie: schemas.NouvelleInvitation):
    """Inviter une personne sur la convention avec un rôle, comme le formulaire de la page « Membres » : un lien
    personnel, à usage unique, valable 14 jours, lui est envoyé par courriel (l'API ne le renvoie pas). Une ou un
    référent de commune demande sa commune (422 sans). Réservé à la Caf et à la collectivité. Répond l'invitation
    (201). Jeton « lecture et écriture »."""
    convention = _a_gerer(request, pk)
    donnees = formulaire_valide(InvitationForm(saisie.model_dump(), convention=convention))
    invitation = invitations.inviter(
        convention,
        email=donnees["email"],
        role=donnees["role"],
        commune=donnees["commune"],
        par=request.user,
        absolue=request.build_absolute_uri,
    )
    return Status(201, _invitation(invitation))


@router.post(
    "/conventions/{pk}/invitations/{invitation}/revocation",
    response={200: schemas.InvitationMembre, 409: schemas.Erreur},
    url_name="invitation_revoquer",
    summary="Révoquer une invitation",
)
def invitation_revoquer(request, pk: int, invitation: int):
    """Révoquer une invitation pas encore utilisée, comme le bouton « Révoquer » de la page « Membres » : son lien ne
    sert plus (elle expire aussitôt ; l'historique garde qui l'a révoquée). Une invitation déjà utilisée ou expirée :
    409. Réservé à la Caf et à la collectivité. Jeton « lecture et écriture »."""
    convention = _a_gerer(request, pk)
    objet = get_object_or_404(Invitation.objects.select_related("invitee_par", "commune"), pk=invitation,
                              convention=convention)  # fmt: skip
    try:
        objet = invitations.revoquer(objet, request.user)
    except invitations.InvitationInvalide as exc:
        raise HttpError(409, f"{exc} Rien n'a changé.") from exc
    return _invitation(objet)


@router.delete(
    "/conventions/{pk}/membres/{habilitation}",
    response={200: schemas.MembresConvention, 409: schemas.Erreur},
    url_name="membre_convention_retirer",
    summary="Retirer l'accès d'un membre",
)
def membre_retirer(request, pk: int, habilitation: int):
    """Retirer son rôle, et donc son accès, à un membre de la convention, comme le bouton « Retirer l'accès » de la
    page « Membres » (l'historique garde qui l'a retiré) ; jamais son propre accès (409). Réservé à la Caf et à la
    collectivité. Répond les membres qui restent. Jeton « lecture et écriture »."""
    convention = _a_gerer(request, pk)
    objet = get_object_or_404(Habilitation, pk=habilitation, convention=convention)
    invitations.retirer(objet, par=request.user)  # one's own access: RetraitImpossible, 409
    return _membres(request, convention)

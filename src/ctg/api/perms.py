"""Who may open the pages of the API (``ctg.acces``): the tokens' page is every signed-in person's own; the API's
endpoints answer JSON (401 to an anonymous caller) and follow the convention's rights; its schema and
documentation are public (they describe the product, not its data)."""

from ctg import acces

ACCES: dict[str, str] = {
    "api:jetons": acces.CONNECTE,
    "api:jeton_revoquer": acces.POST,
    "api:v1:openapi-json": acces.PUBLIQUE,
    "api:v1:openapi-view": acces.PUBLIQUE,
    "api:v1:api-root": acces.INTROUVABLE,
    "api:v1:moi": acces.API_CONNECTE,
    "api:v1:territoire": acces.API_CONNECTE,
    "api:v1:indicateurs": acces.API_CONNECTE,
    "api:v1:territoire_indicateurs": acces.API_CONNECTE,
    "api:v1:territoire_indicateur_geojson": acces.API_CONNECTE,
    "api:v1:conventions": acces.API_CONNECTE,
    "api:v1:convention": acces.API_MEMBRE,
    "api:v1:adhesions": acces.API_MEMBRE,
    "api:v1:adhesion": acces.API_POST,
    "api:v1:adhesion_proposition": acces.API_POST,
    "api:v1:echeances": acces.API_MEMBRE,
    "api:v1:avenants": acces.API_MEMBRE,
    "api:v1:diagnostic": acces.API_MEMBRE,
    "api:v1:fiches": acces.API_MEMBRE,
    "api:v1:fiche": acces.API_MEMBRE,
    "api:v1:fiche_statut": acces.API_POST,
    "api:v1:fiche_valeur": acces.API_POST,
    "api:v1:fiche_valeur_supprimer": acces.API_POST,  # DELETE only: GET gives 405 as for a POST
    "api:v1:reunions": acces.API_MEMBRE,
    "api:v1:reunion": acces.API_MEMBRE,
    "api:v1:reunion_presences": acces.API_POST,
    "api:v1:reunion_decision": acces.API_POST,
    "api:v1:reunion_statut": acces.API_POST,
    "api:v1:reunion_compte_rendu": acces.API_POST,
    "api:v1:reunion_convocations": acces.API_POST,
    "api:v1:structures": acces.API_MEMBRE,
    "api:v1:bonus": acces.API_MEMBRE,
    "api:v1:commune_financement": acces.API_POST,
    "api:v1:cejs": acces.API_MEMBRE,
    "api:v1:cej": acces.API_MEMBRE,
    "api:v1:commune_verifications": acces.API_MEMBRE,
    "api:v1:verification_piece": acces.API_MEMBRE,
    "api:v1:objectifs": acces.API_MEMBRE,
    "api:v1:objectif": acces.API_MEMBRE,
    "api:v1:revues": acces.API_MEMBRE,
    "api:v1:revue": acces.API_MEMBRE,
    # a write sharing the address of a read: the walk's GET reads
    "api:v1:reunion_nouvelle": acces.API_MEMBRE,
    "api:v1:reunion_modifier": acces.API_MEMBRE,
    "api:v1:cej_nouveau": acces.API_MEMBRE,
    "api:v1:cej_modifier": acces.API_MEMBRE,
    "api:v1:commune_verification": acces.API_MEMBRE,
    "api:v1:convention_nouvelle": acces.API_CONNECTE,
    "api:v1:convention_modifier": acces.API_MEMBRE,
    "api:v1:avenant_nouveau": acces.API_MEMBRE,
    # conventions, avenants, termination, shared diagnostic: writes only
    "api:v1:convention_signer": acces.API_POST,
    "api:v1:avenant_signer": acces.API_POST,
    "api:v1:resiliation": acces.API_POST,
    "api:v1:resiliation_annuler": acces.API_POST,
    "api:v1:diagnostic_section": acces.API_POST,  # PUT only: GET gives 405 as for a POST
    "api:v1:fiche_creer": acces.API_MEMBRE,
    "api:v1:fiche_modifier": acces.API_MEMBRE,
    "api:v1:objectif_creer": acces.API_MEMBRE,
    "api:v1:objectif_modifier": acces.API_MEMBRE,
    "api:v1:revue_creer": acces.API_MEMBRE,
    # the comité's composition, its members' answers and comments, the initiatives of the territory
    "api:v1:comite": acces.API_MEMBRE,
    "api:v1:membre_nouveau": acces.API_POST,
    "api:v1:membre_modifier": acces.API_POST,  # PATCH only: GET gives 405 as for a POST
    "api:v1:sous_comite_nouveau": acces.API_POST,
    "api:v1:reunion_reponse": acces.API_POST,  # PUT only
    "api:v1:reunion_commentaire": acces.API_POST,  # PUT only
    "api:v1:initiatives": acces.API_MEMBRE,
    "api:v1:initiative": acces.API_MEMBRE,
    "api:v1:initiative_nouvelle": acces.API_MEMBRE,
    "api:v1:initiative_modifier": acces.API_MEMBRE,
    "api:v1:initiative_transformer": acces.API_POST,
    # renewal, correction, adhesions in bulk, members and invitations, structures
    "api:v1:membres_convention": acces.API_MEMBRE,
    "api:v1:structure": acces.API_MEMBRE,
    "api:v1:adhesions_en_bloc": acces.API_MEMBRE,
    "api:v1:structure_nouvelle": acces.API_MEMBRE,
    "api:v1:structure_modifier": acces.API_MEMBRE,
    "api:v1:convention_renouveler": acces.API_POST,
    "api:v1:convention_corriger": acces.API_POST,
    "api:v1:invitation_nouvelle": acces.API_POST,
    "api:v1:invitation_revoquer": acces.API_POST,
    "api:v1:membre_convention_retirer": acces.API_POST,  # DELETE only: GET gives 405 as for a POST
    # a fiche's indicators, the plan's adoption, the diagnostic's needs, contributions and status
    "api:v1:fiche_indicateur": acces.API_MEMBRE,
    "api:v1:fiche_indicateur_modifier": acces.API_MEMBRE,
    "api:v1:fiche_indicateur_supprimer": acces.API_MEMBRE,
    "api:v1:fiche_indicateur_creer": acces.API_POST,
    "api:v1:plan": acces.API_MEMBRE,
    "api:v1:plan_adoption": acces.API_POST,
    "api:v1:plan_adoption_retirer": acces.API_POST,
    "api:v1:plan_revision": acces.API_POST,
    "api:v1:besoins": acces.API_MEMBRE,
    "api:v1:besoin": acces.API_MEMBRE,
    "api:v1:besoin_creer": acces.API_MEMBRE,
    "api:v1:besoin_modifier": acces.API_MEMBRE,
    "api:v1:besoin_supprimer": acces.API_MEMBRE,
    "api:v1:contribution_creer": acces.API_POST,
    "api:v1:diagnostic_statut": acces.API_POST,
}


def exemples_acces(convention) -> dict:
    """A token of the demo adviser to revoke, a fiche and a held meeting of the demo convention, and the identifiers
    of the write endpoints (which answer 405 to a GET whatever they name)."""
    from datetime import date

    from django.contrib.auth import get_user_model
    from django.core.files.base import ContentFile

    from ctg.comptes.models import Organisation
    from ctg.diagnostic.models import Besoin
    from ctg.financement.models import Cej, Structure, Verification
    from ctg.gouvernance.models import Initiative, Membre, Reunion
    from ctg.plan.models import FicheAction, IndicateurAction, Objectif, Revue

    from .jetons import creer_jeton

    jeton, _ = creer_jeton(get_user_model().objects.get(username="demo"), "Parcours des droits")
    valeurs = {
        "api:jeton_revoquer/jeton": jeton.pk,
        "api:v1:territoire/code": "200068500",
        "api:v1:territoire_indicateurs/code": "200068500",
        "api:v1:territoire_indicateur_geojson/code": "200068500",
        "api:v1:territoire_indicateur_geojson/indicateur": "foyers_allocataires",
        "api:v1:fiche_valeur/indicateur_action": 1,
        "api:v1:fiche_valeur_supprimer/indicateur_action": 1,
        "api:v1:fiche_valeur_supprimer/jour": "2025-06-30",
        "api:v1:avenant_signer/numero": 1,
        "api:v1:diagnostic_section/section": "synthese",
    }
    commune = convention.adhesions.values_list("commune_id", flat=True).first() or "59122"
    for nom in (
        "adhesion",
        "adhesion_proposition",
        "commune_financement",
        "commune_verifications",
        "commune_verification",
    ):
        valeurs[f"api:v1:{nom}/commune"] = commune
    cej = convention.cej.order_by("pk").first() or Cej.objects.create(
        convention=convention, commune_id=commune, intitule="Cej de l'API", date_debut=date(2018, 1, 1),
        date_fin=date(2021, 12, 31), annee_reference=2021,
    )  # fmt: skip
    valeurs["api:v1:cej/cej"] = valeurs["api:v1:cej_modifier/cej"] = cej.pk
    verification = Verification.objects.filter(convention=convention).exclude(fichier="").order_by("pk").first()
    if verification is None:
        verification = Verification.objects.create(
            convention=convention, commune_id=commune, annee=2023, conclusion="conforme", documents="Compte 2023",
            fichier_nom="compte.pdf", fichier_type="application/pdf", fichier=ContentFile(b"%PDF-1.4", "compte.pdf"),
            verifie_par=get_user_model().objects.get(username="demo"),
        )  # fmt: skip
    valeurs["api:v1:verification_piece/verification"] = verification.pk
    # the objective and the review the plan's examples created (its application comes before this one)
    objectif = Objectif.objects.filter(convention=convention).order_by("-pk").first()
    revue = Revue.objects.filter(convention=convention).order_by("-pk").first()
    for nom in ("objectif", "objectif_modifier"):
        valeurs[f"api:v1:{nom}/objectif"] = objectif.pk
    valeurs["api:v1:revue/revue"] = revue.pk
    structure = Structure.objects.filter(convention=convention).order_by("pk").first() or Structure.objects.create(
        convention=convention, nom="Crèche de l'API", type="eaje", commune_id=commune,
        gestionnaire=Organisation.objects.get(pk=convention.caf_id),
    )  # fmt: skip
    valeurs["api:v1:structure/structure"] = valeurs["api:v1:structure_modifier/structure"] = structure.pk
    # an indicator of the plan's example fiche, and a need of the diagnostic's examples
    indicateur = IndicateurAction.objects.filter(fiche__convention=convention).order_by("-pk").first()
    besoin = Besoin.objects.filter(diagnostic__convention=convention).order_by("-pk").first()
    for nom in ("fiche_indicateur", "fiche_indicateur_modifier", "fiche_indicateur_supprimer"):
        valeurs[f"api:v1:{nom}/indicateur_action"] = indicateur.pk
    for nom in ("besoin", "besoin_modifier", "besoin_supprimer"):
        valeurs[f"api:v1:{nom}/besoin"] = besoin.pk
    fiche = FicheAction.objects.filter(convention=convention).order_by("pk").first()
    reunion = Reunion.objects.filter(comite__convention=convention).order_by("pk").first()
    # the member and the initiative the comité's examples created (its application comes before this one)
    membre = Membre.objects.filter(comite__convention=convention).order_by("pk").first()
    initiative = Initiative.objects.filter(convention=convention).order_by("pk").first()
    if membre is not None:
        valeurs["api:v1:membre_modifier/membre"] = membre.pk
    for nom in ("initiative", "initiative_modifier", "initiative_transformer"):
        if initiative is not None:
            valeurs[f"api:v1:{nom}/initiative"] = initiative.pk
    for nom in ACCES:
        valeurs[f"{nom}/pk"] = convention.pk
        if fiche is not None:
            valeurs[f"{nom}/fiche"] = fiche.pk
        if reunion is not None:
            valeurs[f"{nom}/reunion"] = reunion.pk
    for nom in (
        "fiche_indicateur",
        "fiche_indicateur_modifier",
        "fiche_indicateur_supprimer",
        "fiche_indicateur_creer",
    ):
        valeurs[f"api:v1:{nom}/fiche"] = indicateur.fiche_id
    return valeurs

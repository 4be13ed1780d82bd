"""The comité de pilotage's documents: the invitation and the minutes of a meeting (TXT, DOCX, PDF through
``ctg.documents``); the decisions of a convention, as the list of decisions reads them (``tableaux``)."""

from __future__ import annotations

from ctg.conventions.communication import logos_des_parties
from ctg.documents import (
    Document,
    ElementListe,
    Fragment,
    GarderEnsemble,
    Liste,
    Paragraphe,
    Tableau,
    Titre,
    rendre,
)
from ctg.documents.confidentialite import est_document_de_travail

from .convocations import lieu_et_acces
from .decisions import resultat
from .models import Decision, EtatPresence, Reunion, StatutReunion
from .regles import QUORUM, bilan_presences, membres_en_fonction


def _entete(reunion: Reunion) -> str:
    convention = reunion.comite.convention
    return f"CTG {convention.caf.nom} × {convention.epci.nom} — {reunion.comite.nom} du {reunion.date:%d/%m/%Y}"


def _horaire(reunion: Reunion) -> str:
    return f"le {reunion.date:%d/%m/%Y} de {reunion.heure_debut:%H:%M} à {reunion.heure_fin:%H:%M}"


def _ordre_du_jour(reunion: Reunion) -> list:
    points = list(reunion.points.all())
    if not points:
        return [Paragraphe([Fragment("Ordre du jour à préciser.", italique=True)])]
    return [
        Liste(
            [
                ElementListe([Fragment(p.intitule), Fragment(f" ({p.get_rubrique_display()})", italique=True)])
                for p in points
            ],
            numerotee=True,
        )
    ]


def _qualite(membre) -> str:
    return membre.get_role_display()


def convocation(reunion: Reunion) -> Document:
    convention = reunion.comite.convention
    membres = membres_en_fonction(reunion.comite, reunion.date)
    blocs = [
        Titre(f"Convocation au {reunion.comite.nom.lower()}", niveau=0),
        Paragraphe(f"**{convention.titre}** entre la {convention.caf.nom} et {convention.epci.nom}"),
        Paragraphe(f"Le {reunion.comite.nom.lower()} se réunira **{_horaire(reunion)}**."),
    ]
    blocs += [Paragraphe(ligne) for ligne in lieu_et_acces(reunion).split("\n") if ligne]
    if reunion.statut == StatutReunion.ANNULEE:
        blocs.append(Paragraphe("**Cette réunion est annulée.**"))
    blocs += [Titre("Ordre du jour", 1), *_ordre_du_jour(reunion), Titre("Membres convoqués", 1)]
    blocs.append(
        Tableau(
            ["Membre", "Organisation", "Représente", "Qualité"],
            [[m.nom_complet, m.organisation, m.get_cote_display(), _qualite(m)] for m in membres]
            or [["—", "—", "—", "—"]],
            largeurs=[3, 3, 2, 3],
        )
    )
    blocs.append(
        Paragraphe(
            "Le comité de pilotage est composé, à parité, de représentants de la Caf et de la collectivité ; des "
            "personnes ressources y participent à titre consultatif. Il est animé par la Caf en étroite "
            "collaboration avec le pilote désigné par la collectivité, qui en assure le secrétariat permanent "
            "(article 6 et annexe 2 de la convention)."
        )
    )
    return Document(
        titre=f"Convocation — {reunion}", blocs=blocs, entete=_entete(reunion), logos=logos_des_parties(convention)
    )


def compte_rendu(reunion: Reunion) -> Document:
    convention = reunion.comite.convention
    bilan = bilan_presences(reunion)
    presences = {p.membre_id: p for p in reunion.presences.all()}
    blocs = [
        Titre(f"Compte rendu du {reunion.comite.nom.lower()}", niveau=0),
        Paragraphe(f"**{convention.titre}** entre la {convention.caf.nom} et {convention.epci.nom}"),
        Paragraphe(
            f"Réunion tenue {_horaire(reunion)}." if reunion.est_tenue else f"Réunion prévue {_horaire(reunion)}."
        ),
    ]
    blocs += [Paragraphe(ligne) for ligne in lieu_et_acces(reunion).split("\n") if ligne]
    if not reunion.est_tenue:
        blocs.append(Paragraphe(f"**Réunion {reunion.get_statut_display().lower()} : compte rendu provisoire.**"))
    elif reunion.est_close:
        blocs.append(Paragraphe(f"Compte rendu approuvé le {reunion.compte_rendu_approuve_le:%d/%m/%Y}."))

    blocs.append(Titre("Présences", 1))
    lignes = []
    for membre in bilan.convoques:
        presence = presences.get(membre.pk)
        etat = presence.get_etat_display() if presence else "non renseigné"
        if presence and presence.etat == EtatPresence.REPRESENTE and presence.represente_par:
            etat += f" par {presence.represente_par}"
        lignes.append([membre.nom_complet, membre.organisation, membre.get_cote_display(), _qualite(membre), etat])
    blocs.append(
        Tableau(
            ["Membre", "Organisation", "Représente", "Qualité", "Présence"],
            lignes or [["—", "—", "—", "—", "—"]],
            largeurs=[3, 3, 2, 3, 2],
        )
    )
    blocs.append(Paragraphe(f"Quorum ({QUORUM}) : {bilan.message_quorum}"))
    presents = bilan.parite_presents
    etat = "respectée" if presents.respectee else f"rompue ({presents.manque})"
    blocs.append(Paragraphe(f"Parité des présents ou représentés : {etat} — {presents.resume}."))

    blocs += [Titre("Ordre du jour", 1), *_ordre_du_jour(reunion)]
    blocs.append(Titre("Échanges", 1))
    if reunion.compte_rendu.strip():
        blocs += [Paragraphe(p.strip()) for p in reunion.compte_rendu.split("\n") if p.strip()]
    else:
        blocs.append(Paragraphe([Fragment("Compte rendu à rédiger.", italique=True)]))

    blocs.append(Titre("Décisions", 1))
    decisions = list(reunion.decisions.prefetch_related("votes__membre"))
    if not decisions:
        blocs.append(Paragraphe([Fragment("Aucune décision.", italique=True)]))
    for numero, decision in enumerate(decisions, 1):
        bloc_decision = [Titre(f"Décision n° {numero} — {decision.get_objet_display()}", 2), Paragraphe(decision.texte)]
        details = [f"Mode : {decision.get_mode_display().lower()} ; {resultat(decision)}."]
        if decision.reference or decision.objet_id:
            ref = decision.reference or ""
            if decision.objet_id:
                ref = f"{ref} (n° {decision.objet_id})".strip()
            details.append(f"Référence : {ref}.")
        if decision.effet:
            details.append(f"Effet : {decision.effet}")
        bloc_decision.append(Liste([ElementListe(d) for d in details]))
        votes = list(decision.votes.all())
        if votes:
            bloc_decision.append(
                Tableau(
                    ["Membre votant", "Représente", "Vote"],
                    [[v.membre.nom_complet, v.membre.get_cote_display(), v.get_choix_display()] for v in votes],
                    largeurs=[4, 3, 2],
                )
            )
        blocs.append(GarderEnsemble(bloc_decision))
    secretariat = [m for m in bilan.convoques if m.role == "secretariat"]
    if secretariat:
        blocs.append(Paragraphe(f"Secrétariat de séance : {', '.join(m.nom_complet for m in secretariat)}."))
    return Document(
        titre=f"Compte rendu — {reunion}",
        blocs=blocs,
        entete=_entete(reunion),
        logos=logos_des_parties(convention),
        confidentiel=est_document_de_travail(reunion),  # minutes before approval (article 14)
    )


DOCUMENTS = {"convocation": convocation, "compte-rendu": compte_rendu}


def rendre_document(reunion: Reunion, nom: str, format: str) -> bytes:
    return rendre(DOCUMENTS[nom](reunion), format)


# --- Decisions ---------------------------------------------------------------------------------------------------


def decisions_de(convention):
    return (
        Decision.objects.filter(reunion__comite__convention=convention)
        .select_related("reunion", "reunion__comite")
        .prefetch_related("votes")
        .order_by("reunion__date", "reunion__pk", "ordre", "pk")
    )

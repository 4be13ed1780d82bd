"""Documents of the plan: the plan itself (10 pages at most, annexe 2), one fiche action on one page for the élus,
and the evaluation report of a review or of the final bilan (article 9). Built as :class:`ctg.documents.Document`
and rendered in PDF or DOCX; a plan longer than 10 pages is refused, naming the parts to shorten."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ctg import horloge
from ctg.conventions.communication import logos_des_parties
from ctg.documents import Document, ElementListe, Fragment, GarderEnsemble, Liste, Paragraphe, Tableau, Titre, rendre
from ctg.documents.confidentialite import est_document_de_travail

from .arbre import Noeud, arbre, numeros
from .cycle import plan_lu
from .models import Revue, TypeRevue
from .regles import Mesure, Suivi, fiches_suivies, jour_de_suivi

PAGES_MAXIMUM = 10
CSS_PLAN = (
    "@page { size: A4; margin: 16mm 16mm 16mm 16mm; } html { font-size: 8.6pt; line-height: 1.25; } "
    "table { font-size: 7.6pt; margin-bottom: 3pt; } h1 { font-size: 14pt; margin: 0 0 4mm; } "
    "h2 { font-size: 11pt; margin: 8pt 0 4pt; } h3 { font-size: 9.5pt; margin: 7pt 0 2pt; border-top: 0.5pt solid "
    "#999; padding-top: 3pt; } p { margin: 0 0 2.5pt; text-align: left; } ul { margin-bottom: 2pt; } "
    "li { margin-bottom: 1pt; text-align: left; }"
)
CSS_FICHE = (
    "@page { size: A4; margin: 14mm 15mm 14mm 15mm; } html { font-size: 9pt; line-height: 1.28; } "
    "table { font-size: 8.2pt; } h1 { font-size: 14pt; margin: 0 0 3mm; } h2 { font-size: 10.5pt; margin: 7pt 0 3pt; }"
    " p { margin: 0 0 3pt; }"
)
# The warning of every page, document and spreadsheet of a plan that holds demonstration fiches.
AVERTISSEMENT_DEMO = (
    "Plan de démonstration : les fiches marquées « (démonstration) » sont fictives, créées pour essayer CTG ; "
    "leurs indicateurs liés lisent le jeu Caf de démonstration (chiffres FICTIFS)."
)


class PlanTropLong(Exception):
    """The plan exceeds 10 pages; the message says which parts to shorten."""


def nombre(valeur: float | None) -> str:
    if valeur is None:
        return "—"
    if float(valeur).is_integer():
        return f"{valeur:,.0f}".replace(",", "\u202f")
    return f"{valeur:,.1f}".replace(",", "\u202f").replace(".", ",")


def euros(montant: Decimal | None) -> str:
    if montant is None:
        return "—"
    return f"{montant:,.0f}".replace(",", "\u202f") + " €"


def periode(fiche) -> str:
    debut = f"{fiche.date_debut:%m/%Y}" if fiche.date_debut else "?"
    fin = f"{fiche.date_fin:%m/%Y}" if fiche.date_fin else "?"
    return f"{debut} – {fin}" if fiche.date_debut or fiche.date_fin else "à dater"


def _ligne(libelle: str, texte: str) -> Paragraphe:
    return Paragraphe([Fragment(f"{libelle} : ", gras=True), Fragment(texte or "—")], alignement="gauche")


def _communes(fiche) -> str:
    return ", ".join(c.nom for c in fiche.communes.all()) or "tout le territoire"


def _objectifs(fiche, nums: dict[int, str]) -> str:
    return "; ".join(f"{nums.get(o.pk, '')} {o.intitule}".strip() for o in fiche.objectifs.all()) or "—"


def _budget(fiche) -> tuple[str, Tableau | None]:
    financements = list(fiche.financements.all())
    if not financements:
        return "à préciser", None
    annees = sorted({f.annee for f in financements})
    par_financeur: dict[str, dict[int, Decimal]] = {}
    realises: dict[str, Decimal] = {}
    for f in financements:
        nom = f.financeur + (" (fonds propres)" if f.nature == "fonds_propres" else "")
        par_financeur.setdefault(nom, {}).setdefault(f.annee, Decimal("0"))
        par_financeur[nom][f.annee] += f.montant
        if f.montant_realise is not None:
            realises.setdefault(nom, Decimal("0"))
            realises[nom] += f.montant_realise
    lignes = []
    for nom, montants in par_financeur.items():
        lignes.append([nom] + [euros(montants.get(a)) if a in montants else "" for a in annees])
        lignes[-1].append(euros(sum(montants.values(), Decimal("0"))))
        lignes[-1].append(euros(realises[nom]) if nom in realises else "à connaître")
    total = sum((f.montant for f in financements), Decimal("0"))
    propres = sum((f.montant for f in financements if f.nature == "fonds_propres"), Decimal("0"))
    resume = f"{euros(total)} dont {euros(total - propres)} d'aides et {euros(propres)} de fonds propres"
    if realises:
        a_connaitre = sum(1 for f in financements if f.montant_realise is None)
        resume += f" ; réalisé : {euros(sum(realises.values(), Decimal('0')))}"
        resume += f" ({a_connaitre} montant{'s' if a_connaitre > 1 else ''} à connaître)" if a_connaitre else ""
    entetes = ["Financeur"] + [str(a) for a in annees] + ["Total prévu", "Réalisé"]
    return resume, Tableau(entetes, lignes, [3] + [1.2] * len(annees) + [1.3, 1.3])


def _indicateurs(suivi: Suivi) -> Tableau | None:
    if not suivi.mesures:
        return None
    lignes = []
    for m in suivi.mesures:
        ind = m.indicateur
        derniere = m.derniere
        initiale = nombre(m.initiale) + (f" ({ind.annee_reference})" if ind.annee_reference else "")
        lignes.append(
            [
                f"{m.definition}" + (" — lié au diagnostic" if m.lie else ""),
                initiale,
                f"{nombre(derniere.valeur)} ({derniere.periode})" if derniere else "—",
                f"{nombre(ind.cible)} au {ind.date_cible:%d/%m/%Y}",
                f"{m.progression} %" if m.progression is not None else "—",
            ]
        )
    return Tableau(
        ["Indicateur", "Valeur initiale", "Dernière valeur", "Cible", "Avancement"], lignes, [4, 1.6, 1.8, 2, 1.2]
    )


@dataclass
class Partie:
    titre: str
    blocs: list


def _liste_arbre(noeuds: list[Noeud]) -> Liste | None:
    elements = []
    for n in noeuds:
        fiches = ", ".join(str(f.numero) for f in n.fiches)
        texte = f"{n.numero}. {n.objectif.intitule}"
        if n.objectif.signataire:
            texte += f" ({n.objectif.signataire})"
        if fiches:
            texte += f" — fiche{'s' if len(n.fiches) > 1 else ''} n° {fiches}"
        gras = n.profondeur == 0
        sous = _liste_arbre(n.enfants)
        elements.append(ElementListe([Fragment(texte, gras=gras)], sous))
    return Liste(elements) if elements else None


def _partie_fiche(suivi: Suivi, nums: dict[int, str]) -> Partie:
    f = suivi.fiche
    blocs = [Titre(f"Fiche n° {f.numero} — {f.titre}", 2)]
    entete = f"Statut : {suivi.statut_libelle} — priorité {f.get_priorite_display()} — {periode(f)}" + (
        f" — avancement {suivi.progression} %" if suivi.progression is not None else ""
    )
    blocs.append(Paragraphe([Fragment(entete, italique=True)], alignement="gauche"))
    if f.description:
        blocs.append(Paragraphe(f.description.replace("\n", " "), alignement="gauche"))
    blocs.append(_ligne("Objectifs", _objectifs(f, nums)))
    besoins = "; ".join(b.intitule for b in f.besoins.all())
    if besoins:
        blocs.append(_ligne("Besoins du diagnostic", besoins))
    blocs.append(_ligne("Public et communes", f"{f.public or 'tout public'} — {_communes(f)}"))
    acteurs = f"{f.pilote_libelle}"
    if f.liste_partenaires:
        acteurs += " ; partenaires : " + ", ".join(f.liste_partenaires)
    if f.liste_operateurs:
        acteurs += " ; opérateurs : " + ", ".join(f.liste_operateurs)
    blocs.append(_ligne("Pilote", acteurs))
    if suivi.jalons:
        jalons = "; ".join(
            f"{j.libelle} ({j.date_prevue:%m/%Y}{', fait' if j.date_realisee else ''})" for j in suivi.jalons
        )
        blocs.append(_ligne("Jalons", jalons))
    resume, tableau = _budget(f)
    blocs.append(_ligne("Budget", resume))
    if tableau:
        blocs.append(tableau)
    indicateurs = _indicateurs(suivi)
    if indicateurs:
        blocs.append(indicateurs)
    else:
        blocs.append(_ligne("Indicateurs", "à définir (objectif chiffré et daté)"))
    return Partie(f"Fiche n° {f.numero} — {f.titre}", [GarderEnsemble(blocs[:3]), *blocs[3:]])


def construire_plan(convention, jour: date | None = None) -> tuple[Document, list[Partie]]:
    jour = jour or horloge.aujourd_hui()
    plan = plan_lu(convention)
    suivis = fiches_suivies(convention, jour_de_suivi(convention, jour))
    noeuds = arbre(convention, [s.fiche for s in suivis])
    nums = numeros(convention)
    demonstration = any(s.demonstration for s in suivis)
    titre = f"Plan d'actions — {convention.caf.nom} × {convention.epci.nom}"
    entete = titre + (" — DÉMONSTRATION" if demonstration else "")

    intro = [Titre(titre, 0)]
    etat = plan.etat_libelle
    intro.append(
        Paragraphe(
            [
                Fragment(
                    f"Convention territoriale globale {convention.date_debut:%Y}–{convention.date_fin:%Y} — plan "
                    f"{etat} — {len(suivis)} fiche{'s' if len(suivis) > 1 else ''} action — document du "
                    f"{jour:%d/%m/%Y}.",
                    italique=True,
                )
            ],
            alignement="gauche",
        )
    )
    if demonstration:
        intro.append(Paragraphe([Fragment(AVERTISSEMENT_DEMO, gras=True)], alignement="gauche"))
    intro.append(
        Paragraphe(
            "Établi à partir du diagnostic partagé (article 4), ce plan fixe des objectifs concrets, échéancés et "
            f"chiffrés, en {PAGES_MAXIMUM} pages au plus (annexe 2). Il est évalué à chaque revue et lors du bilan "
            "final (article 9).",
            alignement="gauche",
        )
    )
    if plan.synthese:
        intro += [Paragraphe(p, alignement="gauche") for p in plan.synthese.split("\n") if p.strip()]
    parties = [Partie("Présentation", intro)]
    liste = _liste_arbre(noeuds)
    parties.append(Partie("Objectifs", [Titre("Missions, enjeux et objectifs", 1), liste] if liste else []))
    synthese = [
        [
            str(s.fiche.numero),
            s.fiche.titre,
            s.fiche.pilote_structure or "à désigner",
            periode(s.fiche),
            s.statut_libelle,
            euros(s.budget),
            euros(s.budget_realise) if s.budget_realise is not None else "—",
            f"{s.progression} %" if s.progression is not None else "—",
        ]
        for s in suivis
    ]
    if synthese:
        realises = [s.budget_realise for s in suivis if s.budget_realise is not None]
        total_realise = euros(sum(realises, Decimal("0"))) if realises else "—"
        synthese.append(
            ["", "Total", "", "", "", euros(sum((s.budget for s in suivis), Decimal("0"))), total_realise, ""]
        )
        parties.append(
            Partie(
                "Tableau des actions",
                [
                    Titre("Les actions en un tableau", 1),
                    Tableau(
                        ["N°", "Action", "Pilote", "Calendrier", "Statut", "Budget prévu", "Réalisé", "Avancement"],
                        synthese,
                        [0.5, 3.2, 2.0, 1.8, 1.2, 1.3, 1.2, 1.2],
                    ),
                ],
            )
        )
    fiches = [_partie_fiche(s, nums) for s in suivis]
    if fiches:
        fiches[0].blocs.insert(0, Titre("Les fiches action", 1))
    parties += fiches
    sources = (
        "Sources : fiches action saisies dans CTG ; indicateurs liés au diagnostic lus dans les données ouvertes "
        "importées (data.caf.fr, Insee), à leur dernier millésime."
    )
    parties.append(Partie("Sources", [Paragraphe([Fragment(sources, italique=True)], alignement="gauche")]))
    blocs = [b for p in parties for b in p.blocs]
    document = Document(titre=titre, blocs=blocs, entete=entete, auteur="CTG", logos=logos_des_parties(convention))
    document.confidentiel = est_document_de_travail(plan)  # a plan in preparation or revision (article 14)
    return document, parties


def verifier_longueur(document: Document, parties: list[Partie], mise_en_page=None) -> int:
    """The plan's page count; beyond 10 pages, ``PlanTropLong`` names the longest parts."""
    from ctg.documents.rendu_pdf import compter_pages

    pages = len(mise_en_page.pages) if mise_en_page is not None else compter_pages(document, CSS_PLAN)
    if pages <= PAGES_MAXIMUM:
        return pages
    longueurs = []
    for partie in parties:
        if not partie.blocs:
            continue
        seule = Document(titre=partie.titre, blocs=partie.blocs, entete=document.entete)
        # the pages it takes alone, then the length of its text to tell apart parts of one page
        longueurs.append((compter_pages(seule, CSS_PLAN), len(repr(partie.blocs)), partie.titre))
    longueurs.sort(reverse=True)
    detail = ", ".join(f"« {titre} » ({n} page{'s' if n > 1 else ''})" for n, _, titre in longueurs[:3])
    raise PlanTropLong(
        f"Le plan d'actions ferait {pages} pages, au-delà des {PAGES_MAXIMUM} pages prévues par l'annexe 2 de la "
        f"convention. Raccourcissez d'abord : {detail}."
    )


def rendre_plan(convention, format: str, jour: date | None = None) -> bytes:
    """The plan in ``format`` (pdf, docx); refused beyond 10 pages (the PDF layout is the measure)."""
    from ctg.documents.rendu_pdf import mettre_en_page

    document, parties = construire_plan(convention, jour)
    if format == "pdf":
        mise_en_page = mettre_en_page(document, CSS_PLAN)
        verifier_longueur(document, parties, mise_en_page)
        return mise_en_page.write_pdf()
    verifier_longueur(document, parties)
    return rendre(document, format)


def pages_plan(convention, jour: date | None = None) -> int:
    from ctg.documents.rendu_pdf import compter_pages

    document, _ = construire_plan(convention, jour)
    return compter_pages(document, CSS_PLAN)


# --- one fiche for the élus ------------------------------------------------------------------------------------


def construire_fiche(fiche, jour: date | None = None, description: str | None = None) -> Document:
    """One fiche for the élus; ``description`` replaces the fiche's own (shortened to fit one page)."""
    jour = jour_de_suivi(fiche.convention, jour)
    suivi = next(s for s in fiches_suivies(fiche.convention, jour) if s.fiche.pk == fiche.pk)
    f = suivi.fiche
    if description is not None:
        f = copy.copy(f)  # the followed fiche is shared (``fiches_suivies``): the shortened text goes on a copy
        f.description = description
    convention = f.convention
    nums = numeros(convention)
    titre = f"Fiche action n° {f.numero} — {f.titre}"
    entete = f"CTG {convention.caf.nom} × {convention.epci.nom} — fiche action n° {f.numero}" + (
        " — DÉMONSTRATION" if suivi.demonstration else ""
    )
    blocs = [Titre(titre, 0)]
    if suivi.demonstration:
        blocs.append(Paragraphe([Fragment(AVERTISSEMENT_DEMO, gras=True)], alignement="gauche"))
    etat = f"{suivi.statut_libelle}" + (f" — avancement {suivi.progression} %" if suivi.progression is not None else "")
    if suivi.en_retard:
        etat += " — " + "; ".join(suivi.motifs_retard)
    resume, budget = _budget(f)
    lignes = [
        ["Objectifs", _objectifs(f, nums)],
        ["Besoins du diagnostic", "; ".join(b.intitule for b in f.besoins.all()) or "—"],
        ["Public", f.public or "tout public"],
        ["Communes", _communes(f)],
        ["Pilote", f.pilote_libelle],
        ["Partenaires", ", ".join(f.liste_partenaires) or "—"],
        ["Opérateurs", ", ".join(f.liste_operateurs) or "—"],
        ["Calendrier", periode(f)],
        ["Statut", etat],
        ["Priorité", f.get_priorite_display()],
        ["Budget", resume],
    ]
    blocs.append(Tableau(["Rubrique", "Contenu"], lignes, [1.3, 5]))
    if f.description:
        blocs += [Titre("L'action", 1), *[Paragraphe(p) for p in f.description.split("\n") if p.strip()]]
    indicateurs = _indicateurs(suivi)
    blocs.append(Titre("Objectifs chiffrés et datés", 1))
    blocs.append(indicateurs or Paragraphe("Aucun indicateur : à définir."))
    if suivi.jalons:
        blocs.append(Titre("Jalons", 1))
        blocs.append(
            Tableau(
                ["Jalon", "Prévu le", "Réalisé le"],
                [
                    [j.libelle, f"{j.date_prevue:%d/%m/%Y}", f"{j.date_realisee:%d/%m/%Y}" if j.date_realisee else "—"]
                    for j in suivi.jalons
                ],
                [4, 1.3, 1.3],
            )
        )
    if budget:
        blocs += [Titre("Financements", 1), budget]
    blocs.append(Paragraphe([Fragment(f"Document du {jour:%d/%m/%Y}, produit par CTG.", italique=True)]))
    return Document(titre=titre, blocs=blocs, entete=entete, auteur="CTG")


def _css_fiche(echelle: float) -> str:
    return CSS_FICHE + f" html {{ font-size: {9 * echelle:.2f}pt; }} table {{ font-size: {8.2 * echelle:.2f}pt; }}"


def rendre_fiche(fiche, format: str) -> bytes:
    """One page for the élus: a long fiche is set smaller, then its description is cut, until it fits."""
    from ctg.documents.rendu_pdf import mettre_en_page

    document = construire_fiche(fiche)
    if format != "pdf":
        return rendre(document, format)
    for echelle in (1.0, 0.9, 0.8):
        mise_en_page = mettre_en_page(document, _css_fiche(echelle))
        if len(mise_en_page.pages) == 1:
            return mise_en_page.write_pdf()
    description = fiche.description
    while len(mise_en_page.pages) > 1 and len(description) > 200:
        description = description[: len(description) * 2 // 3].rsplit(" ", 1)[0]
        document = construire_fiche(fiche, description=description + " […] (suite dans CTG)")
        mise_en_page = mettre_en_page(document, _css_fiche(0.8))
    return mise_en_page.write_pdf()


# --- evaluation report (article 9) -----------------------------------------------------------------------------


@dataclass
class Effet:
    fiche: object
    mesure: Mesure

    @property
    def avant(self) -> str:
        ind = self.mesure.indicateur
        return nombre(self.mesure.initiale) + (f" ({ind.annee_reference})" if ind.annee_reference else "")

    @property
    def apres(self) -> str:
        d = self.mesure.derniere
        return f"{nombre(d.valeur)} ({d.periode})" if d else "—"

    @property
    def cible(self) -> str:
        ind = self.mesure.indicateur
        return f"{nombre(ind.cible)} au {ind.date_cible:%d/%m/%Y}"

    @property
    def progression(self) -> str:
        p = self.mesure.progression
        return f"{p} %" if p is not None else "—"


def effets(suivis: list[Suivi]) -> list[Effet]:
    """The indicators before / after of every action (the effects of the final bilan)."""
    return [Effet(s.fiche, m) for s in suivis for m in s.mesures]


def construire_evaluation(revue: Revue) -> Document:
    convention = revue.convention
    suivis = fiches_suivies(convention, revue.date if revue.type == TypeRevue.REVUE else None)
    demonstration = any(s.demonstration for s in suivis)
    bilan = revue.type == TypeRevue.BILAN
    titre = f"{revue.get_type_display()} du {revue.date:%d/%m/%Y}"
    entete = f"CTG {convention.caf.nom} × {convention.epci.nom} — {titre}" + (
        " — DÉMONSTRATION" if demonstration else ""
    )
    blocs = [Titre(titre, 0)]
    blocs.append(
        Paragraphe(
            [
                Fragment(
                    f"Convention territoriale globale {convention.caf.nom} × {convention.epci.nom} "
                    f"({convention.date_debut:%Y}–{convention.date_fin:%Y}) — "
                    f"{revue.nom_instance or 'comité de pilotage'}. Article 9 : « Une évaluation des actions sera "
                    "conduite […] lors des revues du plan d'actions. A l'issue de la présente convention, un bilan "
                    "sera effectué intégrant une évaluation de ses effets. »",
                    italique=True,
                )
            ]
        )
    )
    if demonstration:
        blocs.append(Paragraphe([Fragment(AVERTISSEMENT_DEMO, gras=True)]))
    if revue.synthese:
        blocs += [Titre("Synthèse", 1), *[Paragraphe(p) for p in revue.synthese.split("\n") if p.strip()]]
    evaluations = list(revue.evaluations.select_related("fiche"))
    if evaluations:
        blocs.append(Titre("Avancement des actions et décisions", 1))
        blocs.append(
            Tableau(
                ["N°", "Action", "Avancement", "Statut", "Décision", "Commentaire"],
                [
                    [
                        str(e.fiche.numero),
                        e.fiche.titre,
                        f"{e.progression} %" if e.progression is not None else "—",
                        e.get_statut_display(),
                        e.get_decision_display(),
                        e.commentaire or "—",
                    ]
                    for e in evaluations
                ],
                [0.5, 3.5, 1.1, 1.2, 1.1, 4],
            )
        )
    if bilan:
        blocs.append(Titre("Effets de la convention : indicateurs avant / après", 1))
        if revue.effets:
            blocs += [Paragraphe(p) for p in revue.effets.split("\n") if p.strip()]
        lignes = [
            [f"{e.fiche.numero}", e.mesure.definition.libelle, e.avant, e.apres, e.cible, e.progression]
            for e in effets(suivis)
        ]
        if lignes:
            blocs.append(
                Tableau(
                    ["Fiche", "Indicateur", "Avant", "Après", "Cible", "Atteinte"], lignes, [0.6, 4, 1.5, 1.5, 2, 1]
                )
            )
        adaptations = list(revue.adaptations.select_related("objectif"))
        blocs.append(Titre("Objectifs à adapter", 1))
        if adaptations:
            nums = numeros(convention)
            blocs.append(
                Liste(
                    [
                        ElementListe(
                            [
                                Fragment(f"{nums.get(a.objectif_id, '')} {a.objectif.intitule} : ".lstrip(), gras=True),
                                Fragment(a.texte),
                            ]
                        )
                        for a in adaptations
                    ]
                )
            )
        else:
            blocs.append(Paragraphe("Aucune adaptation proposée."))
    blocs.append(
        Paragraphe([Fragment(f"Document produit par CTG le {horloge.aujourd_hui():%d/%m/%Y}.", italique=True)])
    )
    return Document(titre=titre, blocs=blocs, entete=entete, auteur="CTG")


def rendre_evaluation(revue: Revue, format: str) -> bytes:
    document = construire_evaluation(revue)
    if format == "pdf":
        from ctg.documents.rendu_pdf import rendre_pdf

        return rendre_pdf(document, CSS_FICHE)
    return rendre(document, format)

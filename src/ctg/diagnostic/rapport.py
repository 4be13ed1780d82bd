"""The diagnostic report of an EPCI (and of its convention): 20 pages at most (annexe 2 of the convention).

Built as a :class:`ctg.documents.Document` — summary page, one part per domain with its key figures, a map and
an evolution chart, the shared diagnostic of the convention when there is one, the table by commune, and the
sources and vintages of every figure — then rendered in PDF, DOCX or HTML. A report longer than 20 pages is
refused, naming the part to shorten.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

from ctg import horloge
from ctg.conventions.communication import logos_des_parties
from ctg.conventions.models import Domaine
from ctg.documents import (
    Document,
    ElementListe,
    Fragment,
    GarderEnsemble,
    Image,
    Liste,
    Paragraphe,
    SautDePage,
    Tableau,
    Titre,
)
from ctg.documents.confidentialite import est_document_de_travail
from ctg.donnees.jeux import JEUX
from ctg.donnees.models import Fichier
from ctg.formats import trier_par_nom
from ctg.territoires.fiches import mention_source
from ctg.territoires.models import Epci

from .calcul import sppe_communes, tableau_territoire, trouver_territoire, valeurs_communes
from .catalogue import INDICATEURS, Indicateur
from .figures import SECRET, ZoneCarte, carte_choroplethe, graphique_evolution
from .models import Etat
from .partage import diagnostic_de, etat_du_diagnostic
from .presentation import AVERTISSEMENT_DEMO, indicateur_de_carte, series_evolution, texte_valeur

PAGES_MAXIMUM = 20
# The headline figures of the summary page, in this order (those without data are left out).
SYNTHESE = [
    "population_municipale",
    "enfants_0_2",
    "population_0_19",
    "foyers_allocataires",
    "taux_couverture_population",
    "taux_couverture_global",
    "places_total",
    "places_manquantes_taux_france",
    "part_foyers_rsa",
    "part_allocataires_bas_revenus",
    "part_familles_monoparentales",
]
# The communes' table of the annex.
ANNEXE_COMMUNES = ["population_municipale", "enfants_0_2", "taux_couverture_global", "foyers_allocataires"]


class RapportTropLong(Exception):
    """The report exceeds 20 pages; the message says which part to shorten."""


@dataclass
class Partie:
    titre: str
    blocs: list
    nouvelle_page: bool = True  # starts on a new page


def _tableau_chiffres(lignes, territoire) -> Tableau:
    avec_dep = bool(territoire.departement_nom) and territoire.niveau != "departement"
    entetes = ["Indicateur", territoire.nom] + ([territoire.departement_nom] if avec_dep else []) + ["France", "Année"]
    corps = []
    for ligne in lignes:
        ind = ligne["indicateur"]
        valeur = texte_valeur(ligne["valeur"], ind)
        rangee = [f"{ind.libelle} ({ind.unite})", valeur]
        if avec_dep:
            rangee.append(texte_valeur(ligne["departement"], ind))
        rangee += [texte_valeur(ligne["france"], ind), str(ligne["valeur"].annee or "—")]
        corps.append(rangee)
    largeurs = [5, 1.6, 1.6, 1.6, 1] if avec_dep else [5, 1.6, 1.6, 1]
    return Tableau(entetes, corps, largeurs)


def _disponible(ligne) -> bool:
    r = ligne["valeur"]
    return r is not None and r.etat != Etat.ABSENT


def _carte(epci: Epci, ind: Indicateur, annee: int | None) -> Image | None:
    formes = list(epci.communes.values_list("code", "nom", "forme"))
    resultats = valeurs_communes(ind, [c for c, _, _ in formes], annee)
    zones = []
    for code, nom, forme in formes:
        r = resultats[code]
        zones.append(
            ZoneCarte(code, nom, forme, r.valeur if r.utilisable else (SECRET if r.etat == Etat.SECRET else None))
        )
    if not any(isinstance(z.valeur, int | float) for z in zones):
        return None
    annees = sorted({r.annee for r in resultats.values() if r.annee})
    titre = f"{ind.libelle} par commune ({'/'.join(map(str, annees))})"
    return Image(carte_choroplethe(zones, titre, ind.unite), f"Carte : {titre}. Source : {', '.join(ind.sources)}.", 15)


def _graphique(ind: Indicateur, territoire) -> Image | None:
    series = series_evolution(ind, territoire)
    if series is None:
        return None
    contenu = graphique_evolution(series, f"{ind.libelle} : évolution", ind.unite, format="png", largeur_cm=14)
    return Image(contenu, f"Évolution : {ind.libelle} ({ind.unite}).", 13)


def _partie_domaine(domaine: str, lignes, territoire, epci: Epci, annee, commentaire: str) -> Partie | None:
    disponibles = [ligne for ligne in lignes if _disponible(ligne)]
    if not disponibles:
        return None
    blocs = [Titre(Domaine(domaine).label.capitalize(), 1)]
    if commentaire:
        blocs.append(Paragraphe([Fragment("Commentaire partagé : ", gras=True), Fragment(commentaire)]))
    blocs.append(_tableau_chiffres(disponibles, territoire))
    principal = next(
        (
            ligne["indicateur"]
            for ligne in disponibles
            if not ligne["indicateur"].contexte and ligne["valeur"].utilisable
        ),
        None,
    )
    if principal is not None:
        # The map shows the indicator the page's map would (a map with a single class says nothing).
        utilisables = [ligne["indicateur"] for ligne in disponibles if ligne["valeur"].utilisable]
        candidats = [i for i in utilisables if not i.contexte] + [i for i in utilisables if i.contexte]
        communes = list(epci.communes.values_list("code", flat=True))
        de_carte = indicateur_de_carte(candidats, communes, annee) or principal
        figures = [f for f in (_carte(epci, de_carte, annee), _graphique(principal, territoire)) if f]
        if figures:
            blocs.append(GarderEnsemble([Paragraphe([Fragment(principal.definition, italique=True)]), figures[0]]))
            blocs += figures[1:]
    return Partie(Domaine(domaine).label, blocs)


def _partie_sppe(epci: Epci) -> Partie:
    communes = sppe_communes(epci)
    categories = OrderedDict()
    for c in communes:
        categories.setdefault(c["categorie"] or "population inconnue", []).append(c)
    blocs = [
        Titre("Service public de la petite enfance", 1),
        Paragraphe(
            "Depuis le 1er janvier 2025, les communes sont autorités organisatrices de l'accueil du jeune enfant "
            "(loi n° 2023-1196 du 18 décembre 2023, CASF L.214-1-3). Compétences selon la population municipale 2023 "
            "(à vérifier pour les communes proches d'un seuil : la référence légale est la population totale) :"
        ),
    ]
    elements = []
    for categorie, liste in categories.items():
        obligations = "; ".join(liste[0]["obligations"]) if liste[0]["obligations"] else "—"
        noms = ", ".join(c["nom"] for c in liste[:12]) + (f" et {len(liste) - 12} autres" if len(liste) > 12 else "")
        elements.append(ElementListe(f"{categorie} — {len(liste)} commune(s) : {noms}. Compétences : {obligations}."))
    blocs.append(Liste(elements))
    return Partie("Service public de la petite enfance", blocs, nouvelle_page=False)


def _partie_partagee(convention) -> Partie | None:
    diagnostic = diagnostic_de(convention)
    besoins = list(diagnostic.besoins.prefetch_related("communes"))
    contributions = list(diagnostic.contributions.all())
    if not (diagnostic.synthese or besoins or contributions):
        return None
    blocs = [Titre("Diagnostic partagé", 1)]
    etat = etat_du_diagnostic(diagnostic)
    blocs.append(Paragraphe([Fragment("État : ", gras=True), Fragment(etat)]))
    if diagnostic.synthese:
        blocs += [Paragraphe(p) for p in diagnostic.synthese.split("\n") if p.strip()]
    if besoins:
        blocs.append(Titre("Besoins identifiés", 2))
        libelles = dict(Domaine.choices)
        lignes = []
        for b in besoins:
            communes = ", ".join(c.nom for c in b.communes.all()) or "tout le territoire"
            preuves = ", ".join(b.libelles_indicateurs) or "—"
            lignes.append([b.get_priorite_display(), libelles.get(b.domaine, b.domaine), b.intitule, communes, preuves])
        blocs.append(
            Tableau(["Priorité", "Domaine", "Besoin", "Communes", "Indicateurs"], lignes, [1, 1.5, 3, 2.5, 2.5])
        )
    if contributions:
        blocs.append(Titre("Contributions des partenaires", 2))
        blocs.append(Liste([ElementListe(f"{c.auteur} ({c.date:%d/%m/%Y}) : {c.texte}") for c in contributions]))
    return Partie("Diagnostic partagé", blocs)


def _partie_communes(epci: Epci, annee) -> Partie:
    communes = trier_par_nom(epci.communes.values_list("code", "nom"), nom=lambda c: c[1])
    codes = [c for c, _ in communes]
    colonnes = [(INDICATEURS[i], valeurs_communes(i, codes, annee)) for i in ANNEXE_COMMUNES if i in INDICATEURS]
    entetes = ["Commune"] + [f"{ind.libelle} ({ind.unite})" for ind, _ in colonnes]
    lignes = [[nom] + [texte_valeur(resultats[code], ind) for ind, resultats in colonnes] for code, nom in communes]
    return Partie(
        "Tableau par commune",
        [Titre("Annexe : tableau par commune", 1), Tableau(entetes, lignes, [3] + [1.5] * len(colonnes))],
    )


def _partie_sources(demonstration: bool) -> Partie:
    blocs = [Titre("Sources et millésimes", 1), Paragraphe(mention_source() + ".")]
    elements = []
    for fichier in Fichier.objects.order_by("dataset", "nom"):
        jeu = JEUX.get(fichier.observations.values_list("dataset", flat=True).first() or "", None)
        titre = jeu.titre if jeu else fichier.dataset
        periodes = ", ".join(fichier.periodes) if fichier.periodes else "—"
        texte = f"{titre} — fichier {fichier.nom} ({fichier.producteur or 'producteur non précisé'}, "
        texte += f"{fichier.licence or 'licence non précisée'}), périodes {periodes}, "
        texte += f"importé le {fichier.importe_le:%d/%m/%Y}"
        if fichier.demonstration:
            texte += " — DONNÉES DE DÉMONSTRATION (FICTIVES)"
        elements.append(ElementListe(texte + "."))
    if elements:
        blocs.append(Liste(elements))
    blocs.append(
        Paragraphe(
            "Secret statistique : les cases vides des fichiers Caf sont des valeurs tenues secrètes, jamais des zéros. "
            "Une valeur suivie d'un astérisque (*) est calculée sans les communes au secret ou sans donnée. Les taux "
            "d'un EPCI, d'un département ou de la France sont recalculés à partir de leurs numérateurs et "
            "dénominateurs, jamais comme moyenne des taux des communes."
        )
    )
    if demonstration:
        blocs.append(Paragraphe([Fragment(AVERTISSEMENT_DEMO, gras=True)]))
    return Partie("Sources", blocs, nouvelle_page=False)


def construire_rapport(
    code_epci: str, convention=None, annee: int | None = None
) -> tuple[Document, list[Partie], bool]:
    """The report's document and its parts (for the page check)."""
    epci = Epci.objects.get(code=code_epci)
    territoire = trouver_territoire(epci.code)
    tableau = tableau_territoire(territoire, annee)
    demonstration = tableau["demonstration"]
    par_code = {ligne["indicateur"].code: ligne for ligne in tableau["lignes"]}
    commentaires = {}
    if convention is not None:
        commentaires = {c.domaine: c.texte for c in diagnostic_de(convention).commentaires.all()}

    titre = f"Diagnostic territorial — {epci.nom}"
    entete = f"{titre}" + (" — DONNÉES DE DÉMONSTRATION (FICTIVES)" if demonstration else "")
    synthese = [Titre(titre, 0)]
    sous_titre = f"{epci.get_type_display()} — SIREN {epci.code} — {epci.communes.count()} communes"
    if convention is not None:
        sous_titre += (
            f" — convention {convention.caf.nom} × {epci.nom} ({convention.date_debut:%Y}–{convention.date_fin:%Y})"
        )
    synthese.append(Paragraphe([Fragment(sous_titre, italique=True)]))
    if demonstration:
        synthese.append(Paragraphe([Fragment(AVERTISSEMENT_DEMO, gras=True)]))
    synthese.append(
        Paragraphe(
            f"Document produit le {horloge.aujourd_hui():%d/%m/%Y} par CTG à partir des données ouvertes importées. "
            f"Il tient en {PAGES_MAXIMUM} pages au plus (annexe 2 de la convention territoriale globale). Chaque "
            "chiffre est donné avec son année ; les sources et millésimes sont détaillés en fin de document."
        )
    )
    synthese.append(Titre("Synthèse", 1))
    synthese.append(
        _tableau_chiffres([par_code[c] for c in SYNTHESE if c in par_code and _disponible(par_code[c])], territoire)
    )
    parties = [Partie("Synthèse", synthese)]
    partagee = _partie_partagee(convention) if convention is not None else None
    if partagee:
        parties.append(partagee)
    par_domaine = OrderedDict()
    for ligne in tableau["lignes"]:
        par_domaine.setdefault(ligne["indicateur"].domaine, []).append(ligne)
    for domaine, lignes in par_domaine.items():
        partie = _partie_domaine(domaine, lignes, territoire, epci, annee, commentaires.get(domaine, ""))
        if partie:
            parties.append(partie)
    parties.append(_partie_sppe(epci))
    parties.append(_partie_communes(epci, annee))
    parties.append(_partie_sources(demonstration))

    blocs = []
    for i, partie in enumerate(parties):
        if i and partie.nouvelle_page:
            blocs.append(SautDePage())
        blocs += partie.blocs
    document = Document(titre=titre, blocs=blocs, entete=entete, auteur="CTG")
    if convention is not None:  # the convention's shared diagnostic: a joint document, confidential until validated
        document.logos = logos_des_parties(convention)
        document.confidentiel = est_document_de_travail(diagnostic_du_rapport(convention))
    return document, parties, demonstration


def diagnostic_du_rapport(convention):
    """The convention's diagnostic as it stands, without writing (a draft when none is recorded yet)."""
    from .models import DiagnosticConvention

    return DiagnosticConvention.objects.filter(convention=convention).first() or DiagnosticConvention(
        convention=convention
    )


CSS_RAPPORT = "@page { size: A4; } table { font-size: 8pt; } h1 { font-size: 15pt; } h2 { font-size: 12.5pt; }"


def verifier_longueur(document: Document, parties: list[Partie]) -> int:
    """The PDF's page count; over 20 pages, ``RapportTropLong`` names the longest parts."""
    from ctg.documents.rendu_pdf import compter_pages

    pages = compter_pages(document, CSS_RAPPORT)
    if pages <= PAGES_MAXIMUM:
        return pages
    longueurs = []
    for partie in parties:
        seule = Document(titre=partie.titre, blocs=partie.blocs, entete=document.entete)
        longueurs.append((compter_pages(seule, CSS_RAPPORT), partie.titre))
    longueurs.sort(reverse=True)
    detail = ", ".join(f"« {titre} » ({n} page{'s' if n > 1 else ''})" for n, titre in longueurs[:3])
    raise RapportTropLong(
        f"Le diagnostic ferait {pages} pages, au-delà des {PAGES_MAXIMUM} pages prévues par l'annexe 2 de la "
        f"convention. Raccourcissez d'abord les parties les plus longues : {detail}."
    )


def rendre_rapport(code_epci: str, format: str, convention=None, annee: int | None = None) -> bytes:
    """The report in ``format`` (pdf, docx, html); refuses to exceed 20 pages."""
    from ctg.documents import rendre
    from ctg.documents.rendu_pdf import mettre_en_page, rendre_html

    document, parties, _ = construire_rapport(code_epci, convention, annee)
    if format == "pdf":
        mise_en_page = mettre_en_page(document, CSS_RAPPORT)
        if len(mise_en_page.pages) > PAGES_MAXIMUM:
            verifier_longueur(document, parties)
        return mise_en_page.write_pdf()
    verifier_longueur(document, parties)
    if format == "html":
        return rendre_html(document, CSS_RAPPORT).encode("utf-8")
    return rendre(document, format)

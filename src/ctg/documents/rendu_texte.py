"""Plain-text rendering of a :class:`~ctg.documents.modele.Document` (UTF-8).

One paragraph per line (no hard wrapping: editors wrap), a blank line between blocks, the header text once at
the top, lists with ``-`` and two spaces per nesting level, checkboxes as ``☒``/``☐``, tables and signature
blocks as space-aligned columns, footnotes as ``¹ text`` right after the block that calls them, and page
breaks as a form feed (``\\f``, as ``pdftotext`` writes them).
"""

from __future__ import annotations

from .modele import (
    MENTION_CONFIDENTIELLE,
    BlocSignatures,
    CaseACocher,
    Document,
    Fragment,
    GarderEnsemble,
    Image,
    Inline,
    Liste,
    Note,
    Paragraphe,
    SautDePage,
    Tableau,
    Titre,
)

EXPOSANTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
SAUT_DE_PAGE = "\f"


def exposant(nombre: int) -> str:
    return str(nombre).translate(EXPOSANTS)


class _Rendu:
    def __init__(self):
        self.lignes: list[str] = []
        self.notes_en_attente: list[tuple[int, str]] = []
        self.numero_note = 0

    def inline(self, fragments: list[Inline]) -> str:
        morceaux = []
        for f in fragments:
            if isinstance(f, Note):
                self.numero_note += 1
                self.notes_en_attente.append((self.numero_note, f.texte))
                morceaux.append(exposant(self.numero_note))
            elif isinstance(f, Fragment):
                morceaux.append(f.texte)
        return "".join(morceaux)

    def bloc(self, bloc) -> None:
        if isinstance(bloc, GarderEnsemble):
            for b in bloc.blocs:
                self.bloc(b)
            return
        if isinstance(bloc, SautDePage):
            self.lignes.append(SAUT_DE_PAGE)
            return
        if isinstance(bloc, Titre):
            self.lignes.append(bloc.texte)
        elif isinstance(bloc, Paragraphe):
            self.lignes.append("  " * bloc.retrait + self.inline(bloc.fragments))
        elif isinstance(bloc, CaseACocher):
            self.lignes.append(("☒ " if bloc.cochee else "☐ ") + self.inline(bloc.fragments))
        elif isinstance(bloc, Liste):
            self.liste(bloc, 0)
        elif isinstance(bloc, Tableau):
            self.colonnes([bloc.entetes, *bloc.lignes], souligner_entete=True)
        elif isinstance(bloc, BlocSignatures):
            self.signatures(bloc)
        elif isinstance(bloc, Image):
            self.lignes.append(f"[Figure : {bloc.legende}]")
        else:  # pragma: no cover - every block type is handled above
            raise TypeError(f"Bloc inconnu : {bloc!r}")
        for numero, texte in self.notes_en_attente:
            self.lignes.append("")
            self.lignes.append(f"{exposant(numero)} {texte}")
        self.notes_en_attente.clear()
        self.lignes.append("")

    def liste(self, liste: Liste, niveau: int) -> None:
        for i, element in enumerate(liste.elements, 1):
            puce = f"{i}." if liste.numerotee else "-"
            self.lignes.append(f"{'  ' * niveau}{puce} {self.inline(element.fragments)}")
            if element.sous_liste:
                self.liste(element.sous_liste, niveau + 1)

    def colonnes(self, lignes: list[list[str]], souligner_entete: bool = False) -> None:
        largeurs = [max(len(ligne[i]) for ligne in lignes) for i in range(len(lignes[0]))]
        for n, ligne in enumerate(lignes):
            self.lignes.append("   ".join(c.ljust(w) for c, w in zip(ligne, largeurs, strict=True)).rstrip())
            if n == 0 and souligner_entete:
                self.lignes.append("   ".join("-" * w for w in largeurs))

    def signatures(self, bloc: BlocSignatures) -> None:
        titres, qualites, noms = [], [], []
        for groupe in bloc.groupes:
            for i, signature in enumerate(groupe.signatures or [None]):
                titres.append(groupe.titre if i == 0 else "")
                qualites.append(signature.qualite if signature else "")
                noms.append(signature.nom if signature else "")
        self.colonnes([titres, qualites, [""] * len(noms), [""] * len(noms), noms])


def rendre_texte(document: Document) -> bytes:
    """The document as UTF-8 plain text."""
    rendu = _Rendu()
    if document.confidentiel:
        rendu.lignes += [MENTION_CONFIDENTIELLE] if document.entete else [MENTION_CONFIDENTIELLE, ""]
    if document.entete:
        rendu.lignes += [document.entete, ""]
    for bloc in document.blocs:
        rendu.bloc(bloc)
    texte = "\n".join(rendu.lignes).rstrip() + "\n"
    texte = texte.replace(f"\n\n{SAUT_DE_PAGE}\n", f"\n{SAUT_DE_PAGE}\n")
    return texte.encode("utf-8")

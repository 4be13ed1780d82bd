import pytest

from ctg.documents import (
    BlocSignatures,
    CaseACocher,
    Document,
    ElementListe,
    GarderEnsemble,
    GroupeSignatures,
    Liste,
    Note,
    Paragraphe,
    SautDePage,
    Signature,
    Tableau,
    Titre,
    enrichi,
)

ENTETE = 'ID: 001-200000000-20250101-D1-CC "essai" <b>'


@pytest.fixture
def document_essai():
    """A small document with every kind of block, long enough to run over two pages."""
    return Document(
        titre="Document d'essai",
        entete=ENTETE,
        auteur="Caf de l'Ain",
        blocs=[
            Titre("DOCUMENT D'ESSAI", niveau=0),
            Titre("Première partie"),
            Paragraphe("Un paragraphe **gras** et *italique* avec <balise> & esperluette."),
            Liste(
                [
                    ElementListe([*enrichi("premier point avec une note."), Note("Texte de la première note.")]),
                    ElementListe(
                        "second point :",
                        Liste([ElementListe("sous-point A ;"), ElementListe("sous-point B.")]),
                    ),
                ]
            ),
            Paragraphe("Suite du second point, en retrait.", retrait=1),
            Liste([ElementListe("un"), ElementListe("deux")], numerotee=True),
            Liste([ElementListe("encore un"), ElementListe("encore deux")], numerotee=True),
            CaseACocher("case cochée", cochee=True),
            CaseACocher("case vide"),
            Titre("Sous-partie", niveau=2),
            Paragraphe([*enrichi("Deuxième appel de note"), Note("Texte de la seconde note.")]),
            SautDePage(),
            Titre("ANNEXE"),
            Tableau(
                ["Commune", "Maire", "Date"],
                [[f"Commune {i:02d}", "à compléter", "à compléter"] for i in range(1, 61)],
                largeurs=[3, 2, 2],
            ),
            GarderEnsemble(
                [
                    Paragraphe("En autant d'exemplaires originaux que de signataires."),
                    BlocSignatures(
                        [
                            GroupeSignatures(
                                "La Caf de l'Ain",
                                [
                                    Signature("La Directrice générale,", "Anne DUPONT"),
                                    Signature("Le Président,", "Paul MARTIN"),
                                ],
                            ),
                            GroupeSignatures("La Collectivité", [Signature("La Présidente,", "Julie DURAND")]),
                        ]
                    ),
                ]
            ),
        ],
    )

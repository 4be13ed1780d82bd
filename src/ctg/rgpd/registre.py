"""The register of processing activities of one organisation (GDPR article 30-1), as its page, a spreadsheet (XLSX,
CSV) and a PDF: every processing its approved personal-data requests created, where it holds the data — never an
entry of another organisation. The page, the downloads and ``ctg registre_traitements`` read the same lines."""

from __future__ import annotations

from dataclasses import dataclass

from ctg import horloge
from ctg.comptes.models import Organisation
from ctg.documents import Document, ElementListe, Liste, Paragraphe, Titre
from ctg.documents.tableurs import classeur, csv_excel

from .models import TraitementRegistre, delegue_en_fonction

ENTETES = [
    "N°",
    "Traitement",
    "Responsable du traitement",
    "Finalités",
    "Base légale",
    "Catégories de personnes concernées",
    "Catégories de données",
    "Destinataires",
    "Transferts hors de l'Union européenne",
    "Durée de conservation",
    "Mesures de sécurité",
    "Convention",
    "Inscrit le",
]
AVERTISSEMENT_DEMO = (
    "Données de démonstration : les traitements marqués « démonstration » sont FICTIFS et ne figurent dans aucun "
    "registre réel."
)
TYPES_MIME = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


class OrganisationInconnue(LookupError):
    pass


def organisation_designee(texte: str) -> Organisation:
    """The organisation named as displayed (« Caf du Nord », case ignored) or by its number; else a French error."""
    texte = (texte or "").strip()
    if texte.isdigit():
        trouvee = Organisation.objects.filter(pk=int(texte)).first()
        if trouvee is not None:
            return trouvee
    trouvees = list(Organisation.objects.filter(nom__iexact=texte)[:2])
    if len(trouvees) == 1:
        return trouvees[0]
    if trouvees:
        numeros = ", ".join(str(o.pk) for o in trouvees)
        raise OrganisationInconnue(f"Plusieurs organisations s'appellent « {texte} » : donnez son numéro ({numeros}).")
    raise OrganisationInconnue(
        f"Aucune organisation « {texte} » : donnez son nom tel qu'il s'affiche (par exemple « Caf du Nord ») ou son "
        "numéro."
    )


@dataclass
class Registre:
    organisation: Organisation
    entrees: list[TraitementRegistre]
    delegue: str
    jour: object

    @property
    def demonstration(self) -> bool:
        return any(e.demonstration for e in self.entrees)

    @property
    def titre(self) -> str:
        return f"Registre des activités de traitement — {self.organisation.nom_long} — {self.jour:%d/%m/%Y}"


def registre_de(organisation: Organisation) -> Registre:
    entrees = list(
        TraitementRegistre.objects.filter(organisation=organisation)
        .select_related("demande__convention__epci", "demande__convention__caf")
        .order_by("inscrit_le", "pk")
    )
    delegue = delegue_en_fonction(organisation)
    nom = (delegue.user.get_full_name() or str(delegue.user)) if delegue else "aucun·e désigné·e dans CTG"
    return Registre(organisation, entrees, nom, horloge.aujourd_hui())


def _marque(entree: TraitementRegistre, texte: str) -> str:
    return f"{texte} (démonstration)" if entree.demonstration and "(démonstration)" not in texte else texte


def ligne(numero: int, entree: TraitementRegistre) -> list:
    return [
        numero,
        _marque(entree, entree.intitule),
        entree.responsable,
        entree.finalites,
        entree.base_legale,
        entree.categories_personnes,
        entree.categories_donnees,
        entree.destinataires,
        entree.transferts_hors_ue,
        entree.conservation,
        entree.mesures_securite,
        str(entree.demande.convention),
        f"{entree.inscrit_le:%d/%m/%Y}",
    ]


def lignes(registre: Registre) -> list[list]:
    return [ligne(i, e) for i, e in enumerate(registre.entrees, start=1)]


def document(registre: Registre) -> Document:
    blocs = [
        Titre(registre.titre, 0),
        Paragraphe(
            f"Responsable des traitements : {registre.organisation.nom_long}. Délégué·e à la protection des données : "
            f"{registre.delegue}. Traitements créés par les échanges de données approuvés au titre de l'article 7 "
            "des conventions territoriales globales (article 30 du RGPD)."
        ),
    ]
    if registre.demonstration:
        blocs.append(Paragraphe(AVERTISSEMENT_DEMO))
    if not registre.entrees:
        blocs.append(Paragraphe("Aucun traitement inscrit."))
    for valeurs in lignes(registre):
        blocs.append(Titre(f"{valeurs[0]}. {valeurs[1]}", 1))
        blocs.append(
            Liste(
                [ElementListe(f"{entete} : {valeur}") for entete, valeur in zip(ENTETES[2:], valeurs[2:], strict=True)]
            )
        )
    return Document(titre=registre.titre, blocs=blocs, entete=f"Registre des traitements — {registre.organisation}")


def exporter(organisation: Organisation, format: str) -> tuple[bytes, str, str]:
    """The register as ``format`` (csv, xlsx or pdf): its bytes, type and file name."""
    registre = registre_de(organisation)
    if format == "csv":
        contenu = csv_excel(ENTETES, lignes(registre))
    elif format == "xlsx":
        avertissement = AVERTISSEMENT_DEMO if registre.demonstration else ""
        contenu = classeur(registre.titre, ENTETES, lignes(registre), avertissement, "Registre")
    elif format == "pdf":
        from ctg.documents import rendre_pdf

        contenu = rendre_pdf(document(registre))
    else:
        raise ValueError(f"Format « {format} » inconnu : csv, xlsx ou pdf.")
    return contenu, TYPES_MIME[format], f"registre-traitements-{organisation.pk}-{registre.jour:%Y%m%d}.{format}"

"""Restoration of an archive (``export``) on this instance, in one transaction, after every check.

Everything is read and checked first (``archive.lire``: manifest, sizes, SHA-256, names; then here: models and
fields known, territories present, conventions not already here, uploaded files not in conflict). Only then are
the records written: each under a fresh primary key taken from the table's own sequence, in the archive's order (so
that a new backup lists them in the same order), history included; the accounts referenced are matched by their
identifier or created inactive without a usable password; the organisations are matched (a Caf by its département,
an EPCI or a commune by its code, any other by its name and territory) or created."""

import base64
import datetime as dt
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, connections, models, transaction
from django.utils.timezone import localtime

from . import archive, perimetre
from .archive import ArchiveRefusee
from .models import Restauration


@dataclass
class Bilan:
    """What the restoration creates (or would create, with ``--dry-run``)."""

    conventions: list[str]
    enregistrements: dict[str, int]
    comptes_crees: list[str] = field(default_factory=list)
    comptes_existants: list[str] = field(default_factory=list)
    organisations_creees: list[str] = field(default_factory=list)
    organisations_existantes: list[str] = field(default_factory=list)
    fichiers: int = 0


def _valeur(champ, valeur):
    """The Python value of a field from its JSON text (``export.valeur_json`` read back)."""
    if valeur is None or isinstance(champ, models.JSONField | models.FileField):
        return valeur
    if isinstance(champ, models.BinaryField):
        return base64.b64decode(valeur)
    if isinstance(champ, models.DurationField):
        return dt.timedelta(seconds=valeur)
    return champ.to_python(valeur)


def _reserver(modele, nombre: int, using: str) -> list[int]:
    """``nombre`` fresh primary keys of ``modele``, increasing, never given again by its table's sequence."""
    if not nombre:
        return []
    connexion = connections[using]
    table, colonne = modele._meta.db_table, modele._meta.pk.column
    nom = connexion.ops.quote_name
    with connexion.cursor() as curseur:
        if connexion.vendor == "postgresql":
            curseur.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)", [table, colonne, nombre]
            )
            return sorted(ligne[0] for ligne in curseur.fetchall())
        if connexion.vendor != "sqlite":
            raise ArchiveRefusee(f"Base de données « {connexion.vendor} » non prise en charge par la restauration.")
        curseur.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        sequence = curseur.fetchone()
        # the table's and column's names come from the models, quoted: no value from the archive
        curseur.execute(f"SELECT MAX({nom(colonne)}) FROM {nom(table)}")  # nosec B608
        plus_grand = curseur.fetchone()[0] or 0
        debut = max(sequence[0] if sequence else 0, plus_grand) + 1
        fin = debut + nombre - 1
        if sequence:
            curseur.execute("UPDATE sqlite_sequence SET seq = %s WHERE name = %s", [fin, table])
        else:
            curseur.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table, fin])
        return list(range(debut, fin + 1))


@contextmanager
def _dates_telles_quelles(modeles):
    """``auto_now`` / ``auto_now_add`` off while the records are written: their dates are the archive's."""
    champs = [
        f
        for m in modeles
        for f in m._meta.concrete_fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    avant = [(f, f.auto_now, f.auto_now_add) for f in champs]
    for f in champs:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in avant:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


@contextmanager
def _incoherence():
    try:
        yield
    except (KeyError, TypeError, ValueError, AttributeError, ValidationError) as exc:
        raise ArchiveRefusee(f"Contenu de l'archive incohérent ({exc!r}) : rien n'est restauré.") from exc


class Preparation:
    def __init__(self, contenu: archive.Archive, using: str):
        self.archive = contenu
        self.using = using
        self.donnees: dict = {}  # model -> records
        self.organisations: list[dict] = []
        self.comptes: list[dict] = []
        self.fichiers = {
            n.removeprefix("fichiers/"): c for n, c in contenu.parties.items() if n.startswith("fichiers/")
        }
        with _incoherence():
            self._lire()

    def verifier(self):
        """Every check against this instance, before anything is written."""
        with _incoherence():
            self._verifier()

    def _lire(self):
        sauvegardes = set(perimetre.modeles_sauvegardes())
        for nom in self.archive.parties:
            if nom.startswith("fichiers/"):
                continue
            etiquette = nom.split("/", 1)[1].removesuffix(".json")
            contenu = self.archive.json(nom)
            if contenu["modele"] != etiquette:
                raise ArchiveRefusee(f"« {nom} » ne décrit pas le modèle de son nom : archive refusée.")
            if nom.startswith("references/"):
                if etiquette == perimetre.ORGANISATION:
                    self.organisations = contenu["enregistrements"]
                elif etiquette == perimetre.COMPTE:
                    self.comptes = contenu["enregistrements"]
                else:
                    raise ArchiveRefusee(f"Référence inconnue dans l'archive : « {nom} ».")
                continue
            try:
                modele = apps.get_model(perimetre.NOMS_ANTERIEURS.get(etiquette, etiquette))
            except LookupError as exc:
                raise ArchiveRefusee(
                    f"L'archive contient « {etiquette} », inconnu de cette version du produit : mettez-la à jour."
                ) from exc
            if modele not in sauvegardes:
                raise ArchiveRefusee(f"« {etiquette} » n'est pas une donnée qu'une sauvegarde restaure.")
            self.donnees[modele] = contenu["enregistrements"]
        for modele, enregistrements in self.donnees.items():
            self._verifier_champs(modele, enregistrements)
        self._verifier_champs(apps.get_model(perimetre.ORGANISATION), self.organisations)

    @staticmethod
    def _verifier_champs(modele, enregistrements):
        champs = {f.name: f for f in modele._meta.concrete_fields if not f.primary_key}
        for enregistrement in enregistrements:
            en_trop = set(enregistrement) - set(champs) - {"_id"}
            if en_trop:
                raise ArchiveRefusee(
                    f"Champ « {sorted(en_trop)[0]} » de {perimetre.label(modele)} inconnu de cette version du produit."
                )
            for nom, champ in champs.items():
                if nom not in enregistrement and not (champ.null or champ.has_default()):
                    raise ArchiveRefusee(f"Champ « {nom} » de {perimetre.label(modele)} absent de l'archive.")
            if not isinstance(enregistrement["_id"], int):
                raise ArchiveRefusee(f"Enregistrement de {perimetre.label(modele)} sans numéro d'archive.")

    # --- checks -------------------------------------------------------------------------------------------------

    def _conventions(self) -> list[dict]:
        return self.donnees.get(apps.get_model(perimetre.RACINE), [])

    def _verifier(self):
        Convention = apps.get_model(perimetre.RACINE)
        if not self._conventions():
            raise ArchiveRefusee("L'archive ne contient aucune convention : rien à restaurer.")
        identifiants = [c["ctes_identifiant"] for c in self._conventions() if c.get("ctes_identifiant")]
        deja = sorted(
            Convention._base_manager.using(self.using)
            .filter(ctes_identifiant__in=identifiants)
            .values_list("ctes_identifiant", flat=True)
        )
        if deja:
            raise ArchiveRefusee(
                f"La convention d'identifiant @ctes {deja[0]} est déjà sur cette instance : une sauvegarde ne se "
                "restaure qu'une fois (la restauration n'est pas rejouée). Rien n'est écrit. Pour la remplacer, "
                "supprimez d'abord la convention présente."
            )
        empreinte = self.archive.manifeste["empreinte_donnees"]
        precedente = (
            Restauration.objects.using(self.using)
            .filter(empreinte=empreinte, conventions__isnull=False)
            .order_by("-restauree_le")
            .first()
        )
        if precedente is not None:
            raise ArchiveRefusee(
                f"Cette archive a déjà été restaurée ici le {localtime(precedente.restauree_le):%d/%m/%Y à %H:%M} "
                "et ses conventions sont toujours là : la restauration n'est pas rejouée. Rien n'est écrit."
            )
        self._verifier_territoires()
        self._verifier_fichiers()

    def codes_territoires(self) -> dict:
        """The codes of the territories the archive refers to, by territory model."""
        codes: dict = {}
        sources = [*self.donnees.items(), (apps.get_model(perimetre.ORGANISATION), self.organisations)]
        for modele, enregistrements in sources:
            for champ in perimetre.cles(modele):
                if perimetre.cible(champ) == "territoire":
                    valeurs = {e.get(champ.name) for e in enregistrements} - {None}
                    codes.setdefault(champ.related_model, set()).update(valeurs)
        return codes

    def _verifier_territoires(self):
        for modele, valeurs in self.codes_territoires().items():
            presents = set(modele._base_manager.using(self.using).filter(pk__in=valeurs).values_list("pk", flat=True))
            if manquants := sorted(valeurs - presents):
                nom = modele._meta.verbose_name_plural if len(manquants) > 1 else modele._meta.verbose_name
                raise ArchiveRefusee(
                    f"Territoires de l'archive absents de cette instance : {len(manquants)} {nom} (code "
                    f"{', '.join(manquants[:10])}{' …' if len(manquants) > 10 else ''}). Importez d'abord les "
                    "territoires (ctg import_territoires) ; rien n'est écrit."
                )

    def _fichiers_requis(self, sans_organisations: bool = False) -> set[str]:
        requis = set()
        sources = [*self.donnees.items()]
        if not sans_organisations:
            sources.append((apps.get_model(perimetre.ORGANISATION), self.organisations))
        for modele, enregistrements in sources:
            for champ in modele._meta.concrete_fields:
                if isinstance(champ, models.FileField):
                    requis |= {e.get(champ.name) for e in enregistrements} - {None, ""}
        return requis

    def _fichiers_d_historique(self) -> set[str]:
        """The files old history rows name that the archive holds (one purged before the backup is not in it)."""
        noms = set()
        for modele, enregistrements in self.donnees.items():
            for champ in modele._meta.concrete_fields:
                if perimetre.fichier_d_historique(modele, champ):
                    noms |= {e.get(champ.name) for e in enregistrements}
        return noms & set(self.fichiers)

    def _verifier_fichiers(self):
        for nom in sorted(self._fichiers_requis()):
            if nom not in self.fichiers:
                raise ArchiveRefusee(f"Le fichier « {nom} » manque dans l'archive (partie fichiers/{nom}).")
        for nom, contenu in sorted(self.fichiers.items()):
            if default_storage.exists(nom):
                with default_storage.open(nom, "rb") as present:
                    if present.read() != contenu:
                        raise ArchiveRefusee(
                            f"Un autre fichier porte déjà le nom « {nom} » sur cette instance : rien n'est écrit."
                        )

    # --- plan and writing -------------------------------------------------------------------------------------

    def _organisation_existante(self, donnees):
        Organisation = apps.get_model(perimetre.ORGANISATION)
        requete = Organisation._base_manager.using(self.using).filter(type=donnees["type"])
        cles_naturelles = {"caf": ["departement"], "epci": ["epci"], "commune": ["commune"]}.get(
            donnees["type"], ["nom", "departement", "epci", "commune"]
        )
        filtre = {f"{c}_id" if c != "nom" else c: donnees.get(c) for c in cles_naturelles}
        return requete.filter(**filtre).order_by("pk").first()

    def bilan(self) -> Bilan:
        User = apps.get_model(perimetre.COMPTE)
        identifiants = [c["username"] for c in self.comptes]
        existants = set(
            User._base_manager.using(self.using).filter(username__in=identifiants).values_list("username", flat=True)
        )
        bilan = Bilan(
            conventions=[c.get("ctes_identifiant") or c.get("titre", "") for c in self._conventions()],
            enregistrements={
                perimetre.label(m): len(e) for m, e in sorted(self.donnees.items(), key=lambda x: perimetre.label(x[0]))
            },
            comptes_crees=sorted(set(identifiants) - existants),
            comptes_existants=sorted(existants),
            fichiers=len([n for n in self.fichiers if not default_storage.exists(n)]),
        )
        for donnees in self.organisations:
            existante = self._organisation_existante(donnees)
            (bilan.organisations_existantes if existante else bilan.organisations_creees).append(donnees["nom"])
        return bilan

    def ecrire(self) -> Bilan:
        """Write everything, in the caller's transaction; the files written are removed if anything fails."""
        bilan = self.bilan()
        ecrits: list[str] = []
        try:
            comptes = self._ecrire_comptes()
            organisations, logos = self._ecrire_organisations()
            nouveaux = self._numeroter()
            with _dates_telles_quelles(self.donnees):
                for modele, enregistrements in self.donnees.items():
                    objets = [self._objet(modele, e, nouveaux, comptes, organisations) for e in enregistrements]
                    modele._base_manager.using(self.using).bulk_create(objets)
            for nom in sorted(self._fichiers_requis(sans_organisations=True) | self._fichiers_d_historique() | logos):
                if not default_storage.exists(nom):
                    if default_storage.save(nom, ContentFile(self.fichiers[nom])) != nom:
                        raise ArchiveRefusee(f"Le fichier « {nom} » n'a pas pu être écrit sous son nom.")
                    ecrits.append(nom)
            self._journal(nouveaux)
        except BaseException:
            for nom in ecrits:
                default_storage.delete(nom)
            raise
        return bilan

    def _ecrire_comptes(self) -> dict[str, int]:
        User = apps.get_model(perimetre.COMPTE)
        gestionnaire = User._base_manager.using(self.using)
        identifiants = [c["username"] for c in self.comptes]
        existants = set(gestionnaire.filter(username__in=identifiants).values_list("username", flat=True))
        gestionnaire.bulk_create(
            [
                User(
                    username=c["username"],
                    first_name=c.get("first_name", ""),
                    last_name=c.get("last_name", ""),
                    email=c.get("email", ""),
                    is_active=False,
                    password=make_password(None),
                )
                for c in self.comptes
                if c["username"] not in existants
            ]
        )
        return dict(gestionnaire.filter(username__in=identifiants).values_list("username", "pk"))

    def _ecrire_organisations(self) -> tuple[dict[int, int], set[str]]:
        Organisation = apps.get_model(perimetre.ORGANISATION)
        rangs, logos = {}, set()
        for donnees in self.organisations:
            existante = self._organisation_existante(donnees)
            if existante is None:
                existante = Organisation(**self._champs_simples(Organisation, donnees))
                for champ in perimetre.cles(Organisation):
                    setattr(existante, champ.attname, donnees.get(champ.name))
                existante.save(using=self.using)
                if donnees.get("logo"):
                    logos.add(donnees["logo"])
            rangs[donnees["_id"]] = existante.pk
        return rangs, logos

    @staticmethod
    def _champs_simples(modele, donnees) -> dict:
        return {
            f.attname: _valeur(f, donnees[f.name])
            for f in modele._meta.concrete_fields
            if not f.primary_key and not f.is_relation and f.name in donnees
        }

    def _numeroter(self) -> dict:
        """Archive id -> new primary key, model by model: records and the deleted records history names."""
        references: dict = {m: {e["_id"] for e in enregistrements} for m, enregistrements in self.donnees.items()}
        for modele, enregistrements in self.donnees.items():
            liens = [(f.name, f.related_model) for f in perimetre.cles(modele) if perimetre.cible(f) == "archive"]
            if identite := perimetre.champ_identite(modele):
                liens.append((identite.name, perimetre.modele_d_origine(modele)))
            for enregistrement in enregistrements:
                for nom, cible in liens:
                    if enregistrement.get(nom) is not None:
                        references.setdefault(cible, set()).add(enregistrement[nom])
        nouveaux = {}
        for modele, ids in references.items():
            ordre = sorted(ids)
            nouveaux[modele] = dict(zip(ordre, _reserver(modele, len(ordre), self.using), strict=True))
        return nouveaux

    def _objet(self, modele, enregistrement, nouveaux, comptes, organisations):
        valeurs = {modele._meta.pk.attname: nouveaux[modele][enregistrement["_id"]]}
        identite = perimetre.champ_identite(modele)
        for champ in modele._meta.concrete_fields:
            if champ.primary_key or champ.name not in enregistrement:
                continue
            valeur = enregistrement[champ.name]
            if identite is not None and champ is identite:
                valeurs[champ.attname] = nouveaux[perimetre.modele_d_origine(modele)][valeur]
            elif not champ.is_relation:
                valeurs[champ.attname] = _valeur(champ, valeur)
            elif valeur is None:
                valeurs[champ.attname] = None
            else:
                genre = perimetre.cible(champ)
                correspondance = {
                    "archive": nouveaux.get(champ.related_model, {}),
                    "compte": comptes,
                    "organisation": organisations,
                }
                valeurs[champ.attname] = valeur if genre == "territoire" else correspondance[genre][valeur]
        return modele(**valeurs)

    def _journal(self, nouveaux):
        manifeste = self.archive.manifeste
        journal = Restauration.objects.using(self.using).create(
            empreinte=manifeste["empreinte_donnees"],
            archive_creee_le=str(manifeste.get("creee_le", ""))[:40],
            moteur_source=str(manifeste.get("moteur_source", ""))[:40],
            version_produit=str(manifeste.get("version_produit", ""))[:40],
        )
        Convention = apps.get_model(perimetre.RACINE)
        journal.conventions.set([nouveaux[Convention][c["_id"]] for c in self._conventions()])


def preparer(source, using: str = "default") -> Preparation:
    """Read and check the archive ``source`` (a path or a binary file); ``ArchiveRefusee`` if anything is wrong."""
    restauration = Preparation(archive.lire(source), using)
    restauration.verifier()
    return restauration


def restaurer(source, using: str = "default", essai: bool = False) -> Bilan:
    """Restore ``source`` on the database ``using``; with ``essai``, only check and say what would be created."""
    restauration = preparer(source, using)
    if essai:
        return restauration.bilan()
    try:
        with transaction.atomic(using=using), _incoherence():
            return restauration.ecrire()
    except IntegrityError as exc:
        raise ArchiveRefusee(
            f"L'archive entre en conflit avec une donnée déjà présente sur cette instance ({exc}) : rien n'est écrit."
        ) from exc

"""Backup: every record the conventions own (``perimetre``), their history, the accounts and organisations they
reference and their uploaded files, as the parts of an archive (``archive.ecrire``).

No database id is written. Each record gets an id relative to the archive (``_id``: its rank, by primary key, among
the saved records of its model) and a reference to a saved record is that id; a historical row may name a record
deleted since (its rank then comes after the live ones, by primary key). The restoration inserts the records in
that order under fresh keys taken in increasing order, so that the backup of a restored convention is the same,
byte for byte."""

import base64
import datetime as dt
import uuid
from decimal import Decimal

from django.apps import apps
from django.core.files.storage import default_storage
from django.db import models

from . import archive, perimetre
from .perimetre import label

PAQUET = 500


class SauvegardeImpossible(Exception):
    """The backup cannot be made as asked; the message says why, in French."""


def _paquets(valeurs, taille=PAQUET):
    valeurs = sorted(valeurs)
    for debut in range(0, len(valeurs), taille):
        yield valeurs[debut : debut + taille]


def selection(conventions, using="default") -> dict:
    """The primary keys of the records the ``conventions`` own, model by model (a fixed point over the graph)."""
    racine = apps.get_model(perimetre.RACINE)
    choisis = {m: set() for m in perimetre.modeles_sauvegardes()}
    choisis[racine] = {c.pk for c in conventions}
    a_revoir = True
    while a_revoir:
        a_revoir = False
        for modele in perimetre.modeles_sauvegardes():
            if modele is racine:
                continue
            liens = [(f.attname, f.related_model) for f in perimetre.aretes(modele)]
            if identite := perimetre.champ_identite(modele):
                liens.append((identite.attname, perimetre.modele_d_origine(modele)))
            trouves = set()
            for attribut, cible in liens:
                for paquet in _paquets(choisis[cible]):
                    trouves.update(
                        modele._base_manager.using(using)
                        .filter(**{f"{attribut}__in": paquet})
                        .values_list("pk", flat=True)
                    )
            if trouves - choisis[modele]:
                choisis[modele] |= trouves
                a_revoir = True
    return choisis


def _lignes(modele, pks, using):
    attributs = [f.attname for f in modele._meta.concrete_fields]
    lignes = []
    for paquet in _paquets(pks):
        lignes += modele._base_manager.using(using).filter(pk__in=paquet).values(*attributs)
    return sorted(lignes, key=lambda ligne: ligne[modele._meta.pk.attname])


def valeur_json(champ, valeur):
    """A field's value as written in the archive (the same text on SQLite and PostgreSQL)."""
    if valeur is None:
        return None
    if isinstance(champ, models.JSONField):
        return valeur
    if isinstance(valeur, dt.datetime):
        return valeur.astimezone(dt.UTC).isoformat()
    if isinstance(valeur, dt.date | dt.time):
        return valeur.isoformat()
    if isinstance(valeur, dt.timedelta):
        return valeur.total_seconds()
    if isinstance(valeur, Decimal):
        if getattr(champ, "decimal_places", None) is not None:
            valeur = valeur.quantize(Decimal(1).scaleb(-champ.decimal_places))
        return format(valeur, "f")
    if isinstance(valeur, uuid.UUID):
        return str(valeur)
    if isinstance(valeur, bytes | memoryview):
        return base64.b64encode(bytes(valeur)).decode("ascii")
    if isinstance(valeur, models.fields.files.FieldFile):
        return valeur.name or ""
    return valeur


def _cle_organisation(ligne) -> tuple:
    return tuple(ligne[c] or "" for c in ("type", "departement_id", "epci_id", "commune_id", "nom")) + (ligne["id"],)


class _Export:
    def __init__(self, conventions, using):
        self.using = using
        self.choisis = selection(conventions, using)
        self.lignes = {m: _lignes(m, pks, using) for m, pks in self.choisis.items() if pks}
        self.ids = {
            m: {ligne[m._meta.pk.attname]: n for n, ligne in enumerate(lignes, 1)} for m, lignes in self.lignes.items()
        }
        self.comptes: set = set()
        self.organisations: set = set()
        self.fichiers: dict[str, bytes] = {}
        self._numeroter_absents()

    def _references(self):
        """(model pointed to, primary key) of every reference to a saved record, historical ids included."""
        for modele, lignes in self.lignes.items():
            liens = [(f.attname, f.related_model) for f in perimetre.cles(modele) if perimetre.cible(f) == "archive"]
            if identite := perimetre.champ_identite(modele):
                liens.append((identite.attname, perimetre.modele_d_origine(modele)))
            for ligne in lignes:
                for attribut, cible in liens:
                    if ligne[attribut] is not None:
                        yield cible, ligne[attribut]

    def _numeroter_absents(self):
        absents: dict = {}
        for cible, pk in self._references():
            if pk not in self.ids.get(cible, {}):
                absents.setdefault(cible, set()).add(pk)
        for cible, pks in absents.items():
            ailleurs = sorted(cible._base_manager.using(self.using).filter(pk__in=pks).values_list("pk", flat=True))
            if ailleurs:
                raise SauvegardeImpossible(
                    f"Un enregistrement sauvegardé renvoie à {cible._meta.verbose_name} n° {ailleurs[0]}, qui "
                    "appartient à une autre convention (une convention précédente, une structure copiée…) : "
                    "sauvegardez-les ensemble (plusieurs conventions en une commande, ou --toutes)."
                )
            numeros = self.ids.setdefault(cible, {})
            for pk in sorted(pks):
                numeros[pk] = len(numeros) + 1

    def _champ(self, modele, champ, valeur):
        if valeur is None:
            return None
        if champ.is_relation:
            genre = perimetre.cible(champ)
            if genre == "archive":
                return self.ids[champ.related_model][valeur]
            if genre == "compte":
                self.comptes.add(valeur)
                return valeur  # replaced by the identifier in _comptes()
            if genre == "organisation":
                self.organisations.add(valeur)
                return valeur  # replaced by the organisation's rank in _organisations()
            if genre == "territoire":
                return valeur
            raise SauvegardeImpossible(f"Référence inconnue de la sauvegarde : {label(modele)}.{champ.name}.")
        if isinstance(champ, models.FileField) and valeur:
            self._fichier(valeur)
        elif valeur and perimetre.fichier_d_historique(modele, champ):
            self._fichier(valeur, historique=True)
        return valeur_json(champ, valeur)

    def _fichier(self, nom, historique: bool = False):
        """The file ``nom`` into the archive. A file an old history row names (a replaced attachment) is saved too
        while it is on the disk; one purged since (a transfer past its retention, article 7) stays out."""
        if nom in self.fichiers:
            return
        if not archive.nom_sur(f"fichiers/{nom}"):
            raise SauvegardeImpossible(f"Nom de fichier téléversé inattendu : « {nom} ».")
        try:
            with default_storage.open(nom, "rb") as fichier:
                self.fichiers[nom] = fichier.read()
        except OSError as exc:
            if historique:
                return
            raise SauvegardeImpossible(
                f"Le fichier téléversé « {nom} » est introuvable sur le disque ({exc.strerror or exc}) : "
                "la sauvegarde ne se fait pas sans lui."
            ) from exc

    def _enregistrements(self, modele, lignes, renvois):
        pk = modele._meta.pk
        identite = perimetre.champ_identite(modele)
        origine = perimetre.modele_d_origine(modele)
        sortie = []
        for ligne in lignes:
            enregistrement = {"_id": self.ids[modele][ligne[pk.attname]]}
            for champ in modele._meta.concrete_fields:
                if champ is pk:
                    continue
                valeur = ligne[champ.attname]
                if identite is not None and champ is identite:
                    enregistrement[champ.name] = self.ids[origine][valeur]
                    continue
                enregistrement[champ.name] = self._champ(modele, champ, valeur)
                if champ.is_relation and valeur is not None and perimetre.cible(champ) in ("compte", "organisation"):
                    renvois.append((enregistrement, champ.name, perimetre.cible(champ)))
            sortie.append(enregistrement)
        return sortie

    def parties(self) -> dict[str, bytes]:
        renvois: list = []
        donnees = {}
        for modele, lignes in self.lignes.items():
            contenu = {"modele": label(modele), "enregistrements": self._enregistrements(modele, lignes, renvois)}
            if origine := perimetre.modele_d_origine(modele):
                contenu["historique_de"] = label(origine)
            donnees[f"donnees/{label(modele)}.json"] = contenu
        organisations, rangs = self._organisations(renvois)
        comptes, identifiants = self._comptes()
        for enregistrement, nom, genre in renvois:
            enregistrement[nom] = (identifiants if genre == "compte" else rangs).get(enregistrement[nom])
        parties = {nom: archive.en_json(contenu) for nom, contenu in donnees.items()}
        if organisations:
            parties[f"references/{perimetre.ORGANISATION}.json"] = archive.en_json(organisations)
        if comptes:
            parties[f"references/{perimetre.COMPTE}.json"] = archive.en_json(comptes)
        parties.update({f"fichiers/{nom}": contenu for nom, contenu in self.fichiers.items()})
        return parties

    def _organisations(self, renvois):
        """The organisations referenced, by natural order (type, territory, name): their rank is their reference."""
        modele = apps.get_model(perimetre.ORGANISATION)
        lignes = sorted(_lignes(modele, self.organisations, self.using), key=_cle_organisation)
        rangs = {ligne["id"]: n for n, ligne in enumerate(lignes, 1)}
        enregistrements = []
        for ligne in lignes:
            enregistrement = {"_id": rangs[ligne["id"]]}
            for champ in modele._meta.concrete_fields:
                if not champ.primary_key:
                    valeur = ligne[champ.attname]
                    enregistrement[champ.name] = self._champ(modele, champ, valeur) if valeur is not None else None
            enregistrements.append(enregistrement)
        contenu = {"modele": perimetre.ORGANISATION, "enregistrements": enregistrements} if lignes else None
        return contenu, rangs

    def _comptes(self):
        """The accounts referenced: identifier, names and e-mail (never a password)."""
        modele = apps.get_model(perimetre.COMPTE)
        lignes = sorted(
            modele._base_manager.using(self.using)
            .filter(pk__in=self.comptes)
            .values("pk", "username", "first_name", "last_name", "email"),
            key=lambda ligne: ligne["username"],
        )
        identifiants = {ligne.pop("pk"): ligne["username"] for ligne in lignes}
        contenu = {"modele": perimetre.COMPTE, "enregistrements": lignes} if lignes else None
        return contenu, identifiants


def description(convention) -> dict:
    return {"ctes_identifiant": convention.ctes_identifiant, "titre": str(convention)}


def parties_de(conventions, using="default") -> dict[str, bytes]:
    """The archive's parts (names and bytes) for ``conventions``, the manifest apart."""
    return _Export(conventions, using).parties()


def sauvegarder(conventions, sortie, using="default") -> dict:
    """Write the archive of ``conventions`` to ``sortie`` (a path or a binary file); return its manifest."""
    conventions = sorted(conventions, key=lambda c: c.pk)
    if not conventions:
        raise SauvegardeImpossible("Aucune convention à sauvegarder.")
    return archive.ecrire(sortie, parties_de(conventions, using), [description(c) for c in conventions], using)

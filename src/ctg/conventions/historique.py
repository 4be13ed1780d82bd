"""The history page of a convention: every change to the convention and to everything it holds (audit trail).

The historized models are those django-simple-history registered (``historique = Historique()``). Each reaches
its convention through ``chemin_convention`` (an ORM path, "convention" by default; "pk" for the Convention
itself). Records of deleted objects still show: historical rows are selected by the convention's id — directly
(``convention_id``) for a direct foreign key, else through the ids of the parents that ever belonged to the
convention (live parents, and deleted ones found in the parents' own history). A few queries per model, none per
row. The page only reads: nobody edits or deletes the history.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import NamedTuple

from django import forms
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.core.paginator import Paginator
from django.db.models import OuterRef, Q, Subquery
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET
from simple_history.models import registered_models
from simple_history.utils import get_m2m_reverse_field_name

from ctg.audit import IDENTIFIANT_SYSTEME

from .acces import convention_visible

ENTREES_PAR_PAGE = 50
ACTIONS = {"+": "création", "~": "modification", "-": "suppression"}
CHEMINS_PROPRES = {"pk", "id", ""}
LONGUEUR_VALEUR = 200
COMMANDE = "commande ctg "  # how ctg.audit.par_commande names a command in the reason of a change


def _convention_modele():
    return apps.get_model("conventions", "Convention")


def chemin_de(modele) -> str:
    """The ORM path from ``modele`` to its convention ("convention" unless the model says otherwise)."""
    return getattr(modele, "chemin_convention", "convention")


def modele_historique(modele):
    """The historical model django-simple-history made for ``modele``."""
    return getattr(modele, modele._meta.simple_history_manager_attribute).model


def _atteint_la_convention(modele, chemin: str) -> bool:
    convention = _convention_modele()
    if chemin in CHEMINS_PROPRES:
        return modele is convention
    courant = modele
    for etape in chemin.split("__"):
        try:
            champ = courant._meta.get_field(etape)
        except FieldDoesNotExist:
            return False
        if not (champ.many_to_one or champ.one_to_one) or not champ.concrete:
            return False
        courant = champ.related_model
    return courant is convention


def modeles_historises() -> list:
    """Every historized model that belongs to a convention, the Convention first, then by verbose name."""
    modeles = {
        modele
        for modele in registered_models.values()
        if getattr(modele._meta, "simple_history_manager_attribute", None)
        and _atteint_la_convention(modele, chemin_de(modele))
    }
    return sorted(modeles, key=lambda m: (m is not _convention_modele(), str(m._meta.verbose_name)))


class _Collecte:
    """The historical rows of one convention, model by model (ids of parents computed once per model)."""

    def __init__(self, convention_pk):
        self.pk = convention_pk
        self._ids = {}

    def lignes(self, modele):
        """The historical rows of ``modele`` whose object belonged to the convention when recorded."""
        historique = modele_historique(modele)
        chemin = chemin_de(modele)
        if chemin in CHEMINS_PROPRES:
            return historique.objects.filter(**{modele._meta.pk.attname: self.pk})
        premier, _, reste = chemin.partition("__")
        champ = modele._meta.get_field(premier)
        if not reste:
            return historique.objects.filter(**{champ.attname: self.pk})
        parents = self.ids_ayant_appartenu(champ.related_model, reste)
        return historique.objects.filter(**{f"{champ.attname}__in": parents})

    def ids_ayant_appartenu(self, modele, chemin: str) -> frozenset:
        """The ids of the ``modele`` objects that belong or belonged to the convention: the live ones through
        ``chemin``, and, when ``modele`` is historized, the deleted ones found in its history."""
        if modele is _convention_modele():
            return frozenset([self.pk])
        if modele not in self._ids:
            ids = set(modele._base_manager.filter(**{chemin: self.pk}).values_list("pk", flat=True))
            if modele._meta.db_table in registered_models and _atteint_la_convention(modele, chemin_de(modele)):
                ids |= set(self.lignes(modele).values_list(modele._meta.pk.attname, flat=True).distinct())
            self._ids[modele] = frozenset(ids)
        return self._ids[modele]


class Reference(NamedTuple):
    """One historical row, light: enough to sort, filter and paginate before reading it whole."""

    modele: type
    history_id: int
    quand: datetime
    user_id: int | None


def collecter(convention, modeles=None) -> list[Reference]:
    """Every historical row of ``convention`` and of what it holds (or only of ``modeles``), newest first."""
    collecte = _Collecte(convention.pk)
    references = []
    for modele in modeles or modeles_historises():
        for history_id, quand, user_id in collecte.lignes(modele).values_list(
            "history_id", "history_date", "history_user_id"
        ):
            references.append(Reference(modele, history_id, quand, user_id))
    references.sort(key=lambda r: (r.quand, r.history_id), reverse=True)
    return references


@dataclass
class Changement:
    champ: str
    avant: str
    apres: str


@dataclass
class Entree:
    """One line of the history page."""

    quand: datetime
    qui: str
    type_objet: str
    objet: str
    action: str
    motif: str = ""
    changements: list[Changement] = field(default_factory=list)


def nom_de(user) -> str:
    if user is None:
        return "inconnu"
    if user.username == IDENTIFIANT_SYSTEME:
        return "CTG (système)"
    return user.get_full_name() or user.username


def _qui_et_motif(ligne) -> tuple[str, str]:
    """("Camille Démo", "") for a page; ("CTG (système) — commande ctg actualiser", "") for a command; the reason
    of the change apart ("Création", "Entrée en vigueur (date de début)"…)."""
    qui = nom_de(ligne.history_user)
    motif = ligne.history_change_reason or ""
    debut = motif.find(COMMANDE)
    if debut >= 0:
        qui = f"{qui} — {motif[debut:].rstrip(')')}"
        motif = motif[:debut].rstrip(" —(").strip()
    return qui, motif


def _instance(modele, ligne):
    """The object as recorded in ``ligne`` (without the extra query simple-history makes for excluded fields)."""
    valeurs = {f.attname: getattr(ligne, f.attname) for f in modele._meta.concrete_fields if hasattr(ligne, f.attname)}
    return modele(**valeurs)


def _cles_etrangeres(modele) -> list:
    return [f for f in modele._meta.concrete_fields if f.many_to_one or f.one_to_one]


def _objets_lies(demandes: dict) -> dict:
    """{(related model, pk): object} for every (model -> ids) asked, one query per model."""
    trouves = {}
    for modele, ids in demandes.items():
        ids = {i for i in ids if i is not None}
        if ids:
            for pk, objet in modele._base_manager.select_related().in_bulk(ids).items():
                trouves[(modele, pk)] = objet
    return trouves


def _libelle(instance, objets) -> str:
    for champ in _cles_etrangeres(type(instance)):
        objet = objets.get((champ.related_model, getattr(instance, champ.attname)))
        if objet is not None:
            champ.set_cached_value(instance, objet)
    try:
        return str(instance)
    except ObjectDoesNotExist:
        return f"{instance._meta.verbose_name} n° {instance.pk}"


def _court(texte: str) -> str:
    return texte if len(texte) <= LONGUEUR_VALEUR else texte[: LONGUEUR_VALEUR - 1] + "…"


def _ids_lies(champ, valeur) -> list:
    """The ids of the objects a foreign key or a many-to-many value (rows of its through table) names."""
    if champ.many_to_many:
        cible = get_m2m_reverse_field_name(champ)
        return [ligne.get(cible) for ligne in valeur or []]
    return [valeur]


def valeur_lisible(champ, valeur, objets=None) -> str:
    """A recorded value as a person reads it: choices by their label, a related object by its name, dates in
    French order, booleans as oui/non."""
    if valeur is None or valeur == "" or valeur == [] or valeur == {}:
        return "—"
    if champ.many_to_many:
        noms = [str((objets or {}).get((champ.related_model, pk), f"n° {pk}")) for pk in _ids_lies(champ, valeur)]
        return _court(", ".join(noms))
    if champ.choices:
        return _court(str(dict(champ.flatchoices).get(valeur, valeur)))
    if champ.many_to_one or champ.one_to_one:
        objet = (objets or {}).get((champ.related_model, valeur))
        return _court(str(objet)) if objet is not None else f"n° {valeur} (supprimé)"
    if isinstance(valeur, bool):
        return "oui" if valeur else "non"
    if isinstance(valeur, datetime):
        return timezone.localtime(valeur).strftime("%d/%m/%Y %H:%M") if timezone.is_aware(valeur) else f"{valeur}"
    if isinstance(valeur, date):
        return valeur.strftime("%d/%m/%Y")
    if isinstance(valeur, list):
        return _court(", ".join(str(v) for v in valeur))
    if isinstance(valeur, dict):
        return _court(json.dumps(valeur, ensure_ascii=False))
    return _court(str(valeur))


def detailler(references: list[Reference]) -> list[Entree]:
    """The lines of the page for ``references`` (one page): a few queries per model, none per row."""
    par_modele = {}
    for reference in references:
        par_modele.setdefault(reference.modele, []).append(reference.history_id)
    lignes, precedents = {}, {}
    for modele, history_ids in par_modele.items():
        historique = modele_historique(modele)
        pk = modele._meta.pk.attname
        precedent = (
            historique.objects.filter(**{pk: OuterRef(pk)})
            .filter(
                Q(history_date__lt=OuterRef("history_date"))
                | Q(history_date=OuterRef("history_date"), history_id__lt=OuterRef("history_id"))
            )
            .order_by("-history_date", "-history_id")
            .values("history_id")[:1]
        )
        rangees = historique.objects.filter(history_id__in=history_ids).select_related("history_user")
        for ligne in rangees.annotate(precedent_id=Subquery(precedent)):
            lignes[(modele, ligne.history_id)] = ligne
        ids_precedents = [ligne.precedent_id for (m, _), ligne in lignes.items() if m is modele and ligne.precedent_id]
        for history_id, ligne in historique.objects.in_bulk(ids_precedents).items():
            precedents[(modele, history_id)] = ligne

    # Diffs first, to fetch every related object the page names (labels and changed foreign keys) at once.
    diffs = {}
    demandes = {}
    for (modele, history_id), ligne in lignes.items():
        for champ in _cles_etrangeres(modele):
            demandes.setdefault(champ.related_model, set()).add(getattr(ligne, champ.attname))
        precedent = precedents.get((modele, ligne.precedent_id))
        if ligne.history_type == "~" and precedent is not None:
            delta = ligne.diff_against(precedent)
            diffs[(modele, history_id)] = delta.changes
            for changement in delta.changes:
                champ = modele._meta.get_field(changement.field)
                if champ.is_relation:
                    demandes.setdefault(champ.related_model, set()).update(
                        _ids_lies(champ, changement.old) + _ids_lies(champ, changement.new)
                    )
    objets = _objets_lies(demandes)

    entrees = []
    for reference in references:
        modele = reference.modele
        ligne = lignes.get((modele, reference.history_id))
        if ligne is None:
            continue
        qui, motif = _qui_et_motif(ligne)
        changements = []
        for changement in diffs.get((modele, reference.history_id), []):
            champ = modele._meta.get_field(changement.field)
            changements.append(
                Changement(
                    str(champ.verbose_name),
                    valeur_lisible(champ, changement.old, objets),
                    valeur_lisible(champ, changement.new, objets),
                )
            )
        entrees.append(
            Entree(
                quand=ligne.history_date,
                qui=qui,
                type_objet=str(modele._meta.verbose_name).capitalize(),
                objet=_libelle(_instance(modele, ligne), objets),
                action=ACTIONS.get(ligne.history_type, ligne.history_type),
                motif=motif,
                changements=changements,
            )
        )
    return entrees


class FiltreHistorique(forms.Form):
    type = forms.ChoiceField(label="Type d'objet", required=False)
    personne = forms.ChoiceField(label="Personne", required=False)

    def __init__(self, *args, references=(), **kwargs):
        super().__init__(*args, **kwargs)
        modeles = sorted({r.modele for r in references}, key=lambda m: str(m._meta.verbose_name))
        self.fields["type"].choices = [("", "Tous")] + [
            (m._meta.label_lower, str(m._meta.verbose_name).capitalize()) for m in modeles
        ]
        personnes = get_user_model().objects.in_bulk({r.user_id for r in references if r.user_id is not None})
        self.fields["personne"].choices = [("", "Toutes")] + sorted(
            ((str(pk), nom_de(user)) for pk, user in personnes.items()), key=lambda choix: choix[1].lower()
        )

    def filtrer(self, references: list[Reference]) -> list[Reference]:
        type_objet, personne = self.cleaned_data.get("type"), self.cleaned_data.get("personne")
        if type_objet:
            references = [r for r in references if r.modele._meta.label_lower == type_objet]
        if personne:
            references = [r for r in references if str(r.user_id) == personne]
        return references


@login_required
@require_GET
def page(request, pk):
    """Who changed what and when, newest first, filterable by type of object and by person."""
    convention = convention_visible(request, pk)
    references = collecter(convention)
    form = FiltreHistorique(request.GET or None, references=references)
    if form.is_bound and form.is_valid():
        references = form.filtrer(references)
    page_courante = Paginator(references, ENTREES_PAR_PAGE).get_page(request.GET.get("page"))
    parametres = request.GET.copy()
    parametres.pop("page", None)
    return render(
        request,
        "conventions/historique.html",
        {
            "convention": convention,
            "form": form,
            "page": page_courante,
            "entrees": detailler(list(page_courante.object_list)),
            "parametres": parametres.urlencode(),
        },
    )

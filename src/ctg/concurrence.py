"""Optimistic concurrency for edit forms: a form carries the version of the record it was read at, and saving a
stale form is refused with what changed since (who, when, which fields), read from the audit trail.

A model opts in by inheriting ``Versionne`` (and declaring ``historique = Historique()``); its ModelForm by
inheriting ``FormulaireVersionne``. The check and the increment run under a row lock (``select_for_update``, a
real lock on PostgreSQL; SQLite serialises writers), so two saves of the same version give one success.
"""

from __future__ import annotations

from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone


class Versionne(models.Model):
    version = models.PositiveIntegerField("version", default=1, editable=False)

    class Meta:
        abstract = True


class VersionPerimee(ValidationError):
    pass


def _valeur(valeur) -> str:
    if isinstance(valeur, date):
        valeur = f"{valeur:%d/%m/%Y}"
    texte = "—" if valeur in (None, "") else str(valeur)
    return texte if len(texte) <= 60 else texte[:57] + "…"


def changements_depuis(instance: Versionne, version_lue: int) -> list[str]:
    """What changed in ``instance`` since ``version_lue``, in words, from its audit trail."""
    historique = getattr(type(instance), "historique", None)
    if historique is None:
        return []
    lignes = []
    enregistrements = list(instance.historique.filter(version__gte=version_lue).order_by("history_date", "history_id"))
    lus = [e for e in enregistrements if e.version == version_lue]
    if lus:  # from the state the form was read at
        enregistrements = enregistrements[enregistrements.index(lus[-1]) :]
    for avant, apres in zip(enregistrements, enregistrements[1:], strict=False):
        delta = apres.diff_against(avant, excluded_fields=["version"])
        qui = apres.history_user.get_full_name() or apres.history_user.username if apres.history_user else "CTG"
        quand = timezone.localtime(apres.history_date)
        for changement in delta.changes:
            libelle = type(instance)._meta.get_field(changement.field).verbose_name
            lignes.append(
                f"« {libelle} » modifié par {qui} le {quand:%d/%m/%Y à %H:%M} : "
                f"{_valeur(changement.old)} → {_valeur(changement.new)}"
            )
    return lignes


def _perimee(instance: Versionne, version_lue: int) -> VersionPerimee:
    changements = changements_depuis(instance, version_lue) or ["(détail indisponible)"]
    return VersionPerimee(
        "Ce contenu a été modifié depuis que vous l'avez ouvert ; vos changements n'ont pas été enregistrés. "
        "Modifications intervenues entre-temps : " + " ; ".join(changements) + ". "
        "Rechargez la page pour repartir de la version actuelle.",
        code="version_perimee",
    )


def verifier_version(instance: Versionne, version_lue: int) -> None:
    """Lock ``instance``'s row and refuse if it moved past ``version_lue``; then bump its version (the caller
    saves it, inside the same transaction)."""
    actuelle = type(instance)._default_manager.select_for_update().only("version").get(pk=instance.pk).version
    if actuelle != version_lue:
        raise _perimee(instance, version_lue)
    instance.version = actuelle + 1


class FormulaireVersionne(forms.ModelForm):
    """A ModelForm whose save is refused when the record changed since the form was displayed."""

    version_lue = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version_lue"].initial = self.instance.version

    def clean(self):
        donnees = super().clean()
        if self.instance.pk:
            lue = donnees.get("version_lue")
            if lue is None:
                raise ValidationError("Formulaire incomplet (version lue absente) : rechargez la page.")
            actuelle = (
                type(self.instance)._default_manager.filter(pk=self.instance.pk).values_list("version", flat=True)
            )
            if actuelle and actuelle[0] != lue:
                raise _perimee(self.instance, lue)
        return donnees

    @transaction.atomic
    def save(self, commit=True):
        if self.instance.pk and commit:
            try:
                verifier_version(self.instance, self.cleaned_data["version_lue"])
            except VersionPerimee as exc:
                self.add_error(None, exc)
                raise
        return super().save(commit=commit)

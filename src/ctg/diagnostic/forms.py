from django import forms
from django.db import transaction

from ctg.concurrence import FormulaireVersionne
from ctg.conventions.forms import DATE
from ctg.conventions.models import Domaine
from ctg.saisie import SaisieControlee

from .models import Besoin, Contribution, DiagnosticConvention
from .partage import verifier_modifiable


class SyntheseForm(SaisieControlee, FormulaireVersionne):
    """The synthesis and the shared comment of each domain, saved together by ``partage.enregistrer_texte``;
    refused once the diagnostic is no longer a draft, and refused when someone else saved it since the form was
    displayed (``ctg.concurrence``)."""

    class Meta:
        model = DiagnosticConvention
        fields = ["synthese"]
        labels = {"synthese": "Synthèse du diagnostic partagé"}
        widgets = {"synthese": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        commentaires = {c.domaine: c.texte for c in self.instance.commentaires.all()}
        for code, libelle in Domaine.choices:
            self.fields[f"domaine_{code}"] = forms.CharField(
                label=f"Commentaire partagé : {libelle}",
                widget=forms.Textarea(attrs={"rows": 3}),
                required=False,
                initial=commentaires.get(code, ""),
            )

    def clean(self):
        verifier_modifiable(self.instance)
        return super().clean()

    def commentaires(self) -> dict[str, str]:
        return {code: self.cleaned_data.get(f"domaine_{code}", "").strip() for code in Domaine.values}


class _PartieForm(SaisieControlee, forms.ModelForm):
    """A need or a contribution: refused once the diagnostic is no longer a draft."""

    def __init__(self, *args, diagnostic, **kwargs):
        super().__init__(*args, **kwargs)
        self.diagnostic = diagnostic

    def clean(self):
        verifier_modifiable(self.diagnostic)
        return super().clean()


class BesoinForm(_PartieForm):
    domaine = forms.ChoiceField(label="Domaine", choices=Domaine.choices)
    communes = forms.MultipleChoiceField(
        label="Communes concernées", required=False, widget=forms.CheckboxSelectMultiple
    )
    indicateurs = forms.MultipleChoiceField(
        label="Indicateurs qui l'étayent", required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Besoin
        fields = ["domaine", "intitule", "description", "public", "priorite"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, communes=(), indicateurs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["communes"].choices = list(communes)
        self.fields["indicateurs"].choices = list(indicateurs)
        if self.instance.pk:
            self.initial["communes"] = list(self.instance.communes.values_list("code", flat=True))
            self.initial["indicateurs"] = self.instance.indicateurs

    @transaction.atomic
    def save(self):
        """Saves the need with its communes and indicators."""
        besoin = super().save(commit=False)
        besoin.diagnostic = self.diagnostic
        besoin.indicateurs = self.cleaned_data["indicateurs"]
        besoin.save()
        besoin.communes.set(self.cleaned_data["communes"])
        return besoin


class ContributionForm(_PartieForm):
    domaine = forms.ChoiceField(label="Domaine", choices=[("", "tous domaines"), *Domaine.choices], required=False)

    class Meta:
        model = Contribution
        fields = ["auteur", "domaine", "date", "texte"]
        widgets = {"date": DATE, "texte": forms.Textarea(attrs={"rows": 4})}

    def save(self):
        contribution = super().save(commit=False)
        contribution.diagnostic = self.diagnostic
        contribution.save()
        return contribution


class DateForm(SaisieControlee, forms.Form):
    date = forms.DateField(label="Date", widget=DATE)

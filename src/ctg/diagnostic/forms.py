from django import forms

from ctg.conventions.forms import DATE
from ctg.conventions.models import Domaine

from .models import Besoin, Contribution


class SyntheseForm(forms.Form):
    synthese = forms.CharField(
        label="Synthèse du diagnostic partagé", widget=forms.Textarea(attrs={"rows": 6}), required=False
    )

    def __init__(self, *args, **kwargs):
        commentaires = kwargs.pop("commentaires", {})
        super().__init__(*args, **kwargs)
        for code, libelle in Domaine.choices:
            self.fields[f"domaine_{code}"] = forms.CharField(
                label=f"Commentaire partagé : {libelle}",
                widget=forms.Textarea(attrs={"rows": 3}),
                required=False,
                initial=commentaires.get(code, ""),
            )

    def commentaires(self) -> dict[str, str]:
        return {code: self.cleaned_data.get(f"domaine_{code}", "").strip() for code in Domaine.values}


class BesoinForm(forms.ModelForm):
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

    def save(self):
        """Saves the need with its communes and indicators (the caller sets ``instance.diagnostic`` first)."""
        besoin = super().save(commit=False)
        besoin.indicateurs = self.cleaned_data["indicateurs"]
        besoin.save()
        besoin.communes.set(self.cleaned_data["communes"])
        return besoin


class ContributionForm(forms.ModelForm):
    domaine = forms.ChoiceField(label="Domaine", choices=[("", "tous domaines"), *Domaine.choices], required=False)

    class Meta:
        model = Contribution
        fields = ["auteur", "domaine", "date", "texte"]
        widgets = {"date": DATE, "texte": forms.Textarea(attrs={"rows": 4})}


class DateForm(forms.Form):
    date = forms.DateField(label="Date", widget=DATE)

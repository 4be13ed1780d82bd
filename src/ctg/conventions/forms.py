from django import forms
from django.core.exceptions import ValidationError

from ctg.comptes.models import Role
from ctg.territoires.models import Departement, Epci

from .models import Adhesion, Avenant, Convention, Domaine, ModeResiliation, Partie, Signataire
from .regles import REGLES_RESILIATION

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CreationForm(forms.Form):
    epci = forms.CharField(
        label="SIREN de l'intercommunalité (EPCI)", max_length=9, help_text="9 chiffres, ex. 200068500"
    )
    departement_caf = forms.CharField(
        label="Département de la Caf", max_length=3, required=False, help_text="par défaut : celui de l'EPCI"
    )
    date_debut = forms.DateField(label="Date de début", widget=DATE)
    date_fin = forms.DateField(
        label="Date de fin", widget=DATE, required=False, help_text="par défaut : 31 décembre de l'année N+4"
    )

    def clean_epci(self):
        code = self.cleaned_data["epci"].strip()
        epci = Epci.objects.filter(code=code).first()
        if epci is None:
            raise ValidationError(f"Aucun EPCI de SIREN « {code} » dans le référentiel des territoires.")
        return epci

    def clean_departement_caf(self):
        code = self.cleaned_data["departement_caf"].strip().upper()
        if not code:
            return None
        departement = Departement.objects.filter(code=code).first()
        if departement is None:
            raise ValidationError(f"Aucun département de code « {code} ».")
        return departement


class ConventionForm(forms.ModelForm):
    domaines = forms.MultipleChoiceField(
        label="Domaines d'intervention", choices=Domaine.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    visas = forms.CharField(
        label="Visas (un « Vu … » par ligne)", widget=forms.Textarea(attrs={"rows": 8}), required=False
    )
    tribunal_administratif = forms.CharField(
        label="Tribunal administratif dont relève la Caf (article 13)",
        max_length=200,
        required=False,
        help_text="ex. Tribunal administratif de Lille ; enregistré sur la fiche de la Caf",
    )

    class Meta:
        model = Convention
        fields = [
            "titre",
            "date_debut",
            "date_fin",
            "domaines",
            "ctes_identifiant",
            "envoye_prefecture_le",
            "recu_prefecture_le",
            "affiche_le",
            "deliberation_instance",
            "deliberation_date",
            "deliberation_numero",
            "annexe1",
            "chef_projet_nom",
            "chef_projet_fonction",
            "diagnostic_valide_le",
            "objectifs_identifies_le",
        ]
        widgets = {
            f: DATE
            for f in [
                "date_debut",
                "date_fin",
                "envoye_prefecture_le",
                "recu_prefecture_le",
                "affiche_le",
                "deliberation_date",
                "diagnostic_valide_le",
                "objectifs_identifies_le",
            ]
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["visas"] = "\n".join(v.texte for v in self.instance.visas.all())
            self.initial["tribunal_administratif"] = self.instance.caf.tribunal_administratif
        self.fields["annexe1"].widget = forms.RadioSelect(choices=self.fields["annexe1"].choices)

    def clean_ctes_identifiant(self):
        return (self.cleaned_data.get("ctes_identifiant") or "").strip() or None

    def lignes_visas(self) -> list[str]:
        return [ligne.strip() for ligne in self.cleaned_data.get("visas", "").splitlines() if ligne.strip()]


class SignataireForm(forms.ModelForm):
    class Meta:
        model = Signataire
        fields = ["partie", "ordre", "civilite", "prenom", "nom", "qualite", "qualite_autre"]


SignataireFormSet = forms.inlineformset_factory(
    Convention, Signataire, form=SignataireForm, extra=1, can_delete=True, min_num=0
)


class AvenantForm(forms.ModelForm):
    class Meta:
        model = Avenant
        fields = ["date", "objet", "signataires", "ctes_identifiant"]
        widgets = {
            "date": DATE,
            "objet": forms.Textarea(attrs={"rows": 3}),
            "signataires": forms.Textarea(attrs={"rows": 2}),
        }


class AdhesionForm(forms.ModelForm):
    class Meta:
        model = Adhesion
        fields = ["statut", "maire_civilite", "maire_prenom", "maire_nom", "date_deliberation", "ancienne_commune_cej"]
        widgets = {"date_deliberation": DATE}

    def clean(self):
        donnees = super().clean()
        if donnees.get("statut") == "adheree" and not donnees.get("date_deliberation"):
            self.add_error("date_deliberation", "Indiquez la date de la délibération du conseil municipal.")
        return donnees


class SignatureForm(forms.Form):
    date_signature = forms.DateField(label="Date de signature", widget=DATE)


class ResiliationForm(forms.Form):
    mode = forms.ChoiceField(
        label="Motif de fin (article 12)", choices=ModeResiliation.choices, widget=forms.RadioSelect
    )
    date_envoi = forms.DateField(label="Date d'envoi de la lettre recommandée ou du préavis", widget=DATE)
    initiative = forms.ChoiceField(label="À l'initiative de", choices=Partie.choices)
    motif = forms.CharField(label="Motif", widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def clean(self):
        donnees = super().clean()
        mode, initiative = donnees.get("mode"), donnees.get("initiative")
        if mode and initiative and REGLES_RESILIATION[mode].par_la_caf_seulement and initiative != "caf":
            self.add_error("initiative", f"{REGLES_RESILIATION[mode].titre} : seule la Caf peut la prononcer.")
        return donnees


class InvitationForm(forms.Form):
    email = forms.EmailField(label="Adresse électronique")
    role = forms.ChoiceField(label="Rôle", choices=Role.choices)
    commune = forms.ChoiceField(label="Commune (pour un·e référent·e)", required=False)

    def __init__(self, *args, convention=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.convention = convention
        self.fields["commune"].choices = [("", "—")] + [
            (a.commune_id, a.commune.nom) for a in convention.adhesions.select_related("commune")
        ]

    def clean(self):
        donnees = super().clean()
        if donnees.get("role") == Role.REFERENT_COMMUNE and not donnees.get("commune"):
            self.add_error("commune", "Choisissez la commune dont la personne sera référente.")
        return donnees

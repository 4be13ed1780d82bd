from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.forms import inlineformset_factory

from ctg import horloge
from ctg.comptes.models import Organisation
from ctg.territoires.models import Commune

from .models import Bareme, Capacite, Cej, Conclusion, FinancementReel, LigneCej, Structure

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TAILLE_PIECE = 5 * 1024 * 1024


class Localise:
    """Amounts typed the French way: "152000,50" (a dot is accepted too)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for champ in self.fields.values():
            if isinstance(champ, forms.DecimalField):
                champ.localize = True
                champ.widget.is_localized = True
                champ.widget.input_type = "text"
                champ.widget.attrs.setdefault("inputmode", "decimal")


def communes_de(convention):
    return Commune.objects.filter(epci=convention.epci).order_by("nom")


class StructureForm(Localise, forms.ModelForm):
    gestionnaire = forms.ModelChoiceField(
        label="Gestionnaire",
        queryset=Organisation.objects.order_by("nom"),
        required=False,
        help_text="un organisme déjà connu, ou saisissez-en un nouveau ci-dessous",
    )
    nouveau_gestionnaire = forms.CharField(label="Nouveau gestionnaire", max_length=200, required=False)
    capacite_depuis = forms.DateField(
        label="Capacité à compter du",
        widget=DATE,
        required=False,
        help_text="une nouvelle capacité à partir de cette date ; l'historique est conservé",
    )
    places = forms.IntegerField(label="Places", min_value=0, required=False)
    places_employeurs = forms.IntegerField(
        label="dont places réservées par des employeurs", min_value=0, required=False
    )
    heures = forms.DecimalField(label="Heures par an", min_value=0, decimal_places=2, required=False)
    etp = forms.DecimalField(label="ETP", min_value=0, decimal_places=2, required=False)

    class Meta:
        model = Structure
        fields = [
            "nom",
            "type",
            "reference",
            "gestionnaire",
            "commune",
            "communes_desservies",
            "psu",
            "cofinancee",
            "en_qpv",
            "en_zrr",
            "date_ouverture",
            "date_fermeture",
        ]
        widgets = {
            "date_ouverture": DATE,
            "date_fermeture": DATE,
            "communes_desservies": forms.SelectMultiple(attrs={"size": 6}),
        }

    def __init__(self, *args, convention, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = communes_de(convention)
        self.fields["communes_desservies"].queryset = communes_de(convention)
        actuelle = self.instance.capacites.last() if self.instance.pk else None
        if actuelle:
            for champ in ("places", "places_employeurs", "heures", "etp"):
                self.fields[champ].initial = getattr(actuelle, champ)
        else:
            self.fields["capacite_depuis"].help_text = "par défaut : la date d'ouverture"

    def clean(self):
        donnees = super().clean()
        if not donnees.get("gestionnaire") and not donnees.get("nouveau_gestionnaire", "").strip():
            self.add_error("gestionnaire", "Choisissez le gestionnaire ou saisissez-en un nouveau.")
        places, employeurs = donnees.get("places") or 0, donnees.get("places_employeurs") or 0
        if employeurs > places:
            self.add_error("places_employeurs", "Plus de places réservées par des employeurs que de places.")
        return donnees

    def save(self, commit=True):
        structure = super().save(commit=False)
        nouveau = self.cleaned_data.get("nouveau_gestionnaire", "").strip()
        if nouveau:
            structure.gestionnaire, _ = Organisation.objects.get_or_create(type=Organisation.Type.AUTRE, nom=nouveau)
        structure.save()
        self.save_m2m()
        capacite = {c: self.cleaned_data.get(c) for c in ("places", "places_employeurs", "heures", "etp")}
        actuelle = structure.capacites.last()
        valeurs = (capacite["places"] or 0, capacite["places_employeurs"] or 0, capacite["heures"], capacite["etp"])
        inchangee = actuelle and (actuelle.places, actuelle.places_employeurs, actuelle.heures, actuelle.etp) == valeurs
        if not inchangee and any(v for v in valeurs):
            depuis = self.cleaned_data.get("capacite_depuis") or structure.date_ouverture or horloge.aujourd_hui()
            Capacite.objects.update_or_create(
                structure=structure,
                depuis=depuis,
                defaults={
                    "places": valeurs[0],
                    "places_employeurs": valeurs[1],
                    "heures": valeurs[2],
                    "etp": valeurs[3],
                },
            )
        return structure


class CejForm(forms.ModelForm):
    class Meta:
        model = Cej
        fields = ["commune", "intitule", "date_debut", "date_fin", "annee_reference", "actions", "commentaire"]
        widgets = {
            "date_debut": DATE,
            "date_fin": DATE,
            "actions": forms.Textarea(attrs={"rows": 3}),
            "commentaire": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, convention, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = communes_de(convention)


class LigneCejForm(Localise, forms.ModelForm):
    class Meta:
        model = LigneCej
        fields = ["structure", "montant_n1", "unites_reference", "engagement_commune"]


LigneCejFormSet = inlineformset_factory(Cej, LigneCej, form=LigneCejForm, extra=2, can_delete=True)


class FinancementForm(Localise, forms.ModelForm):
    class Meta:
        model = FinancementReel
        fields = ["structure", "annee", "document", "montant_commune", "montant_autres", "commentaire"]

    def __init__(self, *args, structures, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["structure"].queryset = structures
        self.fields["annee"].widget = forms.NumberInput(attrs={"min": 2000, "max": 2100})

    def _post_clean(self):
        pass  # an existing line for the same structure, year and document is updated (see the view)


class ImportForm(forms.Form):
    fichier = forms.FileField(
        label="Fichier XLSX ou CSV",
        help_text="colonnes : Année ; Commune (code Insee) ; Structure ; Référence de la structure ; Document ; "
        "Financement de la commune (€) ; Autres financeurs (€) ; Commentaire",
    )
    essai = forms.BooleanField(label="Essai : vérifier sans rien enregistrer", required=False)


class VerificationForm(forms.Form):
    annee = forms.IntegerField(label="Année vérifiée", min_value=2000, max_value=2100)
    conclusion = forms.ChoiceField(label="Conclusion", choices=Conclusion.choices)
    documents = forms.CharField(
        label="Documents examinés",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="un par ligne : budget ou compte de résultat de telle structure, délibération…",
    )
    commentaire = forms.CharField(label="Commentaire", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    fichier = forms.FileField(label="Pièce jointe (5 Mo au plus)", required=False)

    def clean_fichier(self):
        fichier = self.cleaned_data.get("fichier")
        if fichier and fichier.size > TAILLE_PIECE:
            raise ValidationError("Pièce jointe trop volumineuse (5 Mo au plus).")
        return fichier


class SimulationForm(forms.Form):
    commune = forms.ModelChoiceField(label="Commune", queryset=Commune.objects.none())
    places = forms.IntegerField(label="Nombre de places", min_value=1, max_value=500, initial=20)
    places_employeurs = forms.IntegerField(
        label="dont places réservées par des employeurs", min_value=0, initial=0, required=False
    )
    ouverture = forms.DateField(label="Date d'ouverture", widget=DATE)
    en_qpv = forms.BooleanField(label="En quartier prioritaire (QPV)", required=False)
    en_zrr = forms.BooleanField(label="En zone de revitalisation rurale (ZRR)", required=False)

    def __init__(self, *args, convention, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = communes_de(convention)
        self.fields["ouverture"].initial = date(horloge.aujourd_hui().year + 1, 1, 1)

    def clean(self):
        donnees = super().clean()
        if (donnees.get("places_employeurs") or 0) > (donnees.get("places") or 0):
            self.add_error("places_employeurs", "Plus de places réservées par des employeurs que de places.")
        return donnees


CHAMPS_REVISION = [
    "montant",
    "seuil_potentiel_financier",
    "seuil_revenu",
    "seuil_croissance",
    "arrondi",
    "source",
    "note",
    "a_confirmer",
]


class RevisionBaremeForm(Localise, forms.ModelForm):
    """A new value from a date: the current row is closed the day before (history kept)."""

    class Meta:
        model = Bareme
        fields = ["valide_du", *CHAMPS_REVISION]
        widgets = {
            "valide_du": DATE,
            "source": forms.Textarea(attrs={"rows": 2}),
            "note": forms.Textarea(attrs={"rows": 2}),
        }
        labels = {"valide_du": "Nouvelle valeur à compter du"}

    def validate_unique(self):
        pass

    def _post_clean(self):
        pass  # the model is validated by ``baremes.reviser``, with the old row closed first


class NouveauBaremeForm(Localise, forms.ModelForm):
    class Meta:
        model = Bareme
        fields = [
            "type_structure",
            "nature",
            "unite",
            "tranche",
            "valide_du",
            "valide_au",
            "annee_base",
            *CHAMPS_REVISION,
        ]
        widgets = {
            "valide_du": DATE,
            "valide_au": DATE,
            "source": forms.Textarea(attrs={"rows": 2}),
            "note": forms.Textarea(attrs={"rows": 2}),
        }

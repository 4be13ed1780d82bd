from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.forms import inlineformset_factory

from ctg import horloge
from ctg.comptes.models import Organisation
from ctg.concurrence import FormulaireVersionne
from ctg.saisie import SaisieControlee
from ctg.televersement import CSV, DOCX, JPEG, ODS, ODT, PDF, PNG, XLSX, ChampFichier, en_mo, liste_des_types
from ctg.territoires.models import Commune

from .importation import TAILLE_MAX as TAILLE_IMPORT
from .models import ANNEE_MAX, ANNEE_MIN, Bareme, Cej, Conclusion, FinancementReel, LigneCej, Structure
from .regles import communes_membres, enregistrer_structure, gestionnaires_possibles

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# The Caf's verification attachments: budgets, comptes de résultat, deliberations, as documents, spreadsheets or
# scans; their size is the site's limit (CTG_TELEVERSEMENT_MAX_MO).
TYPES_PIECE = (PDF, PNG, JPEG, DOCX, XLSX, ODT, ODS, CSV)


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
    return communes_membres(convention)


class StructureForm(SaisieControlee, Localise, FormulaireVersionne):
    """A structure of one convention. The operators offered are this convention's own (its parties, its member
    communes, its structures' operators); another one is typed in. Saving a form read before someone else's save
    is refused (optimistic concurrency)."""

    gestionnaire = forms.ModelChoiceField(
        label="Gestionnaire",
        queryset=Organisation.objects.none(),
        required=False,
        help_text="un organisme de cette convention (parties, communes membres, gestionnaires de ses structures), "
        "ou saisissez-en un nouveau ci-dessous",
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
        self.convention = convention
        if not self.instance.pk:
            self.instance.convention = convention
        self.fields["gestionnaire"].queryset = gestionnaires_possibles(convention)
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
        """Through the rules layer (``regles.enregistrer_structure``): the structure and its capacity."""
        return enregistrer_structure(self)


class CejForm(SaisieControlee, forms.ModelForm):
    """A Cej reference of one convention."""

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
        if not self.instance.pk:
            self.instance.convention = convention
        self.fields["commune"].queryset = communes_de(convention)


class LigneCejForm(Localise, forms.ModelForm):
    class Meta:
        model = LigneCej
        fields = ["structure", "montant_n1", "unites_reference", "engagement_commune"]


LigneCejFormSet = inlineformset_factory(Cej, LigneCej, form=LigneCejForm, extra=2, can_delete=True)


class FinancementForm(SaisieControlee, Localise, FormulaireVersionne):
    """A commune's actual funding of a structure for a year. A new line for a structure, year and document already
    entered is refused (edit that line instead: its form carries the version it was read at, and a save over
    someone else's is refused)."""

    class Meta:
        model = FinancementReel
        fields = ["structure", "annee", "document", "montant_commune", "montant_autres", "commentaire"]

    def __init__(self, *args, structures, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["structure"].queryset = structures
        self.fields["annee"].widget = forms.NumberInput(attrs={"min": ANNEE_MIN, "max": ANNEE_MAX})
        self.fields["annee"].validators.append(
            MinValueValidator(ANNEE_MIN, f"L'année doit être comprise entre {ANNEE_MIN} et {ANNEE_MAX}.")
        )
        self.fields["annee"].validators.append(
            MaxValueValidator(ANNEE_MAX, f"L'année doit être comprise entre {ANNEE_MIN} et {ANNEE_MAX}.")
        )
        for champ in ("montant_commune", "montant_autres"):
            self.fields[champ].validators.append(MinValueValidator(0, "Un montant ne peut pas être négatif."))
        if self.instance.pk:
            for champ in ("structure", "annee", "document"):
                self.fields[champ].disabled = True

    def clean(self):
        donnees = super().clean()
        if not self.instance.pk and all(donnees.get(c) is not None for c in ("structure", "annee", "document")):
            existant = FinancementReel.objects.filter(
                structure=donnees["structure"], annee=donnees["annee"], document=donnees["document"]
            ).first()
            if existant is not None:
                from .textes import euros

                raise ValidationError(
                    f"Le financement {existant.annee} ({existant.get_document_display()}) de « {existant.structure} » "
                    f"est déjà saisi ({euros(existant.montant_commune)}) : modifiez cette ligne dans la liste "
                    "ci-dessous plutôt que d'en saisir une seconde.",
                    code="doublon",
                )
        return donnees

    def validate_unique(self):
        pass  # a duplicate line gets the message above


class ImportForm(forms.Form):
    fichier = ChampFichier(
        taille_max=TAILLE_IMPORT,
        label="Fichier XLSX ou CSV",
        help_text="colonnes : Année ; Commune (code Insee) ; Structure ; Référence de la structure ; Document ; "
        "Financement de la commune (€) ; Autres financeurs (€) ; Commentaire",
    )
    essai = forms.BooleanField(label="Essai : vérifier sans rien enregistrer", required=False)


class VerificationForm(SaisieControlee, forms.Form):
    annee = forms.IntegerField(label="Année vérifiée", min_value=ANNEE_MIN, max_value=ANNEE_MAX)
    conclusion = forms.ChoiceField(label="Conclusion", choices=Conclusion.choices)
    documents = forms.CharField(
        label="Documents examinés",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="un par ligne : budget ou compte de résultat de telle structure, délibération…",
    )
    commentaire = forms.CharField(label="Commentaire", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    fichier = ChampFichier(label="Pièce jointe", required=False, types=TYPES_PIECE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fichier"].help_text = (
            f"{liste_des_types(TYPES_PIECE)}, {en_mo(self.fields['fichier'].taille_max)} Mo au plus ; "
            "pages web, images SVG et scripts refusés"
        )


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


class RevisionBaremeForm(SaisieControlee, Localise, forms.ModelForm):
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


class NouveauBaremeForm(SaisieControlee, Localise, forms.ModelForm):
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

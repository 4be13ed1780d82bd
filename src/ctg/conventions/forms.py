from django import forms
from django.core.exceptions import ValidationError

from ctg.comptes.models import Role
from ctg.concurrence import FormulaireVersionne
from ctg.saisie import VISAS, SaisieControlee
from ctg.televersement import CSV, ChampFichier
from ctg.territoires.models import Epci

from .adhesions import CHAMPS_ADHESION
from .models import Adhesion, Annexe1, Convention, Domaine, ModeResiliation, Signataire, StatutAdhesion

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def ajouter_erreurs(form, exc: Exception) -> None:
    """A refusal of the rules layer, shown on the form (nothing was written): on its field when it names one."""
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        for champ, erreurs in exc.message_dict.items():
            for erreur in erreurs:
                form.add_error(champ if champ in form.fields else None, erreur)
    elif isinstance(exc, ValidationError):
        for erreur in exc.messages:
            form.add_error(None, erreur)
    else:
        form.add_error(None, str(exc))


class CreationForm(SaisieControlee, forms.Form):
    epci = forms.CharField(
        label="Intercommunalité (EPCI)",
        max_length=200,
        help_text="son SIREN (9 chiffres, ex. 200068500) ou son nom (ex. « CA de Cambrai »)",
    )
    date_debut = forms.DateField(label="Date de début", widget=DATE)
    date_fin = forms.DateField(
        label="Date de fin", widget=DATE, required=False, help_text="par défaut : 31 décembre de l'année N+4"
    )

    def clean_epci(self):
        """A SIREN, or a name that designates exactly one EPCI (the territories' search: "ca lens" finds the CA de
        Lens - Liévin); several or none: said, with the SIREN of each candidate."""
        from ctg.territoires.recherche import CODE_EPCI, rechercher

        texte = self.cleaned_data["epci"].strip()
        if CODE_EPCI.match(texte.replace(" ", "")):
            code = texte.replace(" ", "")
            epci = Epci.objects.filter(code=code).first()
            if epci is None:
                raise ValidationError(f"Aucun EPCI de SIREN « {code} » dans le référentiel des territoires.")
            return epci
        trouves = rechercher(texte, limite=6)["epci"]
        if len(trouves) == 1:
            return trouves[0]
        if not trouves:
            raise ValidationError(
                f"Aucune intercommunalité ne s'appelle « {texte} » : saisissez son SIREN ou une autre partie de son "
                "nom."
            )
        candidats = " ; ".join(f"{e.nom} ({e.code})" for e in trouves[:5])
        raise ValidationError(
            f"Plusieurs intercommunalités répondent à « {texte} » : {candidats}. Précisez, ou saisissez le SIREN."
        )


class ConventionForm(SaisieControlee, FormulaireVersionne):
    """The convention's page of settings. Once signed, its terms (``Convention.TERMES``, visas, signatories) are
    shown but disabled: they change by avenant; the Caf's tribunal only by the Caf's staff."""

    natures = {"visas": VISAS}  # one visa per line

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
            "objectifs_identifies_le",
            "tient_lieu_de_schema_sppe",
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
                "objectifs_identifies_le",
            ]
        }

    def __init__(self, *args, termes_modifiables=True, caf_modifiable=True, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["visas"] = "\n".join(v.texte for v in self.instance.visas.all())
            self.initial["tribunal_administratif"] = self.instance.caf.tribunal_administratif
        self.fields["annexe1"].widget = forms.RadioSelect(choices=self.fields["annexe1"].choices)
        self.termes_modifiables = termes_modifiables
        if not termes_modifiables:
            for champ in [*Convention.TERMES, "visas"]:
                self.fields[champ].disabled = True
                self.fields[champ].help_text = "convention signée : modifiable par avenant"
        if not caf_modifiable:
            self.fields["tribunal_administratif"].disabled = True
            self.fields["tribunal_administratif"].help_text = "enregistré par la Caf sur sa fiche"

    def clean_ctes_identifiant(self):
        return (self.cleaned_data.get("ctes_identifiant") or "").strip() or None

    def lignes_visas(self) -> list[str]:
        return [ligne.strip() for ligne in self.cleaned_data.get("visas", "").splitlines() if ligne.strip()]


class SignataireForm(SaisieControlee, forms.ModelForm):
    class Meta:
        model = Signataire
        fields = ["partie", "ordre", "civilite", "prenom", "nom", "qualite", "qualite_autre"]


# Enough blank rows to record every signatory in one save (a CTG has two to four: the Caf's president and director,
# the EPCI's president, sometimes a vice-president), and always one more for an addition.
LIGNES_DE_SIGNATAIRES = 4


SignataireFormSet = forms.inlineformset_factory(Convention, Signataire, form=SignataireForm, can_delete=True, min_num=0)


def _lignes_vides(formset) -> int:
    existants = formset.instance.signataires.count() if formset.instance.pk else 0
    return max(1, LIGNES_DE_SIGNATAIRES - existants)


SignataireFormSet.extra = property(_lignes_vides)  # the factory sets ``extra`` on the class it makes


def _champs_termes(obligatoires: bool) -> dict:
    """Form fields for the contract terms an avenant or a correction may change (blank = unchanged)."""
    return {
        "titre": forms.CharField(label="Titre", max_length=200, required=obligatoires),
        "date_fin": forms.DateField(label="Date de fin", widget=DATE, required=obligatoires),
        "domaines": forms.MultipleChoiceField(
            label="Domaines d'intervention",
            choices=Domaine.choices,
            widget=forms.CheckboxSelectMultiple,
            required=False,
        ),
        "chef_projet_nom": forms.CharField(label="Chef·fe de projet : nom", max_length=200, required=False),
        "chef_projet_fonction": forms.CharField(label="Chef·fe de projet : fonction", max_length=200, required=False),
        "annexe1": forms.ChoiceField(
            label="Annexe 1 : diagnostic", choices=[("", "—"), *Annexe1.choices], required=obligatoires
        ),
    }


class AvenantForm(SaisieControlee, forms.Form):
    """A project of avenant: its object, and the changes of the terms it brings (left blank: unchanged)."""

    objet = forms.CharField(label="Objet de l'avenant", widget=forms.Textarea(attrs={"rows": 3}))
    signataires = forms.CharField(label="Signataires", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    ctes_identifiant = forms.CharField(label="Identifiant @ctes de l'avenant", max_length=80, required=False)
    changer_domaines = forms.BooleanField(label="Cet avenant change les domaines d'intervention", required=False)

    def __init__(self, *args, convention=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(_champs_termes(obligatoires=False))
        self.fields["domaines"].initial = list(convention.domaines) if convention else []
        for nom in ("titre", "date_fin", "chef_projet_nom", "chef_projet_fonction", "annexe1"):
            self.fields[nom].help_text = "laisser vide pour ne pas le changer"

    def modifications(self) -> dict:
        donnees = self.cleaned_data
        valeurs = {
            nom: donnees[nom]
            for nom in ("titre", "date_fin", "chef_projet_nom", "chef_projet_fonction", "annexe1")
            if donnees.get(nom)
        }
        if donnees.get("changer_domaines"):
            valeurs["domaines"] = [d for d in Domaine.values if d in donnees["domaines"]]
        return valeurs


class CorrectionForm(SaisieControlee, forms.Form):
    """The Caf corrects a clerical error in the terms of a signed convention, and says which."""

    motif = forms.CharField(
        label="Erreur matérielle corrigée",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="ex. coquille dans le nom de la cheffe de projet ; ce motif est conservé dans l'historique",
    )

    def __init__(self, *args, convention=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update({f"correction_{n}": champ for n, champ in _champs_termes(obligatoires=True).items()})
        self.fields["correction_date_debut"] = forms.DateField(label="Date de début", widget=DATE)
        if convention is not None:
            for nom in [*_champs_termes(True), "date_debut"]:
                self.fields[f"correction_{nom}"].initial = getattr(convention, nom)

    def valeurs(self) -> dict:
        valeurs = {n.removeprefix("correction_"): v for n, v in self.cleaned_data.items() if n != "motif"}
        valeurs["domaines"] = [d for d in Domaine.values if d in valeurs["domaines"]]
        return valeurs


class AdhesionForm(SaisieControlee, forms.ModelForm):
    class Meta:
        model = Adhesion
        fields = list(CHAMPS_ADHESION)  # what the rules layer lets the Caf or the collectivité record
        widgets = {"date_deliberation": DATE}

    def clean(self):
        donnees = super().clean()
        if donnees.get("statut") in {"adheree", "refusee"} and not donnees.get("date_deliberation"):
            self.add_error("date_deliberation", "Indiquez la date de la délibération du conseil municipal.")
        return donnees


class PropositionAdhesionForm(SaisieControlee, forms.Form):
    """What a commune's referent may do: propose the adhesion or the refusal its council voted."""

    proposition = forms.ChoiceField(
        label="Décision du conseil municipal",
        choices=[(StatutAdhesion.ADHEREE, "Adhésion à la convention"), (StatutAdhesion.REFUSEE, "Refus")],
        widget=forms.RadioSelect,
    )
    date_deliberation = forms.DateField(label="Date de la délibération du conseil municipal", widget=DATE)


class AdhesionsEnBlocForm(forms.Form):
    """Every commune's status and deliberation date in one table (the Caf adviser or the project lead); each row's
    fields are named after the commune, for screen readers."""

    def __init__(self, *args, adhesions: list[Adhesion], **kwargs):
        super().__init__(*args, **kwargs)
        self.lignes = []
        for a in adhesions:
            nom = a.commune.nom
            statut = forms.ChoiceField(label=f"Statut — {nom}", choices=StatutAdhesion.choices, initial=a.statut)
            jour = forms.DateField(
                label=f"Date de la délibération — {nom}", required=False, widget=DATE, initial=a.date_deliberation
            )
            self.fields[f"statut_{a.commune_id}"] = statut
            self.fields[f"date_{a.commune_id}"] = jour
            self.lignes.append((a, self[f"statut_{a.commune_id}"], self[f"date_{a.commune_id}"]))

    def clean(self):
        donnees = super().clean()
        for a, statut, jour in self.lignes:
            if donnees.get(statut.name) in {"adheree", "refusee"} and not donnees.get(jour.name):
                self.add_error(
                    jour.name, f"{a.commune.nom} : indiquez la date de la délibération du conseil municipal."
                )
        return donnees

    def valeurs(self) -> dict[str, dict]:
        return {
            a.commune_id: {
                "statut": self.cleaned_data[statut.name],
                "date_deliberation": self.cleaned_data[jour.name],
            }
            for a, statut, jour in self.lignes
        }


class AdhesionsCsvForm(forms.Form):
    fichier = ChampFichier(label="Fichier CSV des adhésions", types=(CSV,), taille_max=1_000_000)


class SignatureForm(SaisieControlee, forms.Form):
    date_signature = forms.DateField(label="Date de signature", widget=DATE)


class ResiliationForm(SaisieControlee, forms.Form):
    """Article 12. The party is the user's own; the modes are those that party may use."""

    mode = forms.ChoiceField(
        label="Motif de fin (article 12)", choices=ModeResiliation.choices, widget=forms.RadioSelect
    )
    date_envoi = forms.DateField(label="Date d'envoi de la lettre recommandée ou du préavis", widget=DATE)
    motif = forms.CharField(label="Motif", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    confirmer_effet_passe = forms.BooleanField(
        label="Je confirme : la date d'effet est déjà passée, la convention prend fin dès l'enregistrement",
        required=False,
    )

    def __init__(self, *args, modes=None, **kwargs):
        super().__init__(*args, **kwargs)
        if modes is not None:
            self.fields["mode"].choices = [(m, libelle) for m, libelle in ModeResiliation.choices if m in modes]


class MotifForm(SaisieControlee, forms.Form):
    motif = forms.CharField(label="Motif", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class InvitationForm(SaisieControlee, forms.Form):
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

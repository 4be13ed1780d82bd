from django import forms
from django.core.exceptions import ValidationError
from django.forms import BaseInlineFormSet, inlineformset_factory

from ctg.concurrence import FormulaireVersionne
from ctg.conventions.forms import DATE
from ctg.saisie import SaisieControlee

from .acteurs import organisation_nommee
from .models import (
    CHAMPS_DEFINITION,
    DERNIER_JOUR,
    NIVEAU_ENFANT,
    PREMIER_JOUR,
    ActeurFiche,
    CibleAnnuelle,
    Decision,
    FicheAction,
    Financement,
    IndicateurAction,
    Jalon,
    Niveau,
    Objectif,
    Revue,
    StatutFiche,
    ValeurSaisie,
)


def en_lecture_seule(form) -> None:
    """Show ``form`` without letting it be submitted (the plan is closed or its convention ended)."""
    for champ in form.fields.values():
        champ.disabled = True


class SaisiePlan(SaisieControlee):
    """The plan's records are dated between 2000 and 2100 (their constraints, ``models.commun``): its forms say so on
    the field, in words, before the database would."""

    dates_plausibles = (PREMIER_JOUR, DERNIER_JOUR)


class FicheForm(SaisiePlan, FormulaireVersionne):
    """A fiche's content. Its status is not a field: a new fiche is "à venir" or started at once (``statut``, a
    choice of the creation form only); afterwards it moves by the transitions of the fiche's page."""

    objectifs = forms.MultipleChoiceField(
        label="Objectifs servis", required=False, widget=forms.SelectMultiple(attrs={"size": 8})
    )
    besoins = forms.MultipleChoiceField(
        label="Besoins du diagnostic auxquels elle répond", required=False, widget=forms.CheckboxSelectMultiple
    )
    communes = forms.MultipleChoiceField(
        label="Communes concernées",
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text="aucune : tout le territoire",
    )
    pilote = forms.ChoiceField(label="Compte du pilote", required=False)
    statut = forms.ChoiceField(
        label="Statut",
        choices=[(StatutFiche.A_VENIR, StatutFiche.A_VENIR.label), (StatutFiche.EN_COURS, "En cours (démarrée)")],
        initial=StatutFiche.A_VENIR,
        help_text="ensuite, le statut change depuis la page de la fiche",
    )

    class Meta:
        model = FicheAction
        fields = [
            "titre",
            "description",
            "public",
            "pilote_structure",
            "pilote_personne",
            "date_debut",
            "date_fin",
            "priorite",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "date_debut": DATE,
            "date_fin": DATE,
        }

    def __init__(self, *args, objectifs=(), besoins=(), communes=(), pilotes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["objectifs"].choices = list(objectifs)
        self.fields["besoins"].choices = list(besoins)
        self.fields["communes"].choices = list(communes)
        self.fields["pilote"].choices = [("", "— aucun compte —"), *pilotes]
        self.fields["pilote_structure"].help_text = "ex. Caf du Nord, CA de Cambrai, mairie de Cambrai"
        if self.instance.pk:
            del self.fields["statut"]
            self.initial["objectifs"] = [str(pk) for pk in self.instance.objectifs.values_list("pk", flat=True)]
            self.initial["besoins"] = [str(pk) for pk in self.instance.besoins.values_list("pk", flat=True)]
            self.initial["communes"] = list(self.instance.communes.values_list("code", flat=True))
            self.initial["pilote"] = str(self.instance.pilote_id or "")

    def clean(self):
        donnees = super().clean()
        debut, fin = donnees.get("date_debut"), donnees.get("date_fin")
        if debut and fin and fin < debut:
            self.add_error("date_fin", "La fin précède le début.")
        return donnees

    @property
    def a_demarrer(self) -> bool:
        return self.cleaned_data.get("statut") == StatutFiche.EN_COURS

    def save(self, commit=True):
        """Save the fiche (refused if it changed since the form was read) and its links."""
        self.instance.pilote_id = int(self.cleaned_data["pilote"]) if self.cleaned_data.get("pilote") else None
        fiche = super().save()
        fiche.objectifs.set([int(pk) for pk in self.cleaned_data["objectifs"]])
        fiche.besoins.set([int(pk) for pk in self.cleaned_data["besoins"]])
        fiche.communes.set(self.cleaned_data["communes"])
        return fiche


class JalonForm(SaisiePlan, forms.ModelForm):
    class Meta:
        model = Jalon
        fields = ["libelle", "date_prevue", "date_realisee"]
        widgets = {"date_prevue": DATE, "date_realisee": DATE}


class FinancementForm(SaisiePlan, forms.ModelForm):
    annee = forms.IntegerField(label="Année", min_value=PREMIER_JOUR.year, max_value=DERNIER_JOUR.year)

    class Meta:
        model = Financement
        fields = ["financeur", "annee", "montant", "montant_realise", "nature"]

    def clean_montant(self):
        montant = self.cleaned_data["montant"]
        if montant is not None and montant < 0:
            raise ValidationError("Un montant est positif ou nul.")
        return montant

    def clean_montant_realise(self):
        montant = self.cleaned_data["montant_realise"]
        if montant is not None and montant < 0:
            raise ValidationError("Un montant réalisé est positif ou nul (vide tant qu'il n'est pas connu).")
        return montant


class ActeurForm(SaisiePlan, forms.ModelForm):
    """A partner or an operator of the fiche: an organisation of the convention chosen in the list, or named (found
    by its name whatever the case and accents, else created: ``ctg.plan.acteurs.organisation_nommee``)."""

    organisation = forms.ChoiceField(label="Organisation", required=False)
    nom = forms.CharField(label="ou nouvelle organisation", max_length=200, required=False)

    class Meta:
        model = ActeurFiche
        fields = ["role", "precision"]

    def __init__(self, *args, convention=None, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.convention = convention
        self.organisations = {str(o.pk): o for o in organisations}
        if self.instance.pk and str(self.instance.organisation_id) not in self.organisations:
            self.organisations[str(self.instance.organisation_id)] = self.instance.organisation
        self.fields["organisation"].choices = [("", "— choisir —")] + [
            (k, o.nom) for k, o in self.organisations.items()
        ]
        self.order_fields(["role", "organisation", "nom", "precision"])
        if self.instance.pk:
            self.initial["organisation"] = str(self.instance.organisation_id)

    def clean(self):
        donnees = super().clean()
        if not donnees.get("organisation") and not " ".join(donnees.get("nom", "").split()):
            self.add_error("organisation", "Choisissez une organisation ou nommez-en une.")
        return donnees

    def save(self, commit=True):
        nom = " ".join(self.cleaned_data.get("nom", "").split())
        if nom:
            self.instance.organisation = organisation_nommee(self.convention, nom)
        else:
            self.instance.organisation = self.organisations[self.cleaned_data["organisation"]]
        return super().save(commit)


class BaseActeurFormSet(BaseInlineFormSet):
    """The fiche's partners and operators, kept in the order of the table."""

    def save_new(self, form, commit=True):
        form.instance.ordre = self.forms.index(form)
        return super().save_new(form, commit)

    def save_existing(self, form, obj, commit=True):
        form.instance.ordre = self.forms.index(form)
        return super().save_existing(form, obj, commit)


ActeurFormSet = inlineformset_factory(
    FicheAction, ActeurFiche, form=ActeurForm, formset=BaseActeurFormSet, extra=2, can_delete=True
)
JalonFormSet = inlineformset_factory(FicheAction, Jalon, form=JalonForm, extra=2, can_delete=True)
FinancementFormSet = inlineformset_factory(FicheAction, Financement, form=FinancementForm, extra=2, can_delete=True)


class IndicateurForm(SaisiePlan, FormulaireVersionne):
    """An indicator followed by a fiche: an indicator already defined in the convention (followed by other fiches,
    each with its own targets), or the one described here — its wording, unit, source, link to the diagnostic's
    catalogue (the catalogue's indicators are the suggestions) — then the fiche's baseline and final target."""

    deja_defini = forms.ChoiceField(label="Indicateur déjà défini dans la convention", required=False)
    libelle = forms.CharField(label="Indicateur", max_length=200, required=False)
    unite = forms.CharField(label="Unité", max_length=60, required=False)
    source = forms.CharField(label="Source", max_length=200, required=False)
    indicateur_catalogue = forms.ChoiceField(label="Lier à un indicateur du diagnostic", required=False)
    territoire = forms.ChoiceField(label="Territoire des données", required=False)

    class Meta:
        model = IndicateurAction
        fields = ["annee_reference", "valeur_initiale", "cible", "date_cible"]
        widgets = {"date_cible": DATE}

    field_order = ["deja_defini", *CHAMPS_DEFINITION]

    def __init__(self, *args, definitions=(), catalogue=(), communes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.definitions = {str(d.pk): d for d in definitions}
        self.fields["deja_defini"].choices = [
            ("", "— aucun : l'indicateur décrit ci-dessous —"),
            *((cle, str(d)) for cle, d in self.definitions.items()),
        ]
        self.fields["deja_defini"].help_text = "suivi aussi par d'autres fiches, chacune avec ses propres cibles"
        self.fields["indicateur_catalogue"].choices = [("", "— non lié : valeurs saisies —"), *catalogue]
        self.fields["territoire"].choices = [("", "l'intercommunalité"), *communes]
        self.fields[
            "indicateur_catalogue"
        ].help_text = "ses valeurs se remplissent depuis les données ouvertes à chaque nouveau millésime importé"
        if self.instance.definition_id:
            for nom in CHAMPS_DEFINITION:
                self.initial.setdefault(nom, getattr(self.instance.definition, nom))

    def clean(self):
        donnees = super().clean()
        self.definition_choisie = self.definitions.get(donnees.get("deja_defini") or "")
        self.champs_definition = {nom: (donnees.get(nom) or "").strip() for nom in CHAMPS_DEFINITION}
        if self.definition_choisie is None and not self.champs_definition["libelle"]:
            self.add_error("libelle", "Nommez l'indicateur, ou choisissez un indicateur déjà défini.")
        if self.definition_choisie is not None:
            lie = self.definition_choisie.lie
        else:
            lie = bool(self.champs_definition["indicateur_catalogue"])
        if not lie and donnees.get("valeur_initiale") is None:
            self.add_error("valeur_initiale", "Donnez la valeur initiale (ou liez l'indicateur au diagnostic).")
        if lie and donnees.get("valeur_initiale") is None and donnees.get("annee_reference") is None:
            self.add_error("annee_reference", "Donnez l'année de la valeur initiale, lue dans les données ouvertes.")
        annee = donnees.get("annee_reference")
        if annee is not None and not PREMIER_JOUR.year <= annee <= DERNIER_JOUR.year:
            self.add_error("annee_reference", f"Indiquez une année entre {PREMIER_JOUR.year} et {DERNIER_JOUR.year}.")
        return donnees


class CibleForm(SaisiePlan, forms.ModelForm):
    annee = forms.IntegerField(label="Année", min_value=PREMIER_JOUR.year, max_value=DERNIER_JOUR.year)

    class Meta:
        model = CibleAnnuelle
        fields = ["annee", "valeur"]


CibleFormSet = inlineformset_factory(IndicateurAction, CibleAnnuelle, form=CibleForm, extra=3, can_delete=True)


class ValeurForm(SaisiePlan, forms.ModelForm):
    class Meta:
        model = ValeurSaisie
        fields = ["date", "valeur", "commentaire"]
        widgets = {"date": DATE}


class ObjectifForm(SaisiePlan, FormulaireVersionne):
    rattachement = forms.ChoiceField(label="Rattaché à", required=False)

    class Meta:
        model = Objectif
        fields = ["intitule", "description", "champ", "signataire"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, parents=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rattachement"].choices = [("", "— aucun : nouveau champ d'intervention (article 3) —"), *parents]
        self.order_fields(["rattachement"])
        if self.instance.pk and self.instance.parent_id:
            self.initial["rattachement"] = str(self.instance.parent_id)

    def clean(self):
        donnees = super().clean()
        if donnees.get("champ") == "autre" and not donnees.get("signataire"):
            self.add_error("signataire", "Nommez le signataire dont c'est le champ d'intervention.")
        return donnees

    def save_dans(self, convention) -> Objectif:
        """Save the objective in ``convention``'s tree (refused if it changed since the form was read)."""
        objectif = self.instance
        objectif.convention = convention
        parent_id = self.cleaned_data.get("rattachement")
        parent = convention.objectifs.get(pk=int(parent_id)) if parent_id else None
        if not objectif.source:  # the seeded nodes keep their level and place
            objectif.parent = parent
            objectif.niveau = NIVEAU_ENFANT.get(parent.niveau, Niveau.OPERATIONNEL) if parent else Niveau.MISSION
            if objectif.pk is None:
                objectif.ordre = (
                    parent.enfants.count() if parent else convention.objectifs.filter(parent=None).count()
                ) + 1
        return self.save()


class RevueForm(SaisiePlan, forms.ModelForm):
    """The head of a review; what it records goes through ``ctg.plan.cycle.enregistrer_revue``."""

    class Meta:
        model = Revue
        fields = ["type", "date", "nom_instance", "synthese", "effets"]
        widgets = {
            "date": DATE,
            "synthese": forms.Textarea(attrs={"rows": 3}),
            "effets": forms.Textarea(attrs={"rows": 3}),
        }


class EvaluationForm(SaisiePlan, forms.Form):
    """One action in a review: progress, status, comment, decision (the prefix is the fiche's)."""

    progression = forms.IntegerField(label="Avancement (%)", min_value=0, max_value=100, required=False)
    statut = forms.ChoiceField(label="Statut constaté", choices=StatutFiche.choices)
    commentaire = forms.CharField(label="Commentaire", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    decision = forms.ChoiceField(label="Décision", choices=Decision.choices)


class AdaptationForm(SaisiePlan, forms.Form):
    texte = forms.CharField(label="Adaptation proposée", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class AdoptionForm(SaisiePlan, forms.Form):
    date = forms.DateField(label="Date d'adoption par le comité de pilotage", widget=DATE)


class RevisionForm(SaisiePlan, forms.Form):
    motif = forms.CharField(
        label="Motif de la révision",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="la décision du comité de pilotage qui ouvre la révision (ex. revue du 26/06/2025)",
    )

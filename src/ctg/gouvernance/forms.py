from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.forms import inlineformset_factory

from ctg.concurrence import FormulaireVersionne
from ctg.formats import trier_par_nom
from ctg.saisie import SaisieControlee

from .decisions import DecisionImpossible, verifier_votant
from .models import (
    ChoixVote,
    Comite,
    Cote,
    EtatPresence,
    Initiative,
    Membre,
    ModeDecision,
    ObjetDecision,
    PointOrdreDuJour,
    Reunion,
    RoleComite,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
HEURE = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class MembreForm(SaisieControlee, forms.ModelForm):
    class Meta:
        model = Membre
        fields = [
            "comite",
            "civilite",
            "prenom",
            "nom",
            "organisation",
            "fonction",
            "email",
            "cote",
            "role",
            "debut",
            "fin",
            "compte",
        ]
        widgets = {"debut": DATE, "fin": DATE}

    def __init__(self, *args, convention, **kwargs):
        super().__init__(*args, **kwargs)
        comites = Comite.objects.filter(convention=convention)
        self.fields["comite"].queryset = comites
        self.fields["comite"].empty_label = None
        if comites.count() <= 1:
            self.fields["comite"].widget = forms.HiddenInput()
        self.fields["compte"].queryset = get_user_model().objects.filter(habilitations__convention=convention)
        self.fields["compte"].required = False
        self.fields["compte"].help_text = "facultatif : la personne a un compte sur cette convention"
        self.fields["compte"].label_from_instance = lambda u: u.get_full_name() or u.username

    def clean(self):
        donnees = super().clean()
        debut, fin = donnees.get("debut"), donnees.get("fin")
        if debut and fin and fin < debut:
            self.add_error("fin", "La fin du mandat précède son début.")
        role, cote = donnees.get("role"), donnees.get("cote")
        if role == RoleComite.ANIMATEUR and cote != Cote.CAF:
            self.add_error("role", "Le comité est animé par la Caf (article 6) : l'animateur·rice représente la Caf.")
        if role == RoleComite.PILOTE and cote != Cote.COLLECTIVITE:
            self.add_error("role", "Le pilote est désigné par la collectivité (article 6) : il ou elle la représente.")
        return donnees


class SousComiteForm(SaisieControlee, forms.ModelForm):
    class Meta:
        model = Comite
        fields = ["nom", "thematique", "description"]
        labels = {"nom": "Nom du sous-comité"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nom"].initial = "Commission thématique"
        self.fields["thematique"].required = True


class ReunionForm(SaisieControlee, FormulaireVersionne):
    """Date, time and place of a meeting. Its status changes only through ``ctg.gouvernance.reunions`` (held when
    the attendance is recorded, cancelled, planned again, minutes approved); the date of a held meeting is fixed."""

    lien_visio = forms.URLField(label="Lien de visioconférence", required=False, assume_scheme="https")

    class Meta:
        model = Reunion
        fields = ["comite", "date", "heure_debut", "heure_fin", "lieu", "lien_visio"]
        widgets = {"date": DATE, "heure_debut": HEURE, "heure_fin": HEURE}
        help_texts = {"lieu": "un lieu, un lien de visioconférence, ou les deux"}

    def __init__(self, *args, convention, **kwargs):
        super().__init__(*args, **kwargs)
        comites = Comite.objects.filter(convention=convention)
        self.fields["comite"].queryset = comites
        self.fields["comite"].empty_label = None
        if comites.count() <= 1:
            self.fields["comite"].widget = forms.HiddenInput()
        if self.instance.pk and self.instance.est_tenue:
            for nom in ("comite", "date"):
                self.fields[nom].disabled = True
            self.fields["date"].help_text = "réunion tenue : sa date ne change plus"

    def clean(self):
        if self.instance.pk and self.instance.est_close:
            raise self.instance.refus_reunion_close()
        donnees = super().clean()
        if not donnees.get("lieu", "").strip() and not donnees.get("lien_visio"):
            raise ValidationError("Indiquez le lieu de la réunion ou un lien de visioconférence.")
        debut, fin = donnees.get("heure_debut"), donnees.get("heure_fin")
        if debut and fin and fin <= debut:
            self.add_error("heure_fin", "L'heure de fin doit suivre l'heure de début.")
        return donnees


PointFormSet = inlineformset_factory(
    Reunion,
    PointOrdreDuJour,
    fields=["rubrique", "intitule"],
    extra=3,
    can_delete=True,
    labels={"intitule": "Point de l'ordre du jour"},
)


class PresencesForm(SaisieControlee, forms.Form):
    """One attendance choice per member in office on the meeting's date."""

    def __init__(self, *args, membres, presences, proposees=None, **kwargs):
        """``proposees``: per member pk, the (etat, represente_par) the members' answers to the invitation suggest,
        for those whose attendance is not recorded yet."""
        super().__init__(*args, **kwargs)
        self.membres = membres
        proposees = proposees or {}
        for membre in membres:
            presence = presences.get(membre.pk)
            etat, par = (presence.etat, presence.represente_par) if presence else proposees.get(membre.pk, ("", ""))
            self.fields[f"etat_{membre.pk}"] = forms.ChoiceField(
                label=f"{membre.nom_complet}",
                choices=[("", "— non renseigné")] + EtatPresence.choices,
                required=False,
                initial=etat,
            )
            self.fields[f"par_{membre.pk}"] = forms.CharField(
                label=f"Représenté·e par (pour {membre.nom_complet})",
                required=False,
                max_length=200,
                initial=par,
            )

    def lignes(self):
        return [(m, self[f"etat_{m.pk}"], self[f"par_{m.pk}"]) for m in self.membres]

    def clean(self):
        donnees = super().clean()
        if not any(donnees.get(f"etat_{m.pk}") for m in self.membres):
            raise ValidationError("Renseignez la présence d'au moins un membre.")
        for m in self.membres:
            if donnees.get(f"etat_{m.pk}") == EtatPresence.REPRESENTE and not donnees.get(f"par_{m.pk}", "").strip():
                self.add_error(f"par_{m.pk}", f"Indiquez qui représentait {m.nom_complet}.")
        return donnees

    def etats(self) -> dict:
        """Every member's choice; an empty one erases a presence recorded before."""
        return {m: (self.cleaned_data[f"etat_{m.pk}"], self.cleaned_data[f"par_{m.pk}"]) for m in self.membres}


class CompteRenduForm(SaisieControlee, FormulaireVersionne):
    """The minutes: refused once approved, and when someone else saved them since the form was displayed."""

    class Meta:
        model = Reunion
        fields = ["compte_rendu"]
        widgets = {"compte_rendu": forms.Textarea(attrs={"rows": 16})}
        help_texts = {
            "compte_rendu": "un paragraphe par ligne ; les présences et les décisions s'ajoutent d'elles-mêmes"
        }

    def clean(self):
        if self.instance.est_close:
            raise self.instance.refus_reunion_close()
        return super().clean()


class DecisionForm(SaisieControlee, forms.Form):
    texte = forms.CharField(label="Décision", widget=forms.Textarea(attrs={"rows": 3}))
    mode = forms.ChoiceField(label="Mode", choices=ModeDecision.choices, initial=ModeDecision.CONSENSUS)
    objet = forms.ChoiceField(
        label="Objet",
        choices=ObjetDecision.choices,
        initial=ObjetDecision.AUTRE,
        help_text="« Diagnostic validé » valide le diagnostic partagé à la date de la réunion ; « Diagnostic "
        "rouvert » rouvre un diagnostic validé (motif obligatoire, la date de la première validation est conservée) ; "
        "« Plan d'actions adopté » enregistre l'adoption du plan",
    )
    motif = forms.CharField(
        label="Motif",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="obligatoire pour rouvrir le diagnostic validé : pourquoi le comité le rouvre",
    )
    reference = forms.CharField(
        label="Référence", required=False, max_length=200, help_text="ex. « Fiche action 2.1 », un document"
    )
    objet_id = forms.IntegerField(
        label="Numéro de l'objet",
        required=False,
        min_value=1,
        max_value=2**31 - 1,  # what the database's column holds (beyond: no such object)
        help_text="numéro interne de la fiche action ou de l'initiative, le cas échéant",
    )

    def __init__(self, *args, reunion, membres, **kwargs):
        super().__init__(*args, **kwargs)
        self.reunion = reunion
        self.membres = membres
        for membre in membres:
            suffixe = {RoleComite.CONSULTATIF: " (à titre consultatif)", RoleComite.SECRETARIAT: " (secrétariat)"}
            suffixe = "" if membre.vote else suffixe.get(membre.role, "")
            self.fields[f"vote_{membre.pk}"] = forms.ChoiceField(
                label=f"{membre.nom_complet}{suffixe}",
                choices=[("", "—")] + ChoixVote.choices,
                required=False,
            )

    def champs_votes(self):
        return [self[f"vote_{m.pk}"] for m in self.membres]

    def clean(self):
        donnees = super().clean()
        if donnees.get("objet") == ObjetDecision.DIAGNOSTIC_ROUVERT and not donnees.get("motif", "").strip():
            self.add_error("motif", "Indiquez le motif de la réouverture du diagnostic validé.")
        for membre in self.membres:
            if donnees.get(f"vote_{membre.pk}"):
                try:
                    verifier_votant(self.reunion, membre)
                except DecisionImpossible as exc:
                    self.add_error(f"vote_{membre.pk}", str(exc))
        return donnees

    def votes(self) -> dict:
        return {m: self.cleaned_data[f"vote_{m.pk}"] for m in self.membres if self.cleaned_data.get(f"vote_{m.pk}")}


class InitiativeForm(SaisieControlee, forms.ModelForm):
    class Meta:
        model = Initiative
        fields = ["titre", "commune", "operateur", "domaine", "description", "reperee_le", "suivi", "notes_suivi"]
        widgets = {"reperee_le": DATE, "description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, convention, suivi=False, **kwargs):
        super().__init__(*args, **kwargs)
        communes = convention.epci.communes.all()
        self.fields["commune"].queryset = communes
        # in French alphabetical order ("Éleu-dit-Leauwette" among the E), which the database's order_by is not
        self.fields["commune"].choices = [("", "— tout le territoire")] + [
            (c.pk, c.nom) for c in trier_par_nom(communes)
        ]
        if not suivi:
            del self.fields["suivi"]
            del self.fields["notes_suivi"]
        else:
            self.fields["suivi"].choices = [c for c in self.fields["suivi"].choices if c[0] != "transformee"] + (
                [("transformee", "Transformée en fiche action")] if self.instance.suivi == "transformee" else []
            )


class TransformationForm(SaisieControlee, forms.Form):
    reference = forms.CharField(
        label="Fiche action",
        required=False,
        max_length=200,
        help_text="ex. « Fiche action 3.2 » ; vide : créée "
        "par le plan d'actions s'il le permet, sinon nommée d'après l'initiative",
    )
    fiche_id = forms.IntegerField(label="Numéro de la fiche", required=False, min_value=1)


class ReponseConvocationForm(SaisieControlee, forms.Form):
    """A member's answer to the invitation (``ctg.gouvernance.participation.repondre``)."""

    reponse = forms.ChoiceField(
        label="Votre réponse",
        choices=[("vient", "Je serai présent·e"), ("excuse", "Je serai absent·e")],
    )
    remplacant = forms.CharField(
        label="Remplacé·e par",
        required=False,
        max_length=200,
        help_text="si vous êtes absent·e : la personne qui vous représente (nom, fonction)",
    )
    commentaire = forms.CharField(
        label="Commentaire", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self):
        donnees = super().clean()
        if donnees.get("reponse") == "vient" and donnees.get("remplacant", "").strip():
            self.add_error("remplacant", "Vous serez présent·e : personne ne vous remplace. Videz ce champ.")
        return donnees


class CommentaireCompteRenduForm(SaisieControlee, forms.Form):
    texte = forms.CharField(
        label="Votre commentaire sur le projet de compte rendu",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="lu par le secrétariat avant l'approbation ; vous pouvez le réécrire jusque-là",
    )

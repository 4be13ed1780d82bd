"""The forms of article 7's pages: they parse, the rules layer (``ctg.rgpd.echanges``) decides."""

from __future__ import annotations

from django import forms

from ctg.saisie import SaisieControlee
from ctg.televersement import CSV, DOCX, ODS, ODT, PDF, XLSX, ChampFichier, en_mo, liste_des_types

from .models import BaseLegale, Moyen, Sens

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXTE = forms.Textarea(attrs={"rows": 3})
TYPES_TRANSFERT = (CSV, XLSX, ODS, PDF, DOCX, ODT)


class DemandeForm(SaisieControlee, forms.Form):
    demandeur = forms.ModelChoiceField(label="Partie qui demande", queryset=None, empty_label=None)
    objet = forms.CharField(label="Objet", max_length=300)
    finalite = forms.CharField(label="Finalité (à quoi serviront les données)", widget=TEXTE)
    champs = forms.CharField(label="Données demandées (un champ par ligne)", widget=forms.Textarea(attrs={"rows": 4}))
    donnees_personnelles = forms.BooleanField(label="Comprend des données à caractère personnel", required=False)
    categories_personnes = forms.CharField(
        label="Catégories de personnes concernées", max_length=500, required=False, help_text="si données personnelles"
    )
    base_legale = forms.ChoiceField(
        label="Base légale (article 6 du RGPD)",
        choices=[("", "— si données personnelles —"), *BaseLegale.choices],
        required=False,
    )
    conservation_mois = forms.IntegerField(
        label="Durée de conservation (mois)",
        min_value=1,
        max_value=600,
        required=False,
        help_text="si données personnelles",
    )
    destinataires = forms.CharField(label="Destinataires (services ou personnes qui les liront)", max_length=500)
    transferts_hors_ue = forms.CharField(
        label="Transferts hors de l'Union européenne", max_length=300, initial="Aucun", required=False
    )
    moyen = forms.ChoiceField(label="Moyen de transmission", choices=Moyen.choices)
    souhaitee_pour = forms.DateField(label="Souhaitée pour le", widget=DATE, required=False)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["demandeur"].queryset = organisations

    def valeurs(self) -> dict:
        donnees = dict(self.cleaned_data)
        donnees["champs"] = donnees["champs"].splitlines()
        for nom in ("categories_personnes", "base_legale", "transferts_hors_ue"):
            donnees[nom] = donnees.get(nom) or ""
        return donnees


class EtudeForm(SaisieControlee, forms.Form):
    opportunite = forms.CharField(label="Opportunité", widget=TEXTE)
    faisabilite = forms.CharField(label="Faisabilité", widget=TEXTE)
    conformite = forms.CharField(label="Conformité au RGPD", widget=TEXTE)


class AvisForm(SaisieControlee, forms.Form):
    sens = forms.ChoiceField(label="Avis", choices=Sens.choices, widget=forms.RadioSelect)
    recommandations = forms.CharField(label="Recommandations", widget=TEXTE)


class DecisionForm(SaisieControlee, forms.Form):
    approuver = forms.TypedChoiceField(
        label="Décision",
        choices=[("oui", "Approuver"), ("non", "Refuser")],
        coerce=lambda v: v == "oui",
        widget=forms.RadioSelect,
    )
    motifs = forms.CharField(label="Motifs", widget=TEXTE)
    mesures_securite = forms.CharField(
        label="Mesures de sécurité (si approuvée)", widget=TEXTE, required=False, help_text="inscrites au registre"
    )


class ReponseForm(SaisieControlee, forms.Form):
    accepter = forms.TypedChoiceField(
        label="Réponse",
        choices=[("oui", "Données communiquées"), ("non", "Refusée")],
        coerce=lambda v: v == "oui",
        widget=forms.RadioSelect,
    )
    reponse = forms.CharField(label="Réponse ou motifs du refus", widget=TEXTE)


class TransfertForm(SaisieControlee, forms.Form):
    contenu = forms.CharField(label="Ce qui a été transmis", widget=TEXTE)
    transmis_le = forms.DateField(label="Transmis le", widget=DATE)
    empreinte = forms.CharField(
        label="Empreinte SHA-256 (sans fichier joint)", max_length=64, required=False, help_text="64 caractères"
    )
    fichier = ChampFichier(label="Fichier transmis (facultatif)", required=False, types=TYPES_TRANSFERT)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fichier"].help_text = (
            f"{liste_des_types(TYPES_TRANSFERT)}, {en_mo(self.fields['fichier'].taille_max)} Mo au plus ; son "
            "empreinte est calculée, et il est supprimé à la fin de la durée de conservation"
        )


class DelegueForm(forms.Form):
    user = forms.ModelChoiceField(label="Délégué·e à la protection des données", queryset=None)
    depuis = forms.DateField(label="En fonction depuis le", widget=DATE)

    def __init__(self, *args, personnes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = personnes
        self.fields["user"].label_from_instance = lambda u: u.get_full_name() or u.username

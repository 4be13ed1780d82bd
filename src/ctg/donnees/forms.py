"""The form of the data page: a Caf or Insee file, and what the header alone cannot tell."""

from django import forms

from ctg.televersement import CSV, ChampFichier

from .formats import DATASETS_OPENDATASOFT
from .jeux import JEUX


class ImportDonneesForm(forms.Form):
    fichier = ChampFichier(
        types=(CSV,),
        label="Fichier CSV",
        help_text="export CSV de data.caf.fr (séparateur « ; ») ou fichier de l'Insee, tel que téléchargé",
    )
    dataset = forms.ChoiceField(
        label="Jeu de données",
        required=False,
        choices=[("", "reconnu d'après l'en-tête (conseillé)")]
        + [(j.id, f"{j.id} — {j.titre}") for j in JEUX.values()],
    )
    millesime = forms.IntegerField(
        label="Millésime",
        required=False,
        min_value=1990,
        max_value=2100,
        help_text="seulement si le nom du fichier ne le donne pas (allocataires à bas revenus)",
    )


class TelechargementForm(forms.Form):
    dataset = forms.ChoiceField(label="Jeu de data.caf.fr", choices=[(d, d) for d in DATASETS_OPENDATASOFT])
    territoire = forms.CharField(
        label="Territoire",
        required=False,
        max_length=9,
        help_text="SIREN d'un EPCI ou numéro de département : seulement ses lignes (conseillé) ; vide : tout le jeu",
    )

"""The form of the data page: a Caf or Insee file, and what the header alone cannot tell."""

from django import forms

from ctg.televersement import CSV, ChampFichier

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

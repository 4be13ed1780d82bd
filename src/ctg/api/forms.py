from django import forms

from .jetons import NOM_MAX


class JetonForm(forms.Form):
    nom = forms.CharField(
        label="Nom du jeton",
        max_length=NOM_MAX,
        help_text="À quoi il sert, pour le reconnaître (ex. « tableau de bord du service »).",
    )
    ecriture = forms.BooleanField(
        label="Lecture et écriture",
        required=False,
        help_text="Sans cette case, le jeton ne fait que lire. Avec elle, il peut aussi modifier ce que votre rôle "
        "permet de modifier (le statut d'une fiche action…).",
    )

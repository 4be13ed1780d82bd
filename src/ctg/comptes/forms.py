from django import forms
from django.core.exceptions import ValidationError


class AccepterInvitationForm(forms.Form):
    username = forms.CharField(label="Identifiant", max_length=150)
    first_name = forms.CharField(label="Prénom", max_length=150)
    last_name = forms.CharField(label="Nom", max_length=150)
    password1 = forms.CharField(label="Mot de passe", widget=forms.PasswordInput, min_length=10)
    password2 = forms.CharField(label="Mot de passe (confirmation)", widget=forms.PasswordInput)

    def clean_username(self):
        from django.contrib.auth import get_user_model

        username = self.cleaned_data["username"].strip()
        if get_user_model().objects.filter(username=username).exists():
            raise ValidationError("Cet identifiant est déjà pris.")
        return username

    def clean(self):
        donnees = super().clean()
        if donnees.get("password1") and donnees.get("password1") != donnees.get("password2"):
            self.add_error("password2", "Les deux mots de passe diffèrent.")
        if donnees.get("password1"):
            from django.contrib.auth.password_validation import validate_password

            try:
                validate_password(donnees["password1"])
            except ValidationError as exc:
                self.add_error("password1", exc)
        return donnees

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from ctg.saisie import SaisieControlee

from .models import Profil


class AccepterInvitationForm(SaisieControlee, forms.Form):
    username = forms.CharField(label="Identifiant", max_length=150)
    first_name = forms.CharField(label="Prénom", max_length=150)
    last_name = forms.CharField(label="Nom", max_length=150)
    password1 = forms.CharField(
        label="Mot de passe",
        widget=forms.PasswordInput,
        help_text="Au moins 12 caractères, ni trop courant, ni entièrement numérique, ni proche de votre identifiant "
        "ou de votre nom.",
    )
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
            from django.contrib.auth import get_user_model
            from django.contrib.auth.password_validation import validate_password

            # The account to be: its identifier and name are compared with the password.
            futur = get_user_model()(
                username=donnees.get("username", ""),
                first_name=donnees.get("first_name", ""),
                last_name=donnees.get("last_name", ""),
            )
            try:
                validate_password(donnees["password1"], user=futur)
            except ValidationError as exc:
                self.add_error("password1", exc)
        return donnees


class CodeForm(forms.Form):
    """The six-digit code an authenticator application shows (spaces allowed: "123 456")."""

    code = forms.CharField(
        label="Code à six chiffres",
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )

    def clean_code(self):
        code = "".join(self.cleaned_data["code"].split())
        if not (len(code) == 6 and code.isascii() and code.isdigit()):
            raise ValidationError("Saisissez les six chiffres affichés par votre application, sans autre caractère.")
        return code


class IdentiteForm(SaisieControlee, forms.ModelForm):
    """The signed-in user's name and e-mail address (their profile page). The address is the one a forgotten
    password is sent to: it must not be another account's."""

    class Meta:
        model = get_user_model()
        fields = ["first_name", "last_name", "email"]
        labels = {"first_name": "Prénom", "last_name": "Nom", "email": "Adresse électronique"}
        help_texts = {"email": "pour recevoir les invitations, les convocations et un nouveau mot de passe"}

    resume_hebdomadaire = forms.BooleanField(
        label="Recevoir chaque lundi le résumé des échéances par courriel",
        required=False,
        help_text="les échéances en retard ou à faire bientôt des conventions où vous avez un rôle",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for nom in ("first_name", "last_name", "email"):
            self.fields[nom].required = True
        profil = Profil.objects.filter(user=self.instance).first() if self.instance.pk else None
        self.fields["resume_hebdomadaire"].initial = profil.resume_hebdomadaire if profil else True

    def save(self, commit=True):
        user = super().save(commit=commit)
        if commit:
            Profil.objects.update_or_create(
                user=user, defaults={"resume_hebdomadaire": self.cleaned_data["resume_hebdomadaire"]}
            )
        return user

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        autres = get_user_model().objects.filter(email__iexact=email).exclude(pk=self.instance.pk)
        if autres.exists():
            raise ValidationError("Cette adresse électronique est déjà celle d'un autre compte : indiquez la vôtre.")
        return email

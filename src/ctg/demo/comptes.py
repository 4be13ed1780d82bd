"""Demonstration accounts: fictitious people, known passwords, for a local trial only."""

from django.contrib.auth import get_user_model

MOT_DE_PASSE_DEMO = "ctg-demo-2026"
COMPTES_DEMO = [
    {"username": "demo", "first_name": "Camille", "last_name": "Démo (compte de démonstration)", "is_staff": True},
]


def creer_comptes_demo() -> list[dict]:
    """Create (or reset) the demonstration accounts; return their logins."""
    User = get_user_model()
    comptes = []
    for compte in COMPTES_DEMO:
        user, _ = User.objects.get_or_create(username=compte["username"])
        for cle, valeur in compte.items():
            setattr(user, cle, valeur)
        user.set_password(MOT_DE_PASSE_DEMO)
        user.save()
        comptes.append({"identifiant": user.username, "mot_de_passe": MOT_DE_PASSE_DEMO})
    return comptes

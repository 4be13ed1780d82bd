"""The page a weekly digest's opt-out link opens: signed-in or not, the person confirms and stops the digest."""

from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from . import resume


@require_http_methods(["GET", "POST"])
def desabonnement(request, signature):
    compte = resume.compte_du_jeton(signature)
    if compte is None:
        return render(request, "conventions/resume_desabonnement.html", {"invalide": True}, status=404)
    fait = False
    if request.method == "POST":
        resume.desabonner(compte)
        fait = True
    return render(request, "conventions/resume_desabonnement.html", {"compte": compte, "fait": fait})

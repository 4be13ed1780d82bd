"""The loader of the FICTITIOUS joint communication of the Cambrai demo convention (its content:
``ctg.demo.contenu.communication``): each item created, approved by both parties (the Caf adviser ``demo`` and the
project lead ``chef.projet``) and published through the rules layer (``ctg.conventions.communication``), flagged
``demonstration``. Call after ``creer_comptes_demo``; loading again replaces the demo items."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction

from ctg.conventions import communication as regles
from ctg.conventions.models import Communication, Convention

from .contenu.communication import COMMUNICATIONS


@transaction.atomic
def charger_demo_communication(convention: Convention) -> list[Communication]:
    User = get_user_model()
    Communication.objects.filter(convention=convention, demonstration=True).delete()
    chargees = []
    for contenu in COMMUNICATIONS:
        auteur = User.objects.get(username=contenu["approuvee_par"][0])
        objet = regles.creer(
            convention,
            auteur,
            objet=contenu["objet"],
            support=contenu["support"],
            date_prevue=contenu["date_prevue"],
            contenu=contenu["contenu"],
            demonstration=True,
        )
        for identifiant in contenu["approuvee_par"]:
            regles.approuver(objet, User.objects.get(username=identifiant))
        regles.publier(objet, User.objects.get(username=contenu["publiee_par"]))
        chargees.append(objet)
    return chargees

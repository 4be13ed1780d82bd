"""Existing data under the new rules: the plan's status from its adoption (or its final bilan), a plan and its
objectives tree for every convention, and the few values the new constraints refuse, repaired without loss
(a progress above 100 % is 100 %; a fiche ending before it starts gets its two dates swapped; a second "final
bilan" of a convention is kept as a review). What cannot be repaired safely stops the migration with the list."""

from django.db import migrations
from django.db.models import F, Q

from ctg.plan.arbre import MISSIONS

PREMIER, DERNIER = 2000, 2100


def _semer(Objectif, convention):
    for i, (mission, enjeux) in enumerate(MISSIONS, 1):
        m = Objectif.objects.create(
            convention=convention,
            niveau="mission",
            intitule=mission,
            ordre=i,
            champ="caf",
            domaines=sorted({d for _, ds in enjeux for d in ds}),
            source="article 2",
        )
        for j, (enjeu, ds) in enumerate(enjeux, 1):
            Objectif.objects.create(
                convention=convention,
                parent=m,
                niveau="enjeu",
                intitule=enjeu,
                ordre=j,
                champ="partage",
                domaines=ds,
                source="article 4",
            )


def reprendre(apps, schema_editor):
    Convention = apps.get_model("conventions", "Convention")
    Plan = apps.get_model("plan", "Plan")
    Objectif = apps.get_model("plan", "Objectif")
    FicheAction = apps.get_model("plan", "FicheAction")
    Revue = apps.get_model("plan", "Revue")
    EvaluationAction = apps.get_model("plan", "EvaluationAction")
    Financement = apps.get_model("plan", "Financement")

    for convention in Convention.objects.filter(plan__isnull=True):
        Plan.objects.create(convention=convention)
    for convention in Convention.objects.exclude(objectifs__source="article 2"):
        _semer(Objectif, convention)

    # One final bilan per convention: the latest; an earlier one is kept as a review.
    for convention_id in Revue.objects.filter(type="bilan").values_list("convention_id", flat=True).distinct():
        bilans = list(Revue.objects.filter(convention_id=convention_id, type="bilan").order_by("-date", "-pk"))
        for revue in bilans[1:]:
            revue.type = "revue"
            revue.synthese = (revue.synthese + "\n\n" if revue.synthese else "") + (
                "(Enregistrée comme un second bilan final ; une convention n'a qu'un bilan final.)"
            )
            revue.save(update_fields=["type", "synthese"])

    Plan.objects.filter(adopte_le__isnull=False).update(statut="adopte")
    for bilan in Revue.objects.filter(type="bilan"):
        Plan.objects.filter(convention_id=bilan.convention_id).update(statut="clos", clos_le=bilan.date)

    EvaluationAction.objects.filter(progression__gt=100).update(progression=100)
    for fiche in FicheAction.objects.filter(date_debut__gt=F("date_fin")):
        fiche.date_debut, fiche.date_fin = fiche.date_fin, fiche.date_debut
        fiche.save(update_fields=["date_debut", "date_fin"])

    a_corriger = [
        f"financement n° {f.pk} (fiche n° {f.fiche.numero}) : {f.montant} € en {f.annee}"
        for f in Financement.objects.filter(Q(montant__lt=0) | Q(annee__lt=PREMIER) | Q(annee__gt=DERNIER))
    ]
    if a_corriger:
        raise RuntimeError(
            "Des financements du plan ont un montant négatif ou une année hors de 2000–2100 ; corrigez-les avant "
            "de migrer : " + " ; ".join(a_corriger)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("plan", "0002_integrite_du_plan"),
    ]

    operations = [migrations.RunPython(reprendre, migrations.RunPython.noop)]

"""Each line of a fiche's former text fields "partenaires" and "opérateurs" (« Structure — service ou personne »)
becomes a record linked to an organisation: one of the fiche's convention (its Caf, its EPCI, a member commune, or
one already named by a fiche of the same convention) when the name is the same, whatever its case, accents, hyphens
or apostrophes; else a new organisation of type "autre partenaire". Back, the lines are written again from the
records, in their order. The reading is that of ``ctg.plan.acteurs`` at the time, frozen here."""

import re
import unicodedata

from django.db import migrations
from django.db.models import Q

ROLES = (("partenaires", "partenaire"), ("operateurs", "operateur"))


def cle(nom: str) -> str:
    simple = "".join(c for c in unicodedata.normalize("NFKD", nom) if not unicodedata.combining(c))
    simple = simple.casefold().replace("œ", "oe").replace("æ", "ae")
    return re.sub(r"[-'’\s]+", " ", simple).strip()


def lire_ligne(ligne: str) -> tuple[str, str]:
    nom, _, precision = " ".join(ligne.split()).partition("—")
    return nom.strip(), precision.strip()


def vers_les_acteurs(apps, schema_editor):
    FicheAction = apps.get_model("plan", "FicheAction")
    ActeurFiche = apps.get_model("plan", "ActeurFiche")
    Organisation = apps.get_model("comptes", "Organisation")
    connues_par_convention: dict[int, dict[str, object]] = {}
    for fiche in FicheAction.objects.select_related("convention").order_by("pk"):
        convention = fiche.convention
        connues = connues_par_convention.get(convention.pk)
        if connues is None:
            qs = Organisation.objects.filter(
                Q(pk=convention.caf_id)
                | Q(type="epci", epci_id=convention.epci_id)
                | Q(type="commune", commune__adhesions__convention=convention)
                | Q(acteurs_de_fiches__fiche__convention=convention)
            ).distinct()
            connues = connues_par_convention[convention.pk] = {}
            for organisation in qs.order_by("pk"):
                connues.setdefault(cle(organisation.nom), organisation)
        for champ, role in ROLES:
            lignes = [ligne for ligne in getattr(fiche, champ).splitlines() if ligne.strip()]
            for ordre, ligne in enumerate(lignes):
                nom, precision = lire_ligne(ligne)
                if not nom:  # « — PMI »: no structure named, the whole line kept as the organisation's name
                    nom, precision = " ".join(ligne.split()), ""
                organisation = connues.get(cle(nom))
                if organisation is None:
                    organisation = Organisation.objects.create(type="autre", nom=nom[:200])
                    connues[cle(nom)] = organisation
                ActeurFiche.objects.create(
                    fiche=fiche, organisation=organisation, role=role, precision=precision[:200], ordre=ordre
                )


def vers_le_texte(apps, schema_editor):
    FicheAction = apps.get_model("plan", "FicheAction")
    for fiche in FicheAction.objects.prefetch_related("acteurs__organisation").order_by("pk"):
        for champ, role in ROLES:
            acteurs = sorted((a for a in fiche.acteurs.all() if a.role == role), key=lambda a: (a.ordre, a.pk))
            texte = "\n".join(" — ".join(p for p in (a.organisation.nom, a.precision) if p) for a in acteurs)
            setattr(fiche, champ, texte)
        fiche.save(update_fields=[champ for champ, _ in ROLES])
    apps.get_model("plan", "ActeurFiche").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("plan", "0006_acteurs_des_fiches"),
    ]

    operations = [migrations.RunPython(vers_les_acteurs, vers_le_texte)]

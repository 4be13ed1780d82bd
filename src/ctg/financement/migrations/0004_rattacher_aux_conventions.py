"""Each structure and each Cej is attached to one convention of its EPCI; duplicate verifications are merged.

Until now structures and Cej references belonged to the territory and every convention of the EPCI reached them.
Each one now goes to the convention of its EPCI whose period covers the record (a structure: the day it was
entered; a Cej: the convention of its structures, else the day after it ended), else to the earliest convention of
the EPCI. Capacities, Cej lines and actual funding follow their structure or Cej.

The audit trail starts here: every existing row gets an initial history record (change reason below). A
verification recorded twice for the same convention, commune and year keeps its latest record; the earlier ones
are deleted, their full content kept in the history (deleted records), so nothing is lost.

A structure or a Cej whose EPCI has no convention at all cannot be attached: the migration stops and names them
(create the convention of that EPCI, then run the migration again).
"""

from collections import Counter, defaultdict
from datetime import timedelta

from django.db import migrations
from django.utils import timezone

MOTIF = "rattachement à la convention (migration 0004)"
MODELES_HISTORISES = ["Structure", "Capacite", "Cej", "LigneCej", "FinancementReel", "Verification", "Bareme"]
MODELES_HISTORISES.append("RichesseCommune")


def convention_pour(conventions, jour):
    """Among ``conventions`` of one EPCI (earliest first), the one whose period covers ``jour``, else the
    earliest; None if there is none."""
    for convention in conventions:
        if jour is not None and convention.date_debut <= jour <= convention.date_fin:
            return convention
    return conventions[0] if conventions else None


def _historiser(apps, modele, objets, type_, motif, instant):
    historique = apps.get_model("financement", f"Historical{modele}")
    champs = [f.attname for f in apps.get_model("financement", modele)._meta.concrete_fields]
    historique.objects.bulk_create(
        [
            historique(
                **{champ: getattr(objet, champ) for champ in champs},
                history_date=instant,
                history_type=type_,
                history_change_reason=motif,
            )
            for objet in objets
        ],
        batch_size=500,
    )


def rattacher(apps, schema_editor):
    Convention = apps.get_model("conventions", "Convention")
    Structure = apps.get_model("financement", "Structure")
    Cej = apps.get_model("financement", "Cej")
    LigneCej = apps.get_model("financement", "LigneCej")
    Verification = apps.get_model("financement", "Verification")

    par_epci = defaultdict(list)
    for convention in Convention.objects.order_by("date_debut", "pk"):
        par_epci[convention.epci_id].append(convention)

    orphelins = []
    structures = {}
    for structure in Structure.objects.filter(convention__isnull=True).select_related("commune"):
        jour = timezone.localdate(structure.creee_le) if structure.creee_le else structure.date_ouverture
        convention = convention_pour(par_epci[structure.commune.epci_id], jour)
        if convention is None:
            orphelins.append(f"structure n° {structure.pk} « {structure.nom} » ({structure.commune_id})")
            continue
        Structure.objects.filter(pk=structure.pk).update(convention=convention)
        structures[structure.pk] = convention.pk

    for cej in Cej.objects.filter(convention__isnull=True).select_related("commune"):
        des_structures = Counter(
            structures.get(sid) or Structure.objects.filter(pk=sid).values_list("convention_id", flat=True).first()
            for sid in LigneCej.objects.filter(cej=cej).values_list("structure_id", flat=True)
        )
        des_structures.pop(None, None)
        if des_structures:
            convention_id = des_structures.most_common(1)[0][0]
        else:
            convention = convention_pour(par_epci[cej.commune.epci_id], cej.date_fin + timedelta(days=1))
            if convention is None:
                orphelins.append(f"Cej n° {cej.pk} « {cej.intitule} » ({cej.commune_id})")
                continue
            convention_id = convention.pk
        Cej.objects.filter(pk=cej.pk).update(convention_id=convention_id)

    if orphelins:
        raise RuntimeError(
            "Ces enregistrements du financement sont sur un EPCI qui n'a aucune convention : créez la convention "
            "de cet EPCI, puis relancez la migration. " + " ; ".join(orphelins)
        )

    instant = timezone.now()
    for modele in MODELES_HISTORISES:
        objets = list(apps.get_model("financement", modele).objects.all())
        _historiser(apps, modele, objets, "+", MOTIF, instant)

    doublons = defaultdict(list)
    for verification in Verification.objects.order_by("verifie_le", "pk"):
        doublons[(verification.convention_id, verification.commune_id, verification.annee)].append(verification)
    for verifications in doublons.values():
        *anciennes, gardee = verifications
        if anciennes:
            motif = f"vérification remplacée par la n° {gardee.pk} (même convention, commune et année ; migration 0004)"
            _historiser(apps, "Verification", anciennes, "-", motif, instant + timedelta(microseconds=1))
            Verification.objects.filter(pk__in=[v.pk for v in anciennes]).delete()


class Migration(migrations.Migration):
    dependencies = [("financement", "0003_rattachement_a_la_convention")]

    operations = [migrations.RunPython(rattacher, migrations.RunPython.noop)]

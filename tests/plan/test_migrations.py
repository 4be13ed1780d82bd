"""The migrations of the plan model, forward from the previous version and back, without loss: a fiche's partners
and operators (lines of text) become records linked to organisations; a financing gets its actual amount; an
indicator's target becomes the target of its year; the indicators' descriptions become the convention's definitions,
which several fiches follow. Run on a copy of the session's SQLite template (migrated, with
the territories), in a process of its own (tests/scenario_de_migration.py)."""

import textwrap

import pytest

from tests.scenario_de_migration import rejouer_sur_copie

pytestmark = pytest.mark.django_db

SCRIPT = textwrap.dedent(
    r"""
    import datetime, json
    import django
    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor
    from ctg.comptes.models import Organisation
    from ctg.demo.convention_cambrai import charger_convention_cambrai
    from ctg.plan.models import ActeurFiche, CibleAnnuelle, DefinitionIndicateur, Financement, IndicateurAction

    AVANT = "0001_squashed_0005_plan"  # the previous version: partners and operators as text
    TEXTES = {
        1: (
            "Caf du Nord — conseillère territoriale\n\n  MAIRIE de  Masnières — adjointe à la famille\nFrance Travail",
            "Association gestionnaire retenue par appel à projets",
        ),
        2: ("Mairie de Masnieres\nDépartement du Nord — PMI — protection maternelle", ""),
    }
    resultat = {}

    def textes():
        with connection.cursor() as curseur:
            curseur.execute("SELECT numero, partenaires, operateurs FROM plan_ficheaction ORDER BY numero")
            return {str(n): [p, o] for n, p, o in curseur.fetchall()}

    call_command("migrate", verbosity=0)
    convention = charger_convention_cambrai()
    ailleurs = Organisation.objects.create(type="autre", nom="France Travail")  # of no fiche of this convention
    avant = Organisation.objects.count()
    call_command("migrate", "plan", AVANT, verbosity=0)
    FicheAction = MigrationExecutor(connection).loader.project_state(("plan", AVANT)).apps.get_model(
        "plan", "FicheAction"
    )
    for numero, (partenaires, operateurs) in TEXTES.items():
        FicheAction.objects.create(
            convention_id=convention.pk, numero=numero, titre=f"Action {numero}",
            partenaires=partenaires, operateurs=operateurs,
        )
    etat = MigrationExecutor(connection).loader.project_state(("plan", AVANT)).apps
    etat.get_model("plan", "Financement").objects.create(
        fiche_id=etat.get_model("plan", "FicheAction").objects.get(numero=1).pk, financeur="Caf du Nord",
        annee=2024, montant="120000.50", nature="aide",
    )
    fiches = dict(etat.get_model("plan", "FicheAction").objects.values_list("numero", "pk"))
    Indicateur = etat.get_model("plan", "IndicateurAction")
    Indicateur.objects.create(
        fiche_id=fiches[2], libelle="Places créées", valeur_initiale=0, cible=12.5,
        date_cible=datetime.date(2025, 9, 30),
    )
    for libelle, catalogue, territoire, cible in (
        ("Places créées", "", "", 30),  # the same description on another fiche: the same definition
        ("Places créées", "", "59122", 4),  # another territory: another definition
        ("Offre d'accueil", "places_total", "", 1400),
    ):
        Indicateur.objects.create(
            fiche_id=fiches[1], libelle=libelle, unite="places", source="Caf", indicateur_catalogue=catalogue,
            territoire=territoire, valeur_initiale=None if catalogue else 0, annee_reference=2021,
            cible=cible, date_cible=datetime.date(2026, 12, 31),
        )
    Indicateur.objects.filter(cible=30).update(unite="")  # same wording, unit and source as fiche 2's
    Indicateur.objects.filter(cible=30).update(source="")
    premier = Indicateur.objects.get(cible=12.5)
    etat.get_model("plan", "HistoricalIndicateurAction").objects.create(  # a former wording of fiche 2's
        id=premier.pk, fiche_id=fiches[2], libelle="Places", valeur_initiale=0, cible=10,
        date_cible=datetime.date(2025, 9, 30), ordre=0, history_date=datetime.datetime(2024, 1, 1),
        history_type="+",
    )
    call_command("migrate", "plan", verbosity=0)  # forward: the lines become records
    resultat["acteurs"] = [
        [a.fiche.numero, a.role, a.organisation.nom, a.organisation.type, a.precision, a.ordre]
        for a in ActeurFiche.objects.select_related("fiche", "organisation").order_by("fiche__numero", "role", "ordre")
    ]
    resultat["caf"] = ActeurFiche.objects.filter(organisation=convention.caf).count()
    resultat["ailleurs"] = ActeurFiche.objects.filter(organisation=ailleurs).count()
    resultat["creees"] = Organisation.objects.count() - avant
    resultat["financements"] = [[str(f.montant), f.montant_realise] for f in Financement.objects.all()]
    resultat["cibles"] = [
        [c.indicateur.definition.libelle, c.annee, c.valeur] for c in CibleAnnuelle.objects.order_by("valeur")
    ]
    resultat["definitions"] = [
        [d.libelle, d.unite, d.source, d.indicateur_catalogue, d.territoire, d.convention_id == convention.pk,
         sorted([i.fiche.numero, i.cible] for i in d.suivis.all())]
        for d in DefinitionIndicateur.objects.order_by("libelle", "territoire")
    ]
    resultat["historique"] = [
        h.definition.libelle for h in IndicateurAction.historique.filter(id=premier.pk)
    ]
    call_command("migrate", "plan", AVANT, verbosity=0)  # back: the lines written again
    resultat["textes"] = textes()
    with connection.cursor() as curseur:
        curseur.execute("SELECT montant FROM plan_financement")
        resultat["montants"] = [str(m) for (m,) in curseur.fetchall()]
        curseur.execute(
            "SELECT cible, date_cible, libelle, unite, source, indicateur_catalogue, territoire, valeur_initiale "
            "FROM plan_indicateuraction ORDER BY cible"
        )
        resultat["indicateurs"] = [[c, str(d), *autres] for c, d, *autres in curseur.fetchall()]
        curseur.execute("SELECT libelle, cible FROM plan_historicalindicateuraction")
        resultat["versions"] = [list(v) for v in curseur.fetchall()]
    print(json.dumps(resultat))
    """
)


def test_le_plan_passe_a_la_nouvelle_version_et_retour(tmp_path):
    resultat = rejouer_sur_copie(SCRIPT, tmp_path)
    # every line is a record, in its order; the same name (case, accents, spaces aside) is the same organisation:
    # the convention's Caf, one new "Mairie de Masnières" for both fiches; another convention's "France Travail" is
    # not taken
    assert resultat["acteurs"] == [
        [1, "operateur", "Association gestionnaire retenue par appel à projets", "autre", "", 0],
        [1, "partenaire", "Caf du Nord", "caf", "conseillère territoriale", 0],
        [1, "partenaire", "MAIRIE de Masnières", "autre", "adjointe à la famille", 1],
        [1, "partenaire", "France Travail", "autre", "", 2],
        [2, "partenaire", "MAIRIE de Masnières", "autre", "", 0],
        [2, "partenaire", "Département du Nord", "autre", "PMI — protection maternelle", 1],
    ]
    assert (resultat["caf"], resultat["ailleurs"], resultat["creees"]) == (1, 0, 4)
    # the planned amount kept, the actual one to be known
    assert resultat["financements"] == [["120000.50", None]]
    # the single target is the target of its year
    assert resultat["cibles"] == [
        ["Places créées", 2026, 4],
        ["Places créées", 2025, 12.5],
        ["Places créées", 2026, 30],
        ["Offre d'accueil", 2026, 1400],
    ]
    # one definition per distinct description in the convention, followed by each fiche with its own target
    assert resultat["definitions"] == [
        ["Offre d'accueil", "places", "Caf", "places_total", "", True, [[1, 1400]]],
        ["Places créées", "", "", "", "", True, [[1, 30], [2, 12.5]]],
        ["Places créées", "places", "Caf", "", "59122", True, [[1, 4]]],
    ]
    # a version of the history follows the definition of its description, or else (a former wording, defined
    # nowhere now) that of its indicator: its targets kept, its description read through today's definition
    assert resultat["historique"] == ["Places créées"]
    # back: the same lines (blank lines and repeated spaces aside; a name as its organisation spells it)
    assert resultat["textes"] == {
        "1": [
            "Caf du Nord — conseillère territoriale\nMAIRIE de Masnières — adjointe à la famille\nFrance Travail",
            "Association gestionnaire retenue par appel à projets",
        ],
        "2": ["MAIRIE de Masnières\nDépartement du Nord — PMI — protection maternelle", ""],
    }
    assert [m.rstrip("0").rstrip(".") for m in resultat["montants"]] == ["120000.5"]
    # back: each indicator with its own description again
    assert resultat["indicateurs"] == [
        [4, "2026-12-31", "Places créées", "places", "Caf", "", "59122", 0],
        [12.5, "2025-09-30", "Places créées", "", "", "", "", 0],
        [30, "2026-12-31", "Places créées", "", "", "", "", 0],
        [1400, "2026-12-31", "Offre d'accueil", "places", "Caf", "places_total", "", None],
    ]
    assert resultat["versions"] == [["Places créées", 10]]

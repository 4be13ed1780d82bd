import datetime

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("plan", "0003_donnees_existantes"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="adaptationobjectif",
            constraint=models.CheckConstraint(
                condition=models.Q(("texte", ""), _negated=True), name="plan_adaptation_texte_non_vide"
            ),
        ),
        migrations.AddConstraint(
            model_name="evaluationaction",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("progression__isnull", True),
                    models.Q(("progression__gte", 0), ("progression__lte", 100)),
                    _connector="OR",
                ),
                name="plan_evaluation_progression_0_100",
            ),
        ),
        migrations.AddConstraint(
            model_name="evaluationaction",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("statut__in", ["a_venir", "en_cours", "en_retard", "en_pause", "abandonnee", "terminee"])
                ),
                name="plan_evaluation_statut_connu",
            ),
        ),
        migrations.AddConstraint(
            model_name="evaluationaction",
            constraint=models.CheckConstraint(
                condition=models.Q(("decision__in", ["maintenir", "adapter", "arreter"])),
                name="plan_evaluation_decision_connue",
            ),
        ),
        migrations.AddConstraint(
            model_name="ficheaction",
            constraint=models.CheckConstraint(condition=models.Q(("numero__gte", 1)), name="plan_fiche_numero_positif"),
        ),
        migrations.AddConstraint(
            model_name="ficheaction",
            constraint=models.CheckConstraint(
                condition=models.Q(("titre", ""), _negated=True), name="plan_fiche_titre_non_vide"
            ),
        ),
        migrations.AddConstraint(
            model_name="ficheaction",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("statut__in", ["a_venir", "en_cours", "en_retard", "en_pause", "abandonnee", "terminee"])
                ),
                name="plan_fiche_statut_connu",
            ),
        ),
        migrations.AddConstraint(
            model_name="ficheaction",
            constraint=models.CheckConstraint(
                condition=models.Q(("priorite__in", [1, 2, 3])), name="plan_fiche_priorite_connue"
            ),
        ),
        migrations.AddConstraint(
            model_name="ficheaction",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("date_debut__isnull", True),
                    ("date_fin__isnull", True),
                    ("date_debut__lte", models.F("date_fin")),
                    _connector="OR",
                ),
                name="plan_fiche_debut_avant_fin",
            ),
        ),
        migrations.AddConstraint(
            model_name="ficheaction",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("date_debut__isnull", True),
                    models.Q(
                        ("date_debut__gte", datetime.date(2000, 1, 1)), ("date_debut__lte", datetime.date(2100, 12, 31))
                    ),
                    _connector="OR",
                ),
                name="plan_fiche_date_debut_plausible",
            ),
        ),
        migrations.AddConstraint(
            model_name="ficheaction",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("date_fin__isnull", True),
                    models.Q(
                        ("date_fin__gte", datetime.date(2000, 1, 1)), ("date_fin__lte", datetime.date(2100, 12, 31))
                    ),
                    _connector="OR",
                ),
                name="plan_fiche_date_fin_plausible",
            ),
        ),
        migrations.AddConstraint(
            model_name="ficheaction",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("statut_le__isnull", True),
                    models.Q(
                        ("statut_le__gte", datetime.date(2000, 1, 1)), ("statut_le__lte", datetime.date(2100, 12, 31))
                    ),
                    _connector="OR",
                ),
                name="plan_fiche_statut_le_plausible",
            ),
        ),
        migrations.AddConstraint(
            model_name="financement",
            constraint=models.CheckConstraint(
                condition=models.Q(("montant__gte", 0)), name="plan_financement_montant_positif"
            ),
        ),
        migrations.AddConstraint(
            model_name="financement",
            constraint=models.CheckConstraint(
                condition=models.Q(("annee__gte", 2000), ("annee__lte", 2100)), name="plan_financement_annee_plausible"
            ),
        ),
        migrations.AddConstraint(
            model_name="financement",
            constraint=models.CheckConstraint(
                condition=models.Q(("nature__in", ["aide", "fonds_propres"])), name="plan_financement_nature_connue"
            ),
        ),
        migrations.AddConstraint(
            model_name="financement",
            constraint=models.CheckConstraint(
                condition=models.Q(("financeur", ""), _negated=True), name="plan_financement_financeur_nomme"
            ),
        ),
        migrations.AddConstraint(
            model_name="indicateuraction",
            constraint=models.CheckConstraint(
                condition=models.Q(("libelle", ""), _negated=True), name="plan_indicateur_libelle_non_vide"
            ),
        ),
        migrations.AddConstraint(
            model_name="indicateuraction",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("annee_reference__isnull", True),
                    models.Q(("annee_reference__gte", 2000), ("annee_reference__lte", 2100)),
                    _connector="OR",
                ),
                name="plan_indicateur_annee_reference_plausible",
            ),
        ),
        migrations.AddConstraint(
            model_name="indicateuraction",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("date_cible__gte", datetime.date(2000, 1, 1)), ("date_cible__lte", datetime.date(2100, 12, 31))
                ),
                name="plan_indicateur_date_cible_plausible",
            ),
        ),
        migrations.AddConstraint(
            model_name="indicateuraction",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("indicateur_catalogue", ""), _negated=True),
                    ("valeur_initiale__isnull", False),
                    _connector="OR",
                ),
                name="plan_indicateur_non_lie_a_une_valeur_initiale",
            ),
        ),
        migrations.AddConstraint(
            model_name="jalon",
            constraint=models.CheckConstraint(
                condition=models.Q(("libelle", ""), _negated=True), name="plan_jalon_libelle_non_vide"
            ),
        ),
        migrations.AddConstraint(
            model_name="jalon",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("date_prevue__gte", datetime.date(2000, 1, 1)), ("date_prevue__lte", datetime.date(2100, 12, 31))
                ),
                name="plan_jalon_date_prevue_plausible",
            ),
        ),
        migrations.AddConstraint(
            model_name="jalon",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("date_realisee__isnull", True),
                    models.Q(
                        ("date_realisee__gte", datetime.date(2000, 1, 1)),
                        ("date_realisee__lte", datetime.date(2100, 12, 31)),
                    ),
                    _connector="OR",
                ),
                name="plan_jalon_date_realisee_plausible",
            ),
        ),
        migrations.AddConstraint(
            model_name="objectif",
            constraint=models.CheckConstraint(
                condition=models.Q(("niveau__in", ["mission", "enjeu", "strategique", "operationnel"])),
                name="plan_objectif_niveau_connu",
            ),
        ),
        migrations.AddConstraint(
            model_name="objectif",
            constraint=models.CheckConstraint(
                condition=models.Q(("champ__in", ["caf", "partage", "collectivite", "autre"])),
                name="plan_objectif_champ_connu",
            ),
        ),
        migrations.AddConstraint(
            model_name="objectif",
            constraint=models.CheckConstraint(
                condition=models.Q(("intitule", ""), _negated=True), name="plan_objectif_intitule_non_vide"
            ),
        ),
        migrations.AddConstraint(
            model_name="objectif",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("parent__isnull", True), models.Q(("parent", models.F("pk")), _negated=True), _connector="OR"
                ),
                name="plan_objectif_pas_son_propre_parent",
            ),
        ),
        migrations.AddConstraint(
            model_name="objectif",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("champ", "autre"), _negated=True),
                    models.Q(("signataire", ""), _negated=True),
                    _connector="OR",
                ),
                name="plan_objectif_autre_signataire_nomme",
            ),
        ),
        migrations.AddConstraint(
            model_name="plan",
            constraint=models.CheckConstraint(
                condition=models.Q(("statut__in", ["en_preparation", "adopte", "en_revision", "clos"])),
                name="plan_statut_connu",
            ),
        ),
        migrations.AddConstraint(
            model_name="plan",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("adopte_le__isnull", True), ("statut", "en_preparation")),
                    models.Q(("adopte_le__isnull", False), ("statut__in", ["adopte", "en_revision"])),
                    ("statut", "clos"),
                    _connector="OR",
                ),
                name="plan_adopte_a_une_date_d_adoption",
            ),
        ),
        migrations.AddConstraint(
            model_name="plan",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("clos_le__isnull", False), ("statut", "clos")),
                    models.Q(models.Q(("statut", "clos"), _negated=True), ("clos_le__isnull", True)),
                    _connector="OR",
                ),
                name="plan_clos_a_une_date_de_bilan",
            ),
        ),
        migrations.AddConstraint(
            model_name="plan",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("statut", "en_revision"), _negated=True),
                    models.Q(("revision_ouverte_le__isnull", False), models.Q(("motif_revision", ""), _negated=True)),
                    _connector="OR",
                ),
                name="plan_en_revision_a_une_date_et_un_motif",
            ),
        ),
        migrations.AddConstraint(
            model_name="plan",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("revision_ouverte_le__isnull", True),
                    ("adopte_le__lte", models.F("revision_ouverte_le")),
                    _connector="OR",
                ),
                name="plan_revision_apres_adoption",
            ),
        ),
        migrations.AddConstraint(
            model_name="plan",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("revise_le__isnull", True), ("revision_ouverte_le__lte", models.F("revise_le")), _connector="OR"
                ),
                name="plan_revision_adoptee_apres_ouverture",
            ),
        ),
        migrations.AddConstraint(
            model_name="plan",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("adopte_le__isnull", True),
                    models.Q(
                        ("adopte_le__gte", datetime.date(2000, 1, 1)), ("adopte_le__lte", datetime.date(2100, 12, 31))
                    ),
                    _connector="OR",
                ),
                name="plan_adopte_le_plausible",
            ),
        ),
        migrations.AddConstraint(
            model_name="plan",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("revision_ouverte_le__isnull", True),
                    models.Q(
                        ("revision_ouverte_le__gte", datetime.date(2000, 1, 1)),
                        ("revision_ouverte_le__lte", datetime.date(2100, 12, 31)),
                    ),
                    _connector="OR",
                ),
                name="plan_revision_ouverte_le_plausible",
            ),
        ),
        migrations.AddConstraint(
            model_name="plan",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("revise_le__isnull", True),
                    models.Q(
                        ("revise_le__gte", datetime.date(2000, 1, 1)), ("revise_le__lte", datetime.date(2100, 12, 31))
                    ),
                    _connector="OR",
                ),
                name="plan_revise_le_plausible",
            ),
        ),
        migrations.AddConstraint(
            model_name="plan",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("clos_le__isnull", True),
                    models.Q(
                        ("clos_le__gte", datetime.date(2000, 1, 1)), ("clos_le__lte", datetime.date(2100, 12, 31))
                    ),
                    _connector="OR",
                ),
                name="plan_clos_le_plausible",
            ),
        ),
        migrations.AddConstraint(
            model_name="revue",
            constraint=models.CheckConstraint(
                condition=models.Q(("type__in", ["revue", "bilan"])), name="plan_revue_type_connu"
            ),
        ),
        migrations.AddConstraint(
            model_name="revue",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("date__gte", datetime.date(2000, 1, 1)), ("date__lte", datetime.date(2100, 12, 31))
                ),
                name="plan_revue_date_plausible",
            ),
        ),
        migrations.AddConstraint(
            model_name="revue",
            constraint=models.UniqueConstraint(
                condition=models.Q(("type", "bilan")), fields=("convention",), name="plan_un_bilan_final_par_convention"
            ),
        ),
        migrations.AddConstraint(
            model_name="valeursaisie",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("date__gte", datetime.date(2000, 1, 1)), ("date__lte", datetime.date(2100, 12, 31))
                ),
                name="plan_valeur_date_plausible",
            ),
        ),
    ]

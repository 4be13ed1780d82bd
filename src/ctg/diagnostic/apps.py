from django.apps import AppConfig


class DiagnosticConfig(AppConfig):
    name = "ctg.diagnostic"
    verbose_name = "Diagnostic territorial"

    def ready(self):
        # After each committed import, the stored indicators that read the imported dataset are computed again.
        from django.core.signals import request_finished, request_started
        from django.db.models.signals import post_delete, post_save

        from ctg.donnees.models import Fichier
        from ctg.donnees.signaux import observations_importees
        from ctg.territoires.models import ImportTerritoires

        from . import calcul

        observations_importees.connect(
            calcul.recalculer_apres_import, dispatch_uid="diagnostic.recalculer_apres_import"
        )
        # The version of the data, read once per request (calcul._version_donnees), read again after any write.
        request_started.connect(calcul.requete_commencee, dispatch_uid="diagnostic.requete_commencee")
        request_finished.connect(calcul.requete_finie, dispatch_uid="diagnostic.requete_finie")
        for modele in (Fichier, ImportTerritoires):
            for nom, signal in (("enregistre", post_save), ("supprime", post_delete)):
                uid = f"diagnostic.version_perimee.{modele.__name__}.{nom}"
                signal.connect(calcul.version_perimee, sender=modele, dispatch_uid=uid)

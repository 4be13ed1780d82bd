from django.apps import AppConfig


class DiagnosticConfig(AppConfig):
    name = "ctg.diagnostic"
    verbose_name = "Diagnostic territorial"

    def ready(self):
        # After each committed import, the stored indicators that read the imported dataset are computed again.
        from ctg.donnees.signaux import observations_importees

        from .calcul import recalculer_apres_import

        observations_importees.connect(recalculer_apres_import, dispatch_uid="diagnostic.recalculer_apres_import")

from django.apps import AppConfig


class DiagnosticConfig(AppConfig):
    name = "ctg.diagnostic"
    verbose_name = "Diagnostic territorial"

from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "ctg.documents"
    verbose_name = "Documents (DOCX, PDF, texte)"

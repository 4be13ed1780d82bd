from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "ctg.demo"
    verbose_name = "Démonstration"

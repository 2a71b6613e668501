from django.apps import AppConfig


class PrintingConfig(AppConfig):
    name = "ejournal.printing"
    label = "printing"
    verbose_name = "Печать журнала"

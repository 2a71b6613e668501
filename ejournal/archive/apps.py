from django.apps import AppConfig


class ArchiveConfig(AppConfig):
    name = "ejournal.archive"
    label = "archive"
    verbose_name = "Резервные копии и архив"

from django.apps import AppConfig


class InteropConfig(AppConfig):
    name = "ejournal.interop"
    label = "interop"
    verbose_name = "Импорт и экспорт"

from django.apps import AppConfig
from django.urls import register_converter


class CoreConfig(AppConfig):
    name = "ejournal.core"
    label = "core"

    def ready(self) -> None:
        from .inputs import IdConverter

        # Registered before any URL module is imported (URLs are read on the first request or reverse()).
        register_converter(IdConverter, "id")

from django.apps import AppConfig


class HomeConfig(AppConfig):
    """The pages every person passes through: the start page of each role, the menu and /healthz.
    They read several apps at once, so they live above them, never in core."""

    name = "ejournal.home"
    label = "home"

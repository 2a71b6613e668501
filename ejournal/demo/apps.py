from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo and benchmark school generator with its commands (`demo`, `demo_logins`): an app of its own
    at the top, so that nothing below it knows a demo exists."""

    name = "ejournal.demo"
    label = "demo"

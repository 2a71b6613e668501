from django.apps import AppConfig


class HelpConfig(AppConfig):
    """Справка: the short help panel of each main page and the help centre built from the user docs."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "ejournal.help"
    label = "help"
    verbose_name = "Справка"

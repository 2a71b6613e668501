from django.apps import AppConfig


class HoursConfig(AppConfig):
    name = "ejournal.hours"
    label = "hours"
    verbose_name = "Проведённые часы"

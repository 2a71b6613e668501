from django.apps import AppConfig


class CurriculumConfig(AppConfig):
    name = "ejournal.curriculum"
    label = "curriculum"
    verbose_name = "Учебный план и расписание"

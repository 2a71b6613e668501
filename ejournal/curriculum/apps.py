from django.apps import AppConfig


class CurriculumConfig(AppConfig):
    name = "ejournal.curriculum"
    label = "curriculum"
    verbose_name = "Учебный план и расписание"

    def ready(self) -> None:
        from ejournal.schools import signals

        from . import calendar

        # Schools sends these before a year's dates or a holiday change; the lessons are curriculum's.
        signals.year_dates_changing.connect(calendar.refuse_lessons_outside_year, dispatch_uid="curriculum-year")
        signals.days_closing.connect(calendar.remove_empty_lessons, dispatch_uid="curriculum-holiday")

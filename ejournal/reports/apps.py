from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "ejournal.reports"
    label = "reports"
    verbose_name = "Мониторинг и отчёты"

from datetime import datetime, timedelta

from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "ejournal.notifications"
    label = "notifications"
    verbose_name = "Информирование"

    def ready(self) -> None:
        from ejournal.accounts import signals as account_signals
        from ejournal.core import ticks
        from ejournal.journal import signals

        from . import delivery, events, services, tasks

        account_signals.password_changed.connect(services.tell_password_changed, dispatch_uid="notifications.password")

        signals.marks_changed.connect(events.record_marks, dispatch_uid="notifications.marks")
        signals.attendance_changed.connect(events.record_attendance, dispatch_uid="notifications.attendance")
        signals.period_mark_changed.connect(events.record_period_mark, dispatch_uid="notifications.period_mark")
        signals.homework_changed.connect(events.record_homework, dispatch_uid="notifications.homework")

        @ticks.register("notifications.deliver", every=timedelta(minutes=1))
        def deliver(now: datetime) -> None:
            if delivery.has_due(now):
                tasks.deliver_batch.enqueue()

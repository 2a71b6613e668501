"""The period archive needs the director's access code, so the worker cannot make it alone: after a reporting
period ends, the director is reminded once in each of the two weeks after it (the first reminder on the day
after the period) until the archive of that period is made."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.urls import reverse

from ejournal.access import archive as access
from ejournal.notifications.models import Message
from ejournal.notifications.services import notify
from ejournal.schools.models import Period, School

from .models import BackupLogEntry, LogKind, LogStatus

REMIND_FOR = dt.timedelta(days=14)


def periods_without_archive(school: School, today: dt.date) -> list[Period]:
    """Periods of the school that ended in the last two weeks and have no archive made yet."""
    ended = Period.objects.filter(school_id=school.pk, end__lt=today, end__gte=today - REMIND_FOR)
    made = set(
        BackupLogEntry.objects.filter(school_id=school.pk, kind=LogKind.ARCHIVE, status=LogStatus.DONE).values_list(
            "details__period_id", flat=True
        )
    )
    return [p for p in ended.select_related("scheme").order_by("end", "pk") if p.pk not in made]


def remind_school(school: School, today: dt.date) -> int:
    """Remind the school's directors of each period still without its archive, once a week (the key names the
    week after the period's end, so a worker that missed a day reminds the next). Returns how many were written."""
    written = 0
    for period in periods_without_archive(school, today):
        key = f"archive-reminder:{period.pk}:{((today - period.end).days - 1) // 7}"
        scheme = period.scheme
        title = f"Архив периода «{period.name}» ещё не создан"
        text = (
            f"Период «{period.name}» ({scheme.grade_from}–{scheme.grade_to} кл.) закончился. Создайте архив периода: "
            f"его код доступа знаете только вы, поэтому без вас архив не будет сделан."
        )
        for director in access.archive_reminder_recipients(school.pk):
            if Message.objects.filter(recipient=director, dedupe_key=key).exists():
                continue
            notify(
                recipient=director,
                event="message",
                title=title,
                text=text,
                url=reverse("archive:periods"),
                dedupe_key=key,
            )
            written += 1
    return written


def remind_all(now: dt.datetime) -> int:
    """The daily tick: every active school, by its own calendar date."""
    return sum(
        remind_school(school, now.astimezone(ZoneInfo(school.timezone)).date())
        for school in School.objects.filter(is_active=True).order_by("pk")
    )

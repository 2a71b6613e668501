"""Automated reports: monthly and at each period's end, from the school calendar, without cron lines.

The hourly tick (`reports.deliver`, registered in apps.py) looks at each school's periods: a period that
ended (within the last month) is due for its period report; the month just over is due for a monthly report
of the period it fell in. What is due and not yet stored is enqueued as a background task, which builds the
school summary in every grouping from one read of the data, stores each as XLSX and PDF with its date
(StoredReport) and tells the school's directors and deputies (inbox and e-mail) through notifications.

Idempotent: a report is one row per school, occasion and grouping (a unique constraint); the tick enqueues
only what is missing and the task stores only what is missing, so two ticks or two workers store one copy.

The same tick stores the administrator's «Анализ работы с классным журналом ЭЖ» (keeping.py) for the month just
over (the whole school) and for each period that ended (its grades), under the grouping "keeping", and tells
the same people; its PDF carries the signature lines of the administrator and the director. Every stored PDF
keeps its SHA-256, shown in the archive.

The daily tick (`reports.figures`) refreshes each school's stored figures of the running and just-ended
periods for the regional summary.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from ejournal.access import reports as access
from ejournal.core.time import MONTHS_RU, ru_date
from ejournal.notifications.services import notify
from ejournal.schools.models import Period, School

from . import export
from .keeping import analyse, keeping_report, signatories
from .keeping_spans import Span, calendar_of, month_span
from .models import Occasion, StoredReport
from .region import store_school_figures
from .school import GROUPINGS, summary_report
from .selectors import period_data, period_label, previous_period

log = logging.getLogger(__name__)

STORED_GROUPINGS = tuple(GROUPINGS)
# Periods that ended longer ago are not reported automatically (a school joining mid-year gets no backlog).
LOOKBACK = dt.timedelta(days=31)
# Period marks are set in the days after a period ends: its figures are refreshed for a while longer.
FIGURES_AFTER_END = dt.timedelta(days=7)


@dataclass(frozen=True)
class Due:
    key: str
    occasion: str
    period: Period
    as_of: dt.date


def due_reports(school: School, today: dt.date) -> list[Due]:
    """What the calendar says is due on `today` (the school's date): period reports for periods that ended
    within LOOKBACK, and a monthly report for the month just over, for each period it fell in."""
    periods = list(
        Period.objects.filter(school_id=school.pk, start__lte=today, end__gte=today - LOOKBACK)
        .select_related("scheme__year")
        .order_by("scheme__grade_from", "start")
    )
    month_end = today.replace(day=1) - dt.timedelta(days=1)
    due = [Due(f"period:{p.pk}", Occasion.PERIOD, p, p.end) for p in periods if p.end < today]
    due += [
        Due(f"month:{month_end:%Y-%m}:{p.pk}", Occasion.MONTH, p, month_end)
        for p in periods
        # On the period's last day its own report covers the month.
        if p.start <= month_end < p.end
    ]
    return due


def missing_reports(school: School, due: list[Due]) -> list[Due]:
    stored: dict[str, int] = {}
    for key in StoredReport.objects.filter(school_id=school.pk, key__in=[d.key for d in due]).values_list(
        "key", flat=True
    ):
        stored[key] = stored.get(key, 0) + 1
    return [d for d in due if stored.get(d.key, 0) < len(STORED_GROUPINGS)]


def enqueue_due(now: datetime) -> int:
    """The tick: enqueue the building of every due report not yet stored; returns how many were enqueued."""
    enqueued = 0
    for school in School.objects.filter(is_active=True).order_by("pk"):
        today = now.astimezone(ZoneInfo(school.timezone)).date()
        due = due_reports(school, today)
        for one in missing_reports(school, due):
            build_reports.enqueue(school.pk, one.period.pk, one.key, one.occasion, one.as_of.isoformat())
            enqueued += 1
        for one in missing_keeping(school, keeping_due(due)):
            build_keeping.enqueue(school.pk, one.period.pk, one.key, one.occasion, one.as_of.isoformat())
            enqueued += 1
    return enqueued


KEEPING = "keeping"


def keeping_due(due: list[Due]) -> list[Due]:
    """The keeping analyses the calendar asks for: one per period that ended, one per month (a month falls
    in a period of each grade band; the analysis covers the whole school, so it is made once)."""
    result: dict[str, Due] = {}
    for one in due:
        if one.occasion == Occasion.PERIOD:
            key = f"{KEEPING}:period:{one.period.pk}"
        else:
            key = f"{KEEPING}:month:{one.as_of:%Y-%m}"
        result.setdefault(key, Due(key, one.occasion, one.period, one.as_of))
    return list(result.values())


def missing_keeping(school: School, due: list[Due]) -> list[Due]:
    stored = set(
        StoredReport.objects.filter(school_id=school.pk, grouping=KEEPING, key__in=[d.key for d in due]).values_list(
            "key", flat=True
        )
    )
    return [d for d in due if d.key not in stored]


def enqueue_figures(now: datetime) -> int:
    """The daily tick: refresh the stored figures of running and just-ended periods of every school."""
    enqueued = 0
    for school in School.objects.filter(is_active=True).order_by("pk"):
        today = now.astimezone(ZoneInfo(school.timezone)).date()
        for period_id in Period.objects.filter(
            school_id=school.pk, start__lte=today, end__gte=today - FIGURES_AFTER_END
        ).values_list("pk", flat=True):
            refresh_figures.enqueue(school.pk, period_id)
            enqueued += 1
    return enqueued


@task()
def build_reports(school_id: int, period_id: int, key: str, occasion: str, as_of: str) -> int:
    school = School.objects.get(pk=school_id)
    period = Period.objects.select_related("scheme__year").get(pk=period_id, school_id=school_id)
    stored = store_reports(school=school, period=period, key=key, occasion=occasion, as_of=dt.date.fromisoformat(as_of))
    return len(stored)


@task()
def build_keeping(school_id: int, period_id: int, key: str, occasion: str, as_of: str) -> int:
    school = School.objects.get(pk=school_id)
    period = Period.objects.select_related("scheme__year").get(pk=period_id, school_id=school_id)
    stored = store_keeping(school=school, period=period, key=key, occasion=occasion, as_of=dt.date.fromisoformat(as_of))
    return 0 if stored is None else 1


@task()
def refresh_figures(school_id: int, period_id: int) -> None:
    school = School.objects.get(pk=school_id)
    period = Period.objects.select_related("scheme__year").get(pk=period_id, school_id=school_id)
    store_school_figures(school=school, period=period)


def store_reports(*, school: School, period: Period, key: str, occasion: str, as_of: dt.date) -> list[StoredReport]:
    """Build and keep the school summary of the occasion in every grouping not yet stored, then deliver them.
    Returns the reports stored now (none when they all exist: a repeated run changes nothing)."""
    have = set(StoredReport.objects.filter(school_id=school.pk, key=key).values_list("grouping", flat=True))
    wanted = [by for by in STORED_GROUPINGS if by not in have]
    if not wanted:
        return []
    data = period_data(school=school, period=period, until=as_of)
    before = previous_period(period)
    before_data = period_data(school=school, period=before) if before else None
    created = []
    for by in wanted:
        report = summary_report(data, before_data, by)
        try:
            with transaction.atomic():
                created.append(
                    StoredReport.objects.create(
                        school=school,
                        key=key,
                        occasion=occasion,
                        grouping=by,
                        period=period,
                        as_of=as_of,
                        title=report.title,
                        subtitle=report.subtitle,
                        created_at=timezone.now(),
                        xlsx=export.to_xlsx(report),
                        pdf=(pdf := export.to_pdf(report)),
                        sha256=hashlib.sha256(pdf).hexdigest(),
                    )
                )
        except IntegrityError:  # another worker stored it meanwhile
            continue
    if occasion == Occasion.PERIOD:
        store_school_figures(school=school, period=period)
    if created:
        deliver(school=school, period=period, key=key, occasion=occasion, as_of=as_of)
    return created


def keeping_span(period: Period, occasion: str, as_of: dt.date) -> Span:
    """The span of a stored analysis: the period (its grades), or the calendar month ending on `as_of`."""
    if occasion == Occasion.PERIOD:
        label = f"{period_label(period)}, {ru_date(period.start)}–{ru_date(period.end)}"
        return Span(period.start, period.end, label, "period", period)
    start, end = month_span(as_of)
    return Span(start, end, f"{MONTHS_RU[start.month - 1]} {start.year}", "month")


def store_keeping(*, school: School, period: Period, key: str, occasion: str, as_of: dt.date) -> StoredReport | None:
    """Build and keep «Анализ работы с классным журналом ЭЖ» of the occasion, then deliver it. The analysis is
    made as on the day after `as_of` (every lesson of the span counted). None when it is already stored."""
    if StoredReport.objects.filter(school_id=school.pk, key=key, grouping=KEEPING).exists():
        return None
    calendar = calendar_of(school, as_of + dt.timedelta(days=1))
    span = keeping_span(period, occasion, as_of)
    report = keeping_report(
        analyse(calendar=calendar, span=span),
        school_name=school.short_name,
        base_url=reverse("reports:journal_keeping"),
        signatures=signatories(school.pk),
    )
    pdf = export.to_pdf(report)
    try:
        with transaction.atomic():
            stored = StoredReport.objects.create(
                school=school,
                key=key,
                occasion=occasion,
                grouping=KEEPING,
                period=period,
                as_of=as_of,
                title=report.title,
                subtitle=report.subtitle,
                created_at=timezone.now(),
                xlsx=export.to_xlsx(report),
                pdf=pdf,
                sha256=hashlib.sha256(pdf).hexdigest(),
            )
    except IntegrityError:  # another worker stored it meanwhile
        return None
    what = f"за {span.label}" if occasion == Occasion.MONTH else f"по итогам периода «{period_label(period)}»"
    notice = Notice(
        title=f"Готов «Анализ работы с классным журналом ЭЖ» {what}",
        text=(
            f"«Анализ работы с классным журналом ЭЖ» {what} на {ru_date(as_of)} сформирован: по учителям, в XLSX и "
            f"PDF со строками для подписи администратора ЭЖ и директора. Он хранится в архиве отчётов."
        ),
    )
    send(school=school, key=key, notice=notice)
    return stored


@dataclass(frozen=True)
class Notice:
    title: str
    text: str


def send(*, school: School, key: str, notice: Notice) -> int:
    """Tell the school's directors and deputies (inbox always, e-mail by their settings); the files stay
    behind the archive page."""
    link = reverse("reports:archive") + f"?key={key}"
    sent = 0
    for recipient in access.report_recipients(school.pk):
        notify(
            recipient=recipient,
            event="report_ready",
            title=notice.title,
            text=notice.text,
            url=link,
            dedupe_key=f"report:{key}",
        )
        sent += 1
    log.info("reports %s of school %s delivered to %s people", key, school.pk, sent)
    return sent


def deliver(*, school: School, period: Period, key: str, occasion: str, as_of: dt.date) -> int:
    """Tell the school's directors and deputies (inbox always, e-mail by their settings) that the reports
    are ready; the message names the period and date only, the files stay behind the archive page."""
    label = period_label(period)
    what = f"по итогам периода «{label}»" if occasion == Occasion.PERIOD else f"за месяц, «{label}»"
    title = f"Готов сводный отчёт школы {what}"
    text = (
        f"Сводный отчёт школы {what} на {ru_date(as_of)} сформирован: по классам, параллелям, предметам "
        f"и учителям, в XLSX и PDF. Он хранится в архиве отчётов."
    )
    return send(school=school, key=key, notice=Notice(title=title, text=text))

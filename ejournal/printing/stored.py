"""Stored books: at the end of each period the worker makes the book of every class of the grade band.

The tick (`printing.books`, hourly, registered in `PrintingConfig.ready`) only finds periods that ended within
`LOOKBACK` with classes still lacking a book, and enqueues `make_books` per school and period; the task typesets
the missing books one class after another (about 0.4 s each) and keeps each PDF with its SHA-256. A class
without lessons in the period gets no book. Running the tick twice stores nothing twice.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from datetime import datetime
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django_tasks import task

from ejournal.core.errors import ValidationFailed
from ejournal.schools.models import ClassGroup, Period, School

from .books import render
from .models import StoredBook
from .selectors import class_book_data

# A worker that was down for a while still makes the books of a period that ended up to a month ago.
LOOKBACK = dt.timedelta(days=31)


def classes_of(period: Period) -> QuerySet[ClassGroup]:
    scheme = period.scheme
    return ClassGroup.objects.filter(
        school_id=period.school_id, year_id=scheme.year_id, grade__gte=scheme.grade_from, grade__lte=scheme.grade_to
    ).order_by("grade", "letter")


def missing_classes(period: Period) -> list[ClassGroup]:
    have = StoredBook.objects.filter(school_id=period.school_id, period_id=period.pk).values("class_group_id")
    return list(classes_of(period).exclude(pk__in=have))


def due_periods(school: School, today: dt.date) -> list[Period]:
    """Periods of the school that ended (before today) within LOOKBACK."""
    return list(
        Period.objects.filter(school_id=school.pk, end__lt=today, end__gte=today - LOOKBACK)
        .select_related("scheme")
        .order_by("start")
    )


def enqueue_due(now: datetime) -> int:
    """The tick: enqueue the books of every ended period that has classes without one; returns how many."""
    enqueued = 0
    for school in School.objects.filter(is_active=True).order_by("pk"):
        today = now.astimezone(ZoneInfo(school.timezone)).date()
        for period in due_periods(school, today):
            if missing_classes(period):
                make_books.enqueue(school.pk, period.pk)
                enqueued += 1
    return enqueued


@task()
def make_books(school_id: int, period_id: int) -> int:
    period = Period.objects.select_related("scheme").get(pk=period_id, school_id=school_id)
    return len(store_books(period=period))


def store_books(*, period: Period) -> list[StoredBook]:
    """Make and keep the book of every class of the period's grade band that has none yet."""
    stored = []
    for group in missing_classes(period):
        try:
            book = class_book_data(user=None, class_group=group, period=period)
        except ValidationFailed:
            continue  # no lessons in the period: nothing to print
        content = render(book)
        try:
            with transaction.atomic():
                stored.append(
                    StoredBook.objects.create(
                        school_id=period.school_id,
                        class_group=group,
                        period=period,
                        made_at=timezone.now(),
                        draft=book.draft,
                        size=len(content),
                        sha256=hashlib.sha256(content).hexdigest(),
                        pdf=content,
                    )
                )
        except IntegrityError:
            continue  # another worker stored this class's book meanwhile
    return stored

"""Stored books: the books of a period's classes made in the worker, kept with SHA-256, with progress.

One mechanism for both ways a book gets made in the background (a `BookJob` run by the `run_job` task, like an
import's commit is run by interop's): the hourly tick (`printing.books`) at a period's end, and management asking
for the books of a period (every class of the grade band, or one class) on the «Книги журнала» page or the API.
The job counts the classes done (`done` of `total`), which the page shows while it refreshes itself.

- The tick's job makes only what is needed: a class without a current book, or whose current book is a draft
  while the period is now closed for it (the final book replaces the draft). A worker that was down still
  makes the books of a period that ended up to `LOOKBACK` ago; a draft is made final whenever its period closes.
- An asked-for job makes every class of the job anew (the journal may have changed since).
- A new book supersedes the class's current one for the period: the old one stays, marked replaced.
- A class without lessons in the period gets no book. Running the tick twice stores nothing twice.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from datetime import datetime
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django_tasks import task

from ejournal.access import printing as access
from ejournal.access.roles import require
from ejournal.accounts.models import User
from ejournal.core import time as clock
from ejournal.core.errors import ValidationFailed
from ejournal.journal.models import PeriodClosure
from ejournal.schools.models import ClassGroup, Period, School

from .books import render
from .models import BookJob, JobStatus, StoredBook
from .selectors import class_book_data

# A worker that was down for a while still makes the books of a period that ended up to a month ago.
LOOKBACK = dt.timedelta(days=31)


def classes_of(period: Period) -> QuerySet[ClassGroup]:
    scheme = period.scheme
    return ClassGroup.objects.filter(
        school_id=period.school_id, year_id=scheme.year_id, grade__gte=scheme.grade_from, grade__lte=scheme.grade_to
    ).order_by("grade", "letter")


# The latest jobs on the page and in the API: the running ones and what the last few made.
JOBS_SHOWN = 10


def recent_jobs(school_id: int | None) -> QuerySet[BookJob]:
    return BookJob.objects.filter(school_id=school_id).select_related("period__scheme", "class_group")[:JOBS_SHOWN]


def current_books(period: Period) -> QuerySet[StoredBook]:
    return StoredBook.objects.filter(school_id=period.school_id, period_id=period.pk, superseded_at__isnull=True)


def missing_classes(period: Period) -> list[ClassGroup]:
    """Classes of the band without a current book, or with a draft while the period is closed for them."""
    closures = PeriodClosure.objects.filter(school_id=period.school_id, period_id=period.pk)
    whole_school_closed = closures.filter(class_group__isnull=True).exists()
    drafts_closed = current_books(period).filter(draft=True)
    if not whole_school_closed:
        drafts_closed = drafts_closed.filter(class_group_id__in=closures.values("class_group_id"))
    final_or_open = current_books(period).exclude(pk__in=drafts_closed.values("pk"))
    return list(classes_of(period).exclude(pk__in=final_or_open.values("class_group_id")))


def due_periods(school: School, today: dt.date) -> list[Period]:
    """Periods of the school that ended (before today) within LOOKBACK, or whose current books hold a draft."""
    with_drafts = StoredBook.objects.filter(school_id=school.pk, draft=True, superseded_at__isnull=True)
    return list(
        Period.objects.filter(school_id=school.pk, end__lt=today)
        .filter(Q(end__gte=today - LOOKBACK) | Q(pk__in=with_drafts.values("period_id")))
        .select_related("scheme")
        .order_by("start")
    )


def enqueue_due(now: datetime) -> int:
    """The tick: a job for every ended period with classes needing a book and no job running; returns how many."""
    enqueued = 0
    for school in School.objects.filter(is_active=True).order_by("pk"):
        today = now.astimezone(ZoneInfo(school.timezone)).date()
        for period in due_periods(school, today):
            if not _tick_ran_since_last_closure(period) and missing_classes(period):
                _enqueue(BookJob(school_id=school.pk, period=period, requested_by=None))
                enqueued += 1
    return enqueued


def _tick_ran_since_last_closure(period: Period) -> bool:
    """A class without lessons never gets a book: once the tick's job ran, only a closure of the period since
    (a draft to make final) calls for another; a job still waiting or running is never doubled."""
    last = BookJob.objects.filter(school_id=period.school_id, period_id=period.pk, requested_by__isnull=True).first()
    if last is None:
        return False
    closed_since = PeriodClosure.objects.filter(
        school_id=period.school_id, period_id=period.pk, closed_at__gt=last.created_at
    )
    return last.active or not closed_since.exists()


def _enqueue(job: BookJob) -> BookJob:
    job.created_at = clock.now()
    job.save()
    # The database backend queues the task in the same transaction as the job's row: the worker sees both or
    # neither (the immediate backend of the tests runs it right here).
    run_job.enqueue(job.pk, job.school_id)
    job.refresh_from_db()
    return job


def request_books(*, actor: User, period: Period, class_group: ClassGroup | None = None) -> BookJob:
    """Management asks for the books of the period (every class of its band, or one class) in the background.

    A job already waiting or running for the same books is returned instead of a second one."""
    require(access.makes_stored_books(actor, period, class_group))
    if class_group is not None and not classes_of(period).filter(pk=class_group.pk).exists():
        raise ValidationFailed(
            f"Период «{period.name}» не из учебных периодов класса {class_group.name}.", field="class_group"
        )
    active = BookJob.objects.filter(
        school_id=period.school_id,
        period_id=period.pk,
        class_group=class_group,
        status__in=(JobStatus.QUEUED, JobStatus.RUNNING),
    ).first()
    if active is not None:
        return active
    return _enqueue(BookJob(school_id=period.school_id, period=period, class_group=class_group, requested_by=actor))


@task()
def run_job(job_id: int, school_id: int) -> int:
    """The worker's part: the job's books, one class after another (about 0.4 s each), counting progress."""
    job = BookJob.objects.select_related("period__scheme", "class_group").get(pk=job_id, school_id=school_id)
    if not job.active:
        return 0  # run twice by the queue: the first run did it
    period = job.period
    if job.class_group is not None:
        groups = [job.class_group]
    elif job.requested_by_id is None:
        groups = missing_classes(period)
    else:
        groups = list(classes_of(period))
    job.status, job.total = JobStatus.RUNNING, len(groups)
    job.save(update_fields=["status", "total"])
    empty: list[str] = []
    try:
        for group in groups:
            if store_book(period=period, class_group=group) is None:
                empty.append(group.name)
            job.done += 1
            job.save(update_fields=["done"])
    except Exception:
        job.status, job.finished_at = JobStatus.FAILED, clock.now()
        job.message = f"Не удалось сделать книги: остановлено на {job.done + 1}-м классе из {job.total}."
        job.save(update_fields=["status", "finished_at", "message"])
        raise
    job.made = job.done - len(empty)
    job.status, job.finished_at = JobStatus.DONE, clock.now()
    job.message = f"Сделано книг: {job.made}."
    if empty:
        job.message += f" Без уроков за период (книги нет): {', '.join(empty)}."
    job.save(update_fields=["status", "finished_at", "made", "message"])
    return job.made


def store_book(*, period: Period, class_group: ClassGroup) -> StoredBook | None:
    """Make the class's book of the period and keep it, superseding the current one; None without lessons."""
    try:
        book = class_book_data(user=None, class_group=class_group, period=period)
    except ValidationFailed:
        return None  # no lessons in the period: nothing to print
    content = render(book)
    try:
        with transaction.atomic():
            now = clock.now()
            previous = list(current_books(period).filter(class_group_id=class_group.pk).select_for_update())
            for old in previous:
                old.superseded_at = now
                old.save(update_fields=["superseded_at"])
            made = StoredBook.objects.create(
                school_id=period.school_id,
                class_group=class_group,
                period=period,
                made_at=now,
                draft=book.draft,
                size=len(content),
                sha256=hashlib.sha256(content).hexdigest(),
                pdf=content,
            )
            for old in previous:
                old.superseded_by = made
                old.save(update_fields=["superseded_by"])
    except IntegrityError:
        return None  # another worker stored this class's book meanwhile
    return made


def store_books(*, period: Period) -> list[StoredBook]:
    """Make and keep the book of every class of the period's band that needs one (the tick's rule), at once."""
    made = (store_book(period=period, class_group=group) for group in missing_classes(period))
    return [book for book in made if book is not None]

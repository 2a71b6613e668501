"""Selectors of the diary's homework list: what is due from today on (soonest first), then what was due
before (latest first, a page at a time), each with its subject and files. Three queries.

Homework the teacher gave without a due date is listed under the date of its lesson, where the week page
shows it too.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import F, QuerySet
from django.db.models.functions import Coalesce

from ejournal.access.diary import student_homework
from ejournal.accounts.models import User
from ejournal.core.errors import NotFound
from ejournal.journal.models import Homework, HomeworkAttachment

from .selectors import HomeworkFile

PAST_PAGE = 30


@dataclass
class HomeworkItem:
    id: int
    subject: str
    lesson_date: dt.date
    due: dt.date
    due_given: bool
    text: str
    files: list[HomeworkFile] = field(default_factory=list)


@dataclass
class HomeworkList:
    student: User
    today: dt.date
    upcoming: list[HomeworkItem]
    past: list[HomeworkItem]
    past_offset: int
    more_past: bool

    @property
    def next_offset(self) -> int:
        return self.past_offset + len(self.past)


COLUMNS = ("pk", "lesson__subject__name", "lesson__date", "due", "due_date", "text")


def _annotated(student: User) -> QuerySet[Homework]:
    return student_homework(student).annotate(due=Coalesce("due_date", "lesson__date"))


def _items(rows: QuerySet[Homework]) -> list[HomeworkItem]:
    return [
        HomeworkItem(id=pk, subject=subject, lesson_date=day, due=due, due_given=given is not None, text=text)
        for pk, subject, day, due, given, text in rows.values_list(*COLUMNS)
    ]


def _attach_files(items: list[HomeworkItem], school_id: int | None) -> None:
    """The files of the listed homework, read in the student's school (the homework's)."""
    by_id = {item.id: item for item in items}
    if not by_id:
        return
    for pk, homework_id, name, size in (
        HomeworkAttachment.objects.filter(school_id=school_id, homework_id__in=list(by_id))
        .order_by("uploaded_at", "pk")
        .values_list("pk", "homework_id", "original_name", "size")
    ):
        by_id[homework_id].files.append(HomeworkFile(pk, name, size))


def homework_list(student: User, *, today: dt.date, past_offset: int = 0) -> HomeworkList:
    """Homework of the student's lessons: due today or later (all, soonest first), then due before today
    (PAST_PAGE items from `past_offset`, latest first)."""
    base = _annotated(student)
    upcoming = _items(base.filter(due__gte=today).order_by("due", "lesson__date", "lesson__number", "pk"))
    past = _items(
        base.filter(due__lt=today).order_by(F("due").desc(), "-lesson__date", "-lesson__number", "-pk")[
            past_offset : past_offset + PAST_PAGE + 1
        ]
    )
    more = len(past) > PAST_PAGE
    past = past[:PAST_PAGE]
    _attach_files(upcoming + past, student.school_id)
    return HomeworkList(student, today, upcoming, past, past_offset, more)


def homework_item(student: User, homework_id: int) -> HomeworkItem:
    """One homework of the student's lessons; another class's (or another child's) is NotFound."""
    found = _items(_annotated(student).filter(pk=homework_id))
    if not found:
        raise NotFound()
    _attach_files(found, student.school_id)
    return found[0]

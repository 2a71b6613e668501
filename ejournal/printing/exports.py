"""The PDF handed to a person (the page or the API): made, logged as a personal-data export, named."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse

from ejournal.accounts.models import User
from ejournal.audit.models import EventKind
from ejournal.audit.services import record
from ejournal.core.spreadsheet import download
from ejournal.curriculum.models import Subject
from ejournal.schools.models import ClassGroup, Period

from .books import class_book


def book_download(
    *,
    request: HttpRequest,
    user: User,
    class_group: ClassGroup,
    period: Period | None,
    subject: Subject | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    part: str = "book",
) -> HttpResponse:
    """The book as a PDF download; the refusals of `class_book` (NotFound, ValidationFailed) pass through."""
    content = class_book(
        actor=user, class_group=class_group, period=period, subject=subject, start=start, end=end, part=part
    )
    when = f"период {period.pk}" if period else f"с {start:%d.%m.%Y} по {end:%d.%m.%Y}"
    # The book names every student with their marks: a personal data export the administrator traces
    # (the summary by ids only, like every security-log summary).
    record(
        kind=EventKind.PERSONAL_DATA_EXPORT,
        summary=f"Классный журнал: класс {class_group.pk}, {when}"
        + (f", предмет {subject.pk}" if subject else "")
        + (", сводная ведомость" if part == "summary" else ""),
        actor=user,
        request=request,
        details={
            "book": class_group.pk,
            "period": period.pk if period else None,
            "from": start.isoformat() if start else None,
            "to": end.isoformat() if end else None,
            "subject": subject.pk if subject else None,
            "part": part,
        },
    )
    what = "Сводная ведомость" if part == "summary" else "Журнал"
    span = period.name if period else f"{start:%d.%m.%Y}-{end:%d.%m.%Y}"
    name = f"{what} {class_group.name} {span}" + (f" {subject.name}" if subject else "")
    return download(content, file_format="pdf", name=name)

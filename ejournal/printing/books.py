"""The class book: the journal of a class for a period as a numbered PDF book (issue 16).

`class_book` is the stable entry point: the page, the console command and the period archive
(`ejournal/archive/`) call it with the same keyword arguments.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import typst

from ejournal.accounts.models import User
from ejournal.curriculum.models import Subject
from ejournal.schools.models import ClassGroup, Period

from .selectors import Book, class_book_data

TEMPLATE = Path(__file__).with_name("typst") / "book.typ"


def render(book: Book) -> bytes:
    # typst reads the data as JSON, never as markup: a topic or a name cannot inject typst code.
    return typst.compile(
        TEMPLATE.read_bytes(),
        format="pdf",
        sys_inputs={"data": json.dumps(book.as_data(), ensure_ascii=False)},
        pdf_tags=False,
    )


def class_book(
    *,
    actor: User | None,
    class_group: ClassGroup,
    period: Period | None = None,
    subject: Subject | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    part: str = "book",
) -> bytes:
    """The PDF of the class's journal for the period, or for the dates `start`–`end` within the class's year
    (one subject's journal with `subject`; the сводная ведомость alone with `part="summary"`).

    `actor` None is the operator's console or the worker (no person; access.printing). NotFound outside the
    actor's scope (access.printing); ValidationFailed (in Russian) for a class without lessons in the period
    or a range outside the year. An open period is printed with «ЧЕРНОВИК» on every page.
    """
    return render(
        class_book_data(
            user=actor, class_group=class_group, period=period, subject=subject, start=start, end=end, part=part
        )
    )

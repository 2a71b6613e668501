"""Who hears about a child (the child and their parents) and where the notice links to.

Shared by the journal events (`events`) and the low-average check (`averages`), which `events` calls:
kept apart so that neither imports the other back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.urls import reverse

from ejournal.accounts.models import Guardianship, User

from .services import Recipient


@dataclass(frozen=True)
class Relative:
    """A person to tell about a child: the child themself or one of their parents."""

    recipient: Recipient
    child_id: int
    child_name: str


def family(school_id: int, student_ids: Iterable[int]) -> list[Relative]:
    """Students and their parents (active accounts), two queries whatever the number of students."""
    students = {
        pk: (first, email)
        for pk, first, email in User.objects.filter(
            school_id=school_id, pk__in=list(student_ids), is_active=True
        ).values_list("pk", "first_name", "email")
    }
    people = [Relative(Recipient(pk, email), pk, first) for pk, (first, email) in students.items()]
    links = Guardianship.objects.filter(
        school_id=school_id, child_id__in=list(students), parent__is_active=True
    ).values_list("child_id", "parent_id", "parent__email")
    people += [Relative(Recipient(parent, email), child, students[child][0]) for child, parent, email in links]
    return people


def diary_url(student_id: int, day: dt.date | None = None) -> str:
    url = reverse("diary:student_week", args=[student_id])
    return f"{url}?week={day.isoformat()}" if day else url

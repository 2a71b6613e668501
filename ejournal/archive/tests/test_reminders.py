"""archive.reminders: the period archive waits for the director's code, so after a period ends the director is
reminded — the day after, then at most once in 6 days, for two weeks — until that period's archive is made."""

from __future__ import annotations

import datetime as dt

import pytest

from ejournal.archive.models import LogKind, LogStatus
from ejournal.archive.reminders import remind_all, remind_school
from ejournal.archive.services import log_entry
from ejournal.conftest import SmallSchool
from ejournal.core import time as clock
from ejournal.journal.tests.conftest import set_clock
from ejournal.notifications.models import Message
from ejournal.schools.models import Period

pytestmark = pytest.mark.django_db


@pytest.fixture
def q1(small_school: SmallSchool) -> Period:
    return Period.objects.filter(scheme__year=small_school.year, scheme__grade_to=9).order_by("start")[0]


def reminders(s: SmallSchool) -> list[Message]:
    return list(Message.objects.filter(dedupe_key__startswith="archive-reminder:").order_by("pk"))


def remind_on(monkeypatch: pytest.MonkeyPatch, s: SmallSchool, day: dt.date) -> int:
    set_clock(monkeypatch, day)
    return remind_school(s.school, day)


def test_the_director_is_reminded_after_the_period_then_weekly(small_school, q1, monkeypatch) -> None:
    s = small_school
    assert remind_on(monkeypatch, s, q1.end) == 0  # the last day of the period: not yet
    assert remind_on(monkeypatch, s, q1.end + dt.timedelta(days=1)) == 1
    [message] = reminders(s)
    assert message.recipient == s.director
    assert message.title == f"Архив периода «{q1.name}» ещё не создан"
    assert message.url == "/archive/periods/"
    assert remind_on(monkeypatch, s, q1.end + dt.timedelta(days=7)) == 0  # not every day
    assert remind_on(monkeypatch, s, q1.end + dt.timedelta(days=8)) == 1  # a week later, once more
    assert remind_on(monkeypatch, s, q1.end + dt.timedelta(days=20)) == 0  # two weeks are over
    assert {m.recipient_id for m in reminders(s)} == {s.director.pk}


def test_no_reminder_once_the_archive_is_made(small_school, q1, monkeypatch) -> None:
    s = small_school
    set_clock(monkeypatch, q1.end + dt.timedelta(days=1))
    log_entry(
        kind=LogKind.ARCHIVE,
        status=LogStatus.DONE,
        what=f"Архив периода {q1.name}",
        school=s.school,
        actor=s.director,
        details={"period_id": q1.pk},
    )
    assert remind_school(s.school, q1.end + dt.timedelta(days=1)) == 0
    assert reminders(s) == []


def test_the_tick_reads_each_school_by_its_own_date(small_school, q1, monkeypatch) -> None:
    set_clock(monkeypatch, q1.end + dt.timedelta(days=3))
    assert remind_all(clock.now()) == 1

"""archive.scheduled: the daily tick enqueues one backup of the installation from the 2nd day of a school's
holidays on (a worker down on that day makes it the next day), once per holidays, and only with a folder set."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from ejournal.archive.models import BackupLogEntry, LogKind, LogStatus
from ejournal.archive.scheduled import enqueue_holidays_backup
from ejournal.core import ticks

START, END = dt.date(2026, 12, 31), dt.date(2027, 1, 11)  # the small school's winter holidays


@pytest.fixture
def winter(filled, settings, tmp_path, monkeypatch):
    """The backup folder set; the machine's clock movable."""
    s = filled.s
    settings.EJOURNAL_BACKUP_DIR = str(tmp_path)
    settings.EJOURNAL_BACKUP_KEY_FILE = ""
    zone = ZoneInfo(s.school.timezone)

    def at(day: dt.date, hour: int = 10) -> dt.datetime:
        moment = dt.datetime(day.year, day.month, day.day, hour, tzinfo=zone)
        monkeypatch.setattr(timezone, "now", lambda: moment)
        return moment

    return at


def backups():
    return list(BackupLogEntry.objects.filter(kind=LogKind.BACKUP, status=LogStatus.DONE))


def test_the_backup_is_made_on_the_second_day_of_holidays_once(winter, tmp_path):
    assert not enqueue_holidays_backup(winter(START - dt.timedelta(days=3)))
    assert not enqueue_holidays_backup(winter(START))  # the first day: the last lessons' marks may still come

    assert enqueue_holidays_backup(winter(START + dt.timedelta(days=1)))

    [made] = backups()
    assert made.details["occasion"] == "holidays" and made.where.startswith(str(tmp_path))
    name = made.where.rsplit("/", 1)[1]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([name, name.removesuffix(".tar.gz") + ".iso"])
    assert not enqueue_holidays_backup(winter(START + dt.timedelta(days=1), hour=20))
    assert not enqueue_holidays_backup(winter(START + dt.timedelta(days=2)))
    assert len(backups()) == 1


def test_a_missed_second_day_is_made_up_the_next_day_and_nothing_without_a_folder(winter, settings):
    settings.EJOURNAL_BACKUP_DIR = ""
    assert not enqueue_holidays_backup(winter(START + dt.timedelta(days=1)))
    settings.EJOURNAL_BACKUP_DIR = str(settings.MEDIA_ROOT.parent / "backups")
    (settings.MEDIA_ROOT.parent / "backups").mkdir()

    assert enqueue_holidays_backup(winter(START + dt.timedelta(days=2)))
    assert len(backups()) == 1
    assert not enqueue_holidays_backup(winter(END + dt.timedelta(days=1)))


def test_the_tick_is_daily():
    assert {t.name: t.every for t in ticks.registered()}["archive.holidays_backup"] == dt.timedelta(days=1)

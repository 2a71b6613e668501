"""The retention register (реестр хранения): what the school keeps, since when, until when, and where each
copy lies.

Kept things and their terms (School settings «хранение журналов, лет», «хранение сводных ведомостей, лет»),
counted from the end of the school year the thing belongs to:
- stored books of the journal (printing.StoredBook): journals;
- stored reports (reports.StoredReport): those of a period's end in the school summary's groupings hold the
  period marks of every class (сводные ведомости); the monthly ones and «Анализ работы с классным журналом ЭЖ»
  are journal documents;
- period archives (archive log, «архив периода»): they carry the сводные ведомости of the period;
- backups and their ISO images (archive log): copies of the journal.
For the files of the archive log the register shows every copy-out (disk label, who handed it over, to whom).

Nothing here deletes: services.delete_expired is the administrator's, confirmed and logged.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db.models import Q

from ejournal.access import archive as access_archive
from ejournal.accounts.models import User
from ejournal.archive.models import BackupLogEntry, LogKind, LogStatus
from ejournal.core import time as clock
from ejournal.core.errors import ValidationFailed
from ejournal.printing.models import StoredBook
from ejournal.reports.models import Occasion, StoredReport
from ejournal.schools.models import AcademicYear, Period, School

from .models import Deletion

JOURNALS = "журналы"
SUMMARIES = "сводные ведомости"
# Stored items the administrator may delete once expired (they live in the database); files of the archive
# log lie on disks and are removed from them by hand.
DELETABLE = ("book", "report")
KIND_NAMES = {
    "book": "книга журнала",
    "report": "сохранённый отчёт",
    "archive": "архив периода",
    "backup": "резервная копия",
    "iso": "образ ISO",
}


@dataclass(frozen=True)
class Copy:
    at: dt.datetime
    label: str
    holder: str
    recipient: str


@dataclass(frozen=True)
class Item:
    kind: str
    id: int
    title: str
    category: str
    since: dt.date
    until: dt.date
    sha256: str
    where: str
    copies: tuple[Copy, ...] = ()
    status: str = "kept"  # "kept", "expiring" (within the warning days), "expired"

    @property
    def kind_name(self) -> str:
        return KIND_NAMES.get(self.kind, self.kind)

    @property
    def deletable(self) -> bool:
        return self.status == "expired" and self.kind in DELETABLE


@dataclass
class Register:
    school: School
    today: dt.date
    items: list[Item]
    deletions: list[Deletion] = field(default_factory=list)
    label: str = ""

    @property
    def expiring(self) -> list[Item]:
        return [i for i in self.items if i.status == "expiring"]

    @property
    def expired(self) -> list[Item]:
        return [i for i in self.items if i.status == "expired"]


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _status(until: dt.date, today: dt.date, warn_days: int) -> str:
    if until < today:
        return "expired"
    if until <= today + dt.timedelta(days=warn_days):
        return "expiring"
    return "kept"


def _year_end_for(school_id: int) -> dict[int, dt.date]:
    return dict(AcademicYear.objects.filter(school_id=school_id).values_list("pk", "end"))


def _year_of_day(years: list[tuple[dt.date, dt.date]], day: dt.date) -> dt.date:
    """The end of the school year a day falls in (or the next one to end, for a day in the summer)."""
    for _start, end in sorted(years):
        if day <= end:
            return end
    return day


def school_items(school: School, today: dt.date) -> list[Item]:
    """Every kept thing of the school with its term (a fixed number of queries)."""
    journal_years, summary_years, warn = (
        school.retention_journal_years,
        school.retention_summary_years,
        school.retention_warn_days,
    )
    zone = ZoneInfo(school.timezone)
    year_end = _year_end_for(school.pk)
    years = list(AcademicYear.objects.filter(school_id=school.pk).values_list("start", "end"))
    items: list[Item] = []

    def add(
        kind: str,
        pk: int,
        title: str,
        category: str,
        since: dt.date,
        base: dt.date,
        sha: str,
        where: str,
        copies: tuple[Copy, ...] = (),
    ) -> None:
        until = add_years(base, journal_years if category == JOURNALS else summary_years)
        items.append(Item(kind, pk, title, category, since, until, sha, where, copies, _status(until, today, warn)))

    books = (
        StoredBook.objects.filter(school_id=school.pk)
        .order_by("made_at", "pk")
        .values_list(
            "pk",
            "class_group__grade",
            "class_group__letter",
            "period_id",
            "period__scheme__year_id",
            "made_at",
            "sha256",
            "draft",
            "superseded_at",
        )
    )
    periods = {p.pk: p.name for p in Period.objects.filter(school_id=school.pk).select_related("scheme")}
    for pk, grade, letter, period_id, year_id, made_at, sha, draft, superseded in books:
        state = " (черновик)" if draft else ""
        state += " (заменена)" if superseded else ""
        since = made_at.astimezone(zone).date()
        add(
            "book",
            pk,
            f"Книга журнала {grade}{letter}, {periods.get(period_id, '')}{state}",
            JOURNALS,
            since,
            year_end.get(year_id, since),
            sha,
            "в базе ЭЖ",
        )
    reports = (
        StoredReport.objects.filter(school_id=school.pk)
        .order_by("as_of", "pk")
        .values_list(
            "pk", "title", "subtitle", "occasion", "grouping", "period__scheme__year_id", "created_at", "sha256"
        )
    )
    for pk, title, subtitle, occasion, grouping, year_id, created_at, sha in reports:
        category = SUMMARIES if occasion == Occasion.PERIOD and grouping != "keeping" else JOURNALS
        since = created_at.astimezone(zone).date()
        add("report", pk, f"{title} · {subtitle}", category, since, year_end.get(year_id, since), sha, "в базе ЭЖ")

    files = list(
        BackupLogEntry.objects.filter(Q(school_id=school.pk) | Q(school__isnull=True))
        .filter(kind__in=(LogKind.BACKUP, LogKind.ISO, LogKind.ARCHIVE, LogKind.COPY_OUT), status=LogStatus.DONE)
        .order_by("at", "pk")
        .values_list("pk", "kind", "at", "what", "where", "sha256", "details")
    )
    copies: dict[int, list[Copy]] = {}
    for _pk, kind, at, _what, where, _sha, details in files:
        # The query holds this school's entries and the installation's only: another school's copies never.
        if kind == LogKind.COPY_OUT and isinstance(details, dict) and "source" in details:
            copies.setdefault(int(details["source"]), []).append(
                Copy(at.astimezone(zone), where, str(details.get("holder", "")), str(details.get("recipient", "")))
            )
    for pk, kind, at, what, where, sha, _details in files:
        if kind == LogKind.COPY_OUT:
            continue
        since = at.astimezone(zone).date()
        category = SUMMARIES if kind == LogKind.ARCHIVE else JOURNALS
        base = _year_of_day(years, since)
        add(kind, pk, what, category, since, base, sha, where, tuple(copies.get(pk, ())))
    items.sort(key=lambda i: (i.until, i.kind, i.id))
    return items


def register(*, user: User, label: str = "") -> Register:
    """The register of the user's school; `label` narrows it to the files copied to that disk (an unknown
    label is refused in Russian). Access: access.retention.reads_register (checked by the caller)."""
    school = School.objects.get(pk=user.school_id)
    today = clock.school_today(school)
    items = school_items(school, today)
    label = (label or "").strip()
    if label:
        # Compared in Python: SQLite folds the case of Latin letters only, and labels are often Cyrillic.
        labels = access_archive.visible_log(user).filter(kind=LogKind.COPY_OUT).values_list("where", flat=True)
        known = any(found.casefold() == label.casefold() for found in labels)
        if not known:
            raise ValidationFailed(
                f"Диска с меткой «{label[:100]}» в журнале резервных копий нет: проверьте надпись на диске.",
                field="label",
            )
        items = [i for i in items if any(c.label.casefold() == label.casefold() for c in i.copies)]
    deletions = list(Deletion.objects.filter(school_id=school.pk).select_related("actor").order_by("-at", "-id")[:200])
    return Register(school=school, today=today, items=items, deletions=deletions, label=label)

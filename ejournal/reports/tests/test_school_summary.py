"""The school summary page: figures by class, parallel, subject and teacher against the hand-computed
table of conftest.py, the change against the 1st quarter, files with the page's numbers, who may open it,
and a query count that does not grow with the school."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from ejournal.audit.models import EventKind, SecurityEvent
from ejournal.reports.school import school_summary
from ejournal.schools.models import Period

pytestmark = pytest.mark.django_db


def page(client, user, **query):
    client.force_login(user)
    return client.get(reverse("reports:school"), query)


def test_by_class_counts_students_by_their_worst_mark(client, marked):
    r = page(client, marked.s.director, period=marked.q2.pk)
    assert r.status_code == 200
    report = r.context["report"]
    row = report.rows[0]
    # 5А: отличник s0, хорошист s1 (one «4»), s3 with one «3», s2 н/а, s4 without marks; N = 4.
    assert row.cells[:11] == ("5А", 5, 1, 1, 1, 1, 1, 0, 1, 0, 1)
    assert row.cells[11:15] == (Decimal("50.0"), Decimal("75.0"), Decimal("51.8"), Decimal("4.33"))
    # 1st quarter: s0 «3», s1 «5» → quality 50 %, success 100 %.
    assert row.cells[15:] == (Decimal("0.0"), Decimal("-25.0"))
    assert row.url == reverse("reports:class", args=[marked.s.class_5a.pk]) + f"?period={marked.q2.pk}"
    html = r.content.decode()
    assert "50,0%" in html and "51,8%" in html and "4,33" in html and "<svg" in html
    assert "−" not in html  # the change is a signed number, -25,00
    assert "-25,00" in html


def test_by_subject_and_teacher_count_marks(client, marked):
    report = page(client, marked.s.deputy, period=marked.q2.pk, by="subject").context["report"]
    rows = {row.cells[0]: row.cells for row in report.rows}
    # Math: 5, 5, 4, осв, none → N 3; Russian: 5, 4, н/а, 3, none → N 4.
    assert rows["Математика"][1:13] == (
        5,
        2,
        1,
        0,
        0,
        0,
        1,
        1,
        Decimal("100.0"),
        Decimal("100.0"),
        Decimal("88.0"),
        Decimal("4.67"),
    )
    assert rows["Русский язык"][1:13] == (
        5,
        1,
        1,
        1,
        0,
        1,
        0,
        1,
        Decimal("50.0"),
        Decimal("75.0"),
        Decimal("51.8"),
        Decimal("4.00"),
    )
    teachers = page(client, marked.s.admin, period=marked.q2.pk, by="teacher").context["report"]
    by_teacher = {row.cells[0]: row for row in teachers.rows}
    assert by_teacher["Учителева У."].cells[1:13] == rows["Математика"][1:13]
    assert by_teacher["Педагогов П."].url.endswith(f"teacher={marked.s.teacher2.pk}")


def test_by_parallel_and_a_period_without_marks(client, marked):
    report = page(client, marked.s.director, period=marked.q2.pk, by="parallel").context["report"]
    assert [row.cells[0] for row in report.rows] == ["5 классы"]
    half = page(client, marked.s.director, period=marked.h1.pk).context["report"]
    # 10А has no journals: no marks, the report says so and divides by nothing.
    assert half.rows[0].cells[:2] == ("10А", 5)
    assert half.rows[0].cells[11:15] == (None, None, None, None)
    assert any("нет отметок" in note for note in half.notes)
    assert any("первый период" in note for note in half.notes)


def test_xlsx_csv_and_pdf_hold_the_numbers_of_the_page(client, marked):
    report = page(client, marked.s.director, period=marked.q2.pk).context["report"]
    r = page(client, marked.s.director, period=marked.q2.pk, format="xlsx")
    sheet = load_workbook(io.BytesIO(r.content)).worksheets[0]
    rows = [[c.value for c in row] for row in sheet.iter_rows() if row[0].value == "5А"]
    assert len(rows) == 1
    assert rows[0][:11] == list(report.rows[0].cells[:11])
    assert rows[0][11:14] == [0.5, 0.75, 0.518]  # percents as numbers with a percent format
    assert rows[0][14] == pytest.approx(4.33)
    lines = page(client, marked.s.director, period=marked.q2.pk, format="csv").content.decode("cp1251").splitlines()
    five_a = next(csv.reader([line for line in lines if line.startswith("5А;")], delimiter=";"))
    assert five_a[11:15] == ["50,0%", "75,0%", "51,8%", "4,33"]
    pdf = page(client, marked.s.director, period=marked.q2.pk, format="pdf")
    assert "51,8%" in PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    # No names of children in this report: not a personal-data export.
    assert not SecurityEvent.objects.filter(kind=EventKind.PERSONAL_DATA_EXPORT).exists()


@pytest.mark.parametrize("who", ["teacher", "class_teacher", "parent"])
def test_only_management_opens_the_school_summary(client, marked, who):
    assert page(client, getattr(marked.s, who)).status_code == 404


def test_students_and_anonymous(client, marked):
    assert page(client, marked.s.students_5a[0]).status_code == 404
    client.logout()
    r = client.get(reverse("reports:school"))
    assert r.status_code == 302 and "/accounts/login/" in r["Location"]


def test_a_period_of_another_school_is_404_and_bad_input_is_explained(client, marked, other_school):
    foreign = Period.objects.filter(school=other_school.school).earliest("start")
    assert page(client, marked.s.director, period=foreign.pk).status_code == 404
    r = page(client, marked.s.director, period="первая")
    assert r.status_code == 422 and "нужно число" in r.content.decode()
    assert page(client, marked.s.director, period="²").status_code == 422  # isdigit() but not int(): was a 500
    assert page(client, marked.s.director, period="0").status_code == 422
    assert page(client, marked.s.director, by="по кругу").status_code == 422


def test_query_count_does_not_grow_with_the_students(marked_school_of, django_assert_max_num_queries):
    small, big = marked_school_of(5), marked_school_of(20)
    counts = []
    for built in (small, big):
        with CaptureQueriesContext(connection) as captured:
            school_summary(user=built.s.director, period_id=built.q2.pk, by="class")
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]
    with django_assert_max_num_queries(20):
        school_summary(user=big.s.director, period_id=big.q2.pk, by="teacher")

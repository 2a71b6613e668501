"""Automated reports: what the school calendar makes due, the tick that enqueues it, the task that stores
the files with their date and tells the director and deputies, idempotency, and the archive pages."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from ejournal.core import ticks
from ejournal.notifications.models import Delivery, Message
from ejournal.reports import delivery
from ejournal.reports.models import SchoolPeriodFigures, StoredReport

from .conftest import TZ

pytestmark = pytest.mark.django_db

NOV_1 = dt.datetime(2026, 11, 1, 9, 0, tzinfo=TZ)  # the 1st quarter ended on 24.10; October is over


def test_the_calendar_decides_what_is_due(marked):
    school = marked.s.school
    due = {d.key: d for d in delivery.due_reports(school, NOV_1.date())}
    assert set(due) == {f"period:{marked.q1.pk}", f"month:2026-10:{marked.h1.pk}"}
    assert due[f"period:{marked.q1.pk}"].as_of == marked.q1.end
    assert due[f"month:2026-10:{marked.h1.pk}"].as_of == dt.date(2026, 10, 31)
    # Mid-month nothing new; on 1 December the monthly reports of November for both grade bands.
    later = {d.key for d in delivery.due_reports(school, dt.date(2026, 12, 1))}
    assert later == {f"month:2026-11:{marked.q2.pk}", f"month:2026-11:{marked.h1.pk}"}
    # Long after a period ended it is no longer reported automatically.
    assert not [d for d in delivery.due_reports(school, dt.date(2027, 2, 15)) if d.key.startswith("period:")]


def test_ticks_are_registered():
    names = {t.name: t.every for t in ticks.registered()}
    assert names["reports.deliver"] == dt.timedelta(hours=1)
    assert names["reports.figures"] == dt.timedelta(days=1)


def test_tick_stores_reports_once_and_tells_director_and_deputies(marked):
    s = marked.s
    assert delivery.enqueue_due(NOV_1) == 4  # the school summaries and the keeping analyses, each twice
    stored = StoredReport.objects.filter(school=s.school).exclude(grouping=delivery.KEEPING)
    assert stored.count() == 2 * len(delivery.STORED_GROUPINGS)
    quarter = stored.get(key=f"period:{marked.q1.pk}", grouping="class")
    assert quarter.as_of == marked.q1.end and quarter.occasion == "period"
    assert PdfReader(io.BytesIO(bytes(quarter.pdf))).pages[0].extract_text().count("5А") >= 1
    messages = Message.objects.filter(school=s.school, event="report_ready")
    # The director, the deputy and the administrator (who is also a deputy); one message per occasion.
    assert sorted({m.recipient_id for m in messages}) == sorted({s.director.pk, s.deputy.pk, s.admin.pk})
    assert messages.count() == 3 * 4
    assert all(m.url.startswith(reverse("reports:archive") + "?key=") for m in messages)
    assert all("Ученик" not in m.text + m.title for m in messages)
    assert Delivery.objects.filter(message__in=messages, channel="inapp").count() == messages.count()
    # The period's figures are kept for the region.
    assert SchoolPeriodFigures.objects.filter(school=s.school, period=marked.q1).exists()

    # Run again (a second worker, a tick repeated): nothing more is stored or sent.
    assert delivery.enqueue_due(NOV_1) == 0
    delivery.build_reports.call(s.school.pk, marked.q1.pk, f"period:{marked.q1.pk}", "period", "2026-10-24")
    assert stored.count() == 2 * len(delivery.STORED_GROUPINGS)
    assert Message.objects.filter(school=s.school, event="report_ready").count() == 12


def test_stored_xlsx_holds_the_numbers_of_the_page(client, marked):
    s = marked.s
    delivery.enqueue_due(NOV_1)
    client.force_login(s.director)
    page = client.get(reverse("reports:school"), {"period": marked.q1.pk}).context["report"]
    stored = StoredReport.objects.get(school=s.school, key=f"period:{marked.q1.pk}", grouping="class")
    r = client.get(reverse("reports:archive_file", args=[stored.pk, "xlsx"]))
    assert r.status_code == 200
    sheet = load_workbook(io.BytesIO(r.content)).worksheets[0]
    row = next([c.value for c in line] for line in sheet.iter_rows() if line[0].value == "5А")
    assert row[:11] == list(page.rows[0].cells[:11])
    assert row[11:13] == [float(page.rows[0].cells[11]) / 100, float(page.rows[0].cells[12]) / 100]


def test_archive_lists_reports_for_management_only(client, marked, other_school):
    s = marked.s
    delivery.enqueue_due(NOV_1)
    client.force_login(s.deputy)
    r = client.get(reverse("reports:archive"))
    assert r.status_code == 200 and len(r.context["rows"]) == 10
    narrowed = client.get(reverse("reports:archive"), {"key": f"period:{marked.q1.pk}"}).context["rows"]
    assert {row["key"] for row in narrowed} == {f"period:{marked.q1.pk}"}
    stored = StoredReport.objects.filter(school=s.school).earliest("pk")
    pdf = client.get(reverse("reports:archive_file", args=[stored.pk, "pdf"]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert client.get(reverse("reports:archive_file", args=[stored.pk, "exe"])).status_code == 404
    for outsider in (s.teacher, s.class_teacher):
        client.force_login(outsider)
        assert client.get(reverse("reports:archive")).status_code == 404
        assert client.get(reverse("reports:archive_file", args=[stored.pk, "xlsx"])).status_code == 404
    client.force_login(other_school.director)  # their own school's archive, not ours
    own = client.get(reverse("reports:archive")).context["rows"]
    assert own and stored.pk not in {row["pk"] for row in own}
    assert client.get(reverse("reports:archive_file", args=[stored.pk, "xlsx"])).status_code == 404
    client.logout()
    assert client.get(reverse("reports:archive")).status_code == 302


def test_figures_tick_refreshes_running_periods(marked):
    assert delivery.enqueue_figures(dt.datetime(2026, 12, 25, 9, 0, tzinfo=TZ)) == 2  # Q2 and H1 run
    figures = SchoolPeriodFigures.objects.get(school=marked.s.school, period=marked.q2)
    assert (figures.n5, figures.n4, figures.n3, figures.n2, figures.n_na, figures.no_marks) == (1, 1, 1, 0, 1, 1)
    assert figures.year_name == "2026/2027" and figures.period_kind == "quarter" and figures.period_number == 2

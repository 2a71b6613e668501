"""«Анализ работы с классным журналом ЭЖ» made by the worker: after each month (the whole school) and each
period (its grades), stored with the PDF's SHA-256, told to the director and deputies, printable with the
signature lines of the administrator and the director — the same figures as the page."""

from __future__ import annotations

import datetime as dt
import hashlib
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from ejournal.notifications.models import Message
from ejournal.reports import delivery
from ejournal.reports.keeping import analyse
from ejournal.reports.keeping_spans import calendar_of
from ejournal.reports.models import StoredReport

from .conftest import TZ

pytestmark = pytest.mark.django_db

NOV_1 = dt.datetime(2026, 11, 1, 9, 0, tzinfo=TZ)  # the 1st quarter ended on 24.10; October is over


def _pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_the_month_and_the_period_are_stored_once_with_their_checksum(marked):
    s = marked.s
    delivery.enqueue_due(NOV_1)
    stored = StoredReport.objects.filter(school=s.school, grouping=delivery.KEEPING)
    assert set(stored.values_list("key", flat=True)) == {
        f"keeping:period:{marked.q1.pk}",
        "keeping:month:2026-10",
    }
    month = stored.get(key="keeping:month:2026-10")
    assert month.occasion == "month" and month.as_of == dt.date(2026, 10, 31)
    assert month.title == "Анализ работы с классным журналом ЭЖ" and "октябрь 2026" in month.subtitle
    assert month.sha256 == hashlib.sha256(bytes(month.pdf)).hexdigest()
    text = _pdf_text(bytes(month.pdf))
    assert "Ответственный администратор ЭЖ" in text and "Директор" in text
    assert s.director.last_name in text and s.admin.last_name in text
    # Run again: nothing more stored or sent.
    sent = Message.objects.filter(school=s.school, event="report_ready").count()
    assert delivery.enqueue_due(NOV_1) == 0
    assert (
        delivery.store_keeping(
            school=s.school,
            period=marked.q1,
            key="keeping:month:2026-10",
            occasion="month",
            as_of=dt.date(2026, 10, 31),
        )
        is None
    )
    assert stored.count() == 2 and Message.objects.filter(school=s.school, event="report_ready").count() == sent


def test_the_stored_figures_are_those_of_the_analysis(marked):
    s = marked.s
    delivery.enqueue_due(NOV_1)
    stored = StoredReport.objects.get(school=s.school, key=f"keeping:period:{marked.q1.pk}")
    analysis = analyse(
        calendar=calendar_of(s.school, dt.date(2026, 10, 25)),
        span=delivery.keeping_span(marked.q1, "period", marked.q1.end),
    )
    assert analysis.total.lessons > 0 and analysis.total.marks > 0
    sheet = load_workbook(io.BytesIO(bytes(stored.xlsx))).worksheets[0]
    total = next([c.value for c in line] for line in sheet.iter_rows() if line[0].value == "Итого")
    assert total[1] == analysis.total.lessons and total[5] == analysis.total.marks


def test_the_director_and_deputies_are_told(marked):
    s = marked.s
    delivery.enqueue_due(NOV_1)
    told = Message.objects.filter(school=s.school, event="report_ready", title__contains="Анализ работы")
    assert sorted({m.recipient_id for m in told}) == sorted({s.director.pk, s.deputy.pk, s.admin.pk})
    assert told.count() == 3 * 2
    assert all(m.url.startswith(reverse("reports:archive") + "?key=keeping:") for m in told)
    assert not Message.objects.filter(recipient=s.teacher, event="report_ready").exists()


def test_the_archive_shows_the_checksum_and_the_page_prints_signature_lines(client, marked):
    s = marked.s
    delivery.enqueue_due(NOV_1)
    stored = StoredReport.objects.get(school=s.school, key="keeping:month:2026-10")
    client.force_login(s.director)
    page = client.get(reverse("reports:archive"), {"key": stored.key})
    assert page.status_code == 200 and stored.sha256 in page.content.decode()
    pdf = client.get(reverse("reports:journal_keeping"), {"month": "2026-10", "format": "pdf"})
    assert pdf.status_code == 200 and "Директор" in _pdf_text(pdf.content)
    client.force_login(s.teacher)
    assert client.get(reverse("reports:archive_file", args=[stored.pk, "pdf"])).status_code == 404

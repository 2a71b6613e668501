"""The class teacher's period report and the list of classes: counts per student and for the class, absences,
the subjects view, files, who may open it (the class teacher of the class and management), query count."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from ejournal.audit.models import EventKind, SecurityEvent
from ejournal.reports.classes import class_report

pytestmark = pytest.mark.django_db


def get(client, user, class_group, **query):
    client.force_login(user)
    return client.get(reverse("reports:class", args=[class_group.pk]), query)


def figures(report) -> dict[str, object]:
    return {f.label: f.value for f in report.figures}


def test_class_teacher_reads_the_period_report(client, marked):
    s = marked.s
    r = get(client, s.class_teacher, s.class_5a)
    assert r.status_code == 200
    report = r.context["report"]
    f = figures(report)
    assert f["Учеников на начало периода"] == 5
    assert (f["Отличники"], f["Хорошисты"], f["С одной «4»"], f["С одной «3»"]) == (1, 1, 1, 1)
    assert (f["Неуспевающие"], f["Из них н/а"], f["Без отметок"]) == (1, 1, 1)
    assert (f["Качество знаний"], f["Успеваемость"], f["СОУ"]) == (Decimal("50.0"), Decimal("75.0"), Decimal("51.8"))
    rows = {row.cells[0]: row for row in report.rows}
    s2 = rows["Ученик52 Имя2"]
    assert s2.cells[1] == "н/а" and s2.cells[8] == "Русский язык (н/а)" and s2.flagged
    assert rows["Ученик51 Имя1"].cells[1] == "с одной «4»"
    assert rows["Ученик53 Имя3"].cells[1] == "с одной «3»"
    # s4 was ill at one Russian lesson, the only lesson of that day: one lesson and one day, for illness.
    assert rows["Ученик54 Имя4"].cells[9:17] == (1, 1, 0, 0, 1, 1, 0, 0)
    assert s2.url == reverse("reports:student", args=[s.students_5a[2].pk]) + f"?period={marked.q2.pk}"
    html = r.content.decode()
    assert "Ученик52 Имя2" in html and "<svg" in html and "Отличники" in html


def test_subjects_view_leads_to_the_journals(client, marked):
    s = marked.s
    report = get(client, s.deputy, s.class_5a, view="subjects", period=marked.q2.pk).context["report"]
    assert [row.cells[:2] for row in report.rows] == [("Математика", "Учителева У."), ("Русский язык", "Педагогов П.")]
    assert report.rows[0].url.startswith(reverse("reports:journal", args=[s.math_5a.pk]))
    assert report.rows[1].cells[10:14] == (Decimal("50.0"), Decimal("75.0"), Decimal("51.8"), Decimal("4.00"))


def test_xlsx_has_the_figures_and_rows_and_is_logged(client, marked):
    s = marked.s
    r = get(client, s.class_teacher, s.class_5a, format="xlsx")
    sheet = load_workbook(io.BytesIO(r.content)).worksheets[0]
    values = {row[0].value: [c.value for c in row] for row in sheet.iter_rows()}
    assert values["Отличники"][1] == 1 and values["Качество знаний"][1] == 0.5
    assert values["Ученик52 Имя2"][1:3] == ["н/а", 0]
    event = SecurityEvent.objects.get(kind=EventKind.PERSONAL_DATA_EXPORT)
    assert event.actor == s.class_teacher and "Ученик" not in event.summary


def test_a_teacher_of_another_class_gets_404(client, marked):
    s = marked.s
    assert get(client, s.teacher, s.class_5a).status_code == 404  # teaches math there, does not lead it
    assert get(client, s.class_teacher, s.class_10a).status_code == 404
    assert get(client, s.parent, s.class_5a).status_code == 404
    assert get(client, s.class_teacher, s.class_5a, view="all").status_code == 422


def test_other_schools_management_gets_404(client, marked, other_school):
    assert get(client, other_school.director, marked.s.class_5a).status_code == 404
    # A period of another grade band is not the class's.
    assert get(client, marked.s.director, marked.s.class_5a, period=marked.h1.pk).status_code == 404


def test_class_list_shows_own_classes(client, marked):
    s = marked.s
    client.force_login(s.class_teacher)
    r = client.get(reverse("reports:classes"))
    assert r.status_code == 200
    assert [g.name for g in r.context["classes"]] == ["5А"]
    client.force_login(s.director)
    assert [g.name for g in client.get(reverse("reports:classes")).context["classes"]] == ["5А", "10А"]
    client.force_login(s.teacher)
    assert client.get(reverse("reports:classes")).status_code == 404
    client.logout()
    assert client.get(reverse("reports:classes")).status_code == 302


def test_query_count_does_not_grow_with_the_class(marked_school_of):
    counts = []
    for built in (marked_school_of(5), marked_school_of(20)):
        with CaptureQueriesContext(connection) as captured:
            class_report(user=built.s.class_teacher, class_id=built.s.class_5a.pk, period_id=built.q2.pk)
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1] <= 16

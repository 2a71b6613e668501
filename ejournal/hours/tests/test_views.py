"""The pages: the school's month by teacher, a teacher's own hours, the табель files, the month confirmation."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from ejournal.accounts.models import User
from ejournal.audit.models import EventKind, SecurityEvent
from ejournal.curriculum import lessons as lesson_changes
from ejournal.curriculum.models import Lesson
from ejournal.hours.models import MonthConfirmation
from ejournal.schools.models import Period

from .conftest import Changed, set_clock

pytestmark = pytest.mark.django_db
NOV = {"month": "2026-11"}


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_management_sees_every_teacher(changed: Changed, django_assert_max_num_queries) -> None:
    s = changed.s
    client = client_for(s.deputy)
    with django_assert_max_num_queries(20):
        r = client.get(reverse("hours:index"), NOV)
    assert r.status_code == 200
    text = r.content.decode()
    for teacher in (s.teacher, s.teacher2, s.class_teacher):
        assert teacher.short_name in text
    assert "Итого" in text and "format=xlsx" in text


def test_a_teacher_sees_only_their_own_line(changed: Changed) -> None:
    s = changed.s
    r = client_for(s.teacher).get(reverse("hours:index"), NOV)
    assert r.status_code == 200
    text = r.content.decode()
    assert s.teacher.short_name in text
    assert s.teacher2.short_name not in text


@pytest.mark.parametrize("who", ["student", "parent"])
def test_family_and_strangers_get_404(changed: Changed, other_school, who: str) -> None:
    s = changed.s
    user = s.students_5a[0] if who == "student" else s.parent
    assert user is not None
    assert client_for(user).get(reverse("hours:index"), NOV).status_code == 404
    url = reverse("hours:teacher", args=[s.teacher.pk])
    assert client_for(other_school.admin).get(url, NOV).status_code == 404


def test_teacher_page_drills_down_to_lessons(changed: Changed, django_assert_max_num_queries) -> None:
    s = changed.s
    url = reverse("hours:teacher", args=[s.teacher.pk])
    client = client_for(s.teacher)
    with django_assert_max_num_queries(20):
        r = client.get(url, NOV)
    assert r.status_code == 200
    text = r.content.decode()
    assert "отменён" in text and "дополнительный" in text and "без темы" in text and "Дроби" in text
    assert "Подтверждаю проведённые часы" in text
    assert client_for(s.deputy).get(url, NOV).status_code == 200
    # Another teacher's hours do not exist for a teacher.
    assert client_for(s.teacher2).get(url, NOV).status_code == 404


def test_timesheet_xlsx_has_days_totals_replacements_and_signatures(changed: Changed) -> None:
    s = changed.s
    r = client_for(s.director).get(reverse("hours:index"), {**NOV, "format": "xlsx"})
    assert r.status_code == 200
    assert "attachment" in r["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(r.content)).active
    assert sheet is not None
    rows: list[list[Any]] = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0][0] == s.school.name
    assert rows[1][0].startswith("ТАБЕЛЬ")
    head = next(i for i, row in enumerate(rows) if row[0] == "№ п/п")
    days = rows[head + 1][2 : 2 + 30]
    assert days == list(range(1, 31))
    line = next(row for row in rows if row[1] == s.teacher.short_name)
    by_day = dict(zip(days, line[2:32], strict=True))
    assert by_day[16] is None and by_day[20] == 1 and by_day[23] == 1
    totals = line[32:]
    assert totals[:3] == [7, 6, -1]  # plan, given, difference
    replacements = next(i for i, row in enumerate(rows) if row[0] and str(row[0]).startswith("Замены"))
    substitute = next(row for row in rows[replacements:] if row[1] == s.teacher2.short_name)
    assert substitute[2 + 15] == 1 and substitute[32] == 1
    assert s.teacher.short_name not in [row[1] for row in rows[replacements:]]
    texts = [str(row[0]) for row in rows if row[0]]
    assert any(t.startswith("Директор") for t in texts)
    assert any("бухгалтер" in t for t in texts)


def test_timesheet_csv_cp1251(changed: Changed) -> None:
    s = changed.s
    r = client_for(s.deputy).get(reverse("hours:index"), {**NOV, "format": "csv"})
    assert r.status_code == 200
    text = r.content.decode("cp1251")
    line = next(x for x in text.splitlines() if f";{s.teacher2.short_name};" in x)
    cells = line.split(";")
    assert cells[2 + 15] == "1"  # Monday 16.11: the замена only (Russian is on Tuesdays)
    assert "Итого" in text and "Директор" in text
    event = SecurityEvent.objects.get(kind=EventKind.PERSONAL_DATA_EXPORT, actor=s.deputy)
    assert event.summary == "Табель проведённых часов за 11.2026, csv"


def test_timesheet_is_made_for_a_month_only(changed: Changed) -> None:
    s = changed.s
    period = Period.objects.filter(scheme__year=s.year).first()
    assert period is not None
    r = client_for(s.deputy).get(reverse("hours:index"), {"period": str(period.pk), "format": "xlsx"})
    assert r.status_code == 422
    assert "за месяц" in r.content.decode()


def test_bad_month_is_a_clear_refusal(changed: Changed) -> None:
    r = client_for(changed.s.deputy).get(reverse("hours:index"), {"month": "2026-13"})
    assert r.status_code == 422
    assert "Месяц" in r.content.decode()


def confirm(client: Client, teacher: User, month: str = "2026-11"):
    return client.post(reverse("hours:confirm", args=[teacher.pk]), {"month": month})


def test_teacher_confirms_their_month_and_a_later_change_shows(changed: Changed, monkeypatch) -> None:
    s = changed.s
    client = client_for(s.teacher)
    r = confirm(client, s.teacher)
    assert r.status_code == 302
    row = MonthConfirmation.objects.get(teacher=s.teacher)
    assert row.confirmed_by == s.teacher
    assert row.figures["given"] == 6 and row.figures["plan"] == 7
    # Confirming the same figures again changes nothing.
    r = confirm(client, s.teacher)
    assert r.status_code == 409
    assert MonthConfirmation.objects.count() == 1
    # A замена entered afterwards is a discrepancy, the confirmation keeps what was confirmed.
    lesson = Lesson.objects.get(assignment=s.math_5a, date=dt.date(2026, 11, 9))
    lesson_changes.replace_teacher(actor=s.admin, lesson=lesson, substitute=s.class_teacher, note="курсы")
    page = client_for(s.deputy).get(reverse("hours:index"), NOV).content.decode()
    assert "расхождения" in page
    own = client.get(reverse("hours:teacher", args=[s.teacher.pk]), NOV).content.decode()
    assert "Проведено: подтверждено 6, сейчас 5" in own
    assert "09.11.2026" in own
    MonthConfirmation.objects.get(teacher=s.teacher)  # still one, unchanged
    assert confirm(client, s.teacher).status_code == 302
    assert MonthConfirmation.objects.filter(teacher=s.teacher).count() == 2


def test_confirming_another_teachers_month_is_refused(changed: Changed) -> None:
    s = changed.s
    r = confirm(client_for(s.teacher2), s.teacher)
    assert r.status_code == 403
    assert "только сам учитель" in r.content.decode()
    r = confirm(client_for(s.deputy), s.teacher)
    assert r.status_code == 403
    assert not MonthConfirmation.objects.exists()


def test_a_month_not_over_or_before_the_year_is_refused(changed: Changed, monkeypatch) -> None:
    s = changed.s
    client = client_for(s.teacher)
    r = confirm(client, s.teacher, "2026-12")
    assert r.status_code == 422
    assert "ещё не закончился" in r.content.decode()
    r = confirm(client, s.teacher, "2026-07")
    assert r.status_code == 422
    assert "не входит ни в один учебный год" in r.content.decode()
    set_clock(monkeypatch, dt.date(2026, 11, 30))
    assert confirm(client, s.teacher).status_code == 422
    assert not MonthConfirmation.objects.exists()


def test_confirmation_rows_are_never_changed(changed: Changed) -> None:
    s = changed.s
    confirm(client_for(s.teacher), s.teacher)
    row = MonthConfirmation.objects.get()
    with pytest.raises(PermissionError):
        row.save()
    with pytest.raises(PermissionError):
        MonthConfirmation.objects.all().delete()

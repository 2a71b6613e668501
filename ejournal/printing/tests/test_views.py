"""«Печать журнала» (printing.views.book): the form, the PDF download, and who gets a 404."""

from __future__ import annotations

from urllib.parse import unquote

import pytest
from django.test import Client
from django.urls import reverse

from ejournal.accounts.models import User
from ejournal.audit.models import EventKind, SecurityEvent
from ejournal.conftest import SmallSchool
from ejournal.schools.models import Period

from .conftest import Printed, pdf_pages

URL = reverse("printing:book")


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _query(printed: Printed, **extra: int) -> dict[str, int]:
    return {"class_group": printed.j.s.class_5a.pk, "period": printed.j.q1.pk, **extra}


@pytest.mark.parametrize("who", ["admin", "director", "deputy", "class_teacher"])
def test_management_and_the_class_teacher_download_the_book(printed: Printed, who: str) -> None:
    user = getattr(printed.j.s, who)
    page = _client(user).get(URL)
    assert page.status_code == 200 and "Печать журнала" in page.content.decode()
    answer = _client(user).get(URL, _query(printed))
    assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
    assert "Журнал 5А 1 четверть.pdf" in unquote(answer["Content-Disposition"])
    text = " ".join(pdf_pages(answer.content))
    assert all(student.last_name in text for student in printed.j.students)
    assert SecurityEvent.objects.filter(kind=EventKind.PERSONAL_DATA_EXPORT, actor=user).exists()


def test_one_subject(printed: Printed) -> None:
    answer = _client(printed.j.s.admin).get(URL, _query(printed, subject=printed.j.s.math.pk))
    assert answer.status_code == 200
    text = " ".join(pdf_pages(answer.content))
    assert "Математика" in text and "Русский язык" not in text


def test_the_menu_shows_the_page_to_whom_it_opens(printed: Printed) -> None:
    s = printed.j.s
    assert "Печать журнала" in _client(s.class_teacher).get(reverse("home")).content.decode()
    assert "Печать журнала" not in _client(s.teacher).get(reverse("home")).content.decode()


def test_class_without_lessons_is_the_form_with_a_russian_message(printed: Printed) -> None:
    s = printed.j.s
    half = Period.objects.filter(scheme__year=s.year, scheme__grade_to=11).order_by("start").first()
    assert half is not None
    answer = _client(s.admin).get(URL, {"class_group": s.class_10a.pk, "period": half.pk})
    assert answer.status_code == 422
    assert "В классе 10А нет уроков" in answer.content.decode()


def test_others_get_404(printed: Printed, other_school: SmallSchool) -> None:
    s = printed.j.s
    assert s.parent is not None
    # A teacher who leads another class: the page opens, 5А's book does not.
    s.class_10a.class_teachers.add(s.teacher2)
    assert _client(s.teacher2).get(URL).status_code == 200
    assert _client(s.teacher2).get(URL, _query(printed)).status_code == 404
    for user in (s.teacher, s.students_5a[0], s.parent):
        assert _client(user).get(URL).status_code == 404
        assert _client(user).get(URL, _query(printed)).status_code == 404
    # Another school's administrator has the page for their own school, and 5А of this one is a 404.
    assert _client(other_school.admin).get(URL, _query(printed)).status_code == 404
    # A class of another school, asked for by id, is a 404 for this school's administrator.
    foreign = {"class_group": other_school.class_5a.pk, "period": printed.j.q1.pk}
    assert _client(s.admin).get(URL, foreign).status_code == 404

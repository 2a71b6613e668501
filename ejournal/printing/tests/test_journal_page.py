"""printing:journal — one journal (a subject of a class) printed from the journals list, and the book page's
dates and сводная ведомость."""

from __future__ import annotations

from urllib.parse import unquote

from django.test import Client
from django.urls import reverse

from ejournal.accounts.models import User
from ejournal.audit.models import EventKind, SecurityEvent
from ejournal.conftest import SmallSchool

from .conftest import TOPICS, Printed, pdf_pages


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _url(printed: Printed) -> str:
    return reverse("printing:journal", args=[printed.j.assignment.pk])


def test_the_subject_teacher_prints_their_journal_from_the_journals_list(printed: Printed) -> None:
    j = printed.j
    teacher = _client(j.teacher)
    assert _url(printed) in teacher.get(reverse("journal:index")).content.decode()
    form = teacher.get(_url(printed))
    assert form.status_code == 200 and "Печать журнала: 5А · Математика" in form.content.decode()
    answer = teacher.get(_url(printed), {"period": j.q1.pk})
    assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
    assert "Журнал 5А 1 четверть Математика.pdf" in unquote(answer["Content-Disposition"])
    text = " ".join(pdf_pages(answer.content))
    assert all(topic in text for topic in TOPICS) and "Русский язык" not in text
    assert all(student.last_name in text for student in j.students)
    assert SecurityEvent.objects.filter(kind=EventKind.PERSONAL_DATA_EXPORT, actor=j.teacher).exists()


def test_dates_and_the_summary_from_the_journal_page(printed: Printed) -> None:
    j = printed.j
    lessons = j.in_period(j.q1)
    dates = {"date_from": lessons[0].date.isoformat(), "date_to": lessons[1].date.isoformat()}
    answer = _client(j.s.class_teacher).get(_url(printed), dates)
    assert answer.status_code == 200
    text = " ".join(pdf_pages(answer.content))
    assert TOPICS[0] in text and TOPICS[1] in text and TOPICS[2] not in text
    summary = _client(j.s.class_teacher).get(_url(printed), {"period": str(j.q1.pk), "part": "summary"})
    assert "Сводная ведомость отметок" in " ".join(pdf_pages(summary.content))


def test_bad_choices_are_the_form_with_a_russian_message(printed: Printed) -> None:
    j = printed.j
    client = _client(j.teacher)
    neither = client.get(_url(printed), {"part": "book"})
    assert neither.status_code == 400 and "Выберите период или укажите даты" in neither.content.decode()
    both = client.get(_url(printed), {"period": str(j.q1.pk), "date_from": "2026-09-01", "date_to": "2026-09-10"})
    assert both.status_code == 400 and "Либо период, либо даты" in both.content.decode()
    outside = client.get(_url(printed), {"date_from": "2025-09-01", "date_to": "2025-09-10"})
    assert outside.status_code == 422 and "Даты печати должны идти по порядку" in outside.content.decode()
    summary = client.get(_url(printed), {"date_from": "2026-09-01", "date_to": "2026-09-10", "part": "summary"})
    assert summary.status_code == 422 and "за период, не за даты" in summary.content.decode()


def test_others_get_404(printed: Printed, other_school: SmallSchool) -> None:
    s = printed.j.s
    assert s.parent is not None
    for user in (s.teacher2, s.students_5a[0], s.parent, other_school.admin):
        assert _client(user).get(_url(printed)).status_code == 404
        assert _client(user).get(_url(printed), {"period": printed.j.q1.pk}).status_code == 404


def test_the_book_page_prints_dates_and_links_what_else_is_printed(printed: Printed) -> None:
    j = printed.j
    page = _client(j.s.admin).get(reverse("printing:book")).content.decode()
    for url in (reverse("printing:stored"), reverse("reports:index"), reverse("people:credential_classes")):
        assert f'href="{url}"' in page
    lessons = j.in_period(j.q1)
    query = {"class_group": str(j.s.class_5a.pk), "date_from": f"{lessons[0].date}", "date_to": f"{lessons[2].date}"}
    answer = _client(j.s.class_teacher).get(reverse("printing:book"), query)
    assert answer.status_code == 200
    assert f"Журнал 5А {lessons[0].date:%d.%m.%Y}-{lessons[2].date:%d.%m.%Y}.pdf" in unquote(
        answer["Content-Disposition"]
    )
    class_teacher_page = _client(j.s.class_teacher).get(reverse("printing:book")).content.decode()
    assert reverse("printing:stored") not in class_teacher_page

"""journal:index and journal:grid pages: who sees what, the grid's markup, the page's query count."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse

from ejournal.journal import services
from ejournal.journal.periods import close_period

MONDAY = dt.date(2026, 12, 21)


def grid_url(journal, period=None) -> str:
    url = reverse("journal:grid", args=[journal.assignment.pk])
    return f"{url}?period={period.pk}" if period else url


def config_of(response) -> dict:
    html = response.content.decode()
    start = html.index('<script id="jr-config" type="application/json">') + len(
        '<script id="jr-config" type="application/json">'
    )
    return json.loads(html[start : html.index("</script>", start)])


def test_teacher_sees_own_journals_in_the_index(client, journal):
    client.force_login(journal.teacher)
    response = client.get(reverse("journal:index"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Мои журналы" in html and "5А · Математика" in html
    assert "Русский язык" not in html  # teacher2's journal
    assert "2 четверть" in html
    assert reverse("journal:index") in html  # the menu item


def test_class_teacher_sees_every_subject_of_their_class(client, journal):
    client.force_login(journal.s.class_teacher)
    html = client.get(reverse("journal:index")).content.decode()
    assert "Мой класс 5А" in html and "Математика" in html and "Русский язык" in html


def test_deputy_sees_the_whole_school_and_the_closing_page(client, journal):
    client.force_login(journal.s.deputy)
    html = client.get(reverse("journal:index")).content.decode()
    assert "Класс 5А" in html and "Русский язык" in html
    assert reverse("journal:closures") in html


@pytest.mark.parametrize("who", ["students_5a", "parent"])
def test_students_and_parents_have_no_journal_list(client, journal, who):
    user = getattr(journal.s, who)
    user = user[0] if isinstance(user, list) else user
    client.force_login(user)
    html = client.get(reverse("journal:index")).content.decode()
    assert "Журналов для вас нет" in html


def test_anonymous_is_sent_to_login(client, journal):
    response = client.get(grid_url(journal))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_grid_page_for_the_teacher(client, journal):
    s = journal.s
    services.set_cell(actor=s.teacher, lesson=journal.lesson_on(MONDAY), student=s.students_5a[0], text="5/4")
    services.set_cell(actor=s.teacher, lesson=journal.lesson_on(MONDAY), student=s.students_5a[1], text="н")
    client.force_login(s.teacher)
    response = client.get(grid_url(journal, journal.q2))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<table class="jr" id="jr-grid"' in html
    assert ">5/4</td>" in html and 'class="a"' in html
    assert "js/journal.js" in html and "css/journal.css" in html
    assert "<script>" not in html  # no inline scripts
    config = config_of(response)
    assert config["mode"] == "edit" and config["period"] == journal.q2.pk and not config["locked"]
    assert config["urls"]["cell"] == "/journal/cell/{l}/{s}/"


@pytest.mark.parametrize(
    ("who", "mode"), [("class_teacher", "reasons"), ("director", "read"), ("deputy", "read"), ("admin", "correct")]
)
def test_grid_page_modes(client, journal, who, mode):
    client.force_login(getattr(journal.s, who))
    response = client.get(grid_url(journal, journal.q2))
    assert response.status_code == 200
    assert config_of(response)["mode"] == mode


def test_grid_page_is_404_outside_the_scope(client, journal, other_school):
    for user in (
        journal.s.teacher2,
        journal.s.students_5a[0],
        journal.s.parent,
        other_school.teacher,
        other_school.admin,
    ):
        client.force_login(user)
        assert client.get(grid_url(journal, journal.q2)).status_code == 404


def test_grid_page_with_a_foreign_or_wrong_period_is_404(client, journal, other_school):
    client.force_login(journal.teacher)
    foreign = other_school.year.schemes.first().periods.first()
    assert client.get(grid_url(journal, foreign)).status_code == 404
    assert client.get(grid_url(journal) + "?period=abc").status_code == 422


def test_closed_period_page_says_so(client, journal):
    close_period(actor=journal.s.deputy, period=journal.q1)
    client.force_login(journal.teacher)
    response = client.get(grid_url(journal, journal.q1))
    assert "Период закрыт" in response.content.decode() and config_of(response)["locked"]


def test_names_are_escaped(client, journal):
    student = journal.s.students_5a[0]
    student.last_name = "<b>Злой</b>"
    student.save()
    client.force_login(journal.teacher)
    html = client.get(grid_url(journal, journal.q2)).content.decode()
    assert "<b>Злой</b>" not in html and "&lt;b&gt;Злой&lt;/b&gt;" in html


def test_grid_page_queries_do_not_grow(client, big_journal, django_assert_max_num_queries):
    journal = big_journal(25)
    client.force_login(journal.teacher)
    with django_assert_max_num_queries(16):  # the grid's ten plus session, user, menu
        assert client.get(grid_url(journal, journal.q2)).status_code == 200

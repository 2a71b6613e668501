"""The grid in a real browser (Debian's chromium through Playwright): keyboard-only entry, reload,
undo, a dropped connection, a conflict between two tabs, and a phone-width screen."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from ejournal.journal.models import Attendance, Mark

pytestmark = [pytest.mark.browser]


@pytest.fixture
def browser(chromium: object) -> object:
    """The session's chromium (ejournal/conftest.py): one Playwright per test process."""
    return chromium


def open_grid(browser, live_server, journal, user, *, width: int = 1280):
    client = Client()
    client.force_login(user)
    context = browser.new_context(viewport={"width": width, "height": 800}, locale="ru-RU")
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    page = context.new_page()
    url = f"{live_server.url}{reverse('journal:grid', args=[journal.assignment.pk])}?period={journal.q2.pk}"
    page.goto(url)
    return context, page


def cell(page, row: int, column: int):
    """The td of a student row (0-based) and lesson column (0-based)."""
    return page.locator(f"#jr-grid tbody tr:nth-child({row + 1}) td:nth-of-type({column + 1})")


def column_of(journal, day: dt.date) -> int:
    return [lesson.pk for lesson in journal.in_period(journal.q2)].index(journal.lesson_on(day).pk)


def wait_saved(page) -> None:
    page.wait_for_function("() => !document.querySelector('#jr-grid td.saving, #jr-grid td.queued')")
    page.wait_for_function("() => document.getElementById('jr-status').textContent.includes('Сохранено')")


def test_keyboard_only_row_survives_a_reload(browser, live_server, journal):
    context, page = open_grid(browser, live_server, journal, journal.teacher)
    start = column_of(journal, dt.date(2026, 12, 7))
    first = cell(page, 0, start)
    first.focus()
    # «y», «j», «g» are «н», «о», «п» on the Russian layout: a teacher on the wrong layout still writes right.
    for keys in ["5", "4", "y", "5/4", "jg 3", "5"]:
        for key in keys:
            page.keyboard.press(key if key != " " else "Space")
        page.keyboard.press("Tab")
    wait_saved(page)
    student = journal.students[0]
    lessons = journal.in_period(journal.q2)[start : start + 6]
    got = [
        (
            "/".join(
                Mark.objects.filter(lesson=lesson, student=student).order_by("position").values_list("value", flat=True)
            ),
            Attendance.objects.filter(lesson=lesson, student=student).values_list("code", flat=True).first() or "",
        )
        for lesson in lessons
    ]
    assert got == [("5", ""), ("4", ""), ("", "н"), ("5/4", ""), ("3", "оп"), ("5", "")]
    page.reload()
    texts = [cell(page, 0, start + i).inner_text() for i in range(6)]
    assert texts == ["5", "4", "н", "5/4", "оп 3", "5"]
    # The row's figures follow: (5 + 4 + 5 + 4 + 3 + 5) / 6 = 4,33.
    assert page.locator("#jr-grid tbody tr:first-child td.jr-avg").inner_text() == "4,33"
    context.close()


def test_delete_clears_and_ctrl_z_brings_back(browser, live_server, journal):
    context, page = open_grid(browser, live_server, journal, journal.teacher)
    target = cell(page, 1, column_of(journal, dt.date(2026, 12, 14)))
    target.focus()
    page.keyboard.press("4")
    page.keyboard.press("Enter")
    wait_saved(page)
    target.focus()
    page.keyboard.press("Delete")
    page.wait_for_function("() => !document.querySelector('#jr-grid td.saving')")
    assert not Mark.objects.filter(student=journal.students[1]).exists()
    page.keyboard.press("Control+z")
    page.wait_for_function("() => !document.querySelector('#jr-grid td.saving')")
    assert target.inner_text() == "4"
    assert list(Mark.objects.filter(student=journal.students[1]).values_list("value", flat=True)) == ["4"]
    context.close()


def test_dropped_connection_keeps_edits_and_sends_them_later(browser, live_server, journal):
    context, page = open_grid(browser, live_server, journal, journal.teacher)
    target = cell(page, 2, column_of(journal, dt.date(2026, 12, 16)))
    target.focus()
    context.set_offline(True)
    page.keyboard.press("3")
    page.keyboard.press("Enter")
    page.wait_for_selector("#jr-grid td.queued")
    assert "Нет связи" in page.locator("#jr-status").inner_text()
    assert not Mark.objects.filter(student=journal.students[2]).exists()
    context.set_offline(False)
    page.evaluate("() => window.dispatchEvent(new Event('online'))")
    wait_saved(page)
    assert list(Mark.objects.filter(student=journal.students[2]).values_list("value", flat=True)) == ["3"]
    context.close()


def test_two_tabs_conflict_is_shown_not_overwritten(browser, live_server, journal):
    context, first = open_grid(browser, live_server, journal, journal.teacher)
    second = context.new_page()
    second.goto(first.url)
    column = column_of(journal, dt.date(2026, 12, 21))
    cell(first, 0, column).focus()
    first.keyboard.press("5")
    first.keyboard.press("Enter")
    wait_saved(first)
    cell(second, 0, column).focus()
    second.keyboard.press("2")
    second.keyboard.press("Enter")
    second.wait_for_selector("#jr-grid td.conflict")
    assert cell(second, 0, column).inner_text() == "5"
    assert "«5»" in second.locator("#jr-status").inner_text()
    assert list(Mark.objects.filter(student=journal.students[0]).values_list("value", flat=True)) == ["5"]
    context.close()


def test_phone_width_scrolls_with_the_names_in_place(browser, live_server, journal):
    context, page = open_grid(browser, live_server, journal, journal.teacher, width=360)
    sizes = page.evaluate(
        "() => { const w = document.getElementById('jr-wrap'); return [w.scrollWidth, w.clientWidth]; }"
    )
    assert sizes[0] > sizes[1]  # the grid scrolls inside its box, the page does not
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 380
    name = page.locator("#jr-grid tbody tr:first-child th")
    before = name.bounding_box()
    page.evaluate("() => { document.getElementById('jr-wrap').scrollLeft = 600; }")
    after = name.bounding_box()
    assert before and after and abs(before["x"] - after["x"]) < 1
    # Typing works there too.
    target = cell(page, 0, column_of(journal, dt.date(2026, 12, 23)))
    target.focus()
    page.keyboard.press("4")
    page.keyboard.press("Enter")
    wait_saved(page)
    assert Mark.objects.filter(student=journal.students[0], value="4").exists()
    context.close()


def test_year_mark_typed_on_the_year_page(browser, live_server, journal):
    client = Client()
    client.force_login(journal.teacher)
    context = browser.new_context(viewport={"width": 1024, "height": 700}, locale="ru-RU")
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    page = context.new_page()
    page.goto(f"{live_server.url}{reverse('journal:summary', args=[journal.assignment.pk])}")
    page.locator("#jr-summary td[data-kind]").first.focus()
    page.keyboard.press("4")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.getElementById('jr-status').textContent.includes('Сохранено')")
    page.reload()
    assert page.locator("#jr-summary td[data-kind]").first.inner_text() == "4"
    context.close()

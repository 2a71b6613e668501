"""The journal's offline queue in a real browser (issue 13, "Data loss: the offline queue"): several tabs of
one journal share one queue in IndexedDB, so no edit typed while offline is lost when another tab
writes the queue or when the tab it was typed in is closed; the year page queues its marks the same way."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from ejournal.journal.models import Mark, PeriodMark

from .test_browser import cell, column_of, open_grid, wait_saved

pytestmark = [pytest.mark.browser]


@pytest.fixture
def browser(chromium: object) -> object:
    """The session's chromium (ejournal/conftest.py): one Playwright per test process."""
    return chromium


def type_into(page, td, keys: str) -> None:
    td.focus()
    for key in keys:
        page.keyboard.press(key)
    page.keyboard.press("Enter")


def watch_errors(*pages) -> list[str]:
    """Script errors of the pages, collected for the end of the test."""
    errors: list[str] = []
    for page in pages:
        page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def go_online(context, *pages) -> None:
    context.set_offline(False)
    for page in pages:
        page.evaluate("() => window.dispatchEvent(new Event('online'))")


def stored_queue(page, name: str) -> dict:
    """The journal's queue as IndexedDB holds it (what a reload or another tab would find)."""
    script = """(name) => new Promise((resolve, reject) => {
        const open = indexedDB.open("jr-offline", 1);
        open.onupgradeneeded = () => open.result.createObjectStore("queues");
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
            const get = open.result.transaction("queues").objectStore("queues").get(name);
            get.onsuccess = () => resolve(get.result || {});
            get.onerror = () => reject(get.error);
        };
    })"""
    return page.evaluate(script, name)


def marks(lesson, student) -> list[str]:
    found = Mark.objects.filter(lesson=lesson, student=student).order_by("position")
    return list(found.values_list("value", flat=True))


def test_two_offline_tabs_keep_both_marks_after_the_first_is_closed(browser, live_server, journal):
    context, first = open_grid(browser, live_server, journal, journal.teacher)
    second = context.new_page()
    second.goto(first.url)
    errors = watch_errors(first, second)
    a, b = column_of(journal, dt.date(2026, 12, 7)), column_of(journal, dt.date(2026, 12, 9))
    context.set_offline(True)
    type_into(first, cell(first, 0, a), "5")
    first.wait_for_selector("#jr-grid td.queued")
    # The second tab sees the first tab's waiting mark at once (the storage event).
    second.wait_for_selector(f"#jr-grid tbody tr:nth-child(1) td:nth-of-type({a + 1}).queued")
    assert cell(second, 0, a).inner_text() == "5"
    type_into(second, cell(second, 1, b), "4")
    second.wait_for_selector(f"#jr-grid tbody tr:nth-child(2) td:nth-of-type({b + 1}).queued")
    assert "Нет связи: 2 запис" in second.locator("#jr-status").inner_text()
    assert not Mark.objects.exists()
    first.close()
    go_online(context, second)
    wait_saved(second)
    lesson_a, lesson_b = journal.lesson_on(dt.date(2026, 12, 7)), journal.lesson_on(dt.date(2026, 12, 9))
    assert marks(lesson_a, journal.students[0]) == ["5"]
    assert marks(lesson_b, journal.students[1]) == ["4"]
    assert [cell(second, 0, a).inner_text(), cell(second, 1, b).inner_text()] == ["5", "4"]
    assert stored_queue(second, f"jr-queue:{journal.assignment.pk}") == {}
    assert errors == []
    context.close()


def test_two_offline_tabs_typing_into_the_same_cell_keep_the_later_edit(browser, live_server, journal):
    context, first = open_grid(browser, live_server, journal, journal.teacher)
    second = context.new_page()
    second.goto(first.url)
    errors = watch_errors(first, second)
    column = column_of(journal, dt.date(2026, 12, 14))
    context.set_offline(True)
    type_into(first, cell(first, 2, column), "5")
    first.wait_for_selector("#jr-grid td.queued")
    type_into(second, cell(second, 2, column), "3")
    second.wait_for_selector("#jr-grid td.queued")
    # The later edit replaced the earlier one in the shared queue, and the first tab shows it too.
    shown = f"#jr-grid tbody tr:nth-child(3) td:nth-of-type({column + 1})"
    first.wait_for_function("(selector) => document.querySelector(selector).textContent === '3'", arg=shown)
    go_online(context, first, second)
    for page in (first, second):
        page.wait_for_function("() => !document.querySelector('#jr-grid td.saving, #jr-grid td.queued')")
        assert cell(page, 2, column).inner_text() == "3"
    assert second.locator("#jr-grid td.conflict, #jr-grid td.err").count() == 0
    assert marks(journal.lesson_on(dt.date(2026, 12, 14)), journal.students[2]) == ["3"]
    assert errors == []
    context.close()


def test_a_reload_while_the_server_is_unreachable_keeps_and_shows_the_waiting_cells(browser, live_server, journal):
    context, page = open_grid(browser, live_server, journal, journal.teacher)
    column = column_of(journal, dt.date(2026, 12, 16))

    # The page itself loads, every save fails as on a dropped connection.
    def refuse_saves(route) -> None:
        if route.request.method == "POST":
            route.abort("internetdisconnected")
        else:
            route.continue_()

    context.route("**/*", refuse_saves)
    type_into(page, cell(page, 3, column), "2")
    page.wait_for_selector("#jr-grid td.queued")
    page.reload()
    page.wait_for_selector(f"#jr-grid tbody tr:nth-child(4) td:nth-of-type({column + 1}).queued")
    assert cell(page, 3, column).inner_text() == "2"
    assert "Нет связи" in page.locator("#jr-status").inner_text()
    assert not Mark.objects.exists()
    context.unroute("**/*", refuse_saves)
    go_online(context, page)
    wait_saved(page)
    assert marks(journal.lesson_on(dt.date(2026, 12, 16)), journal.students[3]) == ["2"]
    context.close()


def test_year_page_queues_a_mark_typed_offline_and_sends_it_when_back(browser, live_server, journal):
    client = Client()
    client.force_login(journal.teacher)
    context = browser.new_context(viewport={"width": 1024, "height": 700}, locale="ru-RU")
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    page = context.new_page()
    errors = watch_errors(page)
    page.goto(f"{live_server.url}{reverse('journal:summary', args=[journal.assignment.pk])}")
    target = page.locator("#jr-summary td[data-kind]").first
    student = int(page.locator("#jr-summary tbody tr").first.get_attribute("data-s") or 0)
    kind = target.get_attribute("data-kind")
    context.set_offline(True)
    target.focus()
    page.keyboard.press("4")
    page.keyboard.press("Enter")
    page.wait_for_selector("#jr-summary td.queued")
    # Shown as waiting, not as saved, and the status says so.
    assert target.inner_text() == "4"
    assert "Нет связи" in page.locator("#jr-status").inner_text()
    assert not PeriodMark.objects.exists()
    go_online(context, page)
    page.wait_for_function("() => document.getElementById('jr-status').textContent.includes('Сохранено')")
    assert page.locator("#jr-summary td.queued, #jr-summary td.saving, #jr-summary td.err").count() == 0
    assert list(PeriodMark.objects.filter(student_id=student, kind=kind).values_list("value", flat=True)) == ["4"]
    page.reload()
    assert page.locator("#jr-summary td[data-kind]").first.inner_text() == "4"
    assert errors == []
    context.close()


def test_an_edit_queued_in_local_storage_by_the_previous_version_is_sent(browser, live_server, journal):
    """Before the queue moved to IndexedDB it lived in localStorage: an edit waiting there at the upgrade is
    taken over and sent, never dropped."""
    context, page = open_grid(browser, live_server, journal, journal.teacher)
    errors = watch_errors(page)
    lesson = journal.lesson_on(dt.date(2026, 12, 21))
    student = journal.students[4]
    key = f"c:{lesson.pk}:{student.pk}"
    waiting = {key: {"text": "4", "key": key, "version": None, "at": 1, "tab": "old", "id": "old:1"}}
    name = f"jr-queue:{journal.assignment.pk}"
    page.evaluate("([name, queue]) => localStorage.setItem(name, JSON.stringify(queue))", [name, waiting])
    page.reload()
    wait_saved(page)
    assert marks(lesson, student) == ["4"]
    assert cell(page, 4, column_of(journal, dt.date(2026, 12, 21))).inner_text() == "4"
    assert page.evaluate("() => localStorage.length") == 0
    assert stored_queue(page, name) == {}
    assert errors == []
    context.close()

"""The diary in a real browser (Debian's chromium through Playwright) on a 360 px phone: nothing wider than
the screen, a light week page, and the last opened week offline through the service worker."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser]

PHONE = {"width": 360, "height": 740}
OFFLINE_NOTE = "нет связи, показана сохранённая версия"


def phone(chromium, live_server, user):
    client = Client()
    client.force_login(user)
    context = chromium.new_context(viewport=PHONE, locale="ru-RU", base_url=live_server.url)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


def scroll_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_every_diary_page_fits_a_360_px_phone(chromium, live_server, diary):
    context, page = phone(chromium, live_server, diary.s.parent)
    try:
        child = diary.child.pk
        pages = [
            reverse("diary:student_week", args=[child]) + "?week=2026-12-14",
            reverse("diary:student_marks", args=[child]) + f"?period={diary.q2.pk}",
            reverse("diary:student_homework", args=[child]),
            reverse("diary:student_homework_item", args=[child, diary.upcoming.pk]),
            reverse("diary:student_results", args=[child]),
        ]
        for url in pages:
            page.goto(url)
            for summary in page.locator("details > summary").all():
                summary.click()  # the marks of each subject opened, as a parent reads them
            assert scroll_width(page) <= 360, url
        page.goto(pages[1])
        page.get_by_text("Математика").first.click()
        assert page.get_by_text("Контрольная работа").first.is_visible()
    finally:
        context.close()


def test_week_page_is_light(chromium, live_server, diary):
    context, page = phone(chromium, live_server, diary.child)
    try:
        page.goto(reverse("diary:week") + "?week=2026-12-21")
        page.wait_for_load_state("load")
        transferred = page.evaluate(
            """() => performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'))
                 .filter((e) => !e.name.includes('/journal/attachments/'))
                 .reduce((sum, e) => sum + e.transferSize, 0)"""
        )
        assert 0 < transferred < 100 * 1024
    finally:
        context.close()


def test_last_opened_week_opens_offline_and_is_forgotten_on_logout(chromium, live_server, diary):
    context, page = phone(chromium, live_server, diary.s.parent)
    try:
        week = reverse("diary:student_week", args=[diary.child.pk]) + "?week=2026-12-14"
        page.goto(week)
        assert not page.get_by_text(OFFLINE_NOTE).is_visible()
        saved = "async () => (await (await caches.open('diary-pages')).keys()).map((r) => r.url).join(' ')"
        page.wait_for_function(f"async () => ({saved})().then((urls) => urls.includes('week=2026-12-14'))")
        # Offline pages come from the service worker once it controls the page; the week opened again under
        # it is the ordinary path (the very first page is kept by a message while the worker installs).
        page.wait_for_function("() => navigator.serviceWorker.controller !== null")
        page.goto(week)
        page.wait_for_function(f"async () => ({saved})().then((urls) => urls.includes('week=2026-12-14'))")
        context.set_offline(True)
        page.reload()
        expect(page.get_by_text(OFFLINE_NOTE)).to_be_visible()
        expect(page.get_by_text("Упражнение 125")).to_be_visible()  # the saved week, with its homework
        assert page.locator(".diary-tabs").evaluate("(e) => getComputedStyle(e).display") == "flex"  # CSS cached
        # Another week is not saved: the last opened one is shown, marked as saved.
        page.goto(reverse("diary:student_week", args=[diary.child.pk]) + "?week=2027-01-11")
        expect(page.get_by_text(OFFLINE_NOTE)).to_be_visible()
        expect(page.get_by_text("Упражнение 125")).to_be_visible()

        context.set_offline(False)
        page.goto(week)
        assert not page.get_by_text(OFFLINE_NOTE).is_visible()
        page.get_by_role("button", name="Выйти").click()
        page.wait_for_url("**/accounts/login/**")
        page.wait_for_function("async () => (await (await caches.open('diary-pages')).keys()).length === 0")
    finally:
        context.close()

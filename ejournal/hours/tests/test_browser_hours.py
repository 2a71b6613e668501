"""The hours pages in a real browser (Debian's chromium): the deputy's month, the teacher drills down and
confirms the month, the deputy sees who confirmed and downloads the табель. Screenshots go to
$EJOURNAL_SCREENSHOTS when set (to look at the pages as PNG)."""

from __future__ import annotations

import os

import pytest

from ejournal.conftest import browser_login
from ejournal.hours.models import MonthConfirmation

pytestmark = [pytest.mark.browser]


def shot(page, name: str) -> None:
    folder = os.environ.get("EJOURNAL_SCREENSHOTS")
    if folder:
        page.screenshot(path=os.path.join(folder, f"{name}.png"), full_page=True)


def test_teacher_confirms_and_deputy_sees_it(browser_page, changed):
    page = browser_page
    s = changed.s
    browser_login(page, s.teacher)
    page.goto("/")
    page.click("nav >> text=Проведённые часы")
    page.goto("/hours/?month=2026-11")
    assert page.locator(f"table >> text={s.teacher2.short_name}").count() == 0
    page.click(f"table >> text={s.teacher.short_name}")
    page.wait_for_url("**/hours/teachers/**")
    assert page.locator("td:has-text('отменён')").count() == 1
    shot(page, "hours-teacher")
    page.click("button:has-text('Подтверждаю проведённые часы')")
    assert page.locator("text=Часы за месяц подтверждены").count() == 1
    assert MonthConfirmation.objects.filter(teacher=s.teacher).count() == 1
    page.context.clear_cookies()
    browser_login(page, s.deputy)
    page.goto("/hours/?month=2026-11")
    rows = page.locator("tbody tr")
    assert rows.count() == 3
    assert page.locator("tbody tr", has_text=s.teacher.short_name).locator("td").last.inner_text() != "нет"
    shot(page, "hours-month")
    with page.expect_download() as download:
        page.click("a:has-text('XLSX')")
    assert download.value.suggested_filename == "Табель часов 2026-11.xlsx"

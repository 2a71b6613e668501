"""The three reports in Debian's chromium: the deputy signs in, chooses a period in the filter form, sees the
table and the chart, drills down and downloads the XLSX; a teacher sees only their own analysis."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from ejournal.conftest import browser_login
from ejournal.journal import services
from ejournal.journal.tests.conftest import TODAY, build_journal, set_clock

pytestmark = [pytest.mark.browser]


@pytest.fixture
def j(small_school, monkeypatch):
    set_clock(monkeypatch, TODAY)
    j = build_journal(small_school)
    services.set_cell(actor=j.s.teacher, lesson=j.lesson_on(dt.date(2026, 12, 21)), student=j.students[0], text="б")
    return j


def choose_period(page, j) -> None:
    page.select_option("select[name=period]", str(j.q2.pk))
    page.click("form.filters button")
    page.wait_for_url(f"**period={j.q2.pk}**")


def test_deputy_opens_each_report_and_drills_down(browser_page, j):
    page = browser_page
    browser_login(page, j.s.deputy)

    page.goto(reverse("reports:attendance"))
    choose_period(page, j)
    assert page.locator("h1").inner_text() == "Посещаемость"
    assert page.locator("svg.chart").count() == 2
    page.click("table.report >> text=5А")
    page.wait_for_url(f"**class={j.s.class_5a.pk}**")
    assert "Ученик50 Имя0" in page.locator("table.report").inner_text()
    with page.expect_download() as download:
        page.get_by_role("link", name="XLSX").first.click()  # the help panel mentions XLSX too, hidden
    with open(download.value.path(), "rb") as file:  # a temporary name without .xlsx
        sheet = load_workbook(file).worksheets[0]
    row = next(r for r in sheet.iter_rows(values_only=True) if r[0] == "Ученик50 Имя0")
    assert row[1:3] == (1, 1)  # one lesson missed, for illness

    page.goto(reverse("reports:journal_keeping"))
    choose_period(page, j)
    assert "Анализ работы с классным журналом ЭЖ" in page.locator("h1").inner_text()
    page.click("table.report >> text=Учителева Ульяна")
    page.wait_for_url(f"**teacher={j.s.teacher.pk}**")
    assert "5А · Математика" in page.locator("table.report").inner_text()

    page.goto(reverse("reports:program_execution"))
    page.select_option("select[name=group]", "teacher")
    page.click("form.filters button")
    page.wait_for_url("**group=teacher**")
    assert page.locator("svg.chart").count() == 1
    page.click("table.report >> text=Педагогов Пётр")
    page.wait_for_url(f"**teacher={j.s.teacher2.pk}**")
    assert "5А · Русский язык" in page.locator("table.report").inner_text()


def test_teacher_sees_only_their_own_analysis(browser_page, j):
    page = browser_page
    browser_login(page, j.s.teacher2)
    page.goto(reverse("reports:journal_keeping"))
    text = page.locator("main").inner_text()
    assert "Педагогов Пётр" in text and "Учителева" not in text
    response = page.goto(f"{reverse('reports:journal_keeping')}?teacher={j.s.teacher.pk}")
    assert response is not None and response.status == 404

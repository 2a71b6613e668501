"""Each quality report in a real browser (Debian's chromium): the director drills down from the school
summary to a class, a subject and a student; the teacher opens their report; the region its summary; the
deputy the archive; a chart and the files' links are on every report."""

from __future__ import annotations

import datetime as dt

import pytest

from ejournal.accounts.models import User
from ejournal.conftest import browser_login
from ejournal.reports import delivery
from ejournal.reports.models import Municipality, RegionViewer
from ejournal.reports.region import store_school_figures

from .conftest import TZ

pytestmark = [pytest.mark.browser]


def test_director_drills_down_from_school_to_student(browser_page, marked):
    page = browser_page
    browser_login(page, marked.s.director)
    page.goto("/reports/")
    page.click("text=Сводный отчёт школы")
    page.select_option("select[name=period]", str(marked.q2.pk))
    page.click("button:has-text('Показать')")
    assert page.locator("table.report tbody tr").count() == 1
    assert page.locator("svg.chart").count() == 2
    assert page.locator("text=51,8%").count() >= 1
    assert page.locator("a:has-text('XLSX')").count() == 1
    page.click("table.report >> text=5А")
    page.wait_for_url("**/reports/classes/**")
    assert page.locator("h1:has-text('Отчёт классного руководителя за период')").count() == 1
    assert page.locator("dl.report-figures >> text=Отличники").count() == 1
    page.click("nav.report-tabs >> text=Предметы")
    page.click("table.report >> text=Русский язык")
    page.wait_for_url("**/reports/journals/**")
    assert page.locator("table.report tbody tr").count() == 5
    page.click("table.report >> text=Ученик52 Имя2")
    page.wait_for_url("**/reports/students/**")
    assert page.locator("h1:has-text('Итоги ученика за период')").count() == 1
    assert page.locator("table.report tr.flagged").count() == 1  # Russian: н/а


def test_teacher_and_deputy_open_their_reports(browser_page, marked):
    page = browser_page
    delivery.enqueue_due(dt.datetime(2026, 11, 1, 9, 0, tzinfo=TZ))
    browser_login(page, marked.s.teacher)
    page.goto("/reports/teacher/")
    assert page.locator("table.report >> text=5А · Математика").count() == 1
    assert page.locator("svg.chart").count() == 1
    page.goto("/reports/school/")
    assert page.locator("text=Не найдено").count() >= 1
    page.context.clear_cookies()
    browser_login(page, marked.s.deputy)
    page.goto("/reports/archive/")
    assert page.locator("table.report tbody tr").count() == 10  # 4 summaries + the keeping analysis, twice
    with page.expect_download() as download:
        page.locator("table.report a:has-text('XLSX')").first.click()
    assert download.value.suggested_filename.endswith(".xlsx")


def test_region_viewer_opens_the_summary(browser_page, marked):
    municipality = Municipality.objects.create(name="Управление образования")
    municipality.schools.add(marked.s.school)
    viewer = User.objects.create_user(username="region.browser")
    RegionViewer.objects.create(user=viewer, municipality=municipality)
    store_school_figures(school=marked.s.school, period=marked.q2)
    page = browser_page
    browser_login(page, viewer)
    page.goto("/reports/")
    page.click("text=Сводка по школам муниципалитета")
    assert page.locator("table.report >> text=Школа №1").count() == 1
    assert page.locator("svg.chart").count() == 1
    assert page.locator("text=Ученик50").count() == 0

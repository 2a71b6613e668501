"""The import in a real browser (Debian's chromium through Playwright): upload, preview, commit, result."""

from __future__ import annotations

import pytest

from ejournal.accounts.models import User
from ejournal.conftest import browser_login

from .files import STUDENTS_HEADER, csv_bytes

pytestmark = [pytest.mark.browser]


def test_admin_imports_students_from_a_cp1251_csv(browser_page, small_school):
    s = small_school
    page = browser_page
    browser_login(page, s.admin)
    page.goto("/imports/")
    page.select_option("select[name=kind]", "students")
    bad = csv_bytes([STUDENTS_HEADER, ["Петров", "Иван", "", "31.02.2015", "", "5А", ""]])
    page.set_input_files("input[name=file]", [{"name": "ученики.csv", "mimeType": "text/csv", "buffer": bad}])
    page.get_by_role("button", name="Проверить файл").click()
    page.locator("#errors").get_by_text("«31.02.2015» — такой даты нет").wait_for()
    assert page.get_by_role("button", name="Импортировать").count() == 0

    page.goto("/imports/")
    page.select_option("select[name=kind]", "students")
    good = csv_bytes([STUDENTS_HEADER, ["Петров", "Иван", "Сергеевич", "14.03.2015", "м", "5А", ""]])
    page.set_input_files("input[name=file]", [{"name": "ученики.csv", "mimeType": "text/csv", "buffer": good}])
    page.get_by_role("button", name="Проверить файл").click()
    page.locator("#rows").get_by_text("новый ученик, зачисление в 5А с 01.09.2026").wait_for()
    page.get_by_role("button", name="Импортировать").click()
    page.locator("[data-status]").get_by_text("импортирован").wait_for()
    page.get_by_text("Создано: 1").wait_for()
    assert User.objects.filter(last_name="Петров", enrolments__class_group=s.class_5a).exists()

    page.goto("/imports/")
    page.locator("#history").get_by_text("импортирован", exact=True).wait_for()
    page.locator("#history").get_by_text("есть ошибки, не импортирован").wait_for()

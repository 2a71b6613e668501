"""In a real browser: the administrator manages a person; the class teacher issues passwords and downloads the
slips; the student signs in with the one-time password and must set their own."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from ejournal.accounts.models import User
from ejournal.conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_admin_finds_a_person_gives_a_role_and_makes_a_class_teacher(browser_page, small_school):
    s = small_school
    page = browser_page
    browser_login(page, s.admin)
    page.goto("/people/")
    page.fill("input[name=q]", "педаг")
    page.click("button:has-text('Показать')")
    page.click(f"a:has-text('{s.teacher2.full_name}')")
    page.select_option("select[name=role] >> nth=0", label="родитель")
    page.click("button:has-text('Выдать')")
    assert "Роль «родитель» выдана." in page.inner_text(".messages")
    page.select_option("select[name=class_group]", label=f"{s.class_10a.name} ({s.year.name})")
    page.click("button:has-text('Назначить')")
    assert "назначен(а) классным руководителем 10А" in page.inner_text(".messages")
    history = page.inner_text("section:has(h2:has-text('История изменений'))")
    assert "роли" in history and "классное руководство" in history
    assert list(s.class_10a.class_teachers.all()) == [s.teacher2]


def test_class_teacher_issues_passwords_and_the_student_must_change_it(browser_page, small_school):
    s = small_school
    page = browser_page
    browser_login(page, s.class_teacher)
    page.goto("/people/credentials/")
    page.click("a:has-text('5А')")
    page.click("button:has-text('Выдать всем')")
    page.wait_for_selector("h1:has-text('Пароли выданы')")
    student = s.students_5a[0]
    row = page.locator("tr", has_text=student.username)
    password = row.locator("code").nth(1).inner_text()
    with page.expect_download() as download_info:
        page.click("#slips-pdf")
    pdf = PdfReader(io.BytesIO(download_info.value.path().read_bytes()))
    text = "".join(p.extract_text() for p in pdf.pages)
    assert len(pdf.pages) == 1 and student.username in text and password in text
    assert password not in User.objects.get(pk=student.pk).password

    page.click("button:has-text('Выйти')")
    page.fill("input[name=username]", student.username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url("**/accounts/password/")
    page.goto("/diary/")
    assert page.url.endswith("/accounts/password/")

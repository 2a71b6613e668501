"""In a real browser (Debian's chromium): a teacher asks a question from the journal page's help link, the
administrator answers it, and the teacher sees the answer and the status «ответ дан»."""

from __future__ import annotations

import pytest

from ejournal.conftest import browser_login
from ejournal.support.models import Status, Ticket

pytestmark = [pytest.mark.browser]


def test_teacher_asks_admin_answers_teacher_sees_the_answer(browser_page, small_school):
    page = browser_page
    s = small_school
    browser_login(page, s.teacher)
    page.goto("/support/ask/?page=/journal/%3Fstudent%3D5")
    page.fill("textarea[name=text]", "Как поставить отметку за контрольную?")
    page.click("#ask button[type=submit]")
    page.wait_for_url("**/support/*/")
    assert page.locator("#ticket-status").inner_text() == "новый"
    ticket = Ticket.objects.get()
    assert ticket.page_path == "/journal/" and "учитель" in ticket.context and "Chrome" in ticket.context

    page.context.clear_cookies()
    browser_login(page, s.admin)
    page.goto("/")
    page.click("nav >> text=Вопросы и обучение")
    page.click(f"#tickets >> text=№{ticket.pk}")
    page.fill("#reply textarea[name=text]", "Выберите вид работы «Контрольная» над столбцом урока.")
    page.click("#reply button[type=submit]")
    assert page.locator("#ticket-status").inner_text() == "ответ дан"

    page.context.clear_cookies()
    browser_login(page, s.teacher)
    page.goto("/support/")
    assert page.locator("#tickets tbody tr").first.locator("td").last.inner_text() == "ответ дан"
    page.click(f"#tickets >> text=№{ticket.pk}")
    assert page.locator("#thread li.answer").inner_text().count("«Контрольная»") == 1
    ticket.refresh_from_db()
    assert ticket.status == Status.ANSWERED

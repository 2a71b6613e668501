"""The login form in a real browser (Debian's chromium)."""

import pytest

from ejournal.conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_admin_signs_in_through_the_form_and_sees_the_start_page(browser_page, small_school):
    browser_login(browser_page, small_school.admin)
    assert "Здравствуйте" in browser_page.inner_text("h1")
    assert browser_page.locator("nav.menu a", has_text="Календарь года").count() == 1

"""The timetable grid in a real browser (Debian's chromium): a cell saves through HTMX, a conflict shows in it."""

from __future__ import annotations

from typing import Any

import pytest

from ejournal.curriculum import services
from ejournal.curriculum.models import TimetableSlot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page: Any, user: Any, password: str = "Brow-ser-42") -> None:
    user.set_password(password)
    user.save(update_fields=["password"])
    page.goto("/accounts/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url("**/")


def test_cell_saves_in_place_and_a_conflict_shows_in_the_cell(browser_page, small_school):
    s = small_school
    physics = services.create_subject(actor=s.admin, name="Физика")
    physics_10a = services.create_assignment(actor=s.admin, teacher=s.teacher, class_group=s.class_10a, subject=physics)
    page = browser_page
    sign_in(page, s.deputy)
    page.goto(f"/curriculum/timetable/?year={s.year.pk}&class={s.class_5a.pk}")
    cell = page.locator("#cell-1-1")
    cell.locator("select[name=assignment]").select_option(str(s.math_5a.pk))
    cell.locator("input[name=room]").fill("21")
    cell.locator("button").click()
    cell.locator("input[name=slot]").wait_for(state="attached")
    assert page.url.endswith(f"class={s.class_5a.pk}")  # no page reload: the cell was swapped in place
    assert TimetableSlot.objects.filter(assignment=s.math_5a, weekday=1, number=1, room="21").exists()

    page.goto(f"/curriculum/timetable/?year={s.year.pk}&class={s.class_10a.pk}")
    cell = page.locator("#cell-1-1")
    cell.locator("select[name=assignment]").select_option(str(physics_10a.pk))
    cell.locator("button").click()
    alert = cell.locator("[role=alert]")
    alert.wait_for()
    assert "Учителева У. уже ведёт урок «Математика» в 5А" in alert.inner_text()
    assert not TimetableSlot.objects.filter(assignment=physics_10a).exists()

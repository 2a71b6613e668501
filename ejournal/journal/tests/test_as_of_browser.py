"""«Журнал на дату» in a real browser: the page draws the grid as it was, runs no inline script (CSP), and
its «Печать» button opens the print dialog through static/js/print.js."""

from __future__ import annotations

import os

import pytest
from django.test import Client
from django.urls import reverse

from .test_as_of import D2, story  # noqa: F401  (the fixture)

pytestmark = [pytest.mark.browser]


def test_the_page_as_of_a_date_prints(chromium, live_server, story):  # noqa: F811
    j = story.j
    client = Client()
    client.force_login(j.teacher)
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="ru-RU")
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    url = reverse("journal:grid_as_of", args=[j.assignment.pk])
    page.goto(f"{live_server.url}{url}?period={j.q2.pk}&date={D2.isoformat()}&time=12:00")
    assert page.locator("#jr-grid").inner_text().count("5/4") == 1
    page.evaluate("window.printed = 0; window.print = () => { window.printed += 1; }")
    page.get_by_role("button", name="Печать").click()
    assert page.evaluate("window.printed") >= 1  # the dialog asked for (headless Chromium may count it twice)
    if os.environ.get("EJOURNAL_SCREENSHOTS"):
        page.screenshot(path=os.path.join(os.environ["EJOURNAL_SCREENSHOTS"], "as_of.png"), full_page=True)
    assert not [p for p in problems if "Content Security Policy" in p or "Uncaught" in p]
    context.close()

"""Homework files in the lesson panel of the grid, in a real browser (Debian's chromium through Playwright):
attach, see the refusal of a program renamed to .pdf, remove."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from ejournal.journal.models import HomeworkAttachment

pytestmark = [pytest.mark.browser]

MONDAY = dt.date(2026, 12, 21)
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_attach_refuse_and_remove_in_the_lesson_panel(chromium, live_server, journal, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = Client()
    client.force_login(journal.teacher)
    context = chromium.new_context(viewport={"width": 1280, "height": 800}, locale="ru-RU")
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(f"{live_server.url}{reverse('journal:grid', args=[journal.assignment.pk])}?period={journal.q2.pk}")
    lesson = journal.lesson_on(MONDAY)
    page.locator(f'#jr-grid th[data-l="{lesson.pk}"] button').click()
    files = page.locator("#jr-files [data-files]")
    files.get_by_text("Файлов нет.").wait_for()
    picker = page.locator("#jr-files-form input[type=file]")

    picker.set_input_files([{"name": "Задание.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}])
    files.get_by_role("link", name="Задание.pdf").wait_for()
    page.locator("#jr-files-form [data-status]").get_by_text("Файл приложен.").wait_for()
    page.locator("#jr-lesson [data-history]").get_by_text("файл к заданию").wait_for()

    picker.set_input_files([{"name": "virus.pdf", "mimeType": "application/pdf", "buffer": b"MZ" + bytes(100)}])
    page.locator("#jr-files-form [data-status]").get_by_text("не принимается", exact=False).wait_for()
    assert list(HomeworkAttachment.objects.values_list("original_name", flat=True)) == ["Задание.pdf"]

    files.get_by_role("button", name="Удалить файл Задание.pdf").click()
    files.get_by_text("Файлов нет.").wait_for()
    assert not HomeworkAttachment.objects.exists()
    context.close()

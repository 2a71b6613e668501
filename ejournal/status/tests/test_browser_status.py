"""«Состояние системы» in a real browser: the administrator opens it from the menu and sees a failed backup
as a problem with what to do."""

from __future__ import annotations

import pytest
from django.utils import timezone

from ejournal.archive.models import BackupLogEntry, LogKind, LogStatus
from ejournal.conftest import browser_login

pytestmark = [pytest.mark.browser]


def test_the_page_shows_a_failed_backup_as_a_problem(browser_page, small_school):
    BackupLogEntry.objects.create(
        kind=LogKind.BACKUP,
        at=timezone.now(),
        what="Полная резервная копия",
        status=LogStatus.FAILED,
        details={"error": "на диске нет места"},
    )
    page = browser_page
    browser_login(page, small_school.admin)
    page.click("nav >> text=Состояние системы")
    page.wait_for_url("**/status/")
    row = page.locator("tr[data-key=backup]")
    assert row.get_attribute("data-state") == "problem"
    assert "проблема" in row.inner_text() and "на диске нет места" in row.inner_text()
    assert page.locator("#status-overall").inner_text() == "проблема"

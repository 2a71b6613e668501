"""The director makes the period archive in a real browser (Debian's chromium): the code typed twice, the worker's
job, the archive listed with its SHA-256; the administrator's backups page shows the key's fingerprint."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ejournal.archive.models import ArchiveJob, JobStatus
from ejournal.archive.overview import fingerprint
from ejournal.archive.period_archive import verify_container
from ejournal.conftest import browser_login, build_small_school
from ejournal.journal.tests.conftest import TODAY, build_journal, set_clock

from .conftest import KEY

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CODE = "Код из сейфа 2026"


def test_the_director_makes_the_archive_in_the_browser(
    browser_page: Any, settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "disk").mkdir()
    key = tmp_path / "backup.key"
    key.write_bytes(KEY)
    settings.EJOURNAL_BACKUP_DIR = str(tmp_path / "disk")
    settings.EJOURNAL_BACKUP_KEY_FILE = str(key)
    set_clock(monkeypatch, TODAY)
    j = build_journal(build_small_school())
    page = browser_page
    page.set_default_timeout(60_000)  # the archive is typeset and encrypted inside the request's worker job
    browser_login(page, j.s.director)
    page.click("nav.menu a:has-text('Архив периода')")
    row = page.locator(f"tr[data-period='{j.q1.pk}']")
    row.locator("input[name=code]").fill(CODE)
    row.locator("input[name=repeated]").fill(CODE)
    row.locator("button:has-text('Создать архив')").click()
    page.wait_for_selector(f"tr[data-period='{j.q1.pk}'] a:has-text('Скачать (зашифрован)')")
    job = ArchiveJob.objects.get()
    assert job.status == JobStatus.DONE and job.entry is not None
    assert job.entry.sha256 in page.inner_text(f"tr[data-period='{j.q1.pk}']")
    assert verify_container(Path(job.entry.where), code=CODE)
    page.screenshot(path=str(tmp_path / "periods.png"), full_page=True)

    page.context.clear_cookies()  # sign out: another person at the same browser
    browser_login(page, j.s.admin)
    page.click("nav.menu a:has-text('Резервные копии')")
    assert fingerprint(KEY) in page.inner_text("[data-key]")
    assert job.entry.sha256[:16] in page.inner_text("[data-log]")
    page.screenshot(path=str(tmp_path / "backups.png"), full_page=True)

"""Every append-only table (core.models.AppendOnly) is guarded by the database too: on PostgreSQL a trigger
refuses UPDATE and DELETE (core.migration_ops.forbid_row_changes), so a new history table cannot forget it."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import connection

from ejournal.core.models import AppendOnly

pytestmark = pytest.mark.django_db


def append_only_tables() -> list[str]:
    return sorted(m._meta.db_table for m in apps.get_models() if issubclass(m, AppendOnly))


def test_the_append_only_tables_are_found() -> None:
    assert {"journal_changerecord", "archive_backuplogentry", "retention_deletion"} <= set(append_only_tables())


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the triggers exist on PostgreSQL only")
def test_every_append_only_table_has_its_trigger() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
        triggers = {name for (name,) in cursor.fetchall()}
    missing = [table for table in append_only_tables() if f"{table}_no_update" not in triggers]
    assert missing == []

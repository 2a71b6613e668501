"""Migration operations shared by the apps (migrations import them by path, so they stay stable)."""

from __future__ import annotations

from typing import Any

from django.db import migrations


def forbid_row_changes(table: str, *, deletable_after: tuple[str, str] | None = None) -> migrations.RunPython:
    """On PostgreSQL the database itself refuses UPDATE and DELETE of the table's rows, whatever the
    application does (a raw UPDATE, a script in psql); SQLite (the embedded demo) relies on the model's refusal
    (core.models.AppendOnly). TRUNCATE (test teardown) fires no row trigger. Reversible.

    `deletable_after=("at", "30 days")`: a short-lived log with a retention term (the server errors of the status
    page) — a row may be deleted once its `at` is older than the term, never changed, never deleted earlier."""
    purge = ""
    if deletable_after is not None:
        column, term = deletable_after
        purge = f"""    IF TG_OP = 'DELETE' AND OLD.{column} < now() - interval '{term}' THEN
        RETURN OLD;
    END IF;
"""
    forbid = f"""
CREATE OR REPLACE FUNCTION {table}_append_only() RETURNS trigger AS $$
BEGIN
{purge}    RAISE EXCEPTION '{table} is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER {table}_no_update BEFORE UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION {table}_append_only();
"""
    allow = f"""
DROP TRIGGER IF EXISTS {table}_no_update ON {table};
DROP FUNCTION IF EXISTS {table}_append_only();
"""

    def run(sql: str) -> Any:
        def operation(apps: Any, schema_editor: Any) -> None:
            if schema_editor.connection.vendor == "postgresql":
                schema_editor.execute(sql)

        return operation

    return migrations.RunPython(run(forbid), run(allow))

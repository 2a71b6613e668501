from django.db import migrations

# On PostgreSQL the database itself refuses to change or delete a history row, whatever the application
# does (a raw UPDATE, a script in psql); SQLite (the embedded demo) relies on the model's refusal.
# A lesson or a person with history cannot be deleted anyway (the foreign keys PROTECT), so no cascade
# reaches this table; TRUNCATE (test teardown) fires no row trigger.
FORBID = """
CREATE OR REPLACE FUNCTION journal_changerecord_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'journal_changerecord is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER journal_changerecord_no_update BEFORE UPDATE OR DELETE ON journal_changerecord
    FOR EACH ROW EXECUTE FUNCTION journal_changerecord_append_only();
"""
ALLOW = """
DROP TRIGGER IF EXISTS journal_changerecord_no_update ON journal_changerecord;
DROP FUNCTION IF EXISTS journal_changerecord_append_only();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORBID)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(ALLOW)


class Migration(migrations.Migration):
    dependencies = [("journal", "0003_homework_attachments")]
    operations = [migrations.RunPython(forward, backward)]

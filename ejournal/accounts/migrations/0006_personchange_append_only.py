from django.db import migrations

# A person's history (PersonChange) is append-only like the journal's (journal/migrations/0004): on
# PostgreSQL the database itself refuses to change or delete a row; SQLite relies on the model's refusal.
# A person with history cannot be deleted (the foreign key PROTECTs), so no cascade reaches this table.
FORBID = """
CREATE OR REPLACE FUNCTION accounts_personchange_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'accounts_personchange is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER accounts_personchange_no_update BEFORE UPDATE OR DELETE ON accounts_personchange
    FOR EACH ROW EXECUTE FUNCTION accounts_personchange_append_only();
"""
ALLOW = """
DROP TRIGGER IF EXISTS accounts_personchange_no_update ON accounts_personchange;
DROP FUNCTION IF EXISTS accounts_personchange_append_only();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORBID)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(ALLOW)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0005_no_school_staff")]
    operations = [migrations.RunPython(forward, backward)]

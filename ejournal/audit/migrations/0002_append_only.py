from django.db import migrations

# On PostgreSQL the database itself refuses to change or delete a security event, whatever the
# application does; SQLite (the embedded demo) relies on the model's refusal.
FORBID = """
CREATE OR REPLACE FUNCTION audit_securityevent_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit_securityevent is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_securityevent_no_update BEFORE UPDATE OR DELETE ON audit_securityevent
    FOR EACH ROW EXECUTE FUNCTION audit_securityevent_append_only();
"""
ALLOW = """
DROP TRIGGER IF EXISTS audit_securityevent_no_update ON audit_securityevent;
DROP FUNCTION IF EXISTS audit_securityevent_append_only();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORBID)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(ALLOW)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]

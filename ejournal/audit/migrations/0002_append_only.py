from django.db import migrations

from ejournal.core.migration_ops import forbid_row_changes


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    # Security events are never changed or deleted, not even by a script in psql.
    operations = [forbid_row_changes("audit_securityevent")]

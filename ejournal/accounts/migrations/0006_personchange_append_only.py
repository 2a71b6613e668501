from django.db import migrations

from ejournal.core.migration_ops import forbid_row_changes


class Migration(migrations.Migration):
    dependencies = [("accounts", "0005_no_school_staff")]
    # History rows are never changed or deleted (a lesson or a person with history cannot be deleted either:
    # the foreign keys PROTECT, so no cascade reaches the table).
    operations = [forbid_row_changes("accounts_personchange")]

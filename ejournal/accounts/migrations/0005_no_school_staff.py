"""Nobody of a school keeps is_staff or is_superuser: the Django admin is the operators' (issue 13).

Demo schools made their administrator a superuser; from now on admin_site.py refuses every person with a
school whatever the flags, and this clears the flags so that nothing else trusts them either."""

from django.db import migrations


def strip_flags(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    User.objects.filter(school__isnull=False).update(is_staff=False, is_superuser=False)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_login_security")]

    operations = [migrations.RunPython(strip_flags, migrations.RunPython.noop)]

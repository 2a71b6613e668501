"""The Django admin's app config: the same admin, served by the operators' site (admin_site.py).

Kept apart from admin_site.py because INSTALLED_APPS imports this module before any model exists."""

from django.contrib.admin.apps import AdminConfig


class OperatorAdminConfig(AdminConfig):
    default_site = "ejournal.accounts.admin_site.OperatorAdminSite"

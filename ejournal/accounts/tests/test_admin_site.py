"""Issue 13, item 1: the Django admin crossed schools. A school's administrator (made superuser by the demo)
listed another school's people, set a student's password and signed in as her, and read TOTP secrets.

Now the admin is the installation operators' (no school), read-only, and shows no secret."""

from __future__ import annotations

from importlib import import_module
from io import StringIO

import pytest
from django.apps import apps as django_apps
from django.contrib import admin
from django.core.management import call_command
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from ejournal.accounts.models import Guardianship, RoleGrant, User
from ejournal.schools.models import School


@pytest.fixture
def operator(db):
    return User.objects.create_superuser(username="operator", password="оператор-пароль-1", school=None)


def test_a_school_superuser_gets_404_everywhere_in_the_admin(client, small_school, other_school):
    s = small_school
    # Flags set by hand (as the old demo did) open nothing.
    s.admin.is_staff = s.admin.is_superuser = True
    s.admin.save(update_fields=["is_staff", "is_superuser"])
    client.force_login(s.admin)
    victim = other_school.students_5a[0]
    for url in (
        reverse("admin:index"),
        reverse("admin:login"),
        reverse("admin:accounts_user_changelist"),
        reverse("admin:accounts_user_change", args=[victim.pk]),
        reverse("admin:accounts_user_change", args=[victim.pk]) + "password/",
    ):
        assert client.get(url).status_code == 404, url
    before = User.objects.get(pk=victim.pk).password
    response = client.post(
        reverse("admin:accounts_user_change", args=[victim.pk]) + "password/",
        {"password1": "Захват-123456", "password2": "Захват-123456"},
    )
    assert response.status_code == 404
    assert User.objects.get(pk=victim.pk).password == before


@pytest.mark.parametrize("who", ["admin", "director", "teacher", "parent"])
def test_school_people_get_404_and_no_menu_entry(client, small_school, who):
    client.force_login(getattr(small_school, who))
    assert client.get(reverse("admin:index")).status_code == 404
    assert "/admin/" not in client.get(reverse("home"), follow=True).content.decode()


def test_anonymous_goes_to_the_products_login(client, db):
    response = client.get(reverse("admin:index"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("login") + "?next=")
    assert "/admin/" in response.redirect_chain[-1][0].replace("%2F", "/")


def test_the_operator_reads_but_writes_nothing(client, small_school, operator):
    s = small_school
    client.force_login(operator)
    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 200
    page = client.get(reverse("admin:accounts_user_change", args=[s.students_5a[0].pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "argon2" not in body and "pbkdf2" not in body and 'name="password' not in body
    assert client.get(reverse("admin:accounts_user_add")).status_code == 403
    for model in (User, RoleGrant, Guardianship, School):
        model_admin = admin.site._registry[model]
        request = client.get(reverse("admin:index")).wsgi_request
        assert not model_admin.has_add_permission(request)
        assert not model_admin.has_change_permission(request)
        assert not model_admin.has_delete_permission(request)


def test_no_two_factor_secret_is_registered(rf, db):
    assert not admin.site.is_registered(TOTPDevice)
    assert "password" not in admin.site._registry[User].get_fields(rf.get("/admin/"))


def test_createoperator_makes_an_account_without_a_school(db):
    out = StringIO()
    call_command("createoperator", "--username", "support", stdout=out)
    user = User.objects.get(username="support")
    assert user.school_id is None and user.is_staff and user.is_superuser
    assert "пароль" in out.getvalue()


def test_migration_strips_staff_flags_from_school_people(small_school, operator):
    s = small_school
    User.objects.filter(pk=s.admin.pk).update(is_staff=True, is_superuser=True)
    migration = import_module("ejournal.accounts.migrations.0005_no_school_staff")
    migration.strip_flags(django_apps, None)
    assert not User.objects.filter(school__isnull=False, is_staff=True).exists()
    assert not User.objects.filter(school__isnull=False, is_superuser=True).exists()
    assert User.objects.get(pk=operator.pk).is_superuser

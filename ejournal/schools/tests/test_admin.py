"""Django admin of the school structure: the operator browses it; changes go through the Russian pages."""

import pytest
from django.urls import reverse

from ejournal.accounts.models import User
from ejournal.schools.models import AcademicYear, ClassGroup, Enrolment, Holiday, Period, PeriodScheme, Subgroup

READ_ONLY = [AcademicYear, PeriodScheme, Period, Holiday, ClassGroup, Subgroup, Enrolment]


@pytest.fixture
def operator(db):
    return User.objects.create_superuser("operator", "op@example.org", "Op-pass-2026")


@pytest.mark.parametrize("model", READ_ONLY, ids=lambda m: m.__name__)
def test_operator_browses_structure_read_only(client, small_school, operator, model):
    from ejournal.schools import services

    services.create_subgroup(
        actor=small_school.admin, class_group=small_school.class_5a, subject=small_school.math, name="1"
    )
    client.force_login(operator)
    opts = model._meta
    changelist = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
    assert changelist.status_code == 200
    obj = model.objects.first()
    change = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]))
    assert change.status_code == 200
    assert client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add")).status_code == 403
    before = model.objects.count()
    client.post(reverse(f"admin:{opts.app_label}_{opts.model_name}_delete", args=[obj.pk]), {"post": "yes"})
    assert model.objects.count() == before


def test_operator_reads_school_settings(client, small_school, operator):
    client.force_login(operator)
    url = reverse("admin:schools_school_change", args=[small_school.school.pk])
    assert client.get(url).status_code == 200
    assert client.get(reverse("admin:schools_school_changelist")).status_code == 200


def test_school_people_never_reach_the_django_admin(client, small_school):
    """A school's administrator, even with the staff flag set by hand, gets "not found" (accounts.admin_site)."""
    small_school.admin.is_staff = True
    small_school.admin.save(update_fields=["is_staff"])
    client.force_login(small_school.admin)
    assert client.get(reverse("admin:schools_classgroup_changelist")).status_code == 404

"""«Настройки школы»: the administrator changes them (kept in the security log), management reads them."""

from decimal import Decimal

import pytest
from django.forms.models import model_to_dict

from ejournal.audit.models import EventKind, SecurityEvent
from ejournal.schools.models import School
from ejournal.schools.settings import EDITABLE

pytestmark = pytest.mark.django_db


def form_data(school, **changes):
    data = {k: v for k, v in model_to_dict(School.objects.get(pk=school.pk), fields=EDITABLE).items()}
    data.update(changes)
    return {k: ("on" if v is True else v) for k, v in data.items() if v is not False}


def test_admin_changes_thresholds_and_2fa_and_it_is_logged(client, small_school):
    school = small_school.school
    client.force_login(small_school.admin)
    assert client.get("/school/settings/").status_code == 200
    response = client.post("/school/settings/", form_data(school, threshold_5="4.60", staff_2fa_required=True))
    assert response.status_code == 302
    school.refresh_from_db()
    assert school.threshold_5 == Decimal("4.60") and school.staff_2fa_required
    event = SecurityEvent.objects.get(kind=EventKind.SCHOOL_SETTINGS)
    assert event.details["old"]["threshold_5"] == "4.50" and event.details["new"]["threshold_5"] == "4.60"
    assert "двухфакторная" in event.summary


def test_unchanged_form_changes_nothing(client, small_school):
    client.force_login(small_school.admin)
    client.post("/school/settings/", form_data(small_school.school))
    assert not SecurityEvent.objects.filter(kind=EventKind.SCHOOL_SETTINGS).exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"threshold_4": "4.70"}, "Пороги среднего балла должны возрастать"),
        ({"timezone": "Mars/Olympus"}, "Неизвестный часовой пояс"),
        ({"min_marks_one_hour": "9"}, "Накопляемость для предмета 1 ч/нед"),
        ({"short_name": ""}, "Обязательное поле"),
    ],
)
def test_bad_settings_are_refused_in_russian_and_change_nothing(client, small_school, changes, message):
    client.force_login(small_school.admin)
    response = client.post("/school/settings/", form_data(small_school.school, **changes))
    assert response.status_code == 422
    assert message in response.content.decode()
    school = School.objects.get(pk=small_school.school.pk)
    assert school.threshold_4 == Decimal("3.50") and school.timezone == "Asia/Yekaterinburg"


@pytest.mark.parametrize("who", ["director", "deputy"])
def test_management_reads_but_does_not_change(client, small_school, who):
    client.force_login(getattr(small_school, who))
    page = client.get("/school/settings/")
    assert page.status_code == 200 and "Изменяет ответственный администратор" in page.content.decode()
    assert client.post("/school/settings/", form_data(small_school.school, threshold_5="4.9")).status_code == 404
    assert School.objects.get(pk=small_school.school.pk).threshold_5 == Decimal("4.50")


@pytest.mark.parametrize("who", ["teacher", "parent"])
def test_teachers_and_parents_do_not_see_settings(client, small_school, who):
    client.force_login(getattr(small_school, who))
    assert client.get("/school/settings/").status_code == 404


def test_anonymous_goes_to_login(client, small_school):
    assert client.get("/school/settings/").status_code == 302


def test_another_schools_admin_changes_only_his_school(client, small_school, other_school):
    client.force_login(other_school.admin)
    client.post("/school/settings/", form_data(other_school.school, threshold_5="4.8"))
    assert School.objects.get(pk=small_school.school.pk).threshold_5 == Decimal("4.50")
    assert School.objects.get(pk=other_school.school.pk).threshold_5 == Decimal("4.80")


def test_api_reads_and_changes_settings(client, small_school):
    client.force_login(small_school.admin)
    assert client.get("/api/v1/school/settings/").json()["threshold_5"] == "4.50"
    response = client.patch("/api/v1/school/settings/", {"staff_2fa_required": True}, content_type="application/json")
    assert response.status_code == 200 and response.json()["staff_2fa_required"] is True
    bad = client.patch("/api/v1/school/settings/", {"threshold_3": "4.9"}, content_type="application/json")
    assert bad.status_code == 422 and "Пороги" in bad.json()["message"]


@pytest.mark.parametrize(("who", "get", "patch"), [("director", 200, 404), ("teacher", 404, 404), ("parent", 404, 404)])
def test_api_access(client, small_school, who, get, patch):
    client.force_login(getattr(small_school, who))
    assert client.get("/api/v1/school/settings/").status_code == get
    assert (
        client.patch("/api/v1/school/settings/", {"min_vacation_days": 9}, content_type="application/json").status_code
        == patch
    )
    assert School.objects.get(pk=small_school.school.pk).min_vacation_days == 7

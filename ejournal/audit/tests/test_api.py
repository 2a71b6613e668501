"""REST API of the security log and usage monitoring: same access as the pages."""

import pytest

from ejournal.audit.models import EventKind
from ejournal.audit.services import record

pytestmark = pytest.mark.django_db


def test_admin_reads_events_of_own_school_only(client, small_school, other_school):
    record(kind=EventKind.LOGIN, summary="Вход учителя", actor=small_school.teacher)
    record(kind=EventKind.LOGIN, summary="Вход чужой", actor=other_school.teacher)
    client.force_login(small_school.admin)
    body = client.get("/api/v1/audit/events/", {"kind": "login"}).json()
    assert [e["actor"] for e in body["results"] if e["summary"] == "Вход учителя"] == [small_school.teacher.pk]
    everything = client.get("/api/v1/audit/events/").json()["results"]
    assert all(event["summary"] != "Вход чужой" for event in everything)
    assert client.get("/api/v1/audit/events/", {"kind": "x"}).status_code == 422


@pytest.mark.parametrize("who", ["teacher", "parent", "deputy"])
def test_others_get_404_for_events(client, small_school, who):
    client.force_login(getattr(small_school, who))
    assert client.get("/api/v1/audit/events/").status_code == 404


def test_usage_figures_without_names(client, small_school):
    client.force_login(small_school.deputy)
    body = client.get("/api/v1/audit/usage/", {"start": "2026-11-01", "end": "2026-11-29"}).json()
    assert {r["role"] for r in body["by_role"]} >= {"teacher", "parent"}
    assert {t["id"] for t in body["idle_teachers"]} >= {small_school.teacher.pk}
    assert "Учителева" not in str(body)


def test_usage_api_denied_to_teachers_and_anonymous(client, small_school):
    assert client.get("/api/v1/audit/usage/").status_code in (401, 403)
    client.force_login(small_school.teacher)
    assert client.get("/api/v1/audit/usage/").status_code == 404

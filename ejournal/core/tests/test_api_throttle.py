import pytest
from django.core.cache import cache
from rest_framework.settings import api_settings
from rest_framework.throttling import UserRateThrottle

pytestmark = pytest.mark.django_db


@pytest.fixture
def tight_limit(monkeypatch):
    cache.clear()
    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {**api_settings.DEFAULT_THROTTLE_RATES, "user": "3/minute"})
    yield
    cache.clear()


def test_the_api_refuses_a_flood_with_429(client, small_school, tight_limit):
    client.force_login(small_school.admin)
    statuses = [client.get("/api/v1/classes/").status_code for _ in range(5)]
    assert statuses[:3] == [200, 200, 200]
    assert statuses[3:] == [429, 429]

from datetime import timedelta

import pytest
from django.utils import timezone

from ejournal.core import ticks
from ejournal.core.models import TickRun

pytestmark = pytest.mark.django_db


@pytest.fixture
def counted(monkeypatch):
    calls: list = []
    monkeypatch.setattr(ticks, "_TICKS", {})
    ticks.register("test.counted", every=timedelta(minutes=5))(calls.append)
    return calls


def test_a_tick_runs_once_per_interval(counted):
    now = timezone.now()
    assert ticks.run_due(now) == ["test.counted"]
    assert ticks.run_due(now + timedelta(minutes=1)) == []
    assert ticks.run_due(now + timedelta(minutes=5)) == ["test.counted"]
    assert len(counted) == 2
    assert TickRun.objects.get(name="test.counted").last_run_at == now + timedelta(minutes=5)


def test_a_failing_tick_does_not_stop_the_others(monkeypatch, counted):
    def broken(now):
        raise RuntimeError("boom")

    ticks.register("test.broken", every=timedelta(minutes=1))(broken)
    assert ticks.run_due() == ["test.counted"]
    assert len(counted) == 1

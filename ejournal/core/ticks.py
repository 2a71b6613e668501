"""Periodic work without cron lines: apps register ticks; the worker runs those that are due.

A tick only decides what is due and enqueues tasks (deliver notifications whose time has come, build
the reports the school calendar says are due); the work itself runs as background tasks. `TickRun`
makes a tick run once per interval even with several workers: the claim is one conditional UPDATE.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import TickRun

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Tick:
    name: str
    every: timedelta
    run: Callable[[datetime], object]


_TICKS: dict[str, Tick] = {}


def register(name: str, *, every: timedelta) -> Callable[[Callable[[datetime], object]], Callable[[datetime], object]]:
    """Decorator: `@ticks.register("notifications.deliver", every=timedelta(minutes=1))` on fn(now)."""

    def decorate(fn: Callable[[datetime], object]) -> Callable[[datetime], object]:
        _TICKS[name] = Tick(name, every, fn)
        return fn

    return decorate


def registered() -> list[Tick]:
    return sorted(_TICKS.values(), key=lambda t: t.name)


def _claim(tick: Tick, now: datetime) -> bool:
    """True for exactly one caller per interval, however many workers ask at once."""
    claimed = TickRun.objects.filter(name=tick.name, last_run_at__lte=now - tick.every).update(last_run_at=now)
    if claimed:
        return True
    if TickRun.objects.filter(name=tick.name).exists():
        return False
    try:
        with transaction.atomic():
            TickRun.objects.create(name=tick.name, last_run_at=now)
    except IntegrityError:
        return False
    return True


def run_due(now: datetime | None = None) -> list[str]:
    """Run every tick whose interval has passed; a failing tick is logged and does not stop the others."""
    now = now or timezone.now()
    ran = []
    for tick in registered():
        if not _claim(tick, now):
            continue
        try:
            tick.run(now)
        except Exception:
            log.exception("tick %s failed", tick.name)
            continue
        ran.append(tick.name)
    return ran

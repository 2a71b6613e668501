"""The alerts of «Состояние системы»: an hourly tick looks at each school's state and tells its administrators
of every part in trouble — at most once a day per problem (the dedupe key carries the date).

What is alerted: a problem of any part, and a nearly full backup disk (a warning there turns into a failed copy
soon). A silent worker cannot alert about itself — the tick runs in the worker — so it is on the page and in
/healthz (`worker.ok`) for outside monitoring; the tick still tells when another worker of several went silent.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from ejournal.access import status as access
from ejournal.core import time as clock
from ejournal.notifications.models import Message
from ejournal.notifications.services import notify
from ejournal.schools.models import School

from .state import PROBLEM, WARNING, Item, system_status


def _alerted(item: Item) -> bool:
    return item.state == PROBLEM or (item.key == "disk" and item.state == WARNING)


def alert_all(now: dt.datetime) -> int:
    """The tick: how many notifications were made."""
    made = 0
    for school in School.objects.filter(is_active=True).order_by("pk"):
        recipients = list(access.status_alert_recipients(school.pk))
        if not recipients:
            continue
        status = system_status(school, now)
        day = clock.school_today(school)
        for item in filter(_alerted, status.items):
            key = f"status:{item.key}:{day.isoformat()}"
            for user in recipients:
                if Message.objects.filter(recipient=user, dedupe_key=key).exists():
                    continue  # already told today
                notify(
                    recipient=user,
                    event="message",
                    title=f"Состояние системы: {item.title.lower()} — {item.state_name}",
                    text=f"{item.summary} Что делать: {item.advice}",
                    url=reverse("status:page"),
                    dedupe_key=key,
                )
                made += 1
    return made

"""Training sessions: the administrator publishes them, people of the audience sign up and cancel, the
administrator records attendance, and a reminder goes the day before (daily tick support.remind_trainings)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.urls import reverse

from ejournal.access import support as access
from ejournal.accounts.models import User
from ejournal.core import time as clock
from ejournal.core.errors import Conflict, ValidationFailed
from ejournal.notifications.services import notify

from .errors import SupportCode
from .models import Audience, SignUp, Training

MAX_CAPACITY = 1000
# The administrator records attendance after a session: past sessions stay on their list this long.
ATTENDANCE_DAYS = 30


@dataclass(frozen=True)
class Row:
    training: Training
    taken: int
    mine: bool  # signed up
    fits: bool  # of the person's audience: may sign up
    past: bool


def listing(user: User) -> list[Row]:
    """The sessions a person sees: the administrator every session from the last 30 days on (to record
    attendance), anyone else the coming sessions of their audience and those they signed up for."""
    admin = access.answers(user)
    now = clock.now()
    since = now - dt.timedelta(days=ATTENDANCE_DAYS) if admin else now
    mine = set(SignUp.objects.filter(school_id=user.school_id, user=user).values_list("training_id", flat=True))
    audiences = access.audiences_of(user)
    rows = (
        access.trainings_for(user)
        .filter(starts_at__gte=since)
        .prefetch_related(Prefetch("signups", queryset=SignUp.objects.filter(school_id=user.school_id)))
    )
    return [
        Row(t, len(t.signups.all()), t.pk in mine, t.audience in audiences, t.starts_at <= now)
        for t in rows
        if admin or t.audience in audiences or t.pk in mine
    ]


@transaction.atomic
def publish(
    *,
    actor: User,
    title: str,
    day: dt.date | None,
    time: dt.time | None,
    place: str,
    link: str,
    audience: str,
    capacity: int | None,
) -> Training:
    """A new session at `day` `time` in the school's own time zone."""
    assert actor.school is not None
    title, place, link = (title or "").strip(), (place or "").strip(), (link or "").strip()
    if not title:
        raise ValidationFailed("Укажите тему занятия.", field="title")
    if day is None or time is None:
        raise ValidationFailed("Укажите дату и время занятия.", field="day")
    if not place and not link:
        raise ValidationFailed("Укажите место или ссылку на видеовстречу.", field="place")
    if link and not link.startswith(("https://", "http://")):
        raise ValidationFailed("Ссылка на видеовстречу начинается с https://.", field="link")
    if audience not in Audience.values:
        raise ValidationFailed("Выберите, для кого занятие.", field="audience")
    if capacity is None or not 1 <= capacity <= MAX_CAPACITY:
        raise ValidationFailed(f"Число мест — от 1 до {MAX_CAPACITY}.", field="capacity")
    starts_at = dt.datetime.combine(day, time, tzinfo=ZoneInfo(actor.school.timezone))
    if starts_at <= clock.now():
        raise ValidationFailed("Занятие назначают на будущее время.", field="day")
    return Training.objects.create(
        school_id=actor.school_id,
        title=title[:200],
        starts_at=starts_at,
        place=place[:200],
        link=link[:500],
        audience=audience,
        capacity=capacity,
        created_by=actor,
    )


@transaction.atomic
def sign_up(*, actor: User, training: Training) -> SignUp:
    """Sign up for a session of one's audience while it has free places."""
    training = Training.objects.select_for_update().get(pk=training.pk)  # one place is taken at a time
    if training.audience not in access.audiences_of(actor):
        raise ValidationFailed(
            f"Это занятие для аудитории «{training.get_audience_display()}».", code=SupportCode.NOT_AUDIENCE
        )
    if training.starts_at <= clock.now():
        raise ValidationFailed("Занятие уже прошло.", code=SupportCode.SESSION_PAST)
    existing = SignUp.objects.filter(training=training, user=actor).first()
    if existing is not None:
        return existing
    if SignUp.objects.filter(training=training).count() >= training.capacity:
        raise Conflict(
            f"На занятие «{training.title}» мест больше нет (все {training.capacity} заняты). Выберите другое занятие.",
            code=SupportCode.SESSION_FULL,
        )
    try:
        with transaction.atomic():
            return SignUp.objects.create(school_id=training.school_id, training=training, user=actor, at=clock.now())
    except IntegrityError:
        return SignUp.objects.get(training=training, user=actor)


@transaction.atomic
def cancel(*, actor: User, training: Training) -> bool:
    """Give one's place back (before the session); False when one was not signed up."""
    if training.starts_at <= clock.now():
        raise ValidationFailed("Занятие уже прошло.", code=SupportCode.SESSION_PAST)
    deleted, _ = SignUp.objects.filter(training=training, user=actor).delete()
    return bool(deleted)


@transaction.atomic
def record_attendance(*, actor: User, training: Training, present: Collection[int]) -> int:
    """Who of the signed-up came (`present`: user ids); everyone else signed up was absent."""
    signups = SignUp.objects.filter(school_id=training.school_id, training=training)
    unknown = set(present) - set(signups.values_list("user_id", flat=True))
    if unknown:
        raise ValidationFailed("Отмечать можно только записавшихся на занятие.", field="present")
    signups.filter(user_id__in=present).update(attended=True)
    signups.exclude(user_id__in=present).update(attended=False)
    return len(present)


def remind_all(now: dt.datetime) -> int:
    """Remind everyone signed up for a session that starts tomorrow (or later today, for a session published
    after the day's tick) in the school's time zone; each session once."""
    count = 0
    for training in Training.objects.filter(
        reminded_at__isnull=True, starts_at__gt=now, starts_at__lt=now + dt.timedelta(days=3)
    ).select_related("school"):
        tz = ZoneInfo(training.school.timezone)
        if training.starts_at.astimezone(tz).date() > now.astimezone(tz).date() + dt.timedelta(days=1):
            continue
        with transaction.atomic():
            claimed = Training.objects.filter(pk=training.pk, reminded_at__isnull=True).update(reminded_at=now)
            if not claimed:
                continue
            when = training.starts_at.astimezone(tz).strftime("%d.%m.%Y в %H:%M")
            where = training.place or training.link
            for signup in SignUp.objects.filter(training=training).select_related("user"):
                notify(
                    recipient=signup.user,
                    event="message",
                    title="Напоминание об обучающем занятии",
                    text=f"«{training.title}» — {when}, {where}.",
                    url=reverse("support:trainings"),
                )
                count += 1
    return count

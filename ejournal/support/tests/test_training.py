"""Training sessions: the administrator publishes, people of the audience sign up and cancel, a full session
refuses in Russian, attendance is recorded, and the reminder goes the day before, once."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from ejournal.core import time as clock
from ejournal.core.errors import Conflict, ValidationFailed
from ejournal.notifications.models import Message
from ejournal.support import training
from ejournal.support.models import Audience, SignUp, Training

NOW = dt.datetime(2026, 11, 9, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def session(small_school, monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: NOW)
    return training.publish(
        actor=small_school.admin,
        title="Электронный дневник",
        day=dt.date(2026, 11, 10),
        time=dt.time(18, 0),
        place="Актовый зал",
        link="",
        audience=Audience.PARENTS,
        capacity=1,
    )


def test_publish_refuses_bad_input(small_school, monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: NOW)
    base = dict(actor=small_school.admin, title="Т", day=dt.date(2026, 11, 10), time=dt.time(9), place="к. 1", link="")
    with pytest.raises(ValidationFailed, match="Число мест"):
        training.publish(**base, audience=Audience.TEACHERS, capacity=0)
    with pytest.raises(ValidationFailed, match="для кого"):
        training.publish(**base, audience="all", capacity=5)
    with pytest.raises(ValidationFailed, match="будущее"):
        training.publish(**{**base, "day": dt.date(2026, 11, 1)}, audience=Audience.TEACHERS, capacity=5)
    assert not Training.objects.exists()


def test_sign_up_full_session_and_cancel(client, small_school, session, django_assert_max_num_queries):
    s = small_school
    second_parent = s.person("Второва", "Вера", "parent")
    client.force_login(s.parent)
    with django_assert_max_num_queries(20):
        page = client.get(reverse("support:trainings")).content.decode()
    assert "Электронный дневник" in page and "Записаться" in page
    client.post(reverse("support:signup", kwargs={"training_id": session.pk}))
    assert SignUp.objects.filter(training=session, user=s.parent).exists()
    with pytest.raises(Conflict, match="мест больше нет"):
        training.sign_up(actor=second_parent, training=session)
    client.force_login(second_parent)
    r = client.post(reverse("support:signup", kwargs={"training_id": session.pk}), follow=True)
    assert "мест больше нет (все 1 заняты)" in r.content.decode()
    # A teacher is not the audience of a parents' session.
    with pytest.raises(ValidationFailed, match="для аудитории «родители»"):
        training.sign_up(actor=s.teacher, training=session)
    client.force_login(s.parent)
    client.post(reverse("support:cancel", kwargs={"training_id": session.pk}))
    assert not SignUp.objects.filter(training=session).exists()
    training.sign_up(actor=second_parent, training=session)


def test_class_teachers_audience(small_school, monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: NOW)
    s = small_school
    t = training.publish(
        actor=s.admin,
        title="Классное руководство",
        day=dt.date(2026, 11, 12),
        time=dt.time(15),
        place="",
        link="https://meet.example/abc",
        audience=Audience.CLASS_TEACHERS,
        capacity=10,
    )
    training.sign_up(actor=s.class_teacher, training=t)
    with pytest.raises(ValidationFailed):
        training.sign_up(actor=s.teacher2, training=t)


def test_attendance_by_the_administrator_only(client, small_school, session, monkeypatch):
    s = small_school
    training.sign_up(actor=s.parent, training=session)
    client.force_login(s.parent)
    assert client.get(reverse("support:training", kwargs={"training_id": session.pk})).status_code == 404
    assert client.post(reverse("support:attendance", kwargs={"training_id": session.pk})).status_code == 404
    client.force_login(s.admin)
    assert (
        s.parent.short_name
        in client.get(reverse("support:training", kwargs={"training_id": session.pk})).content.decode()
    )
    # After the session the administrator still finds it on the list and records who came.
    monkeypatch.setattr(clock, "now", lambda: NOW + dt.timedelta(days=2))
    assert "прошло" in client.get(reverse("support:trainings")).content.decode()
    client.post(reverse("support:attendance", kwargs={"training_id": session.pk}), {"present": [s.parent.pk]})
    assert SignUp.objects.get(training=session).attended is True
    with pytest.raises(ValidationFailed):
        training.record_attendance(actor=s.admin, training=session, present=[s.teacher.pk])


def test_reminder_goes_the_day_before_once(small_school, session):
    s = small_school
    training.sign_up(actor=s.parent, training=session)
    tz = ZoneInfo(s.school.timezone)
    two_days_before = dt.datetime(2026, 11, 8, 9, 0, tzinfo=tz)
    assert training.remind_all(two_days_before) == 0
    day_before = dt.datetime(2026, 11, 9, 9, 0, tzinfo=tz)
    assert training.remind_all(day_before) == 1
    assert training.remind_all(day_before + dt.timedelta(hours=1)) == 0
    note = Message.objects.get(recipient=s.parent, title="Напоминание об обучающем занятии")
    assert "Электронный дневник" in note.text and "10.11.2026 в 18:00" in note.text

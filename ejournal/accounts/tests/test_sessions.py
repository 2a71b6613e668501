"""«Мои сеансы»: own sessions, ending one or all, key rotation at sign-in, idle timeout, logout."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from ejournal.accounts.auth import sessions
from ejournal.accounts.models import UserSession
from ejournal.audit.models import EventKind, SecurityEvent

PASSWORD = "Kx7-pass-word"
ENGINES = ["django.contrib.sessions.backends.db", "django.contrib.sessions.backends.cache"]


@pytest.fixture(params=ENGINES, ids=["db", "cache"])
def engine(request, settings):
    settings.SESSION_ENGINE = request.param
    return request.param


def signed_in(user, agent="Mozilla/5.0 (Linux; Android 14) Chrome/126.0 Mobile Safari/537.36"):
    if not user.check_password(PASSWORD):  # a new password would end the person's other sessions
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    client = Client(HTTP_USER_AGENT=agent)
    assert client.post(reverse("login"), {"username": user.username, "password": PASSWORD}).status_code == 302
    return client


def test_session_key_is_rotated_at_sign_in(client, small_school):
    session = client.session
    session["before"] = 1
    session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    teacher = small_school.teacher
    teacher.set_password(PASSWORD)
    teacher.save()
    client.post(reverse("login"), {"username": teacher.username, "password": PASSWORD})
    assert client.cookies[settings.SESSION_COOKIE_NAME].value != session.session_key
    assert UserSession.objects.get(user=teacher).session_key == client.cookies[settings.SESSION_COOKIE_NAME].value


def test_page_lists_own_sessions_only(small_school, django_assert_max_num_queries):
    phone = signed_in(small_school.teacher)
    signed_in(small_school.teacher, agent="Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Firefox/128.0")
    signed_in(small_school.teacher2)
    with django_assert_max_num_queries(8):
        page = phone.get(reverse("sessions"))
    body = page.content.decode()
    assert page.status_code == 200 and "Мои сеансы" in body
    assert "Chrome, Android" in body and "Firefox, Windows" in body and "это устройство" in body
    assert body.count("<tr><td>") == 2


def test_anonymous_is_sent_to_login(client, db):
    assert client.get(reverse("sessions")).status_code == 302


def test_ending_another_device_signs_it_out(engine, small_school):
    phone, laptop = signed_in(small_school.teacher), signed_in(small_school.teacher)
    laptop_key = laptop.cookies[settings.SESSION_COOKIE_NAME].value
    row = UserSession.objects.get(session_key=laptop_key)
    assert phone.post(reverse("session_end", args=[row.pk])).status_code == 302
    assert laptop.get(reverse("home")).status_code == 302
    assert phone.get(reverse("home")).status_code == 200


def test_someone_elses_session_is_not_found(small_school):
    mine, theirs = signed_in(small_school.teacher), signed_in(small_school.teacher2)
    row = UserSession.objects.get(user=small_school.teacher2)
    assert mine.post(reverse("session_end", args=[row.pk])).status_code == 404
    assert theirs.get(reverse("home")).status_code == 200


def test_sign_out_everywhere(engine, small_school):
    phone, laptop = signed_in(small_school.teacher), signed_in(small_school.teacher)
    other = signed_in(small_school.teacher2)
    assert phone.post(reverse("session_end_all")).status_code == 302
    assert phone.get(reverse("home")).status_code == 302
    assert laptop.get(reverse("home")).status_code == 302
    assert other.get(reverse("home")).status_code == 200
    assert not UserSession.objects.filter(user=small_school.teacher).exists()
    assert SecurityEvent.objects.filter(kind=EventKind.LOGOUT, summary="Выход на всех устройствах").count() == 1


def _idle_for(client, minutes):
    session = client.session
    session[sessions.SEEN] = int(time.time()) - minutes * 60
    session.save()


def test_staff_are_signed_out_after_30_idle_minutes(engine, small_school):
    teacher = signed_in(small_school.teacher)
    _idle_for(teacher, 29)
    assert teacher.get(reverse("home")).status_code == 200
    _idle_for(teacher, 31)
    page = teacher.get(reverse("home"), follow=True)
    assert page.redirect_chain[-1][0].startswith(reverse("login"))
    assert "долго не было действий" in page.content.decode()
    assert SecurityEvent.objects.filter(kind=EventKind.LOGOUT, summary="Выход по бездействию").count() == 1
    assert not UserSession.objects.filter(user=small_school.teacher).exists()


def test_parents_keep_their_session_longer(small_school, settings):
    settings.EJOURNAL_IDLE_MINUTES_STAFF = 30
    parent = signed_in(small_school.parent)
    _idle_for(parent, 120)
    assert parent.get(reverse("home")).status_code == 200


def test_logout_invalidates_the_session(engine, small_school):
    teacher = signed_in(small_school.teacher)
    old_key = teacher.cookies[settings.SESSION_COOKIE_NAME].value
    teacher.post(reverse("logout"))
    thief = Client()
    thief.cookies[settings.SESSION_COOKIE_NAME] = old_key
    assert thief.get(reverse("home")).status_code == 302
    assert not UserSession.objects.filter(session_key=old_key).exists()


def test_activity_is_noted_at_most_once_a_minute(small_school):
    teacher = signed_in(small_school.teacher)
    started = UserSession.objects.get(user=small_school.teacher).last_active_at
    UserSession.objects.update(last_active_at=started - dt.timedelta(minutes=5))
    teacher.get(reverse("home"))  # within the minute: nothing written
    assert UserSession.objects.get().last_active_at == started - dt.timedelta(minutes=5)
    _idle_for(teacher, 2)
    teacher.get(reverse("home"))
    assert UserSession.objects.get().last_active_at >= started
    assert teacher.session[sessions.SEEN] >= int(time.time()) - 5


def test_device_names():
    assert sessions.device_name("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0) Version/17.0 Mobile Safari/604.1") == (
        "Safari, iPhone"
    )
    assert sessions.device_name("Mozilla/5.0 (Windows NT 10.0) Chrome/120 YaBrowser/24.1 Safari/537.36") == (
        "Яндекс Браузер, Windows"
    )
    assert sessions.device_name("") == "неизвестное устройство"

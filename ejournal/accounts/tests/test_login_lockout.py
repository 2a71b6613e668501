"""Lockout after repeated failed sign-ins, and the security events of signing in and out."""

from __future__ import annotations

import datetime as dt

from django.test import override_settings
from django.urls import reverse

from ejournal.accounts.models import LoginFailure
from ejournal.audit.models import EventKind, SecurityEvent

PASSWORD = "Kx7-pass-word"


def sign_in(client, username, password, ip="127.0.0.1"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def with_password(user):
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    return user


def test_five_failures_lock_the_login_from_that_address_with_a_time_to_retry(client, small_school):
    teacher = with_password(small_school.teacher)
    for _ in range(4):
        assert "Неверный логин или пароль" in sign_in(client, teacher.username, "wrong").content.decode()
    fifth = sign_in(client, teacher.username, "wrong").content.decode()
    assert "Слишком много попыток" in fifth and "попробуйте снова в" in fifth and "мин" in fifth
    # Locked: even the right password is refused, and nobody is signed in.
    refused = sign_in(client, teacher.username, PASSWORD)
    assert refused.status_code == 200 and "Вход временно заблокирован" in refused.content.decode()
    assert client.get(reverse("home")).status_code == 302
    # Another address is not locked.
    assert sign_in(client, teacher.username, PASSWORD, ip="10.1.2.3").status_code == 302
    assert SecurityEvent.objects.filter(kind=EventKind.LOGIN_FAILED, subject=teacher).count() == 5
    lock = SecurityEvent.objects.get(kind=EventKind.LOCKOUT)
    assert (
        lock.subject_id == teacher.pk and lock.school_id == teacher.school_id and teacher.username not in lock.summary
    )


def test_lock_ends_when_the_window_passes(client, small_school):
    teacher = with_password(small_school.teacher)
    for _ in range(5):
        sign_in(client, teacher.username, "wrong")
    latest = LoginFailure.objects.latest("at").at
    LoginFailure.objects.update(at=latest - dt.timedelta(minutes=16))
    assert sign_in(client, teacher.username, PASSWORD).status_code == 302


def test_success_clears_earlier_failures(client, small_school):
    teacher = with_password(small_school.teacher)
    for _ in range(4):
        sign_in(client, teacher.username, "wrong")
    assert sign_in(client, teacher.username, PASSWORD).status_code == 302
    assert not LoginFailure.objects.exists()
    assert SecurityEvent.objects.filter(kind=EventKind.LOGIN, actor=teacher, details__method="password").count() == 1


@override_settings(EJOURNAL_LOCKOUT_FAILURES=2)
def test_limit_is_a_setting(client, small_school):
    teacher = with_password(small_school.teacher)
    sign_in(client, teacher.username, "wrong")
    assert "Слишком много попыток" in sign_in(client, teacher.username, "wrong").content.decode()


def test_unknown_login_is_counted_without_writing_it_down(client, db):
    for _ in range(5):
        page = sign_in(client, "ivanova.a", "wrong")
    assert "Слишком много попыток" in page.content.decode()
    failed = SecurityEvent.objects.filter(kind=EventKind.LOGIN_FAILED)
    assert failed.count() == 5 and all(e.subject_id is None and "ivanova" not in str(e.details) for e in failed)
    assert not LoginFailure.objects.filter(key__contains="ivanova").exists()


def test_logout_is_an_event(client, small_school):
    teacher = with_password(small_school.teacher)
    sign_in(client, teacher.username, PASSWORD)
    client.post(reverse("logout"))
    assert SecurityEvent.objects.filter(kind=EventKind.LOGOUT, actor=teacher).count() == 1

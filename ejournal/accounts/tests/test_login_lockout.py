"""Limits on failed sign-ins (accounts.auth.lockout): a growing delay per account that spares the owner's
known device, a block per client address whatever login it tries, the real address behind a trusted proxy,
and the security events of signing in and out."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse

from ejournal.accounts.auth import lockout
from ejournal.accounts.models import LoginFailure
from ejournal.audit.models import EventKind, SecurityEvent

PASSWORD = "Kx7-pass-word"


def sign_in(client, username, password, ip="127.0.0.1", **extra):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip, **extra)


def with_password(user):
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    return user


def age_failures(seconds):
    LoginFailure.objects.update(at=LoginFailure.objects.latest("at").at - dt.timedelta(seconds=seconds))


def test_failures_on_an_account_start_a_delay_that_spares_the_owners_device(client, small_school):
    teacher = with_password(small_school.teacher)
    owner = Client()
    assert sign_in(owner, teacher.username, PASSWORD, ip="10.7.7.7").status_code == 302
    assert lockout.DEVICE_COOKIE in owner.cookies
    owner.post(reverse("logout"))
    for _ in range(4):
        assert "Неверный логин или пароль" in sign_in(client, teacher.username, "wrong").content.decode()
    fifth = sign_in(client, teacher.username, "wrong").content.decode()
    assert "подождите 30 секунд" in fifth
    # Within the delay even the right password is refused, unchecked and uncounted, from any new device.
    refused = sign_in(client, teacher.username, PASSWORD)
    assert refused.status_code == 200 and "подождите" in refused.content.decode()
    assert sign_in(Client(), teacher.username, PASSWORD, ip="10.1.2.3").status_code == 200
    assert client.get(reverse("home")).status_code == 302
    assert LoginFailure.objects.filter(scope=lockout.ACCOUNT).count() == 5
    # The owner's browser that signed in before is not slowed down.
    assert sign_in(owner, teacher.username, PASSWORD, ip="10.7.7.7").status_code == 302
    assert SecurityEvent.objects.filter(kind=EventKind.LOGIN_FAILED, subject=teacher).count() == 5
    lock = SecurityEvent.objects.get(kind=EventKind.LOCKOUT)
    assert lock.subject_id == teacher.pk and lock.school_id == teacher.school_id and lock.details["scope"] == "account"
    assert teacher.username not in lock.summary and teacher.username not in str(lock.details)


def test_the_delay_doubles_with_each_failure_and_then_lets_the_password_through(client, small_school):
    teacher = with_password(small_school.teacher)
    for _ in range(5):
        sign_in(client, teacher.username, "wrong")
    age_failures(31)
    assert "подождите 60 секунд" in sign_in(client, teacher.username, "wrong").content.decode()
    age_failures(61)
    assert "подождите 120 секунд" in sign_in(client, teacher.username, "wrong").content.decode()
    assert lockout.delay_after(7) == dt.timedelta(seconds=120)
    assert lockout.delay_after(40) == dt.timedelta(seconds=settings.EJOURNAL_LOCKOUT_MAX_DELAY_SECONDS)
    age_failures(121)
    assert sign_in(client, teacher.username, PASSWORD).status_code == 302


def test_a_forged_device_cookie_is_not_a_known_device(client, small_school):
    teacher = with_password(small_school.teacher)
    for _ in range(5):
        sign_in(client, teacher.username, "wrong")
    client.cookies[lockout.DEVICE_COOKIE] = "forged:value"
    assert "подождите" in sign_in(client, teacher.username, PASSWORD).content.decode()


def test_success_clears_the_accounts_failures_but_not_the_clients(client, small_school):
    teacher = with_password(small_school.teacher)
    for _ in range(4):
        sign_in(client, teacher.username, "wrong")
    assert sign_in(client, teacher.username, PASSWORD).status_code == 302
    assert not LoginFailure.objects.filter(scope=lockout.ACCOUNT).exists()
    # Signing into one's own account between guesses does not reset the guesser's count.
    assert LoginFailure.objects.filter(scope=lockout.CLIENT).count() == 4
    assert SecurityEvent.objects.filter(kind=EventKind.LOGIN, actor=teacher, details__method="password").count() == 1


@override_settings(EJOURNAL_LOCKOUT_CLIENT_FAILURES=8)
def test_a_client_guessing_a_few_passwords_on_many_accounts_is_blocked_whatever_login_it_tries(client, small_school):
    teacher, teacher2, admin = (
        with_password(u) for u in (small_school.teacher, small_school.teacher2, small_school.admin)
    )
    for user in (teacher, teacher2):
        for _ in range(4):
            page = sign_in(client, user.username, "wrong")
    assert "Вход временно заблокирован" in page.content.decode()
    refused = sign_in(client, admin.username, PASSWORD)
    assert refused.status_code == 200 and "Вход временно заблокирован" in refused.content.decode()
    # Another address is not blocked, and four failures did not slow the accounts down.
    assert sign_in(Client(), admin.username, PASSWORD, ip="10.1.2.3").status_code == 302
    assert sign_in(Client(), teacher.username, PASSWORD, ip="10.1.2.4").status_code == 302
    lock = SecurityEvent.objects.get(kind=EventKind.LOCKOUT)
    assert lock.details["scope"] == "client" and "127.0.0.1" not in str(lock.details)


@override_settings(EJOURNAL_LOCKOUT_CLIENT_FAILURES=8)
def test_the_client_block_ends_when_the_window_passes(client, small_school):
    teacher2 = with_password(small_school.teacher2)
    for i in range(8):
        sign_in(client, f"nobody{i}", "wrong")
    assert "Вход временно заблокирован" in sign_in(client, teacher2.username, PASSWORD).content.decode()
    age_failures(16 * 60)
    assert sign_in(client, teacher2.username, PASSWORD).status_code == 302


@override_settings(EJOURNAL_LOCKOUT_CLIENT_FAILURES=3, EJOURNAL_TRUSTED_PROXIES=["10.0.0.0/8"])
def test_behind_a_trusted_proxy_each_real_client_is_counted_apart(small_school):
    teacher = with_password(small_school.teacher)
    proxy = "10.0.0.2"
    attacker, colleague = Client(), Client()
    for i in range(3):
        page = sign_in(attacker, f"x{i}", "wrong", ip=proxy, HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert "Вход временно заблокирован" in page.content.decode()
    # A forged address left of the proxy's entry changes nothing: the proxy wrote the right-most one.
    forged = sign_in(attacker, teacher.username, PASSWORD, ip=proxy, HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9")
    assert "Вход временно заблокирован" in forged.content.decode()
    # Another person behind the same proxy is not blocked.
    assert (
        sign_in(colleague, teacher.username, PASSWORD, ip=proxy, HTTP_X_FORWARDED_FOR="198.51.100.7").status_code == 302
    )


@override_settings(EJOURNAL_LOCKOUT_CLIENT_FAILURES=3)
def test_a_forwarded_header_from_an_untrusted_address_is_ignored(client, db):
    for i in range(3):
        sign_in(client, f"x{i}", "wrong", ip="192.0.2.10", HTTP_X_FORWARDED_FOR=f"198.51.100.{i}")
    page = sign_in(client, "y", "wrong", ip="192.0.2.10", HTTP_X_FORWARDED_FOR="198.51.100.99")
    assert "Вход временно заблокирован" in page.content.decode()


@override_settings(EJOURNAL_LOCKOUT_FAILURES=2)
def test_limit_is_a_setting(client, small_school):
    teacher = with_password(small_school.teacher)
    sign_in(client, teacher.username, "wrong")
    assert "подождите" in sign_in(client, teacher.username, "wrong").content.decode()


def test_unknown_login_is_delayed_like_a_known_one_without_writing_it_down(client, small_school):
    teacher = with_password(small_school.teacher)
    for _ in range(5):
        unknown = sign_in(client, "ivanova.a", "wrong")
        known = sign_in(client, teacher.username, "wrong")
    assert unknown.content.decode().count("подождите 30 секунд") == known.content.decode().count("подождите 30 секунд")
    failed = SecurityEvent.objects.filter(kind=EventKind.LOGIN_FAILED, subject__isnull=True)
    assert failed.count() == 5 and all(e.subject_id is None and "ivanova" not in str(e.details) for e in failed)
    assert not LoginFailure.objects.filter(key__contains="ivanova").exists()


def test_logout_is_an_event(client, small_school):
    teacher = with_password(small_school.teacher)
    sign_in(client, teacher.username, PASSWORD)
    client.post(reverse("logout"))
    assert SecurityEvent.objects.filter(kind=EventKind.LOGOUT, actor=teacher).count() == 1

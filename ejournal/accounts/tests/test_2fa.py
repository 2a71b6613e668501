"""TOTP two-factor sign-in: set-up with a QR code, codes at sign-in, mandatory for staff, reset by the admin."""

from __future__ import annotations

import time

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from ejournal.audit.models import EventKind, SecurityEvent

PASSWORD = "Kx7-pass-word"


def code(device: TOTPDevice, drift: int = 0) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=drift):06d}"


def sign_in(user) -> Client:
    if not user.check_password(PASSWORD):
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    client = Client()
    client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    return client


def unthrottle(device: TOTPDevice) -> None:
    """django-otp makes a device wait a second after a wrong code; tests do not wait."""
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0, throttling_failure_timestamp=None)


def device_for(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="ЭЖ", confirmed=True)


def test_setup_shows_a_qr_code_and_the_secret_then_confirms_with_a_code(small_school):
    teacher = small_school.teacher
    client = sign_in(teacher)
    page = client.get(reverse("two_factor_setup"))
    body = page.content.decode()
    assert page.status_code == 200 and "<svg" in body and "Ключ:" in body
    device = TOTPDevice.objects.get(user=teacher, confirmed=False)
    assert device.config_url.split("secret=")[1][:8] in body.replace(" ", "")
    wrong = client.post(reverse("two_factor_setup"), {"code": "000000" if code(device) != "000000" else "111111"})
    assert wrong.status_code == 422
    unthrottle(device)
    assert client.post(reverse("two_factor_setup"), {"code": code(device)}).status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert SecurityEvent.objects.filter(kind=EventKind.TWO_FACTOR, actor=teacher).count() == 1
    assert "Подключена" in client.get(reverse("two_factor_setup")).content.decode()


def test_setup_needs_login(client, db):
    assert client.get(reverse("two_factor_setup")).status_code == 302


def test_person_with_a_device_gives_a_code_before_anything_else(small_school):
    teacher = small_school.teacher
    device = device_for(teacher)
    client = sign_in(teacher)
    assert client.get(reverse("home"))["Location"] == reverse("two_factor_verify")
    assert client.get("/api/v1/").status_code == 302
    assert client.post(reverse("two_factor_verify"), {"code": "12345"}).status_code == 422
    throttled = client.post(reverse("two_factor_verify"), {"code": code(device, drift=1)})
    assert "Подождите несколько секунд" in throttled.content.decode()
    unthrottle(device)
    assert client.post(reverse("two_factor_verify"), {"code": code(device, drift=1)}).status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_wrong_codes_lock_and_are_events(small_school):
    teacher = small_school.teacher
    device = device_for(teacher)
    client = sign_in(teacher)
    bad = "000000" if code(device) != "000000" else "111111"
    for _ in range(4):
        client.post(reverse("two_factor_verify"), {"code": bad})
        unthrottle(device)
    page = client.post(reverse("two_factor_verify"), {"code": bad}).content.decode()
    assert "Слишком много попыток" in page
    unthrottle(device)
    assert client.post(reverse("two_factor_verify"), {"code": code(device, drift=1)}).status_code == 422
    assert client.get(reverse("home")).status_code == 302
    assert SecurityEvent.objects.filter(kind=EventKind.LOCKOUT, subject=teacher).count() == 1


def test_school_can_make_2fa_mandatory_for_staff(small_school):
    small_school.school.staff_2fa_required = True
    small_school.school.save()
    teacher = sign_in(small_school.teacher)
    assert teacher.get(reverse("journal:index"))["Location"] == reverse("two_factor_setup")
    assert "Школа требует" in teacher.get(reverse("two_factor_setup")).content.decode()
    device = TOTPDevice.objects.get(user=small_school.teacher)
    teacher.post(reverse("two_factor_setup"), {"code": code(device)})
    assert teacher.get(reverse("home")).status_code == 200
    # Students and parents are not staff: nothing is asked of them.
    assert sign_in(small_school.parent).get(reverse("home")).status_code == 200


def test_admin_resets_a_teachers_2fa(small_school):
    device_for(small_school.teacher)
    admin = Client()
    admin.force_login(small_school.admin)
    url = reverse("two_factor_reset", args=[small_school.teacher.pk])
    page = admin.get(url)
    assert page.status_code == 200 and "Подключена" in page.content.decode()
    assert admin.post(url).status_code == 302
    assert not TOTPDevice.objects.filter(user=small_school.teacher).exists()
    event = SecurityEvent.objects.get(kind=EventKind.TWO_FACTOR, subject=small_school.teacher)
    assert event.actor_id == small_school.admin.pk
    assert sign_in(small_school.teacher).get(reverse("home")).status_code == 200


@pytest.mark.parametrize("who", ["teacher2", "director", "class_teacher"])
def test_only_the_administrator_resets(small_school, who):
    device_for(small_school.teacher)
    client = Client()
    client.force_login(getattr(small_school, who))
    url = reverse("two_factor_reset", args=[small_school.teacher.pk])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert TOTPDevice.objects.filter(user=small_school.teacher).exists()


def test_other_schools_admin_gets_404(small_school, other_school):
    device_for(small_school.teacher)
    client = Client()
    client.force_login(other_school.admin)
    assert client.post(reverse("two_factor_reset", args=[small_school.teacher.pk])).status_code == 404
    assert TOTPDevice.objects.filter(user=small_school.teacher).exists()


def test_reset_page_needs_login(client, small_school):
    assert client.get(reverse("two_factor_reset", args=[small_school.teacher.pk])).status_code == 302


def test_a_code_is_not_accepted_twice(small_school):
    teacher = small_school.teacher
    device = device_for(teacher)
    first = sign_in(teacher)
    token = code(device, drift=1)
    assert first.post(reverse("two_factor_verify"), {"code": token}).status_code == 302
    time.sleep(0.01)
    second = sign_in(teacher)
    assert second.post(reverse("two_factor_verify"), {"code": token}).status_code == 422

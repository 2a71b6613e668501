"""Changing one's own password (`password_change`, accounts.services.change_own_password): the current
password is asked except in the forced change, a wrong one counts for the lockout and changes nothing, the
change is in the security log, other sessions end, the person is told in the inbox and by e-mail."""

from __future__ import annotations

from types import SimpleNamespace

from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse

from ejournal.accounts import services
from ejournal.accounts.auth import lockout
from ejournal.accounts.models import LoginFailure, UserSession
from ejournal.audit.models import EventKind, SecurityEvent
from ejournal.core.errors import Conflict, NotFound
from ejournal.notifications.models import Message, Preferences

OLD = "Kx7-old-pass"
NEW = "Nov-parol-2024x"


def signed_in(user, ip="127.0.0.1"):
    client = Client(REMOTE_ADDR=ip)
    assert client.post(reverse("login"), {"username": user.username, "password": OLD}).status_code == 302
    return client


def change(client, current, new=NEW):
    return client.post(
        reverse("password_change"), {"old_password": current, "new_password1": new, "new_password2": new}
    )


def with_password(user, email=""):
    user.set_password(OLD)
    user.email = email
    user.save(update_fields=["password", "email"])
    return user


def test_the_current_password_is_asked_and_a_wrong_one_changes_nothing(small_school):
    teacher = with_password(small_school.teacher)
    client = signed_in(teacher)
    assert 'name="old_password"' in client.get(reverse("password_change")).content.decode()
    missing = client.post(reverse("password_change"), {"new_password1": NEW, "new_password2": NEW})
    assert missing.status_code == 200 and "Обязательное поле" in missing.content.decode()
    wrong = change(client, "not-my-password")
    assert wrong.status_code == 200 and "Текущий пароль введён неверно" in wrong.content.decode()
    teacher.refresh_from_db()
    assert teacher.check_password(OLD)
    assert not SecurityEvent.objects.filter(kind=EventKind.PASSWORD_CHANGED).exists()
    # Counted like a failed sign-in, on the account and from the client.
    assert LoginFailure.objects.filter(scope=lockout.ACCOUNT, key=lockout.account_key(teacher.username)).count() == 1
    assert LoginFailure.objects.filter(scope=lockout.CLIENT).count() == 1
    assert SecurityEvent.objects.filter(kind=EventKind.LOGIN_FAILED, subject=teacher).count() == 1


def test_a_stolen_session_cannot_guess_the_current_password(small_school):
    teacher = with_password(small_school.teacher)
    thief = signed_in(teacher)
    for i in range(settings.EJOURNAL_LOCKOUT_FAILURES):
        page = change(thief, f"guess-{i}")
    assert "подождите" in page.content.decode()
    # Within the delay even the right password is refused unchecked, also from the owner's own browser.
    refused = change(thief, OLD)
    assert "подождите" in refused.content.decode()
    teacher.refresh_from_db()
    assert teacher.check_password(OLD)
    assert SecurityEvent.objects.filter(kind=EventKind.LOCKOUT, subject=teacher).count() == 1


def test_a_change_is_logged_ends_other_sessions_keeps_this_one_and_tells_the_person(
    small_school, django_capture_on_commit_callbacks
):
    teacher = with_password(small_school.teacher, email="teacher@school.test")
    here, laptop = signed_in(teacher), signed_in(teacher)
    other_person = with_password(small_school.teacher2)
    theirs = signed_in(other_person)
    with django_capture_on_commit_callbacks(execute=True):
        done = change(here, OLD)
    assert done.status_code == 302
    teacher.refresh_from_db()
    assert teacher.check_password(NEW)
    assert here.get(reverse("home")).status_code == 200
    assert laptop.get(reverse("home")).status_code == 302
    assert theirs.get(reverse("home")).status_code == 200
    # «Мои сеансы» still lists this device under its new key, and nothing else.
    rows = list(UserSession.objects.filter(user=teacher))
    assert [r.session_key for r in rows] == [here.cookies[settings.SESSION_COOKIE_NAME].value]
    event = SecurityEvent.objects.get(kind=EventKind.PASSWORD_CHANGED)
    assert event.actor_id == event.subject_id == teacher.pk and event.details == {"other_sessions_ended": 1}
    assert NEW not in str(event.details) and teacher.email not in event.summary
    message = Message.objects.get(recipient=teacher)
    assert message.title == "Пароль изменён" and "обратитесь к администратору" in message.text
    # E-mail is the default channel of the inbox message: the worker sends it, no second letter now.
    assert mail.outbox == []


def test_the_letter_goes_even_when_the_person_switched_e_mail_off(small_school, django_capture_on_commit_callbacks):
    teacher = with_password(small_school.teacher, email="teacher@school.test")
    Preferences.objects.create(user=teacher, school_id=teacher.school_id, channels=[])
    client = signed_in(teacher)
    with django_capture_on_commit_callbacks(execute=True):
        assert change(client, OLD).status_code == 302
    assert [m.to for m in mail.outbox] == [["teacher@school.test"]]
    assert "Пароль" in mail.outbox[0].body and NEW not in mail.outbox[0].body


def test_a_failing_letter_does_not_undo_the_change(small_school, django_capture_on_commit_callbacks, monkeypatch):
    teacher = with_password(small_school.teacher, email="teacher@school.test")
    Preferences.objects.create(user=teacher, school_id=teacher.school_id, channels=[])

    def broken(*args, **kwargs):
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr(services, "send_letter", SimpleNamespace(enqueue=broken))
    client = signed_in(teacher)
    with django_capture_on_commit_callbacks(execute=True):
        assert change(client, OLD).status_code == 302
    teacher.refresh_from_db()
    assert teacher.check_password(NEW)


def test_the_forced_change_after_a_one_time_password_needs_only_the_new_one(small_school):
    student = with_password(small_school.students_5a[0])
    student.must_change_password = True
    student.save(update_fields=["must_change_password"])
    client = signed_in(student)
    page = client.get(reverse("password_change")).content.decode()
    assert 'name="old_password"' not in page and "одноразовым паролем" in page
    assert client.post(reverse("password_change"), {"new_password1": NEW, "new_password2": NEW}).status_code == 302
    student.refresh_from_db()
    assert student.check_password(NEW) and not student.must_change_password
    assert SecurityEvent.objects.filter(kind=EventKind.PASSWORD_CHANGED, subject=student).count() == 1


def test_the_service_refuses_a_weak_password_in_russian(small_school):
    teacher = with_password(small_school.teacher)
    try:
        services.change_own_password(actor=teacher, current_password=OLD, new_password="12345678")
    except services.ValidationFailed as e:
        assert "пароль" in e.message.lower()
    else:
        raise AssertionError("a weak password was accepted")
    teacher.refresh_from_db()
    assert teacher.check_password(OLD)


def test_any_refusal_shows_on_the_form_and_not_found_stays_a_404(small_school, monkeypatch):
    """Only ValidationFailed reached the form; any other refusal of the service was the bare error page."""
    client = signed_in(with_password(small_school.teacher))

    def refuse(error):
        def change_own_password(**kwargs):
            raise error

        monkeypatch.setattr(services, "change_own_password", change_own_password)
        return change(client, OLD)

    busy = refuse(Conflict("Пароль уже меняют в другой вкладке."))
    assert busy.status_code == 200 and "уже меняют в другой вкладке" in busy.content.decode()
    assert 'name="new_password1"' in busy.content.decode()  # the form again, not the error page
    assert refuse(NotFound()).status_code == 404

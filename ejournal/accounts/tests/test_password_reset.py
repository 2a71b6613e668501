"""Password reset by e-mail: the same answer for any address, a link that works once, a rate limit."""

from __future__ import annotations

import re

from django.core import mail
from django.test import Client
from django.urls import reverse

from ejournal.accounts.auth import lockout
from ejournal.accounts.models import UserSession
from ejournal.audit.models import EventKind, SecurityEvent


def ask(client, email, ip="127.0.0.1"):
    return client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=ip)


def with_email(user, email="teacher@school.test"):
    user.email = email
    user.set_password("Old-pass-123")
    user.must_change_password = True
    user.save()
    return user


def test_known_address_gets_a_link_that_sets_a_new_password_once(client, small_school):
    teacher = with_email(small_school.teacher)
    answer = ask(client, "Teacher@School.test")
    assert answer.status_code == 302 and answer["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    letter = mail.outbox[0]
    assert letter.to == ["teacher@school.test"] and "Восстановление пароля" in letter.subject
    assert teacher.username in letter.body and teacher.last_name not in letter.body
    found = re.search(r"http://\S+/password/reset/\S+/", str(letter.body))
    assert found is not None
    link = found.group(0)
    form = client.get(link, follow=True)
    assert form.status_code == 200 and "Новый пароль" in form.content.decode()
    url = form.redirect_chain[-1][0]
    done = client.post(url, {"new_password1": "Nov-parol-77", "new_password2": "Nov-parol-77"})
    assert done.status_code == 302 and done["Location"] == reverse("password_reset_complete")
    teacher.refresh_from_db()
    assert teacher.check_password("Nov-parol-77") and not teacher.must_change_password
    assert SecurityEvent.objects.filter(kind=EventKind.PASSWORD_RESET, subject=teacher).count() == 2
    again = client.get(link, follow=True)
    assert "Ссылка недействительна" in again.content.decode()


def test_unknown_address_gets_the_same_answer_and_no_letter(client, small_school):
    with_email(small_school.teacher)
    answer = ask(client, "nobody@school.test")
    assert answer.status_code == 302 and answer["Location"] == reverse("password_reset_done")
    assert mail.outbox == []
    page = client.get(reverse("password_reset_done")).content.decode()
    assert "Если этот адрес записан в школе" in page


def test_requests_from_one_address_are_rate_limited(client, small_school):
    with_email(small_school.teacher)
    for _ in range(5):
        ask(client, "nobody@school.test")
    refused = ask(client, "teacher@school.test")
    assert refused.status_code == 200
    assert "Сброс пароля временно недоступен" in refused.content.decode()
    assert mail.outbox == []
    assert ask(client, "teacher@school.test", ip="10.9.8.7").status_code == 302
    assert len(mail.outbox) == 1


def test_reset_pages_are_russian(client, db):
    assert "Восстановление пароля" in client.get(reverse("password_reset")).content.decode()
    assert "Забыли пароль?" in client.get(reverse("login")).content.decode()


def test_a_reset_ends_every_session_and_lifts_the_accounts_delay(small_school):
    teacher = with_email(small_school.teacher)
    teacher.must_change_password = False
    teacher.save(update_fields=["must_change_password"])
    thief = Client()
    assert thief.post(reverse("login"), {"username": teacher.username, "password": "Old-pass-123"}).status_code == 302
    for _ in range(5):
        Client().post(reverse("login"), {"username": teacher.username, "password": "wrong"}, REMOTE_ADDR="10.0.0.9")
    owner = Client()
    ask(owner, "teacher@school.test")
    found = re.search(r"http://\S+/password/reset/\S+/", str(mail.outbox[0].body))
    assert found is not None
    url = owner.get(found.group(0), follow=True).redirect_chain[-1][0]
    assert owner.post(url, {"new_password1": "Nov-parol-77", "new_password2": "Nov-parol-77"}).status_code == 302
    assert thief.get(reverse("home")).status_code == 302
    assert not UserSession.objects.filter(user=teacher).exists()
    assert lockout.account_delay(lockout.account_key(teacher.username)) is None
    event = SecurityEvent.objects.filter(kind=EventKind.PASSWORD_RESET, subject=teacher).latest("at")
    assert event.details == {"sessions_ended": 1}
    assert owner.post(reverse("login"), {"username": teacher.username, "password": "Nov-parol-77"}).status_code == 302

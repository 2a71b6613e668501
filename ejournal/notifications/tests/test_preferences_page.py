"""The settings page: save choices, refuse bad input with a Russian message, Telegram code, the service worker."""

from __future__ import annotations

from django.urls import reverse

from ejournal.core.errors import Conflict, NotFound, ValidationFailed
from ejournal.notifications import services
from ejournal.notifications.models import Preferences

URL = reverse("notifications:preferences")

VALID = {
    "channels": ["email"],
    "events": ["mark", "homework"],
    "quiet_start": "21:30",
    "quiet_end": "07:00",
    "average_threshold": "3,5",
    "digest": "daily",
    "digest_hour": "20",
    "digest_weekday": "6",
}


def test_parent_saves_choices(client, journal):
    client.force_login(journal.s.parent)
    assert client.get(URL).status_code == 200
    r = client.post(URL, VALID)
    assert r.status_code == 302
    p = Preferences.objects.get(user=journal.s.parent)
    assert (p.channels, p.events, str(p.quiet_start), str(p.average_threshold), p.digest, p.digest_hour) == (
        ["email"],
        ["mark", "homework"],
        "21:30:00",
        "3.50",
        "daily",
        20,
    )


def test_half_quiet_hours_and_threshold_out_of_range_are_refused(client, journal):
    client.force_login(journal.s.parent)
    r = client.post(URL, {**VALID, "quiet_end": "", "average_threshold": "7"})
    assert r.status_code == 200
    html = r.content.decode()
    assert "Укажите и начало, и конец тихих часов" in html
    assert "значение меньше либо равно 5" in html
    assert not Preferences.objects.exists()


def test_telegram_code_is_shown_once_asked(client, journal, settings):
    settings.TELEGRAM_BOT_TOKEN, settings.TELEGRAM_BOT_USERNAME = "1:x", "school_bot"
    client.force_login(journal.s.parent)
    r = client.post(URL, {"action": "telegram_code"})
    code = Preferences.objects.get(user=journal.s.parent).telegram_code
    assert len(code) >= 12 and f"https://t.me/school_bot?start={code}" in r.content.decode()


def test_anonymous_goes_to_login_and_region_person_gets_404(client, db, django_user_model):
    assert client.get(URL).status_code == 302
    client.force_login(django_user_model.objects.create(username="region"))
    assert client.get(URL).status_code == 404


def test_service_worker_is_served_under_its_scope(client, db):
    r = client.get(reverse("notifications:service_worker"))
    assert r.status_code == 200 and r["Content-Type"].startswith("text/javascript")
    assert b"showNotification" in r.content and b"notificationclick" in r.content


def test_a_refusal_of_the_service_shows_on_the_form_and_not_found_stays_a_404(client, journal, monkeypatch):
    """Only ValidationFailed used to reach the form (any other refusal was the bare error page), and always
    above it; now every refusal is on the form (core.refusals.refused), at its field when the form shows one."""
    client.force_login(journal.s.parent)

    def refuse(error):
        def save_preferences(**kwargs):
            raise error

        monkeypatch.setattr(services, "save_preferences", save_preferences)
        return client.post(URL, VALID)

    busy = refuse(Conflict("Настройки изменили в другой вкладке: обновите страницу."))
    assert busy.status_code == 409 and "изменили в другой вкладке" in busy.content.decode()
    assert 'id="nt-prefs"' in busy.content.decode()  # the form again, not the error page
    at_field = refuse(ValidationFailed("Неизвестный канал «sms».", field="channels"))
    assert at_field.status_code == 422 and "Неизвестный канал «sms»." in at_field.content.decode()
    assert refuse(NotFound()).status_code == 404

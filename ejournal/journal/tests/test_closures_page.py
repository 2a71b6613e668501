"""journal:closures: the deputy closes and reopens periods; nobody else sees the page."""

from __future__ import annotations

from django.urls import reverse

from ejournal.core.errors import Conflict, NotFound
from ejournal.journal import periods
from ejournal.journal.models import PeriodClosure


def test_deputy_closes_for_a_class_and_the_school_and_reopens(client, journal):
    s = journal.s
    client.force_login(s.deputy)
    page = client.get(reverse("journal:closures"))
    assert page.status_code == 200 and "1 четверть" in page.content.decode()
    response = client.post(
        reverse("journal:closures"), {"period": journal.q1.pk, "class_group": s.class_5a.pk, "action": "close"}
    )
    assert response.status_code == 302
    assert PeriodClosure.objects.filter(period=journal.q1, class_group=s.class_5a).exists()
    client.post(reverse("journal:closures"), {"period": journal.q1.pk, "action": "close"})
    assert PeriodClosure.objects.get(period=journal.q1).class_group is None
    refused = client.post(reverse("journal:closures"), {"period": journal.q1.pk, "action": "reopen"}, follow=True)
    assert "причин" in refused.content.decode()
    client.post(reverse("journal:closures"), {"period": journal.q1.pk, "action": "reopen", "reason": "исправление"})
    assert not PeriodClosure.objects.exists()


def test_others_get_404(client, journal, other_school):
    s = journal.s
    for user in (s.teacher, s.class_teacher, s.director, s.students_5a[0], s.parent):
        client.force_login(user)
        assert client.get(reverse("journal:closures")).status_code == 404
        assert client.post(reverse("journal:closures"), {"period": journal.q1.pk}).status_code == 404
    client.force_login(other_school.deputy)
    assert client.post(reverse("journal:closures"), {"period": journal.q1.pk}).status_code == 404
    assert not PeriodClosure.objects.exists()


def test_a_refusal_shows_above_the_list_and_not_found_stays_a_404(client, journal, monkeypatch):
    """The page showed only ValidationFailed; any other refusal of the service was the bare error page."""

    def busy(**kwargs):
        raise Conflict("Период закрывает другой заместитель: обновите страницу.")

    client.force_login(journal.s.deputy)
    monkeypatch.setattr(periods, "close_period", busy)
    shown = client.post(reverse("journal:closures"), {"period": journal.q1.pk, "action": "close"}, follow=True)
    assert shown.status_code == 200 and "закрывает другой заместитель" in shown.content.decode()

    def missing(**kwargs):
        raise NotFound()

    monkeypatch.setattr(periods, "close_period", missing)
    assert client.post(reverse("journal:closures"), {"period": journal.q1.pk, "action": "close"}).status_code == 404
    assert not PeriodClosure.objects.exists()

"""The one-time ESIA link code: issued by the administrator or the class teacher, shown once, used once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from ejournal.accounts.auth import linking
from ejournal.accounts.auth.oidc import Identity
from ejournal.accounts.models import ExternalIdentity, LinkCode
from ejournal.audit.models import EventKind, SecurityEvent


def issue(client, actor, person):
    client.force_login(actor)
    return client.post(reverse("link_code_issue", args=[person.pk]))


@pytest.mark.parametrize("who", ["admin", "class_teacher"])
def test_admin_and_class_teacher_issue_a_code_shown_once(client, small_school, who):
    student = small_school.students_5a[1]
    page = issue(client, getattr(small_school, who), student)
    body = page.content.decode()
    assert page.status_code == 200 and "Код:" in body
    code = body.split("data-code>")[1].split("<")[0]
    assert len(code) == 14 and code not in LinkCode.objects.get().code_hash
    assert SecurityEvent.objects.filter(kind=EventKind.CREDENTIALS_ISSUED, subject=student).count() == 1
    assert "Код:" not in client.get(reverse("link_code_issue", args=[student.pk])).content.decode()


@pytest.mark.parametrize("who", ["teacher", "teacher2", "director"])
def test_others_get_404(client, small_school, who):
    assert issue(client, getattr(small_school, who), small_school.students_5a[1]).status_code == 404
    assert not LinkCode.objects.exists()


def test_class_teacher_of_another_class_gets_404(client, small_school):
    assert issue(client, small_school.class_teacher, small_school.students_10a[0]).status_code == 404


def test_other_schools_admin_gets_404(client, small_school, other_school):
    assert issue(client, other_school.admin, small_school.students_5a[0]).status_code == 404


def test_anonymous_is_sent_to_login(client, small_school):
    assert client.get(reverse("link_code_issue", args=[small_school.teacher.pk])).status_code == 302


def test_code_links_once_and_a_new_code_replaces_the_old(small_school):
    student = small_school.students_5a[0]
    old = linking.issue_link_code(actor=small_school.admin, person=student)
    code = linking.issue_link_code(actor=small_school.admin, person=student)
    identity = Identity(provider="esia", subject="1000")
    assert linking.redeem_link_code(identity=identity, code=old, request=None) is None
    assert linking.redeem_link_code(identity=identity, code=code, request=None) == student
    other = Identity(provider="esia", subject="2000")
    assert linking.redeem_link_code(identity=other, code=code, request=None) is None
    assert ExternalIdentity.objects.get().subject == "1000"


def test_expired_code_does_not_link(small_school):
    code = linking.issue_link_code(actor=small_school.admin, person=small_school.teacher)
    LinkCode.objects.update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    assert linking.redeem_link_code(identity=Identity("esia", "1"), code=code, request=None) is None


def test_snils_matching_two_people_links_nobody(small_school):
    for person in (small_school.teacher, small_school.teacher2):
        person.snils = "112-233-445 95"
        person.save()
    identity = Identity(provider="esia", subject="77", claims={"snils": "11223344595"})
    assert linking.find_or_link(identity, None) is None
    assert not ExternalIdentity.objects.exists()

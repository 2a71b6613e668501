"""Usage counting (middleware + batched writes) and the usage figures, computed by hand for a small school."""

import datetime as dt

import pytest
from django.utils import timezone

from ejournal.audit import usage
from ejournal.audit.models import EventKind, UsageDay
from ejournal.audit.selectors import usage_overview
from ejournal.audit.services import record
from ejournal.schools.models import Enrolment

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 10, 5)


@pytest.fixture(autouse=True)
def empty_buffer():
    usage._pending.clear()
    yield
    usage._pending.clear()


def test_requests_are_counted_by_part_and_written_in_one_batch(client, small_school):
    parent = small_school.parent
    client.force_login(parent)
    client.get("/diary/", follow=True)
    client.get(f"/diary/{small_school.students_5a[0].pk}/")
    assert not UsageDay.objects.exists()  # nothing written per request
    assert usage.flush() >= 1
    diary = UsageDay.objects.get(user=parent, section="diary", date=timezone.localdate())
    assert diary.requests == 3  # the redirect, the week it led to, the week again
    assert diary.school_id == small_school.school.pk


def test_flush_adds_to_the_rows_already_written(small_school):
    key = {"school_id": small_school.school.pk, "user_id": small_school.teacher.pk, "day": DAY, "section": "journal"}
    usage.count(**key)
    usage.flush()
    usage.count(**key)
    usage.count(**key)
    usage.flush()
    assert UsageDay.objects.get(user=small_school.teacher, date=DAY, section="journal").requests == 3


def test_anonymous_requests_are_not_counted(client, small_school):
    client.get("/accounts/login/")
    assert usage.flush() == 0


def _used(school, user, day, section, requests=1):
    UsageDay.objects.create(school=school.school, user=user, date=day, section=section, requests=requests)


def test_figures_by_role_class_and_idle_teachers(small_school):
    s = small_school
    _used(s, s.parent, DAY, "diary", 4)
    _used(s, s.parent, DAY + dt.timedelta(days=1), "diary", 2)
    _used(s, s.students_5a[1], DAY, "diary")
    _used(s, s.teacher, DAY, "journal", 10)
    _used(s, s.teacher, DAY, "diary", 1)  # the same day in another part: one working day
    _used(s, s.teacher2, DAY - dt.timedelta(days=40), "journal")  # before the range
    record(kind=EventKind.LOGIN, summary="Вход", actor=s.teacher)
    s.teacher.last_login = timezone.now()
    s.teacher.save(update_fields=["last_login"])

    overview = usage_overview(school=s.school, start=DAY - dt.timedelta(days=3), end=timezone.localdate(), idle_days=14)

    by_role = {r.role: r for r in overview.by_role}
    assert (by_role["teacher"].people, by_role["teacher"].active, by_role["teacher"].requests) == (3, 1, 11)
    assert by_role["teacher"].logins == 1
    assert (by_role["parent"].people, by_role["parent"].active, by_role["parent"].share) == (1, 1, 100.0)
    assert (by_role["student"].people, by_role["student"].active) == (10, 1)
    by_class = {c.class_name: c for c in overview.by_class}
    assert (by_class["5А"].students, by_class["5А"].students_active, by_class["5А"].students_share) == (5, 1, 20.0)
    assert (by_class["5А"].parents, by_class["5А"].parents_opened_diary) == (1, 1)
    assert (by_class["10А"].parents, by_class["10А"].parents_share) == (0, None)  # no parents: no share
    assert overview.parents == (1, 1)
    people = {p.user_id: p for p in overview.people}
    assert (people[s.parent.pk].active_days, people[s.parent.pk].diary_days, people[s.parent.pk].requests) == (2, 2, 6)
    assert people[s.parent.pk].class_names == ("5А",)
    assert people[s.teacher.pk].active_days == 1
    # Teachers who have not logged in for 14 days (or never): all but the one who just did.
    assert {p.user_id for p in overview.idle_teachers} == {s.teacher2.pk, s.class_teacher.pk}


def test_a_student_who_left_before_the_range_is_not_counted_in_the_class(small_school):
    s = small_school
    Enrolment.objects.filter(student=s.students_5a[4]).update(end=dt.date(2026, 9, 10))
    overview = usage_overview(school=s.school, start=DAY, end=DAY)
    assert {c.class_name: c.students for c in overview.by_class}["5А"] == 4


def test_an_empty_school_has_no_shares_and_no_division_by_zero(other_school):
    overview = usage_overview(school=other_school.school, start=DAY, end=DAY)
    assert all(r.active == 0 for r in overview.by_role)
    assert {c.class_name: c.parents_share for c in overview.by_class}["10А"] is None


def test_the_figures_take_a_fixed_number_of_queries(small_school, other_school, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        usage_overview(school=small_school.school, start=DAY, end=DAY)

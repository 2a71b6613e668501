"""The demo generator: deterministic, and its school obeys the rules of the journal.

One small school (grades 1, 5 and 10, two classes each, six students a class) is generated twice with the
same seed for the whole module: the second as another school of the same database. Generating once per
module keeps the module fast; every test reads only.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from functools import partial
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Q

from ejournal.accounts.models import Role, User
from ejournal.curriculum.models import Lesson, LessonOrigin, LessonStatus, PlannedTopic, TimetableSlot
from ejournal.curriculum.services import Calendar
from ejournal.demo.generator import DEMO_PASSWORD, DemoResult, generate
from ejournal.journal.models import Attendance, AttendanceCode, Homework, Mark
from ejournal.schools.models import Enrolment, School, SubgroupMember

TODAY = dt.date(2026, 11, 20)


def small(seed: int) -> DemoResult:
    """Grades 1, 5 and 10, two classes each (a transfer needs two), six students a class."""
    return generate(seed, grades=(1, 5, 10), classes_per_parallel=2, students_per_class=6, today=TODAY)


pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Two schools from seed 7, kept for the module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        first = small(7)
        second = small(7)
        yield first, second
        transaction.set_rollback(True)


def _login(user_login: str) -> str:
    return user_login.split(".", 1)[1] if user_login.startswith("s") and user_login[1:2].isdigit() else user_login


def fingerprint(result: DemoResult) -> dict[str, list[tuple[object, ...]]]:
    """The school with every database id replaced by names: equal for two generations from one seed."""
    school = result.school
    people = sorted(
        (_login(u), last, first, middle, str(birth))
        for u, last, first, middle, birth in User.objects.filter(school=school).values_list(
            "username", "last_name", "first_name", "middle_name", "birth_date"
        )
    )
    lesson = (
        "lesson__date",
        "lesson__number",
        "lesson__class_group__grade",
        "lesson__class_group__letter",
        "lesson__subject__name",
        "lesson__subgroup__name",
    )
    student = ("student__last_name", "student__first_name", "student__middle_name")
    marks = Mark.objects.filter(school=school).values_list(*lesson, *student, "position", "value", "kind__code")
    absences = Attendance.objects.filter(school=school).values_list(*lesson, *student, "code")
    homework = Homework.objects.filter(school=school).values_list(*lesson, "text", "due_date")
    slots = TimetableSlot.objects.filter(school=school).values_list(
        "weekday",
        "number",
        "room",
        "assignment__class_group__grade",
        "assignment__class_group__letter",
        "assignment__subject__name",
        "assignment__teacher__last_name",
    )
    topics = Lesson.objects.filter(school=school).values_list("date", "number", "class_group__grade", "topic")
    return {
        "people": people,
        "marks": sorted(marks),
        "absences": sorted(absences),
        "homework": sorted(homework),
        "slots": sorted(slots),
        "topics": sorted(topics),
    }


def test_same_seed_gives_the_same_school(demo):
    first, second = demo
    a, b = fingerprint(first), fingerprint(second)
    assert a["marks"] and a["absences"] and a["homework"]
    for key in a:
        assert a[key] == b[key], key
    assert first.counts == second.counts


def test_second_school_logins_carry_its_number(demo):
    first, second = demo
    assert first.users["admin"].username == "admin"
    assert second.users["admin"].username == "s2.admin"
    logins = list(User.objects.values_list("username", flat=True))
    assert len(logins) == len(set(logins))


def test_everyone_has_the_demo_password_and_nobody_of_the_school_is_django_staff(demo):
    first, _ = demo
    admin = first.users["admin"]
    assert admin.has_role(Role.ADMIN)
    # The Django admin is the operators' (createoperator); a school's administrator never gets it (issue 13).
    assert not User.objects.filter(school=first.school).filter(Q(is_staff=True) | Q(is_superuser=True)).exists()
    for user in first.users.values():
        assert user.check_password(DEMO_PASSWORD)
    hashes = set(User.objects.filter(school=first.school).values_list("password", flat=True))
    assert len(hashes) == 1


def test_no_teacher_and_no_class_in_two_places_at_once(demo):
    first, _ = demo
    rows = Lesson.objects.filter(school=first.school, status=LessonStatus.PLANNED).values_list(
        "teacher_id", "substitute_id", "class_group_id", "subgroup_id", "date", "number"
    )
    givers: Counter[tuple[object, ...]] = Counter()
    groups: dict[tuple[object, ...], list[int | None]] = defaultdict(list)
    for teacher, substitute, class_group, subgroup, day, number in rows:
        givers[(substitute or teacher, day, number)] += 1
        groups[(class_group, day, number)].append(subgroup)
    assert max(givers.values()) == 1
    for subgroups in groups.values():
        assert len(subgroups) == 1 or (None not in subgroups and len(set(subgroups)) == len(subgroups))


def test_class_days_are_compact_from_the_first_lesson(demo):
    first, _ = demo
    numbers: dict[tuple[int, int], set[int]] = defaultdict(set)
    for class_group, weekday, number in TimetableSlot.objects.filter(school=first.school).values_list(
        "assignment__class_group_id", "weekday", "number"
    ):
        numbers[(class_group, weekday)].add(number)
    for taken in numbers.values():
        assert taken == set(range(1, max(taken) + 1))


def test_no_lessons_on_holidays_weekends_or_outside_periods(demo):
    first, _ = demo
    calendar = Calendar.of(first.year)
    for day, grade in set(Lesson.objects.filter(school=first.school).values_list("date", "class_group__grade")):
        assert day.isoweekday() <= 5
        assert calendar.is_school_day(day, grade), (day, grade)


def test_grade_one_gets_no_marks_and_nothing_is_marked_after_today(demo):
    first, _ = demo
    marks = Mark.objects.filter(school=first.school)
    assert marks.exists()
    assert not marks.filter(lesson__class_group__grade=1).exists()
    assert not marks.filter(lesson__date__gt=TODAY).exists()
    assert not Attendance.objects.filter(school=first.school, lesson__date__gt=TODAY).exists()
    assert not marks.filter(lesson__status=LessonStatus.CANCELLED).exists()
    latest = max(marks.values_list("created_at", flat=True))
    assert latest.date() <= TODAY + dt.timedelta(days=1)  # local evening of today is the next day in UTC at most


def test_mark_values_and_attendance_codes_are_valid(demo):
    first, _ = demo
    values = Counter(Mark.objects.filter(school=first.school).values_list("value", flat=True))
    assert set(values) <= {"1", "2", "3", "4", "5"}
    assert values["4"] + values["5"] > values["2"] + values["1"]
    codes = set(Attendance.objects.filter(school=first.school).values_list("code", flat=True))
    assert codes <= set(AttendanceCode.values)
    assert "б" in codes


def test_marks_only_for_students_enrolled_and_present(demo):
    first, _ = demo
    school = first.school
    enrolments = defaultdict(list)
    for student, class_group, start, end in Enrolment.objects.filter(school=school).values_list(
        "student_id", "class_group_id", "start", "end"
    ):
        enrolments[student].append((class_group, start, end))
    members = set(SubgroupMember.objects.filter(school=school).values_list("subgroup_id", "student_id"))
    moved = first.changes.transferred_student_id
    absent = {
        (lesson, student)
        for lesson, student, code in Attendance.objects.filter(school=school).values_list(
            "lesson_id", "student_id", "code"
        )
        if code != "оп"
    }
    rows = Mark.objects.filter(school=school).values_list(
        "lesson_id", "student_id", "lesson__class_group_id", "lesson__subgroup_id", "lesson__date"
    )
    for lesson, student, class_group, subgroup, day in rows:
        assert any(
            cg == class_group and start <= day and (end is None or day <= end) for cg, start, end in enrolments[student]
        )
        if subgroup and student != moved:
            assert (subgroup, student) in members
        assert (lesson, student) not in absent


def test_transferred_student_is_in_each_class_only_while_enrolled(demo):
    first, _ = demo
    changes = first.changes
    assert changes.transferred_student_id and changes.transfer_day
    student = changes.transferred_student_id
    records = list(
        Mark.objects.filter(student_id=student).values_list("lesson__class_group_id", "lesson__date")
    ) + list(Attendance.objects.filter(student_id=student).values_list("lesson__class_group_id", "lesson__date"))
    assert records
    for class_group, day in records:
        if class_group == changes.transfer_from_class_id:
            assert day < changes.transfer_day
        else:
            assert class_group == changes.transfer_to_class_id and day >= changes.transfer_day
    assert {cg for cg, _ in records} == {changes.transfer_from_class_id, changes.transfer_to_class_id}


def test_replacement_cancellation_and_extra_lesson(demo):
    first, _ = demo
    changes = first.changes
    substituted = Lesson.objects.filter(pk__in=changes.substituted_lesson_ids)
    assert substituted.count() >= 2
    for lesson in substituted:
        assert lesson.substitute_id and lesson.substitute_id != lesson.teacher_id
        assert set(Mark.objects.filter(lesson=lesson).values_list("created_by_id", flat=True)) <= {lesson.substitute_id}
    cancelled = Lesson.objects.get(pk=changes.cancelled_lesson_id)
    assert cancelled.status == LessonStatus.CANCELLED and cancelled.topic == ""
    assert not Mark.objects.filter(lesson=cancelled).exists()
    assert not Attendance.objects.filter(lesson=cancelled).exists()
    extra = Lesson.objects.get(pk=changes.extra_lesson_id)
    assert extra.origin == LessonOrigin.EXTRA and extra.assignment_id == cancelled.assignment_id
    assert extra.date > cancelled.date


def test_topics_follow_the_plan_and_homework_is_due_next_lesson(demo):
    first, _ = demo
    school = first.school
    past = Lesson.objects.filter(school=school, date__lte=TODAY, status=LessonStatus.PLANNED)
    assert not past.filter(topic="").exists()
    assert not Lesson.objects.filter(school=school, date__gt=TODAY).exclude(topic="").exists()
    for lesson in past.select_related("planned_topic")[:200]:
        assert lesson.planned_topic is not None and lesson.planned_topic.title == lesson.topic
    assert (
        PlannedTopic.objects.filter(school=school).count()
        == Lesson.objects.filter(school=school).exclude(status=LessonStatus.CANCELLED).count()
    )
    lessons = past.count()
    homework = Homework.objects.filter(school=school)
    assert 0.5 < homework.count() / lessons < 0.9
    assert not homework.filter(lesson__class_group__grade=1).exists()
    for item in homework.select_related("lesson")[:100]:
        later = (
            Lesson.objects.filter(assignment_id=item.lesson.assignment_id, date__gt=item.lesson.date)
            .exclude(status=LessonStatus.CANCELLED)
            .order_by("date")
            .values_list("date", flat=True)
            .first()
        )
        assert item.due_date == later


def test_demo_if_empty_does_nothing_when_a_school_exists(demo):
    schools = School.objects.count()
    out = StringIO()
    call_command("demo", "--if-empty", stdout=out)
    assert "уже есть" in out.getvalue()
    assert School.objects.count() == schools


def test_demo_logins_prints_every_role_and_the_password(demo):
    out = StringIO()
    call_command("demo_logins", stdout=out)
    text = out.getvalue()
    assert DEMO_PASSWORD in text
    for label in ("администратор", "директор", "завуч", "учитель", "классный руководитель", "ученик", "родитель"):
        assert label in text
    assert "admin" in text and "пароль изменён" not in text
    assert "/admin/" not in text  # the operator's account is never among the demo logins


@pytest.mark.django_db
def test_demo_builds_a_municipality_of_schools_with_their_own_logins(monkeypatch):
    from ejournal.demo.management.commands import demo as command
    from ejournal.demo.municipality import generate_municipality

    # One parallel per school keeps the test short; the full size is the benchmark's (bench.generate).
    monkeypatch.setattr(command, "generate_municipality", partial(generate_municipality, grades=[5]))
    schools = School.objects.count()  # the module's demo school may already be there
    out = StringIO()
    call_command(
        "demo",
        "--schools",
        "2",
        "--classes-per-parallel",
        "1",
        "--students-per-class",
        "2",
        "--today",
        "2026-09-08",
        stdout=out,
    )
    assert "школ 2" in out.getvalue()
    assert School.objects.count() == schools + 2
    assert User.objects.filter(username__endswith="admin").count() >= 2
    assert User.objects.filter(username="s2.admin").exists()

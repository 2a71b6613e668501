"""The diary week: who may open whose diary, what a day shows, and a query count that does not grow."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from ejournal.accounts import services as people
from ejournal.curriculum import services as curriculum
from ejournal.curriculum.models import Lesson, LessonStatus
from ejournal.diary.selectors import diary_week
from ejournal.journal.models import Attendance, Homework, HomeworkAttachment, Mark, MarkKind
from ejournal.schools.models import Enrolment, Subgroup, SubgroupMember

MONDAY = dt.date(2026, 11, 30)


def lesson(s, assignment, day, number, **extra):
    return Lesson.objects.create(
        school=s.school,
        assignment=assignment,
        class_group=assignment.class_group,
        subgroup=assignment.subgroup,
        subject=assignment.subject,
        teacher=assignment.teacher,
        date=day,
        number=number,
        **extra,
    )


def kind(s, code="test", name="Контрольная работа", weight="2.00"):
    return MarkKind.objects.create(school=s.school, code=code, name=name, weight=Decimal(weight))


def mark(s, lesson_obj, student, value, mark_kind, position=0):
    now = timezone.now()
    return Mark.objects.create(
        school=s.school,
        lesson=lesson_obj,
        student=student,
        position=position,
        value=value,
        kind=mark_kind,
        created_by=lesson_obj.teacher,
        created_at=now,
        updated_at=now,
    )


@pytest.fixture
def week(small_school, monkeypatch):
    """Monday: math (mark 5 for the parent's child, 3 for another student, an absence), Tuesday: Russian
    with homework and a file, Wednesday: a cancelled lesson and a substituted one."""
    s = small_school
    monkeypatch.setattr("ejournal.diary.inputs.school_today", lambda tz: MONDAY + dt.timedelta(days=2))
    control = kind(s)
    child, other = s.students_5a[0], s.students_5a[1]
    mon = lesson(s, s.math_5a, MONDAY, 2, topic="Дроби")
    mark(s, mon, child, "5", control)
    mark(s, mon, other, "3", control)
    Attendance.objects.create(
        school=s.school, lesson=mon, student=other, code="н", updated_by=s.teacher, updated_at=timezone.now()
    )
    tue = lesson(s, s.russian_5a, MONDAY + dt.timedelta(days=1), 1, topic="Причастие")
    hw = Homework.objects.create(
        school=s.school,
        lesson=tue,
        text="Упражнение 125",
        due_date=MONDAY + dt.timedelta(days=3),
        created_by=s.teacher2,
        created_at=timezone.now(),
    )
    HomeworkAttachment.objects.create(
        school=s.school,
        homework=hw,
        file="homework/1/2026/sheet.pdf",
        original_name="карточка.pdf",
        size=10,
        content_type="application/pdf",
        uploaded_by=s.teacher2,
        uploaded_at=timezone.now(),
    )
    wed = MONDAY + dt.timedelta(days=2)
    lesson(s, s.math_5a, wed, 1, status=LessonStatus.CANCELLED)
    lesson(s, s.russian_5a, wed, 3, substitute=s.class_teacher)
    s.extra = {"hw": hw}
    return s


def url_of(student=None, day=MONDAY):
    base = reverse("diary:student_week", args=[student.pk]) if student else reverse("diary:week")
    return f"{base}?week={day:%Y-%m-%d}"


def test_student_sees_own_week_with_marks_homework_and_changes(client, week):
    s = week
    client.force_login(s.students_5a[0])
    response = client.get(url_of(day=MONDAY + dt.timedelta(days=4)))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Математика" in body and "Дроби" in body
    assert "Контрольная работа · вес 2" in body
    assert "Упражнение 125" in body and "к 03.12" in body
    attachment = s.extra["hw"].attachments.get()
    assert reverse("journal:attachment", args=[attachment.pk]) in body
    assert "урок отменён" in body and "замена" in body and s.class_teacher.short_name in body
    assert "09:00–09:40" in body  # lesson 2 rings at 9:00 in the fixture's bells
    assert '">5<small>' in body
    assert '">3<small>' not in body  # another student's mark
    assert "diary-att" not in body  # the absence is another student's
    assert "diary/diary.css" in body and "<script>" not in body  # no inline scripts: the CSP forbids them


def test_student_sees_own_attendance(client, week):
    client.force_login(week.students_5a[1])
    body = client.get(url_of()).content.decode()
    assert 'class="diary-att"' in body and ">н<" in body


def test_parent_sees_child_and_not_another(client, week):
    s = week
    client.force_login(s.parent)
    response = client.get(url_of(s.students_5a[0]))
    assert response.status_code == 200
    assert s.students_5a[0].last_name in response.content.decode()
    assert client.get(url_of(s.students_5a[1])).status_code == 404
    # /diary/ takes a parent to the first child's diary
    redirected = client.get(url_of())
    assert redirected.status_code == 302
    assert reverse("diary:student_week", args=[s.students_5a[0].pk]) in redirected["Location"]


def test_parent_of_two_children_gets_a_switcher(client, week):
    s = week
    people.link_parent(actor=s.admin, parent=s.parent, child=s.students_10a[0])
    client.force_login(s.parent)
    body = client.get(url_of(s.students_10a[0])).content.decode()
    assert "diary-children" in body and s.students_5a[0].last_name in body


@pytest.mark.parametrize("who", ["teacher", "class_teacher", "admin", "director", "deputy"])
def test_staff_have_no_diary(client, week, who):
    client.force_login(getattr(week, who))
    assert client.get(url_of(week.students_5a[0])).status_code == 404
    assert client.get(url_of()).status_code == 404


def test_student_cannot_open_classmate_diary(client, week):
    client.force_login(week.students_5a[1])
    assert client.get(url_of(week.students_5a[0])).status_code == 404


def test_other_school_parent_gets_404(client, week, other_school):
    client.force_login(other_school.parent)
    assert client.get(url_of(week.students_5a[0])).status_code == 404


def test_anonymous_is_sent_to_login(client, week):
    response = client.get(url_of(week.students_5a[0]))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_menu_item_for_students_and_parents_only(client, week):
    client.force_login(week.parent)
    assert "Дневник" in client.get(reverse("home")).content.decode()
    client.force_login(week.teacher)
    assert "Дневник" not in client.get(reverse("home")).content.decode()


def test_default_week_and_navigation_links(client, week):
    client.force_login(week.students_5a[0])
    body = client.get(reverse("diary:week")).content.decode()
    assert "Дроби" in body  # today (Wednesday) falls into the fixture's week
    assert "?week=2026-11-23" in body and "?week=2026-12-07" in body
    assert "Дроби" not in client.get(reverse("diary:week") + "?week=2026-12-07").content.decode()


def test_subgroup_lessons_only_for_members(week):
    s = week
    group = Subgroup.objects.create(school=s.school, class_group=s.class_5a, subject=s.russian, name="1 группа")
    SubgroupMember.objects.create(school=s.school, subgroup=group, student=s.students_5a[0])
    assignment = curriculum.create_assignment(
        actor=s.admin, teacher=s.teacher2, class_group=s.class_5a, subject=s.russian, subgroup=group
    )
    lesson(s, assignment, MONDAY + dt.timedelta(days=3), 5, topic="Только группа")

    def topics(student):
        return [item.topic for day in diary_week(student, MONDAY).days for item in day.lessons]

    assert "Только группа" in topics(s.students_5a[0])
    assert "Только группа" not in topics(s.students_5a[2])


def test_transfer_mid_week_shows_each_day_class(week):
    s = week
    moved = s.students_5a[1]
    Enrolment.objects.filter(student=moved).update(end=MONDAY + dt.timedelta(days=1))
    Enrolment.objects.create(
        school=s.school, student=moved, class_group=s.class_10a, start=MONDAY + dt.timedelta(days=2)
    )
    math_10a = curriculum.create_assignment(actor=s.admin, teacher=s.teacher2, class_group=s.class_10a, subject=s.math)
    lesson(s, math_10a, MONDAY, 4, topic="10А понедельник")
    lesson(s, math_10a, MONDAY + dt.timedelta(days=2), 4, topic="10А среда")

    days = diary_week(moved, MONDAY).days
    assert [d.class_name for d in days] == ["5А", "5А", "10А", "10А", "10А", "10А"]
    monday = [item.topic for item in days[0].lessons]
    wednesday = [item.topic for item in days[2].lessons]
    assert monday == ["Дроби"]
    assert wednesday == ["10А среда"]  # 5А's cancelled and substituted lessons are no longer his


def test_query_count_does_not_grow_with_lessons(week, django_assert_max_num_queries):
    s = week
    student = s.students_5a[0]
    with django_assert_max_num_queries(4):
        few = diary_week(student, MONDAY)
    assert sum(len(d.lessons) for d in few.days) == 4

    control = MarkKind.objects.get(school=s.school, code="test")
    other_monday = MONDAY + dt.timedelta(days=7)
    for offset in range(6):
        for number in range(1, 7):
            assignment = s.math_5a if number <= 3 else s.russian_5a
            item = lesson(s, assignment, other_monday + dt.timedelta(days=offset), number, topic=f"Тема {number}")
            mark(s, item, student, "4", control)
            mark(s, item, student, "5", control, position=1)
            Homework.objects.create(
                school=s.school, lesson=item, text="Задание", created_by=s.teacher, created_at=timezone.now()
            )
    with django_assert_max_num_queries(4):
        many = diary_week(student, other_monday)
        lines = [(m.value, m.kind) for d in many.days for i in d.lessons for m in i.marks]
        files = [f for d in many.days for i in d.lessons for hw in i.homework for f in hw.files]
        teachers = [i.teacher for d in many.days for i in d.lessons]
    assert len(lines) == 72 and not files and len(teachers) == 36


def test_page_query_count_is_fixed(client, week, django_assert_max_num_queries):
    client.force_login(week.parent)
    url = url_of(week.students_5a[0])
    client.get(url)
    with django_assert_max_num_queries(8):  # session, user, roles, diaries, the week's four
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("raw", ["junk", "9999-12-31", "0001-01-01"])
def test_bad_week_parameter_falls_back_to_today(client, week, raw):
    client.force_login(week.students_5a[0])
    response = client.get(reverse("diary:week") + f"?week={raw}")
    assert response.status_code == 200
    assert "Дроби" in response.content.decode()


def test_demo_week_with_its_files_is_under_100_kb(db, client, monkeypatch, django_assert_max_num_queries):
    """A full week of the demo school (its timetable, topics, marks and homework), as a parent opens it: the
    page and every static file it loads weigh under 100 KB before compression; homework files not counted."""
    import re
    from pathlib import Path

    from django.contrib.staticfiles import finders

    from ejournal.accounts.models import Guardianship, Role
    from ejournal.demo.generator import generate

    friday = dt.date(2026, 12, 18)
    result = generate(5, grades=(5,), classes_per_parallel=1, students_per_class=6, today=friday)
    monkeypatch.setattr("ejournal.diary.inputs.school_today", lambda tz: friday)
    # A parent only (some demo parents also teach: their menu reads more).
    link = (
        Guardianship.objects.filter(school=result.school)
        .exclude(parent__role_grants__role=Role.TEACHER)
        .order_by("pk")
        .first()
    )
    assert link is not None
    client.force_login(link.parent)
    url = reverse("diary:student_week", args=[link.child_id])
    client.get(url)
    with django_assert_max_num_queries(8):
        response = client.get(url)
    body = response.content.decode()
    assert body.count('class="diary-lesson') >= 20 and "Д/з" in body  # a full week, with homework
    assets = sorted(set(re.findall(r'(?:href|src)="/static/([^"]+)"', body)))
    assert "diary/diary.css" in assets and "css/app.css" in assets
    total = len(response.content) + sum(Path(str(finders.find(name))).stat().st_size for name in assets)
    assert total < 100 * 1024, (len(response.content), assets)


def test_text_from_the_journal_is_escaped(client, week):
    s = week
    Lesson.objects.filter(topic="Дроби").update(topic='<script>alert("x")</script>', room="<b>12</b>")
    Homework.objects.filter(pk=s.extra["hw"].pk).update(text="<img src=x>\nвторая строка")
    client.force_login(s.students_5a[0])
    body = client.get(url_of()).content.decode()
    assert "<script>alert" not in body and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in body
    assert "<b>12</b>" not in body and "&lt;img src=x&gt;<br>вторая строка" in body

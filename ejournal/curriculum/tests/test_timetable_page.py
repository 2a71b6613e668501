"""Расписание: the weekly grid of a class edited cell by cell, the bells, generating lessons, a teacher's week."""

from __future__ import annotations

import datetime as dt

import pytest

from ejournal.curriculum import services
from ejournal.curriculum.models import Bell, Lesson, TimetableSlot
from ejournal.schools import services as schools

from .conftest import MONDAY, as_user, url

HTMX = {"HX-Request": "true"}


def cell_url(s, class_group=None):
    return url("timetable_cell", year=s.year.pk, **{"class": (class_group or s.class_5a).pk})


@pytest.mark.parametrize("who", ["admin", "deputy", "director"])
def test_management_sees_the_grid(client, timetabled, who):
    s = timetabled
    r = as_user(client, getattr(s, who)).get(url("timetable", year=s.year.pk, **{"class": s.class_5a.pk}))
    assert r.status_code == 200
    text = r.content.decode()
    assert "5А: уроки на неделю" in text and "08:00–08:40" in text and "Пятница" in text
    assert "Суббота" not in text  # 5А studies five days a week
    if who == "director":
        assert "<strong>Математика</strong>" in text and "Учителева У., каб. 21" in text
        assert "hx-post" not in text and "Сформировать уроки" not in text
    else:
        assert 'id="cell-1-1"' in text and "hx-post" in text and "Сформировать уроки" in text


@pytest.mark.parametrize("who", ["teacher", "class_teacher", "parent"])
def test_others_get_404(client, small_school, who):
    assert as_user(client, getattr(small_school, who)).get(url("timetable")).status_code == 404


def test_student_and_anonymous(client, small_school):
    assert as_user(client, small_school.students_5a[0]).get(url("timetable")).status_code == 404
    client.logout()
    assert client.get(url("timetable")).status_code == 302


def test_saturday_column_for_a_six_day_class(client, small_school):
    s = small_school
    s.class_10a.works_on_saturday = True
    s.class_10a.save()
    text = as_user(client, s.admin).get(url("timetable", year=s.year.pk, **{"class": s.class_10a.pk})).content.decode()
    assert "Суббота" in text


def test_cell_saved_with_htmx_answers_the_cell(client, small_school):
    s = small_school
    r = as_user(client, s.deputy).post(
        cell_url(s), {"weekday": 2, "number": 3, "assignment": s.math_5a.pk, "room": "14"}, headers=HTMX
    )
    assert r.status_code == 200
    assert "<html" not in r.content.decode() and 'name="slot"' in r.content.decode()
    slot = TimetableSlot.objects.get(assignment=s.math_5a)
    assert (slot.weekday, slot.number, slot.room) == (2, 3, "14")


def test_teacher_in_two_classes_at_once_is_refused_in_the_cell(client, timetabled):
    s = timetabled
    physics = services.create_subject(actor=s.admin, name="Физика")
    physics_10a = services.create_assignment(actor=s.admin, teacher=s.teacher, class_group=s.class_10a, subject=physics)
    r = as_user(client, s.admin).post(
        cell_url(s, s.class_10a), {"weekday": 1, "number": 1, "assignment": physics_10a.pk}, headers=HTMX
    )
    assert r.status_code == 422
    text = r.content.decode()
    assert "Пн, 1-й урок: Учителева У. уже ведёт урок «Математика» в 5А." in text
    assert 'role="alert"' in text
    assert not TimetableSlot.objects.filter(assignment=physics_10a).exists()


def test_two_whole_class_lessons_in_one_cell_are_refused(client, timetabled):
    s = timetabled
    r = as_user(client, s.admin).post(
        cell_url(s), {"weekday": 1, "number": 1, "assignment": s.russian_5a.pk}, headers=HTMX
    )
    assert r.status_code == 422
    assert "у 5А уже стоит «Математика»" in r.content.decode()
    assert TimetableSlot.objects.filter(weekday=1, number=1).count() == 1


def test_two_subgroups_share_a_cell(client, small_school):
    s = small_school
    english = services.create_subject(actor=s.admin, name="Английский язык")
    groups = [
        schools.create_subgroup(actor=s.admin, class_group=s.class_5a, subject=english, name=f"{i} группа")
        for i in (1, 2)
    ]
    a1 = services.create_assignment(
        actor=s.admin, teacher=s.teacher, class_group=s.class_5a, subject=english, subgroup=groups[0]
    )
    a2 = services.create_assignment(
        actor=s.admin, teacher=s.teacher2, class_group=s.class_5a, subject=english, subgroup=groups[1]
    )
    c = as_user(client, s.admin)
    assert (
        c.post(cell_url(s), {"weekday": 4, "number": 2, "assignment": a1.pk, "room": "31"}, headers=HTMX).status_code
        == 200
    )
    r = c.post(cell_url(s), {"weekday": 4, "number": 2, "assignment": a2.pk, "room": "32"}, headers=HTMX)
    assert r.status_code == 200
    assert r.content.decode().count('name="slot"') == 2
    assert TimetableSlot.objects.filter(weekday=4, number=2).count() == 2
    # Same room for both subgroups is a conflict.
    a2_slot = TimetableSlot.objects.get(assignment=a2)
    r = c.post(
        cell_url(s), {"weekday": 4, "number": 2, "assignment": a2.pk, "room": "31", "slot": a2_slot.pk}, headers=HTMX
    )
    assert r.status_code == 422 and "кабинет 31 уже занят" in r.content.decode()
    assert TimetableSlot.objects.get(pk=a2_slot.pk).room == "32"


def test_replacing_and_clearing_a_slot(client, timetabled):
    s = timetabled
    c = as_user(client, s.admin)
    slot = TimetableSlot.objects.get(assignment=s.math_5a, weekday=1, number=1)
    r = c.post(cell_url(s), {"weekday": 1, "number": 1, "assignment": s.russian_5a.pk, "slot": slot.pk}, headers=HTMX)
    assert r.status_code == 200
    assert not TimetableSlot.objects.filter(pk=slot.pk).exists()
    new = TimetableSlot.objects.get(weekday=1, number=1)
    assert new.assignment == s.russian_5a
    r = c.post(cell_url(s), {"weekday": 1, "number": 1, "assignment": "", "slot": new.pk}, headers=HTMX)
    assert r.status_code == 200
    assert not TimetableSlot.objects.filter(weekday=1, number=1).exists()


def test_a_refused_replacement_keeps_the_old_slot(client, timetabled):
    s = timetabled
    physics = services.create_subject(actor=s.admin, name="Физика")
    physics_10a = services.create_assignment(
        actor=s.admin, teacher=s.teacher2, class_group=s.class_10a, subject=physics
    )
    services.set_slot(actor=s.admin, year=s.year, assignment=physics_10a, weekday=3, number=2)
    slot = TimetableSlot.objects.get(assignment=s.math_5a, weekday=3, number=2)
    # Педагогов is in 10А at that time: the swap fails and math stays where it was.
    r = as_user(client, s.admin).post(
        cell_url(s), {"weekday": 3, "number": 2, "assignment": s.russian_5a.pk, "slot": slot.pk}, headers=HTMX
    )
    assert r.status_code == 422
    assert TimetableSlot.objects.filter(pk=slot.pk, assignment=s.math_5a).exists()


def test_cell_without_htmx_redirects_or_shows_the_page(client, timetabled):
    s = timetabled
    c = as_user(client, s.admin)
    r = c.post(cell_url(s), {"weekday": 5, "number": 4, "assignment": s.math_5a.pk})
    assert r.status_code == 302
    r = c.post(cell_url(s), {"weekday": 5, "number": 4, "assignment": s.russian_5a.pk})
    assert r.status_code == 422 and "<html" in r.content.decode() and "уже стоит «Математика»" in r.content.decode()


def test_cell_of_another_class_assignment_or_number_is_refused(client, timetabled):
    s = timetabled
    c = as_user(client, s.admin)
    r = c.post(cell_url(s, s.class_10a), {"weekday": 2, "number": 1, "assignment": s.math_5a.pk}, headers=HTMX)
    assert r.status_code == 422
    r = c.post(cell_url(s), {"weekday": 2, "number": 9, "assignment": s.math_5a.pk}, headers=HTMX)
    assert r.status_code == 422 and "В расписании звонков нет 9-го урока." in r.content.decode()
    r = c.post(cell_url(s), {"weekday": 6, "number": 1, "assignment": s.math_5a.pk}, headers=HTMX)
    assert r.status_code == 422 and "в субботу уроков нет" in r.content.decode()
    assert TimetableSlot.objects.count() == 3


def test_cell_denied_to_director_teacher_and_foreign_admin(client, timetabled, other_school):
    s = timetabled
    data = {"weekday": 2, "number": 1, "assignment": s.math_5a.pk}
    for user in (s.director, s.teacher, other_school.admin):
        client.force_login(user)
        assert client.post(cell_url(s), data, headers=HTMX).status_code == 404
    assert TimetableSlot.objects.filter(school=s.school).count() == 3


def test_bells_editor(client, small_school):
    s = small_school
    c = as_user(client, s.admin)
    data = {
        "number-0": "1",
        "start-0": "08:30",
        "end-0": "09:10",
        "number-1": "2",
        "start-1": "09:20",
        "end-1": "10:00",
    }
    for i in range(2, 7):
        data.update({f"number-{i}": str(i + 1), f"start-{i}": f"{10 + i}:00", f"end-{i}": f"{10 + i}:40"})
    r = c.post(url("bells", year=s.year.pk), data)
    assert r.status_code == 302
    assert Bell.objects.get(school=s.school, number=1).starts_at == dt.time(8, 30)
    # Overlapping lessons save nothing.
    bad = dict(data, **{"end-0": "09:30"})
    r = c.post(url("bells", year=s.year.pk), bad)
    assert r.status_code == 422 and "Урок 2 начинается раньше, чем кончается урок 1." in r.content.decode()
    assert Bell.objects.get(school=s.school, number=1).ends_at == dt.time(9, 10)


def test_bell_in_use_cannot_be_removed(client, timetabled):
    s = timetabled
    data = {"number-0": "1", "start-0": "08:00", "end-0": "08:40"}  # drops lesson 2, used by the grid
    r = as_user(client, s.admin).post(url("bells", year=s.year.pk), data)
    assert r.status_code == 422 and "Урок 2 убрать нельзя" in r.content.decode()
    assert Bell.objects.filter(school=s.school).count() == 7


def test_bells_denied(client, small_school, other_school):
    data = {"number-0": "1", "start-0": "08:00", "end-0": "08:40"}
    for user in (small_school.director, small_school.teacher):
        client.force_login(user)
        assert client.post(url("bells", year=small_school.year.pk), data).status_code == 404
    client.force_login(other_school.admin)
    assert client.post(url("bells", year=small_school.year.pk), data).status_code == 404
    assert Bell.objects.filter(school=small_school.school).count() == 7


def test_generate_button_shows_counts(client, small_school):
    s = small_school
    services.set_slot(actor=s.admin, year=s.year, assignment=s.math_5a, weekday=1, number=1)
    c = as_user(client, s.deputy)
    r = c.post(url("generate", year=s.year.pk), {}, follow=True)
    created = Lesson.objects.filter(assignment=s.math_5a).count()
    assert created > 25
    assert f"создано {created}, удалено 0, оставлено без изменений 0" in r.content.decode()
    r = c.post(url("generate", year=s.year.pk), {"class_group": s.class_5a.pk, "since": "2027-01-01"}, follow=True)
    assert "5А с 01.01.2027): создано 0, удалено 0" in r.content.decode()


def test_generate_denied(client, small_school, other_school):
    s = small_school
    services.set_slot(actor=s.admin, year=s.year, assignment=s.math_5a, weekday=1, number=1)
    for user in (s.director, s.teacher, other_school.admin):
        client.force_login(user)
        assert client.post(url("generate", year=s.year.pk), {}).status_code == 404
    assert not Lesson.objects.exists()


def test_teacher_sees_own_week_with_replacements(client, timetabled):
    s = timetabled
    monday_lesson = Lesson.objects.get(assignment=s.russian_5a, date=MONDAY)
    services.replace_teacher(actor=s.admin, lesson=monday_lesson, substitute=s.teacher)
    r = as_user(client, s.teacher).get(url("teacher_week", week=MONDAY.isoformat()))
    assert r.status_code == 200
    text = r.content.decode()
    assert "Неделя с 07.09.2026" in text and "вместо Педагогов П." in text
    assert "Уроков на неделе: <strong>3</strong>" in text  # Mon 1 and Wed 2 math, Mon 2 Russian for Педагогов
    # The replaced teacher sees the lesson as given by someone else.
    text = as_user(client, s.teacher2).get(url("teacher_week", week=MONDAY.isoformat())).content.decode()
    assert "ведёт Учителева У." in text and "Уроков на неделе: <strong>0</strong>" in text


def test_teacher_cannot_open_another_teachers_week(client, timetabled, other_school):
    s = timetabled
    c = as_user(client, s.teacher)
    assert c.get(url("teacher_week", teacher=s.teacher2.pk)).status_code == 404
    client.force_login(other_school.admin)
    assert client.get(url("teacher_week", teacher=s.teacher.pk)).status_code == 404


def test_management_opens_any_teachers_week(client, timetabled):
    s = timetabled
    for who in (s.admin, s.director):
        client.force_login(who)
        r = client.get(url("teacher_week", teacher=s.teacher.pk, week="2026-09-09"))
        assert r.status_code == 200 and "Учителева Ульяна" in r.content.decode()
    r = client.get(url("teacher_week"))
    assert r.status_code == 200 and "Показать" in r.content.decode()


def test_students_and_parents_have_no_teacher_week(client, timetabled):
    s = timetabled
    for who in (s.students_5a[0], s.parent):
        client.force_login(who)
        assert client.get(url("teacher_week")).status_code == 404
        assert client.get(url("teacher_week", teacher=s.teacher.pk)).status_code == 404


def test_grid_queries_do_not_grow(client, small_school, django_assert_max_num_queries):
    s = small_school
    c = as_user(client, s.admin)
    page = url("timetable", year=s.year.pk, **{"class": s.class_5a.pk})
    with django_assert_max_num_queries(20) as few:
        c.get(page)
    for i in range(5):
        subject = services.create_subject(actor=s.admin, name=f"Предмет {i}")
        teacher = s.person(f"Учитель{i}", "Тест", "teacher")
        a = services.create_assignment(actor=s.admin, teacher=teacher, class_group=s.class_5a, subject=subject)
        for day in range(1, 6):
            services.set_slot(actor=s.admin, year=s.year, assignment=a, weekday=day, number=i + 1)
    with django_assert_max_num_queries(len(few.captured_queries)):
        c.get(page)


def test_teacher_week_queries_do_not_grow(client, timetabled, django_assert_max_num_queries):
    s = timetabled
    c = as_user(client, s.teacher)
    page = url("teacher_week", week=MONDAY.isoformat())
    with django_assert_max_num_queries(12) as few:
        c.get(page)
    physics = services.create_subject(actor=s.admin, name="Физика")
    a = services.create_assignment(actor=s.admin, teacher=s.teacher, class_group=s.class_10a, subject=physics)
    for day in range(1, 6):
        services.set_slot(actor=s.admin, year=s.year, assignment=a, weekday=day, number=5)
    services.generate_lessons(actor=s.admin, year=s.year)
    with django_assert_max_num_queries(len(few.captured_queries)):
        c.get(page)

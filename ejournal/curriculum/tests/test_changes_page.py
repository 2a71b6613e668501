"""Замены и изменения: the lessons of a day, one lesson's замена, cancellation, restoring and move, extra
lessons, the changes of the week."""

from __future__ import annotations

import pytest

from ejournal.access import curriculum as access
from ejournal.curriculum import services
from ejournal.curriculum.models import Lesson, LessonOrigin, LessonStatus

from .conftest import AUTUMN_HOLIDAY, MONDAY, TUESDAY, WEDNESDAY, as_user, lesson_of, url


@pytest.mark.parametrize("who", ["admin", "deputy", "director"])
def test_management_sees_the_day_by_class(client, timetabled, who):
    s = timetabled
    r = as_user(client, getattr(s, who)).get(url("changes", date=MONDAY.isoformat()))
    assert r.status_code == 200
    text = r.content.decode()
    assert "<h2>5А</h2>" in text and "Математика" in text and "Учителева У." in text and "Педагогов П." in text
    assert ("Дополнительный урок" in text) == (who != "director")
    assert ("Изменить" in text) == (who != "director")


@pytest.mark.parametrize("who", ["teacher", "class_teacher", "parent"])
def test_others_get_404(client, timetabled, who):
    s = timetabled
    c = as_user(client, getattr(s, who))
    assert c.get(url("changes")).status_code == 404
    assert c.get(url("lesson_change", lesson_of(s.math_5a, MONDAY).pk)).status_code == 404


def test_student_and_anonymous(client, timetabled):
    s = timetabled
    assert as_user(client, s.students_5a[0]).get(url("changes")).status_code == 404
    client.logout()
    assert client.get(url("changes")).status_code == 302
    assert client.post(url("lesson_change", lesson_of(s.math_5a, MONDAY).pk), {"action": "restore"}).status_code == 302


def test_foreign_admin_gets_404_on_this_schools_lesson(client, timetabled, other_school):
    lesson = lesson_of(timetabled.math_5a, MONDAY)
    c = as_user(client, other_school.admin)
    assert c.get(url("lesson_change", lesson.pk)).status_code == 404
    assert c.post(url("lesson_change", lesson.pk), {"action": "cancel", "reason": "x"}).status_code == 404
    assert url("lesson_change", lesson.pk) not in c.get(url("changes", date=MONDAY.isoformat())).content.decode()
    lesson.refresh_from_db()
    assert lesson.status == LessonStatus.PLANNED


def test_director_reads_a_lesson_but_cannot_change_it(client, timetabled):
    lesson = lesson_of(timetabled.math_5a, MONDAY)
    c = as_user(client, timetabled.director)
    r = c.get(url("lesson_change", lesson.pk))
    assert r.status_code == 200 and "Назначить замену" not in r.content.decode()
    assert c.post(url("lesson_change", lesson.pk), {"action": "cancel", "reason": "x"}).status_code == 404


def test_replacement_and_the_substitute_sees_the_lesson(client, timetabled):
    s = timetabled
    lesson = lesson_of(s.math_5a, WEDNESDAY)
    assert not access.visible_lessons(s.teacher2).filter(pk=lesson.pk).exists()
    c = as_user(client, s.admin)
    page = c.get(url("lesson_change", lesson.pk)).content.decode()
    assert "Классова Клара" in page
    r = c.post(url("lesson_change", lesson.pk), {"action": "replace", "substitute": s.teacher2.pk, "note": "болезнь"})
    assert r.status_code == 302
    lesson.refresh_from_db()
    assert lesson.substitute == s.teacher2 and lesson.change_note == "болезнь"
    assert access.visible_lessons(s.teacher2).filter(pk=lesson.pk).exists()
    text = c.get(url("changes", date=WEDNESDAY.isoformat())).content.decode()
    assert "<s>Учителева У.</s> → Педагогов П." in text and "замена: Учителева У. → Педагогов П." in text
    # Taking the replacement back.
    c.post(url("lesson_change", lesson.pk), {"action": "replace", "substitute": ""})
    lesson.refresh_from_db()
    assert lesson.substitute is None


def test_busy_substitute_is_refused(client, timetabled):
    s = timetabled
    lesson = lesson_of(s.math_5a, MONDAY)  # 1st lesson; Педагогов gives Russian 5А at the 2nd
    physics = services.create_subject(actor=s.admin, name="Физика")
    physics_10a = services.create_assignment(
        actor=s.admin, teacher=s.teacher2, class_group=s.class_10a, subject=physics
    )
    services.set_slot(actor=s.admin, year=s.year, assignment=physics_10a, weekday=1, number=1)
    services.generate_lessons(actor=s.admin, year=s.year)
    c = as_user(client, s.admin)
    page = c.get(url("lesson_change", lesson.pk)).content.decode()
    assert "Педагогов Пётр (занят: 10А, Физика)" in page
    r = c.post(url("lesson_change", lesson.pk), {"action": "replace", "substitute": s.teacher2.pk})
    assert r.status_code == 422
    assert "07.09.2026, 1-й урок: Педагогов П. в это время ведёт «Физика» в 10А." in r.content.decode()
    lesson.refresh_from_db()
    assert lesson.substitute is None


def test_substitute_from_another_school_is_not_a_choice(client, timetabled, other_school):
    s = timetabled
    lesson = lesson_of(s.math_5a, MONDAY)
    r = as_user(client, s.admin).post(
        url("lesson_change", lesson.pk), {"action": "replace", "substitute": other_school.teacher.pk}
    )
    assert r.status_code == 422
    lesson.refresh_from_db()
    assert lesson.substitute is None


def test_cancel_needs_a_reason_and_restore(client, timetabled):
    s = timetabled
    lesson = lesson_of(s.math_5a, MONDAY)
    c = as_user(client, s.deputy)
    r = c.post(url("lesson_change", lesson.pk), {"action": "cancel", "reason": ""})
    assert r.status_code == 422 and "Причина: Обязательное поле." in r.content.decode()
    r = c.post(url("lesson_change", lesson.pk), {"action": "cancel", "reason": "карантин"})
    assert r.status_code == 302
    lesson.refresh_from_db()
    assert lesson.status == LessonStatus.CANCELLED and lesson.change_note == "карантин"
    assert "отменён" in c.get(url("changes", date=MONDAY.isoformat())).content.decode()
    r = c.post(url("lesson_change", lesson.pk), {"action": "restore"})
    assert r.status_code == 302
    lesson.refresh_from_db()
    assert lesson.status == LessonStatus.PLANNED


def test_restore_refused_when_the_teacher_is_busy_meanwhile(client, timetabled):
    s = timetabled
    lesson = lesson_of(s.math_5a, MONDAY)
    services.cancel_lesson(actor=s.admin, lesson=lesson, note="ремонт")
    physics = services.create_subject(actor=s.admin, name="Физика")
    physics_10a = services.create_assignment(actor=s.admin, teacher=s.teacher, class_group=s.class_10a, subject=physics)
    services.add_extra_lesson(actor=s.admin, assignment=physics_10a, day=MONDAY, number=1)
    r = as_user(client, s.admin).post(url("lesson_change", lesson.pk), {"action": "restore"})
    assert r.status_code == 422 and "Учителева У. в это время ведёт «Физика» в 10А" in r.content.decode()
    lesson.refresh_from_db()
    assert lesson.status == LessonStatus.CANCELLED


def test_move_and_regeneration_keeps_it_moved(client, timetabled):
    s = timetabled
    lesson = lesson_of(s.math_5a, MONDAY)
    r = as_user(client, s.admin).post(
        url("lesson_change", lesson.pk),
        {"action": "move", "day": TUESDAY.isoformat(), "number": 4, "note": "экскурсия"},
    )
    assert r.status_code == 302
    lesson.refresh_from_db()
    assert (lesson.date, lesson.number, lesson.origin) == (TUESDAY, 4, LessonOrigin.MOVED)
    assert (lesson.moved_from, lesson.moved_from_number) == (MONDAY, 1)
    result = services.generate_lessons(actor=s.admin, year=s.year)
    assert result.created == 0
    assert not Lesson.objects.filter(assignment=s.math_5a, date=MONDAY).exists()
    text = client.get(url("changes", date=TUESDAY.isoformat())).content.decode()
    assert "перенесён с 07.09, 1-го урока" in text


def test_move_onto_a_holiday_is_refused(client, timetabled):
    s = timetabled
    lesson = lesson_of(s.math_5a, MONDAY)
    r = as_user(client, s.admin).post(
        url("lesson_change", lesson.pk), {"action": "move", "day": AUTUMN_HOLIDAY.isoformat(), "number": 3}
    )
    assert r.status_code == 422
    assert "26.10.2026 — Осенние каникулы для 5А: уроков нет." in r.content.decode()
    lesson.refresh_from_db()
    assert (lesson.date, lesson.number) == (MONDAY, 1)


def test_move_onto_a_busy_class_time_is_refused(client, timetabled):
    s = timetabled
    lesson = lesson_of(s.math_5a, WEDNESDAY)
    r = as_user(client, s.admin).post(
        url("lesson_change", lesson.pk), {"action": "move", "day": MONDAY.isoformat(), "number": 2}
    )
    assert r.status_code == 422
    assert "у 5А в это время уже «Русский язык»" in r.content.decode()


def test_unknown_action_changes_nothing(client, timetabled):
    lesson = lesson_of(timetabled.math_5a, MONDAY)
    r = as_user(client, timetabled.admin).post(url("lesson_change", lesson.pk), {"action": "delete"})
    assert r.status_code == 400
    assert Lesson.objects.filter(pk=lesson.pk).exists()


def test_extra_lesson(client, timetabled):
    s = timetabled
    c = as_user(client, s.admin)
    r = c.post(
        url("extra_lesson", date=TUESDAY.isoformat()),
        {"assignment": s.math_5a.pk, "day": TUESDAY.isoformat(), "number": 5, "note": "консультация"},
    )
    assert r.status_code == 302
    extra = Lesson.objects.get(assignment=s.math_5a, date=TUESDAY, number=5)
    assert extra.origin == LessonOrigin.EXTRA and extra.change_note == "консультация"
    assert "дополнительный" in c.get(url("changes", date=TUESDAY.isoformat())).content.decode()


def test_extra_lesson_on_a_holiday_or_busy_time_is_refused(client, timetabled):
    s = timetabled
    c = as_user(client, s.admin)
    before = Lesson.objects.count()
    r = c.post(url("extra_lesson"), {"assignment": s.math_5a.pk, "day": AUTUMN_HOLIDAY.isoformat(), "number": 5})
    assert r.status_code == 422 and "Осенние каникулы для 5А: уроков нет." in r.content.decode()
    r = c.post(url("extra_lesson"), {"assignment": s.russian_5a.pk, "day": MONDAY.isoformat(), "number": 1})
    assert r.status_code == 422 and "у 5А в это время уже «Математика»" in r.content.decode()
    r = c.post(url("extra_lesson"), {"assignment": s.math_5a.pk, "day": "2026-09-13", "number": 1})
    assert r.status_code == 422 and "воскресенье" in r.content.decode()
    assert Lesson.objects.count() == before


def test_extra_lesson_denied(client, timetabled, other_school):
    s = timetabled
    data = {"assignment": s.math_5a.pk, "day": TUESDAY.isoformat(), "number": 5}
    for user in (s.director, s.teacher):
        client.force_login(user)
        assert client.post(url("extra_lesson"), data).status_code == 404
    client.force_login(other_school.admin)
    assert client.post(url("extra_lesson"), data).status_code == 422  # not among their assignments
    assert not Lesson.objects.filter(date=TUESDAY).exists()


def test_changes_page_queries_do_not_grow(client, timetabled, django_assert_max_num_queries):
    s = timetabled
    lesson = lesson_of(s.math_5a, MONDAY)
    services.replace_teacher(actor=s.admin, lesson=lesson, substitute=s.class_teacher)
    c = as_user(client, s.admin)
    page = url("changes", date=MONDAY.isoformat())
    with django_assert_max_num_queries(16) as few:
        c.get(page)
    for i in range(4):
        subject = services.create_subject(actor=s.admin, name=f"Предмет {i}")
        teacher = s.person(f"Учитель{i}", "Тест", "teacher")
        a = services.create_assignment(actor=s.admin, teacher=teacher, class_group=s.class_10a, subject=subject)
        services.set_slot(actor=s.admin, year=s.year, assignment=a, weekday=1, number=i + 1)
    services.generate_lessons(actor=s.admin, year=s.year)
    for other in Lesson.objects.filter(class_group=s.class_10a, date=MONDAY)[:2]:
        services.cancel_lesson(actor=s.admin, lesson=other, note="x")
    with django_assert_max_num_queries(len(few.captured_queries)):
        c.get(page)
    lesson_page = url("lesson_change", lesson.pk)
    with django_assert_max_num_queries(14):
        c.get(lesson_page)

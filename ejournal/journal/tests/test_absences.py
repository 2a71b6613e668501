"""Days missed: a day counts only when every lesson of the student that day was missed."""

from __future__ import annotations

import datetime as dt

from ejournal.curriculum import services as curriculum
from ejournal.curriculum.models import Lesson
from ejournal.journal import services
from ejournal.journal.absences import missed_in_class
from ejournal.schools import services as schools

MONDAY = dt.date(2026, 12, 21)  # math (1st lesson) only, in the fixture's timetable
TUESDAY = dt.date(2026, 12, 22)  # russian (1st lesson)


def test_days_count_only_when_every_lesson_of_the_day_was_missed(journal, django_assert_max_num_queries):
    s = journal.s
    curriculum.set_slot(actor=s.admin, year=s.year, assignment=s.russian_5a, weekday=1, number=3)
    curriculum.generate_lessons(actor=s.admin, year=s.year)
    math_monday = journal.lesson_on(MONDAY)
    russian_monday = Lesson.objects.get(assignment=s.russian_5a, date=MONDAY)
    russian_tuesday = Lesson.objects.get(assignment=s.russian_5a, date=TUESDAY)
    a, b = s.students_5a[0], s.students_5a[1]
    # a: the whole Monday (ill), and one lesson of Tuesday, which is the whole Tuesday too.
    services.set_cell(actor=s.teacher, lesson=math_monday, student=a, text="б")
    services.set_cell(actor=s.teacher2, lesson=russian_monday, student=a, text="н")
    services.set_cell(actor=s.teacher2, lesson=russian_tuesday, student=a, text="у")
    # b: only one of Monday's two lessons; «оп» is no absence.
    services.set_cell(actor=s.teacher, lesson=math_monday, student=b, text="п")
    services.set_cell(actor=s.teacher2, lesson=russian_monday, student=b, text="оп")
    with django_assert_max_num_queries(4):
        missed = missed_in_class(s.class_5a, dt.date(2026, 12, 21), dt.date(2026, 12, 27))
    assert (missed[a.pk].lessons, missed[a.pk].days) == (3, 2)
    assert missed[a.pk].days_by_code == {"н": 1, "у": 1}  # «н» is less excused than «б»
    assert (missed[b.pk].lessons, missed[b.pk].days, missed[b.pk].days_unexcused) == (1, 0, 0)
    assert missed[s.students_5a[2].pk].lessons == 0


def test_subgroup_lessons_of_other_groups_do_not_count(journal):
    s = journal.s
    english = curriculum.create_subject(actor=s.admin, name="Английский язык", short_name="Англ")
    group = schools.create_subgroup(
        actor=s.admin, class_group=s.class_5a, subject=english, name="1 группа", students=s.students_5a[1:2]
    )
    assignment = curriculum.create_assignment(
        actor=s.admin, teacher=s.teacher2, class_group=s.class_5a, subject=english, subgroup=group
    )
    curriculum.set_slot(actor=s.admin, year=s.year, assignment=assignment, weekday=1, number=4)
    curriculum.generate_lessons(actor=s.admin, year=s.year)
    a = s.students_5a[0]  # not in the English group: Monday is math only for them
    services.set_cell(actor=s.teacher, lesson=journal.lesson_on(MONDAY), student=a, text="б")
    missed = missed_in_class(s.class_5a, MONDAY, MONDAY)
    assert (missed[a.pk].days, missed[a.pk].days_ill) == (1, 1)

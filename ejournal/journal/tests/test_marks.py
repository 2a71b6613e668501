"""set_marks / set_cell: who may write, what is refused, history, versions, deadlines, the signal."""

from __future__ import annotations

import datetime as dt

import pytest

from ejournal.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from ejournal.curriculum import services as curriculum
from ejournal.curriculum.models import Lesson
from ejournal.journal import services, signals
from ejournal.journal.errors import JournalLocked
from ejournal.journal.models import ChangeKind, ChangeRecord, Mark
from ejournal.journal.periods import close_period
from ejournal.journal.services import MarkInput
from ejournal.schools import services as schools

from .conftest import TODAY, set_clock

MONDAY = dt.date(2026, 12, 21)


def marks_of(student, lesson) -> list[str]:
    return list(
        Mark.objects.filter(lesson=lesson, student=student).order_by("position").values_list("value", flat=True)
    )


def test_teacher_sets_two_marks_with_history(journal):
    lesson, student = journal.lesson_on(MONDAY), journal.students[0]
    state = services.set_marks(actor=journal.teacher, lesson=lesson, student=student, values=["5", "4"])
    assert marks_of(student, lesson) == ["5", "4"]
    assert state.text == "5/4"
    record = ChangeRecord.objects.get(lesson=lesson, student=student)
    assert (record.kind, record.old_value, record.actor_id) == (ChangeKind.MARK, "", journal.teacher.pk)
    assert record.new_value == "5 (Ответ на уроке) / 4 (Ответ на уроке)"


def test_replacing_keeps_unchanged_marks_and_records_old_and_new(journal):
    lesson, student = journal.lesson_on(MONDAY), journal.students[0]
    services.set_marks(actor=journal.teacher, lesson=lesson, student=student, values=["5", "4"])
    first = Mark.objects.get(lesson=lesson, student=student, position=0)
    services.set_marks(actor=journal.teacher, lesson=lesson, student=student, values=["5"])
    assert marks_of(student, lesson) == ["5"]
    assert Mark.objects.get(lesson=lesson, student=student).pk == first.pk
    latest = ChangeRecord.objects.filter(lesson=lesson, student=student).latest("id")
    assert latest.old_value.startswith("5 (") and "/ 4" in latest.old_value
    assert latest.new_value == "5 (Ответ на уроке)"


def test_empty_list_removes_marks_but_history_stays(journal):
    lesson, student = journal.lesson_on(MONDAY), journal.students[0]
    services.set_marks(actor=journal.teacher, lesson=lesson, student=student, values=["3"])
    services.set_marks(actor=journal.teacher, lesson=lesson, student=student, values=[])
    assert marks_of(student, lesson) == []
    assert ChangeRecord.objects.filter(lesson=lesson, student=student).count() == 2


def test_kind_per_call_per_mark_and_per_lesson(journal):
    lesson, student = journal.lesson_on(MONDAY), journal.students[0]
    test, essay = journal.kinds["test"], journal.kinds["essay"]
    services.set_marks(
        actor=journal.teacher, lesson=lesson, student=student, values=[MarkInput("5", kind=essay), "4"], kind=test
    )
    kinds = list(
        Mark.objects.filter(lesson=lesson, student=student).order_by("position").values_list("kind", flat=True)
    )
    assert kinds == [essay.pk, test.pk]
    # Typing over the cell keeps each place's kind.
    services.set_cell(actor=journal.teacher, lesson=lesson, student=student, text="5/3")
    kinds = list(
        Mark.objects.filter(lesson=lesson, student=student).order_by("position").values_list("kind", flat=True)
    )
    assert kinds == [essay.pk, test.pk]


def test_comment_is_kept_when_the_value_is_retyped(journal):
    lesson, student = journal.lesson_on(MONDAY), journal.students[0]
    services.set_marks(actor=journal.teacher, lesson=lesson, student=student, values=["4"], comment="у доски")
    services.set_cell(actor=journal.teacher, lesson=lesson, student=student, text="5")
    assert Mark.objects.get(lesson=lesson, student=student).comment == "у доски"


@pytest.mark.parametrize("bad", ["7", "ы"])
def test_mark_of_seven_or_y_is_refused_and_nothing_changes(journal, bad):
    lesson, student = journal.lesson_on(MONDAY), journal.students[0]
    services.set_marks(actor=journal.teacher, lesson=lesson, student=student, values=["4"])
    with pytest.raises(ValidationFailed) as caught:
        services.set_marks(actor=journal.teacher, lesson=lesson, student=student, values=[bad])
    assert f"«{bad}»" in caught.value.message
    with pytest.raises(ValidationFailed):
        services.set_cell(actor=journal.teacher, lesson=lesson, student=student, text=bad)
    assert marks_of(student, lesson) == ["4"]
    assert ChangeRecord.objects.filter(lesson=lesson).count() == 1


def test_student_not_enrolled_on_that_date_is_refused(journal):
    s = journal.s
    student = s.students_5a[1]
    schools.withdraw(actor=s.admin, student=student, last_day=dt.date(2026, 12, 1), reason="переезд")
    lesson = journal.lesson_on(MONDAY)
    with pytest.raises(ValidationFailed, match="не числится"):
        services.set_cell(actor=journal.teacher, lesson=lesson, student=student, text="5")
    # Before leaving the student was in the class.
    earlier = journal.lesson_on(dt.date(2026, 11, 30))
    services.set_cell(actor=journal.teacher, lesson=earlier, student=student, text="5")
    assert marks_of(student, lesson) == [] and marks_of(student, earlier) == ["5"]


def test_student_of_another_class_is_refused(journal):
    lesson = journal.lesson_on(MONDAY)
    with pytest.raises(ValidationFailed, match="не числится"):
        services.set_cell(actor=journal.teacher, lesson=lesson, student=journal.s.students_10a[0], text="5")


def test_student_outside_the_subgroup_is_refused(journal):
    s = journal.s
    english = curriculum.create_subject(actor=s.admin, name="Английский язык", short_name="Англ")
    group = schools.create_subgroup(
        actor=s.admin, class_group=s.class_5a, subject=english, name="1 группа", students=s.students_5a[:2]
    )
    assignment = curriculum.create_assignment(
        actor=s.admin, teacher=s.teacher, class_group=s.class_5a, subject=english, subgroup=group
    )
    curriculum.set_slot(actor=s.admin, year=s.year, assignment=assignment, weekday=4, number=3)
    curriculum.generate_lessons(actor=s.admin, year=s.year)
    lesson = Lesson.objects.filter(assignment=assignment, date__lte=TODAY).latest("date")
    services.set_cell(actor=s.teacher, lesson=lesson, student=s.students_5a[0], text="5")
    with pytest.raises(ValidationFailed, match="подгрупп"):
        services.set_cell(actor=s.teacher, lesson=lesson, student=s.students_5a[3], text="5")


def test_closed_period_is_read_only_for_the_teacher(journal):
    s = journal.s
    lesson = journal.in_period(journal.q1)[0]
    services.set_cell(actor=s.teacher, lesson=lesson, student=s.students_5a[0], text="4")
    close_period(actor=s.deputy, period=journal.q1, class_group=s.class_5a)
    with pytest.raises(JournalLocked, match="закрыт"):
        services.set_cell(actor=s.teacher, lesson=lesson, student=s.students_5a[0], text="5")
    assert marks_of(s.students_5a[0], lesson) == ["4"]


def test_administrator_corrects_a_closed_period_only_with_a_reason(journal):
    s = journal.s
    lesson, student = journal.in_period(journal.q1)[0], s.students_5a[0]
    services.set_cell(actor=s.teacher, lesson=lesson, student=student, text="4")
    close_period(actor=s.deputy, period=journal.q1)
    with pytest.raises(ValidationFailed, match="причин"):
        services.set_cell(actor=s.admin, lesson=lesson, student=student, text="5")
    services.set_cell(
        actor=s.admin, lesson=lesson, student=student, text="5", reason="ошибка при вводе, служебная записка №3"
    )
    assert marks_of(student, lesson) == ["5"]
    record = ChangeRecord.objects.filter(lesson=lesson, student=student).latest("id")
    assert (record.actor_id, record.reason) == (s.admin.pk, "ошибка при вводе, служебная записка №3")
    assert record.old_value.startswith("4") and record.new_value.startswith("5")


def test_teacher_of_another_journal_gets_404_and_class_teacher_403(journal):
    s = journal.s
    lesson, student = journal.lesson_on(MONDAY), s.students_5a[0]
    with pytest.raises(NotFound):
        services.set_cell(actor=s.teacher2, lesson=lesson, student=student, text="5")
    with pytest.raises(Forbidden):
        services.set_cell(actor=s.class_teacher, lesson=lesson, student=student, text="5")
    for outsider in (s.deputy, s.director, s.students_5a[1], s.parent):
        with pytest.raises((NotFound, Forbidden)):
            services.set_cell(actor=outsider, lesson=lesson, student=student, text="5")
    assert marks_of(student, lesson) == []


def test_teacher_of_another_school_gets_404(journal, other_school):
    lesson = journal.lesson_on(MONDAY)
    with pytest.raises(NotFound):
        services.set_cell(actor=other_school.teacher, lesson=lesson, student=journal.students[0], text="5")


def test_substitute_writes_into_the_lesson_they_gave(journal):
    s = journal.s
    lesson = journal.lesson_on(MONDAY)
    curriculum.replace_teacher(actor=s.admin, lesson=lesson, substitute=s.teacher2)
    lesson.refresh_from_db()
    services.set_cell(actor=s.teacher2, lesson=lesson, student=s.students_5a[0], text="5")
    assert marks_of(s.students_5a[0], lesson) == ["5"]
    other = journal.lesson_on(dt.date(2026, 12, 23))
    with pytest.raises(NotFound):
        services.set_cell(actor=s.teacher2, lesson=other, student=s.students_5a[0], text="5")


def test_two_tabs_saving_one_cell_conflict_and_nothing_is_lost(journal):
    lesson, student = journal.lesson_on(MONDAY), journal.students[0]
    seen = services.cell_state(lesson=lesson, student=student).version  # both tabs loaded the empty cell
    services.set_cell(actor=journal.teacher, lesson=lesson, student=student, text="5", expected_version=seen)
    with pytest.raises(Conflict) as caught:
        services.set_cell(actor=journal.teacher, lesson=lesson, student=student, text="3", expected_version=seen)
    assert "«5»" in caught.value.message and caught.value.status == 409
    assert marks_of(student, lesson) == ["5"]
    # Same value from the other tab (a retried save): no conflict, nothing written twice.
    services.set_cell(actor=journal.teacher, lesson=lesson, student=student, text="5", expected_version=seen)
    assert ChangeRecord.objects.filter(lesson=lesson, student=student).count() == 1
    # With the fresh version the second tab saves.
    fresh = services.cell_state(lesson=lesson, student=student).version
    services.set_cell(actor=journal.teacher, lesson=lesson, student=student, text="3", expected_version=fresh)
    assert marks_of(student, lesson) == ["3"]


def test_grade_one_gets_no_marks_but_attendance(journal):
    s = journal.s
    first = schools.create_class(actor=s.admin, year=s.year, grade=1, letter="А")
    child = s.person("Первоклассник", "Петя", "student")
    schools.enrol(actor=s.admin, student=child, class_group=first, start=s.year.start)
    assignment = curriculum.create_assignment(actor=s.admin, teacher=s.teacher, class_group=first, subject=s.math)
    curriculum.set_slot(actor=s.admin, year=s.year, assignment=assignment, weekday=5, number=4)
    curriculum.generate_lessons(actor=s.admin, year=s.year)
    lesson = Lesson.objects.filter(assignment=assignment, date__lte=TODAY).latest("date")
    with pytest.raises(ValidationFailed, match="безотметочное"):
        services.set_cell(actor=s.teacher, lesson=lesson, student=child, text="5")
    assert services.set_cell(actor=s.teacher, lesson=lesson, student=child, text="н").attendance == "н"


def test_pass_fail_subject_takes_only_pass_fail(journal):
    s = journal.s
    s.math.pass_fail = True
    s.math.save()
    lesson = journal.lesson_on(MONDAY)
    with pytest.raises(ValidationFailed, match="зач"):
        services.set_cell(actor=s.teacher, lesson=lesson, student=s.students_5a[0], text="5")
    assert services.set_cell(actor=s.teacher, lesson=lesson, student=s.students_5a[0], text="зач").text == "зач"


def test_future_and_cancelled_lessons_take_no_marks(journal):
    s = journal.s
    future = next(lesson for lesson in journal.lessons if lesson.date > TODAY)
    with pytest.raises(ValidationFailed, match="ещё не прошёл"):
        services.set_cell(actor=s.teacher, lesson=future, student=s.students_5a[0], text="5")
    cancelled = journal.lesson_on(dt.date(2026, 12, 16))
    curriculum.cancel_lesson(actor=s.admin, lesson=cancelled, note="карантин")
    cancelled.refresh_from_db()
    with pytest.raises(ValidationFailed, match="отменён"):
        services.set_cell(actor=s.teacher, lesson=cancelled, student=s.students_5a[0], text="5")


def test_deadlines_flag_late_marks_by_kind(journal, monkeypatch):
    s = journal.s
    lesson, student = journal.lesson_on(MONDAY), s.students_5a[0]
    set_clock(monkeypatch, MONDAY)
    services.set_marks(actor=s.teacher, lesson=lesson, student=student, values=["5"])
    set_clock(monkeypatch, MONDAY + dt.timedelta(days=1))
    services.set_marks(actor=s.teacher, lesson=lesson, student=s.students_5a[1], values=["4"])  # oral: same day
    services.set_marks(
        actor=s.teacher, lesson=lesson, student=s.students_5a[2], values=["4"], kind=journal.kinds["test"]
    )  # written: 7 days
    set_clock(monkeypatch, MONDAY + dt.timedelta(days=8))
    services.set_marks(
        actor=s.teacher, lesson=lesson, student=s.students_5a[3], values=["3"], kind=journal.kinds["essay"]
    )  # an essay in grade 5 has the written deadline
    late = dict(Mark.objects.filter(lesson=lesson).values_list("student_id", "is_late"))
    assert late == {
        s.students_5a[0].pk: False,
        s.students_5a[1].pk: True,
        s.students_5a[2].pk: False,
        s.students_5a[3].pk: True,
    }


def test_essay_in_grade_ten_has_ten_days(journal, monkeypatch):
    s = journal.s
    literature = curriculum.create_subject(actor=s.admin, name="Литература", short_name="Лит")
    assignment = curriculum.create_assignment(
        actor=s.admin, teacher=s.teacher, class_group=s.class_10a, subject=literature
    )
    curriculum.set_slot(actor=s.admin, year=s.year, assignment=assignment, weekday=4, number=5)
    curriculum.generate_lessons(actor=s.admin, year=s.year)
    lesson = Lesson.objects.get(assignment=assignment, date=dt.date(2026, 12, 10))
    set_clock(monkeypatch, dt.date(2026, 12, 19))
    services.set_marks(
        actor=s.teacher, lesson=lesson, student=s.students_10a[0], values=["5"], kind=journal.kinds["essay"]
    )
    set_clock(monkeypatch, dt.date(2026, 12, 21))
    services.set_marks(
        actor=s.teacher, lesson=lesson, student=s.students_10a[1], values=["5"], kind=journal.kinds["essay"]
    )
    late = dict(Mark.objects.filter(lesson=lesson).values_list("student_id", "is_late"))
    assert late == {s.students_10a[0].pk: False, s.students_10a[1].pk: True}


def test_signal_is_sent_after_commit_only(journal, django_capture_on_commit_callbacks):
    lesson, student = journal.lesson_on(MONDAY), journal.students[0]
    received = []

    def listener(**kwargs):
        received.append(kwargs)

    signals.marks_changed.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.set_cell(actor=journal.teacher, lesson=lesson, student=student, text="5/4")
        with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationFailed):
            services.set_cell(actor=journal.teacher, lesson=lesson, student=student, text="7")
    finally:
        signals.marks_changed.disconnect(listener)
    assert len(received) == 1
    assert received[0]["marks"] == ("5", "4") and received[0]["previous"] == ()
    assert received[0]["student_id"] == student.pk and received[0]["lesson_id"] == lesson.pk

"""journal:summary and journal_summary: period marks, year marks with suggestions, exam and final marks."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from ejournal.core.errors import NotFound
from ejournal.curriculum import services as curriculum
from ejournal.journal import period_marks
from ejournal.journal.models import PeriodMark, PeriodMarkKind
from ejournal.journal.summary import journal_summary
from ejournal.schools import services as schools


def put_period_marks(journal, student, values) -> None:
    s = journal.s
    for period, value in zip(schools.periods_for_grade(s.year, 5), values, strict=False):
        PeriodMark.objects.create(
            school=s.school,
            year=s.year,
            kind=PeriodMarkKind.PERIOD,
            period=period,
            class_group=s.class_5a,
            subject=s.math,
            student=student,
            value=value,
            set_by=s.teacher,
            set_at=dt.datetime(2026, 12, 25, tzinfo=dt.UTC),
        )


def test_year_marks_with_suggestion(journal, django_assert_max_num_queries):
    s = journal.s
    put_period_marks(journal, s.students_5a[0], ["5", "4", "4", "4"])
    period_marks.set_period_mark(
        actor=s.teacher, assignment=s.math_5a, student=s.students_5a[0], kind="year", value="5"
    )
    teacher = s.teacher.__class__.objects.get(pk=s.teacher.pk)
    with django_assert_max_num_queries(7):
        summary = journal_summary(user=teacher, assignment=s.math_5a.pk)
    row = next(r for r in summary.rows if r.student_id == s.students_5a[0].pk)
    assert row.periods == ("5", "4", "4", "4") and str(row.year_average) == "4.25"
    assert summary.kinds == ("year",) and summary.editable
    (year,) = row.cells
    assert (year.value, year.suggested, year.is_deviation) == ("5", "4", True)


def test_exam_and_final_columns_in_grade_nine(journal):
    s = journal.s
    ninth = schools.create_class(actor=s.admin, year=s.year, grade=9, letter="Б")
    pupil = s.person("Девятиклассница", "Дарья", "student")
    schools.enrol(actor=s.admin, student=pupil, class_group=ninth, start=s.year.start)
    assignment = curriculum.create_assignment(actor=s.admin, teacher=s.teacher, class_group=ninth, subject=s.math)
    period_marks.set_period_mark(actor=s.teacher, assignment=assignment, student=pupil, kind="year", value="4")
    period_marks.set_period_mark(actor=s.teacher, assignment=assignment, student=pupil, kind="exam", value="5")
    summary = journal_summary(user=s.teacher, assignment=assignment)
    assert summary.kinds == ("year", "exam", "final")
    assert [c.suggested for c in summary.rows[0].cells] == ["", "", "5"]


def test_access(journal, other_school):
    s = journal.s
    assert not journal_summary(user=s.class_teacher, assignment=s.math_5a).editable
    assert journal_summary(user=s.admin, assignment=s.math_5a).editable
    for outsider in (s.teacher2, s.students_5a[0], other_school.teacher):
        with pytest.raises(NotFound):
            journal_summary(user=outsider, assignment=s.math_5a)


def test_page(client, journal, other_school):
    s = journal.s
    url = reverse("journal:summary", args=[s.math_5a.pk])
    client.force_login(s.teacher)
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="jr-summary"' in html and 'data-kind="year"' in html and "Годовая" in html
    client.force_login(s.director)
    assert "Только чтение" in client.get(url).content.decode()
    client.force_login(other_school.teacher)
    assert client.get(url).status_code == 404

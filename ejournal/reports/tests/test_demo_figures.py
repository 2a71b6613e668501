"""The figures of the demo school cross-checked against an independent computation written out plainly here:
model instances and loops instead of the report's grouped queries, docs/domain.md's formulas typed again.

One small demo school (grades 1, 5 and 10, two classes each, six students a class; it has a transfer between
classes, subgroups and a grade without marks) for the module, with a few period marks set by the teachers
(«осв», «н/а», a «2») on top of the generated marks.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.db import transaction
from django.db.models import Q

from ejournal.curriculum.models import LessonStatus, TeachingAssignment
from ejournal.demo.generator import generate
from ejournal.journal import period_marks
from ejournal.journal.models import Mark, PeriodMark
from ejournal.reports.school import school_summary
from ejournal.schools.models import ClassGroup, Enrolment, Period, SubgroupMember

TODAY = dt.date(2026, 11, 20)

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        result = generate(11, grades=(1, 5, 10), classes_per_parallel=2, students_per_class=6, today=TODAY)
        q1 = Period.objects.get(school=result.school, scheme__grade_from=1, number=1)
        five = ClassGroup.objects.get(school=result.school, grade=5, letter="А")
        journal = (
            TeachingAssignment.objects.filter(class_group=five, subgroup__isnull=True, subject__pass_fail=False)
            .order_by("subject__name")
            .first()
        )
        assert journal is not None
        students = list(
            Enrolment.objects.filter(class_group=five, end__isnull=True)
            .order_by("student_id")
            .values_list("student", flat=True)
        )
        for student_id, value in zip(students, ("осв", "н/а", "2"), strict=False):
            student = result.school.users.get(pk=student_id)
            period_marks.set_period_mark(
                actor=journal.teacher, assignment=journal, student=student, period=q1, value=value
            )
        yield result, q1
        transaction.set_rollback(True)


def pct(part: int, whole: int) -> Decimal | None:
    return (Decimal(part) * 100 / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP) if whole else None


def plain_figures(school, period: Period) -> dict[str, tuple[object, ...]]:
    """Per class: students, n5, n4, one «4», one «3», n3, n2, н/а, exempt, no marks, quality, success, СОУ."""
    thresholds = (school.threshold_5, school.threshold_4, school.threshold_3)
    result: dict[str, tuple[object, ...]] = {}
    scheme = period.scheme
    for group in ClassGroup.objects.filter(school=school, grade__gte=scheme.grade_from, grade__lte=scheme.grade_to):
        present = [
            e.student_id
            for e in Enrolment.objects.filter(class_group=group)
            if e.start <= period.end and (e.end is None or e.end >= period.end)
        ]
        journals = [
            a
            for a in TeachingAssignment.objects.filter(class_group=group)
            if a.start <= period.end and (a.end is None or a.end >= period.start)
        ]
        tally = {k: 0 for k in ("5", "4", "one4", "one3", "3", "2", "na", "osv", "none")}
        for student_id in present:
            groups = set(SubgroupMember.objects.filter(student_id=student_id).values_list("subgroup_id", flat=True))
            subjects = {a.subject for a in journals if a.subgroup_id is None or a.subgroup_id in groups}
            counted = []
            for subject in subjects:
                total = weights = Decimal(0)
                for mark in Mark.objects.filter(
                    student_id=student_id,
                    lesson__class_group=group,
                    lesson__subject=subject,
                    lesson__status=LessonStatus.PLANNED,
                    lesson__date__gte=period.start,
                    lesson__date__lte=period.end,
                ):
                    if mark.value in ("1", "2", "3", "4", "5"):
                        total += int(mark.value) * mark.kind.weight
                        weights += mark.kind.weight
                suggestion = ""
                if weights:
                    average = (total / weights).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
                    suggestion = (
                        "5"
                        if average >= thresholds[0]
                        else "4"
                        if average >= thresholds[1]
                        else "3"
                        if average >= thresholds[2]
                        else "2"
                    )
                set_mark = (
                    PeriodMark.objects.filter(Q(period=period), student_id=student_id, subject=subject)
                    .values_list("value", flat=True)
                    .first()
                )
                value = set_mark or suggestion
                value = {"1": "2", "незач": "2", "зач": ""}.get(value, value)
                if value:
                    counted.append(value)
            graded = [v for v in counted if v != "осв"]
            if not counted:
                tally["none"] += 1
            elif not graded:
                tally["osv"] += 1
            elif "н/а" in graded:
                tally["na"] += 1
            elif "2" in graded:
                tally["2"] += 1
            elif "3" in graded:
                tally["3"] += 1
                tally["one3"] += graded.count("3") == 1
            elif "4" in graded:
                tally["4"] += 1
                tally["one4"] += graded.count("4") == 1
            else:
                tally["5"] += 1
        n = tally["5"] + tally["4"] + tally["3"] + tally["2"] + tally["na"]

        sou = None
        if n:
            points = tally["5"] * 100 + tally["4"] * 64 + tally["3"] * 36 + tally["2"] * 16 + tally["na"] * 7
            sou = (Decimal(points) / n).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        result[group.name] = (
            len(present),
            tally["5"],
            tally["4"],
            tally["one4"],
            tally["one3"],
            tally["3"],
            tally["2"],
            tally["na"],
            tally["osv"],
            tally["none"],
            pct(tally["5"] + tally["4"], n),
            pct(tally["5"] + tally["4"] + tally["3"], n),
            sou,
        )
    return result


def test_school_summary_agrees_with_the_plain_computation(demo):
    result, q1 = demo
    director = result.users["director"]
    report = school_summary(user=director, period_id=q1.pk, by="class").report
    got = {row.cells[0]: row.cells[1:14] for row in report.rows}
    expected = plain_figures(result.school, q1)
    assert got == expected
    assert expected["5А"][8] == 0 and expected["5А"][7] != 0  # the «н/а» set above counts
    assert got["1А"][9] == got["1А"][0] and got["1А"][10] is None  # grade 1: no marks, no figures
    assert any(v[10] is not None for v in got.values())


def test_half_year_of_the_tenth_grade_agrees_too(demo):
    result, _ = demo
    h1 = Period.objects.get(school=result.school, scheme__grade_from=10, number=1)
    report = school_summary(user=result.users["deputy"], period_id=h1.pk, by="class").report
    assert {row.cells[0]: row.cells[1:14] for row in report.rows} == plain_figures(result.school, h1)

"""The journal's year page: each student's period marks, the year mark with its suggestion, and for
grades 9 and 11 the exam and final marks. Five queries whatever the size of the class."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ejournal.access import journal as access
from ejournal.accounts.models import User
from ejournal.curriculum.models import TeachingAssignment
from ejournal.schools.models import Period

from . import periods as journal_periods
from .models import PeriodMark, PeriodMarkKind
from .period_marks import EXAM_GRADES, mean_of_marks, period_mark_version
from .selectors import enrolled_students, read_journal
from .values import GRADES, suggest_mark


@dataclass(frozen=True)
class SummaryCell:
    kind: str
    value: str
    suggested: str = ""

    @property
    def version(self) -> str:
        return period_mark_version(self.value)

    @property
    def is_deviation(self) -> bool:
        return bool(self.value in GRADES and self.suggested and self.value != self.suggested)


@dataclass(frozen=True)
class SummaryRow:
    student_id: int
    name: str
    periods: tuple[str, ...]
    year_average: Decimal | None
    cells: tuple[SummaryCell, ...]  # year, then exam and final for grades 9 and 11


@dataclass(frozen=True)
class Summary:
    assignment_id: int
    title: str
    periods: list[Period]
    kinds: tuple[str, ...]
    rows: list[SummaryRow]
    editable: bool
    last_closed: bool


def journal_summary(*, user: User, assignment: TeachingAssignment | int) -> Summary:
    """Period marks and the year (exam, final) marks of the journal's students for the whole year."""
    journal = read_journal(user, assignment if isinstance(assignment, int) else assignment.pk)
    group = journal.class_group
    year = group.year
    class_periods = journal_periods.periods_of_class(group)
    students = enrolled_students(journal, year.start, year.end)
    marks: dict[tuple[int, str, int | None], str] = {
        (student_id, kind, period_id): value
        for student_id, kind, period_id, value in PeriodMark.objects.filter(
            school_id=journal.school_id, subject_id=journal.subject_id, year_id=year.pk, student_id__in=list(students)
        ).values_list("student_id", "kind", "period_id", "value")
    }
    kinds: tuple[str, ...] = (PeriodMarkKind.YEAR,)
    if group.grade in EXAM_GRADES:
        kinds = (PeriodMarkKind.YEAR, PeriodMarkKind.EXAM, PeriodMarkKind.FINAL)
    school = journal.school
    thresholds = (school.threshold_5, school.threshold_4, school.threshold_3)
    rows = []
    for student_id, (name, _spans) in students.items():
        period_values = tuple(marks.get((student_id, PeriodMarkKind.PERIOD, p.pk), "") for p in class_periods)
        average = mean_of_marks(list(period_values))
        year_value = marks.get((student_id, PeriodMarkKind.YEAR, None), "")
        exam_value = marks.get((student_id, PeriodMarkKind.EXAM, None), "")
        cells = [SummaryCell(PeriodMarkKind.YEAR, year_value, suggest_mark(average, thresholds))]
        if len(kinds) > 1:
            final_basis = mean_of_marks([year_value, exam_value])
            cells.append(SummaryCell(PeriodMarkKind.EXAM, exam_value))
            cells.append(
                SummaryCell(
                    PeriodMarkKind.FINAL,
                    marks.get((student_id, PeriodMarkKind.FINAL, None), ""),
                    suggest_mark(final_basis, thresholds),
                )
            )
        rows.append(SummaryRow(student_id, name, period_values, average, tuple(cells)))
    mode = access.journal_mode(user, journal, leads=bool(getattr(journal, "leads", False)))
    last_closed = bool(class_periods) and journal_periods.closure_of(group, class_periods[-1]) is not None
    group_name = f"{group.name} ({journal.subgroup.name})" if journal.subgroup else group.name
    return Summary(
        assignment_id=journal.pk,
        title=f"{group_name} · {journal.subject.name}",
        periods=class_periods,
        kinds=kinds,
        rows=rows,
        editable=mode in ("edit", "correct"),
        last_closed=last_closed,
    )

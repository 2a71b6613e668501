"""Writes of the journal's cells: marks and attendance of a student in a lesson, with history.

Every write locks the lesson row, checks access, the period lock and the enrolment, compares the version
the page saw with the cell's current one, writes the difference, keeps a ChangeRecord of it (history.py) and,
in the same transaction, tells listeners (signals.py). Views, the API, imports and tests all come through here.
Topic, homework and the lesson's kind of work are in lessons.py; period marks in period_marks.py.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import transaction

from ejournal.access import journal as access
from ejournal.access import tenancy
from ejournal.accounts.models import User
from ejournal.core import time as clock
from ejournal.core.errors import Conflict, NotFound, ValidationFailed
from ejournal.core.time import ru_date
from ejournal.curriculum.models import Lesson
from ejournal.schools import selectors as enrolment

from . import history, periods, signals
from .defaults import ensure_default_mark_kinds
from .errors import JournalCode
from .models import Attendance, ChangeKind, ChangeRecord, DeadlineKind, LessonWork, Mark, MarkKind
from .values import PASS_FAIL, CellInput, cell_text, cell_version, parse_attendance, parse_cell, parse_mark


@dataclass(frozen=True)
class MarkInput:
    """A mark to put into a cell. `kind` and `comment` left as None keep those of the mark already at
    that place in the cell (typing «5/4» over «5» keeps the first mark's kind and comment)."""

    value: str
    kind: MarkKind | None = None
    comment: str | None = None


@dataclass(frozen=True)
class CellMark:
    value: str
    kind_id: int
    comment: str = ""
    is_late: bool = False


@dataclass(frozen=True)
class CellState:
    """What a cell holds now, as the page and the API show it."""

    lesson_id: int
    student_id: int
    marks: tuple[CellMark, ...] = ()
    attendance: str = ""
    warnings: tuple[str, ...] = field(default=(), compare=False)

    @property
    def version(self) -> str:
        return cell_version([(m.value, m.kind_id, m.comment) for m in self.marks], self.attendance)

    @property
    def text(self) -> str:
        return cell_text((m.value for m in self.marks), self.attendance)


def _state(lesson_id: int, student_id: int, marks: Sequence[Mark], attendance: Attendance | None) -> CellState:
    return CellState(
        lesson_id=lesson_id,
        student_id=student_id,
        marks=tuple(CellMark(m.value, m.kind_id, m.comment, m.is_late) for m in marks),
        attendance=attendance.code if attendance else "",
    )


def cell_state(*, lesson: Lesson, student: User) -> CellState:
    """The cell as it is now (for a page that shows one cell, or after a conflict)."""
    school_id = lesson.school_id
    marks = list(Mark.objects.filter(school_id=school_id, lesson=lesson, student=student).order_by("position"))
    attendance = Attendance.objects.filter(school_id=school_id, lesson=lesson, student=student).first()
    return _state(lesson.pk, student.pk, marks, attendance)


# --- checks shared by the lesson's writes ---------------------------------------------------------------


def lock_lesson(lesson: Lesson) -> Lesson:
    """Re-read the lesson under a row lock: concurrent writes into one lesson queue up behind it, so two
    tabs saving one cell cannot both pass the version check (PostgreSQL; SQLite writers are serial)."""
    locked = (
        Lesson.objects.select_for_update(of=("self",))
        .select_related("class_group", "subject", "school")
        .filter(pk=lesson.pk, school_id=lesson.school_id)
        .first()
    )
    if locked is None:
        raise NotFound()
    return locked


def require_lesson_happened(lesson: Lesson) -> None:
    if lesson.is_cancelled:
        raise ValidationFailed(
            f"Урок {ru_date(lesson.date)} отменён: записи в нём не ведутся.", code=JournalCode.LESSON_CANCELLED
        )
    today = clock.school_today(lesson.school.timezone)
    if lesson.date > today:
        raise ValidationFailed(
            f"Урок {ru_date(lesson.date)} ещё не прошёл: отметки и посещаемость ставят после урока.",
            code=JournalCode.LESSON_NOT_YET_HELD,
        )


def require_enrolled(*, student: User, lesson: Lesson) -> None:
    """The student is in the lesson's class on its date, and in its subgroup for a subgroup lesson."""
    if not tenancy.one_school(student, lesson):
        raise NotFound()
    if not enrolment.was_enrolled(student, lesson.class_group_id, lesson.date, lesson.date):
        raise ValidationFailed(
            f"{student.full_name} не числится в {lesson.class_group.name} на {ru_date(lesson.date)}: "
            f"записи за этот урок ему (ей) не ставятся.",
            code=JournalCode.NOT_ENROLLED,
        )
    if not enrolment.in_subgroup(student, lesson.subgroup_id):
        raise ValidationFailed(f"{student.full_name} не в подгруппе этого урока.", code=JournalCode.NOT_ENROLLED)


def lesson_kind(lesson: Lesson) -> MarkKind:
    """The kind of work marks of the lesson get unless told otherwise: the lesson's, else the school's default."""
    work = LessonWork.objects.filter(school_id=lesson.school_id, lesson=lesson).select_related("kind").first()
    if work is not None:
        return work.kind
    kind = MarkKind.objects.filter(school_id=lesson.school_id, is_default=True).first()
    if kind is None:
        kind = MarkKind.objects.filter(school_id=lesson.school_id).order_by("weight", "pk").first()
    if kind is None:
        # A school nobody has set kinds of work for yet gets the common ones rather than a refused mark.
        kind = next(k for k in ensure_default_mark_kinds(lesson.school) if k.is_default)
    return kind


def deadline_days(kind: MarkKind, lesson: Lesson) -> int:
    """Days after the lesson a mark of this kind may be entered (school settings; essays of 10–11 longer)."""
    school = lesson.school
    if kind.deadline_kind == DeadlineKind.ORAL:
        return school.oral_deadline_days
    if kind.deadline_kind == DeadlineKind.ESSAY and lesson.class_group.grade >= 10:
        return school.essay_deadline_days
    return school.written_deadline_days


def is_late(kind: MarkKind, lesson: Lesson, today: dt.date) -> bool:
    return today > lesson.date + dt.timedelta(days=deadline_days(kind, lesson))


def marks_text(marks: Sequence[Mark], kinds: dict[int, MarkKind]) -> str:
    """Marks as the history shows them: «5 (Контрольная работа) / 4 (Ответ на уроке) «комментарий»»."""
    parts = []
    for mark in marks:
        kind = kinds.get(mark.kind_id)
        part = f"{mark.value} ({kind.name})" if kind else mark.value
        if mark.comment:
            part += f" «{mark.comment}»"
        parts.append(part)
    return " / ".join(parts)


# --- the cell ---------------------------------------------------------------------------------------------


def _resolve_kinds(lesson: Lesson, marks: Sequence[MarkInput], kind: MarkKind | None) -> dict[int, MarkKind]:
    kinds = {k.pk: k for k in MarkKind.objects.filter(school_id=lesson.school_id)}
    for given in [kind, *(m.kind for m in marks)]:
        if given is not None and given.pk not in kinds:
            raise ValidationFailed("Такого вида работы в школе нет.", field="kind")
    return kinds


def _check_mark_values(lesson: Lesson, values: Sequence[str]) -> None:
    if not values:
        return
    if lesson.class_group.grade == 1:
        raise ValidationFailed(
            "В 1 классе безотметочное обучение: отметки не ставятся.", code=JournalCode.GRADE_ONE_NO_MARKS
        )
    if lesson.subject.pass_fail:
        wrong = [v for v in values if v not in PASS_FAIL]
        if wrong:
            raise ValidationFailed(
                f"«{lesson.subject.name}» оценивается «зач» / «незач», а не «{wrong[0]}».",
                code=JournalCode.PASS_FAIL_SUBJECT,
            )


def _write_cell(
    *,
    actor: User,
    lesson: Lesson,
    student: User,
    marks: Sequence[MarkInput] | None,
    attendance: str | None,
    kind: MarkKind | None,
    expected_version: str | None,
    reason: str,
) -> CellState:
    """Bring the cell to the wanted marks (None: leave them) and attendance (None: leave it)."""
    tenancy.in_school_of(actor, lesson, student)
    if not access.can_edit_lesson(actor, lesson):
        access.require_can_read_lesson(actor, lesson)
    lesson = lock_lesson(lesson)
    school_id = lesson.school_id
    current = list(Mark.objects.filter(school_id=school_id, lesson=lesson, student=student).order_by("position"))
    current_att = Attendance.objects.filter(school_id=school_id, lesson=lesson, student=student).first()
    before = _state(lesson.pk, student.pk, current, current_att)
    old_code = before.attendance
    new_code = old_code if attendance is None else attendance

    kinds: dict[int, MarkKind] = {}
    wanted: list[tuple[str, int, str]] = [(m.value, m.kind_id, m.comment) for m in current]
    if marks is not None:
        kinds = _resolve_kinds(lesson, marks, kind)
        default_kind: MarkKind | None = kind
        wanted = []
        for i, given in enumerate(marks):
            here = current[i] if i < len(current) else None
            chosen = given.kind or kind
            if chosen is None and here is not None:
                kind_id = here.kind_id
            else:
                if chosen is None:
                    default_kind = default_kind or lesson_kind(lesson)
                    chosen = default_kind
                kind_id = chosen.pk
            comment = given.comment if given.comment is not None else (here.comment if here else "")
            wanted.append((given.value, kind_id, comment.strip()[:300]))
    marks_change = wanted != [(m.value, m.kind_id, m.comment) for m in current]
    attendance_change = new_code != old_code
    if not marks_change and not attendance_change:
        # Already so (a retried save, or the other tab typed the same): nothing to write, nothing to lose.
        return before

    if marks_change:
        reason = access.require_can_edit_lesson(actor, lesson, reason=reason)
    if attendance_change:
        reason = access.require_can_set_attendance(actor, lesson, old_code=old_code, new_code=new_code, reason=reason)
    reason = periods.require_day_open(actor=actor, class_group=lesson.class_group, day=lesson.date, reason=reason)
    require_lesson_happened(lesson)
    if wanted or new_code:
        require_enrolled(student=student, lesson=lesson)
    if expected_version is not None and expected_version != before.version:
        raise Conflict(
            f"Эту клетку уже изменили в другом окне или другой человек: сейчас в ней "
            f"«{before.text or 'пусто'}». Ваше «{cell_text((w[0] for w in wanted), new_code) or 'пусто'}» "
            f"не сохранено — проверьте и введите снова.",
            code=JournalCode.STALE_EDIT,
        )
    if new_code in ("н", "б", "у", "п") and wanted:
        raise ValidationFailed(
            "Отсутствовавшему на уроке отметку не ставят; с отметкой возможно только «оп».",
            code=JournalCode.ABSENT_NO_MARK,
        )
    if marks_change:
        _check_mark_values(lesson, [w[0] for w in wanted])

    now = clock.now()
    today = clock.school_today(lesson.school)
    records: list[ChangeRecord] = []
    if marks_change:
        if not kinds:
            kinds = {k.pk: k for k in MarkKind.objects.filter(school_id=lesson.school_id)}
        old_text = marks_text(current, kinds)
        current = _apply_marks(actor, lesson, student, current, wanted, kinds, now, today)
        new_text = marks_text(current, kinds)
        records.append(_record(actor, lesson, student, ChangeKind.MARK, old_text, new_text, reason, now))
    if attendance_change:
        current_att = _apply_attendance(actor, lesson, student, current_att, new_code, now)
        records.append(_record(actor, lesson, student, ChangeKind.ATTENDANCE, old_code, new_code, reason, now))
    history.record_many(records)

    after = _state(lesson.pk, student.pk, current, current_att)
    _announce(actor, lesson, student, before, after)
    return after


def _apply_marks(
    actor: User,
    lesson: Lesson,
    student: User,
    current: list[Mark],
    wanted: list[tuple[str, int, str]],
    kinds: dict[int, MarkKind],
    now: dt.datetime,
    today: dt.date,
) -> list[Mark]:
    """Write the difference place by place: unchanged marks keep their dates and deadline flag."""
    result: list[Mark] = []
    for position, (value, kind_id, comment) in enumerate(wanted):
        late = is_late(kinds[kind_id], lesson, today)
        if position < len(current):
            mark = current[position]
            if (mark.value, mark.kind_id, mark.comment) != (value, kind_id, comment):
                mark.value, mark.kind_id, mark.comment = value, kind_id, comment
                mark.updated_at, mark.is_late = now, late
                mark.save(update_fields=["value", "kind", "comment", "updated_at", "is_late"])
        else:
            mark = Mark.objects.create(
                school_id=lesson.school_id,
                lesson=lesson,
                student=student,
                position=position,
                value=value,
                kind_id=kind_id,
                comment=comment,
                created_by=actor,
                created_at=now,
                updated_at=now,
                is_late=late,
            )
        result.append(mark)
    extra = [m.pk for m in current[len(wanted) :]]
    if extra:
        Mark.objects.filter(school_id=lesson.school_id, pk__in=extra).delete()
    return result


def _apply_attendance(
    actor: User, lesson: Lesson, student: User, current: Attendance | None, code: str, now: dt.datetime
) -> Attendance | None:
    if not code:
        if current is not None:
            # By the queryset, not the instance: the DELETE names the school (the instance's names only the key).
            Attendance.objects.filter(school_id=current.school_id, pk=current.pk).delete()
        return None
    if current is None:
        return Attendance.objects.create(
            school_id=lesson.school_id, lesson=lesson, student=student, code=code, updated_by=actor, updated_at=now
        )
    current.code, current.updated_by, current.updated_at = code, actor, now
    current.save(update_fields=["code", "updated_by", "updated_at"])
    return current


def _record(
    actor: User,
    lesson: Lesson,
    student: User,
    kind: ChangeKind,
    old: str,
    new: str,
    reason: str,
    at: dt.datetime,
) -> ChangeRecord:
    return history.change(
        school_id=lesson.school_id,
        at=at,
        actor=actor,
        kind=kind,
        lesson=lesson,
        student_id=student.pk,
        old=old,
        new=new,
        reason=reason,
    )


def _announce(actor: User, lesson: Lesson, student: User, before: CellState, after: CellState) -> None:
    """Tell listeners inside the write's transaction (an outbox, see signals.py): their event row commits
    or rolls back with the mark, and a listener's failure fails the write."""
    common = {"school_id": lesson.school_id, "lesson_id": lesson.pk, "student_id": student.pk, "actor_id": actor.pk}
    old_marks = tuple(m.value for m in before.marks)
    new_marks = tuple(m.value for m in after.marks)
    if old_marks != new_marks or [m.kind_id for m in before.marks] != [m.kind_id for m in after.marks]:
        signals.marks_changed.send(sender=Mark, marks=new_marks, previous=old_marks, **common)
    if before.attendance != after.attendance:
        signals.attendance_changed.send(sender=Attendance, code=after.attendance, previous=before.attendance, **common)


# --- the public writes ------------------------------------------------------------------------------------


def _mark_inputs(values: Sequence[str | MarkInput], comment: str) -> list[MarkInput]:
    inputs = []
    for value in values:
        given = value if isinstance(value, MarkInput) else MarkInput(value=value)
        inputs.append(
            MarkInput(
                value=parse_mark(given.value),
                kind=given.kind,
                comment=given.comment if given.comment is not None else (comment or None),
            )
        )
    return inputs


@transaction.atomic
def set_marks(
    *,
    actor: User,
    lesson: Lesson,
    student: User,
    values: Sequence[str | MarkInput],
    kind: MarkKind | None = None,
    expected_version: str | None = None,
    comment: str = "",
    reason: str = "",
) -> CellState:
    """Replace the student's marks in a lesson (an empty list removes them); attendance stays.

    `kind` applies to every mark that does not carry its own; without it a mark keeps the kind of the mark
    it replaces, and a new one gets the lesson's kind of work. Raises NotFound/Forbidden (access),
    JournalLocked (closed period), ValidationFailed (value, enrolment), Conflict (stale version).
    """
    return _write_cell(
        actor=actor,
        lesson=lesson,
        student=student,
        marks=_mark_inputs(values, comment),
        attendance=None,
        kind=kind,
        expected_version=expected_version,
        reason=reason,
    )


@transaction.atomic
def set_attendance(
    *,
    actor: User,
    lesson: Lesson,
    student: User,
    code: str,
    expected_version: str | None = None,
    reason: str = "",
) -> CellState:
    """Set the attendance code («н», «б», «у», «п», «оп»; "" = present) of a student in a lesson.

    The lesson's teacher sets any code; the class teacher turns «н» into «б», «у» or «п» for their class.
    """
    return _write_cell(
        actor=actor,
        lesson=lesson,
        student=student,
        marks=None,
        attendance=parse_attendance(code),
        kind=None,
        expected_version=expected_version,
        reason=reason,
    )


@transaction.atomic
def set_cell(
    *,
    actor: User,
    lesson: Lesson,
    student: User,
    text: str,
    kind: MarkKind | None = None,
    expected_version: str | None = None,
    reason: str = "",
) -> CellState:
    """What the grid sends: the whole cell as typed («5/4», «н», «оп 5», "" clears), applied at once under
    one version check, so a cell is never half saved."""
    parsed: CellInput = parse_cell(text)
    return _write_cell(
        actor=actor,
        lesson=lesson,
        student=student,
        marks=[MarkInput(value=v) for v in parsed.marks],
        attendance=parsed.attendance,
        kind=kind,
        expected_version=expected_version,
        reason=reason,
    )


@transaction.atomic
def set_cell_content(
    *,
    actor: User,
    lesson: Lesson,
    student: User,
    marks: Sequence[str | MarkInput],
    attendance: str,
    expected_version: str | None = None,
    reason: str = "",
) -> CellState:
    """Marks (each with its own kind and comment) and attendance together, as the cell panel edits them."""
    return _write_cell(
        actor=actor,
        lesson=lesson,
        student=student,
        marks=_mark_inputs(marks, ""),
        attendance=parse_attendance(attendance),
        kind=None,
        expected_version=expected_version,
        reason=reason,
    )

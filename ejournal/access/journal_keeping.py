"""Who reads the attendance report, «Анализ работы с классным журналом ЭЖ» and program execution.

- Management (administrator, director, deputy) reads all three for the whole school.
- Attendance: a class teacher reads every lesson of the classes they lead; a subject teacher reads the
  absences in the journals they may open (their own, substitutions) and no other subject of the class
  (as in «Сводка класса»). Whole days missed need every lesson of a day, so they are counted only where
  the user sees the whole class.
- Journal-keeping analysis: a teacher reads only their own row and their own journals.
- Program execution: the journals the user may open (access.journal.visible_journals): a teacher's own,
  those of the classes they lead and those where they substituted.
- Students, parents and people of another school: these pages do not exist for them (404).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from ejournal.accounts.models import User
from ejournal.core.errors import NotFound
from ejournal.curriculum.models import Subject, TeachingAssignment
from ejournal.schools.models import ClassGroup

from .journal import visible_journals
from .roles import is_teacher, reads_whole_school

# A journal: class × subject × subgroup (None = the whole class).
JournalKey = tuple[int, int, int | None]


def reads_keeping_reports(user: User) -> bool:
    """The three reports exist for management and teachers (each within their scope)."""
    return reads_whole_school(user) or is_teacher(user)


def require_keeping_reports(user: User) -> None:
    if not reads_keeping_reports(user):
        raise NotFound()


@dataclass(frozen=True)
class AttendanceScope:
    whole_school: bool
    # Classes whose every lesson the user reads (led classes; all for management).
    full_classes: frozenset[int]
    # Journals the user reads in other classes.
    journals: frozenset[JournalKey]

    def reads_class(self, class_id: int) -> bool:
        return self.whole_school or class_id in self.full_classes or any(j[0] == class_id for j in self.journals)

    def reads_lesson(self, class_id: int, subject_id: int, subgroup_id: int | None) -> bool:
        return (
            self.whole_school or class_id in self.full_classes or (class_id, subject_id, subgroup_id) in self.journals
        )

    def reads_days(self, class_id: int) -> bool:
        return self.whole_school or class_id in self.full_classes

    def class_filter(self, qs: QuerySet[ClassGroup]) -> QuerySet[ClassGroup]:
        if self.whole_school:
            return qs
        return qs.filter(pk__in={*self.full_classes, *(j[0] for j in self.journals)})


def attendance_scope(user: User) -> AttendanceScope:
    """Two queries for a teacher, none for management. NotFound for anyone else."""
    require_keeping_reports(user)
    if reads_whole_school(user):
        return AttendanceScope(whole_school=True, full_classes=frozenset(), journals=frozenset())
    led = frozenset(
        ClassGroup.objects.filter(school_id=user.school_id, class_teachers=user).values_list("pk", flat=True)
    )
    journals = frozenset(visible_journals(user).values_list("class_group_id", "subject_id", "subgroup_id"))
    return AttendanceScope(whole_school=False, full_classes=led, journals=journals)


def keeping_teacher(user: User, teacher_id: int | None) -> int | None:
    """Whose journal keeping the user reads: None = every teacher (management, no teacher asked for);
    a teacher reads only themselves, another teacher's id is a 404."""
    require_keeping_reports(user)
    if reads_whole_school(user):
        return teacher_id
    if teacher_id is not None and teacher_id != user.pk:
        raise NotFound()
    return user.pk


def execution_journals(
    user: User, *, teacher_id: int | None = None, class_id: int | None = None, subject_id: int | None = None
) -> QuerySet[TeachingAssignment]:
    """The journals whose program execution the user reads, narrowed by the filters. A teacher, class or
    subject the user has no journal of (management: not of their school) is a 404."""
    require_keeping_reports(user)
    journals = visible_journals(user)
    whole = reads_whole_school(user)
    for value, field, model in (
        (teacher_id, "teacher_id", User),
        (class_id, "class_group_id", ClassGroup),
        (subject_id, "subject_id", Subject),
    ):
        if value is None:
            continue
        known = (
            model.objects.filter(pk=value, school_id=user.school_id).exists()
            if whole
            else journals.filter(**{field: value}).exists()
        )
        if not known:
            raise NotFound()
        journals = journals.filter(**{field: value})
    return journals

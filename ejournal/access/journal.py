"""Who may read and write the journal: grids, cells, lesson records, period marks and closing periods.

- A teacher writes into the lessons they give: their own (the assignment's teacher) and those they
  substitute for. Other journals of the school are out of their scope (404), except the journals of
  the class they lead, which they read and where they may explain absences («н» → «б», «у», «п»).
- The administrator, director and deputy read every journal of their school.
- The responsible administrator corrects any record, always with a written reason (also in a closed
  period); nobody else writes into a closed period.
- The deputy (and the administrator) close and reopen periods.
- The class overview (every subject of a class, absences) is read by the class teacher of that class
  and by management; a subject teacher reads only their own journal there.
- Files of homework are put and removed by whoever may write the lesson; they are downloaded by
  everyone who sees the lesson, students of the class and their parents included (the diary shows them).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from ejournal.accounts.models import Role, User
from ejournal.core.errors import Forbidden, NotFound, ValidationFailed
from ejournal.curriculum.models import Lesson, TeachingAssignment
from ejournal.journal.models import HomeworkAttachment
from ejournal.schools.models import ClassGroup

from .curriculum import visible_lessons
from .roles import in_school, reads_whole_school
from .tenancy import in_school_of, same_school


def visible_journals(user: User) -> QuerySet[TeachingAssignment]:
    """Journals (assignments) the user may open: the school's for management; for a teacher their own,
    those of the classes they lead and those where they gave a substitute lesson."""
    if not in_school(user):
        return TeachingAssignment.objects.none()
    qs = TeachingAssignment.objects.filter(school_id=user.school_id)
    if reads_whole_school(user):
        return qs
    if user.has_role(Role.TEACHER):
        # Three small sub-queries, each pinned to the school, rather than one OR over joins: with the OR
        # PostgreSQL scanned every lesson of the region to find the few a teacher substituted.
        led = ClassGroup.objects.filter(school_id=user.school_id, class_teachers=user).values("pk")
        substituted = Lesson.objects.filter(school_id=user.school_id, substitute=user).values("assignment_id")
        return qs.filter(Q(teacher=user) | Q(class_group_id__in=led) | Q(pk__in=substituted))
    return qs.none()


def own_journals(user: User) -> QuerySet[TeachingAssignment]:
    """The journals the user keeps themselves."""
    if not in_school(user) or not user.has_role(Role.TEACHER):
        return TeachingAssignment.objects.none()
    return TeachingAssignment.objects.filter(school_id=user.school_id, teacher=user)


def leads_class(user: User, class_group_id: int) -> bool:
    """Классный руководитель of this class."""
    if not in_school(user) or not user.has_role(Role.TEACHER):
        return False
    return ClassGroup.objects.filter(pk=class_group_id, school_id=user.school_id, class_teachers=user).exists()


def gives_lesson(user: User, *, school_id: int, teacher_id: int, substitute_id: int | None) -> bool:
    """The user teaches this lesson: the assigned teacher or the substitute. No query: the grid asks for
    every column."""
    return (
        in_school(user)
        and user.school_id == school_id
        and user.has_role(Role.TEACHER)
        and user.pk in (teacher_id, substitute_id)
    )


def can_edit_lesson(user: User, lesson: Lesson) -> bool:
    return gives_lesson(
        user, school_id=lesson.school_id, teacher_id=lesson.teacher_id, substitute_id=lesson.substitute_id
    )


def can_correct(user: User) -> bool:
    """The responsible administrator corrects any record of the school, giving a reason."""
    return in_school(user) and user.has_role(Role.ADMIN)


def require_correction_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed("Исправление администратором: укажите причину исправления.", field="reason")
    return reason


def journal_lessons(user: User) -> QuerySet[Lesson]:
    """Lessons whose journal records (cells, history, the lesson panel) the user may read: staff only.
    Students and parents see marks in the diary, not the journal and its history."""
    if not in_school(user) or not (reads_whole_school(user) or user.has_role(Role.TEACHER)):
        return Lesson.objects.none()
    return visible_lessons(user)


def require_can_read_lesson(user: User, lesson: Lesson) -> None:
    if not journal_lessons(user).filter(pk=lesson.pk).exists():
        raise NotFound()


def require_can_edit_lesson(user: User, lesson: Lesson, *, reason: str = "") -> str:
    """Raise unless the user may write the lesson's marks, attendance, topic and homework.

    Returns the reason to keep in the history: required (and returned stripped) for a correction by the
    administrator, passed through as given for the teacher.
    """
    if can_edit_lesson(user, lesson):
        return (reason or "").strip()
    in_school_of(user, lesson)
    if can_correct(user):
        return require_correction_reason(reason)
    require_can_read_lesson(user, lesson)
    raise Forbidden("Вы не ведёте этот урок: записи в нём делает учитель, который его ведёт.")


def may_explain_absence(old_code: str, new_code: str) -> bool:
    """The class teacher turns an absence «н» into «б», «у» or «п» (or fixes the reason); they neither
    record nor remove an absence."""
    absences = ("н", "б", "у", "п")
    return old_code in absences and new_code in absences and old_code != new_code


def require_can_set_attendance(user: User, lesson: Lesson, *, old_code: str, new_code: str, reason: str = "") -> str:
    """The lesson's teacher sets any code; the class teacher explains absences of their own class."""
    if can_edit_lesson(user, lesson):
        return (reason or "").strip()
    in_school_of(user, lesson)
    if can_correct(user):
        return require_correction_reason(reason)
    require_can_read_lesson(user, lesson)
    if leads_class(user, lesson.class_group_id):
        if may_explain_absence(old_code, new_code):
            return (reason or "").strip()
        raise Forbidden("Классный руководитель меняет только причину отсутствия: «н» на «б», «у» или «п».")
    raise Forbidden("Вы не ведёте этот урок: посещаемость отмечает учитель, который его ведёт.")


def require_can_set_period_marks(user: User, assignment: TeachingAssignment, *, reason: str = "") -> str:
    """Period, year, exam and final marks are set by the teacher of the journal."""
    if same_school(user, assignment):
        if assignment.teacher_id == user.pk and user.has_role(Role.TEACHER):
            return (reason or "").strip()
        if can_correct(user):
            return require_correction_reason(reason)
        if visible_journals(user).filter(pk=assignment.pk).exists():
            raise Forbidden("Отметки за период выставляет учитель, который ведёт этот журнал.")
    raise NotFound()


def can_close_periods(user: User) -> bool:
    """The deputy (завуч) closes periods; the administrator may too."""
    return in_school(user) and user.has_role(Role.DEPUTY, Role.ADMIN)


def require_can_close_periods(user: User) -> None:
    if not can_close_periods(user):
        raise NotFound()


def journal_mode(user: User, assignment: TeachingAssignment, *, leads: bool) -> str:
    """How the grid page behaves for the user: "edit" (the teacher), "correct" (the administrator, with a
    reason), "reasons" (the class teacher explains absences), "read" (everyone else who may see it)."""
    if assignment.teacher_id == user.pk and user.has_role(Role.TEACHER):
        return "edit"
    if can_correct(user):
        return "correct"
    if leads:
        return "reasons"
    return "read"


def overview_classes(user: User) -> QuerySet[ClassGroup]:
    """Classes whose overview («Сводка класса») the user may read: the school's for management, the
    classes they lead for a teacher. Teaching a subject in a class gives no view of the other subjects."""
    if not in_school(user):
        return ClassGroup.objects.none()
    qs = ClassGroup.objects.filter(school_id=user.school_id)
    if reads_whole_school(user):
        return qs
    if user.has_role(Role.TEACHER):
        return qs.filter(class_teachers=user)
    return qs.none()


def visible_attachments(user: User) -> QuerySet[HomeworkAttachment]:
    """Homework files the user may download: those of the lessons they see (visible_lessons), which
    includes students of the class and the parents of those students."""
    if not in_school(user):
        return HomeworkAttachment.objects.none()
    return HomeworkAttachment.objects.filter(
        school_id=user.school_id, homework__lesson__in=visible_lessons(user).values("pk")
    )

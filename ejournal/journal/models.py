"""What is written into a lesson: marks, attendance, homework; and the history of every change."""

from __future__ import annotations

import os
import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models

from ejournal.core.models import AppendOnly, SchoolScoped


class DeadlineKind(models.TextChoices):
    ORAL = "oral", "устная работа"
    WRITTEN = "written", "письменная работа"
    ESSAY = "essay", "сочинение"


class MarkKind(SchoolScoped):
    """Вид работы with its weight in the weighted average; the school sets both."""

    code = models.SlugField("код", max_length=30)
    name = models.CharField("вид работы", max_length=100)
    weight = models.DecimalField("вес", max_digits=4, decimal_places=2, default=Decimal("1.00"))
    deadline_kind = models.CharField(
        "срок выставления", max_length=16, choices=DeadlineKind.choices, default=DeadlineKind.ORAL
    )
    is_default = models.BooleanField("по умолчанию", default=False)

    class Meta:
        verbose_name = "вид работы"
        verbose_name_plural = "виды работ"
        ordering = ["weight", "name"]
        constraints = [models.UniqueConstraint(fields=["school", "code"], name="mark_kind_code_unique")]

    def __str__(self) -> str:
        return f"{self.name} (вес {self.weight})"


MARK_VALUES = ("5", "4", "3", "2", "1", "зач", "незач")


class Mark(SchoolScoped):
    """One mark of a student in a lesson; a lesson can hold several (5/4), ordered by `position`."""

    lesson = models.ForeignKey("curriculum.Lesson", on_delete=models.PROTECT, related_name="marks")
    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="marks")
    position = models.PositiveSmallIntegerField(default=0)
    value = models.CharField("отметка", max_length=6)
    kind = models.ForeignKey(MarkKind, on_delete=models.PROTECT, related_name="marks")
    comment = models.CharField("комментарий", max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    is_late = models.BooleanField("выставлена после срока", default=False)

    class Meta:
        verbose_name = "отметка"
        verbose_name_plural = "отметки"
        ordering = ["lesson", "student", "position"]
        constraints = [
            models.UniqueConstraint(fields=["lesson", "student", "position"], name="mark_position_unique"),
        ]
        indexes = [models.Index(fields=["student", "lesson"])]

    def __str__(self) -> str:
        return self.value


class AttendanceCode(models.TextChoices):
    ABSENT = "н", "н — отсутствовал (причина не известна)"
    ILL = "б", "б — по болезни"
    EXCUSED = "у", "у — по уважительной причине"
    UNEXCUSED = "п", "п — без уважительной причины"
    LATE = "оп", "оп — опоздал"


class Attendance(SchoolScoped):
    lesson = models.ForeignKey("curriculum.Lesson", on_delete=models.PROTECT, related_name="attendance")
    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="attendance")
    code = models.CharField("посещаемость", max_length=2, choices=AttendanceCode.choices)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name = "отметка посещаемости"
        verbose_name_plural = "посещаемость"
        constraints = [models.UniqueConstraint(fields=["lesson", "student"], name="attendance_unique")]
        indexes = [models.Index(fields=["student", "lesson"])]


class Homework(SchoolScoped):
    lesson = models.ForeignKey("curriculum.Lesson", on_delete=models.CASCADE, related_name="homework")
    text = models.TextField("домашнее задание")
    due_date = models.DateField("к дате", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "домашнее задание"
        verbose_name_plural = "домашние задания"
        ordering = ["lesson", "id"]


def attachment_path(instance: HomeworkAttachment, filename: str) -> str:
    """homework/<school>/<year>/<random name>.<ext>: the stored name says nothing of the original, which
    lives in the row (no path tricks, no clashes, no personal data in file names on disk)."""
    ext = os.path.splitext(filename)[1].lower()
    return f"homework/{instance.school_id}/{instance.uploaded_at:%Y}/{uuid.uuid4().hex}{ext}"


class HomeworkAttachment(SchoolScoped):
    """A file given with the homework (a worksheet, a photo of the board). Served only through the view
    that checks access, never from MEDIA_URL."""

    homework = models.ForeignKey(Homework, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField("файл", upload_to=attachment_path, max_length=200)
    original_name = models.CharField("имя файла", max_length=200)
    size = models.PositiveIntegerField("размер, байт")
    content_type = models.CharField("тип", max_length=100)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField()

    class Meta:
        verbose_name = "файл домашнего задания"
        verbose_name_plural = "файлы домашних заданий"
        ordering = ["homework", "uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class ChangeKind(models.TextChoices):
    MARK = "mark", "отметка"
    ATTENDANCE = "attendance", "посещаемость"
    TOPIC = "topic", "тема урока"
    HOMEWORK = "homework", "домашнее задание"
    ATTACHMENT = "attachment", "файл к заданию"
    PERIOD_MARK = "period_mark", "отметка за период"
    LESSON = "lesson", "урок"
    LESSON_WORK = "lesson_work", "вид работы урока"
    CLOSURE = "closure", "закрытие периода"


class ChangeRecord(AppendOnly, SchoolScoped):
    """Append-only history: who changed what, when, from which value to which, and why.

    Written only by `journal.history`. A stored row is never updated or deleted: the model and its
    queryset refuse (core.models.AppendOnly), and on PostgreSQL a trigger too (migration 0004).
    """

    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=16, choices=ChangeKind.choices)
    lesson = models.ForeignKey("curriculum.Lesson", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    old_value = models.TextField(blank=True)
    new_value = models.TextField(blank=True)
    reason = models.CharField(max_length=500, blank=True)
    # Period, year, exam and final marks and period closures belong to no lesson: `target` names the
    # cell ("period:12:7" = period 12, subject 7) so that its history can be read back.
    target = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = "запись истории"
        verbose_name_plural = "история изменений"
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["lesson", "student"]),
            models.Index(fields=["target", "student"]),
        ]


class LessonWork(SchoolScoped):
    """The kind of work of a lesson, chosen in the column header: marks typed into it get this kind."""

    lesson = models.OneToOneField("curriculum.Lesson", on_delete=models.CASCADE, related_name="work")
    kind = models.ForeignKey(MarkKind, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "вид работы урока"
        verbose_name_plural = "виды работ уроков"


class PeriodMarkKind(models.TextChoices):
    PERIOD = "period", "за период"
    YEAR = "year", "годовая"
    EXAM = "exam", "экзаменационная"
    FINAL = "final", "итоговая"


PERIOD_MARK_VALUES = ("5", "4", "3", "2", "1", "н/а", "осв", "зач", "незач")


class PeriodMark(SchoolScoped):
    """A mark for a period (четверть, полугодие), the year, the exam or the final one, of a student in a subject.

    `suggested` keeps what the system proposed from the marks when the teacher set it, so that a deviation
    stays visible even after the marks change.
    """

    year = models.ForeignKey("schools.AcademicYear", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("вид", max_length=8, choices=PeriodMarkKind.choices)
    period = models.ForeignKey("schools.Period", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    class_group = models.ForeignKey("schools.ClassGroup", on_delete=models.PROTECT, related_name="period_marks")
    subject = models.ForeignKey("curriculum.Subject", on_delete=models.PROTECT, related_name="period_marks")
    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="period_marks")
    value = models.CharField("отметка", max_length=6)
    suggested = models.CharField("предложено системой", max_length=6, blank=True)
    average = models.DecimalField("средний балл", max_digits=4, decimal_places=2, null=True, blank=True)
    marks_count = models.PositiveSmallIntegerField("отметок в периоде", default=0)
    is_deviation = models.BooleanField("отличается от предложенной", default=False)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField()

    class Meta:
        verbose_name = "отметка за период"
        verbose_name_plural = "отметки за периоды"
        constraints = [
            models.UniqueConstraint(
                fields=["student", "subject", "period"],
                condition=models.Q(kind="period"),
                name="period_mark_unique",
            ),
            models.UniqueConstraint(
                fields=["student", "subject", "year", "kind"],
                condition=~models.Q(kind="period"),
                name="year_mark_unique",
            ),
            models.CheckConstraint(
                condition=(models.Q(kind="period") & models.Q(period__isnull=False))
                | (~models.Q(kind="period") & models.Q(period__isnull=True)),
                name="period_mark_has_period",
            ),
        ]
        indexes = [models.Index(fields=["class_group", "subject", "kind"])]

    def __str__(self) -> str:
        return self.value


class PeriodClosure(SchoolScoped):
    """The deputy closed a period for one class, or for every class of the school (`class_group` empty).

    While it stands, marks, attendance, topics, homework and period marks of that period are read-only.
    """

    period = models.ForeignKey("schools.Period", on_delete=models.PROTECT, related_name="closures")
    class_group = models.ForeignKey(
        "schools.ClassGroup", on_delete=models.PROTECT, null=True, blank=True, related_name="closures"
    )
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField()

    class Meta:
        verbose_name = "закрытие периода"
        verbose_name_plural = "закрытия периодов"
        constraints = [
            models.UniqueConstraint(fields=["period", "class_group"], name="closure_unique"),
            models.UniqueConstraint(
                fields=["period"], condition=models.Q(class_group__isnull=True), name="closure_school_unique"
            ),
        ]

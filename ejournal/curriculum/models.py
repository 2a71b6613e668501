"""Subjects, curriculum hours, teaching assignments, КТП, bells, the weekly timetable and dated lessons."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models

from ejournal.core.models import SchoolScoped


class Subject(SchoolScoped):
    name = models.CharField("предмет", max_length=150)
    short_name = models.CharField("сокращение", max_length=30)
    pass_fail = models.BooleanField("зачёт/незачёт вместо отметок", default=False)

    class Meta:
        verbose_name = "предмет"
        verbose_name_plural = "предметы"
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["school", "name"], name="subject_name_unique")]

    def __str__(self) -> str:
        return self.name


class CurriculumHours(SchoolScoped):
    """Учебный план: hours per week of a subject in a parallel for a year."""

    year = models.ForeignKey("schools.AcademicYear", on_delete=models.CASCADE, related_name="curriculum")
    grade = models.PositiveSmallIntegerField("параллель")
    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="curriculum")
    hours_per_week = models.DecimalField("часов в неделю", max_digits=4, decimal_places=1)

    class Meta:
        verbose_name = "часы учебного плана"
        verbose_name_plural = "учебный план"
        ordering = ["grade", "subject__name"]
        constraints = [
            models.UniqueConstraint(fields=["year", "grade", "subject"], name="curriculum_unique"),
        ]


class TeachingAssignment(SchoolScoped):
    """Нагрузка: a teacher teaches a subject to a class or one of its subgroups between two dates."""

    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assignments", verbose_name="учитель"
    )
    class_group = models.ForeignKey(
        "schools.ClassGroup", on_delete=models.PROTECT, related_name="assignments", verbose_name="класс"
    )
    subgroup = models.ForeignKey(
        "schools.Subgroup",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assignments",
        verbose_name="подгруппа",
    )
    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="assignments", verbose_name="предмет")
    start = models.DateField("с")
    end = models.DateField("по", null=True, blank=True)

    class Meta:
        verbose_name = "нагрузка"
        verbose_name_plural = "нагрузка"
        ordering = ["class_group__grade", "class_group__letter", "subject__name"]

    def __str__(self) -> str:
        group = self.subgroup.name if self.subgroup_id and self.subgroup else ""
        return f"{self.class_group.name} {group} {self.subject.name}".replace("  ", " ")

    def active_on(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


class PlannedTopic(SchoolScoped):
    """A line of the КТП: the ordered topics a teacher plans for an assignment, with hours."""

    assignment = models.ForeignKey(TeachingAssignment, on_delete=models.CASCADE, related_name="planned_topics")
    position = models.PositiveIntegerField("№")
    title = models.CharField("тема", max_length=500)
    hours = models.PositiveSmallIntegerField("часов", default=1)

    class Meta:
        verbose_name = "тема КТП"
        verbose_name_plural = "КТП"
        ordering = ["assignment", "position"]
        constraints = [
            models.UniqueConstraint(fields=["assignment", "position"], name="planned_topic_position_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"


class Bell(SchoolScoped):
    """Расписание звонков: lesson number and its times."""

    number = models.PositiveSmallIntegerField("урок")
    starts_at = models.TimeField("начало")
    ends_at = models.TimeField("окончание")

    class Meta:
        verbose_name = "звонок"
        verbose_name_plural = "расписание звонков"
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["school", "number"], name="bell_number_unique")]

    def __str__(self) -> str:
        return f"{self.number}. {self.starts_at:%H:%M}–{self.ends_at:%H:%M}"


class TimetableSlot(SchoolScoped):
    """A line of the weekly grid: on `weekday` (1 = Monday) at lesson `number` the assignment is taught."""

    year = models.ForeignKey("schools.AcademicYear", on_delete=models.CASCADE, related_name="timetable")
    assignment = models.ForeignKey(TeachingAssignment, on_delete=models.CASCADE, related_name="slots")
    weekday = models.PositiveSmallIntegerField("день недели")
    number = models.PositiveSmallIntegerField("урок")
    room = models.CharField("кабинет", max_length=20, blank=True)

    class Meta:
        verbose_name = "урок расписания"
        verbose_name_plural = "расписание"
        ordering = ["weekday", "number"]
        constraints = [
            models.UniqueConstraint(fields=["assignment", "weekday", "number"], name="slot_unique"),
            models.CheckConstraint(condition=models.Q(weekday__gte=1, weekday__lte=6), name="slot_weekday"),
        ]


class LessonStatus(models.TextChoices):
    PLANNED = "planned", "по расписанию"
    CANCELLED = "cancelled", "отменён"


class LessonOrigin(models.TextChoices):
    TIMETABLE = "timetable", "по расписанию"
    EXTRA = "extra", "дополнительный"
    MOVED = "moved", "перенесён"


class Lesson(SchoolScoped):
    """A dated lesson of the journal. `teacher` is the assigned one; `substitute` gives the lesson instead."""

    assignment = models.ForeignKey(TeachingAssignment, on_delete=models.PROTECT, related_name="lessons")
    # Copied from the assignment so the journal and conflict checks need no joins.
    class_group = models.ForeignKey("schools.ClassGroup", on_delete=models.PROTECT, related_name="lessons")
    subgroup = models.ForeignKey(
        "schools.Subgroup", on_delete=models.PROTECT, null=True, blank=True, related_name="lessons"
    )
    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="lessons")
    teacher = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="lessons")
    substitute = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="substitutions",
        verbose_name="замена",
    )
    date = models.DateField("дата")
    number = models.PositiveSmallIntegerField("урок")
    status = models.CharField(max_length=16, choices=LessonStatus.choices, default=LessonStatus.PLANNED)
    origin = models.CharField(max_length=16, choices=LessonOrigin.choices, default=LessonOrigin.TIMETABLE)
    moved_from = models.DateField("перенесён с", null=True, blank=True)
    moved_from_number = models.PositiveSmallIntegerField("перенесён с урока", null=True, blank=True)
    change_note = models.CharField("примечание к изменению", max_length=200, blank=True)
    room = models.CharField("кабинет", max_length=20, blank=True)
    topic = models.CharField("тема урока", max_length=500, blank=True)
    planned_topic = models.ForeignKey(
        PlannedTopic, on_delete=models.SET_NULL, null=True, blank=True, related_name="lessons"
    )

    class Meta:
        verbose_name = "урок"
        verbose_name_plural = "уроки"
        ordering = ["date", "number"]
        constraints = [
            models.UniqueConstraint(fields=["assignment", "date", "number"], name="lesson_unique"),
        ]
        indexes = [
            models.Index(fields=["class_group", "date"]),
            models.Index(fields=["teacher", "date"]),
            models.Index(fields=["school", "date"]),
        ]

    def __str__(self) -> str:
        return f"{self.date:%d.%m.%Y} №{self.number}"

    @property
    def given_by_id(self) -> int:
        """Who actually gives the lesson: the substitute when there is one."""
        return self.substitute_id or self.teacher_id

    @property
    def is_cancelled(self) -> bool:
        return self.status == LessonStatus.CANCELLED

"""The school, its year, periods, holidays, classes, subgroups and who is enrolled when."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import models

from ejournal.core.models import SchoolScoped


class School(models.Model):
    name = models.CharField("полное наименование", max_length=300)
    short_name = models.CharField("краткое наименование", max_length=100)
    municipality = models.CharField("муниципалитет", max_length=200, blank=True)
    timezone = models.CharField("часовой пояс", max_length=64, default="Asia/Yekaterinburg")
    # Settings a school sets itself; defaults from docs/domain.md.
    threshold_5 = models.DecimalField(
        "средний балл для «5» от", max_digits=4, decimal_places=2, default=Decimal("4.50")
    )
    threshold_4 = models.DecimalField(
        "средний балл для «4» от", max_digits=4, decimal_places=2, default=Decimal("3.50")
    )
    threshold_3 = models.DecimalField(
        "средний балл для «3» от", max_digits=4, decimal_places=2, default=Decimal("2.50")
    )
    min_marks_one_hour = models.PositiveSmallIntegerField("накопляемость: предмет 1 ч/нед", default=3)
    min_marks_more_hours = models.PositiveSmallIntegerField("накопляемость: предмет от 2 ч/нед", default=5)
    oral_deadline_days = models.PositiveSmallIntegerField("срок выставления устных отметок, дней", default=0)
    written_deadline_days = models.PositiveSmallIntegerField("срок выставления письменных работ, дней", default=7)
    essay_deadline_days = models.PositiveSmallIntegerField("срок проверки сочинений 10–11 кл., дней", default=10)
    min_vacation_days = models.PositiveSmallIntegerField("минимальная длительность каникул, дней", default=7)
    period_mark_deadline_days = models.PositiveSmallIntegerField(
        "срок выставления отметок за период после его окончания, дней", default=3
    )
    staff_2fa_required = models.BooleanField("двухфакторная аутентификация обязательна для сотрудников", default=False)
    # The retention register (ejournal/retention): how long the school keeps what it stored, counted from the
    # end of the school year the thing belongs to, and how early the administrator is warned. Nothing is deleted
    # automatically.
    retention_journal_years = models.PositiveSmallIntegerField("хранение журналов, лет", default=5)
    retention_summary_years = models.PositiveSmallIntegerField("хранение сводных ведомостей, лет", default=25)
    retention_warn_days = models.PositiveSmallIntegerField(
        "предупреждать об окончании срока хранения за, дней", default=90
    )
    is_active = models.BooleanField("действует", default=True)

    class Meta:
        verbose_name = "школа"
        verbose_name_plural = "школы"

    def __str__(self) -> str:
        return self.short_name


class AcademicYear(SchoolScoped):
    name = models.CharField("учебный год", max_length=20)  # «2026/2027»
    start = models.DateField("начало")
    end = models.DateField("окончание")

    class Meta:
        verbose_name = "учебный год"
        verbose_name_plural = "учебные годы"
        ordering = ["-start"]
        constraints = [models.UniqueConstraint(fields=["school", "name"], name="year_name_unique")]

    def __str__(self) -> str:
        return self.name

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


class PeriodKind(models.TextChoices):
    QUARTER = "quarter", "четверть"
    HALF_YEAR = "half", "полугодие"
    TRIMESTER = "trimester", "триместр"


class PeriodScheme(SchoolScoped):
    """How a band of grades divides the year: quarters for 1–9, half-years for 10–11 by default."""

    year = models.ForeignKey(AcademicYear, on_delete=models.CASCADE, related_name="schemes")
    kind = models.CharField("вид периодов", max_length=16, choices=PeriodKind.choices)
    grade_from = models.PositiveSmallIntegerField("с класса")
    grade_to = models.PositiveSmallIntegerField("по класс")

    class Meta:
        verbose_name = "схема периодов"
        verbose_name_plural = "схемы периодов"
        ordering = ["grade_from"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.grade_from}–{self.grade_to} кл."

    def covers(self, grade: int) -> bool:
        return self.grade_from <= grade <= self.grade_to


class Period(SchoolScoped):
    scheme = models.ForeignKey(PeriodScheme, on_delete=models.CASCADE, related_name="periods")
    number = models.PositiveSmallIntegerField("номер")
    start = models.DateField("начало")
    end = models.DateField("окончание")

    class Meta:
        verbose_name = "учебный период"
        verbose_name_plural = "учебные периоды"
        ordering = ["start"]
        constraints = [models.UniqueConstraint(fields=["scheme", "number"], name="period_number_unique")]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return f"{self.number} {self.scheme.get_kind_display()}"

    @property
    def range(self) -> tuple[dt.date, dt.date]:
        return (self.start, self.end)


class HolidayKind(models.TextChoices):
    VACATION = "vacation", "каникулы"
    PUBLIC = "public", "праздничный день"


class Holiday(SchoolScoped):
    """Days without lessons. grade_from/grade_to narrow it (the extra February week of grade 1)."""

    year = models.ForeignKey(AcademicYear, on_delete=models.CASCADE, related_name="holidays")
    kind = models.CharField("вид", max_length=16, choices=HolidayKind.choices, default=HolidayKind.VACATION)
    name = models.CharField("название", max_length=100)
    start = models.DateField("начало")
    end = models.DateField("окончание")
    grade_from = models.PositiveSmallIntegerField("с класса", default=1)
    grade_to = models.PositiveSmallIntegerField("по класс", default=11)

    class Meta:
        verbose_name = "каникулы или праздник"
        verbose_name_plural = "каникулы и праздники"
        ordering = ["start"]

    def __str__(self) -> str:
        return self.name

    def covers(self, day: dt.date, grade: int) -> bool:
        return self.start <= day <= self.end and self.grade_from <= grade <= self.grade_to


class ClassGroup(SchoolScoped):
    """A class: parallel (1–11) + letter, in one academic year."""

    year = models.ForeignKey(AcademicYear, on_delete=models.PROTECT, related_name="classes")
    grade = models.PositiveSmallIntegerField("параллель")
    letter = models.CharField("литера", max_length=4)
    class_teachers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="led_classes", verbose_name="классные руководители"
    )
    works_on_saturday = models.BooleanField("шестидневная неделя", default=False)

    class Meta:
        verbose_name = "класс"
        verbose_name_plural = "классы"
        ordering = ["grade", "letter"]
        constraints = [
            models.UniqueConstraint(fields=["school", "year", "grade", "letter"], name="class_unique"),
            models.CheckConstraint(condition=models.Q(grade__gte=1, grade__lte=11), name="class_grade_1_11"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return f"{self.grade}{self.letter}"


class Subgroup(SchoolScoped):
    """Part of a class for one subject (foreign language, computer science, technology)."""

    class_group = models.ForeignKey(ClassGroup, on_delete=models.CASCADE, related_name="subgroups")
    subject = models.ForeignKey("curriculum.Subject", on_delete=models.PROTECT, related_name="subgroups")
    name = models.CharField("название", max_length=50)
    students = models.ManyToManyField(settings.AUTH_USER_MODEL, through="SubgroupMember", related_name="subgroups")

    class Meta:
        verbose_name = "подгруппа"
        verbose_name_plural = "подгруппы"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["class_group", "subject", "name"], name="subgroup_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.class_group.name} {self.subject.short_name}: {self.name}"


class SubgroupMember(SchoolScoped):
    subgroup = models.ForeignKey(Subgroup, on_delete=models.CASCADE, related_name="members")
    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["subgroup", "student"], name="subgroup_member_unique"),
        ]


class Enrolment(SchoolScoped):
    """A student is in a class from `start` to `end` (inclusive; open end = still there)."""

    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="enrolments")
    class_group = models.ForeignKey(ClassGroup, on_delete=models.PROTECT, related_name="enrolments")
    start = models.DateField("зачислен с")
    end = models.DateField("выбыл после", null=True, blank=True)
    reason_out = models.CharField("причина выбытия", max_length=200, blank=True)

    class Meta:
        verbose_name = "зачисление"
        verbose_name_plural = "зачисления"
        ordering = ["start"]
        indexes = [models.Index(fields=["class_group", "start"])]

    def __str__(self) -> str:
        return f"{self.student_id} в {self.class_group_id} с {self.start}"

    def active_on(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)

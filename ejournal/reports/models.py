"""What the reports keep: stored reports of the automated delivery, the per-school figures the region reads,
and the municipality (орган управления образованием) with the people who read its summary."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from ejournal.core.models import SchoolScoped


class Municipality(models.Model):
    """A municipal (or regional) education authority and its schools. Not school data: it spans schools and
    sees only their aggregated figures (SchoolPeriodFigures), never a person."""

    name = models.CharField("наименование", max_length=300)
    schools = models.ManyToManyField("schools.School", blank=True, related_name="municipalities", verbose_name="школы")

    class Meta:
        verbose_name = "орган управления образованием"
        verbose_name_plural = "органы управления образованием"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class RegionViewer(models.Model):
    """A person of the authority (a user without a school) who reads its summary across schools."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="region_viewer")
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="viewers")

    class Meta:
        verbose_name = "сотрудник органа управления"
        verbose_name_plural = "сотрудники органа управления"

    def __str__(self) -> str:
        return f"{self.user_id} → {self.municipality_id}"


class SchoolPeriodFigures(SchoolScoped):
    """A school's figures for a period, computed by the worker (reports.delivery) and read by the regional
    summary, which never scans marks. Schools are compared by year, kind and number of period («1 четверть»
    of 2026/2027), since each school has its own Period rows."""

    period = models.ForeignKey("schools.Period", on_delete=models.CASCADE, related_name="+")
    year_name = models.CharField("учебный год", max_length=20)
    period_kind = models.CharField("вид периода", max_length=16)
    period_number = models.PositiveSmallIntegerField("номер периода")
    computed_at = models.DateTimeField("вычислено")
    classes = models.PositiveIntegerField(default=0)
    n5 = models.PositiveIntegerField(default=0)
    n4 = models.PositiveIntegerField(default=0)
    n3 = models.PositiveIntegerField(default=0)
    n2 = models.PositiveIntegerField(default=0)
    n_na = models.PositiveIntegerField(default=0)
    exempt = models.PositiveIntegerField(default=0)
    no_marks = models.PositiveIntegerField(default=0)
    one_four = models.PositiveIntegerField(default=0)
    one_three = models.PositiveIntegerField(default=0)
    marks_sum = models.PositiveIntegerField(default=0)
    marks_count = models.PositiveIntegerField(default=0)

    COUNT_FIELDS = (
        "n5",
        "n4",
        "n3",
        "n2",
        "n_na",
        "exempt",
        "no_marks",
        "one_four",
        "one_three",
        "marks_sum",
        "marks_count",
    )

    class Meta:
        verbose_name = "показатели школы за период"
        verbose_name_plural = "показатели школ за периоды"
        constraints = [models.UniqueConstraint(fields=["school", "period"], name="school_period_figures_unique")]
        indexes = [models.Index(fields=["year_name", "period_kind", "period_number"])]


class Occasion(models.TextChoices):
    MONTH = "month", "за месяц"
    PERIOD = "period", "по итогам периода"


class StoredReport(SchoolScoped):
    """A report made by the worker on its date, as files: earlier reports stay in the archive.

    `key` names the occasion ("period:12", "month:2026-11"): one report per school, occasion and grouping,
    so a tick run twice stores nothing twice. The school summary is stored in each of its groupings; the
    «Анализ работы с классным журналом ЭЖ» under the grouping "keeping" (keys "keeping:month:2026-11",
    "keeping:period:12").
    """

    key = models.CharField(max_length=40)
    occasion = models.CharField("повод", max_length=8, choices=Occasion.choices)
    grouping = models.CharField("разрез", max_length=16)
    period = models.ForeignKey("schools.Period", on_delete=models.PROTECT, related_name="+")
    as_of = models.DateField("по состоянию на")
    title = models.CharField("название", max_length=300)
    subtitle = models.CharField("подзаголовок", max_length=300, blank=True)
    created_at = models.DateTimeField("сформирован")
    xlsx = models.BinaryField()
    pdf = models.BinaryField()
    # The PDF's SHA-256, printed in the archive: the signed paper copy can be matched with the stored file.
    sha256 = models.CharField("SHA-256 файла PDF", max_length=64, blank=True)

    class Meta:
        verbose_name = "сохранённый отчёт"
        verbose_name_plural = "архив отчётов"
        ordering = ["-as_of", "-created_at", "grouping"]
        constraints = [
            models.UniqueConstraint(fields=["school", "key", "grouping"], name="stored_report_unique"),
        ]

    def __str__(self) -> str:
        return self.title

from __future__ import annotations

from django.conf import settings
from django.db import models

from ejournal.core.models import SchoolScoped


class StoredBook(SchoolScoped):
    """A class book the worker made at the end of a period, kept to print and sign.

    `sha256` of the PDF is printed beside it in the list: the administrator can tell the signed paper copy's
    file from a later one. One book per class and period; a book made while the period was open is a draft.
    """

    class_group = models.ForeignKey("schools.ClassGroup", on_delete=models.PROTECT, related_name="+")
    period = models.ForeignKey("schools.Period", on_delete=models.PROTECT, related_name="+")
    made_at = models.DateTimeField("сформирован")
    draft = models.BooleanField("черновик", default=False)
    size = models.PositiveIntegerField("размер, байт")
    sha256 = models.CharField("SHA-256", max_length=64)
    pdf = models.BinaryField()
    # A book made anew (the final one after the period was closed, or a fresh draft) supersedes the earlier one,
    # which stays listed and downloadable as replaced: nothing once printed is silently lost.
    superseded_at = models.DateTimeField("заменена", null=True, blank=True)
    superseded_by = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = "книга журнала"
        verbose_name_plural = "книги журнала"
        ordering = ["-period__start", "class_group__grade", "class_group__letter", "-made_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "class_group", "period"],
                condition=models.Q(superseded_at__isnull=True),
                name="stored_book_current_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.class_group_id} {self.period_id}"


class JobStatus(models.TextChoices):
    QUEUED = "queued", "в очереди"
    RUNNING = "running", "выполняется"
    DONE = "done", "готово"
    FAILED = "failed", "ошибка"


class BookJob(SchoolScoped):
    """Making the books of a period in the worker: every class of the grade band, or one class.

    Asked for on the «Книги журнала» page (or the API), or by the hourly tick at a period's end. `done` of
    `total` classes is the progress the page shows while it refreshes itself; the books land in StoredBook.
    """

    period = models.ForeignKey("schools.Period", on_delete=models.PROTECT, related_name="+")
    class_group = models.ForeignKey(
        "schools.ClassGroup", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField("запрошено")
    finished_at = models.DateTimeField("завершено", null=True, blank=True)
    status = models.CharField("состояние", max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED)
    total = models.PositiveIntegerField("классов", default=0)
    done = models.PositiveIntegerField("сделано", default=0)
    made = models.PositiveIntegerField("книг сделано", default=0)
    message = models.TextField("итог", blank=True)

    class Meta:
        verbose_name = "задание на книги журнала"
        verbose_name_plural = "задания на книги журнала"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["school", "created_at"])]

    def __str__(self) -> str:
        return f"Книги {self.period_id}: {self.done} из {self.total}"

    @property
    def active(self) -> bool:
        return self.status in (JobStatus.QUEUED, JobStatus.RUNNING)

    @property
    def percent(self) -> int:
        return 100 * self.done // self.total if self.total else (0 if self.active else 100)

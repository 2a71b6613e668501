from __future__ import annotations

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

    class Meta:
        verbose_name = "книга журнала"
        verbose_name_plural = "книги журнала"
        ordering = ["-period__start", "class_group__grade", "class_group__letter"]
        constraints = [
            models.UniqueConstraint(fields=["school", "class_group", "period"], name="stored_book_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.class_group_id} {self.period_id}"

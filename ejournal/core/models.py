"""The base of every school-data model (a row belongs to exactly one school), and of append-only history."""

from typing import Any, NoReturn

from django.db import models


class SchoolScoped(models.Model):
    """`school` is the distribution column (Citus): every query on school data filters by it."""

    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+", db_index=True)

    class Meta:
        abstract = True


class AppendOnlyQuerySet(models.QuerySet[Any]):
    """History is never rewritten in bulk either: `update()` and `delete()` refuse (so does bulk_update)."""

    def update(self, **kwargs: Any) -> NoReturn:
        raise PermissionError("Записи истории не изменяются.")

    def delete(self) -> NoReturn:
        raise PermissionError("Записи истории не удаляются.")


class AppendOnly(models.Model):
    """A history table: rows are added, never changed or deleted (the model and its queryset refuse; each
    table also gets a PostgreSQL trigger in a migration: core.migration_ops.forbid_row_changes). A correction is a
    new row. Deleting what a row points at is refused by its PROTECT foreign keys."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PermissionError("Записи истории не изменяются.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise PermissionError("Записи истории не удаляются.")


class WorkerBeat(models.Model):
    """The background worker says it is alive every few seconds; /healthz reads the last beat."""

    worker_id = models.CharField(max_length=64, unique=True)
    started_at = models.DateTimeField()
    beat_at = models.DateTimeField()
    tasks_done = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "фоновый обработчик"
        verbose_name_plural = "фоновые обработчики"

    def __str__(self) -> str:
        return self.worker_id


class TickRun(models.Model):
    """When each periodic tick (core.ticks) last ran: the worker's shared memory between processes."""

    name = models.CharField(max_length=100, unique=True)
    last_run_at = models.DateTimeField()

    class Meta:
        verbose_name = "периодическая задача"
        verbose_name_plural = "периодические задачи"

    def __str__(self) -> str:
        return self.name

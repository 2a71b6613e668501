"""The base of every school-data model (a row belongs to exactly one school), and of append-only history."""

from collections.abc import Callable
from typing import Any, NoReturn

from django.db import models


def update_in_school(
    instance: models.Model, update: Callable[..., Any], base_qs: Any, *args: Any, **kwargs: Any
) -> Any:
    """Django's UPDATE of a saved row by its key, with the row's `school_id` in the WHERE: Citus routes it to the
    school's shard instead of every shard (docs/development.md, "One tenancy gate"). Rows never move between
    schools; should an edit have changed the school in memory, the row is found by its key alone, as before."""
    updated = update(base_qs.filter(school_id=instance.school_id), *args, **kwargs)  # type: ignore[attr-defined]
    if not updated and not instance._state.adding:
        return update(base_qs, *args, **kwargs)
    return updated


class SchoolScoped(models.Model):
    """`school` is the distribution column (Citus): every query on school data filters by it, `save()` too."""

    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+", db_index=True)

    class Meta:
        abstract = True

    def _do_update(self, base_qs: Any, *args: Any, **kwargs: Any) -> Any:
        return update_in_school(self, super()._do_update, base_qs, *args, **kwargs)


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

"""The base of every school-data model: a row belongs to exactly one school."""

from django.db import models


class SchoolScoped(models.Model):
    """`school` is the distribution column (Citus): every query on school data filters by it."""

    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+", db_index=True)

    class Meta:
        abstract = True


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

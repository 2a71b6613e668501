"""The base of every school-data model: a row belongs to exactly one school."""

from django.db import models


class SchoolScoped(models.Model):
    """`school` is the distribution column (Citus): every query on school data filters by it."""

    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="+", db_index=True)

    class Meta:
        abstract = True

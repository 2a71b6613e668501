"""A person's history (`PersonChange`) is append-only like the journal's: the model, its queryset and, on
PostgreSQL, a trigger refuse every update and delete."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from ejournal.accounts.models import PersonChange
from ejournal.accounts.services import record_change


@pytest.fixture
def row(small_school) -> PersonChange:
    return record_change(
        actor=small_school.admin, person=small_school.teacher, field=PersonChange.ACTIVE, old="нет", new="есть"
    )


def test_a_stored_row_is_neither_saved_again_nor_deleted(row):
    row.new_value = "нет"
    with pytest.raises(PermissionError):
        row.save()
    with pytest.raises(PermissionError):
        row.delete()
    assert PersonChange.objects.get(pk=row.pk).new_value == "есть"


def test_the_queryset_refuses_update_and_delete(row):
    with pytest.raises(PermissionError):
        PersonChange.objects.filter(pk=row.pk).update(new_value="нет")
    with pytest.raises(PermissionError):
        PersonChange.objects.filter(pk=row.pk).delete()
    assert PersonChange.objects.get(pk=row.pk).new_value == "есть"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only")
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE accounts_personchange SET new_value = 'нет' WHERE id = %s",
        "DELETE FROM accounts_personchange WHERE id = %s",
    ],
)
def test_postgresql_refuses_raw_update_and_delete(row, sql):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [row.pk])
    assert PersonChange.objects.get(pk=row.pk).new_value == "есть"

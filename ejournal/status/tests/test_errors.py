"""The server-error trace (status/errors.py): a 500 leaves a short record without the query or the body; the
handler never raises, never recurses; the purge removes only rows past the retention."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from django.db import connection
from django.test import RequestFactory
from django.utils import timezone

from ejournal.status import errors, purge
from ejournal.status.models import ServerError

pytestmark = pytest.mark.django_db


def record(request=None, status_code=500, exc=ZeroDivisionError):
    try:
        raise exc("секрет")
    except Exception:
        import sys

        info = sys.exc_info()
    rec = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "Internal Server Error", None, info)
    rec.request = request
    rec.status_code = status_code
    return rec


def test_a_server_error_is_traced_without_query_or_user(small_school):
    request = RequestFactory().post("/journal/5/?name=Иванов", data={"text": "секрет"})
    request._cached_user = small_school.teacher  # type: ignore[attr-defined]
    errors.ServerErrorHandler().handle(record(request))
    row = ServerError.objects.get()
    assert row.path == "/journal/5/" and row.exception == "builtins.ZeroDivisionError"
    assert row.school_id == small_school.school.pk and row.status_code == 500
    assert "Иванов" not in str(row.__dict__) and "секрет" not in str(row.__dict__)


def test_the_logger_writes_it_on_a_real_500(small_school, client, monkeypatch):
    from ejournal.home import views

    def broken(*args):
        raise RuntimeError("boom")

    monkeypatch.setattr(views.selectors, "home_page", broken)
    client.raise_request_exception = False
    client.force_login(small_school.admin)
    assert client.get("/?q=1").status_code == 500
    row = ServerError.objects.get()
    assert row.path == "/" and row.exception == "builtins.RuntimeError" and row.school_id == small_school.school.pk


def test_a_4xx_is_not_a_server_error(db):
    errors.ServerErrorHandler().handle(record(RequestFactory().get("/x/"), status_code=404))
    assert not ServerError.objects.exists()


def test_the_handler_never_raises_nor_recurses(db, monkeypatch):
    calls = []

    def failing(rec):
        calls.append(rec)
        logging.getLogger("django.request").error("while writing", extra={"status_code": 500})
        raise RuntimeError("database is gone")

    monkeypatch.setattr(errors, "write", failing)
    errors.ServerErrorHandler().emit(record(RequestFactory().get("/x/")))  # no exception
    assert len(calls) == 1


def test_purge_keeps_the_last_30_days(db):
    now = timezone.now()
    old = ServerError.objects.create(at=now - dt.timedelta(days=31), path="/old/")
    new = ServerError.objects.create(at=now - dt.timedelta(days=29), path="/new/")
    assert purge.purge(now) == 1
    assert list(ServerError.objects.values_list("pk", flat=True)) == [new.pk]
    assert not ServerError.objects.filter(pk=old.pk).exists()
    with pytest.raises(PermissionError):
        ServerError.objects.all().delete()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only")
def test_the_database_refuses_changes_and_early_deletes(db):
    from django.db import DatabaseError, transaction

    row = ServerError.objects.create(at=timezone.now(), path="/x/")
    for sql in (
        "UPDATE status_servererror SET path = '/y/' WHERE id = %s",
        "DELETE FROM status_servererror WHERE id = %s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [row.pk])

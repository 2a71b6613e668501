import pytest
from django.db import connection, transaction

from ejournal.audit.models import EventKind, SecurityEvent
from ejournal.audit.services import record

pytestmark = pytest.mark.django_db


def test_record_keeps_the_school_of_the_actor(small_school):
    event = record(kind=EventKind.ROLE_GRANTED, summary="Выдана роль «учитель»", actor=small_school.admin)
    assert event.school_id == small_school.school.pk
    assert event.actor == small_school.admin


def test_the_application_cannot_change_or_delete_an_event(small_school):
    event = record(kind=EventKind.LOGIN, summary="Вход", actor=small_school.admin)
    event.summary = "другое"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    assert SecurityEvent.objects.get(pk=event.pk).summary == "Вход"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL")
def test_the_database_refuses_updates_and_deletes(small_school):
    event = record(kind=EventKind.LOGIN, summary="Вход", actor=small_school.admin)
    for statement in ("UPDATE audit_securityevent SET summary = 'x'", "DELETE FROM audit_securityevent"):
        with pytest.raises(Exception, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement)
    assert SecurityEvent.objects.filter(pk=event.pk, summary="Вход").exists()

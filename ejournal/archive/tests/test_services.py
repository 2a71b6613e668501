import pytest

from ejournal.archive.models import BackupLogEntry, LogKind, LogStatus
from ejournal.archive.services import log_entry

pytestmark = pytest.mark.django_db


def test_log_entry_is_written_and_never_changed():
    entry = log_entry(kind=LogKind.BACKUP, status=LogStatus.DONE, what="Полная копия", where="/mnt/x.ejb", size=10)
    assert BackupLogEntry.objects.get().pk == entry.pk and entry.school is None
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        BackupLogEntry.objects.update(status=LogStatus.FAILED)

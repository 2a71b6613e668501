"""The signed forms (issue 17 «Signed forms») as PDF, typeset with typst like the class book (printing.books):
the act of handing over a backup or archive disk, the backup log's pages, and the director's non-disclosure
undertaking for an archive's access code. Each is built from the backup log's rows the user may read."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import typst
from django.template.defaultfilters import filesizeformat

from ejournal.access import archive as access
from ejournal.access import roles
from ejournal.accounts.models import Role, User
from ejournal.core import time as clock
from ejournal.core.errors import NotFound

from .models import BackupLogEntry, LogKind, LogStatus

TEMPLATE = Path(__file__).with_name("typst") / "forms.typ"
BLANK = "______________________"
ZWSP = "\u200b"


def render(data: dict[str, Any]) -> bytes:
    # JSON, never markup: a disk label or a name cannot inject typst code.
    return typst.compile(
        TEMPLATE.read_bytes(),
        format="pdf",
        sys_inputs={"data": json.dumps(data, ensure_ascii=False)},
        pdf_tags=False,
    )


def _local(user: User, entry: BackupLogEntry) -> str:
    zone = ZoneInfo(user.school.timezone) if user.school else None
    return f"{entry.at.astimezone(zone):%d.%m.%Y %H:%M}"


def _breakable(text: str) -> str:
    """A path or a checksum in a narrow column: a zero-width space where a line may break (typst breaks words
    only at spaces and hyphens, and a 64-digit SHA-256 or a folder path would run over the next columns)."""
    for mark in "/-_.":
        text = text.replace(mark, mark + ZWSP)
    return text


def _sha_lines(sha: str) -> str:
    return ZWSP.join(sha[i : i + 16] for i in range(0, len(sha), 16))


def _size(size: int | None) -> str:
    return "" if size is None else f"{filesizeformat(size)} ({size} байт)".replace("\xa0", " ")


def _school(user: User) -> str:
    return user.school.name if user.school else ""


def _director(user: User) -> str:
    if user.has_role(Role.DIRECTOR):
        return user.full_name
    found = (
        User.objects.filter(school_id=user.school_id, is_active=True, role_grants__role=Role.DIRECTOR)
        .order_by("pk")
        .first()
        if user.school_id
        else None
    )
    return found.full_name if found else BLANK


def _entry(user: User, entry_id: int, **filters: Any) -> BackupLogEntry:
    entry = access.visible_log(user).filter(pk=entry_id, status=LogStatus.DONE, **filters).first()
    if entry is None:
        raise NotFound()
    return entry


def act(*, user: User, entry_id: int) -> bytes:
    """The act of handing over the disk of a copy-out entry: what, SHA-256, size, date, label, who to whom."""
    roles.require(access.records_copy_out(user))
    copy = _entry(user, entry_id, kind=LogKind.COPY_OUT, details__has_key="recipient")
    source = access.visible_log(user).filter(pk=copy.details.get("source")).first()
    encrypted = source is None or source.kind == LogKind.ARCHIVE or source.details.get("encrypted", False)
    if source is not None and source.kind == LogKind.ARCHIVE:
        secret = "Код доступа к архиву известен только директору и вместе с носителем не передаётся."
    elif encrypted:
        secret = "Ключ резервных копий хранится отдельно от носителя и вместе с ним не передаётся."
    else:
        secret = "ВНИМАНИЕ: копия не зашифрована — носитель хранится как документ с персональными данными."
    return render(
        {
            "form": "act",
            "title": f"Акт приёма-передачи носителя № {copy.pk}",
            "school": _school(user),
            "number": str(copy.pk),
            "place": "",
            "date": _local(user, copy),
            "what": source.what if source else copy.what,
            "file": copy.details.get("file", ""),
            "size": _size(copy.size),
            "sha256": copy.sha256,
            "made": _local(user, source) if source else "",
            "label": copy.where,
            "holder": copy.details.get("holder", ""),
            "recipient": copy.details.get("recipient", ""),
            "director": _director(user),
            "secret": secret,
        }
    )


def log_pages(*, user: User) -> bytes:
    """Every entry the user may read, oldest first as a paper log is kept, with a signature column."""
    roles.require(access.reads_backups(user))
    entries = access.visible_log(user).select_related("actor").order_by("at", "id")
    rows = [
        {
            "number": str(e.pk),
            "at": _local(user, e),
            "kind": e.get_kind_display(),
            "what": e.what,
            "where": _breakable(e.where),
            "size": filesizeformat(e.size).replace("\xa0", " ") if e.size is not None else "",
            "sha256": _sha_lines(e.sha256),
            "actor": e.actor.short_name if e.actor else "оператор (консоль) / автоматически",
            "status": e.get_status_display(),
        }
        for e in entries
    ]
    return render(
        {
            "form": "log",
            "title": "Журнал пользования резервной копией",
            "school": _school(user),
            "date": f"{clock.now().astimezone(ZoneInfo(user.school.timezone) if user.school else None):%d.%m.%Y}",
            "rows": rows,
            "responsible": user.full_name,
        }
    )


def undertaking(*, user: User, entry_id: int) -> bytes:
    """The director's undertaking not to disclose the access code of one made archive."""
    roles.require(access.orders_period_archive(user))
    archive = _entry(user, entry_id, kind=LogKind.ARCHIVE, school_id=user.school_id)
    return render(
        {
            "form": "undertaking",
            "title": "Подписка о неразглашении кода доступа к архиву",
            "school": _school(user),
            "director": user.full_name,
            "what": archive.what,
            "file": Path(archive.where).name,
            "made": _local(user, archive),
            "sha256": archive.sha256,
            "date": f"«___» ____________ {clock.now().year} г.",
        }
    )

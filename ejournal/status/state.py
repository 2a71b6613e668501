"""What «Состояние системы» shows (page, API, alerts): each part of the installation with a traffic light —
ok / warning / problem — and, when not ok, what to do, in the administrator's words.

For one school: its own undelivered notifications, period archives and server errors, plus the installation's
state every school shares (database, worker, full backups, drills, the backup disk), as the backups page does.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Q
from django.urls import reverse

from ejournal.archive.models import BackupLogEntry, LogKind, LogStatus
from ejournal.archive.overview import free_space
from ejournal.archive.scheduled import HOLIDAYS, holidays_started
from ejournal.core import health
from ejournal.notifications.models import Delivery
from ejournal.notifications.selectors import PROBLEMS
from ejournal.schools.models import School

from .models import ServerError

OK, WARNING, PROBLEM = "ok", "warning", "problem"
STATE_NAMES = {OK: "в порядке", WARNING: "внимание", PROBLEM: "проблема"}
WORKER_SILENT = dt.timedelta(minutes=10)  # a silent worker past this is a problem, below it a warning
QUEUE_STUCK = dt.timedelta(minutes=15)  # the oldest waiting task
UNDELIVERED_PILING = 50
ERRORS_MANY = 10
DISK_LOW = 5 * 1024**3  # warning below 5 GiB free
DISK_FULL = 1024**3  # problem below 1 GiB free, or below twice the last copy
DAY = dt.timedelta(days=1)
ERRORS_SHOWN = 20


@dataclass(frozen=True)
class Item:
    key: str
    title: str
    state: str
    summary: str
    advice: str = ""
    facts: dict[str, Any] = field(default_factory=dict)
    url: str = ""

    @property
    def state_name(self) -> str:
        return STATE_NAMES[self.state]


@dataclass(frozen=True)
class SystemStatus:
    checked_at: dt.datetime
    items: list[Item]
    errors: list[ServerError]

    @property
    def state(self) -> str:
        states = {i.state for i in self.items}
        return PROBLEM if PROBLEM in states else WARNING if WARNING in states else OK

    @property
    def state_name(self) -> str:
        return STATE_NAMES[self.state]


def _ago(seconds: float | None) -> str:
    if seconds is None:
        return "никогда"
    minutes = int(seconds // 60)
    if minutes < 1:
        return "меньше минуты назад"
    if minutes < 120:
        return f"{minutes} мин. назад"
    return f"{minutes // 60} ч. назад"


def _gib(size: int) -> str:
    return f"{size / 1024**3:.1f} ГБ"


def database_item() -> Item:
    started = time.monotonic()
    db = health.database_state()
    latency = round((time.monotonic() - started) * 1000, 1)
    facts: dict[str, Any] = {"vendor": db["vendor"], "latency_ms": latency}
    title = "База данных"
    if not db["ok"]:
        return Item(
            "database",
            title,
            PROBLEM,
            f"База данных не отвечает ({db['error']}).",
            "Проверьте, запущен ли сервер базы данных и есть ли место на его диске; сообщите оператору установки.",
            facts,
        )
    connection = connections[DEFAULT_DB_ALIAS]
    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    facts["migrations_pending"] = len(pending)
    if pending:
        return Item(
            "database",
            title,
            PROBLEM,
            f"Не применены обновления структуры базы: {len(pending)}.",
            "Оператору установки: выполнить «ejournal migrate» (после резервной копии).",
            facts,
        )
    return Item("database", title, OK, f"Отвечает за {latency} мс ({connection.vendor}).", facts=facts)


def worker_items(now: dt.datetime) -> list[Item]:
    from django_tasks_db.models import DBTaskResult

    worker = health.worker_state()
    if "error" in worker:
        return [Item("worker", "Фоновые задачи", PROBLEM, "Состояние неизвестно: база данных не отвечает.")]
    seconds = worker["last_beat_seconds_ago"]
    failed = DBTaskResult.objects.failed().filter(finished_at__gte=now - DAY).count()
    facts = {
        "last_beat_seconds_ago": seconds,
        "queue_waiting": worker["queue_waiting"],
        "oldest_waiting_seconds": worker["oldest_waiting_seconds"],
        "failed_last_day": failed,
    }
    title = "Обработчик фоновых задач"
    restart = (
        "Оператору установки: проверить службу обработчика (ejournal worker) и перезапустить её; "
        "пока он молчит, не уходят уведомления и не делаются копии и отчёты."
    )
    if seconds is None:
        worker_item = Item("worker", title, PROBLEM, "Обработчик ни разу не отметился.", restart, facts)
    elif worker["ok"]:
        worker_item = Item("worker", title, OK, f"Последний сигнал {_ago(seconds)}.", facts=facts)
    else:
        state = PROBLEM if seconds > WORKER_SILENT.total_seconds() else WARNING
        worker_item = Item(
            "worker", title, state, f"Обработчик молчит: последний сигнал {_ago(seconds)}.", restart, facts
        )

    oldest = worker["oldest_waiting_seconds"]
    waiting = f"В очереди {worker['queue_waiting']}, старейшая ждёт {_ago(oldest).removesuffix(' назад')}"
    if oldest is not None and oldest > QUEUE_STUCK.total_seconds():
        queue = Item(
            "queue",
            "Очередь задач",
            WARNING,
            waiting + ".",
            "Задачи ждут дольше обычного: обработчик перегружен или остановлен. Проверьте его (см. выше).",
            facts,
        )
    elif failed:
        queue = Item(
            "queue",
            "Очередь задач",
            WARNING,
            f"За сутки с ошибкой завершились задачи: {failed}.",
            "Оператору установки: посмотреть ошибки задач в журнале обработчика; повторите действие, если нужно.",
            facts,
        )
    else:
        queue = Item(
            "queue", "Очередь задач", OK, f"В очереди {worker['queue_waiting']}, ошибок за сутки нет.", facts=facts
        )
    return [worker_item, queue]


def _entry_facts(entry: BackupLogEntry | None) -> dict[str, Any] | None:
    if entry is None:
        return None
    return {"at": entry.at.isoformat(), "status": entry.status, "what": entry.what, "size": entry.size}


def backup_items(school: School, now: dt.datetime) -> list[Item]:
    log = BackupLogEntry.objects.filter(Q(school_id=school.pk) | Q(school__isnull=True))
    backups = log.filter(kind=LogKind.BACKUP)
    last_done = backups.filter(status=LogStatus.DONE).first()
    last = backups.first()
    url = reverse("archive:backups")
    facts = {"last_done": _entry_facts(last_done), "last": _entry_facts(last)}
    title = "Резервные копии"
    since = holidays_started(now) if settings.EJOURNAL_BACKUP_DIR else None
    overdue = (
        since is not None
        and now - since > DAY
        and not backups.filter(status=LogStatus.DONE, details__occasion=HOLIDAYS, at__gte=since).exists()
    )
    done_text = f"Последняя удачная копия — {last_done.at:%d.%m.%Y %H:%M}." if last_done else "Удачных копий нет."
    if last is not None and last.status != LogStatus.DONE:
        reason = str(last.details.get("error") or last.get_status_display())
        backup = Item(
            "backup",
            title,
            PROBLEM,
            f"Последняя копия ({last.at:%d.%m.%Y %H:%M}) не удалась: {reason} {done_text}",
            "Устраните причину (диск подключён? хватает места? ключ на месте?) и сделайте копию заново "
            "на странице «Резервные копии».",
            facts,
            url,
        )
    elif overdue:
        backup = Item(
            "backup",
            title,
            PROBLEM,
            f"Каникулярная копия не сделана, хотя её день прошёл. {done_text}",
            "Проверьте, работает ли обработчик фоновых задач и подключён ли диск копий; сделайте копию вручную.",
            facts,
            url,
        )
    elif not settings.EJOURNAL_BACKUP_DIR:
        backup = Item(
            "backup",
            title,
            WARNING,
            f"Папка резервных копий не задана: автоматических копий нет. {done_text}",
            "Оператору установки: задать EJOURNAL_BACKUP_DIR (отдельный диск) и EJOURNAL_BACKUP_KEY_FILE.",
            facts,
            url,
        )
    elif last_done is None:
        backup = Item(
            "backup", title, WARNING, done_text, "Сделайте первую копию на странице «Резервные копии».", facts, url
        )
    else:
        backup = Item("backup", title, OK, done_text, facts=facts, url=url)

    drill = log.filter(kind=LogKind.DRILL).first()
    drill_facts = {"last": _entry_facts(drill)}
    drill_title = "Проверочное восстановление"
    if drill is not None and drill.status != LogStatus.DONE:
        reason = str(drill.details.get("error") or "")
        drill_item = Item(
            "drill",
            drill_title,
            PROBLEM,
            f"Проверка копии {drill.at:%d.%m.%Y} не удалась: {reason}",
            "Из этой копии, возможно, не восстановиться: сделайте новую копию и сообщите оператору установки.",
            drill_facts,
            url,
        )
    elif drill is None:
        state = WARNING if last_done is not None else OK
        advice = "Проверка идёт сама после каникулярной копии и раз в неделю; убедитесь, что обработчик работает."
        drill_item = Item(
            "drill", drill_title, state, "Проверок ещё не было.", advice if state != OK else "", drill_facts, url
        )
    else:
        drill_item = Item(
            "drill", drill_title, OK, f"Последняя проверка {drill.at:%d.%m.%Y} прошла.", facts=drill_facts, url=url
        )

    archive = log.filter(kind=LogKind.ARCHIVE, school_id=school.pk, status=LogStatus.DONE).first()
    archive_item = Item(
        "archive",
        "Архив периода",
        OK,
        f"Последний архив — {archive.at:%d.%m.%Y}: {archive.what}." if archive else "Архивов периода ещё нет.",
        facts={"last_done": _entry_facts(archive)},
        url=reverse("archive:periods"),
    )
    return [backup, drill_item, archive_item]


def disk_item(school: School) -> Item:
    free, problem = free_space()
    title = "Диск резервных копий"
    facts: dict[str, Any] = {"folder": settings.EJOURNAL_BACKUP_DIR, "free_bytes": free}
    if free is None:
        state = WARNING if not settings.EJOURNAL_BACKUP_DIR else PROBLEM
        return Item(
            "disk", title, state, problem, "Подключите диск копий или задайте папку (оператор установки).", facts
        )
    last = (
        BackupLogEntry.objects.filter(Q(school_id=school.pk) | Q(school__isnull=True))
        .filter(kind=LogKind.BACKUP, status=LogStatus.DONE, size__isnull=False)
        .values_list("size", flat=True)
        .first()
    )
    need = max(DISK_FULL, 2 * (last or 0))
    text = f"Свободно {_gib(free)}."
    advice = "Перенесите старые копии на внешний носитель (по реестру хранения) или замените диск на больший."
    if free < need:
        return Item("disk", title, PROBLEM, text + " Следующая копия может не поместиться.", advice, facts)
    if free < DISK_LOW:
        return Item("disk", title, WARNING, text + " Диск почти заполнен.", advice, facts)
    return Item("disk", title, OK, text, facts=facts)


def notifications_item(school: School) -> Item:
    problems = Delivery.objects.filter(school_id=school.pk).filter(PROBLEMS["all"][1])
    failed = problems.count()
    url = reverse("notifications:undelivered") + "?problem=all"
    title = "Недоставленные уведомления"
    facts = {"undelivered": failed}
    if not failed:
        return Item("notifications", title, OK, "Все уведомления доставлены.", facts=facts, url=url)
    state = PROBLEM if failed >= UNDELIVERED_PILING else WARNING
    return Item(
        "notifications",
        title,
        state,
        f"Не доставлено или ждёт повтора: {failed}.",
        "Откройте список: причина указана у каждого (неверный адрес, не настроена почта); исправьте и повторите.",
        facts,
        url,
    )


def errors_item(school: School, now: dt.datetime) -> tuple[Item, list[ServerError]]:
    recent = ServerError.objects.filter(Q(school_id=school.pk) | Q(school__isnull=True), at__gte=now - DAY)
    count = recent.count()
    title = "Ошибки сервера за сутки"
    facts = {"count": count}
    shown = list(recent[:ERRORS_SHOWN])
    if not count:
        return Item("errors", title, OK, "Ошибок нет.", facts=facts), shown
    state = PROBLEM if count >= ERRORS_MANY else WARNING
    advice = (
        "Передайте оператору установки или в техническую поддержку время и адреса ниже "
        "(подробности — в журнале сервера за это время)."
    )
    return Item("errors", title, state, f"Ошибок: {count}.", advice, facts), shown


def system_status(school: School, now: dt.datetime) -> SystemStatus:
    db = database_item()
    if db.state == PROBLEM and "migrations_pending" not in db.facts:
        return SystemStatus(checked_at=now, items=[db], errors=[])  # nothing else can be read
    errors, shown = errors_item(school, now)
    items = [
        db,
        *worker_items(now),
        *backup_items(school, now),
        disk_item(school),
        notifications_item(school),
        errors,
    ]
    return SystemStatus(checked_at=now, items=items, errors=shown)


def as_json(status: SystemStatus) -> dict[str, Any]:
    return {
        "checked_at": status.checked_at.isoformat(),
        "state": status.state,
        "items": [
            {
                "key": i.key,
                "title": i.title,
                "state": i.state,
                "summary": i.summary,
                "advice": i.advice,
                "facts": i.facts,
                "url": i.url,
            }
            for i in status.items
        ],
        "errors": [
            {"at": e.at.isoformat(), "path": e.path, "exception": e.exception, "status_code": e.status_code}
            for e in status.errors
        ],
    }

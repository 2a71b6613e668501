"""The outbox: one Message per recipient and event, one Delivery per channel with its own status.

A message is the inbox item; its deliveries are the attempts to reach the person elsewhere. The worker
sends deliveries whose `next_attempt_at` has come; nothing is sent inside the request that caused it.
"""

from __future__ import annotations

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from ejournal.core.models import SchoolScoped


class Event(models.TextChoices):
    MARK = "mark", "новая или изменённая отметка"
    ABSENCE = "absence", "пропуск урока"
    PERIOD_MARK = "period_mark", "отметка за период"
    HOMEWORK = "homework", "домашнее задание"
    LOW_AVERAGE = "low_average", "средний балл ниже порога"
    MESSAGE = "message", "сообщение"
    REPORT_READY = "report_ready", "отчёт готов"
    DIGEST = "digest", "сводка"


# Events a person may switch off; messages, reports and digests always come.
OPTIONAL_EVENTS = (Event.MARK, Event.ABSENCE, Event.PERIOD_MARK, Event.HOMEWORK, Event.LOW_AVERAGE)


def all_events() -> list[str]:
    return [e.value for e in OPTIONAL_EVENTS]


def email_only() -> list[str]:
    return ["email"]


class Digest(models.TextChoices):
    NONE = "none", "каждое событие сразу"
    DAILY = "daily", "сводка раз в день"
    WEEKLY = "weekly", "сводка раз в неделю"


class Status(models.TextChoices):
    PENDING = "pending", "ожидает отправки"
    SENT = "sent", "доставлено"
    FAILED = "failed", "не доставлено"
    DELAYED = "delayed", "отложено (тихие часы)"
    SKIPPED = "skipped", "пропущено"


class Preferences(SchoolScoped):
    """What a person wants to receive and how; without a row: every event, e-mail and the inbox, no quiet hours."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # Channel names of `channels.REGISTRY` the person switched on; the inbox is always on.
    channels = models.JSONField("каналы", default=email_only)
    events = models.JSONField("события", default=all_events)
    quiet_start = models.TimeField("тихие часы с", null=True, blank=True)
    quiet_end = models.TimeField("тихие часы до", null=True, blank=True)
    average_threshold = models.DecimalField(
        "сообщать, если средний балл ниже", max_digits=3, decimal_places=2, null=True, blank=True
    )
    digest = models.CharField("сводка", max_length=8, choices=Digest.choices, default=Digest.NONE)
    digest_hour = models.PositiveSmallIntegerField("час сводки", default=19)
    digest_weekday = models.PositiveSmallIntegerField("день недельной сводки (0 — понедельник)", default=6)
    last_digest_at = models.DateTimeField(null=True, blank=True)
    telegram_chat_id = models.CharField(max_length=32, blank=True)
    telegram_code = models.CharField(max_length=32, blank=True, db_index=True)
    telegram_code_expires = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "настройки уведомлений"
        verbose_name_plural = "настройки уведомлений"

    def __str__(self) -> str:
        return f"настройки #{self.user_id}"


class Message(SchoolScoped):
    """One notification for one person. `ready_at` is the end of the debounce window: until then a new
    change of the same thing (same `dedupe_key`) rewrites this message instead of adding another."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    event = models.CharField(max_length=20, choices=Event.choices)
    title = models.CharField(max_length=200)
    text = models.TextField()
    url = models.CharField(max_length=300, blank=True)
    dedupe_key = models.CharField(max_length=100, blank=True)
    # What the thing was before the first change of the window (marks: the previous values), so that
    # a change undone within the window cancels the message.
    baseline = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField()
    ready_at = models.DateTimeField()
    # Shown in the inbox from this moment (the in-app channel sets it); read by the person at read_at.
    inbox_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # A digest subscriber's message waits for the next digest; the digest message that told it.
    awaits_digest = models.BooleanField(default=False)
    digest = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = "уведомление"
        verbose_name_plural = "уведомления"
        indexes = [
            models.Index(fields=["recipient", "dedupe_key", "ready_at"]),
            models.Index(fields=["recipient", "inbox_at"]),
            models.Index(fields=["recipient", "awaits_digest"]),
        ]

    def __str__(self) -> str:
        return self.title


class Delivery(SchoolScoped):
    """One attempt chain to bring a message to one channel."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField("канал", max_length=20)
    status = models.CharField("состояние", max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField("попыток", default=0)
    next_attempt_at = models.DateTimeField("следующая попытка", null=True, blank=True)
    last_error = models.CharField("причина", max_length=300, blank=True)
    sent_at = models.DateTimeField("отправлено", null=True, blank=True)
    # The delivery whose failure made this one (e-mail failed → Telegram).
    fallback_for = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = "доставка"
        verbose_name_plural = "доставки"
        indexes = [
            models.Index(fields=["status", "next_attempt_at"]),
            models.Index(fields=["school", "status"]),
        ]
        constraints = [models.UniqueConstraint(fields=["message", "channel"], name="delivery_message_channel")]

    def __str__(self) -> str:
        return f"{self.channel}: {self.get_status_display()}"


class PushSubscription(SchoolScoped):
    """A browser that agreed to web push: endpoint and keys from `PushManager.subscribe()`."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    endpoint = models.URLField(max_length=500, unique=True)
    p256dh = models.CharField(max_length=200)
    auth = models.CharField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "подписка на push"
        verbose_name_plural = "подписки на push"

    def __str__(self) -> str:
        return f"push #{self.pk}"


class JournalEvent(SchoolScoped):
    """A change of the journal waiting for the worker to turn it into messages: the only write the teacher's
    request makes for informing (one INSERT). A failure to process it leaves the row for the next run."""

    kind = models.CharField(max_length=20)
    payload = models.JSONField(encoder=DjangoJSONEncoder)
    at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = "событие журнала для уведомлений"
        verbose_name_plural = "события журнала для уведомлений"

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"

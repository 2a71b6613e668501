"""Support requests (обращения) with their messages and append-only status history, the FAQ that grows from
answered requests, and training sessions with sign-ups."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from ejournal.core.models import AppendOnly, SchoolScoped


class Status(models.TextChoices):
    NEW = "new", "новый"
    IN_PROGRESS = "in_progress", "в работе"
    ESCALATED = "escalated", "передан в техподдержку"
    ANSWERED = "answered", "ответ дан"
    CLOSED = "closed", "закрыт"


class Ticket(SchoolScoped):
    """A question asked from a page. The page and a short description of the context are attached by the
    system; nothing else about the person beyond their account."""

    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("создано")
    status = models.CharField("состояние", max_length=16, choices=Status.choices, default=Status.NEW)
    page_path = models.CharField("страница", max_length=300, blank=True)
    page_title = models.CharField("заголовок страницы", max_length=200, blank=True)
    context = models.CharField("контекст", max_length=300, blank=True)
    file_name = models.CharField("файл", max_length=200, blank=True)
    file_type = models.CharField("тип файла", max_length=100, blank=True)
    file_data = models.BinaryField("содержимое файла", null=True, blank=True)
    # The escalation to the regional technical support: the message as sent (or copied), and its answer.
    escalated_at = models.DateTimeField("передано в техподдержку", null=True, blank=True)
    escalation_text = models.TextField("сообщение в техподдержку", blank=True)
    escalated_to = models.CharField("куда передано", max_length=254, blank=True)
    regional_answer = models.TextField("ответ техподдержки", blank=True)
    regional_answered_at = models.DateTimeField("ответ техподдержки получен", null=True, blank=True)

    class Meta:
        verbose_name = "обращение"
        verbose_name_plural = "обращения"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Обращение №{self.pk}"


class TicketMessage(SchoolScoped):
    """The question, follow-ups of the author and answers of the administrator, in order."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField("когда")
    text = models.TextField("текст")
    is_answer = models.BooleanField("ответ администратора", default=False)

    class Meta:
        verbose_name = "сообщение обращения"
        verbose_name_plural = "сообщения обращений"
        ordering = ["at", "id"]


class StatusChange(AppendOnly, SchoolScoped):
    """Every change of a request's status: who, when, to what. Append-only (PostgreSQL trigger too)."""

    ticket = models.ForeignKey(Ticket, on_delete=models.PROTECT, related_name="status_changes")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField("когда")
    status = models.CharField("состояние", max_length=16, choices=Status.choices)
    note = models.CharField("примечание", max_length=200, blank=True)

    class Meta:
        verbose_name = "смена состояния обращения"
        verbose_name_plural = "история состояний обращений"
        ordering = ["at", "id"]


class FaqEntry(SchoolScoped):
    """An answered question, edited and anonymised by the administrator, for everyone in the school."""

    category = models.CharField("раздел", max_length=100)
    question = models.TextField("вопрос")
    answer = models.TextField("ответ")
    published_at = models.DateTimeField("опубликовано")
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    ticket = models.ForeignKey(Ticket, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # Category, question and answer in lower case: SQLite compares only Latin letters without case, so the
    # search runs over this copy on both databases.
    search_text = models.TextField(blank=True, default="", editable=False)

    class Meta:
        verbose_name = "вопрос и ответ"
        verbose_name_plural = "частые вопросы"
        ordering = ["category", "-published_at", "-id"]


class Audience(models.TextChoices):
    TEACHERS = "teachers", "учителя"
    CLASS_TEACHERS = "class_teachers", "классные руководители"
    PARENTS = "parents", "родители"


class Training(SchoolScoped):
    """A training session of the school's standing training point."""

    title = models.CharField("тема", max_length=200)
    starts_at = models.DateTimeField("начало")
    place = models.CharField("место", max_length=200, blank=True)
    link = models.URLField("ссылка на видеовстречу", max_length=500, blank=True)
    audience = models.CharField("для кого", max_length=16, choices=Audience.choices)
    capacity = models.PositiveIntegerField("мест")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reminded_at = models.DateTimeField("напоминание отправлено", null=True, blank=True)

    class Meta:
        verbose_name = "обучающее занятие"
        verbose_name_plural = "обучающие занятия"
        ordering = ["starts_at", "id"]

    def __str__(self) -> str:
        return self.title


class SignUp(SchoolScoped):
    """A person signed up for a session; `attended` is set by the administrator after it (None: not yet)."""

    training = models.ForeignKey(Training, on_delete=models.CASCADE, related_name="signups")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField("записался")
    attended = models.BooleanField("присутствовал", null=True, blank=True)

    class Meta:
        verbose_name = "запись на занятие"
        verbose_name_plural = "записи на занятия"
        ordering = ["training", "at", "id"]
        constraints = [models.UniqueConstraint(fields=["training", "user"], name="support_signup_unique")]

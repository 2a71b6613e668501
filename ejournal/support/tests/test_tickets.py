"""Support requests: asked from a page with the context attached, seen by the author and the school's
administrator only, answered (the author is notified), escalated with a prepared message, closed; every
status change in the append-only history; bad input refused in Russian with nothing stored."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.urls import reverse

from ejournal.access import support as access
from ejournal.core.errors import Conflict, NotFound, ValidationFailed
from ejournal.notifications.models import Message
from ejournal.support import services
from ejournal.support.models import FaqEntry, Status, StatusChange, Ticket

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
CHROME = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36"
)


def test_short_agent_names_the_browser_and_system_only():
    assert services.short_agent(CHROME) == "Chrome 120, Windows"
    assert services.short_agent(CHROME + " YaBrowser/24.1.0") == "Яндекс Браузер 24, Windows"
    assert services.short_agent("") == "браузер ?"


def test_ask_page_attaches_page_and_context_without_query(client, small_school):
    s = small_school
    client.force_login(s.teacher)
    r = client.get(reverse("support:ask"), {"page": "/journal/?student=5"})
    assert r.status_code == 200
    assert 'value="/journal/"' in r.content.decode()
    r = client.post(
        reverse("support:ask"),
        {
            "page": "/journal/?student=5",
            "title": "Журнал",
            "text": "Не сохраняется отметка",
            "file": SimpleUploadedFile("шаг.pdf", PDF),
        },
        HTTP_USER_AGENT=CHROME,
    )
    ticket = Ticket.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("support:ticket", kwargs={"ticket_id": ticket.pk})
    assert (ticket.page_path, ticket.page_title, ticket.status) == ("/journal/", "Журнал", Status.NEW)
    assert ticket.context == f"Роль: учитель; школа: {s.school.name}; браузер: Chrome 120, Windows"
    assert bytes(ticket.file_data or b"") == PDF and ticket.file_type == "application/pdf"
    # The administrator is told there is a new request.
    assert Message.objects.filter(recipient=s.admin, title="Новое обращение").exists()
    page = client.get(reverse("support:ticket", kwargs={"ticket_id": ticket.pk})).content.decode()
    assert "Не сохраняется отметка" in page and "новый" in page
    download = client.get(reverse("support:ticket_file", kwargs={"ticket_id": ticket.pk}))
    assert download.status_code == 200 and download.content == PDF


def test_a_50_mb_attachment_is_refused_and_nothing_is_stored(client, small_school):
    client.force_login(small_school.parent)
    big = SimpleUploadedFile("скан.pdf", PDF + b"0" * (50 * 1024 * 1024))
    r = client.post(reverse("support:ask"), {"text": "Вопрос", "file": big})
    assert r.status_code == 422
    assert "не больше 10,0 МБ" in r.content.decode()
    assert not Ticket.objects.exists()


def test_a_program_renamed_to_pdf_is_refused(small_school):
    with pytest.raises(ValidationFailed, match="не принимается"):
        services.ask(actor=small_school.teacher, text="?", upload=SimpleUploadedFile("a.pdf", b"MZ\x90\x00\x03"))
    assert not Ticket.objects.exists()


def test_a_parent_sees_only_their_own_requests(client, small_school, other_school):
    s = small_school
    mine = services.ask(actor=s.parent, text="Мой вопрос")
    theirs = services.ask(actor=s.teacher, text="Вопрос учителя")
    foreign = services.ask(actor=other_school.teacher, text="Чужая школа")
    client.force_login(s.parent)
    listing = client.get(reverse("support:tickets")).content.decode()
    assert f"№{mine.pk}" in listing and f"№{theirs.pk}<" not in listing
    assert client.get(reverse("support:ticket", kwargs={"ticket_id": mine.pk})).status_code == 200
    assert client.get(reverse("support:ticket", kwargs={"ticket_id": theirs.pk})).status_code == 404
    assert client.post(reverse("support:reply", kwargs={"ticket_id": theirs.pk}), {"text": "x"}).status_code == 404
    client.force_login(s.admin)
    assert client.get(reverse("support:ticket", kwargs={"ticket_id": theirs.pk})).status_code == 200
    assert client.get(reverse("support:ticket", kwargs={"ticket_id": foreign.pk})).status_code == 404
    # Only the administrator escalates.
    client.force_login(s.parent)
    assert client.post(reverse("support:escalate", kwargs={"ticket_id": mine.pk}), {"text": "x"}).status_code == 404


def test_answer_notifies_the_author_and_history_keeps_every_status(client, small_school, django_assert_max_num_queries):
    s = small_school
    ticket = services.ask(actor=s.teacher, text="Как выставить пропуск?")
    client.force_login(s.admin)
    client.post(reverse("support:take", kwargs={"ticket_id": ticket.pk}))
    r = client.post(reverse("support:reply", kwargs={"ticket_id": ticket.pk}), {"text": "Нажмите «Н» в клетке."})
    assert r.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == Status.ANSWERED
    note = Message.objects.get(recipient=s.teacher, title="Ответ на ваш вопрос")
    assert note.url == reverse("support:ticket", kwargs={"ticket_id": ticket.pk})
    client.force_login(s.teacher)
    client.post(reverse("support:reply", kwargs={"ticket_id": ticket.pk}), {"text": "А для урока вчера?"})
    client.post(reverse("support:close", kwargs={"ticket_id": ticket.pk}))
    history = list(StatusChange.objects.filter(ticket=ticket).values_list("status", flat=True))
    assert history == [Status.NEW, Status.IN_PROGRESS, Status.ANSWERED, Status.IN_PROGRESS, Status.CLOSED]
    with django_assert_max_num_queries(20):
        page = client.get(reverse("support:tickets"))
    assert "закрыт" in page.content.decode()


def test_a_message_to_a_closed_request_is_refused(client, small_school):
    s = small_school
    ticket = services.ask(actor=s.parent, text="Вопрос")
    services.close(actor=s.parent, ticket=ticket)
    with pytest.raises(Conflict, match="закрыто"):
        services.reply(actor=s.parent, ticket=ticket, text="Ещё")
    client.force_login(s.parent)
    r = client.post(reverse("support:reply", kwargs={"ticket_id": ticket.pk}), {"text": "Ещё"}, follow=True)
    assert "закрыто: в него больше не пишут" in r.content.decode()
    assert ticket.messages.count() == 1


def test_status_history_is_append_only(small_school):
    ticket = services.ask(actor=small_school.teacher, text="Вопрос")
    change = StatusChange.objects.get(ticket=ticket)
    with pytest.raises(PermissionError):
        change.delete()
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("UPDATE support_statuschange SET note = 'x' WHERE id = %s", [change.pk])


def test_escalation_is_prepared_without_children_names_and_sent_through_the_worker(
    small_school, settings, django_capture_on_commit_callbacks
):
    s = small_school
    child = s.students_5a[0]
    ticket = services.ask(
        actor=s.class_teacher,
        text=f"У ученика {child.last_name} не открывается дневник",
        page="/diary/",
        title="Дневник",
    )
    text = services.prepare_escalation(ticket)
    assert child.last_name not in text and "[ученик]" in text
    assert "Версия ЭЖ:" in text and "Дневник (/diary/)" in text and s.school.name in text
    with pytest.raises(ValidationFailed, match="не настроен"):
        services.escalate(actor=s.admin, ticket=ticket, text=text, send=True)
    settings.SUPPORT_EMAIL = "help@region.example"
    with django_capture_on_commit_callbacks(execute=True):
        services.escalate(actor=s.admin, ticket=ticket, text=text + "\nДобавлено администратором", send=True)
    ticket.refresh_from_db()
    assert ticket.status == Status.ESCALATED and ticket.escalated_to == "help@region.example"
    (letter,) = [m for m in mail.outbox if m.to == ["help@region.example"]]
    assert "Добавлено администратором" in letter.body and child.last_name not in letter.body
    services.record_regional_answer(actor=s.admin, ticket=ticket, text="Очистите кэш браузера")
    ticket.refresh_from_db()
    assert ticket.regional_answer == "Очистите кэш браузера" and ticket.status == Status.IN_PROGRESS


def test_escalation_copied_by_hand_is_tracked(client, small_school):
    s = small_school
    ticket = services.ask(actor=s.teacher, text="Ошибка")
    client.force_login(s.admin)
    page = client.get(reverse("support:ticket", kwargs={"ticket_id": ticket.pk})).content.decode()
    assert "Версия ЭЖ" in page  # the prepared message is in the form
    client.post(reverse("support:escalate", kwargs={"ticket_id": ticket.pk}), {"text": "Сообщение", "how": "copy"})
    ticket.refresh_from_db()
    assert (ticket.status, ticket.escalated_to) == (Status.ESCALATED, "скопировано администратором")


def test_faq_is_published_from_an_answered_request_and_searched(client, small_school, other_school):
    s = small_school
    ticket = services.ask(actor=s.parent, text="Как сменить пароль?")
    with pytest.raises(ValidationFailed):
        services.publish_faq(actor=s.admin, ticket=ticket, category="Вход", question="q", answer="a")
    services.reply(actor=s.admin, ticket=ticket, text="В «Мои сеансы» → «Сменить пароль».")
    client.force_login(s.admin)
    r = client.post(
        reverse("support:publish", kwargs={"ticket_id": ticket.pk}),
        {"category": "Вход", "question": "Как сменить пароль?", "answer": "Через «Сменить пароль»."},
    )
    assert r.status_code == 302 and FaqEntry.objects.count() == 1
    client.force_login(s.students_5a[0])
    assert "Как сменить пароль?" in client.get(reverse("support:faq"), {"q": "пароль сменить"}).content.decode()
    assert "Как сменить пароль?" not in client.get(reverse("support:faq"), {"q": "расписание"}).content.decode()
    client.force_login(other_school.teacher)
    assert "Как сменить пароль?" not in client.get(reverse("support:faq")).content.decode()
    client.force_login(s.parent)
    assert client.post(reverse("support:publish", kwargs={"ticket_id": ticket.pk}), {}).status_code == 404


def test_notfound_for_a_ticket_outside_scope(small_school):
    ticket = services.ask(actor=small_school.teacher, text="?")
    with pytest.raises(NotFound):
        access.ticket_for(small_school.parent, ticket.pk)

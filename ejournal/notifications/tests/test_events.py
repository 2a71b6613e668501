"""Journal events → outbox: who gets what, debounce, cancel, texts without personal data beyond the need."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from ejournal.journal import lessons as journal_lessons
from ejournal.journal import services as journal
from ejournal.journal import signals
from ejournal.notifications.delivery import deliver_due
from ejournal.notifications.events import process_events
from ejournal.notifications.models import Delivery, Event, JournalEvent, Message, Preferences, Status
from ejournal.notifications.services import CANCELLED

MONDAY = dt.date(2026, 12, 21)
DUE = dt.date(2026, 12, 23)


def assert_nothing_told():
    """Whatever waited was cancelled: the worker, run long after the window, tells nobody anything."""
    assert set(Delivery.objects.values_list("status", "last_error")) <= {(Status.SKIPPED, CANCELLED)}
    deliver_due(timezone.now() + dt.timedelta(minutes=10))
    assert not Message.objects.filter(inbox_at__isnull=False).exists()
    assert not Delivery.objects.filter(status=Status.SENT).exists()


def set_marks(commit, j, values):
    commit(journal.set_marks, actor=j.teacher, lesson=j.lesson_on(MONDAY), student=j.students[0], values=values)
    process_events()


def test_the_teachers_request_only_records_the_event(journal, django_assert_num_queries):
    lesson, child = journal.lesson_on(MONDAY), journal.students[0]
    with django_assert_num_queries(1) as captured:  # what the journal's after-commit signal costs the request
        signals.marks_changed.send(
            sender=None, school_id=child.school_id, lesson_id=lesson.pk, student_id=child.pk, actor_id=1,
            marks=("5",), previous=(),
        )  # fmt: skip
    assert "INSERT" in captured.captured_queries[0]["sql"]
    event = JournalEvent.objects.get()
    assert (event.kind, event.payload["marks"], event.payload["student_id"]) == ("mark", ["5"], child.pk)
    assert not Message.objects.exists()
    assert process_events() == 1
    assert not JournalEvent.objects.exists()
    assert Message.objects.filter(recipient=journal.s.parent).exists()


def test_a_failing_event_stays_for_the_next_run(journal, monkeypatch):
    from ejournal.notifications import events

    JournalEvent.objects.create(school=journal.s.school, kind="mark", payload={"lesson_id": 1}, at=timezone.now())
    assert process_events() == 0  # the payload lacks student_id: the handler fails
    event = JournalEvent.objects.get()
    assert (event.attempts, event.last_error.startswith("TypeError")) == (1, True)
    monkeypatch.setitem(events.HANDLERS, "mark", lambda **kwargs: None)
    assert process_events() == 1
    assert not JournalEvent.objects.exists()


def test_new_mark_goes_to_student_and_parent_with_first_name_subject_value_date(commit, journal):
    set_marks(commit, journal, ["5"])
    child, parent = journal.students[0], journal.s.parent
    messages = {m.recipient_id: m for m in Message.objects.filter(event=Event.MARK)}
    assert set(messages) == {child.pk, parent.pk}
    m = messages[parent.pk]
    assert m.title == "Новая отметка"
    assert m.text == f"{child.first_name}: 5 по предмету «Математика» за 21.12.2026"
    assert child.last_name not in m.text
    assert m.url == f"/diary/{child.pk}/?week=2026-12-21"
    # The parent has an address: inbox and e-mail; the student has none: inbox only.
    assert sorted(Delivery.objects.filter(message=m).values_list("channel", flat=True)) == ["email", "inapp"]
    assert list(Delivery.objects.filter(message=messages[child.pk]).values_list("channel", flat=True)) == ["inapp"]
    assert m.ready_at > timezone.now() + dt.timedelta(minutes=2)


def test_mark_corrected_within_window_is_one_message_with_the_final_value(commit, journal):
    set_marks(commit, journal, ["4"])
    set_marks(commit, journal, ["5"])
    set_marks(commit, journal, ["5", "3"])
    m = Message.objects.get(event=Event.MARK, recipient=journal.s.parent)
    assert m.title == "Новая отметка"
    assert m.text.endswith(": 5/3 по предмету «Математика» за 21.12.2026")
    assert Delivery.objects.filter(message=m).count() == 2


def test_mark_set_and_removed_within_window_gives_nothing(commit, journal):
    set_marks(commit, journal, ["2"])
    set_marks(commit, journal, [])
    assert_nothing_told()


def test_change_after_window_is_a_new_message_describing_the_change(commit, journal, settings):
    settings.NOTIFY_DEBOUNCE = 0
    set_marks(commit, journal, ["4"])
    set_marks(commit, journal, ["5"])
    texts = list(Message.objects.filter(recipient=journal.s.parent).order_by("pk").values_list("title", "text"))
    assert [t for t, _ in texts] == ["Новая отметка", "Отметка изменена"]
    assert texts[1][1].endswith("изменена: 4 → 5")


def test_person_who_switched_marks_off_gets_none(commit, journal):
    parent = journal.s.parent
    Preferences.objects.create(school=parent.school, user=parent, channels=["email"], events=["absence"])
    set_marks(commit, journal, ["5"])
    assert not Message.objects.filter(recipient=parent).exists()
    assert Message.objects.filter(recipient=journal.students[0]).exists()


def test_absence_and_its_removal(commit, journal):
    journal_cell(commit, journal, "н")
    m = Message.objects.get(event=Event.ABSENCE, recipient=journal.s.parent)
    assert m.text == f"{journal.students[0].first_name} отсутствовал(а) на уроке «Математика» 21.12.2026"
    journal_cell(commit, journal, "")
    assert_nothing_told()


def test_reason_given_later_is_not_news(commit, journal, settings):
    settings.NOTIFY_DEBOUNCE = 0
    journal_cell(commit, journal, "н")
    journal_cell(commit, journal, "б")
    assert Message.objects.filter(recipient=journal.s.parent).count() == 1


def journal_cell(commit, j, code):
    commit(journal.set_attendance, actor=j.teacher, lesson=j.lesson_on(MONDAY), student=j.students[0], code=code)
    process_events()


def test_homework_reaches_the_whole_class_and_parents(commit, journal):
    lesson = journal.lesson_on(MONDAY)
    commit(journal_lessons.set_homework, actor=journal.teacher, lesson=lesson, text="№ 12, 14", due_date=DUE)
    process_events()
    recipients = set(Message.objects.filter(event=Event.HOMEWORK).values_list("recipient_id", flat=True))
    assert recipients == {s.pk for s in journal.students} | {journal.s.parent.pk}
    m = Message.objects.get(event=Event.HOMEWORK, recipient=journal.s.parent)
    assert (
        m.text == f"{journal.students[0].first_name}: домашнее задание по предмету «Математика» к 23.12.2026: № 12, 14"
    )

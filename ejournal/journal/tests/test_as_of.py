"""«Журнал на дату» (journal/as_of.py): marks, attendance, topics, homework, the kind of work and period marks
changed over several days read back exactly as they stood at the end of each day, with the later changes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.urls import reverse

from ejournal.journal import as_of, lessons, period_marks, services
from ejournal.journal.models import ChangeKind, ChangeRecord, PeriodMarkKind

from .conftest import TODAY, TZ, set_clock

D1, D2, D3, D4 = dt.date(2026, 12, 1), dt.date(2026, 12, 2), dt.date(2026, 12, 3), dt.date(2026, 12, 24)


def end_of(day: dt.date, hour: int = 23, minute: int = 59) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ)


@pytest.fixture
def story(journal, monkeypatch):
    """Four days of changes in the math journal of 5А, second quarter, then back to TODAY."""
    j = journal
    l1, l2 = j.in_period(j.q2)[:2]
    a, b = j.students[0], j.students[1]
    t = j.teacher
    set_clock(monkeypatch, D1, hour=15)
    services.set_cell(actor=t, lesson=l1, student=a, text="5")
    services.set_cell(actor=t, lesson=l1, student=b, text="н")
    lessons.set_topic(actor=t, lesson=l1, topic="Дроби")
    lessons.set_homework(actor=t, lesson=l1, text="№ 1")
    set_clock(monkeypatch, D2, hour=10)
    services.set_cell(actor=t, lesson=l1, student=a, text="5/4")
    set_clock(monkeypatch, D2, hour=16)
    services.set_cell(actor=t, lesson=l1, student=b, text="б")
    services.set_cell(actor=t, lesson=l2, student=a, text="3")
    lessons.set_topic(actor=t, lesson=l1, topic="Дроби и проценты")
    set_clock(monkeypatch, D3, hour=15)
    services.set_cell(actor=t, lesson=l1, student=a, text="")
    services.set_cell(actor=t, lesson=l2, student=a, text="4")
    lessons.set_lesson_kind(actor=t, lesson=l2, kind=j.kinds["test"])
    lessons.set_homework(actor=t, lesson=l1, text="№ 2, 3")
    set_clock(monkeypatch, D4, hour=15)
    period_marks.set_period_mark(
        actor=t, assignment=j.assignment, student=a, value="4", kind=PeriodMarkKind.PERIOD, period=j.q2
    )
    set_clock(monkeypatch, TODAY)
    return SimpleNamespace(j=j, l1=l1, l2=l2, a=a, b=b)


def _cell(data: as_of.GridAsOf, lesson_id: int, student_id: int) -> str:
    grid = data.grid
    column = next(i for i, lesson in enumerate(grid.lessons) if lesson.id == lesson_id)
    row = next(r for r in grid.rows if r.student_id == student_id)
    cell = row.cells[column]
    assert cell is not None
    return cell.text


def _at(j, moment: dt.datetime) -> as_of.GridAsOf:
    return as_of.journal_as_of(user=j.teacher, assignment=j.assignment.pk, period=j.q2, moment=moment)


def test_each_day_reads_back_exactly(story):
    j = story.j
    l1 = story.l1
    l2 = story.l2
    a = story.a
    b = story.b
    expected = {
        # moment: (a in l1, b in l1, a in l2, topic of l1, homework of l1, period mark of a)
        end_of(D1 - dt.timedelta(days=1)): ("", "", "", "", "", ""),
        end_of(D1): ("5", "н", "", "Дроби", "№ 1", ""),
        end_of(D2, 12, 0): ("5/4", "н", "", "Дроби", "№ 1", ""),
        end_of(D2): ("5/4", "б", "3", "Дроби и проценты", "№ 1", ""),
        end_of(D3): ("", "б", "4", "Дроби и проценты", "№ 2, 3", ""),
        end_of(D4): ("", "б", "4", "Дроби и проценты", "№ 2, 3", "4"),
    }
    for moment, (a1, b1, a2, topic, homework, period_mark) in expected.items():
        data = _at(j, moment)
        lesson = next(lesson for lesson in data.grid.lessons if lesson.id == l1.pk)
        row_a = next(r for r in data.grid.rows if r.student_id == a.pk)
        got = (
            _cell(data, l1.pk, a.pk),
            _cell(data, l1.pk, b.pk),
            _cell(data, l2.pk, a.pk),
            lesson.topic,
            lesson.homework.split(" (к ")[0],
            row_a.period_mark,
        )
        assert got == (a1, b1, a2, topic, homework, period_mark), moment
        assert data.grid.mode == "read" and not any(x.editable for x in data.grid.lessons)


def test_the_kind_of_work_and_the_average_as_they_were(story):
    j = story.j
    l2 = story.l2
    a = story.a
    kinds = j.kinds
    on_d2 = _at(j, end_of(D2))
    row = next(r for r in on_d2.grid.rows if r.student_id == a.pk)
    column = next(i for i, lesson in enumerate(on_d2.grid.lessons) if lesson.id == l2.pk)
    assert row.cells[column].marks[0][1] == kinds["answer"].pk  # type: ignore[union-attr]
    assert row.average == Decimal("4.00")  # 5, 4, 3 of weight 1
    on_d3 = _at(j, end_of(D3))
    row = next(r for r in on_d3.grid.rows if r.student_id == a.pk)
    assert row.cells[column].marks[0][1] == kinds["test"].pk  # type: ignore[union-attr]
    assert on_d3.grid.lessons[column].kind_id == kinds["test"].pk
    assert on_d2.grid.lessons[column].kind_id == kinds["answer"].pk  # the school's default then


def test_the_note_lists_every_later_change_oldest_first(story):
    j = story.j
    data = _at(j, end_of(D2))
    whats = [(c.what, c.old, c.new) for c in data.changes]
    assert whats[0] == ("отметка", "5 (Ответ на уроке) / 4 (Ответ на уроке)", "")
    assert ("отметка за период", "", "4") in whats
    assert [c.at for c in data.changes] == sorted(c.at for c in data.changes)
    assert all(c.at > end_of(D2) for c in data.changes)
    assert all(c.actor == j.teacher.full_name for c in data.changes)
    assert _at(j, end_of(TODAY)).changes == []


def test_history_holds_whole_cells_when_the_lesson_kind_moves_marks(story):
    """Every write keeps the whole old and new state; the lesson's kind of work too (one row per cell)."""
    l2 = story.l2
    moved = ChangeRecord.objects.filter(kind=ChangeKind.MARK, lesson=l2).order_by("at", "id").last()
    assert moved is not None
    assert (moved.old_value, moved.new_value) == ("4 (Ответ на уроке)", "4 (Контрольная работа)")


def test_the_sheet_reads_period_marks_back(story):
    j = story.j
    a = story.a
    group = j.s.class_5a
    before = as_of.sheet_as_of(user=j.s.deputy, class_group=group, period=j.q2, moment=end_of(D3))
    after = as_of.sheet_as_of(user=j.s.deputy, class_group=group, period=j.q2, moment=end_of(D4))
    line = next(x for x in before.lines if x.student_id == a.pk)
    assert line.marks == {} and len(before.changes) == 1
    line = next(x for x in after.lines if x.student_id == a.pk)
    assert line.marks == {j.assignment.subject_id: "4"} and after.changes == []
    assert after.subjects == [(j.assignment.subject_id, j.assignment.subject.name)]


@pytest.mark.parametrize(
    ("day", "hint"),
    [("2020-01-10", "журнала школы ещё не было"), ("2027-01-10", "ещё не наступило")],
)
def test_a_date_out_of_range_is_refused_in_russian(journal, day, hint):
    with pytest.raises(as_of.ValidationFailed) as refusal:
        as_of.parse_moment(journal.s.school, day, "")
    assert hint in refusal.value.message and refusal.value.code == "journal.moment_out_of_range"


def test_bad_date_and_time_are_refused(journal):
    for day, clock_time in (("32.13.2026", ""), ("2026-12-01", "25:99"), ("2026-12-01", "noon")):
        with pytest.raises(as_of.ValidationFailed):
            as_of.parse_moment(journal.s.school, day, clock_time)
    assert as_of.parse_moment(journal.s.school, "01.12.2026", "14:30") == dt.datetime(2026, 12, 1, 14, 30, tzinfo=TZ)


def test_the_page_for_the_teacher_and_not_for_a_student(story, client):
    j = story.j
    a = story.a
    url = reverse("journal:grid_as_of", args=[j.assignment.pk])
    client.force_login(j.teacher)
    page = client.get(url, {"period": j.q2.pk, "date": D2.isoformat(), "time": "12:00"})
    text = page.content.decode()
    assert page.status_code == 200
    assert "5/4" in text and "Дроби" in text and "Изменения после 02.12.2026 12:00" in text
    assert "Дроби и проценты" in text  # in the note of later changes
    refused = client.get(url, {"period": j.q2.pk, "date": "2027-05-01"})
    assert refused.status_code == 422 and "ещё не наступило" in refused.content.decode()
    grid_page = client.get(reverse("journal:grid", args=[j.assignment.pk]))
    assert "Журнал на дату" in grid_page.content.decode()
    client.force_login(a)
    assert client.get(url, {"date": D2.isoformat()}).status_code == 404


def test_the_sheet_page_for_the_class_teacher_and_not_for_another_teacher(story, client):
    j = story.j
    url = reverse("journal:sheet_as_of", args=[j.s.class_5a.pk])
    client.force_login(j.s.class_teacher)
    page = client.get(url, {"period": j.q2.pk, "date": D4.isoformat()})
    assert page.status_code == 200 and "Сводная ведомость 5А" in page.content.decode()
    client.force_login(j.s.teacher2)
    assert client.get(url, {"period": j.q2.pk}).status_code == 404


def test_the_api(story, client):
    j = story.j
    a = story.a
    url = reverse("api-journal-as-of", args=[j.assignment.pk])
    client.force_login(j.teacher)
    body = client.get(url, {"period": j.q2.pk, "date": D1.isoformat()}).json()
    row = next(r for r in body["grid"]["students"] if r["id"] == a.pk)
    assert any(cell and cell["text"] == "5" for cell in row["cells"])
    assert body["changes"][0]["what"] == "отметка" and body["moment"].startswith("2026-12-01T23:59:59")
    refused = client.get(url, {"date": "1999-01-01"})
    assert refused.status_code == 422 and refused.json()["code"] == "journal.moment_out_of_range"
    sheet = client.get(reverse("api-journal-sheet-as-of", args=[j.s.class_5a.pk]), {"period": j.q2.pk})
    assert sheet.status_code == 404  # the teacher of math does not lead 5А
    client.force_login(j.s.deputy)
    sheet = client.get(reverse("api-journal-sheet-as-of", args=[j.s.class_5a.pk]), {"period": j.q2.pk})
    marks = {s["id"]: s["marks"] for s in sheet.json()["students"]}
    assert marks[a.pk] == {str(j.assignment.subject_id): "4"}
    client.force_login(a)
    assert client.get(url).status_code == 404


def test_the_page_reads_in_a_fixed_number_of_queries(story, client, django_assert_max_num_queries):
    client.force_login(story.j.teacher)
    url = reverse("journal:grid_as_of", args=[story.j.assignment.pk])
    with django_assert_max_num_queries(18):
        assert client.get(url, {"period": story.j.q2.pk, "date": D1.isoformat()}).status_code == 200

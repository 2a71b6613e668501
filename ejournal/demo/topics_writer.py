"""КТП for every assignment (one line per lesson of the year) and the topics of the lessons given so far."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import connection, models

from ejournal.curriculum.models import Lesson, PlannedTopic

from .fast_insert import insert_rows
from .lesson_plans import PlanLine, plan_lines
from .records import LessonRow, read_lessons
from .subjects import SUBJECT_BY_KEY

if TYPE_CHECKING:
    from .generator import _Generation


@dataclass
class YearPlan:
    lessons: list[LessonRow]
    lesson_line: dict[int, tuple[PlanLine, int]]  # lesson id → its КТП line and 0-based position
    planned_topics: int


def write_plans(gen: _Generation) -> YearPlan:
    """A КТП as long as the assignment's lessons (a cancelled one does not count: the extra one replaces
    it); lessons up to today get the topic of their line, in order."""
    lessons = read_lessons(gen.school.pk)
    subject_of: dict[int, tuple[str, int]] = {}
    for (ci, key, _sub), assignment in gen.assignments.items():
        subject_of[assignment.pk] = (key, gen.classes[ci].grade)
    given: dict[int, list[LessonRow]] = defaultdict(list)
    for lesson in lessons:
        if not lesson.cancelled:
            given[lesson.assignment_id].append(lesson)

    topics: list[tuple[int, int, int, str, int]] = []
    lines_of: dict[int, list[PlanLine]] = {}
    for assignment_id, rows in given.items():
        key, grade = subject_of[assignment_id]
        lines = plan_lines(key, SUBJECT_BY_KEY[key].category, grade, len(rows))
        lines_of[assignment_id] = lines
        topics.extend((gen.school.pk, assignment_id, i, line.title, 1) for i, line in enumerate(lines, start=1))
    created = insert_rows(PlannedTopic, ("school", "assignment", "position", "title", "hours"), topics)
    topic_pk: dict[tuple[int, int], int] = {
        (assignment_id, position): pk
        for assignment_id, position, pk in PlannedTopic.objects.filter(school=gen.school).values_list(
            "assignment_id", "position", "pk"
        )
    }

    today = min(gen.today, gen.year.end)
    lesson_line: dict[int, tuple[PlanLine, int]] = {}
    updates: list[tuple[str, int, int]] = []
    for assignment_id, rows in given.items():
        lines = lines_of[assignment_id]
        for position, (lesson, line) in enumerate(zip(rows, lines, strict=True)):
            lesson_line[lesson.id] = (line, position)
            if lesson.date <= today:
                updates.append((line.title, topic_pk[(assignment_id, position + 1)], lesson.id))
    _set_topics(updates)
    return YearPlan(lessons=lessons, lesson_line=lesson_line, planned_topics=created)


def _set_topics(updates: list[tuple[str, int, int]]) -> None:
    """One prepared UPDATE run for every lesson: bulk_update would build a CASE per batch, several times slower."""
    if not updates:
        return
    qn = connection.ops.quote_name
    columns = []
    for name in ("topic", "planned_topic", "id"):
        field = Lesson._meta.get_field(name)
        assert isinstance(field, models.Field)
        columns.append(qn(field.get_attname_column()[1] or field.attname))
    topic, planned, pk = columns
    sql = f"UPDATE {qn(Lesson._meta.db_table)} SET {topic} = %s, {planned} = %s WHERE {pk} = %s"
    with connection.cursor() as cursor:
        cursor.executemany(sql, updates)

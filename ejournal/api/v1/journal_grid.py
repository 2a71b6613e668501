"""The journal grid as JSON (GET /api/v1/journal/<assignment>/grid/) and the shape the OpenAPI schema
documents for it. Apart from journal.py, which holds the grid's view, to keep that module under ~500 lines.

Every figure comes from journal.selectors.journal_grid, as on the page: the marks that count
(journal.counting.marks_that_count) fill the cells of this journal's lessons; those given elsewhere — in the
class a transferred student sat in earlier, or another subgroup of the subject — count in the average and come
per student as `foreign_marks`, read-only (they are corrected in the journal where they were given).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from rest_framework import serializers

from ejournal.journal.selectors import Grid, GridRow


class GridPeriodSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()


class GridPeriodRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class GridKindSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    weight = serializers.CharField(help_text="Вес, например «2.00»")


class GridLessonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    date = serializers.DateField()
    number = serializers.IntegerField()
    topic = serializers.CharField()
    kind = serializers.IntegerField(allow_null=True, help_text="Вид работы урока")
    homework = serializers.CharField()
    homework_due = serializers.DateField(allow_null=True)
    editable = serializers.BooleanField()


class GridMarkSerializer(serializers.Serializer):
    value = serializers.CharField()
    kind = serializers.IntegerField()
    comment = serializers.CharField()
    late = serializers.BooleanField()


class GridCellSerializer(serializers.Serializer):
    text = serializers.CharField()
    version = serializers.CharField()
    attendance = serializers.CharField()
    marks = GridMarkSerializer(many=True)


class ForeignMarkSerializer(serializers.Serializer):
    date = serializers.DateField()
    value = serializers.CharField()
    kind = serializers.IntegerField(help_text="Вид работы (id из «kinds»)")
    kind_name = serializers.CharField()
    weight = serializers.CharField(help_text="Вес вида работы, с которым отметка входит в средний балл")
    comment = serializers.CharField()
    # `source` and `read_only` are also attributes of DRF's Field (the stubs type them); the serializer's
    # metaclass takes declared fields off the class, so here they are only the payload's keys.
    source = serializers.CharField(  # type: ignore[assignment]
        help_text="Где поставлена: «5А», или «5А, 1 группа» для урока другой подгруппы"
    )
    read_only = serializers.BooleanField(  # type: ignore[assignment]
        help_text="Всегда true: исправляется в журнале, где поставлена"
    )


class GridStudentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    enrolled_from = serializers.DateField(allow_null=True, help_text="Пришёл в класс в этом периоде")
    enrolled_to = serializers.DateField(allow_null=True, help_text="Ушёл из класса в этом периоде")
    average = serializers.CharField(
        allow_null=True, help_text="Средневзвешенный балл по всем отметкам периода, включая «foreign_marks»"
    )
    marks_count = serializers.IntegerField(help_text="Отметок периода, включая «foreign_marks»")
    below_norm = serializers.BooleanField()
    suggestion = serializers.CharField()
    period_mark = serializers.CharField()
    period_mark_version = serializers.CharField()
    cells = serializers.ListField(
        child=GridCellSerializer(allow_null=True),
        help_text="По урокам в порядке «lessons»; null — ученика в тот день не было в классе",
    )
    foreign_marks = ForeignMarkSerializer(
        many=True,
        help_text=(
            "Отметки периода по предмету из другого класса (до перевода) или другой подгруппы: входят в средний "
            "балл, здесь только для чтения; по дате"
        ),
    )


class GridSerializer(serializers.Serializer):
    assignment = serializers.IntegerField()
    title = serializers.CharField()
    teacher = serializers.CharField()
    period = GridPeriodSerializer()
    periods = GridPeriodRefSerializer(many=True)
    mode = serializers.CharField(help_text="edit, correct или read")
    locked = serializers.BooleanField(help_text="Период закрыт")
    norm = serializers.IntegerField(help_text="Норма накопляемости отметок")
    kinds = GridKindSerializer(many=True)
    lessons = GridLessonSerializer(many=True)
    students = GridStudentSerializer(many=True)


def _foreign_marks(row: GridRow, kinds: dict[int, tuple[str, Decimal]]) -> list[dict[str, Any]]:
    marks = []
    for mark in row.foreign:
        name, weight = kinds.get(mark.kind_id, ("", Decimal(1)))
        marks.append(
            {
                "date": mark.date.isoformat(),
                "value": mark.value,
                "kind": mark.kind_id,
                "kind_name": name,
                "weight": str(weight),
                "comment": mark.comment,
                "source": mark.source,
                "read_only": True,
            }
        )
    return marks


def grid_payload(grid: Grid) -> dict[str, Any]:
    """The grid as JSON: lessons in date order; per student the cells in the same order (null where the
    student was not in the class that day), the figures, the period mark and the marks given elsewhere."""
    kinds = {k.id: (k.name, k.weight) for k in grid.kinds}
    return {
        "assignment": grid.assignment_id,
        "title": grid.title,
        "teacher": grid.teacher_name,
        "period": {
            "id": grid.period.pk,
            "name": grid.period.name,
            "start": grid.period.start.isoformat(),
            "end": grid.period.end.isoformat(),
        },
        "periods": [{"id": p.pk, "name": p.name} for p in grid.periods],
        "mode": grid.mode,
        "locked": grid.locked,
        "norm": grid.norm,
        "kinds": [{"id": k.id, "code": k.code, "name": k.name, "weight": str(k.weight)} for k in grid.kinds],
        "lessons": [
            {
                "id": lesson.id,
                "date": lesson.date.isoformat(),
                "number": lesson.number,
                "topic": lesson.topic,
                "kind": lesson.kind_id,
                "homework": lesson.homework,
                "homework_due": lesson.homework_due.isoformat() if lesson.homework_due else None,
                "editable": lesson.editable,
            }
            for lesson in grid.lessons
        ],
        "students": [
            {
                "id": row.student_id,
                "name": row.name,
                "enrolled_from": row.enrolled_from.isoformat() if row.enrolled_from else None,
                "enrolled_to": row.enrolled_to.isoformat() if row.enrolled_to else None,
                "average": str(row.average) if row.average is not None else None,
                "marks_count": row.marks_count,
                "below_norm": row.below_norm,
                "suggestion": row.suggestion,
                "period_mark": row.period_mark,
                "period_mark_version": row.period_mark_version,
                "cells": [
                    None
                    if cell is None
                    else {
                        "text": cell.text,
                        "version": cell.version,
                        "attendance": cell.attendance,
                        "marks": [{"value": v, "kind": k, "comment": c, "late": late} for v, k, c, late in cell.marks],
                    }
                    for cell in row.cells
                ],
                "foreign_marks": _foreign_marks(row, kinds),
            }
            for row in grid.rows
        ],
    }

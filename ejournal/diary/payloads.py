"""The diary's reads as JSON-ready dicts for the API (the pages render the same selectors' results)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.urls import reverse

from ejournal.accounts.models import User

from .homework import HomeworkItem, HomeworkList
from .marks import PeriodReport, YearResults
from .selectors import DiaryWeek, HomeworkFile


def _average(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def files(items: list[HomeworkFile]) -> list[dict[str, Any]]:
    return [
        {"id": f.id, "name": f.name, "size": f.size, "url": reverse("journal:attachment", args=[f.id])} for f in items
    ]


def student(item: User, *, own: bool) -> dict[str, Any]:
    return {"id": item.pk, "last_name": item.last_name, "first_name": item.first_name, "own": own}


def week(data: DiaryWeek) -> dict[str, Any]:
    return {
        "student": data.student.pk,
        "monday": data.monday,
        "days": [
            {
                "date": day.date,
                "class_name": day.class_name,
                "lessons": [
                    {
                        "id": item.id,
                        "number": item.number,
                        "starts_at": item.starts_at,
                        "ends_at": item.ends_at,
                        "subject": item.subject,
                        "subgroup": item.subgroup,
                        "teacher": item.teacher,
                        "room": item.room,
                        "topic": item.topic,
                        "cancelled": item.cancelled,
                        "substituted": item.substituted,
                        "change_note": item.change_note,
                        "attendance": item.attendance,
                        "marks": [
                            {"value": m.value, "kind": m.kind, "weight": f"{m.weight:.2f}", "comment": m.comment}
                            for m in item.marks
                        ],
                        "homework": [
                            {"id": hw.id, "text": hw.text, "due_date": hw.due_date, "files": files(hw.files)}
                            for hw in item.homework
                        ],
                    }
                    for item in day.lessons
                ],
            }
            for day in data.days
        ],
    }


def period_info(period: Any) -> dict[str, Any]:
    return {
        "id": period.pk,
        "name": period.name,
        "start": period.start,
        "end": period.end,
        "year": period.scheme.year.name,
    }


def report(data: PeriodReport) -> dict[str, Any]:
    return {
        "student": data.student.pk,
        "period": period_info(data.period) if data.period else None,
        "periods": [period_info(p) for p in data.periods],
        "subjects": [
            {
                "subject_id": line.subject_id,
                "subject": line.name,
                "average": _average(line.average),
                "period_mark": line.period_mark,
                "year_mark": line.year_mark,
                "marks": [
                    {
                        "lesson_id": m.lesson_id,
                        "date": m.date,
                        "value": m.value,
                        "kind": m.kind,
                        "weight": f"{m.weight:.2f}",
                        "comment": m.comment,
                    }
                    for m in line.marks
                ],
            }
            for line in data.subjects
        ],
    }


def homework_item(item: HomeworkItem) -> dict[str, Any]:
    return {
        "id": item.id,
        "subject": item.subject,
        "lesson_date": item.lesson_date,
        "due_date": item.due,
        "due_given": item.due_given,
        "text": item.text,
        "files": files(item.files),
    }


def homework(data: HomeworkList) -> dict[str, Any]:
    return {
        "student": data.student.pk,
        "today": data.today,
        "upcoming": [homework_item(i) for i in data.upcoming],
        "past": [homework_item(i) for i in data.past],
        "past_offset": data.past_offset,
        "next_past_offset": data.next_offset if data.more_past else None,
    }


def results(student_id: int, years: list[YearResults]) -> dict[str, Any]:
    return {
        "student": student_id,
        "years": [
            {
                "year": y.year.name,
                "periods": [{"id": p.pk, "name": p.name} for p in y.periods],
                "final_kinds": [kind for kind, _label in y.final_kinds],
                "subjects": [
                    {
                        "subject_id": row.subject_id,
                        "subject": row.name,
                        "periods": row.periods,
                        "finals": dict(zip([k for k, _ in y.final_kinds], row.finals, strict=True)),
                    }
                    for row in y.rows
                ],
            }
            for y in years
        ],
    }

"""The school's own settings: names, time zone, thresholds of period marks, norms, deadlines, mandatory 2FA.

docs/domain.md gives the defaults; each school may change them. Every change is kept in the security log with
the old and the new value (they are the school's rules, not personal data).
"""

from __future__ import annotations

from typing import Any
from zoneinfo import available_timezones

from django.db import transaction

from ejournal.access import roles, tenancy
from ejournal.access import schools as access_schools
from ejournal.accounts.models import User
from ejournal.audit.models import EventKind
from ejournal.audit.services import record
from ejournal.core.errors import ValidationFailed

from .models import School

EDITABLE = (
    "name",
    "short_name",
    "municipality",
    "timezone",
    "threshold_5",
    "threshold_4",
    "threshold_3",
    "min_marks_one_hour",
    "min_marks_more_hours",
    "oral_deadline_days",
    "written_deadline_days",
    "essay_deadline_days",
    "min_vacation_days",
    "period_mark_deadline_days",
    "staff_2fa_required",
    "retention_journal_years",
    "retention_summary_years",
    "retention_warn_days",
)


def _title(field: str) -> str:
    return str(getattr(School._meta.get_field(field), "verbose_name", field))


@transaction.atomic
def update_school_settings(*, actor: User, school: School, changes: dict[str, Any]) -> list[str]:
    """Apply the changed settings; returns the names of the fields that changed (empty: nothing to do)."""
    roles.require(access_schools.changes_school_settings(actor) and tenancy.same_school(actor, school))
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValidationFailed(f"Нельзя изменить: {', '.join(sorted(unknown))}.")
    school = School.objects.select_for_update().get(pk=school.pk)
    merged = {field: changes.get(field, getattr(school, field)) for field in EDITABLE}
    if not merged["name"].strip() or not merged["short_name"].strip():
        raise ValidationFailed("Наименование школы не может быть пустым.", field="name")
    if merged["timezone"] not in available_timezones():
        raise ValidationFailed("Неизвестный часовой пояс.", field="timezone")
    if not 2 <= merged["threshold_3"] < merged["threshold_4"] < merged["threshold_5"] <= 5:
        raise ValidationFailed(
            "Пороги среднего балла должны возрастать: для «3» < для «4» < для «5», от 2 до 5.", field="threshold_5"
        )
    if merged["min_marks_one_hour"] > merged["min_marks_more_hours"]:
        raise ValidationFailed(
            "Накопляемость для предмета 1 ч/нед не может быть больше, чем для предмета от 2 ч/нед.",
            field="min_marks_one_hour",
        )
    if not 1 <= merged["retention_journal_years"] <= merged["retention_summary_years"] <= 100:
        raise ValidationFailed(
            "Срок хранения журналов — от 1 года и не больше срока хранения сводных ведомостей (до 100 лет).",
            field="retention_journal_years",
        )
    if not 1 <= merged["retention_warn_days"] <= 3650:
        raise ValidationFailed("Предупреждать можно за 1–3650 дней.", field="retention_warn_days")
    changed = [field for field in EDITABLE if merged[field] != getattr(school, field)]
    if not changed:
        return []
    old = {field: str(getattr(school, field)) for field in changed}
    for field in changed:
        setattr(school, field, merged[field])
    school.save(update_fields=changed)
    record(
        kind=EventKind.SCHOOL_SETTINGS,
        summary="Изменены настройки школы: " + ", ".join(_title(field) for field in changed),
        actor=actor,
        school_id=school.pk,
        details={"old": old, "new": {field: str(merged[field]) for field in changed}},
    )
    return changed

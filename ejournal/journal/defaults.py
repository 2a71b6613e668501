"""The kinds of work (виды работ) a new school starts with, with the weights schools commonly use.

The school changes weights and adds kinds of its own afterwards; `ensure_default_mark_kinds` only adds
what is missing and never overwrites a weight the school has set.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from ejournal.schools.models import School

from .models import DeadlineKind, MarkKind


@dataclass(frozen=True)
class MarkKindSpec:
    code: str
    name: str
    weight: Decimal
    deadline_kind: str
    is_default: bool = False


DEFAULT_MARK_KINDS: tuple[MarkKindSpec, ...] = (
    # The kind a mark gets when the teacher picks none: an answer in class.
    MarkKindSpec("answer", "Ответ на уроке", Decimal("1"), DeadlineKind.ORAL, is_default=True),
    MarkKindSpec("recitation", "Чтение наизусть", Decimal("1"), DeadlineKind.ORAL),
    MarkKindSpec("homework", "Домашняя работа", Decimal("1"), DeadlineKind.WRITTEN),
    MarkKindSpec("quiz", "Тест", Decimal("1"), DeadlineKind.WRITTEN),
    MarkKindSpec("practical", "Практическая работа", Decimal("1"), DeadlineKind.WRITTEN),
    MarkKindSpec("independent", "Самостоятельная работа", Decimal("1.5"), DeadlineKind.WRITTEN),
    MarkKindSpec("lab", "Лабораторная работа", Decimal("1.5"), DeadlineKind.WRITTEN),
    MarkKindSpec("dictation", "Диктант", Decimal("1.5"), DeadlineKind.WRITTEN),
    MarkKindSpec("exposition", "Изложение", Decimal("1.5"), DeadlineKind.ESSAY),
    MarkKindSpec("project", "Проект", Decimal("1.5"), DeadlineKind.WRITTEN),
    MarkKindSpec("test", "Контрольная работа", Decimal("2"), DeadlineKind.WRITTEN),
    MarkKindSpec("essay", "Сочинение", Decimal("2"), DeadlineKind.ESSAY),
)


@transaction.atomic
def ensure_default_mark_kinds(school: School) -> list[MarkKind]:
    """Create the default kinds the school lacks (by code); return every default kind in the order above.

    Idempotent: a second call creates nothing, and a kind the school has already changed stays as it is.
    """
    existing = {
        k.code: k for k in MarkKind.objects.filter(school=school, code__in=[s.code for s in DEFAULT_MARK_KINDS])
    }
    has_default = MarkKind.objects.filter(school=school, is_default=True).exists()
    missing = [
        MarkKind(
            school=school,
            code=spec.code,
            name=spec.name,
            weight=spec.weight,
            deadline_kind=spec.deadline_kind,
            # A school that chose its own default kind keeps it.
            is_default=spec.is_default and not has_default,
        )
        for spec in DEFAULT_MARK_KINDS
        if spec.code not in existing
    ]
    for kind in MarkKind.objects.bulk_create(missing):
        existing[kind.code] = kind
    return [existing[spec.code] for spec in DEFAULT_MARK_KINDS]

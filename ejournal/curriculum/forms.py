"""Input of the curriculum pages: parsed and checked here, then handed to the services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.http import QueryDict

from ejournal.accounts.models import User
from ejournal.schools.models import ClassGroup, Subgroup

from .models import Subject, TeachingAssignment, TimetableSlot
from .selectors import cell_name
from .services import BellTimes

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class TeacherChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.full_name or obj.username


class AssignmentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        label = f"{obj.class_group.name} {obj.subject.name}"
        if obj.subgroup_id:
            label += f" ({obj.subgroup.name})"
        return f"{label} — {obj.teacher.short_name}"


class SubjectForm(forms.Form):
    name = forms.CharField(label="Предмет", max_length=150)
    short_name = forms.CharField(label="Сокращение", max_length=30, required=False)
    pass_fail = forms.BooleanField(label="Зачёт/незачёт", required=False)


class AssignmentForm(forms.Form):
    teacher = TeacherChoiceField(label="Учитель", queryset=User.objects.none())
    class_group = forms.ModelChoiceField(label="Класс", queryset=ClassGroup.objects.none())
    subject = forms.ModelChoiceField(label="Предмет", queryset=Subject.objects.none())
    subgroup = forms.ModelChoiceField(label="Подгруппа", queryset=Subgroup.objects.none(), required=False)
    start = forms.DateField(label="С", required=False, widget=DATE_WIDGET)

    def __init__(
        self,
        data: QueryDict | None = None,
        *,
        teachers: QuerySet[User],
        classes: QuerySet[ClassGroup],
        subjects: QuerySet[Subject],
        subgroups: QuerySet[Subgroup],
    ) -> None:
        super().__init__(data)
        self.fields["teacher"].queryset = teachers  # type: ignore[attr-defined]
        self.fields["class_group"].queryset = classes  # type: ignore[attr-defined]
        self.fields["subject"].queryset = subjects  # type: ignore[attr-defined]
        self.fields["subgroup"].queryset = subgroups  # type: ignore[attr-defined]


class EndAssignmentForm(forms.Form):
    last_day = forms.DateField(label="Последний день", widget=DATE_WIDGET)


class CellForm(forms.Form):
    """One cell of a class's weekly grid: what goes there (empty clears), the room, and which slot it replaces."""

    weekday = forms.IntegerField(min_value=1, max_value=6)
    number = forms.IntegerField(min_value=0, max_value=12)
    assignment = forms.ModelChoiceField(queryset=TeachingAssignment.objects.none(), required=False)
    room = forms.CharField(max_length=20, required=False)
    slot = forms.ModelChoiceField(queryset=TimetableSlot.objects.none(), required=False)

    def __init__(
        self, data: QueryDict, *, assignments: QuerySet[TeachingAssignment], slots: QuerySet[TimetableSlot]
    ) -> None:
        super().__init__(data)
        self.fields["assignment"].queryset = assignments  # type: ignore[attr-defined]
        self.fields["slot"].queryset = slots  # type: ignore[attr-defined]


class GenerateForm(forms.Form):
    class_group = forms.ModelChoiceField(label="Класс", queryset=ClassGroup.objects.none(), required=False)
    since = forms.DateField(label="С даты", required=False, widget=DATE_WIDGET)

    def __init__(self, data: QueryDict | None = None, *, classes: QuerySet[ClassGroup]) -> None:
        super().__init__(data)
        self.fields["class_group"].queryset = classes  # type: ignore[attr-defined]


class ReplaceForm(forms.Form):
    substitute = TeacherChoiceField(label="Заменяет", queryset=User.objects.none(), required=False)
    note = forms.CharField(label="Примечание", max_length=200, required=False)

    def __init__(self, data: QueryDict | None = None, *, teachers: QuerySet[User]) -> None:
        super().__init__(data)
        self.fields["substitute"].queryset = teachers  # type: ignore[attr-defined]


class CancelForm(forms.Form):
    reason = forms.CharField(label="Причина", max_length=200)


class MoveForm(forms.Form):
    day = forms.DateField(label="Дата", widget=DATE_WIDGET)
    number = forms.IntegerField(label="Урок", min_value=0, max_value=12)
    note = forms.CharField(label="Примечание", max_length=200, required=False)


class ExtraLessonForm(forms.Form):
    assignment = AssignmentChoiceField(label="Нагрузка", queryset=TeachingAssignment.objects.none())
    day = forms.DateField(label="Дата", widget=DATE_WIDGET)
    number = forms.IntegerField(label="Урок", min_value=0, max_value=12)
    note = forms.CharField(label="Примечание", max_length=200, required=False)

    def __init__(
        self,
        data: QueryDict | None = None,
        *,
        assignments: QuerySet[TeachingAssignment],
        initial: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(data, initial=initial)
        self.fields["assignment"].queryset = assignments  # type: ignore[attr-defined]


class PlanUploadForm(forms.Form):
    file = forms.FileField(label="Файл КТП (XLSX или CSV)")


def form_errors(form: forms.Form) -> str:
    """A form's errors as lines of Russian text, each named by its field's label."""
    lines = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        for error in errors:
            lines.append(f"{label}: {error}" if label else str(error))
    return "\n".join(lines)


# --- the curriculum grid and the bells: many rows in one form --------------------------------------------


def parse_hours(raw: str) -> Decimal | None:
    """«5», «0,5», «1.5» or empty (no hours); None when it is not a number."""
    text = raw.strip().replace(",", ".")
    if not text:
        return Decimal(0)
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def parse_curriculum_grid(
    data: QueryDict, subjects: Iterable[Subject], grades: Iterable[int]
) -> tuple[dict[tuple[Subject, int], Decimal], dict[str, str], list[str]]:
    """The grid's cells as the service takes them, the values as typed (to show a refused form back) and the
    names of cells that are not numbers."""
    cells: dict[tuple[Subject, int], Decimal] = {}
    submitted: dict[str, str] = {}
    bad: list[str] = []
    for subject in subjects:
        for grade in grades:
            name = cell_name(subject.pk, grade)
            if name not in data:
                continue
            raw = data.get(name, "")
            submitted[name] = raw
            value = parse_hours(raw)
            if value is None:
                bad.append(name)
            else:
                cells[(subject, grade)] = value
    return cells, submitted, bad


def _time(raw: str) -> dt.time | None:
    for fmt in ("%H:%M", "%H.%M", "%H:%M:%S"):
        try:
            return dt.datetime.strptime(raw.strip(), fmt).time()
        except ValueError:
            continue
    return None


def parse_bells(data: QueryDict) -> tuple[list[BellTimes], list[str]]:
    """Rows `number-i`, `start-i`, `end-i` (and `delete-i`); a row left empty is skipped."""
    bells: list[BellTimes] = []
    errors: list[str] = []
    indexes = sorted({int(key.split("-", 1)[1]) for key in data if key.startswith("number-") and key[7:].isdigit()})
    for i in indexes:
        number, start, end = (data.get(f"{field}-{i}", "").strip() for field in ("number", "start", "end"))
        if data.get(f"delete-{i}") or not (number or start or end):
            continue
        starts_at, ends_at = _time(start), _time(end)
        if not number.isdigit():
            errors.append(f"Строка {i + 1}: номер урока «{number}» — не число.")
        elif starts_at is None or ends_at is None:
            errors.append(f"Урок {number}: время нужно в виде ЧЧ:ММ.")
        else:
            bells.append(BellTimes(number=int(number), starts_at=starts_at, ends_at=ends_at))
    return bells, errors

"""Forms of the school structure pages: they parse input; the rules themselves live in the services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import QuerySet

from ejournal.accounts.models import User
from ejournal.core.time import ru_date

from .models import ClassGroup, Holiday, HolidayKind, PeriodKind, PeriodScheme

GRADES = [(g, str(g)) for g in range(1, 12)]
MAX_PERIODS = 4  # quarters: the scheme with the most periods


def date_field(label: str, *, required: bool = True) -> forms.DateField:
    """A native date picker; the typed «дд.мм.гггг» is accepted too for browsers without one."""
    return forms.DateField(
        label=label,
        required=required,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
    )


def grade_field(label: str, initial: int | None = None) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(label=label, choices=GRADES, coerce=int, initial=initial)


class PersonChoiceField(forms.ModelChoiceField):
    """A person with the birth date, so that two namesakes can be told apart."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.full_name} ({ru_date(obj.birth_date)})" if obj.birth_date else obj.full_name


class YearForm(forms.Form):
    name = forms.CharField(label="Название", max_length=20, help_text="например, 2026/2027")
    start = date_field("Начало")
    end = date_field("Окончание")


class YearCreateForm(YearForm):
    fill_recommended = forms.BooleanField(
        label="Заполнить по рекомендованному календарю (четверти 1–9 кл., полугодия 10–11 кл., каникулы, праздники)",
        required=False,
        initial=True,
    )


class PeriodSchemeForm(forms.Form):
    """A scheme's kind and the dates of all its periods in one form; the grades only when creating one."""

    kind = forms.ChoiceField(label="Вид периодов", choices=PeriodKind.choices)

    def __init__(self, *args: Any, with_grades: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if with_grades:
            self.fields["grade_from"] = grade_field("С класса", 1)
            self.fields["grade_to"] = grade_field("По класс", 9)
        for n in range(1, MAX_PERIODS + 1):
            self.fields[f"start_{n}"] = date_field(f"Период {n}: начало", required=False)
            self.fields[f"end_{n}"] = date_field(f"Период {n}: окончание", required=False)

    @classmethod
    def for_scheme(cls, scheme: PeriodScheme, *, data: Any = None) -> PeriodSchemeForm:
        initial: dict[str, Any] = {"kind": scheme.kind}
        for period in scheme.periods.all():
            initial[f"start_{period.number}"] = period.start
            initial[f"end_{period.number}"] = period.end
        return cls(data, with_grades=False, prefix=f"scheme-{scheme.pk}", initial=initial)

    def period_rows(self) -> list[tuple[int, forms.BoundField, forms.BoundField]]:
        return [(n, self[f"start_{n}"], self[f"end_{n}"]) for n in range(1, MAX_PERIODS + 1)]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        spans: list[tuple[dt.date, dt.date]] = []
        gap = None
        for n in range(1, MAX_PERIODS + 1):
            start, end = data.get(f"start_{n}"), data.get(f"end_{n}")
            if f"start_{n}" in self.errors or f"end_{n}" in self.errors:
                continue
            if (start is None) != (end is None):
                self.add_error(f"start_{n}" if start is None else f"end_{n}", "Укажите и начало, и окончание.")
            elif start is None or end is None:
                gap = gap or n
            elif gap is not None:
                self.add_error(f"start_{n}", f"Периоды указываются подряд: период {gap} пропущен.")
            else:
                spans.append((start, end))
        data["spans"] = spans
        return data


class HolidayForm(forms.Form):
    name = forms.CharField(label="Название", max_length=100)
    kind = forms.ChoiceField(label="Вид", choices=HolidayKind.choices, initial=HolidayKind.VACATION)
    start = date_field("Начало")
    end = date_field("Окончание")
    grade_from = grade_field("С класса", 1)
    grade_to = grade_field("По класс", 11)

    @classmethod
    def for_holiday(cls, holiday: Holiday, *, data: Any = None) -> HolidayForm:
        initial = {
            "name": holiday.name,
            "kind": holiday.kind,
            "start": holiday.start,
            "end": holiday.end,
            "grade_from": holiday.grade_from,
            "grade_to": holiday.grade_to,
        }
        return cls(data, prefix=f"holiday-{holiday.pk}", initial=initial)


class ClassCreateForm(forms.Form):
    grade = grade_field("Параллель")
    letter = forms.CharField(label="Литера", max_length=4)
    class_teachers = forms.ModelMultipleChoiceField(
        label="Классные руководители",
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, teachers: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["class_teachers"].queryset = teachers  # type: ignore[attr-defined]


class EnrolForm(forms.Form):
    student = PersonChoiceField(label="Ученик", queryset=User.objects.none())
    start = date_field("Зачислен с")

    def __init__(self, *args: Any, students: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["student"].queryset = students  # type: ignore[attr-defined]


class NewStudentForm(forms.Form):
    last_name = forms.CharField(label="Фамилия", max_length=150)
    first_name = forms.CharField(label="Имя", max_length=150)
    middle_name = forms.CharField(label="Отчество", max_length=150, required=False)
    birth_date = date_field("Дата рождения")
    start = date_field("Зачислен с")


class TransferForm(forms.Form):
    student = PersonChoiceField(label="Ученик", queryset=User.objects.none())
    to_class = forms.ModelChoiceField(label="В класс", queryset=ClassGroup.objects.none())
    first_day = date_field("Первый день в новом классе")

    def __init__(self, *args: Any, students: QuerySet[User], classes: QuerySet[ClassGroup], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["student"].queryset = students  # type: ignore[attr-defined]
        self.fields["to_class"].queryset = classes  # type: ignore[attr-defined]


class WithdrawForm(forms.Form):
    student = PersonChoiceField(label="Ученик", queryset=User.objects.none())
    last_day = date_field("Последний день в классе")
    reason = forms.CharField(label="Причина выбытия", max_length=200)

    def __init__(self, *args: Any, students: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["student"].queryset = students  # type: ignore[attr-defined]


class ClassTeachersForm(forms.Form):
    teachers = forms.ModelMultipleChoiceField(
        label="Классные руководители",
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, teachers: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["teachers"].queryset = teachers  # type: ignore[attr-defined]


class SubgroupMembersForm(forms.Form):
    students = forms.ModelMultipleChoiceField(label="Ученики", queryset=User.objects.none(), required=False)

    def __init__(self, *args: Any, students: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["students"].queryset = students  # type: ignore[attr-defined]


class SubgroupCreateForm(SubgroupMembersForm):
    # The subjects' queryset comes from access/ when the form is made; schools does not import curriculum.
    subject: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label="Предмет", queryset=None)
    name = forms.CharField(label="Название", max_length=50, help_text="например, 1 группа")

    def __init__(self, *args: Any, subjects: QuerySet[Any], students: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, students=students, **kwargs)
        self.fields["subject"].queryset = subjects  # type: ignore[attr-defined]
        self.order_fields(["subject", "name", "students"])

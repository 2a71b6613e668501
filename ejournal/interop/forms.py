"""The upload form: what is imported, into which year, from which day, and the file."""

from __future__ import annotations

from typing import Any

from django import forms

from ejournal.schools.models import AcademicYear

from .kinds import ImportKind


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label="Что импортируется", choices=ImportKind.choices)
    year = forms.ModelChoiceField(label="Учебный год", queryset=AcademicYear.objects.none(), empty_label=None)
    start = forms.DateField(
        label="Зачислить с",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Для учеников; пусто — с начала учебного года.",
    )
    file = forms.FileField(label="Файл XLSX или CSV", widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}))

    def __init__(self, *args: Any, years: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].queryset = years  # type: ignore[attr-defined]

"""The settings form: parses and validates input; the service checks the rules again for the API."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from ejournal.core.time import WEEKDAYS_RU

from .channels import REGISTRY
from .models import OPTIONAL_EVENTS, Digest, Preferences

HOURS = [(h, f"{h:02d}:00") for h in range(24)]


class PreferencesForm(forms.Form):
    channels = forms.MultipleChoiceField(
        label="Каналы (во входящих журнала — всегда)",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    events = forms.MultipleChoiceField(
        label="О чём сообщать",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[(e.value, e.label) for e in OPTIONAL_EVENTS],
    )
    quiet_start = forms.TimeField(label="Тихие часы с", required=False, widget=forms.TimeInput(attrs={"type": "time"}))
    quiet_end = forms.TimeField(label="до", required=False, widget=forms.TimeInput(attrs={"type": "time"}))
    average_threshold = forms.DecimalField(
        label="Сообщать, если средний балл по предмету ниже",
        required=False,
        min_value=Decimal("1"),
        max_value=Decimal("5"),
        max_digits=3,
        decimal_places=2,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "placeholder": "например, 3,5", "size": 5}),
    )
    digest = forms.ChoiceField(label="Как присылать", choices=Digest.choices)
    digest_hour = forms.TypedChoiceField(label="Час сводки", choices=HOURS, coerce=int)
    digest_weekday = forms.TypedChoiceField(
        label="День недельной сводки", choices=list(enumerate(WEEKDAYS_RU)), coerce=int
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only what the school set up (SMTP, VAPID keys, a bot) is offered; the inbox is not a choice.
        self.fields["channels"].choices = [  # type: ignore[attr-defined]
            (name, channel.title) for name, channel in REGISTRY.items() if name != "inapp" and channel.configured()
        ]

    def clean(self) -> dict:
        data = super().clean() or {}
        if (data.get("quiet_start") is None) != (data.get("quiet_end") is None):
            self.add_error("quiet_end", "Укажите и начало, и конец тихих часов — или ни то, ни другое.")
        return data

    @classmethod
    def initial_from(cls, prefs: Preferences) -> dict:
        return {
            "channels": prefs.channels,
            "events": prefs.events,
            "quiet_start": prefs.quiet_start,
            "quiet_end": prefs.quiet_end,
            "average_threshold": prefs.average_threshold,
            "digest": prefs.digest,
            "digest_hour": prefs.digest_hour,
            "digest_weekday": prefs.digest_weekday,
        }

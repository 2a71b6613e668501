"""The one way a page shows a refusal on the page itself (the form re-rendered with the error in it).

A refusal that escapes a page view becomes the error page with its status (`core.middleware`); a view that
re-renders its form instead wraps the service call in `refused(form)` rather than writing its own
try/except. `NotFound` is never caught here: outside the user's scope is the 404 page, whatever the form.

    with refused(form) as refusal:
        person = people.add_person(actor=user, ...)
    if refusal.error is None:
        return redirect(...)
    return render(..., status=refusal.status)
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django import forms

from .errors import DomainError, NotFound


@dataclass
class Refusal:
    error: DomainError | None = None

    @property
    def message(self) -> str:
        return self.error.message if self.error is not None else ""

    @property
    def status(self) -> int:
        return self.error.status if self.error is not None else 200


@contextmanager
def refused(form: forms.BaseForm | None = None) -> Iterator[Refusal]:
    """Catch a domain refusal for the page; with a form, put it on the field at fault (else on the form)."""
    refusal = Refusal()
    try:
        yield refusal
    except NotFound:
        raise
    except DomainError as error:
        refusal.error = error
        if form is not None:
            form.add_error(error.field if error.field in form.fields else None, error.message)

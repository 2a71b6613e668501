"""«Печать журнала»: choose a class, a period (and a subject) and download the class book as PDF.

The book is made in the request: a class of 15 subjects for a quarter is read in about a dozen queries and
typeset in well under a second (docs/user/printing.md), far inside the issue's 10 s budget, so no task queue.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ejournal.access import printing as access
from ejournal.access.roles import require
from ejournal.access.tenancy import get_for
from ejournal.accounts.models import User
from ejournal.audit.models import EventKind
from ejournal.audit.services import record
from ejournal.core.refusals import refused
from ejournal.core.requests import current_user
from ejournal.core.spreadsheet import download
from ejournal.curriculum.models import Subject
from ejournal.schools.models import ClassGroup, Period

from .books import class_book
from .models import StoredBook


class PeriodChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Period) -> str:
        scheme = obj.scheme
        return f"{scheme.year.name}: {obj.name} ({scheme.grade_from}–{scheme.grade_to} кл.)"


class BookForm(forms.Form):
    class_group = forms.ModelChoiceField(queryset=ClassGroup.objects.none(), label="Класс", empty_label=None)
    period = PeriodChoice(queryset=Period.objects.none(), label="Период", empty_label=None)
    subject = forms.ModelChoiceField(
        queryset=Subject.objects.none(), label="Предмет", required=False, empty_label="все предметы"
    )

    def __init__(self, *args: object, user: User, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        fields = self.fields
        fields["class_group"].queryset = access.printable_classes(user).select_related("year")  # type: ignore[attr-defined]
        fields["period"].queryset = (  # type: ignore[attr-defined]
            Period.objects.filter(school_id=user.school_id)
            .select_related("scheme__year")
            .order_by("-scheme__year__start", "scheme__grade_from", "start")
        )
        fields["subject"].queryset = Subject.objects.filter(school_id=user.school_id).order_by("name")  # type: ignore[attr-defined]


@login_required
@require_GET
def book(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    require(access.opens_printing(user))
    if "class_group" not in request.GET:
        return render(
            request, "printing/book.html", {"form": BookForm(user=user), "stored_link": access.reads_stored_books(user)}
        )
    # Another class of the school, or a class of another school, is a 404 like any object outside the scope
    # (not the form's «choose a valid option», which would still answer for an id that does not exist).
    require(access.may_print_class(user, get_for(user, ClassGroup, request.GET["class_group"])))
    form = BookForm(request.GET, user=user)
    status = 400
    if form.is_valid():
        class_group: ClassGroup = form.cleaned_data["class_group"]
        period: Period = form.cleaned_data["period"]
        subject: Subject | None = form.cleaned_data["subject"]
        with refused(form) as refusal:
            content = class_book(actor=user, class_group=class_group, period=period, subject=subject)
        if refusal.error is None:
            # The book names every student with their marks: a personal data export the administrator traces
            # (the summary by ids only, like every security-log summary).
            record(
                kind=EventKind.PERSONAL_DATA_EXPORT,
                summary=f"Классный журнал: класс {class_group.pk}, период {period.pk}"
                + (f", предмет {subject.pk}" if subject else ""),
                actor=user,
                request=request,
                details={"book": class_group.pk, "period": period.pk, "subject": subject.pk if subject else None},
            )
            name = f"Журнал {class_group.name} {period.name}" + (f" {subject.name}" if subject else "")
            return download(content, file_format="pdf", name=name)
        status = refusal.status
    context = {"form": form, "stored_link": access.reads_stored_books(user)}
    return render(request, "printing/book.html", context, status=status)


@login_required
@require_GET
def stored(request: HttpRequest) -> HttpResponse:
    """The books made at period ends; `?book=<id>` downloads one."""
    user = current_user(request)
    require(access.reads_stored_books(user))
    books = StoredBook.objects.filter(school_id=user.school_id)
    if "book" in request.GET:
        found = get_for(user, books.select_related("class_group", "period__scheme"), request.GET["book"])
        name = f"Журнал {found.class_group.name} {found.period.name}" + (" черновик" if found.draft else "")
        record(
            kind=EventKind.PERSONAL_DATA_EXPORT,
            summary=f"Книга журнала {found.pk}: класс {found.class_group_id}, период {found.period_id}",
            actor=user,
            request=request,
            details={"stored_book": found.pk},
        )
        return download(bytes(found.pdf), file_format="pdf", name=name)
    listed = books.defer("pdf").select_related("class_group", "period__scheme__year")
    return render(request, "printing/stored.html", {"books": listed})

"""«Печать журнала»: choose a class, a period or dates (and a subject, or the сводная ведомость alone) and
download the PDF; one journal from the journals list; the stored books and the jobs making them.

One class's book is made in the request: a class of 15 subjects for a quarter is read in about a dozen queries
and typeset in about half a second (bench/class_book.py), far inside the issue's 10 s budget. The books of a
whole grade band are the worker's (`stored.request_books`), with progress on the «Книги журнала» page.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from ejournal.access import people as people_access
from ejournal.access import printing as access
from ejournal.access import reports as reports_access
from ejournal.access.roles import require
from ejournal.access.tenancy import get_for
from ejournal.accounts.models import User
from ejournal.audit.models import EventKind
from ejournal.audit.services import record
from ejournal.core.refusals import refused
from ejournal.core.requests import current_user
from ejournal.core.spreadsheet import download
from ejournal.curriculum.models import Subject, TeachingAssignment
from ejournal.schools.models import ClassGroup, Period

from . import stored as stored_books
from .exports import book_download
from .models import StoredBook
from .selectors import PARTS, school_periods
from .stored import recent_jobs


class PeriodChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Period) -> str:
        scheme = obj.scheme
        return f"{scheme.year.name}: {obj.name} ({scheme.grade_from}–{scheme.grade_to} кл.)"


class SpanForm(forms.Form):
    """A period, or the dates from–to (within the class's year), and which part to print."""

    period = PeriodChoice(queryset=Period.objects.none(), label="Период", required=False, empty_label="— за даты —")
    date_from = forms.DateField(label="или с", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label="по", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    part = forms.ChoiceField(label="Что печатать", choices=list(PARTS.items()), required=False)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        dates = (data.get("date_from"), data.get("date_to"))
        if data.get("period") is None and None in dates:
            raise forms.ValidationError("Выберите период или укажите даты «с» и «по».")
        if data.get("period") is not None and dates != (None, None):
            raise forms.ValidationError("Либо период, либо даты — не то и другое вместе.")
        return data


class BookForm(SpanForm):
    class_group = forms.ModelChoiceField(queryset=ClassGroup.objects.none(), label="Класс", empty_label=None)
    subject = forms.ModelChoiceField(
        queryset=Subject.objects.none(), label="Предмет", required=False, empty_label="все предметы"
    )
    field_order = ["class_group", "period", "date_from", "date_to", "subject", "part"]

    def __init__(self, *args: object, user: User, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        fields = self.fields
        fields["class_group"].queryset = access.printable_classes(user).select_related("year")  # type: ignore[attr-defined]
        fields["period"].queryset = school_periods(user.school_id)  # type: ignore[attr-defined]
        fields["subject"].queryset = Subject.objects.filter(school_id=user.school_id).order_by("name")  # type: ignore[attr-defined]


def _pdf(
    request: HttpRequest, user: User, form: SpanForm, *, class_group: ClassGroup, subject: Subject | None
) -> tuple[HttpResponse | None, int]:
    """The PDF of a valid form; else None and the refusal's status, the refusal put on the form."""
    data = form.cleaned_data
    with refused(form) as refusal:
        answer = book_download(
            request=request,
            user=user,
            class_group=class_group,
            period=data["period"],
            subject=subject,
            start=data["date_from"],
            end=data["date_to"],
            part=data["part"] or "book",
        )
    return (answer, 200) if refusal.error is None else (None, refusal.status)


def _links(user: User) -> dict[str, bool]:
    """What else the school prints, for the page to link to what exists and what the user may open."""
    return {
        "stored_link": access.reads_stored_books(user),
        "reports_link": reports_access.sees_teacher_reports(user),
        "credentials_link": people_access.issues_credentials(user),
    }


@login_required
@require_GET
def book(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    require(access.opens_printing(user))
    if "class_group" not in request.GET:
        return render(request, "printing/book.html", {"form": BookForm(user=user), **_links(user)})
    # Another class of the school, or a class of another school, is a 404 like any object outside the scope
    # (not the form's «choose a valid option», which would still answer for an id that does not exist).
    require(access.may_print_class(user, get_for(user, ClassGroup, request.GET["class_group"])))
    form = BookForm(request.GET, user=user)
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        answer, status = _pdf(request, user, form, class_group=data["class_group"], subject=data["subject"])
        if answer is not None:
            return answer
    return render(request, "printing/book.html", {"form": form, **_links(user)}, status=status)


@login_required
@require_GET
def journal(request: HttpRequest, assignment_id: int) -> HttpResponse:
    """One journal (a subject of a class) from the journals list: its teacher, the class teacher, management."""
    user = current_user(request)
    assignment = get_for(
        user, TeachingAssignment.objects.select_related("class_group", "subject", "class_group__year"), assignment_id
    )
    require(access.may_print_journal(user, assignment))
    group = assignment.class_group
    form = SpanForm(request.GET or None)
    form.fields["period"].queryset = school_periods(user.school_id).filter(  # type: ignore[attr-defined]
        scheme__year_id=group.year_id, scheme__grade_from__lte=group.grade, scheme__grade_to__gte=group.grade
    )
    status = 200
    if form.is_bound:
        status = 400
        if form.is_valid():
            answer, status = _pdf(request, user, form, class_group=group, subject=assignment.subject)
            if answer is not None:
                return answer
    context = {"form": form, "assignment": assignment}
    return render(request, "printing/journal.html", context, status=status)


class JobForm(forms.Form):
    period = PeriodChoice(queryset=Period.objects.none(), label="Период", empty_label=None)
    class_group = forms.ModelChoiceField(
        queryset=ClassGroup.objects.none(), label="Класс", required=False, empty_label="все классы ступени"
    )

    def __init__(self, *args: object, user: User, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["period"].queryset = school_periods(user.school_id)  # type: ignore[attr-defined]
        self.fields["class_group"].queryset = access.printable_classes(user).select_related("year")  # type: ignore[attr-defined]


def _stored_page(request: HttpRequest, user: User, form: JobForm, status: int = 200) -> HttpResponse:
    books = StoredBook.objects.filter(school_id=user.school_id)
    listed = books.defer("pdf").select_related("class_group", "period__scheme__year", "superseded_by")
    jobs = list(recent_jobs(user.school_id))
    context = {"books": listed, "jobs": jobs, "running": any(j.active for j in jobs), "form": form}
    return render(request, "printing/stored.html", context, status=status)


@login_required
@require_GET
def stored(request: HttpRequest) -> HttpResponse:
    """The books made in the worker and the jobs making them (the page refreshes while one runs);
    `?book=<id>` downloads one."""
    user = current_user(request)
    require(access.reads_stored_books(user))
    if "book" in request.GET:
        books = StoredBook.objects.filter(school_id=user.school_id)
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
    return _stored_page(request, user, JobForm(user=user))


@login_required
@require_POST
def make(request: HttpRequest) -> HttpResponse:
    """Ask the worker for the books of a period (every class of its band, or one class)."""
    user = current_user(request)
    require(access.reads_stored_books(user))
    if request.POST.get("class_group"):
        get_for(user, ClassGroup, request.POST["class_group"])
    form = JobForm(request.POST, user=user)
    if form.is_valid():
        with refused(form) as refusal:
            stored_books.request_books(
                actor=user, period=form.cleaned_data["period"], class_group=form.cleaned_data["class_group"]
            )
        if refusal.error is None:
            return redirect("printing:stored")
        return _stored_page(request, user, form, status=refusal.status)
    return _stored_page(request, user, form, status=400)

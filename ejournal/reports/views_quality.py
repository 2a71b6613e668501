"""Pages of the quality reports: parse the filters, let the builders (which check access through access/)
make the report, and answer the page or, with ?format=xlsx|pdf|csv, the file (rendering.respond)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from ejournal.access import reports as access
from ejournal.audit.models import EventKind
from ejournal.audit.services import record
from ejournal.core.errors import NotFound
from ejournal.core.requests import current_user
from ejournal.core.spreadsheet import download
from ejournal.core.time import ru_date

from . import classes, region, school
from .catalog import CATALOG
from .pages import Page, parse_id, parse_view
from .rendering import respond

TEMPLATE = "reports/quality.html"
ARCHIVE_FORMATS = ("xlsx", "pdf")


def int_param(request: HttpRequest, name: str) -> int | None:
    return parse_id(request.GET.get(name), name)


def _respond(request: HttpRequest, page: Page, *, personal: str = "") -> HttpResponse:
    """The page or the file; a file with students' names is a personal-data export in the security log
    (ids only in the summary)."""
    if personal and request.GET.get("format"):
        record(
            kind=EventKind.PERSONAL_DATA_EXPORT,
            summary=f"Выгрузка отчёта ({personal}) в {request.GET['format'][:8]}",
            actor=current_user(request),
            request=request,
        )
    return respond(request, page.report, template=TEMPLATE, context={"page": page})


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    entries = [(entry, reverse(entry.url_name)) for entry in CATALOG if entry.visible(user)]
    if not entries:
        raise NotFound()
    return render(request, "reports/index.html", {"entries": entries})


@login_required
@require_GET
def school_page(request: HttpRequest) -> HttpResponse:
    page = school.school_summary(
        user=current_user(request),
        period_id=int_param(request, "period"),
        by=school.parse_grouping(request.GET.get("by")),
    )
    return _respond(request, page)


@login_required
@require_GET
def teacher_page(request: HttpRequest) -> HttpResponse:
    page = school.teacher_report(
        user=current_user(request), period_id=int_param(request, "period"), teacher_id=int_param(request, "teacher")
    )
    return _respond(request, page)


@login_required
@require_GET
def class_list(request: HttpRequest) -> HttpResponse:
    """The classes whose period report the user may open (management: all; class teacher: their own)."""
    user = current_user(request)
    if not access.leads_any_class(user):
        raise NotFound()
    groups = list(access.report_classes(user).select_related("year").order_by("-year__start", "grade", "letter"))
    return render(request, "reports/class_list.html", {"classes": groups})


@login_required
@require_GET
def class_page(request: HttpRequest, class_id: int) -> HttpResponse:
    view = parse_view(request.GET.get("view"))
    page = classes.class_report(
        user=current_user(request), class_id=class_id, period_id=int_param(request, "period"), view=view
    )
    return _respond(request, page, personal=f"класс {class_id}" if view == "students" else "")


@login_required
@require_GET
def journal_page(request: HttpRequest, assignment_id: int) -> HttpResponse:
    page = classes.journal_report(
        user=current_user(request), assignment_id=assignment_id, period_id=int_param(request, "period")
    )
    return _respond(request, page, personal=f"журнал {assignment_id}")


@login_required
@require_GET
def student_page(request: HttpRequest, student_id: int) -> HttpResponse:
    page = classes.student_report(
        user=current_user(request), student_id=student_id, period_id=int_param(request, "period")
    )
    return _respond(request, page, personal=f"ученик {student_id}")


@login_required
@require_GET
def region_page(request: HttpRequest) -> HttpResponse:
    page = region.region_summary(user=current_user(request), key=request.GET.get("period") or None)
    return _respond(request, page)


@login_required
@require_GET
def archive(request: HttpRequest) -> HttpResponse:
    """Reports made by the worker, newest first; `?key=` (from the notification) narrows to one occasion."""
    user = current_user(request)
    if not access.reads_school_reports(user):
        raise NotFound()
    stored = access.visible_stored_reports(user)
    key = request.GET.get("key", "")
    if key:
        stored = stored.filter(key=key)
    rows = list(
        stored.order_by("-as_of", "-created_at", "key", "grouping").values(
            "pk", "title", "subtitle", "as_of", "created_at", "occasion", "key", "sha256"
        )[:400]
    )
    return render(request, "reports/archive.html", {"rows": rows, "key": key})


@login_required
@require_GET
def archive_file(request: HttpRequest, report_id: int, file_format: str) -> HttpResponse:
    if file_format not in ARCHIVE_FORMATS:
        raise NotFound()
    found = (
        access.visible_stored_reports(current_user(request))
        .filter(pk=report_id)
        .values_list(file_format, "title", "as_of")
    )
    row = found.first()
    if row is None:
        raise NotFound()
    content, title, as_of = row
    response = download(bytes(content), file_format=file_format, name=f"{title}, {ru_date(as_of)}")
    response["Cache-Control"] = "private, no-store"
    return response

"""Pages of imports: the list with the upload form, a file's preview (then its result), commit, cancel,
and the blank templates."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_POST

from ejournal.access import interop as access
from ejournal.access import schools as access_schools
from ejournal.core.refusals import refused
from ejournal.core.requests import current_user
from ejournal.core.spreadsheet import download
from ejournal.core.time import school_today
from ejournal.schools.models import AcademicYear
from ejournal.schools.selectors import default_year

from . import services
from .forms import UploadForm
from .kinds import SPECS, template_csv, template_xlsx
from .models import ImportBatch, ImportStatus
from .plans import CREATE, ERROR, UNCHANGED, UPDATE

LIST_LIMIT = 100
PLANNED = {CREATE: "будет создано", UPDATE: "будет изменено", UNCHANGED: "без изменений", ERROR: "ошибка"}
DONE = {CREATE: "создано", UPDATE: "изменено", UNCHANGED: "без изменений", ERROR: "ошибка"}


def _years(request: HttpRequest) -> QuerySet[AcademicYear]:
    return access_schools.visible_years(current_user(request)).order_by("-start")


def _render_list(
    request: HttpRequest, form: UploadForm | None = None, status: int = 200, error: str = ""
) -> HttpResponse:
    user = current_user(request)
    if form is None:
        years = _years(request)
        year = default_year(list(years), school_today(user.school.timezone))  # type: ignore[union-attr]
        form = UploadForm(years=years, initial={"year": year})
    # The kept files and the per-row reports stay in the database: the list needs neither.
    batches = (
        access.visible_batches(user)
        .select_related("created_by")
        .defer("content", "report")
        .order_by("-created_at", "-id")[:LIST_LIMIT]
    )
    max_size = services.size_text(services.max_bytes())
    context = {"form": form, "error": error, "batches": batches, "specs": SPECS.values(), "max_size": max_size}
    return render(request, "interop/list.html", context, status=status)


@login_required
@require_GET
def import_list(request: HttpRequest) -> HttpResponse:
    access.require_may_import(current_user(request))
    return _render_list(request)


@login_required
@require_POST
@csrf_exempt  # checked in _upload, after the size: the CSRF check would read (and store) the whole body
def import_upload(request: HttpRequest) -> HttpResponse:
    access.require_may_import(current_user(request))
    with refused() as refusal:
        # Before anything reads the body: a 100 MB upload is refused by its declared length.
        services.check_request_size(request.META.get("CONTENT_LENGTH"))
    if refusal.error is not None:
        return _render_list(request, status=refusal.status, error=refusal.message)
    return _upload(request)


@csrf_protect
def _upload(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    form = UploadForm(request.POST, request.FILES, years=_years(request))
    if not form.is_valid():
        return _render_list(request, form, status=422)
    upload = form.cleaned_data["file"]
    with refused(form) as refusal:
        if upload.size > services.max_bytes():
            raise services.too_big(upload.size)
        batch = services.upload(
            actor=user,
            kind=form.cleaned_data["kind"],
            file_name=upload.name or "",
            data=upload.read(),
            year=form.cleaned_data["year"],
            start=form.cleaned_data["start"],
        )
    if refusal.error is not None:
        return _render_list(request, form, status=refusal.status)
    return redirect("interop:detail", batch_id=batch.pk)


def _rows(batch: ImportBatch) -> list[dict[str, Any]]:
    labels = DONE if batch.status == ImportStatus.COMMITTED else PLANNED
    return [{**row, "action_label": labels[row["action"]]} for row in batch.report.get("rows", [])]


@login_required
@require_GET
def import_detail(request: HttpRequest, batch_id: int) -> HttpResponse:
    """The preview of a checked file; after the commit the same page is its result."""
    user = current_user(request)
    access.require_may_import(user)
    batch = get_object_or_404(
        access.visible_batches(user).select_related("year", "created_by", "committed_by").defer("content"),
        pk=batch_id,
    )
    rows = _rows(batch)
    context = {
        "batch": batch,
        "rows": rows,
        "errors": [(row["row"], e["column"], e["message"]) for row in rows for e in row["errors"]],
        "done": batch.status == ImportStatus.COMMITTED,
        "statuses": ImportStatus,
        "confirmation": services.confirmation_text(batch) if batch.status == ImportStatus.READY else "",
    }
    return render(request, "interop/detail.html", context)


@login_required
@require_POST
def import_commit(request: HttpRequest, batch_id: int) -> HttpResponse:
    user = current_user(request)
    access.require_may_import(user)
    batch = get_object_or_404(access.visible_batches(user).defer("content"), pk=batch_id)
    with refused() as refusal:
        services.request_commit(actor=user, batch=batch, password=request.POST.get("password") or None, request=request)
    if refusal.error is not None:
        messages.error(request, refusal.message)
    return redirect("interop:detail", batch_id=batch.pk)


@login_required
@require_POST
def import_discard(request: HttpRequest, batch_id: int) -> HttpResponse:
    user = current_user(request)
    access.require_may_import(user)
    batch = get_object_or_404(access.visible_batches(user).defer("content"), pk=batch_id)
    with refused() as refusal:
        services.discard(actor=user, batch=batch)
    if refusal.error is not None:
        messages.error(request, refusal.message)
        return redirect("interop:detail", batch_id=batch.pk)
    messages.success(request, f"Импорт №{batch.pk} отменён, файл удалён.")
    return redirect("interop:list")


TEMPLATE_FORMATS = ("csv", "xlsx")


@login_required
@require_GET
def template_file(request: HttpRequest, kind: str, fmt: str) -> HttpResponse:
    """The blank template of a kind, with an example row, as XLSX or as CSV for Russian Excel."""
    access.require_may_import(current_user(request))
    if kind not in SPECS or fmt not in TEMPLATE_FORMATS:
        raise Http404
    data = template_csv(kind) if fmt == "csv" else template_xlsx(kind)
    return download(data, file_format=fmt, name=f"Шаблон импорта — {SPECS[kind].title}")

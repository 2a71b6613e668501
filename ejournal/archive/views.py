"""«Резервные копии» (the administrator; the director reads) and «Архив периода» (the director; management reads).

Backups and archives are made by the worker (archive.jobs): the page shows the job's status and refreshes itself
while one is queued or running, as the import page does. A refused order re-renders the page with the reason.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_POST

from ejournal.access import archive as access
from ejournal.access import roles
from ejournal.access.tenancy import get_for
from ejournal.accounts.models import User
from ejournal.core.refusals import refused
from ejournal.core.requests import current_user
from ejournal.core.spreadsheet import download
from ejournal.schools.models import Period

from . import forms_pdf, handover, jobs, overview
from .models import JobStatus


def _backups(request: HttpRequest, user: User, *, error: str = "", status: int = 200, form: Any = None) -> HttpResponse:
    page = overview.backups_page(user)
    context = {
        "page": page,
        "files": overview.copyable_files(user).order_by("-at", "-id")[:50],
        "may_copy": access.records_copy_out(user),
        "error": error,
        "form": form or {},
        "statuses": JobStatus,
    }
    return render(request, "archive/backups.html", context, status=status)


@login_required
@require_GET
def backups(request: HttpRequest) -> HttpResponse:
    return _backups(request, current_user(request))


@login_required
@require_POST
def order_backup(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    roles.require(access.reads_backups(user))
    with refused() as refusal:
        jobs.order_backup(actor=user)
    if refusal.error is None:
        return redirect("archive:backups")
    return _backups(request, user, error=refusal.message, status=refusal.status)


@login_required
@require_POST
def copy_out(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    roles.require(access.records_copy_out(user))
    data = request.POST
    with refused() as refusal:
        handover.record_copy_out(
            actor=user,
            entry=data.get("entry"),
            label=data.get("label"),
            recipient=data.get("recipient"),
            holder=data.get("holder"),
        )
    if refusal.error is None:
        return redirect("archive:backups")
    return _backups(request, user, error=refusal.message, status=refusal.status, form=data)


def _pdf(content: bytes, name: str) -> HttpResponse:
    return download(content, file_format="pdf", name=name)


@login_required
@require_GET
def log_pdf(request: HttpRequest) -> HttpResponse:
    return _pdf(forms_pdf.log_pages(user=current_user(request)), "Журнал пользования резервной копией")


@login_required
@require_GET
def act_pdf(request: HttpRequest, copy_id: int) -> HttpResponse:
    return _pdf(forms_pdf.act(user=current_user(request), entry_id=copy_id), f"Акт передачи носителя {copy_id}")


@login_required
@require_GET
def undertaking_pdf(request: HttpRequest, entry_id: int) -> HttpResponse:
    content = forms_pdf.undertaking(user=current_user(request), entry_id=entry_id)
    return _pdf(content, f"Подписка о неразглашении кода архива {entry_id}")


def _periods(request: HttpRequest, user: User, *, error: str = "", status: int = 200) -> HttpResponse:
    rows = overview.period_archives(user)
    context = {
        "rows": rows,
        "running": overview.archive_running(rows),
        "may_order": access.orders_period_archive(user),
        "reads_backups": access.reads_backups(user),
        "error": error,
        "statuses": JobStatus,
    }
    return render(request, "archive/periods.html", context, status=status)


@login_required
@require_GET
def periods(request: HttpRequest) -> HttpResponse:
    return _periods(request, current_user(request))


@login_required
@require_POST
def order_archive(request: HttpRequest, period_id: int) -> HttpResponse:
    user = current_user(request)
    roles.require(access.orders_period_archive(user))
    period = get_for(user, Period, period_id)
    # The code is read from the POST body only and passed on; it is never put into the page again.
    with refused() as refusal:
        jobs.order_archive(
            actor=user, period=period, code=request.POST.get("code", ""), repeated=request.POST.get("repeated", "")
        )
    if refusal.error is None:
        return redirect("archive:periods")
    return _periods(request, user, error=refusal.message, status=refusal.status)


@login_required
@require_GET
def archive_download(request: HttpRequest, entry_id: int) -> HttpResponse:
    entry, content = handover.archive_file(actor=current_user(request), entry_id=entry_id)
    response = HttpResponse(content, content_type="application/x-7z-compressed")
    response["Content-Disposition"] = content_disposition_header(True, Path(entry.where).name)
    return response

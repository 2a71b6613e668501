"""«Сводка класса»: the page and its XLSX export. Access is decided by overview.class_overview through
access/ (a class outside the user's scope is a 404)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ejournal.audit.models import EventKind
from ejournal.audit.services import record
from ejournal.core import inputs
from ejournal.core.spreadsheet import download

from .overview import MISSED_CODES, class_overview
from .overview_xlsx import overview_workbook
from .views import _user


@login_required
@require_GET
def overview_page(request: HttpRequest, class_id: int) -> HttpResponse:
    user = _user(request)
    data = class_overview(user=user, class_group=class_id, period=inputs.id_field(request.GET.get("period"), "period"))
    return render(
        request,
        "journal/class_overview.html",
        {"overview": data, "missed_codes": MISSED_CODES},
    )


@login_required
@require_GET
def overview_xlsx(request: HttpRequest, class_id: int) -> HttpResponse:
    user = _user(request)
    data = class_overview(user=user, class_group=class_id, period=inputs.id_field(request.GET.get("period"), "period"))
    response = download(
        overview_workbook(data), file_format="xlsx", name=f"Сводка {data.class_name}, {data.period.name}"
    )
    # Names and marks of a class: a personal-data export in the security log (ids only in the summary).
    record(
        kind=EventKind.PERSONAL_DATA_EXPORT,
        summary=f"Выгрузка сводки класса {class_id} в xlsx",
        actor=user,
        request=request,
        details={"class": class_id, "period": data.period.pk},
    )
    response["Cache-Control"] = "private, no-store"
    return response

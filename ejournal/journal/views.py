"""Pages of the journal and the small JSON endpoints its grid saves through.

Views parse input, call access/services/selectors, and render; they test no roles. Domain errors become
a Russian message with the error's status (JSON for the endpoints, the error page for pages).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ejournal.access import journal as access
from ejournal.access import schools as access_schools
from ejournal.accounts.models import User
from ejournal.core import inputs
from ejournal.core.errors import CoreCode, DomainError, NotFound, ValidationFailed, body, error_body
from ejournal.core.refusals import refused
from ejournal.core.requests import current_user as _user
from ejournal.curriculum.models import PlannedTopic
from ejournal.schools.models import Period

from . import attachments as homework_files
from . import (
    cell_requests,
    listing,
    lookups,
    payloads,
    period_mark_requests,
    period_marks,
    periods,
    selectors,
    services,
)
from . import lessons as lesson_records
from .errors import StaleEdit
from .grid_html import EMPTY_VERSION, render_grid_table
from .models import PeriodMarkKind
from .summary import journal_summary

MAX_JSON_BYTES = 64 * 1024


def json_endpoint(view: Callable[..., dict[str, Any]]) -> Callable[..., HttpResponse]:
    """Signed-in only (401, not a redirect: the page keeps its queued edits), JSON in and out, domain
    errors in the API's one shape {"code", "message", "fields"} with their status (core.errors.error_body);
    a stale edit also carries the cell's current state ("current")."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            message = "Сеанс завершён: войдите снова, несохранённые записи ждут."
            return JsonResponse(body(CoreCode.NOT_AUTHENTICATED, message), status=401)
        try:
            return JsonResponse(view(request, *args, **kwargs))
        except DomainError as exc:
            return JsonResponse(error_body(exc), status=exc.status)

    return wrapper


def _url_template(name: str, *holes: str, fixed: list[int] | None = None) -> str:
    """A URL for the page's script with `{l}`-style holes: reversed with the largest id as a stand-in (ids
    start at 1, so 0 is no longer a valid stand-in), each occurrence replaced in order."""
    url = reverse(name, args=[*(fixed or []), *[inputs.MAX_ID] * len(holes)])
    for hole in holes:
        url = url.replace(f"/{inputs.MAX_ID}/", f"/{hole}/", 1)
    return url


def _body(request: HttpRequest) -> dict[str, Any]:
    return inputs.json_object(request.body, max_bytes=MAX_JSON_BYTES)


def _period(user: User, period_id: Any) -> Period | None:
    return lookups.period_for(user, inputs.id_field(period_id, "period"))


# --- pages ---------------------------------------------------------------------------------------------


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    groups = listing.journal_index(user)
    return render(
        request,
        "journal/index.html",
        {
            "groups": groups,
            "overviews": listing.overview_links(user),
            "can_close": access.can_close_periods(user),
        },
    )


@login_required
@require_GET
def grid(request: HttpRequest, assignment_id: int) -> HttpResponse:
    user = _user(request)
    period = _period(user, request.GET.get("period"))
    data = selectors.journal_grid(user=user, assignment=assignment_id, period=period)
    config = {
        "assignment": data.assignment_id,
        "period": data.period.pk,
        "mode": data.mode,
        "locked": data.locked,
        "marksAllowed": data.marks_allowed,
        "periodMarks": data.period_marks_editable,
        "emptyVersion": EMPTY_VERSION,
        "kinds": [{"id": k.id, "name": k.name, "weight": str(k.weight), "default": k.is_default} for k in data.kinds],
        "csrf": get_token(request),
        "files": {
            "accept": homework_files.ACCEPT,
            "maxBytes": homework_files.MAX_ATTACHMENT_BYTES,
            "maxCount": homework_files.MAX_ATTACHMENTS,
        },
        "urls": {
            "cell": _url_template("journal:cell", "{l}", "{s}"),
            "cellHistory": _url_template("journal:cell_history", "{l}", "{s}"),
            "lesson": _url_template("journal:lesson", "{l}"),
            "attachments": _url_template("journal:attachments", "{l}"),
            "attachmentDelete": _url_template("journal:attachment_delete", "{a}"),
            "periodMark": _url_template("journal:period_mark", "{s}", fixed=[data.assignment_id]),
            "periodMarkHistory": _url_template("journal:period_mark_history", "{s}", fixed=[data.assignment_id]),
        },
    }
    return render(
        request,
        "journal/grid.html",
        {
            "grid": data,
            # Built by grid_html, which escapes every value that comes from users.
            "table": mark_safe(render_grid_table(data)),
            "config": config,
        },
    )


@login_required
@require_GET
def summary(request: HttpRequest, assignment_id: int) -> HttpResponse:
    """The year page: period marks, the year mark and, in grades 9 and 11, exam and final marks."""
    user = _user(request)
    data = journal_summary(user=user, assignment=assignment_id)
    config = {
        "assignment": data.assignment_id,
        "editable": data.editable,
        "csrf": get_token(request),
        "periodMark": _url_template("journal:period_mark", "{s}", fixed=[data.assignment_id]),
    }
    return render(request, "journal/summary.html", {"summary": data, "config": config})


# --- the cell ------------------------------------------------------------------------------------------


@require_POST
@json_endpoint
def cell(request: HttpRequest, lesson_id: int, student_id: int) -> dict[str, Any]:
    """Save one cell (the body is read by cell_requests, shared with the API); a stale version is a 409
    carrying the cell as it is now."""
    body = _body(request)
    result = cell_requests.save_cell(user=_user(request), lesson_id=lesson_id, student_id=student_id, body=body)
    if isinstance(result, cell_requests.CellConflict):
        raise StaleEdit(result.message, current=result.current)
    return {"cell": result.cell, "row": result.row}


@require_GET
@json_endpoint
def cell_history(request: HttpRequest, lesson_id: int, student_id: int) -> dict[str, Any]:
    user = _user(request)
    lesson = lookups.lesson_for(user, lesson_id)
    student = lookups.student_for(user, student_id)
    state = services.cell_state(lesson=lesson, student=student)
    history = selectors.cell_history(user=user, lesson=lesson, student=student)
    return {
        "cell": payloads.cell(state),
        "student": student.full_name,
        "lesson": payloads.lesson_label(lesson),
        "history": payloads.history(history),
    }


# --- the lesson ----------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@json_endpoint
def lesson(request: HttpRequest, lesson_id: int) -> dict[str, Any]:
    """GET: the lesson panel (topic with the КТП suggestion, homework, kind of work, history).
    POST: {"topic", "planned_topic", "homework", "due_date", "kind", "reason"}, each optional."""
    user = _user(request)
    found = lookups.lesson_for(user, lesson_id)
    if request.method == "POST":
        data = _body(request)
        planned: PlannedTopic | None = None
        planned_id = inputs.id_field(data.get("planned_topic"), "planned_topic")
        if planned_id is not None:
            planned = PlannedTopic.objects.filter(school_id=user.school_id, pk=planned_id).first()
            if planned is None:
                raise ValidationFailed("Такой темы в КТП нет.", field="planned_topic")
        lesson_records.save_lesson_record(
            actor=user,
            lesson=found,
            topic=inputs.text_field(data["topic"], "topic", limit=600) if "topic" in data else None,
            planned_topic=planned,
            homework=inputs.text_field(data["homework"], "homework", limit=6000) if "homework" in data else None,
            due_date=inputs.date_field(data.get("due_date"), "due_date"),
            kind=lookups.kind_for(user, inputs.id_field(data.get("kind"), "kind")),
            reason=inputs.text_field(data.get("reason"), "reason", limit=500),
        )
        found = lookups.lesson_for(user, lesson_id)
    return payloads.lesson_panel(user=user, lesson=found)


# --- period marks --------------------------------------------------------------------------------------


@require_POST
@json_endpoint
def period_mark(request: HttpRequest, assignment_id: int, student_id: int) -> dict[str, Any]:
    """Save a period, year, exam or final mark (the body is read by period_mark_requests, shared with the API);
    a stale version is a 409 carrying the mark as it is now."""
    result = period_mark_requests.save_period_mark(
        user=_user(request), assignment_id=assignment_id, student_id=student_id, body=_body(request)
    )
    if isinstance(result, period_mark_requests.PeriodMarkConflict):
        raise StaleEdit(result.message, current=result.current)
    return {"mark": result.mark}


@require_GET
@json_endpoint
def period_mark_history(request: HttpRequest, assignment_id: int, student_id: int) -> dict[str, Any]:
    user = _user(request)
    assignment = lookups.assignment_for(user, assignment_id)
    student = lookups.student_for(user, student_id)
    kind = request.GET.get("kind") or PeriodMarkKind.PERIOD
    if kind not in PeriodMarkKind.values:
        raise ValidationFailed("Неизвестный вид итоговой отметки.", field="kind")
    period = _period(user, request.GET.get("period"))
    history = selectors.period_mark_history(user=user, assignment=assignment, student=student, kind=kind, period=period)
    state = period_marks.period_mark_state(assignment=assignment, student=student, kind=kind, period=period)
    return {"mark": payloads.period_mark(state), "student": student.full_name, "history": payloads.history(history)}


# --- closing periods -----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def closures(request: HttpRequest) -> HttpResponse:
    """The deputy's page: close or reopen each period for the school or one class."""
    user = _user(request)
    access.require_can_close_periods(user)
    if request.method == "POST":
        period = _period(user, request.POST.get("period"))
        if period is None:
            raise NotFound()
        class_id = inputs.id_field(request.POST.get("class_group"), "class_group")
        group = None
        if class_id is not None:
            group = access_schools.visible_classes(user).filter(pk=class_id).first()
            if group is None:
                raise NotFound()
        # A refusal (already closed, no reason given…) is shown above the list; NotFound stays the 404 page.
        with refused() as refusal:
            if request.POST.get("action") == "reopen":
                periods.reopen_period(
                    actor=user, period=period, class_group=group, reason=request.POST.get("reason", "")
                )
                messages.success(request, f"Период «{period.name}» открыт{f' для {group.name}' if group else ''}.")
            else:
                periods.close_period(actor=user, period=period, class_group=group)
                messages.success(request, f"Период «{period.name}» закрыт{f' для {group.name}' if group else ''}.")
        if refusal.error is not None:
            messages.error(request, refusal.message)
        return redirect("journal:closures")
    return render(request, "journal/closures.html", {"page": payloads.closures_page(user)})

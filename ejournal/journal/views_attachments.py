"""Homework files: upload and removal from the grid's lesson panel (JSON), and the download page that
everyone who sees the lesson may use — students of the class and their parents too."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest
from django.views.decorators.http import require_GET, require_POST

from ejournal.access import journal as access
from ejournal.core.errors import NotFound

from . import attachments as homework_files
from . import payloads, selectors
from .lookups import lesson_for
from .models import HomeworkAttachment
from .views import _user, json_endpoint


@require_POST
@json_endpoint
def upload(request: HttpRequest, lesson_id: int) -> dict[str, Any]:
    """multipart/form-data: one or more "file" fields, and "reason" for the administrator's correction."""
    user = _user(request)
    lesson = lesson_for(user, lesson_id)
    homework_files.check_request_size(request.META.get("CONTENT_LENGTH"))
    homework_files.add_attachments(
        actor=user,
        lesson=lesson,
        uploads=request.FILES.getlist("file"),
        reason=request.POST.get("reason", "")[:500],
    )
    return {
        "files": [payloads.attachment(item) for item in homework_files.lesson_attachments(lesson)],
        "history": payloads.history(selectors.lesson_history(user=user, lesson=lesson)),
    }


def _attachment(request: HttpRequest, attachment_id: int) -> HomeworkAttachment:
    found = (
        access.visible_attachments(_user(request))
        .filter(pk=attachment_id)
        .select_related("homework__lesson", "uploaded_by")
        .first()
    )
    if found is None:
        raise NotFound()
    return found


@require_POST
@json_endpoint
def delete(request: HttpRequest, attachment_id: int) -> dict[str, Any]:
    """{"reason": ""} may come as a form field: the administrator corrects a closed period with one."""
    user = _user(request)
    item = _attachment(request, attachment_id)
    lesson = item.homework.lesson
    homework_files.remove_attachment(actor=user, attachment=item, reason=request.POST.get("reason", "")[:500])
    return {
        "files": [payloads.attachment(a) for a in homework_files.lesson_attachments(lesson)],
        "history": payloads.history(selectors.lesson_history(user=user, lesson=lesson)),
    }


@login_required
@require_GET
def download(request: HttpRequest, attachment_id: int) -> FileResponse:
    """The file under its original name, always as a download (never shown inline: it came from a user)."""
    item = _attachment(request, attachment_id)
    try:
        handle = item.file.open("rb")
    except FileNotFoundError as exc:
        raise NotFound("Файл задания не найден в хранилище: сообщите администратору школы.") from exc
    response = FileResponse(handle, as_attachment=True, filename=item.original_name, content_type=item.content_type)
    response["Cache-Control"] = "private, no-store"
    return response

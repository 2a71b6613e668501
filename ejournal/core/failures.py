"""What a person sees when the server fails: never a traceback; when the database is away, a 503 that says
so and asks to retry. These pages use no database (no menu, no user): they must render when it is gone.

The journal grid keeps unsent edits in the browser and resends them on its own (static/js/journal.js),
so a teacher loses nothing while the database restarts.
"""

from __future__ import annotations

import logging
import sys

from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string

from .errors import CoreCode, body

log = logging.getLogger("ejournal.failures")

RETRY_AFTER_SECONDS = 30
DATABASE_AWAY = "База данных временно недоступна. Изменения не потеряны: повторите через минуту."
SERVER_ERROR = "На сервере произошла ошибка. Мы уже знаем о ней; повторите попытку позже."


def _database_is_away(error: BaseException | None) -> bool:
    # An integrity or data error is a bug of ours (500); a lost connection or a locked file is an outage.
    from django.db import InterfaceError, OperationalError

    return isinstance(error, OperationalError | InterfaceError) or (
        isinstance(error, DatabaseError) and "connection" in str(error).lower()
    )


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: Django calls it with the exception still current."""
    error = sys.exc_info()[1]
    away = _database_is_away(error)
    status, message = (503, DATABASE_AWAY) if away else (500, SERVER_ERROR)
    code = CoreCode.UNAVAILABLE if away else CoreCode.SERVER_ERROR
    if away:
        log.warning("database unavailable: %s", type(error).__name__)
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse(body(code, message), status=status)
    else:
        response = HttpResponse(render_to_string("failure.html", {"message": message, "status": status}), status=status)
    if away:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


NOT_FOUND = "Не найдено."
BAD_REQUEST = "Запрос не читается: проверьте, что в нём отправлено."


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """handler404: the API answers in its JSON shape; pages show 404.html. Neither repeats the exception's
    text, which for get_object_or_404 names the model in English."""
    if request.path.startswith("/api/"):
        return JsonResponse(body(CoreCode.NOT_FOUND, NOT_FOUND), status=404)
    return HttpResponse(render_to_string("404.html", request=request), status=404)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """handler400 (a body Django itself cannot read: a broken multipart, too many fields): in Russian."""
    if request.path.startswith("/api/"):
        return JsonResponse(body(CoreCode.UNREADABLE, BAD_REQUEST), status=400)
    return HttpResponse(render_to_string("failure.html", {"message": BAD_REQUEST, "status": 400}), status=400)

"""«Состояние системы»: the page for the school's administrator and director (access/status.py; others: 404)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from ejournal.access import roles
from ejournal.access import status as access
from ejournal.core import time as clock
from ejournal.core.requests import current_user

from .state import system_status


@login_required
@require_GET
@never_cache
def status_page(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    roles.require(access.reads_status(user))
    assert user.school is not None
    return render(request, "status/status.html", {"status": system_status(user.school, clock.now())})

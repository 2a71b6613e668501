"""The start page and /healthz: pages of no single domain, above every app they read."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from ejournal.access import health as access_health
from ejournal.accounts.models import User
from ejournal.core import health
from ejournal.core.time import school_today

from . import selectors


@login_required
def home_view(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    day = school_today(user.school)
    page = selectors.home_page(user, day)
    return render(request, "home/home.html", {"page": page})


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """For the load balancer and the administrator: 200 when the database answers, 503 when it does not.
    A silent worker does not take the web down, but shows as `worker.ok = false`. Only `ok` goes to the
    public: which database, how old the worker's heartbeat and how long the queue are tell an attacker
    what runs here and when it is struggling. The details are for a signed-in administrator or a probe on
    the machine itself."""
    db = health.database_state()
    status = 200 if db["ok"] else 503
    if not (health.is_local_probe(request) or access_health.reads_health_details(getattr(request, "user", None))):
        return JsonResponse({"ok": db["ok"]}, status=status)
    worker = health.worker_state() if db["ok"] else {"ok": False}
    return JsonResponse({"ok": db["ok"], "database": db, "worker": worker}, status=status)

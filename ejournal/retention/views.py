"""«Реестр хранения»: the page for the administrator and the director, and the administrator's confirmed
deletion of an expired stored item (access/retention.py; anyone else: 404)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from ejournal.access import retention as access
from ejournal.access import roles
from ejournal.core import inputs
from ejournal.core.refusals import refused
from ejournal.core.requests import current_user

from . import services
from .register import register


@login_required
@require_GET
def register_page(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    roles.require(access.reads_register(user))
    label = inputs.text_field(request.GET.get("label", ""), "label", limit=100)
    status = 200
    data = None
    error = ""
    with refused() as refusal:
        data = register(user=user, label=label)
    if refusal.error is not None:
        data = register(user=user)
        error, status = refusal.message, refusal.error.status
    context = {"register": data, "error": error, "label": label, "may_delete": access.deletes_expired(user)}
    return render(request, "retention/register.html", context, status=status)


@login_required
@require_POST
def delete(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    roles.require(access.deletes_expired(user))
    with refused() as refusal:
        done = services.delete_expired(
            actor=user,
            kind=request.POST.get("kind", ""),
            item_id=inputs.id_field(request.POST.get("id"), "id"),
            confirmed=request.POST.get("confirm") == "yes",
            reason=inputs.text_field(request.POST.get("reason", ""), "reason", limit=500),
        )
        messages.success(request, f"Удалено: «{done.title}». Запись об удалении осталась в реестре.")
    if refusal.error is not None:
        messages.error(request, refusal.message)
    return redirect("retention:register")

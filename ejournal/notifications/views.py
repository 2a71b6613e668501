"""Pages of informing: the inbox, one's notification settings, the administrator's undelivered list, the push
service worker and the Telegram bot's webhook."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ejournal.access import notifications as access
from ejournal.audit.models import EventKind
from ejournal.audit.services import record
from ejournal.core import inputs
from ejournal.core.errors import NotFound
from ejournal.core.inputs import BadInput
from ejournal.core.refusals import refused
from ejournal.core.requests import current_user

from . import selectors, services, telegram
from .channels import REGISTRY
from .forms import PreferencesForm
from .models import Event

SERVICE_WORKER = Path(__file__).resolve().parent.parent / "static" / "notifications" / "sw.js"


@login_required
@require_http_methods(["GET", "POST"])
def inbox(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    access.require_inbox(user)
    if request.method == "POST":
        chosen = map(inputs.id_or_none, request.POST.getlist("id"))
        ids = None if "all" in request.POST else [i for i in chosen if i is not None]
        services.mark_read(user=user, message_ids=ids)
        return redirect(request.get_full_path())
    unread_only = request.GET.get("unread") == "1"
    page = Paginator(selectors.inbox(user, unread_only=unread_only), selectors.INBOX_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "notifications/inbox.html",
        {"page": page, "unread": selectors.unread_count(user), "unread_only": unread_only},
    )


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    access.require_inbox(user)
    prefs = services.preferences_of(user)
    form = PreferencesForm(initial=PreferencesForm.initial_from(prefs))
    code = ""
    status = 200  # a refusal of the service re-renders the form with its status (core.refusals)
    if request.method == "POST":
        action = request.POST.get("action", "save")
        if action == "telegram_code":
            code = services.telegram_link_code(user=user)
        elif action == "telegram_unlink":
            services.unlink_telegram(user=user)
            messages.success(request, "Telegram отключён.")
            return redirect("notifications:preferences")
        else:
            form = PreferencesForm(request.POST)
            if form.is_valid():
                with refused(form) as refusal:
                    services.save_preferences(
                        user=user,
                        channels_on=form.cleaned_data["channels"],
                        events=form.cleaned_data["events"],
                        quiet_start=form.cleaned_data["quiet_start"],
                        quiet_end=form.cleaned_data["quiet_end"],
                        average_threshold=form.cleaned_data["average_threshold"],
                        digest=form.cleaned_data["digest"],
                        digest_hour=form.cleaned_data["digest_hour"],
                        digest_weekday=form.cleaned_data["digest_weekday"],
                    )
                if refusal.error is None:
                    messages.success(request, "Настройки уведомлений сохранены.")
                    return redirect("notifications:preferences")
                status = refusal.status
        prefs = services.preferences_of(user)
    return render(
        request,
        "notifications/preferences.html",
        {
            "form": form,
            "prefs": prefs,
            "code": code,
            "bot_link": telegram.deep_link(code) if code else "",
            "telegram_ready": REGISTRY["telegram"].configured(),
            "push_key": settings.VAPID_PUBLIC_KEY if REGISTRY["push"].configured() else "",
            "push_count": access.own_push_subscriptions(user).count(),
            "school_tz": user.school.timezone if user.school else "",
        },
        status=status,
    )


@login_required
@require_GET
def undelivered(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    access.require_watches_deliveries(user)
    f = selectors.parse_filter(request.GET)
    page = Paginator(selectors.problem_deliveries(user, f), selectors.FAILED_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/undelivered.html",
        {
            "page": page,
            "f": f,
            "problems": [(k, v[0]) for k, v in selectors.PROBLEMS.items()],
            "channels": [(k, c.title) for k, c in REGISTRY.items()],
            "events": Event.choices,
            "query": _without_page(request),
            "stuck": selectors.stuck_events(user),
        },
    )


def _without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@login_required
@require_POST
def retry(request: HttpRequest, delivery_id: int) -> HttpResponse:
    user = current_user(request)
    delivery = access.school_deliveries(user).filter(pk=delivery_id).first()
    if delivery is None:
        raise NotFound()
    with refused() as refusal:
        services.retry_delivery(delivery=delivery)
    if refusal.error is not None:
        messages.error(request, refusal.message)
    else:
        record(
            kind=EventKind.NOTIFICATION_RETRY,
            summary=f"Повторная отправка уведомления: доставка #{delivery.pk} ({delivery.channel})",
            actor=user,
            subject=delivery.message.recipient,
            request=request,
        )
        messages.success(request, "Уведомление будет отправлено повторно в течение минуты.")
    back = request.POST.get("back", "")
    return redirect(reverse("notifications:undelivered") + (f"?{back}" if back else ""))


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """Served under /notifications/ so that its scope is /notifications/ without extra headers."""
    response = HttpResponse(SERVICE_WORKER.read_text(encoding="utf-8"), content_type="text/javascript")
    response["Cache-Control"] = "no-cache"
    return response


@csrf_exempt
@require_POST
def telegram_webhook(request: HttpRequest, secret: str) -> HttpResponse:
    """The bot's updates. The secret in the path (derived from the token) proves the caller is Telegram."""
    if not telegram.secret_matches(secret):
        raise Http404()
    try:
        update = inputs.loads_json(request.body or b"{}")
    except BadInput:
        return JsonResponse({"ok": False}, status=400)
    prefs = telegram.handle_update(update if isinstance(update, dict) else {})
    if prefs is not None:
        record(kind=EventKind.TELEGRAM_LINKED, summary="Подключён Telegram для уведомлений", subject=prefs.user)
    return JsonResponse({"ok": True})

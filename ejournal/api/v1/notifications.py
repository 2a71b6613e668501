"""REST API of informing: the inbox, one's notification settings, web push subscriptions, a Telegram link
code, and for the administrator the undelivered list with «retry». Same access/ scopes and services as the
pages; out of scope is 404."""

from __future__ import annotations

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ejournal.access import notifications as access
from ejournal.api.v1.errors import raise_first_error
from ejournal.api.v1.inputs import BoundedPagination, IdField
from ejournal.audit.services import record
from ejournal.core.errors import NotFound, ValidationFailed
from ejournal.core.requests import current_user as _user
from ejournal.notifications import selectors, services, telegram
from ejournal.notifications.channels import REGISTRY
from ejournal.notifications.models import OPTIONAL_EVENTS, Delivery, Digest, Message, Preferences


class MessageSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    event = serializers.CharField()
    title = serializers.CharField()
    text = serializers.CharField()
    url = serializers.CharField(help_text="Путь на этом сайте (только идентификаторы)")
    at = serializers.DateTimeField(source="inbox_at")
    read = serializers.SerializerMethodField()

    def get_read(self, m: Message) -> bool:
        return m.read_at is not None


class ReadSerializer(serializers.Serializer):
    ids = serializers.ListField(child=IdField(), required=False, max_length=1000)
    all = serializers.BooleanField(required=False, default=False)


class PreferencesSerializer(serializers.Serializer):
    channels = serializers.ListField(
        child=serializers.ChoiceField(choices=[c for c in REGISTRY if c != "inapp"]),
        help_text="Включённые каналы; входящие журнала — всегда",
    )
    events = serializers.ListField(child=serializers.ChoiceField(choices=[e.value for e in OPTIONAL_EVENTS]))
    quiet_start = serializers.TimeField(allow_null=True, required=False, default=None)
    quiet_end = serializers.TimeField(allow_null=True, required=False, default=None)
    average_threshold = serializers.DecimalField(
        max_digits=3, decimal_places=2, allow_null=True, required=False, default=None
    )
    digest = serializers.ChoiceField(choices=Digest.values, default=Digest.NONE)
    digest_hour = serializers.IntegerField(min_value=0, max_value=23, default=19)
    digest_weekday = serializers.IntegerField(min_value=0, max_value=6, default=6)
    telegram_linked = serializers.SerializerMethodField()

    def get_telegram_linked(self, p: Preferences) -> bool:
        return bool(p.telegram_chat_id)


class PushKeysSerializer(serializers.Serializer):
    p256dh = serializers.CharField(max_length=200)
    auth = serializers.CharField(max_length=100)


class PushSubscriptionSerializer(serializers.Serializer):
    endpoint = serializers.URLField(max_length=500)
    keys = PushKeysSerializer(required=False)


class DeliverySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    message_id = serializers.IntegerField()
    recipient_id = serializers.IntegerField(source="message.recipient_id")
    event = serializers.CharField(source="message.event")
    created_at = serializers.DateTimeField(source="message.created_at")
    channel = serializers.CharField()
    status = serializers.CharField()
    attempts = serializers.IntegerField()
    next_attempt_at = serializers.DateTimeField(allow_null=True)
    last_error = serializers.CharField(help_text="Причина по-русски")


def _valid(serializer: serializers.Serializer) -> dict:
    raise_first_error(serializer)
    return dict(serializer.validated_data)


class InboxView(APIView):
    @extend_schema(responses={200: MessageSerializer(many=True)}, summary="Входящие уведомления, новые первыми")
    def get(self, request: Request) -> Response:
        user = _user(request)
        access.require_inbox(user)
        paginator = BoundedPagination()
        page = paginator.paginate_queryset(
            selectors.inbox(user, unread_only=request.query_params.get("unread") == "1"), request, view=self
        )
        return paginator.get_paginated_response(MessageSerializer(page, many=True).data)


class InboxReadView(APIView):
    @extend_schema(request=ReadSerializer, responses={200: dict}, summary="Отметить уведомления прочитанными")
    def post(self, request: Request) -> Response:
        user = _user(request)
        access.require_inbox(user)
        data = _valid(ReadSerializer(data=request.data))
        if not data["all"] and not data.get("ids"):
            raise ValidationFailed("Укажите ids или all: true.", field="ids")
        updated = services.mark_read(user=user, message_ids=None if data["all"] else data["ids"])
        return Response({"updated": updated, "unread": selectors.unread_count(user)})


class PreferencesView(APIView):
    @extend_schema(responses={200: PreferencesSerializer}, summary="Мои настройки уведомлений")
    def get(self, request: Request) -> Response:
        user = _user(request)
        access.require_inbox(user)
        return Response(PreferencesSerializer(services.preferences_of(user)).data)

    @extend_schema(request=PreferencesSerializer, responses={200: PreferencesSerializer}, summary="Сохранить настройки")
    def put(self, request: Request) -> Response:
        user = _user(request)
        access.require_inbox(user)
        data = _valid(PreferencesSerializer(data=request.data))
        prefs = services.save_preferences(
            user=user,
            channels_on=data["channels"],
            events=data["events"],
            quiet_start=data["quiet_start"],
            quiet_end=data["quiet_end"],
            average_threshold=data["average_threshold"],
            digest=data["digest"],
            digest_hour=data["digest_hour"],
            digest_weekday=data["digest_weekday"],
        )
        return Response(PreferencesSerializer(prefs).data)


class PushSubscriptionsView(APIView):
    @extend_schema(request=PushSubscriptionSerializer, responses={201: dict}, summary="Подписать браузер на push")
    def post(self, request: Request) -> Response:
        user = _user(request)
        access.require_inbox(user)
        data = _valid(PushSubscriptionSerializer(data=request.data))
        keys = data.get("keys") or {}
        sub = services.subscribe_push(
            user=user, endpoint=data["endpoint"], p256dh=keys.get("p256dh", ""), auth=keys.get("auth", "")
        )
        return Response({"id": sub.pk, "count": access.own_push_subscriptions(user).count()}, status=201)

    @extend_schema(request=PushSubscriptionSerializer, responses={204: None}, summary="Отписать браузер")
    def delete(self, request: Request) -> Response:
        user = _user(request)
        access.require_inbox(user)
        data = _valid(PushSubscriptionSerializer(data=request.data))
        services.unsubscribe_push(user=user, endpoint=data["endpoint"])
        return Response(status=204)


class TelegramCodeView(APIView):
    @extend_schema(request=None, responses={201: dict}, summary="Одноразовый код для подключения Telegram")
    def post(self, request: Request) -> Response:
        user = _user(request)
        access.require_inbox(user)
        code = services.telegram_link_code(user=user)
        return Response({"code": code, "link": telegram.deep_link(code)}, status=201)


class UndeliveredView(APIView):
    @extend_schema(responses={200: DeliverySerializer(many=True)}, summary="Недоставленные уведомления школы")
    def get(self, request: Request) -> Response:
        user = _user(request)
        access.require_watches_deliveries(user)
        f = selectors.parse_filter(request.query_params)
        paginator = BoundedPagination()
        page = paginator.paginate_queryset(selectors.problem_deliveries(user, f), request, view=self)
        return paginator.get_paginated_response(DeliverySerializer(page, many=True).data)


class RetryView(APIView):
    @extend_schema(request=None, responses={200: DeliverySerializer}, summary="Повторить отправку")
    def post(self, request: Request, delivery_id: int) -> Response:
        user = _user(request)
        delivery: Delivery | None = (
            access.school_deliveries(user).select_related("message__recipient").filter(pk=delivery_id).first()
        )
        if delivery is None:
            raise NotFound()
        services.retry_delivery(delivery=delivery)
        record(
            kind="notification_retry",
            summary=f"Повторная отправка уведомления: доставка #{delivery.pk} ({delivery.channel})",
            actor=user,
            subject=delivery.message.recipient,
            request=request._request,
        )
        return Response(DeliverySerializer(delivery).data)


urlpatterns = [
    path("notifications/inbox/", InboxView.as_view(), name="api-notifications-inbox"),
    path("notifications/inbox/read/", InboxReadView.as_view(), name="api-notifications-read"),
    path("notifications/preferences/", PreferencesView.as_view(), name="api-notifications-preferences"),
    path("notifications/push-subscriptions/", PushSubscriptionsView.as_view(), name="api-notifications-push"),
    path("notifications/telegram-code/", TelegramCodeView.as_view(), name="api-notifications-telegram-code"),
    path("notifications/undelivered/", UndeliveredView.as_view(), name="api-notifications-undelivered"),
    path("notifications/undelivered/<id:delivery_id>/retry/", RetryView.as_view(), name="api-notifications-retry"),
]

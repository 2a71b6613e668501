"""Make a VAPID key pair for web push: `manage.py notifications_vapid_keys` prints the two variables."""

from __future__ import annotations

import base64
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.core.management.base import BaseCommand


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class Command(BaseCommand):
    help = "Создать пару ключей VAPID для push-уведомлений и вывести переменные окружения."

    def handle(self, *args: Any, **options: Any) -> None:
        key = ec.generate_private_key(ec.SECP256R1())
        public = key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        self.stdout.write(
            f"EJOURNAL_VAPID_PRIVATE_KEY={_b64url(key.private_numbers().private_value.to_bytes(32, 'big'))}"
        )
        self.stdout.write(f"EJOURNAL_VAPID_PUBLIC_KEY={_b64url(public)}")

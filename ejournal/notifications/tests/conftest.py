"""Real parts on 127.0.0.1 for the channels: an SMTP server (aiosmtpd), a Telegram Bot API speaker and a
web push endpoint that checks the VAPID signature and decrypts the aes128gcm body like a browser would."""

from __future__ import annotations

import base64
import email
import json
import os
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.policy import default as default_policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import http_ece
import pytest
from aiosmtpd.controller import Controller
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from ejournal.conftest import SmallSchool
from ejournal.journal.tests.conftest import TODAY, Journal, build_journal, set_clock

__all__ = ["TODAY", "Journal"]


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate: Any, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.02)


# --- SMTP ------------------------------------------------------------------------------------------------------


@dataclass
class Mailbox:
    """The aiosmtpd handler: keeps what arrived; refuses addresses with «broken» (550) like a real server."""

    messages: list[EmailMessage] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: Any) -> str:
        if "broken" in address:
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.recipients.extend(envelope.rcpt_tos)
        self.messages.append(email.message_from_bytes(envelope.content, policy=default_policy))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server(settings: Any) -> Iterator[Mailbox]:
    mailbox = Mailbox()
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", port, False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    yield mailbox
    controller.stop()


# --- HTTP servers ----------------------------------------------------------------------------------------------


@dataclass
class Recorded:
    path: str
    headers: dict[str, str]
    body: bytes


class LocalHTTP:
    """A ThreadingHTTPServer on 127.0.0.1 whose POST answer a test sets with `status` and `reply`."""

    def __init__(self) -> None:
        self.requests: list[Recorded] = []
        self.status = 200
        self.reply: dict[str, Any] = {}
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                outer.requests.append(Recorded(self.path, {k.lower(): v for k, v in self.headers.items()}, body))
                data = json.dumps(outer.reply).encode()
                self.send_response(outer.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


BOT_TOKEN = "123456:TEST-token"


class BotAPI(LocalHTTP):
    """Speaks the Telegram Bot API's sendMessage; `fail(403, …)` makes it refuse like a blocked bot."""

    def __init__(self) -> None:
        super().__init__()
        self.ok()

    def ok(self) -> None:
        self.status, self.reply = 200, {"ok": True, "result": {"message_id": 1}}

    def fail(self, status: int, description: str) -> None:
        self.status, self.reply = status, {"ok": False, "error_code": status, "description": description}

    def sent(self) -> list[dict[str, Any]]:
        assert all(r.path == f"/bot{BOT_TOKEN}/sendMessage" for r in self.requests)
        return [json.loads(r.body) for r in self.requests]


@pytest.fixture
def bot_api(settings: Any) -> Iterator[BotAPI]:
    server = BotAPI()
    settings.TELEGRAM_API_BASE, settings.TELEGRAM_BOT_TOKEN = server.url, BOT_TOKEN
    yield server
    server.close()


@dataclass
class Browser:
    """The keys a browser makes in PushManager.subscribe(): an ECDH P-256 pair and a 16-byte auth secret."""

    endpoint: str
    private_key: ec.EllipticCurvePrivateKey
    auth_secret: bytes

    @property
    def p256dh(self) -> str:
        point = self.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return b64url(point)

    @property
    def auth(self) -> str:
        return b64url(self.auth_secret)

    def decrypt(self, body: bytes) -> dict[str, Any]:
        plain = http_ece.decrypt(body, private_key=self.private_key, auth_secret=self.auth_secret, version="aes128gcm")
        return json.loads(plain)


class PushService(LocalHTTP):
    """A push endpoint: answers 201 like FCM/Mozilla; `verify` checks the VAPID JWT against the public key."""

    def __init__(self) -> None:
        super().__init__()
        self.status = 201

    def browser(self) -> Browser:
        return Browser(
            f"{self.url}/push/{b64url(os.urandom(8))}", ec.generate_private_key(ec.SECP256R1()), os.urandom(16)
        )

    def verify(self, request: Recorded, public_key: str, subject: str) -> dict[str, Any]:
        scheme, _, params = request.headers["authorization"].partition(" ")
        assert scheme == "vapid"
        fields = dict(part.strip().split("=", 1) for part in params.split(","))
        assert fields["k"] == public_key
        head, payload, signature = fields["t"].split(".")
        raw = b64url_decode(signature)
        der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
        key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), b64url_decode(public_key))
        key.verify(der, f"{head}.{payload}".encode(), ec.ECDSA(hashes.SHA256()))  # raises when forged
        claims = json.loads(b64url_decode(payload))
        assert claims["aud"] == self.url and claims["sub"] == subject and claims["exp"] > time.time()
        assert request.headers["content-encoding"] == "aes128gcm"
        return claims


@pytest.fixture
def vapid(settings: Any) -> tuple[str, str]:
    """A fresh VAPID key pair in the form the settings take (base64url raw private key, uncompressed public)."""
    key = ec.generate_private_key(ec.SECP256R1())
    private = b64url(key.private_numbers().private_value.to_bytes(32, "big"))
    public = b64url(
        key.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    )
    settings.VAPID_PRIVATE_KEY, settings.VAPID_PUBLIC_KEY = private, public
    settings.VAPID_SUBJECT = "mailto:admin@school.test"
    return private, public


@pytest.fixture
def push_service(vapid: tuple[str, str]) -> Iterator[PushService]:
    server = PushService()
    yield server
    server.close()


@pytest.fixture
def commit(django_capture_on_commit_callbacks: Any) -> Any:
    """Run a journal write with its after-commit announcements, as a real request commits them."""

    def run(fn: Any, **kwargs: Any) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return fn(**kwargs)

    return run


# --- the school ------------------------------------------------------------------------------------------------


@pytest.fixture
def journal(small_school: SmallSchool, monkeypatch: pytest.MonkeyPatch, settings: Any) -> Journal:
    """The journal's school with lessons; the parent and the first student of 5А have e-mail addresses."""
    set_clock(monkeypatch, TODAY)
    settings.SITE_URL = "http://school.test"
    built = build_journal(small_school)
    assert small_school.parent is not None
    small_school.parent.email = "parent@school.test"
    small_school.parent.save(update_fields=["email"])
    return built

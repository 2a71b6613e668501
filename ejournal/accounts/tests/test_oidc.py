"""Sign-in through a generic OpenID Connect provider: the real npm oidc-provider on 127.0.0.1 (not a mock)."""

from __future__ import annotations

import base64
import dataclasses
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest
import requests
from cryptography.hazmat.primitives.asymmetric import rsa
from joserfc import jwt
from joserfc.jwk import RSAKey

from ejournal.accounts.auth import oidc
from ejournal.accounts.models import ExternalIdentity, User
from ejournal.accounts.tests.oidc_provider import (
    csrf_header,
    loopback_session,
    make_gost_certificate,
    node_missing_reason,
    run_provider,
    sign_in_at_provider,
)
from ejournal.audit.models import EventKind, SecurityEvent

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(node_missing_reason() is not None, reason=node_missing_reason() or ""),
]

ACCOUNTS = {
    "oid-1001": {"snils": "11223344595", "family_name": "Учителева"},
    "oid-2002": {"family_name": "Незнакомова"},
}


@pytest.fixture(scope="module")
def provider(live_server: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    cert = make_gost_certificate(tmp_path_factory.mktemp("gost"))
    with run_provider(app_url=live_server.url, esia_cert=cert.cert, accounts=ACCOUNTS) as running:
        yield running


@pytest.fixture
def configured(provider: Any, settings: Any) -> Any:
    for name, value in provider.settings().items():
        setattr(settings, name, value)
    return provider


def start_url(live_server: Any) -> str:
    return f"{live_server.url}/accounts/oidc/oidc/"


def signed_in_as(session: requests.Session, live_server: Any) -> str:
    page = session.get(f"{live_server.url}/", timeout=30)
    return page.text if page.url.rstrip("/") == live_server.url else ""


def test_first_login_links_by_snils_then_signs_in_by_the_link(configured, live_server, small_school):
    teacher = small_school.teacher
    User.objects.filter(pk=teacher.pk).update(snils="112-233-445 95")
    session = loopback_session()
    page, seen = sign_in_at_provider(session, start_url(live_server), "oid-1001")
    assert page.status_code == 200 and "Здравствуйте" in page.text
    assert any("/accounts/oidc/oidc/callback/" in url for url in seen)
    link = ExternalIdentity.objects.get(provider="oidc", subject="oid-1001")
    assert link.user_id == teacher.pk and link.school_id == teacher.school_id
    linked = SecurityEvent.objects.get(kind=EventKind.ESIA_LINKED)
    assert linked.subject_id == teacher.pk and "112" not in linked.summary
    assert SecurityEvent.objects.filter(kind=EventKind.LOGIN, actor=teacher, details__method="oidc").count() == 1
    # The second time the link is used, whatever the СНИЛС says now.
    User.objects.filter(pk=teacher.pk).update(snils="")
    again, _ = sign_in_at_provider(loopback_session(), start_url(live_server), "oid-1001")
    assert "Здравствуйте" in again.text
    assert ExternalIdentity.objects.count() == 1


def test_replayed_callback_is_refused(configured, live_server, small_school):
    User.objects.filter(pk=small_school.teacher.pk).update(snils="11223344595")
    session = loopback_session()
    _, seen = sign_in_at_provider(session, start_url(live_server), "oid-1001")
    callback = next(url for url in seen if "/callback/" in url)
    session.post(f"{live_server.url}/accounts/logout/", headers=csrf_header(session))
    replay = session.get(callback, allow_redirects=False, timeout=30)
    assert replay.status_code == 400
    assert "уже был использован" in replay.text
    # Another browser (an attacker who stole the URL) gets the same refusal and no session.
    stranger = loopback_session()
    assert stranger.get(callback, allow_redirects=False, timeout=30).status_code == 400
    assert signed_in_as(stranger, live_server) == ""


def test_unknown_account_is_not_created_and_gets_a_clear_page(configured, live_server, small_school):
    people = User.objects.count()
    session = loopback_session()
    page, _ = sign_in_at_provider(session, start_url(live_server), "oid-2002")
    assert page.url.endswith("/accounts/oidc/not-found/")
    assert "Учётная запись не найдена, обратитесь в школу" in page.text
    assert User.objects.count() == people and not ExternalIdentity.objects.exists()
    assert signed_in_as(session, live_server) == ""


class TokenTamperer:
    """A token endpoint in front of the real one that swaps the ID token for a forged one."""

    def __init__(self, real_token_url: str, forge: str) -> None:
        self.real, self.forge = real_token_url, forge
        self.attacker_key = RSAKey.import_key(rsa.generate_private_key(public_exponent=65537, key_size=2048))

    def forged(self, id_token: str) -> str:
        header_b64, payload_b64, signature = id_token.split(".")
        payload = json.loads(base64.urlsafe_b64decode(payload_b64 + "=="))
        if self.forge == "changed_subject":
            payload["sub"] = "oid-9999"
            body = base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")
            return f"{header_b64}.{body}.{signature}"
        header = json.loads(base64.urlsafe_b64decode(header_b64 + "=="))
        return jwt.encode({"alg": "RS256", "kid": header["kid"]}, payload, self.attacker_key)

    def serve(self) -> tuple[HTTPServer, str]:
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                headers = {k: v for k, v in self.headers.items() if k.lower() in ("authorization", "content-type")}
                answer = requests.post(outer.real, data=body, headers=headers, timeout=30)
                token = answer.json()
                token["id_token"] = outer.forged(token["id_token"])
                data = json.dumps(token).encode()
                self.send_response(answer.status_code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        server = HTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        return server, f"http://127.0.0.1:{server.server_address[1]}/token"


@pytest.mark.parametrize("forge", ["changed_subject", "attacker_signature"])
def test_forged_id_token_is_refused(configured, live_server, small_school, monkeypatch, forge):
    User.objects.filter(pk=small_school.teacher.pk).update(snils="11223344595")
    real = oidc.generic_provider()
    assert real is not None
    server, token_url = TokenTamperer(real.token_url, forge).serve()
    monkeypatch.setattr(oidc, "generic_provider", lambda: dataclasses.replace(real, token_url=token_url))
    try:
        session = loopback_session()
        page, _ = sign_in_at_provider(session, start_url(live_server), "oid-1001")
    finally:
        server.shutdown()
    assert page.status_code == 400
    assert "ID-токен поставщика входа не прошёл проверку" in page.text
    assert not ExternalIdentity.objects.exists()
    assert signed_in_as(session, live_server) == ""


def test_unknown_provider_is_404(client, db):
    assert client.get("/accounts/oidc/nosuch/").status_code == 404


def test_callback_without_a_started_login_is_refused(client, configured, db):
    page = client.get("/accounts/oidc/oidc/callback/", {"state": "x", "code": "y"})
    assert page.status_code == 400
    assert "Начните вход заново" in page.content.decode()

"""The ESIA adapter against a real provider that talks like ESIA: GOST-signed client secrets, GOST-signed ID
tokens checked with ESIA's certificate, СНИЛС from the person resource."""

from __future__ import annotations

import base64
import json
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from joserfc import jwt
from joserfc.jwk import RSAKey

from ejournal.accounts.auth import esia, gost_jwt, oidc, signers
from ejournal.accounts.models import ExternalIdentity, User
from ejournal.accounts.tests.oidc_provider import (
    CertificatePair,
    csrf_header,
    loopback_session,
    make_gost_certificate,
    make_rsa_certificate,
    node_missing_reason,
    run_provider,
    sign_gost_jwt,
    sign_in_at_provider,
    token_proxy,
)
from ejournal.audit.models import EventKind, SecurityEvent

ACCOUNTS = {"1000299353": {"snils": "112-233-445 95"}, "1000299354": {}}


def verifies(cert: CertificatePair, data: bytes, signature: bytes, tmp_path: Path, engine: bool = True) -> bool:
    (tmp_path / "data").write_bytes(data)
    (tmp_path / "sig").write_bytes(signature)
    cmd = ["openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", str(tmp_path / "sig")]
    cmd += ["-content", str(tmp_path / "data"), "-CAfile", cert.cert, "-out", "/dev/null"]
    if engine:
        cmd += ["-engine", "gost"]
    return subprocess.run(cmd, capture_output=True, check=False).returncode == 0


def test_client_secret_is_a_detached_gost_signature_of_scope_timestamp_client_id_state(tmp_path):
    cert = make_gost_certificate(tmp_path)
    stamp = esia.timestamp()
    secret = esia.client_secret(
        signers.gost_signer(cert.cert, cert.key), scope="openid snils", stamp=stamp, client_id="SCHOOL", state="s-1"
    )
    signature = base64.urlsafe_b64decode(secret + "=" * (-len(secret) % 4))
    assert verifies(cert, f"openid snils{stamp}SCHOOLs-1".encode(), signature, tmp_path)
    assert not verifies(cert, f"openid snils{stamp}SCHOOLs-2".encode(), signature, tmp_path)
    (tmp_path / "sig.der").write_bytes(signature)
    printed = subprocess.run(
        ["openssl", "cms", "-cmsout", "-print", "-inform", "DER", "-in", str(tmp_path / "sig.der"), "-engine", "gost"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "md_gost12_256" in printed or "1.2.643.7.1.1.2.2" in printed  # Streebog-256
    assert "eContent: <ABSENT>" in printed  # detached


def test_timestamp_has_esia_format():
    import datetime as dt

    assert esia.timestamp(dt.datetime(2026, 11, 29, 9, 7, 5, tzinfo=dt.UTC)) == "2026.11.29 09:07:05 +0000"


def test_rsa_signer_for_other_providers(tmp_path):
    cert = make_rsa_certificate(tmp_path)
    signature = signers.rsa_signer(cert.cert, cert.key).sign(b"payload")
    assert verifies(cert, b"payload", signature, tmp_path, engine=False)


def test_signing_with_a_missing_key_is_a_clear_error(tmp_path):
    with pytest.raises(esia.OIDCError, match="сертификат и ключ"):
        esia.client_secret(
            signers.gost_signer(str(tmp_path / "none.pem"), str(tmp_path / "none.key")),
            scope="openid",
            stamp=esia.timestamp(),
            client_id="C",
            state="S",
        )


@pytest.fixture(scope="module")
def certificates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, CertificatePair]:
    folder = tmp_path_factory.mktemp("esia")
    return {
        "trusted": make_gost_certificate(folder, "school"),  # the school system's, registered in ESIA
        "untrusted": make_gost_certificate(folder, "other"),
        "esia": make_gost_certificate(folder, "esia"),  # ESIA's own: signs the ID tokens
    }


# Unit level: the ESIA adapter's ID token check (GOST signature by ESIA's certificate, then the OIDC claims).

NONCE = "n-0123456789"


def esia_unit_provider(cert_file: str) -> esia.EsiaProvider:
    return esia.EsiaProvider(
        name="esia",
        title="Госуслуги",
        client_id="SCHOOL",
        issuer="http://esia-portal1.test.gosuslugi.ru/",
        authorization_url="",
        token_url="",
        jwks_url="",
        verify_cert=cert_file,
    )


def esia_claims(**changes: Any) -> dict[str, Any]:
    now = int(time.time())
    claims = {
        "iss": "http://esia-portal1.test.gosuslugi.ru/",
        "aud": "SCHOOL",
        "sub": 1000299353,  # ESIA sends the oid as a number
        "nbf": now,
        "iat": now,
        "exp": now + 3600,
        "nonce": NONCE,
        "amr": "PWD",
        "urn:esia:sid": "a1510cb2",
    }
    return {**claims, **changes}


def test_esia_id_token_signed_by_esia_is_taken_with_the_oid_as_text(certificates):
    token = sign_gost_jwt(esia_claims(), certificates["esia"].key)
    claims = oidc.verify_id_token(esia_unit_provider(certificates["esia"].cert), token, nonce=NONCE)
    assert claims["sub"] == "1000299353" and claims["aud"] == "SCHOOL"


@pytest.mark.parametrize(
    "changes",
    [
        {"exp": int(time.time()) - 3600},
        {"nbf": int(time.time()) + 3600},
        {"iat": int(time.time()) + 3600},
        {"nonce": "another-nonce"},
        {"aud": "ANOTHER-SYSTEM"},
        {"iss": "http://esia.example/"},
        {"sub": None},
    ],
    ids=["expired", "not-yet-valid", "issued-in-future", "nonce", "audience", "issuer", "no-subject"],
)
def test_esia_id_token_with_valid_signature_but_wrong_claims_is_refused(certificates, changes):
    token = sign_gost_jwt(esia_claims(**changes), certificates["esia"].key)
    with pytest.raises(oidc.OIDCError, match="ID-токен поставщика входа не прошёл проверку"):
        oidc.verify_id_token(esia_unit_provider(certificates["esia"].cert), token, nonce=NONCE)


def test_esia_id_token_signed_by_another_key_is_refused(certificates):
    token = sign_gost_jwt(esia_claims(), certificates["untrusted"].key)
    with pytest.raises(oidc.OIDCError, match="ID-токен поставщика входа не прошёл проверку"):
        oidc.verify_id_token(esia_unit_provider(certificates["esia"].cert), token, nonce=NONCE)


def test_missing_esia_certificate_is_a_setup_error_not_a_pass(certificates, tmp_path, caplog):
    token = sign_gost_jwt(esia_claims(), certificates["esia"].key)
    with pytest.raises(oidc.OIDCError, match="Вход через Госуслуги сейчас недоступен"):
        oidc.verify_id_token(esia_unit_provider(str(tmp_path / "none.pem")), token, nonce=NONCE)
    assert "could not be checked" in caplog.text and token not in caplog.text


def test_esia_without_a_verification_certificate_refuses_to_start(client, settings, certificates, db):
    settings.ESIA_CLIENT_ID = "SCHOOL"
    settings.ESIA_VERIFY_CERT_FILE = ""
    page = client.get("/accounts/oidc/esia/")
    assert page.status_code == 503 and "Вход через Госуслуги сейчас недоступен" in page.content.decode()


# End to end: the real provider signs the ESIA client's ID tokens with the "esia" key; the app trusts its cert.


@pytest.fixture(scope="module")
def provider(live_server: Any, certificates: dict[str, CertificatePair]) -> Iterator[Any]:
    reason = node_missing_reason()
    if reason:
        pytest.skip(reason)
    with run_provider(
        app_url=live_server.url,
        esia_cert=certificates["trusted"].cert,
        accounts=ACCOUNTS,
        esia_signing=certificates["esia"],
    ) as running:
        yield running


@pytest.fixture
def esia_settings(provider: Any, certificates: dict[str, CertificatePair], settings: Any) -> Any:
    for name, value in provider.settings().items():
        setattr(settings, name, value)
    settings.ESIA_SIGNER = "gost"
    settings.ESIA_CERT_FILE = certificates["trusted"].cert
    settings.ESIA_KEY_FILE = certificates["trusted"].key
    return settings


def parts(token: str) -> tuple[dict[str, Any], dict[str, Any], str]:
    header, payload, signature = token.split(".")
    return json.loads(gost_jwt.b64url_decode(header)), json.loads(gost_jwt.b64url_decode(payload)), signature


def signed_in(session: Any, live_server: Any) -> bool:
    return session.get(f"{live_server.url}/", timeout=30).url.rstrip("/") == live_server.url


@pytest.mark.django_db(transaction=True)
def test_esia_login_links_by_snils_from_the_person_resource(esia_settings, live_server, small_school):
    student = small_school.students_5a[0]
    User.objects.filter(pk=student.pk).update(snils="11223344595")
    received: list[str] = []

    def watch(token: str) -> str:
        received.append(token)
        return token

    with token_proxy(esia_settings.ESIA_TOKEN_URL, watch) as url:
        esia_settings.ESIA_TOKEN_URL = url  # only watches: the token goes through unchanged
        page, seen = sign_in_at_provider(loopback_session(), f"{live_server.url}/accounts/oidc/esia/", "1000299353")
    assert page.status_code == 200 and "Здравствуйте" in page.text, page.text[-1500:]
    header, payload, signature = parts(received[0])
    assert header["alg"] == "GOST3410_2012_256" and payload["sub"] == 1000299353
    assert len(gost_jwt.b64url_decode(signature)) == 64
    authorize = next(url for url in seen if "/auth?" in url)
    assert "client_secret=" in authorize and "timestamp=" in authorize and "scope=openid+fullname+snils" in authorize
    assert ExternalIdentity.objects.get(provider="esia").user_id == student.pk
    assert ExternalIdentity.objects.get(provider="esia").subject == "1000299353"
    event = SecurityEvent.objects.get(kind=EventKind.ESIA_LINKED)
    assert event.subject_id == student.pk and "11223344595" not in event.summary


def forgeries(certificates: dict[str, CertificatePair]) -> dict[str, Callable[[str], str]]:
    """How a forged token endpoint answer changes ESIA's GOST-signed ID token."""
    esia_key, other_key = certificates["esia"].key, certificates["untrusted"].key

    def resigned(token: str, key: str, **changes: Any) -> str:
        header, payload, _ = parts(token)
        return sign_gost_jwt({**payload, **changes}, key, header)

    def tampered(token: str) -> str:
        header, _, signature = token.split(".")
        changed = {**parts(token)[1], "sub": 1000299354}
        return f"{header}.{gost_jwt.b64url_encode(json.dumps(changed).encode())}.{signature}"

    def unsigned(token: str) -> str:
        header, body = (gost_jwt.b64url_encode(json.dumps(p).encode()) for p in ({"alg": "none"}, parts(token)[1]))
        return f"{header}.{body}."

    return {
        "another_gost_key": lambda token: resigned(token, other_key),
        "payload_tampered": tampered,
        "expired": lambda token: resigned(token, esia_key, exp=int(time.time()) - 120, iat=int(time.time()) - 3720),
        "nonce_mismatch": lambda token: resigned(token, esia_key, nonce="replayed-from-another-sign-in"),
        "alg_none": unsigned,
        "rs256": lambda token: jwt.encode({"alg": "RS256"}, parts(token)[1], RSAKey.generate_key(2048)),
    }


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("forge", "signature_refusal"),
    [
        ("another_gost_key", "does not verify"),
        ("payload_tampered", "does not verify"),
        ("expired", None),  # a valid signature: refused by the claims check
        ("nonce_mismatch", None),
        ("alg_none", "'none' is not GOST3410_2012_256"),
        ("rs256", "'RS256' is not GOST3410_2012_256"),
    ],
)
def test_forged_esia_id_token_is_refused(
    esia_settings, certificates, live_server, small_school, caplog, forge, signature_refusal
):
    User.objects.filter(pk=small_school.students_5a[0].pk).update(snils="11223344595")
    with token_proxy(esia_settings.ESIA_TOKEN_URL, forgeries(certificates)[forge]) as url:
        esia_settings.ESIA_TOKEN_URL = url
        session = loopback_session()
        page, _ = sign_in_at_provider(session, f"{live_server.url}/accounts/oidc/esia/", "1000299353")
    assert page.status_code == 400, page.text[-1500:]
    assert "Вход не выполнен" in page.text and "ID-токен поставщика входа не прошёл проверку" in page.text
    assert not ExternalIdentity.objects.exists()
    assert not signed_in(session, live_server)
    refusals = [r.getMessage() for r in caplog.records if r.getMessage().startswith("ESIA ID token refused")]
    if signature_refusal:
        assert len(refusals) == 1 and signature_refusal in refusals[0]
    else:
        assert refusals == []  # the signature verified: the claims were refused


@pytest.mark.django_db(transaction=True)
def test_request_signed_with_an_unregistered_key_is_refused(esia_settings, certificates, live_server, small_school):
    esia_settings.ESIA_CERT_FILE = certificates["untrusted"].cert
    esia_settings.ESIA_KEY_FILE = certificates["untrusted"].key
    session = loopback_session()
    answer = session.get(f"{live_server.url}/accounts/oidc/esia/", timeout=30)
    assert answer.status_code == 400 and answer.json()["error"] == "invalid_client"
    assert not ExternalIdentity.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_esia_account_not_in_school_gets_not_found_and_links_with_a_code(esia_settings, live_server, small_school):
    from ejournal.accounts.auth import linking

    people = User.objects.count()
    session = loopback_session()
    page, _ = sign_in_at_provider(session, f"{live_server.url}/accounts/oidc/esia/", "1000299354")
    assert "Учётная запись не найдена, обратитесь в школу" in page.text
    assert User.objects.count() == people
    parent = small_school.parent
    assert parent is not None
    code = linking.issue_link_code(actor=small_school.class_teacher, person=parent)
    csrf = csrf_header(session)
    wrong = session.post(page.url, data={"code": "AAAA-BBBB-CCCC"}, headers=csrf, timeout=30)
    assert wrong.status_code == 422 and "Код не подошёл" in wrong.text
    done = session.post(page.url, data={"code": code.lower()}, headers=csrf, timeout=30)
    assert done.status_code == 200 and "Здравствуйте" in done.text
    assert ExternalIdentity.objects.get(provider="esia", subject="1000299354").user_id == parent.pk
    assert SecurityEvent.objects.filter(kind=EventKind.ESIA_LINKED, subject=parent).count() == 1

"""The ESIA adapter: GOST-signed client secrets checked by a real provider, СНИЛС from the person resource."""

from __future__ import annotations

import base64
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ejournal.accounts.auth import esia, signers
from ejournal.accounts.auth.testprovider import (
    CertificatePair,
    csrf_header,
    loopback_session,
    make_gost_certificate,
    make_rsa_certificate,
    node_missing_reason,
    run_provider,
    sign_in_at_provider,
)
from ejournal.accounts.models import ExternalIdentity, User
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
    return {"trusted": make_gost_certificate(folder, "school"), "untrusted": make_gost_certificate(folder, "other")}


@pytest.fixture(scope="module")
def provider(live_server: Any, certificates: dict[str, CertificatePair]) -> Iterator[Any]:
    reason = node_missing_reason()
    if reason:
        pytest.skip(reason)
    with run_provider(app_url=live_server.url, esia_cert=certificates["trusted"].cert, accounts=ACCOUNTS) as running:
        yield running


@pytest.fixture
def esia_settings(provider: Any, certificates: dict[str, CertificatePair], settings: Any) -> Any:
    for name, value in provider.settings().items():
        setattr(settings, name, value)
    settings.ESIA_SIGNER = "gost"
    settings.ESIA_CERT_FILE = certificates["trusted"].cert
    settings.ESIA_KEY_FILE = certificates["trusted"].key
    return settings


@pytest.mark.django_db(transaction=True)
def test_esia_login_links_by_snils_from_the_person_resource(esia_settings, live_server, small_school):
    student = small_school.students_5a[0]
    User.objects.filter(pk=student.pk).update(snils="11223344595")
    page, seen = sign_in_at_provider(loopback_session(), f"{live_server.url}/accounts/oidc/esia/", "1000299353")
    assert page.status_code == 200 and "Здравствуйте" in page.text, page.text[-1500:]
    authorize = next(url for url in seen if "/auth?" in url)
    assert "client_secret=" in authorize and "timestamp=" in authorize and "scope=openid+fullname+snils" in authorize
    assert ExternalIdentity.objects.get(provider="esia").user_id == student.pk
    event = SecurityEvent.objects.get(kind=EventKind.ESIA_LINKED)
    assert event.subject_id == student.pk and "11223344595" not in event.summary


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

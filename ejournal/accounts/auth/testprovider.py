"""Test support: the real OpenID Connect provider (tests/oidc_provider, npm oidc-provider) on 127.0.0.1,
a GOST test key and certificate made with openssl, and a client that walks the provider's pages.

Used by the accounts tests only; nothing here runs in the product.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

import requests
from django.conf import settings

PROVIDER_DIR = Path(settings.BASE_DIR) / "tests" / "oidc_provider"
CLIENT_ID = "ejournal"
CLIENT_SECRET = "test-client-secret-0123456789abcdef"
ESIA_CLIENT_ID = "esia-ejournal"


def node_missing_reason() -> str | None:
    if shutil.which("node") is None:
        return "node is not installed: the OpenID Connect tests need Node.js for tests/oidc_provider"
    if not (PROVIDER_DIR / "node_modules" / "oidc-provider").is_dir():
        return "tests/oidc_provider/node_modules is missing: run `npm ci --prefix tests/oidc_provider` (make test does)"
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass(frozen=True)
class CertificatePair:
    cert: str
    key: str


def days(name: str) -> list[str]:
    return ["-days", "2", "-subj", f"/CN={name}"]


def make_gost_certificate(folder: Path, name: str = "ejournal-test") -> CertificatePair:
    """A GOST R 34.10-2012 (256) key and self-signed certificate, as the school system's test certificate."""
    key, cert = folder / f"{name}.key.pem", folder / f"{name}.cert.pem"
    gost = ["-engine", "gost"]
    subprocess.run(
        ["openssl", "genpkey", *gost, "-algorithm", "gost2012_256", "-pkeyopt", "paramset:A", "-out", str(key)],
        check=True,
        capture_output=True,
    )
    subprocess.run(
        ["openssl", "req", *gost, "-new", "-x509", "-md_gost12_256", "-key", str(key), "-out", str(cert), *days(name)],
        check=True,
        capture_output=True,
    )
    return CertificatePair(cert=str(cert), key=str(key))


def make_rsa_certificate(folder: Path, name: str = "ejournal-rsa") -> CertificatePair:
    key, cert = folder / f"{name}.key.pem", folder / f"{name}.cert.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-new",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-sha256",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            *days(name),
        ],
        check=True,
        capture_output=True,
    )
    return CertificatePair(cert=str(cert), key=str(key))


@dataclass(frozen=True)
class RunningProvider:
    issuer: str

    def settings(self) -> dict[str, object]:
        """Settings that point the generic client and the ESIA adapter at this provider."""
        return {
            "OIDC_ISSUER": self.issuer,
            "OIDC_CLIENT_ID": CLIENT_ID,
            "OIDC_CLIENT_SECRET": CLIENT_SECRET,
            "ESIA_CLIENT_ID": ESIA_CLIENT_ID,
            "ESIA_ISSUER": self.issuer,
            "ESIA_AUTHORIZATION_URL": f"{self.issuer}/auth",
            "ESIA_TOKEN_URL": f"{self.issuer}/token",
            "ESIA_JWKS_URL": f"{self.issuer}/jwks",
            "ESIA_PERSON_URL": self.issuer + "/rs/prns/{oid}",
            "ESIA_SCOPE": "openid fullname snils",
            "ESIA_PKCE": True,
        }


@contextmanager
def run_provider(*, app_url: str, esia_cert: str, accounts: dict[str, dict[str, str]]) -> Iterator[RunningProvider]:
    """Start tests/oidc_provider/server.mjs on a free loopback port; stop it afterwards."""
    port = free_port()
    env = {
        **os.environ,
        "PORT": str(port),
        "REDIRECT_BASE": f"{app_url}/accounts/oidc",
        "CLIENT_SECRET": CLIENT_SECRET,
        "ESIA_CERT": esia_cert,
        "ACCOUNTS": json.dumps(accounts),
    }
    process = subprocess.Popen(
        ["node", str(PROVIDER_DIR / "server.mjs")],
        cwd=PROVIDER_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert process.stdout is not None
        for line in process.stdout:
            if line.startswith("listening"):
                break
        else:
            raise RuntimeError("the test OpenID Connect provider did not start")
        yield RunningProvider(issuer=f"http://127.0.0.1:{port}")
    finally:
        process.terminate()
        process.wait(timeout=10)


def loopback_session() -> requests.Session:
    session = requests.Session()
    session.trust_env = False  # no proxies: every request goes to 127.0.0.1
    return session


def csrf_header(session: requests.Session) -> dict[str, str]:
    return {"X-CSRFToken": session.cookies.get("csrftoken") or ""}


def _form_action(page: requests.Response) -> str:
    found = re.search(r'<form[^>]*action="([^"]+)"', page.text)
    assert found, f"no form on {page.url}"
    return urljoin(page.url, found.group(1))


def follow(session: requests.Session, response: requests.Response, seen: list[str]) -> requests.Response:
    """Follow redirects by hand, noting every URL (the callback URL is what a replay reuses)."""
    while response.is_redirect:
        url = urljoin(response.url, response.headers["Location"])
        seen.append(url)
        response = session.get(url, allow_redirects=False, timeout=30)
    return response


def sign_in_at_provider(session: requests.Session, start_url: str, account: str) -> tuple[requests.Response, list[str]]:
    """Start at the app, log in and consent at the provider's own pages; the final answer and URLs seen."""
    seen: list[str] = []
    page = follow(session, session.get(start_url, allow_redirects=False, timeout=30), seen)
    page = session.post(
        _form_action(page),
        data={"prompt": "login", "login": account, "password": "x"},
        allow_redirects=False,
        timeout=30,
    )
    page = follow(session, page, seen)
    if 'name="prompt" value="consent"' in page.text:
        page = follow(
            session, session.post(_form_action(page), data={"prompt": "consent"}, allow_redirects=False), seen
        )
    return page, seen

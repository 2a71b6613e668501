"""Test support: the real OpenID Connect provider (tests/oidc_provider, npm oidc-provider) on 127.0.0.1,
GOST test keys and certificates made with openssl, GOST-signed JWTs, a token-endpoint proxy that changes the
ID token on its way, and a client that walks the provider's pages.

Used by the accounts tests only; nothing here runs in the product.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import requests
from django.conf import settings

from ejournal.accounts.auth.gost_jwt import ALGORITHM, b64url_encode

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


def gost_sign(data: bytes, key_file: str) -> bytes:
    """openssl's raw GOST R 34.10-2012 signature with Streebog-256: 64 bytes, s || r, big-endian."""
    cmd = ["openssl", "dgst", "-engine", "gost", "-md_gost12_256", "-sign", key_file]
    return subprocess.run(cmd, input=data, capture_output=True, check=True).stdout


def esia_header(**extra: Any) -> dict[str, Any]:
    """The header ESIA puts on its ID tokens."""
    return {"alg": ALGORITHM, "typ": "JWT", "sbt": "id", "ver": 0, **extra}


def sign_gost_jwt(payload: dict[str, Any], key_file: str, header: dict[str, Any] | None = None) -> str:
    """A compact JWS signed like ESIA's: base64url(header).base64url(payload).base64url(s || r)."""
    parts = [b64url_encode(json.dumps(part).encode()) for part in (header or esia_header(), payload)]
    signing_input = ".".join(parts)
    return f"{signing_input}.{b64url_encode(gost_sign(signing_input.encode(), key_file))}"


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
    esia_verify_cert: str = ""  # the certificate of the key that signs the ESIA client's ID tokens

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
            "ESIA_VERIFY_CERT_FILE": self.esia_verify_cert,
            "ESIA_PERSON_URL": self.issuer + "/rs/prns/{oid}",
            "ESIA_SCOPE": "openid fullname snils",
            "ESIA_PKCE": True,
        }


@contextmanager
def run_provider(
    *,
    app_url: str,
    esia_cert: str,
    accounts: dict[str, dict[str, str]],
    esia_signing: CertificatePair | None = None,
) -> Iterator[RunningProvider]:
    """Start tests/oidc_provider/server.mjs on a free loopback port; stop it afterwards.

    `esia_cert` is the school system's certificate that ESIA client secrets must be signed with; with
    `esia_signing` (ESIA's own GOST key and certificate) the ESIA client's ID tokens are signed like ESIA's.
    """
    port = free_port()
    env = {
        **os.environ,
        "PORT": str(port),
        "REDIRECT_BASE": f"{app_url}/accounts/oidc",
        "CLIENT_SECRET": CLIENT_SECRET,
        "ESIA_CERT": esia_cert,
        "ESIA_SIGNING_KEY": esia_signing.key if esia_signing else "",
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
        yield RunningProvider(
            issuer=f"http://127.0.0.1:{port}", esia_verify_cert=esia_signing.cert if esia_signing else ""
        )
    finally:
        process.terminate()
        process.wait(timeout=10)


@contextmanager
def token_proxy(real_token_url: str, change: Callable[[str], str]) -> Iterator[str]:
    """A token endpoint on 127.0.0.1 in front of the real one: the answer's ID token goes through `change`.

    Stands for a forged or tampered token endpoint answer; yields the proxy's URL.
    """

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            headers = {k: v for k, v in self.headers.items() if k.lower() in ("authorization", "content-type")}
            answer = loopback_session().post(real_token_url, data=body, headers=headers, timeout=30)
            token = answer.json()
            if "id_token" in token:
                token["id_token"] = change(token["id_token"])
            data = json.dumps(token).encode()
            self.send_response(answer.status_code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: Any) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/token"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


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

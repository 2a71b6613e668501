"""Signers of client requests: a detached CMS (PKCS#7) signature made by openssl.

ESIA wants GOST R 34.10-2012 with the Streebog-256 digest, which Debian's libengine-gost-openssl gives
openssl as the «gost» engine; any other provider that wants a signed request takes an RSA/ECDSA key with
SHA-256. The key never leaves the file system: openssl reads it, Python only passes the data.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings


class SigningFailed(Exception):
    pass


class Signer(Protocol):
    def sign(self, data: bytes) -> bytes:
        """A detached CMS signature of `data`, DER-encoded."""
        ...


@dataclass(frozen=True)
class OpenSSLCmsSigner:
    cert_file: str
    key_file: str
    engine: str | None = "gost"
    digest: str = "md_gost12_256"

    def sign(self, data: bytes) -> bytes:
        cmd = ["openssl", "cms", "-sign", "-binary", "-outform", "DER", "-signer", self.cert_file]
        cmd += ["-inkey", self.key_file, "-md", self.digest]
        if self.engine:
            cmd += ["-engine", self.engine]
        done = subprocess.run(cmd, input=data, capture_output=True, timeout=20, check=False)
        if done.returncode != 0 or not done.stdout:
            # openssl's message names files and algorithms, never the key itself.
            raise SigningFailed(done.stderr.decode(errors="replace").strip()[-300:])
        return done.stdout


def gost_signer(cert_file: str, key_file: str) -> OpenSSLCmsSigner:
    return OpenSSLCmsSigner(cert_file, key_file, engine="gost", digest="md_gost12_256")


def rsa_signer(cert_file: str, key_file: str) -> OpenSSLCmsSigner:
    return OpenSSLCmsSigner(cert_file, key_file, engine=None, digest="sha256")


def esia_signer() -> Signer:
    """The signer named by EJOURNAL_ESIA_SIGNER (gost or rsa) with the school system's certificate."""
    make = rsa_signer if settings.ESIA_SIGNER == "rsa" else gost_signer
    return make(settings.ESIA_CERT_FILE, settings.ESIA_KEY_FILE)

"""Verifying a JWS signed with GOST R 34.10-2012 (256), as ESIA signs its ID tokens (`alg: GOST3410_2012_256`).

joserfc knows no GOST algorithm, and ESIA publishes a certificate rather than a key set, so the signature is
checked by openssl's `gost` engine (Debian `libengine-gost-openssl`) with the public key of the configured ESIA
certificate:

    openssl pkeyutl -verify -engine gost -certin -inkey ESIA_CERT -rawin -digest md_gost12_256 -sigfile SIG

with the signing input on standard input.

The format (docs/esia.md, «The ID token»): the signing input is the ASCII text `base64url(header) + "." +
base64url(payload)` exactly as received; the digest is Streebog-256 of it; the signature is base64url of 64
bytes, `s || r`, each a 32-byte big-endian number — the order of RFC 4491 and of what `openssl dgst -sign`
makes with a GOST key. The byte-reversed form (`r || s` little-endian, as CryptoPro CSP's CryptSignHash gives)
is not accepted: exactly one encoding is.

Only the signature and the header are checked here; issuer, audience, times and nonce are the OpenID Connect
client's checks (oidc.verify_id_token).
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import subprocess
import tempfile
from pathlib import Path
from typing import Any

ALGORITHM = "GOST3410_2012_256"
SIGNATURE_BYTES = 64
_B64URL = re.compile(r"[A-Za-z0-9_-]*")


class InvalidToken(Exception):
    """The token is refused: malformed, another algorithm, or a signature that does not verify."""


class VerifierBroken(Exception):
    """The check could not be made (no certificate, not a GOST certificate, openssl or its gost engine missing)."""


def b64url_decode(part: str) -> bytes:
    if not _B64URL.fullmatch(part) or len(part) % 4 == 1:
        raise InvalidToken("not base64url")
    try:
        return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
    except (binascii.Error, ValueError) as e:
        raise InvalidToken("not base64url") from e


def b64url_encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _json_object(raw: bytes, what: str) -> dict[str, Any]:
    try:
        value = json.loads(raw)
    except (UnicodeDecodeError, ValueError) as e:
        raise InvalidToken(f"{what} is not JSON") from e
    if not isinstance(value, dict):
        raise InvalidToken(f"{what} is not a JSON object")
    return value


def verify_signature(signing_input: bytes, signature: bytes, *, cert_file: str) -> None:
    """Raise InvalidToken unless `signature` (s || r, big-endian) is the certificate key's signature of the input."""
    if len(signature) != SIGNATURE_BYTES:
        raise InvalidToken(f"signature is {len(signature)} bytes, not {SIGNATURE_BYTES}")
    if not cert_file or not Path(cert_file).is_file():
        raise VerifierBroken("the ESIA certificate file is not configured or missing")
    with tempfile.TemporaryDirectory(prefix="ej-gost-") as folder:
        sig_file = Path(folder) / "sig"
        sig_file.write_bytes(signature)
        cmd = ["openssl", "pkeyutl", "-verify", "-engine", "gost", "-certin", "-inkey", cert_file]
        cmd += ["-rawin", "-digest", "md_gost12_256", "-sigfile", str(sig_file)]
        try:
            done = subprocess.run(cmd, input=signing_input, capture_output=True, timeout=20, check=False)
        except (OSError, subprocess.TimeoutExpired) as e:
            raise VerifierBroken(f"openssl did not run: {e}") from e
    if done.returncode == 0 and b"Signature Verified Successfully" in done.stdout:
        return
    if b"Signature Verification Failure" in done.stdout:
        raise InvalidToken("signature does not verify with the ESIA certificate")
    # Anything else is the setup: the certificate, its key type, openssl or the engine (no token data in it).
    raise VerifierBroken(done.stderr.decode(errors="replace").strip()[-300:])


def decode(token: str, *, cert_file: str) -> dict[str, Any]:
    """The payload of a compact JWS whose header says GOST3410_2012_256 and whose signature verifies."""
    parts = token.split(".")
    if len(parts) != 3:
        raise InvalidToken("not a compact JWS")
    header_raw, payload_raw, signature = (b64url_decode(part) for part in parts)
    header = _json_object(header_raw, "header")
    if header.get("alg") != ALGORITHM:
        # "none", RS256, HS256...: never taken where ESIA's GOST certificate is configured.
        raise InvalidToken(f"algorithm {str(header.get('alg'))[:40]!r} is not {ALGORITHM}")
    if "crit" in header:
        raise InvalidToken("critical header extensions are not understood")
    verify_signature(f"{parts[0]}.{parts[1]}".encode("ascii"), signature, cert_file=cert_file)
    return _json_object(payload_raw, "payload")

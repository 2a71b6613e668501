"""The GOST R 34.10-2012 JWS verifier (ESIA's ID tokens): signed with openssl here, checked by gost_jwt."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from joserfc import jwt
from joserfc.jwk import OctKey, RSAKey

from ejournal.accounts.auth import gost_jwt
from ejournal.accounts.tests.oidc_provider import (
    CertificatePair,
    esia_header,
    gost_sign,
    make_gost_certificate,
    make_rsa_certificate,
    sign_gost_jwt,
)

PAYLOAD = {"iss": "http://esia.gosuslugi.ru/", "aud": "SCHOOL", "sub": 1000299353, "nonce": "n-1"}


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> dict[str, CertificatePair]:
    folder = tmp_path_factory.mktemp("gost-jwt")
    return {
        "esia": make_gost_certificate(folder, "esia"),
        "other": make_gost_certificate(folder, "other"),
        "rsa": make_rsa_certificate(folder, "rsa"),
    }


def with_signature(token: str, signature: bytes) -> str:
    return token.rsplit(".", 1)[0] + "." + gost_jwt.b64url_encode(signature)


def signature_of(token: str) -> bytes:
    return gost_jwt.b64url_decode(token.rsplit(".", 1)[1])


def test_token_signed_with_openssl_verifies_and_gives_the_payload(keys):
    token = sign_gost_jwt(PAYLOAD, keys["esia"].key)
    assert len(signature_of(token)) == 64
    assert gost_jwt.decode(token, cert_file=keys["esia"].cert) == PAYLOAD


# The byte format, found out by a round trip and checked without openssl: GOST R 34.10-2012 verification
# written out below over the CryptoPro-A curve (RFC 4357), with the public key read from the certificate.
P = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFD97
A = P - 3
Q = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF6C611070995AD10045841B09B761B893
G = (1, 0x8D91E471E0989CDA27DF505A453F2B7635294F2DDF23E3B122ACC99C9E9F1E14)
CRYPTOPRO_A = bytes.fromhex("06072a850302022301")  # OID 1.2.643.2.2.35.1 in the certificate's key parameters


def add(p1: tuple[int, int] | None, p2: tuple[int, int] | None) -> tuple[int, int] | None:
    if p1 is None or p2 is None:
        return p1 or p2
    if p1[0] == p2[0] and (p1[1] + p2[1]) % P == 0:
        return None
    if p1 == p2:
        slope = (3 * p1[0] * p1[0] + A) * pow(2 * p1[1], -1, P) % P
    else:
        slope = (p2[1] - p1[1]) * pow(p2[0] - p1[0], -1, P) % P
    x = (slope * slope - p1[0] - p2[0]) % P
    return x, (slope * (p1[0] - x) - p1[1]) % P


def mul(k: int, point: tuple[int, int]) -> tuple[int, int] | None:
    result: tuple[int, int] | None = None
    addend: tuple[int, int] | None = point
    while k:
        if k & 1:
            result = add(result, addend)
        addend = add(addend, addend)
        k >>= 1
    return result


def gost_verifies(public: tuple[int, int], digest: bytes, r: int, s: int) -> bool:
    """GOST R 34.10-2012 §6.2; the Streebog digest (as openssl prints it) is the little-endian number e."""
    e = int.from_bytes(digest, "little") % Q or 1
    v = pow(e, -1, Q)
    point = add(mul(s * v % Q, G), mul(-r * v % Q, public))
    return point is not None and point[0] % Q == r


def test_signature_is_s_then_r_big_endian_checked_independently_of_openssl(keys, tmp_path: Path):
    der = subprocess.run(["openssl", "x509", "-in", keys["esia"].cert, "-outform", "DER"], capture_output=True).stdout
    assert CRYPTOPRO_A in der
    at = der.index(bytes.fromhex("0440"), der.index(CRYPTOPRO_A))  # OCTET STRING: x || y, each little-endian
    public = (int.from_bytes(der[at + 2 : at + 34], "little"), int.from_bytes(der[at + 34 : at + 66], "little"))
    token = sign_gost_jwt(PAYLOAD, keys["esia"].key)
    signing_input = token.rsplit(".", 1)[0].encode()
    digest = subprocess.run(
        ["openssl", "dgst", "-engine", "gost", "-md_gost12_256", "-binary"],
        input=signing_input,
        capture_output=True,
        check=True,
    ).stdout
    first, second = (int.from_bytes(half, "big") for half in (signature_of(token)[:32], signature_of(token)[32:]))
    assert gost_verifies(public, digest, r=second, s=first)  # s || r
    assert not gost_verifies(public, digest, r=first, s=second)  # not r || s


@pytest.mark.parametrize(
    "reorder",
    [lambda sig: sig[::-1], lambda sig: sig[32:] + sig[:32]],
    ids=["cryptopro-little-endian", "r-then-s"],
)
def test_only_one_byte_order_is_accepted(keys, reorder):
    token = sign_gost_jwt(PAYLOAD, keys["esia"].key)
    with pytest.raises(gost_jwt.InvalidToken, match="does not verify"):
        gost_jwt.decode(with_signature(token, reorder(signature_of(token))), cert_file=keys["esia"].cert)


def test_token_signed_by_another_gost_key_is_refused(keys):
    with pytest.raises(gost_jwt.InvalidToken, match="does not verify"):
        gost_jwt.decode(sign_gost_jwt(PAYLOAD, keys["other"].key), cert_file=keys["esia"].cert)


def test_changed_payload_or_header_is_refused(keys):
    header, payload, signature = sign_gost_jwt(PAYLOAD, keys["esia"].key).split(".")
    changed = gost_jwt.b64url_encode(json.dumps({**PAYLOAD, "sub": 1000299354}).encode())
    other_header = gost_jwt.b64url_encode(json.dumps(esia_header(kid="x")).encode())
    for token in (f"{header}.{changed}.{signature}", f"{other_header}.{payload}.{signature}"):
        with pytest.raises(gost_jwt.InvalidToken, match="does not verify"):
            gost_jwt.decode(token, cert_file=keys["esia"].cert)


def test_other_algorithms_are_refused_before_any_check(keys):
    body = gost_jwt.b64url_encode(json.dumps(PAYLOAD).encode())
    none = gost_jwt.b64url_encode(b'{"alg":"none"}') + f".{body}."
    # A GOST signature under another alg name is refused too: the header is signed, the name is not guessed.
    renamed = sign_gost_jwt(PAYLOAD, keys["esia"].key, {"alg": "GOST3410_2012_512"})
    tokens = {
        "none": none,
        "RS256": jwt.encode({"alg": "RS256"}, PAYLOAD, RSAKey.generate_key(2048)),
        "HS256": jwt.encode({"alg": "HS256"}, PAYLOAD, OctKey.import_key(b"k" * 32)),
        "GOST3410_2012_512": renamed,
    }
    for alg, token in tokens.items():
        with pytest.raises(gost_jwt.InvalidToken, match=f"'{alg}' is not GOST3410_2012_256"):
            gost_jwt.decode(token, cert_file=keys["esia"].cert)


def test_critical_header_extensions_are_refused(keys):
    token = sign_gost_jwt(PAYLOAD, keys["esia"].key, esia_header(crit=["exp"], exp=1))
    with pytest.raises(gost_jwt.InvalidToken, match="critical"):
        gost_jwt.decode(token, cert_file=keys["esia"].cert)


@pytest.mark.parametrize(
    "token",
    [
        "a.b",
        "a.b.c.d",
        "e30.e30.%%%",
        "bm90IGpzb24.e30." + "A" * 86,  # header is not JSON
        "W10.e30." + "A" * 86,  # header is a JSON array
        "eyJhbGciOiJHT1NUMzQxMF8yMDEyXzI1NiJ9.e30.AAAA",  # a 3-byte signature
    ],
)
def test_malformed_tokens_are_refused(keys, token):
    with pytest.raises(gost_jwt.InvalidToken):
        gost_jwt.decode(token, cert_file=keys["esia"].cert)


def test_payload_that_is_not_an_object_is_refused_after_the_signature(keys):
    signing_input = "{}.{}".format(
        gost_jwt.b64url_encode(json.dumps(esia_header()).encode()), gost_jwt.b64url_encode(b"[1]")
    )
    token = f"{signing_input}.{gost_jwt.b64url_encode(gost_sign(signing_input.encode(), keys['esia'].key))}"
    with pytest.raises(gost_jwt.InvalidToken, match="payload is not a JSON object"):
        gost_jwt.decode(token, cert_file=keys["esia"].cert)


def test_missing_or_non_gost_certificate_is_a_setup_error(keys, tmp_path):
    token = sign_gost_jwt(PAYLOAD, keys["esia"].key)
    for cert_file in ("", str(tmp_path / "missing.pem"), keys["rsa"].cert, keys["esia"].key):
        with pytest.raises(gost_jwt.VerifierBroken):
            gost_jwt.decode(token, cert_file=cert_file)

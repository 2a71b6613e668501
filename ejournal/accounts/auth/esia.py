"""The ESIA (Госуслуги) adapter over the generic OpenID Connect client.

ESIA differs from a generic provider in four ways (Методические рекомендации по использованию ЕСИА):
its own endpoints and scopes (`openid fullname snils`); the client secret is not a shared secret but a
detached CMS signature (GOST R 34.10-2012) of scope + timestamp + client_id + state, made afresh for the
authorization request and again for the token request; the ID token is signed with GOST R 34.10-2012
(`alg: GOST3410_2012_256`) and checked with ESIA's certificate, not a key set (gost_jwt.py); and the СНИЛС
comes from the person resource `/rs/prns/{oid}` read with the access token. Configuration: docs/esia.md.
"""

from __future__ import annotations

import base64
import datetime as dt
import logging
import uuid
from dataclasses import dataclass
from typing import Any

import requests
from django.conf import settings

from . import gost_jwt
from .oidc import ID_TOKEN_REFUSED, TIMEOUT, OIDCError, Provider
from .signers import Signer, SigningFailed, esia_signer

logger = logging.getLogger(__name__)
UNAVAILABLE = "Вход через Госуслуги сейчас недоступен: система настроена не полностью. Войдите по логину."


def timestamp(now: dt.datetime | None = None) -> str:
    """ESIA's format: «2026.11.29 09:07:00 +0000»."""
    return (now or dt.datetime.now(dt.UTC)).strftime("%Y.%m.%d %H:%M:%S +0000")


def client_secret(signer: Signer, *, scope: str, stamp: str, client_id: str, state: str) -> str:
    """base64url of the detached signature of scope + timestamp + client_id + state."""
    try:
        signature = signer.sign(f"{scope}{stamp}{client_id}{state}".encode())
    except SigningFailed as e:
        raise OIDCError("Не удалось подписать запрос к Госуслугам: проверьте сертификат и ключ системы.") from e
    return base64.urlsafe_b64encode(signature).decode().rstrip("=")


@dataclass(frozen=True)
class EsiaProvider(Provider):
    signer: Signer | None = None
    person_url: str = ""
    verify_cert: str = ""  # ESIA's certificate (PEM) whose key signs the ID tokens

    def signed_claims(self, id_token: str) -> dict[str, Any]:
        """The claims of an ID token signed by ESIA's GOST key; nothing else is taken (no JWKS, no RS256)."""
        try:
            claims = gost_jwt.decode(id_token, cert_file=self.verify_cert)
        except gost_jwt.InvalidToken as e:
            logger.warning("ESIA ID token refused: %s", e)  # the reason only, never the token
            raise OIDCError(ID_TOKEN_REFUSED) from e
        except gost_jwt.VerifierBroken as e:
            logger.error("ESIA ID token could not be checked: %s", e)
            raise OIDCError(UNAVAILABLE) from e
        if isinstance(claims.get("sub"), int) and not isinstance(claims["sub"], bool):
            claims["sub"] = str(claims["sub"])  # ESIA sends the oid as a number
        return claims

    def _signed(self, state: str) -> dict[str, str]:
        assert self.signer is not None
        stamp = timestamp()
        secret = client_secret(self.signer, scope=self.scope, stamp=stamp, client_id=self.client_id, state=state)
        return {"timestamp": stamp, "client_secret": secret}

    def authorization_extra(self, *, state: str) -> dict[str, str]:
        return {"access_type": "online", **self._signed(state)}

    def token_extra(self) -> dict[str, str]:
        # The token request carries a new state and a new signature of its own.
        state = str(uuid.uuid4())
        return {"state": state, "scope": self.scope, "token_type": "Bearer", **self._signed(state)}

    def more_claims(self, *, access_token: str, claims: dict[str, Any]) -> dict[str, Any]:
        """The person's СНИЛС from ESIA's person resource (the ID token carries only the oid)."""
        if not self.person_url:
            return {}
        url = self.person_url.format(oid=claims["sub"])
        answer = requests.get(url, headers={"Authorization": f"Bearer {access_token}"}, timeout=TIMEOUT)
        answer.raise_for_status()
        person = answer.json()
        return {"snils": person.get("snils", "")}


def esia_provider() -> EsiaProvider | None:
    if not settings.ESIA_CLIENT_ID:
        return None
    if not settings.ESIA_VERIFY_CERT_FILE:
        # Without ESIA's certificate no ID token can be checked: fail closed before sending anyone to ESIA.
        logger.error("EJOURNAL_ESIA_VERIFY_CERT_FILE is not set: ESIA sign-in is refused")
        raise OIDCError(UNAVAILABLE)
    return EsiaProvider(
        name="esia",
        title="Госуслуги",
        client_id=settings.ESIA_CLIENT_ID,
        issuer=settings.ESIA_ISSUER,
        authorization_url=settings.ESIA_AUTHORIZATION_URL,
        token_url=settings.ESIA_TOKEN_URL,
        jwks_url="",
        scope=settings.ESIA_SCOPE,
        algorithms=(gost_jwt.ALGORITHM,),
        use_pkce=settings.ESIA_PKCE,
        signer=esia_signer(),
        person_url=settings.ESIA_PERSON_URL,
        verify_cert=settings.ESIA_VERIFY_CERT_FILE,
    )

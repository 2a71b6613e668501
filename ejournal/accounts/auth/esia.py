"""The ESIA (Госуслуги) adapter over the generic OpenID Connect client.

ESIA differs from a generic provider in three ways (Методические рекомендации по использованию ЕСИА):
its own endpoints and scopes (`openid fullname snils`); the client secret is not a shared secret but a
detached CMS signature (GOST R 34.10-2012) of scope + timestamp + client_id + state, made afresh for the
authorization request and again for the token request; and the СНИЛС comes from the person resource
`/rs/prns/{oid}` read with the access token. Configuration: docs/esia.md.
"""

from __future__ import annotations

import base64
import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

import requests
from django.conf import settings

from .oidc import TIMEOUT, OIDCError, Provider
from .signers import Signer, SigningFailed, esia_signer


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
    return EsiaProvider(
        name="esia",
        title="Госуслуги",
        client_id=settings.ESIA_CLIENT_ID,
        issuer=settings.ESIA_ISSUER,
        authorization_url=settings.ESIA_AUTHORIZATION_URL,
        token_url=settings.ESIA_TOKEN_URL,
        jwks_url=settings.ESIA_JWKS_URL,
        scope=settings.ESIA_SCOPE,
        algorithms=tuple(settings.ESIA_ID_TOKEN_ALGORITHMS),
        use_pkce=settings.ESIA_PKCE,
        signer=esia_signer(),
        person_url=settings.ESIA_PERSON_URL,
    )

"""A generic OpenID Connect client (authorization code flow with state, nonce and PKCE), built on authlib
for the OAuth 2.0 requests and joserfc for the ID token.

Every answer from the provider is checked before anyone is signed in: the state must be one this browser
session started (and is used up at once, so a replayed callback is refused), the ID token's signature must
verify with the provider's published keys, and its issuer, audience, expiry and nonce must match.
"""

from __future__ import annotations

import logging
import secrets
import time
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.requests_client import OAuth2Session
from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

logger = logging.getLogger(__name__)

PENDING = "ej_oidc"
PENDING_TTL = 600  # seconds a started sign-in may take at the provider
TIMEOUT = 10  # seconds for each request to the provider
LEEWAY = 60  # seconds of clock difference accepted on exp/nbf/iat
ID_TOKEN_REFUSED = "ID-токен поставщика входа не прошёл проверку (подпись, издатель, срок или nonce)."


class OIDCError(Exception):
    """The provider's answer is refused; the message is shown to the person (Russian, no details)."""


@dataclass(frozen=True)
class Identity:
    provider: str
    subject: str
    claims: dict[str, Any] = field(default_factory=dict)

    @property
    def snils(self) -> str:
        return str(self.claims.get("snils") or "")


@dataclass(frozen=True)
class Provider:
    """A generic OpenID Connect provider with a client secret (client_secret_basic)."""

    name: str
    title: str
    client_id: str
    issuer: str
    authorization_url: str
    token_url: str
    jwks_url: str
    userinfo_url: str = ""
    scope: str = "openid"
    client_secret: str = ""
    algorithms: tuple[str, ...] = ("RS256", "ES256", "PS256")
    use_pkce: bool = True

    def client(self, redirect_uri: str) -> OAuth2Session:
        return OAuth2Session(
            self.client_id,
            self.client_secret or None,
            scope=self.scope,
            redirect_uri=redirect_uri,
            code_challenge_method="S256" if self.use_pkce else None,
            token_endpoint_auth_method="client_secret_basic" if self.client_secret else "none",
        )

    def authorization_extra(self, *, state: str) -> dict[str, str]:
        return {}

    def token_extra(self) -> dict[str, str]:
        return {}

    def signed_claims(self, id_token: str) -> dict[str, Any]:
        """The ID token's claims once its signature verifies with the provider's published keys (JWKS)."""
        try:
            keys = KeySet.import_key_set(requests.get(self.jwks_url, timeout=TIMEOUT).json())
        except (requests.RequestException, ValueError, JoseError) as e:
            raise OIDCError("Не удалось получить ключи поставщика входа.") from e
        try:
            return dict(jwt.decode(id_token, keys, algorithms=list(self.algorithms)).claims)
        except (JoseError, ValueError, TypeError) as e:
            raise OIDCError(ID_TOKEN_REFUSED) from e

    def more_claims(self, *, access_token: str, claims: dict[str, Any]) -> dict[str, Any]:
        """Claims beyond the ID token (the userinfo endpoint), for example the СНИЛС."""
        if not self.userinfo_url or not access_token:
            return {}
        answer = requests.get(self.userinfo_url, headers={"Authorization": f"Bearer {access_token}"}, timeout=TIMEOUT)
        answer.raise_for_status()
        info = answer.json()
        if info.get("sub") != claims.get("sub"):
            raise OIDCError("Поставщик входа вернул данные другого человека.")
        return info


_discovered: dict[str, tuple[float, dict[str, Any]]] = {}


def discover(issuer: str) -> dict[str, Any]:
    """The provider's metadata (.well-known/openid-configuration), kept for an hour."""
    cached = _discovered.get(issuer)
    if cached and time.monotonic() - cached[0] < 3600:
        return cached[1]
    answer = requests.get(issuer.rstrip("/") + "/.well-known/openid-configuration", timeout=TIMEOUT)
    answer.raise_for_status()
    meta = answer.json()
    if meta.get("issuer") != issuer:
        raise OIDCError("Поставщик входа настроен неверно: издатель не совпадает.")
    _discovered[issuer] = (time.monotonic(), meta)
    return meta


def generic_provider() -> Provider | None:
    if not (settings.OIDC_ISSUER and settings.OIDC_CLIENT_ID):
        return None
    meta = discover(settings.OIDC_ISSUER)
    return Provider(
        name="oidc",
        title=settings.OIDC_TITLE,
        client_id=settings.OIDC_CLIENT_ID,
        client_secret=settings.OIDC_CLIENT_SECRET,
        issuer=settings.OIDC_ISSUER,
        authorization_url=meta["authorization_endpoint"],
        token_url=meta["token_endpoint"],
        jwks_url=meta["jwks_uri"],
        userinfo_url=meta.get("userinfo_endpoint", ""),
        scope="openid profile snils",
    )


def login_buttons() -> list[tuple[str, str]]:
    """(name, title) of the configured providers, without asking any of them anything."""
    buttons = []
    if settings.ESIA_CLIENT_ID:
        buttons.append(("esia", "Войти через Госуслуги"))
    if settings.OIDC_ISSUER and settings.OIDC_CLIENT_ID:
        buttons.append(("oidc", settings.OIDC_TITLE))
    return buttons


def redirect_uri(request: HttpRequest, provider: Provider) -> str:
    return request.build_absolute_uri(reverse("oidc_callback", args=[provider.name]))


def begin(request: HttpRequest, provider: Provider) -> str:
    """The provider's authorization URL; state, nonce and PKCE verifier wait in this browser's session."""
    state = str(uuid.uuid4())  # ESIA wants a UUID; any provider takes it
    nonce = secrets.token_urlsafe(24)
    verifier = secrets.token_urlsafe(48)
    client = provider.client(redirect_uri(request, provider))
    kwargs: dict[str, Any] = {"state": state, "nonce": nonce, **provider.authorization_extra(state=state)}
    if provider.use_pkce:
        kwargs["code_verifier"] = verifier
    url, _ = client.create_authorization_url(provider.authorization_url, **kwargs)
    now = time.time()
    pending = {s: p for s, p in request.session.get(PENDING, {}).items() if now - p["at"] < PENDING_TTL}
    pending[state] = {"provider": provider.name, "nonce": nonce, "verifier": verifier, "at": now}
    request.session[PENDING] = pending
    return url


def complete(request: HttpRequest, provider: Provider, params: dict[str, str]) -> Identity:
    """Check the provider's callback and return who signed in there; raises OIDCError otherwise."""
    pending = dict(request.session.get(PENDING, {}))
    started = pending.pop(params.get("state", ""), None)
    request.session[PENDING] = pending  # the state is used up whatever happens next
    if started is None or started["provider"] != provider.name or time.time() - started["at"] > PENDING_TTL:
        raise OIDCError("Ответ поставщика входа не принят: он устарел или уже был использован. Начните вход заново.")
    if params.get("error"):
        raise OIDCError("Вход отменён или не разрешён поставщиком входа.")
    if not params.get("code"):
        raise OIDCError("Ответ поставщика входа неполон. Начните вход заново.")
    client = provider.client(redirect_uri(request, provider))
    kwargs: dict[str, Any] = {"code_verifier": started["verifier"]} if provider.use_pkce else {}
    # Extra parameters go in the body as given (authlib would take a `state` keyword for itself).
    body = urlencode(provider.token_extra())
    try:
        token = client.fetch_token(provider.token_url, body=body, code=params["code"], timeout=TIMEOUT, **kwargs)
    except (AuthlibBaseError, requests.RequestException, ValueError) as e:
        # The provider's error code helps the operator; it carries no personal data.
        logger.warning("OIDC token request to %s failed: %s", provider.name, e)
        raise OIDCError("Поставщик входа не подтвердил вход. Начните вход заново.") from e
    id_token = token.get("id_token")
    if not id_token:
        raise OIDCError("Поставщик входа не прислал ID-токен.")
    claims = verify_id_token(provider, id_token, nonce=started["nonce"])
    try:
        more = provider.more_claims(access_token=token.get("access_token", ""), claims=claims)
    except (requests.RequestException, ValueError) as e:
        raise OIDCError("Не удалось получить данные учётной записи у поставщика входа.") from e
    return Identity(provider=provider.name, subject=str(claims["sub"]), claims={**claims, **more})


def verify_id_token(provider: Provider, id_token: str, *, nonce: str) -> dict[str, Any]:
    """Signature (the provider's own check); issuer, audience, expiry, not-before, issue time and nonce."""
    claims = provider.signed_claims(id_token)
    registry = jwt.JWTClaimsRegistry(
        leeway=LEEWAY,
        iss={"essential": True, "value": provider.issuer},
        aud={"essential": True, "value": provider.client_id},
        exp={"essential": True},
        iat={"essential": True},
        sub={"essential": True},
        nonce={"essential": True, "value": nonce},
    )
    try:
        registry.validate(claims)
    except (JoseError, ValueError, TypeError) as e:
        raise OIDCError(ID_TOKEN_REFUSED) from e
    audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
    if len(audiences) > 1 and claims.get("azp") != provider.client_id:
        raise OIDCError("ID-токен выдан другому приложению.")
    return claims

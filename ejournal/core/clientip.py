"""The address of the person at the other end of a request: the one place that reads REMOTE_ADDR.

Behind a reverse proxy REMOTE_ADDR is the proxy's, and every user would share it (one lockout counter for
the whole school). The forwarded header is believed only when REMOTE_ADDR is one of
EJOURNAL_TRUSTED_PROXIES; then the right-most address in it that is not itself a trusted proxy is the
client. Addresses further left were written by the client and can be anything, so they are never used.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache
from typing import Any

from django.conf import settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(p.strip(), strict=False) for p in proxies if p.strip())


def _parse(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def _trusted(address: ipaddress.IPv4Address | ipaddress.IPv6Address, networks: tuple[Network, ...]) -> bool:
    return any(address in net for net in networks)


def client_ip(request: Any) -> str | None:
    """The client's IP address as text (None without a request); a Django or DRF request."""
    if request is None:
        return None
    meta = request.META
    remote = _parse(meta.get("REMOTE_ADDR") or "")
    if remote is None:
        return None
    networks = _networks(tuple(settings.EJOURNAL_TRUSTED_PROXIES))
    if not networks or not _trusted(remote, networks):
        return str(remote)
    header = "HTTP_" + settings.EJOURNAL_CLIENT_IP_HEADER.upper().replace("-", "_")
    chain = [part for part in meta.get(header, "").split(",") if part.strip()]
    client = remote
    for part in reversed(chain):
        address = _parse(part)
        if address is None:
            # Garbage written by someone: the last address a trusted proxy vouched for is the client.
            break
        client = address
        if not _trusted(address, networks):
            break
    return str(client)

"""API rate limits keyed by the client address of core.clientip.

DRF's own throttles take X-Forwarded-For as given when NUM_PROXIES is not set, so a script could name a new
"address" in each request and never be limited; these read the address the way the rest of the product does.
"""

from __future__ import annotations

from typing import Any

from rest_framework import throttling

from .clientip import client_ip


class AnonRateThrottle(throttling.AnonRateThrottle):
    def get_ident(self, request: Any) -> str:
        return client_ip(request) or ""


class UserRateThrottle(throttling.UserRateThrottle):
    def get_ident(self, request: Any) -> str:
        return client_ip(request) or ""

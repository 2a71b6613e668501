"""core.clientip: the client's address from REMOTE_ADDR, or from the forwarded header only behind a trusted
proxy (the right-most address that is not a trusted proxy)."""

from __future__ import annotations

import pytest
from django.test import RequestFactory, override_settings

from ejournal.core import throttling
from ejournal.core.clientip import client_ip

rf = RequestFactory()


def ip(remote, forwarded=None, **extra):
    meta = {"REMOTE_ADDR": remote, **extra}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_ip(rf.get("/", **meta))


def test_without_trusted_proxies_the_header_is_ignored():
    assert ip("198.51.100.7", "1.2.3.4") == "198.51.100.7"
    assert client_ip(None) is None
    assert ip("") is None


@override_settings(EJOURNAL_TRUSTED_PROXIES=["10.0.0.0/8", "192.0.2.1"])
@pytest.mark.parametrize(
    ("remote", "forwarded", "expected"),
    [
        ("10.0.0.2", "203.0.113.9", "203.0.113.9"),
        # The client wrote the left part; the proxy appended the address it saw.
        ("10.0.0.2", "1.2.3.4, 203.0.113.9", "203.0.113.9"),
        # Two proxies in a row: skip every trusted one from the right.
        ("10.0.0.2", "203.0.113.9, 192.0.2.1", "203.0.113.9"),
        # Garbage in the header: the last address a trusted proxy vouched for.
        ("10.0.0.2", "203.0.113.9, not-an-ip", "10.0.0.2"),
        ("10.0.0.2", "", "10.0.0.2"),
        # Only a trusted proxy may name the client.
        ("198.51.100.7", "203.0.113.9", "198.51.100.7"),
        ("10.0.0.2", "2001:db8::1", "2001:db8::1"),
    ],
)
def test_behind_a_trusted_proxy(remote, forwarded, expected):
    assert ip(remote, forwarded) == expected


@override_settings(EJOURNAL_TRUSTED_PROXIES=["127.0.0.1"], EJOURNAL_CLIENT_IP_HEADER="X-Real-IP")
def test_the_header_is_a_setting():
    assert ip("127.0.0.1", "1.2.3.4", HTTP_X_REAL_IP="203.0.113.9") == "203.0.113.9"


def test_the_api_throttles_key_by_the_same_address():
    request = rf.get("/", REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="1.2.3.4")
    # DRF's own throttle would take the client-written header as the address.
    assert throttling.AnonRateThrottle().get_ident(request) == "198.51.100.7"
    assert throttling.UserRateThrottle().get_ident(request) == "198.51.100.7"

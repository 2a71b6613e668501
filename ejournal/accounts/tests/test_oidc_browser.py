"""The OpenID Connect sign-in as a person does it, in Debian's chromium, through the real provider's pages."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlparse

import pytest

from ejournal.accounts.models import ExternalIdentity, User
from ejournal.accounts.tests.oidc_provider import make_gost_certificate, node_missing_reason, run_provider

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(node_missing_reason() is not None, reason=node_missing_reason() or ""),
]


@pytest.fixture(scope="module")
def provider(live_server: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    cert = make_gost_certificate(tmp_path_factory.mktemp("gost"))
    with run_provider(app_url=live_server.url, esia_cert=cert.cert, accounts={"oid-7": {"snils": "11223344595"}}) as p:
        yield p


def loopback_only(route: Any) -> None:
    # The provider's page asks for a web font; tests talk to 127.0.0.1 only.
    host = urlparse(route.request.url).hostname
    route.continue_() if host in ("127.0.0.1", "localhost") else route.abort()


def test_teacher_signs_in_through_the_provider_and_is_linked(browser_page, provider, settings, small_school):
    for name, value in provider.settings().items():
        setattr(settings, name, value)
    User.objects.filter(pk=small_school.teacher.pk).update(snils="112-233-445 95")
    page = browser_page
    page.route("**/*", loopback_only)
    page.goto("/accounts/login/")
    page.click("text=Войти через OpenID Connect")
    page.fill("input[name=login]", "oid-7")
    page.fill("input[name=password]", "any")
    page.click("button[type=submit]")
    page.click("button:has-text('Continue')")
    page.wait_for_url("**/")
    assert "Здравствуйте" in page.inner_text("h1")
    assert ExternalIdentity.objects.get(subject="oid-7").user_id == small_school.teacher.pk
    page.goto("/accounts/sessions/")
    assert "это устройство" in page.inner_text("main")

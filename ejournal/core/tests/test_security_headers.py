import pytest

pytestmark = pytest.mark.django_db


def test_every_page_carries_the_security_headers(client, small_school):
    client.force_login(small_school.teacher)
    for url in ("/accounts/login/", "/", "/healthz"):
        response = client.get(url)
        csp = response["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
        assert "frame-ancestors 'none'" in csp
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
        assert "camera=()" in response["Permissions-Policy"]


def test_no_template_has_an_inline_script_or_event_handler():
    """CSP refuses them in the browser; this finds them before a user does."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    inline = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>", re.I)
    handler = re.compile(r"\son[a-z]+\s*=\s*[\"']", re.I)
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*.html")
        if inline.search(text := path.read_text(encoding="utf-8")) or handler.search(text)
    ]
    assert offenders == []

"""The diary as an installable app: the manifest, the service worker's script and headers, the icons."""

import json

from django.contrib.staticfiles import finders
from django.urls import reverse

from ejournal.diary import pwa


def test_manifest_is_public_and_russian(client):
    response = client.get(reverse("diary:manifest"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    data = json.loads(response.content)
    assert data["name"] == "Электронный дневник" and data["short_name"] == "Дневник" and data["lang"] == "ru"
    assert data["start_url"] == data["scope"] == reverse("diary:week") == "/diary/"
    assert data["display"] == "standalone"
    sizes = {icon["sizes"] for icon in data["icons"]}
    assert {"192x192", "512x512", "any"} <= sizes
    for icon in data["icons"]:
        assert finders.find(icon["src"].removeprefix("/static/")), icon["src"]


def test_service_worker_script(client):
    response = client.get(reverse("diary:sw"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["Service-Worker-Allowed"] == "/diary/"
    assert "no-cache" in response["Cache-Control"]
    body = response.content.decode()
    config = json.loads(body.split("const CONFIG = ", 1)[1].split(";\n", 1)[0])
    assert config["scope"] == "/diary/" and config["logout"] == reverse("logout")
    assert "/static/diary/diary.css" in config["shell"] and "/static/css/app.css" in config["shell"]
    assert config["version"] == pwa.shell_version(pwa.shell_urls())
    assert "data-offline-note hidden" in body  # what it un-hides in a saved page


def test_pages_link_manifest_and_register_the_worker(client, small_school):
    client.force_login(small_school.students_5a[0])
    body = client.get(reverse("diary:week")).content.decode()
    assert f'rel="manifest" href="{reverse("diary:manifest")}"' in body
    assert f'data-sw="{reverse("diary:sw")}"' in body and 'data-scope="/diary/"' in body
    assert "data-offline-note hidden" in body and "нет связи, показана сохранённая версия" in body


def test_icons_in_static_are_the_generated_ones():
    files = pwa.icon_files()
    for name in ("icon.svg", "icon-192.png"):
        assert (pwa.STATIC_DIR / name).read_bytes() == files[name], f"{name}: python -m ejournal.diary.pwa"
    png = files["icon-192.png"]
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and png[16:24] == (192).to_bytes(4, "big") * 2

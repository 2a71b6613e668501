"""The help centre pages: every signed-in person reads it, a document outside one's audience is a 404, the
search links to the section, bad input is a 422 with a Russian message, the menu has «Справка»."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_anonymous_is_sent_to_login(client: Client) -> None:
    response = client.get(reverse("help:index"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert client.get(reverse("help:doc", args=["login"])).status_code == 302


def test_parent_reads_their_help_not_the_staffs(client: Client, small_school, django_assert_max_num_queries) -> None:
    client.force_login(small_school.parent)
    with django_assert_max_num_queries(8):
        page = client.get(reverse("help:index"))
    body = page.content.decode()
    assert page.status_code == 200
    assert reverse("help:topic", args=["diary"]) in body and reverse("help:doc", args=["parents"]) in body
    assert reverse("help:topic", args=["backups"]) not in body and reverse("help:doc", args=["teacher"]) not in body
    assert f'href="{reverse("help:index")}"' in body  # the menu item «Справка»
    assert client.get(reverse("help:doc", args=["parents"])).status_code == 200
    assert client.get(reverse("help:topic", args=["backups"])).status_code == 404
    assert client.get(reverse("help:doc", args=["administrator"])).status_code == 404
    assert client.get(reverse("help:doc", args=["no-such-doc"])).status_code == 404


def test_admin_reads_the_backups_help(client: Client, small_school) -> None:
    client.force_login(small_school.admin)
    page = client.get(reverse("help:topic", args=["backups"]))
    assert page.status_code == 200 and "Резервные копии" in page.content.decode()
    doc = client.get(reverse("help:doc", args=["backups"])).content.decode()
    assert '<section id="r1">' in doc  # the sections the search links to


def test_search_on_the_page_links_to_the_section(client: Client, small_school) -> None:
    client.force_login(small_school.teacher)
    body = client.get(reverse("help:index"), {"q": "отметк"}).content.decode()
    assert "Найдено:" in body
    assert f'href="{reverse("help:topic", args=["journal-grid"])}#r' in body
    nothing = client.get(reverse("help:index"), {"q": "абракадабра"}).content.decode()
    assert "Найдено: 0" in nothing and "Ничего не найдено" in nothing


def test_too_long_a_query_is_a_422(client: Client, small_school) -> None:
    client.force_login(small_school.teacher)
    response = client.get(reverse("help:index"), {"q": "а" * 201})
    assert response.status_code == 422
    assert "текст до 200 знаков" in response.content.decode()


def test_a_refused_page_shows_no_help_panel(client: Client, small_school) -> None:
    client.force_login(small_school.parent)
    refused = client.get(reverse("archive:backups"))
    assert refused.status_code == 404 and 'id="help-panel"' not in refused.content.decode()
    client.force_login(small_school.admin)
    shown = client.get(reverse("archive:backups"))
    assert shown.status_code == 200 and 'id="help-panel"' in shown.content.decode()
    bad = client.get(reverse("help:index"), {"q": "а" * 201})
    assert bad.status_code == 422 and 'id="help-panel"' not in bad.content.decode()

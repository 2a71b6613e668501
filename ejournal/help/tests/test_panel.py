"""The «Справка» panel: every main page with a topic (registry.PAGES) shows it, pages without one don't, every
topic file is used, and the «Задать вопрос» link appears only when the support app's URL resolves."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.template.loader import render_to_string
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse

from ejournal.access.tests import matrix_spec as spec
from ejournal.access.tests.world import build_school
from ejournal.help import registry
from ejournal.help.library import TOPICS_DIR, find, topic_of_page
from ejournal.journal.tests.conftest import TODAY, set_clock

# Who opens a page for the test: the first of these the matrix lets in (a teacher sees a teacher's page).
PREFERENCE = ("teacher", "class_teacher", "admin", "director", "deputy", "parent", "student", "other_teacher")


def test_every_topic_file_is_used_and_every_page_name_exists() -> None:
    files = {p.stem for p in Path(TOPICS_DIR).glob("*.md")}
    assert files == set(registry.TOPICS), f"topic files and the registry differ: {sorted(files ^ set(registry.TOPICS))}"
    orphans = set(registry.TOPICS) - set(registry.PAGES.values())
    assert not orphans, f"topics no page shows: {sorted(orphans)}"
    names = {p.name for p in spec.walk()}
    stale = set(registry.PAGES) - names
    assert not stale, f"registry.PAGES names no URL pattern: {sorted(stale)}"


@pytest.mark.django_db
def test_every_main_page_shows_its_help_panel(monkeypatch: pytest.MonkeyPatch) -> None:
    set_clock(monkeypatch, TODAY)  # the world of the matrix is built on its day
    o = build_school("Школа №1", "СпрА")
    s = o.s
    assert s.parent is not None
    users = {
        "admin": s.admin,
        "director": s.director,
        "deputy": s.deputy,
        "teacher": s.teacher,
        "other_teacher": o.other_teacher,
        "class_teacher": s.class_teacher,
        "student": o.student,
        "parent": s.parent,
    }
    seen = set()
    for pattern in spec.walk():
        if pattern.name not in registry.PAGES:
            continue
        entry = spec.MATRIX[pattern.name]
        assert entry.get is not None, f"{pattern.name}: a help topic on a pattern that is no page"
        actor = next(a for a in PREFERENCE if a in entry.get)
        client = Client()
        client.force_login(users[actor])
        # A parent's diary redirects to their child's; the panel is on the page one lands on.
        response = client.get(reverse(pattern.name, kwargs=spec.kwargs_for(pattern, "own", o, o)), follow=True)
        assert response.status_code == 200, f"{pattern.name} as {actor}: {response.status_code}"
        body = response.content.decode()
        topic = find("topic", registry.PAGES[pattern.name])
        assert topic is not None
        assert 'id="help-panel"' in body, f"{pattern.name}: no help panel"
        assert topic.sections[0].html in body, f"{pattern.name}: not the text of topic {topic.slug}"
        seen.add(pattern.name)
    assert seen == set(registry.PAGES)


@pytest.mark.django_db
def test_pages_without_a_topic_have_no_panel(small_school) -> None:
    client = Client()
    client.force_login(small_school.teacher)
    body = client.get("/help/").content.decode()
    assert 'id="help-panel"' not in body
    assert topic_of_page("help:index") is None


def _panel(urlconf: str) -> str:
    with override_settings(ROOT_URLCONF=urlconf):
        request = RequestFactory().get("/journal/5/")
        return render_to_string("help/panel.html", {"help_panel": find("topic", "home")}, request=request)


def test_ask_link_only_when_support_resolves() -> None:
    with_support = _panel("ejournal.help.tests.urls_with_support")
    assert "Задать вопрос" in with_support
    assert 'href="/support/ask/?page=/journal/5/"' in with_support
    without = _panel("ejournal.help.tests.urls_without_support")
    assert "Задать вопрос" not in without
    assert "Справка" in without and 'href="/help/page/home/"' in without

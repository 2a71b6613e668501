"""The help centre's search: word forms by stem and prefix, every word required, title hits first, audiences
respected; and the Markdown renderer escapes raw HTML."""

from __future__ import annotations

import pytest

from ejournal.core.errors import ValidationFailed
from ejournal.help.library import DOC, TOPIC, documents, render
from ejournal.help.search import query_of, search, stem, visible, words


def test_stem_and_words() -> None:
    assert stem("отметки") == stem("отметку") == stem("отметка") == "отметк"
    assert stem("отметк") == "отметк"
    assert stem("оп") == "оп"  # too short to lose anything
    assert words("Ёлка, СОУ и 5/4") == ["елка", "соу", "и", "5", "4"]


@pytest.mark.django_db
def test_word_forms_are_found_by_stem_or_prefix(small_school) -> None:
    teacher = small_school.teacher
    for query in ("отметк", "отметки", "ОТМЕТКУ"):
        hits = search(teacher, query)
        assert hits, query
        assert all(any(w.startswith("отметк") for w in words(h.section.text + h.section.title)) for h in hits)
    assert search(teacher, "   ") == []
    assert search(teacher, "абракадабра") == []


@pytest.mark.django_db
def test_every_word_is_required_and_title_hits_rank_first(small_school) -> None:
    teacher = small_school.teacher
    hits = search(teacher, "накопляемость норма")
    assert hits
    for h in hits:
        text = words(f"{h.document.title} {h.section.title} {h.section.text}")
        assert any(w.startswith("накопляем") for w in text) and any(w.startswith("норм") for w in text)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    top = search(teacher, "клавиши")[0]
    assert "Клавиши" in top.section.title  # the section so titled, above the mentions in the text


@pytest.mark.django_db
def test_audiences(small_school) -> None:
    s = small_school
    parent = {(d.kind, d.slug) for d in visible(s.parent)}
    teacher = {(d.kind, d.slug) for d in visible(s.teacher)}
    admin = {(d.kind, d.slug) for d in visible(s.admin)}
    assert (TOPIC, "diary") in parent and (DOC, "login") in parent and (DOC, "help") in parent
    assert (TOPIC, "backups") not in parent and (DOC, "backups") not in parent and (TOPIC, "journal-grid") not in parent
    assert (TOPIC, "journal-grid") in teacher and (TOPIC, "backups") not in teacher
    assert admin >= teacher | parent
    assert not any(h.document.slug == "backups" for h in search(s.parent, "резервн"))
    assert any(h.document.slug == "backups" for h in search(s.admin, "резервн"))


def test_raw_html_is_escaped() -> None:
    html = render("<script>alert(1)</script>\n\n[ссылка](javascript:alert(1)) **жирно**")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert 'href="javascript:' not in html
    assert "<strong>жирно</strong>" in html


def test_query_too_long_is_refused() -> None:
    assert query_of(None) == ""
    with pytest.raises(ValidationFailed):
        query_of("а" * 201)
    with pytest.raises(ValidationFailed):
        query_of(["список"])


def test_every_user_doc_is_in_the_help_centre(settings) -> None:
    """help/userdocs is docs/user itself (a link the wheel turns into files): nothing is left out."""
    in_repo = {p.stem for p in (settings.BASE_DIR / "docs" / "user").glob("*.md")}
    assert in_repo and {d.slug for d in documents() if d.kind == DOC} == in_repo

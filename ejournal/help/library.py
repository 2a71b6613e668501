"""The help documents: read from the package once, rendered from Markdown to HTML on the server and cut into
sections (one per heading) that the search links to. Raw HTML in a document is escaped, not passed through."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

from . import registry

HERE = Path(__file__).resolve().parent
TOPICS_DIR = HERE / "topics"
DOCS_DIR = HERE / "userdocs"  # a link to docs/user of the repository; its files are package data

TOPIC = "topic"
DOC = "doc"

_md = MarkdownIt("commonmark", {"html": False, "typographer": False}).enable("table")
_HEADING = re.compile(r"^(#{1,3})\s+(.*?)\s*#*\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")


@dataclass(frozen=True)
class Section:
    anchor: str  # the id of the section on the document's page
    title: str
    text: str  # the Markdown source, searched
    html: SafeString


@dataclass(frozen=True)
class Document:
    kind: str  # TOPIC or DOC
    slug: str
    title: str
    audience: str
    sections: tuple[Section, ...]

    @property
    def html(self) -> SafeString:
        return mark_safe("".join(f'<section id="{s.anchor}">{s.html}</section>' for s in self.sections))


def render(markdown: str) -> SafeString:
    # markdown-it escapes raw HTML (html=False) and refuses javascript: links: its output is safe.
    return mark_safe(_md.render(markdown))


def _sections(source: str) -> tuple[str, tuple[Section, ...]]:
    """The document's title (its first heading) and its sections: the text before the first subheading, then
    one per heading of levels 2–3 (headings inside code blocks are text)."""
    title = ""
    parts: list[tuple[str, list[str]]] = [("", [])]
    fenced = False
    for line in source.splitlines():
        if _FENCE.match(line):
            fenced = not fenced
        heading = None if fenced else _HEADING.match(line)
        if heading and len(heading.group(1)) == 1 and not title:
            title = heading.group(2)
        elif heading:
            parts.append((heading.group(2), [line]))
        else:
            parts[-1][1].append(line)
    sections = []
    for n, (heading_text, lines) in enumerate(parts):
        text = "\n".join(lines).strip()
        if not text:
            continue
        sections.append(Section(anchor=f"r{n}", title=heading_text or title, text=text, html=render(text)))
    return title, tuple(sections)


def _load(kind: str, path: Path) -> Document:
    slug = path.stem
    title, sections = _sections(path.read_text(encoding="utf-8"))
    audience = registry.TOPICS[slug] if kind == TOPIC else registry.DOCS.get(slug, registry.DEFAULT_DOC_AUDIENCE)
    return Document(kind=kind, slug=slug, title=title or slug, audience=audience, sections=sections)


@cache
def documents() -> tuple[Document, ...]:
    """Every help document: the page topics (in the order of the registry), then the user docs by title."""
    topics = [_load(TOPIC, TOPICS_DIR / f"{slug}.md") for slug in registry.TOPICS]
    docs = sorted((_load(DOC, p) for p in DOCS_DIR.glob("*.md")), key=lambda d: d.title)
    return (*topics, *docs)


def find(kind: str, slug: str) -> Document | None:
    return next((d for d in documents() if d.kind == kind and d.slug == slug), None)


def topic_of_page(url_name: str | None) -> Document | None:
    slug = registry.PAGES.get(url_name or "")
    return find(TOPIC, slug) if slug else None

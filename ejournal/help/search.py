"""The help centre's search: case-insensitive Russian words with a light stemming — a word of the query loses
one common ending and matches every word of a section that starts with what is left («отметки» and «отметк»
both find «отметка», «отметку», «отметками»). Every word of the query must be found in a section; sections
are ranked by hits in their title (and their document's title), then in their text."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ejournal.access import help as access
from ejournal.accounts.models import User
from ejournal.core import inputs

from .library import DOC, Document, Section, documents

TITLE_WEIGHT = 10
MAX_RESULTS = 30
MIN_STEM = 3
QUERY_LIMIT = 200
_WORD = re.compile(r"[0-9a-zа-я]+")
# Endings of Russian nouns and adjectives, longest first; a stem keeps at least MIN_STEM letters.
_ENDINGS = sorted(
    [
        *("иями", "ями", "ами", "ого", "его", "ому", "ему", "ыми", "ими", "ая", "яя", "ое", "ее", "ые", "ие", "ой"),
        *("ей", "ий", "ый", "ом", "ем", "ам", "ям", "ах", "ях", "ов", "ев", "ию", "ия", "ии", "ью"),
        *("а", "я", "о", "е", "ы", "и", "у", "ю", "ь", "й"),
    ],
    key=len,
    reverse=True,
)


@dataclass(frozen=True)
class Hit:
    document: Document
    section: Section
    score: int
    snippet: str


def query_of(raw: object) -> str:
    """The search words as typed (page and API): text up to QUERY_LIMIT characters, else a 422."""
    return inputs.text_field(raw or "", "q", limit=QUERY_LIMIT)


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower().replace("ё", "е"))


def stem(word: str) -> str:
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= MIN_STEM:
            return word[: -len(ending)]
    return word


def visible(user: User) -> list[Document]:
    return [d for d in documents() if access.reads_audience(user, d.audience)]


def _count(stem_: str, in_words: list[str]) -> int:
    return sum(1 for w in in_words if w.startswith(stem_))


def _snippet(text: str, stems: list[str], width: int = 200) -> str:
    plain = re.sub(r"[#*_`>|\[\]]+", "", text)
    plain = re.sub(r"\s+", " ", plain).strip()
    lowered = plain.lower().replace("ё", "е")
    at = min((i for i in (lowered.find(s) for s in stems) if i >= 0), default=0)
    start = max(0, at - width // 4)
    piece = plain[start : start + width]
    return ("…" if start else "") + piece + ("…" if start + width < len(plain) else "")


def search(user: User, query: str) -> list[Hit]:
    stems = [stem(w) for w in dict.fromkeys(words(query))]
    if not stems:
        return []
    hits = []
    for document in visible(user):
        for section in document.sections:
            title_words = words(f"{document.title} {section.title}")
            body_words = words(section.text)
            in_title = [_count(s, title_words) for s in stems]
            in_body = [_count(s, body_words) for s in stems]
            if not all(t or b for t, b in zip(in_title, in_body, strict=True)):
                continue
            score = TITLE_WEIGHT * sum(in_title) + sum(in_body)
            hits.append(Hit(document, section, score, _snippet(section.text, stems)))
    # Higher score first; among equals the user docs (the fuller text) before the page topics, then by title.
    hits.sort(key=lambda h: (-h.score, h.document.kind != DOC, h.document.title, h.section.anchor))
    return hits[:MAX_RESULTS]

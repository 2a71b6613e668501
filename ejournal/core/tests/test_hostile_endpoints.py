"""Hostile input sent to EVERY URL pattern of the product (walked from the resolver, as the authorization
matrix does): out-of-range ids in path segments, hostile query parameters, and hostile bodies (NaN,
Infinity, 1e400, 1000-deep nesting, multipart and form bodies where JSON is expected, huge ints, the years
1 and 9999, text where numbers are expected) to every endpoint that takes a write, as an administrator, a
teacher and a parent. No answer may be a 5xx; every 4xx says why in Russian (the API in its JSON shape).

Each test counts what it sent and what came back and prints the figures docs/security.md quotes."""

from __future__ import annotations

import json
import re
import time
from collections import Counter
from typing import Any
from urllib.parse import urlencode

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import get_resolver

from ejournal.access.tests import matrix_spec as spec
from ejournal.access.tests.world import World, build_world
from ejournal.journal.tests.conftest import TODAY, set_clock

CYRILLIC = re.compile("[а-яА-ЯёЁ]")
ACTORS = ("admin", "teacher", "parent")
HOSTILE_IDS = ("99999999999999999999", "0", "-1", str(2**63))
HUGE = "99999999999999999999"
# Each variant sets every parameter name a view reads to one kind of hostile value, so a view that refuses
# the first one it reads still sees the same kind in all the others.
QUERY_NAMES = (
    "class", "class_group", "student", "teacher", "subject", "period", "year", "lesson", "assignment", "kind",
    "week", "date", "on", "start", "end", "from", "to", "first_day", "month", "days", "idle", "past", "page",
    "limit", "offset", "grade", "group", "view", "by", "unread", "q", "key",
)  # fmt: skip
# "²" is a digit to str.isdigit() and not to int(): the classic parser slip.
QUERY_VALUES = (HUGE, str(2**63), "-1", "0001-01-01", "9999-12-31", "NaN", "1e400", "текст", "²")
LIMITS = ({"limit": "100000"}, {"limit": "-5", "offset": HUGE}, {"limit": "много", "offset": "-1"})
# Raw JSON bodies: the json module would refuse to write some of them.
NESTED = "[" * 1000 + "]" * 1000
JSON_BODIES = {
    "Infinity": '{"value": Infinity, "id": Infinity, "ids": [Infinity], "hours": Infinity}',
    "NaN": '{"value": NaN, "id": NaN, "hours": NaN, "average_threshold": NaN}',
    "1e400": '{"value": 1e400, "id": 1e400, "hours": 1e400, "grade": 1e400}',
    "nested": NESTED,
    "nested object": '{"a":' * 1000 + "1" + "}" * 1000,
}
FIELDS = (
    "id", "ids", "class_group", "student", "students", "subject", "teacher", "period", "year", "lesson", "kind",
    "grade", "hours", "number", "weekday", "to_class", "assignment", "value", "date", "start", "end", "first_day",
    "due_date", "day", "text", "name", "letter", "message_ids",
)  # fmt: skip
DATE_FIELDS = ("date", "start", "end", "first_day", "due_date", "day", "last_day", "on")


def _fields(value: Any) -> dict[str, Any]:
    return {name: value for name in FIELDS}


STRUCTURED_BODIES: dict[str, dict[str, Any]] = {
    "huge ints": {**_fields(10**20), "ids": [10**20, 2**63]},
    "negative ints": {**_fields(-1), "ids": [-1, 0]},
    "year 0001": {**_fields(1), **dict.fromkeys(DATE_FIELDS, "0001-01-01")},
    "year 9999": {**_fields(1), **dict.fromkeys(DATE_FIELDS, "9999-12-31")},
    "strings for numbers": {**_fields("пять"), "ids": ["пять"], "all": "да"},
    "lists for scalars": {**_fields([1, [2]]), "all": [True]},
}
FORM = {name: HUGE for name in FIELDS} | {"ids": [HUGE, "-1"], "date": "0001-01-01"}


class Tally:
    """Responses by status class; 5xx and exceptions are the unhandled ones, 4xx without Russian are wrong."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.by_class = Counter[str]()
        self.unhandled: list[str] = []
        self.not_russian: list[str] = []
        self.started = time.monotonic()

    def send(self, client: Client, method: str, url: str, what: str, **kwargs: Any) -> None:
        cache.clear()  # the API's per-minute throttle: the sweep is faster than any person
        try:
            # A savepoint per request: a view that fails must not poison the test's transaction for the rest.
            with transaction.atomic():
                response = getattr(client, method)(url, **kwargs)
        except Exception as error:  # the test client re-raises what a view raised
            self.by_class["exception"] += 1
            self.unhandled.append(f"{method.upper()} {url} {what[:60]}: {type(error).__name__}: {error}"[:300])
            return
        status = response.status_code
        self.by_class[f"{status // 100}xx"] += 1
        if status >= 500:
            self.unhandled.append(f"{method.upper()} {url} {what[:60]}: {status}")
        elif 400 <= status < 500 and not self._russian(url, response):
            self.not_russian.append(f"{method.upper()} {url} {what[:60]}: {status} {response.content[:120]!r}")

    @staticmethod
    def _russian(url: str, response: Any) -> bool:
        if response.status_code == 405 and not url.startswith("/api/"):
            return True  # a page refusing a method it never takes (require_POST): nothing to read there
        if url.startswith("/api/"):
            try:
                body = json.loads(response.content)
            except ValueError:
                return False
            # The one error shape: {"code", "message": "<Russian>", "fields"} (+ an error's own keys: "current").
            return (
                isinstance(body, dict)
                and isinstance(body.get("code"), str)
                and isinstance(body.get("message"), str)
                and isinstance(body.get("fields"), dict)
                and "detail" not in body
                and bool(CYRILLIC.search(body["message"]))
            )
        if getattr(response, "streaming", False):
            return False
        text = response.content.decode("utf-8", "replace")
        if response.get("Content-Type", "").startswith("application/json"):  # the journal's endpoints
            text = json.dumps(json.loads(text), ensure_ascii=False)
        return bool(CYRILLIC.search(text))

    def report(self) -> None:
        total = sum(self.by_class.values())
        seconds = time.monotonic() - self.started
        figures = ", ".join(f"{k} {v}" for k, v in sorted(self.by_class.items()))
        print(
            f"\nHOSTILE ENDPOINTS {self.name}: requests {total} ({figures}), unhandled {len(self.unhandled)},"
            f" 4xx not in Russian {len(self.not_russian)}, {seconds:.1f} s"
        )
        assert not self.unhandled, "\n".join(self.unhandled[:40])
        assert not self.not_russian, "\n".join(self.not_russian[:40])


@pytest.fixture
def world(monkeypatch: pytest.MonkeyPatch) -> World:
    set_clock(monkeypatch, TODAY)
    return build_world()


def clients(world: World) -> dict[str, Client]:
    out = {}
    users = world.actors()
    for actor in ACTORS:
        out[actor] = Client()
        out[actor].force_login(users[actor])
    return out


def patterns() -> list[spec.Pattern]:
    # Leaving out sign-out: it would end the session the rest of the sweep runs in.
    return [p for p in spec.walk() if "logout" not in p.name]


def fill(route: str, values: dict[str, object]) -> str:
    """The route with its parameters replaced by the given text, converters bypassed (so hostile ids too)."""
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m.group(1)]), route)


def own_url(pattern: spec.Pattern, world: World) -> str:
    return fill(pattern.route, spec.kwargs_for(pattern, "own", world.a, world.b))


def write_methods(pattern: spec.Pattern) -> list[str]:
    """The write methods of an API view (its class says); pages and the journal's endpoints take POST."""
    match = get_resolver().resolve(fill(pattern.route, dict.fromkeys(pattern.params, 1)))
    view_class = getattr(match.func, "cls", None) or getattr(match.func, "view_class", None)
    if view_class is None:
        return ["post"]
    return [m for m in ("post", "put", "patch") if hasattr(view_class, m)]


def test_every_pattern_is_covered() -> None:
    """The sweep's parameter table knows every parameter of every pattern (a new URL fails here first)."""
    for pattern in patterns():
        spec.getters(pattern)


@pytest.mark.django_db
def test_hostile_ids_in_path_segments(world: World) -> None:
    tally = Tally("path ids")
    by_actor = clients(world)
    for pattern in patterns():
        ids = [p for p in pattern.params if p not in spec.CONSTANTS]
        if not ids:
            continue
        own = spec.kwargs_for(pattern, "own", world.a, world.b)
        for param in ids:
            for hostile in HOSTILE_IDS:
                url = fill(pattern.route, {**own, param: hostile})
                for actor, client in by_actor.items():
                    tally.send(client, "get", url, f"{param}={hostile} as {actor}")
                tally.send(by_actor["admin"], "post", url, f"{param}={hostile} as admin", data={})
    tally.report()


@pytest.mark.django_db
def test_hostile_query_parameters_on_every_page(world: World) -> None:
    tally = Tally("query parameters")
    by_actor = clients(world)
    queries = [dict.fromkeys(QUERY_NAMES, value) for value in QUERY_VALUES] + list(LIMITS)
    for pattern in patterns():
        url = own_url(pattern, world)
        for index, query in enumerate(queries):
            # Every kind of value as the administrator; the teacher and the parent take turns over them (their
            # pages are the same views with less in scope).
            actors = ["admin", ACTORS[1 + index % 2]]
            for actor in actors:
                tally.send(by_actor[actor], "get", url, f"{query} as {actor}", data=query)
    tally.report()


@pytest.mark.django_db
def test_hostile_bodies_on_every_write_endpoint(world: World) -> None:
    tally = Tally("bodies")
    by_actor = clients(world)
    for pattern in patterns():
        url = own_url(pattern, world)
        api = url.startswith("/api/")
        if not api and not url.startswith(("/journal/", "/notifications/")):
            continue  # the other pages read forms through Django forms; the query sweep covers their GET
        for method in write_methods(pattern):
            for actor, client in by_actor.items():
                for what, raw in JSON_BODIES.items():
                    tally.send(client, method, url, f"{what} as {actor}", data=raw, content_type="application/json")
                for what, body in STRUCTURED_BODIES.items():
                    data = json.dumps(body)
                    tally.send(client, method, url, f"{what} as {actor}", data=data, content_type="application/json")
                ctype = "application/x-www-form-urlencoded"
                tally.send(
                    client, method, url, f"form as {actor}", data=urlencode(FORM, doseq=True), content_type=ctype
                )
                if method == "post":  # the test client builds multipart bodies for POST only
                    tally.send(client, method, url, f"multipart as {actor}", data=FORM)
                tally.send(client, method, url, f"text as {actor}", data="5", content_type="text/plain")
    tally.report()

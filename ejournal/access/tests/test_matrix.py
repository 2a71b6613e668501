"""The authorization matrix: every URL pattern × every actor × own and foreign objects (matrix_spec.py).

One sweep over a world of two schools (world.py) checks, and prints:

- cells checked, leaks (a refused actor or a foreign object answered 2xx/3xx), other wrong answers;
- foreign ids tried (school B's objects asked for by school A's people) and the answers other than 404;
- response bodies scanned for names an actor must not see (the other school's people, other children for
  a student and a parent, the students of a class the teacher has nothing to do with) and for the
  sentinel СНИЛС and birth date (only the administrator and the director see them);
- refused writes: nothing in the database changed;
- credentials and Госуслуги link codes for every issuer × target's roles (matrix_spec.CREDENTIAL_TARGETS):
  the link-code page, the class's page and API, the card's one-time password and its API; and /admin/ for
  every actor (issue 13).

A pattern without an entry fails the test with its name. The whole sweep is one test so that the world
is built once (about 4,000 requests: ~40 s on a free core of the test machines).
"""

from __future__ import annotations

import io
import zipfile
from collections import Counter
from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from ejournal.access import people as access_people
from ejournal.accounts.models import User
from ejournal.journal.tests.conftest import TODAY, set_clock

from . import matrix_spec as spec
from .world import BIRTH_DATE_TEXTS, SNILS, World, build_world, credential_targets

# Only the administrator and the director of a school see its people's birth dates and СНИЛС
# (access/people.py); the sentinels are set in both schools, so the foreign administrator sees their own.
SEES_PERSONAL_DATA = frozenset({"admin", "director", "foreign_admin"})
# Tables a refused request may touch without changing anything of the school: sessions and their
# activity, the usage counters and the security log (which records refusals where it should).
VOLATILE_TABLES = {"django_session", "accounts_usersession", "audit_securityevent"}


@dataclass(frozen=True)
class Cell:
    name: str
    variant: str
    actor: str
    method: str
    expect: str  # "allow" or "deny"
    status: int
    ok: bool
    leak: bool


def test_every_url_pattern_has_an_entry() -> None:
    names = [p.name for p in spec.walk()]
    missing = sorted(set(names) - set(spec.MATRIX))
    unnamed = [p.route for p in spec.walk() if not p.name]
    stale = sorted(set(spec.MATRIX) - set(names))
    print(f"URL patterns: {len(names)}, missing from the matrix: {len(missing)}, stale entries: {len(stale)}")
    assert not unnamed, f"URL patterns without a name: {unnamed}"
    assert not missing, f"URL patterns missing from the authorization matrix: {missing}"
    assert not stale, f"matrix entries without a URL pattern: {stale}"
    for pattern in spec.walk():
        spec.getters(pattern)  # every parameter name is known


def body_of(response: Any) -> str:
    """The text a person would see, XLSX/DOCX unpacked (their strings live in zipped XML)."""
    # Reading a streamed file to its end closes it (the test client's wrapper); response.close() here
    # would fire request_finished and close the test's database connection.
    streamed = getattr(response, "streaming", False)
    data = b"".join(response.streaming_content) if streamed else response.content
    if data.startswith(b"PK"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                data = b"\n".join(archive.read(name) for name in archive.namelist())
        except zipfile.BadZipFile:
            pass
    return data.decode("utf-8", "replace")


def to_login(response: Any) -> bool:
    return response.status_code == 302 and response["Location"].startswith(reverse("login"))


def fingerprint() -> dict[str, int]:
    """Every row of every table (but the volatile ones), one hash per table."""
    out = {}
    for model in apps.get_models(include_auto_created=True):
        table = model._meta.db_table
        if table in VOLATILE_TABLES or not model._meta.managed:
            continue
        out[table] = hash(repr(list(model._default_manager.order_by("pk").values_list())))
    return out


class Sweep:
    def __init__(self, world: World) -> None:
        self.w = world
        self.users = world.actors()
        self.clients: dict[str, Client] = {"anonymous": Client()}
        for key, user in self.users.items():
            self.clients[key] = Client()
            self.clients[key].force_login(user)
        self.cells: list[Cell] = []
        self.scanned = Counter[str]()
        self.name_leaks: list[str] = []
        self.field_leaks: list[str] = []
        self.forbidden = self._forbidden_names()

    def _forbidden_names(self) -> dict[str, dict[str, str]]:
        """Per actor: surname -> whose it is, for the names that must never reach them."""
        a, b = self.w.a, self.w.b
        foreign = {name: "another school's person" for name in b.names.values()}
        own_school = {name: "a person of the other school" for name in a.names.values()}
        others = {a.names[s.pk]: "another child" for s in [*a.s.students_5a, *a.s.students_10a] if s != a.student}
        class_5a = {a.names[s.pk]: "a student of 5А" for s in a.s.students_5a}
        class_10a = {a.names[s.pk]: "a student of 10А" for s in a.s.students_10a}
        return {
            "anonymous": {**foreign, **own_school},
            "admin": foreign,
            "director": foreign,
            "deputy": foreign,
            "teacher": {**foreign, **class_10a},
            "other_teacher": {**foreign, **class_5a},
            "class_teacher": {**foreign, **class_10a},
            "student": {**foreign, **others},
            "parent": {**foreign, **others},
            "foreign_admin": own_school,
        }

    def scan(self, actor: str, what: str, response: Any) -> None:
        text = body_of(response)
        self.scanned[actor] += 1
        for name, whose in self.forbidden[actor].items():
            if name in text:
                self.name_leaks.append(f"{what} as {actor}: {whose} ({name})")
        if actor not in SEES_PERSONAL_DATA:
            for sentinel in (SNILS, SNILS.replace("-", "").replace(" ", ""), *BIRTH_DATE_TEXTS):
                if sentinel in text:
                    self.field_leaks.append(f"{what} as {actor}: {sentinel}")

    def request(self, actor: str, method: str, url: str, data: Any = None, as_json: bool = False) -> Any:
        cache.clear()  # the API's throttles count per minute; the sweep is faster than any person
        client = self.clients[actor]
        if method == "get":
            return client.get(url)
        if as_json:
            return getattr(client, method)(url, data or {}, content_type="application/json")
        if method == "post":
            return client.post(url, data or {})
        return getattr(client, method)(url)

    def record(self, pattern: spec.Pattern, variant: str, actor: str, method: str, expect: str, r: Any) -> None:
        status = r.status_code
        entered = 200 <= status < 300 or (300 <= status < 400 and not to_login(r))
        # A write to a page that takes none is refused by its method before anything else.
        by_method = status == 405 and method != "get" and self.entry(pattern).get is not None
        if expect == "allow":
            ok = entered
        elif actor == "anonymous":
            ok = to_login(r) or status in (401, 403) or by_method
        elif variant == "other_school" or method == "get":
            ok = status == 404 or by_method
        else:
            # Forbidden is documented for people who see the object but may not write it.
            ok = status in (403, 404) or by_method
        self.cells.append(
            Cell(pattern.name, variant, actor, method, expect, status, ok, leak=expect == "deny" and entered)
        )

    @staticmethod
    def entry(pattern: spec.Pattern) -> spec.Entry:
        return spec.MATRIX[pattern.name]

    def actors_for(self, variant: str) -> list[str]:
        if variant == "own":
            return list(spec.ACTORS)
        return [a for a in spec.ACTORS if a not in ("anonymous", "foreign_admin")]

    def run(self) -> None:
        patterns = [p for p in spec.walk() if p.name in spec.MATRIX]
        writes: list[tuple[spec.Pattern, str, str, str, Any, bool, str]] = []
        for pattern in patterns:
            entry = self.entry(pattern)
            if entry.public:
                for actor in ("anonymous", "admin"):
                    r = self.request(
                        actor, "get", reverse(pattern.name, kwargs=spec.kwargs_for(pattern, "own", self.w.a, self.w.b))
                    )
                    self.cells.append(
                        Cell(pattern.name, "own", actor, "get", "allow", r.status_code, r.status_code < 500, False)
                    )
                continue
            has_objects = bool(spec.getters(pattern))
            for variant in spec.variants_of(pattern):
                url = reverse(pattern.name, kwargs=spec.kwargs_for(pattern, variant, self.w.a, self.w.b))
                allowed = spec.allowed(entry, variant, has_objects=has_objects)
                for actor in self.actors_for(variant):
                    expect = "allow" if actor in allowed else "deny"
                    what = f"{pattern.name} [{variant}]"
                    if entry.get is not None:
                        r = self.request(actor, "get", url)
                        self.record(pattern, variant, actor, "get", expect, r)
                        self.scan(actor, what, r)
                        if expect == "deny":
                            writes.append((pattern, variant, actor, "post", None, url.startswith("/api/"), url))
                    elif expect == "deny":
                        data = entry.data(self.w.a) if callable(entry.data) else entry.data
                        writes.append((pattern, variant, actor, entry.method, data, entry.json, url))
        # Refused writes change nothing: one fingerprint of the database before them all, one after.
        before = fingerprint()
        for pattern, variant, actor, method, data, as_json, url in writes:
            r = self.request(actor, method, url, data, as_json)
            self.record(pattern, variant, actor, method, "deny", r)
            self.scan(actor, f"{method.upper()} {pattern.name} [{variant}]", r)
        after = fingerprint()
        self.changed_tables = sorted(t for t in before if before[t] != after.get(t))

    def issuing(self) -> list[str]:
        """Issue 13: credentials and link codes for every issuer × target (spec.CREDENTIAL_TARGETS), and
        /admin/ for every actor. Run last: an issued password ends the target's other sessions' validity."""
        wrong: list[str] = []
        for actor in spec.ACTORS:
            r = self.request(actor, "get", reverse("admin:index"))
            if actor == "anonymous":
                ok = r.status_code == 302 and "login" in r["Location"]
            else:
                ok = r.status_code == (200 if actor in spec.DJANGO_ADMIN else 404)
            if not ok:
                wrong.append(f"/admin/ as {actor}: {r.status_code}")
        targets = credential_targets(self.w)
        class_page = reverse("people:class_credentials", args=[self.w.a.s.class_5a.pk])
        class_api = reverse("api-class-credentials", args=[self.w.a.s.class_5a.pk])
        for target_key, allowed in spec.CREDENTIAL_TARGETS.items():
            target = targets[target_key]
            for actor in spec.ACTORS:
                expect = actor in allowed
                what = f"{actor} → {target_key}"
                if actor != "anonymous":
                    decided = access_people.may_issue_credentials(self.users[actor], target)
                    if decided != expect:
                        wrong.append(f"may_issue_credentials {what}: {decided}")
                r = self.request(actor, "get", reverse("link_code_issue", args=[target.pk]))
                ok = r.status_code == 200 if expect else (to_login(r) if actor == "anonymous" else r.status_code == 404)
                if not ok:
                    wrong.append(f"link code {what}: {r.status_code}")
        # The card's «Выдать одноразовый пароль» and its API: the refusals now, the issuing last (it ends the
        # target's sessions, and most targets are actors of this sweep).
        wrong += self.card_passwords(targets, allowed_pass=False)
        # The class page and its API only for people on 5А's list; the refusals first, then the issuing.
        for allowed_pass in (False, True):
            for target_key in spec.ON_CLASS_LIST:
                target = targets[target_key]
                for actor in spec.ACTORS:
                    expect = actor in spec.CREDENTIAL_TARGETS[target_key]
                    if expect != allowed_pass:
                        continue
                    before = User.objects.get(pk=target.pk).password
                    page = self.request(actor, "post", class_page, {"one": target.pk})
                    api = self.request(actor, "post", class_api, {"people": [target.pk]}, as_json=True)
                    changed = User.objects.get(pk=target.pk).password != before
                    if expect:
                        ok = page.status_code == 200 and api.status_code == 201 and changed
                    elif actor == "anonymous":
                        ok = to_login(page) and api.status_code in (401, 403) and not changed
                    else:
                        ok = page.status_code == 404 and api.status_code == 404 and not changed
                    if not ok:
                        wrong.append(f"class credentials {actor} → {target_key}: {page.status_code}/{api.status_code}")
        wrong += self.card_passwords(targets, allowed_pass=True)
        return wrong

    def card_passwords(self, targets: dict[str, User], *, allowed_pass: bool) -> list[str]:
        """Issue 13, part E: a one-time password from the person's card (people:password, confirmed) and the
        API (api-person-password) — whom CREDENTIAL_TARGETS allows but for the class teacher, who issues on
        the class's page only; everyone else 404 and the password unchanged."""
        wrong: list[str] = []
        for target_key, allowed in spec.CREDENTIAL_TARGETS.items():
            target = targets[target_key]
            card = reverse("people:password", args=[target.pk])
            api = reverse("api-person-password", args=[target.pk])
            for actor in spec.ACTORS:
                expect = actor in allowed - {"class_teacher"}
                if expect != allowed_pass:
                    continue
                before = User.objects.get(pk=target.pk).password
                page_r = self.request(actor, "post", card, {"confirm": "1"})
                api_r = self.request(actor, "post", api, as_json=True)
                changed = User.objects.get(pk=target.pk).password != before
                if expect:
                    ok = page_r.status_code == 200 and api_r.status_code == 201 and changed
                elif actor == "anonymous":
                    ok = to_login(page_r) and api_r.status_code in (401, 403) and not changed
                else:
                    ok = page_r.status_code == 404 and api_r.status_code == 404 and not changed
                if not ok:
                    wrong.append(f"card password {actor} → {target_key}: {page_r.status_code}/{api_r.status_code}")
        return wrong


@pytest.mark.django_db
def test_authorization_matrix(monkeypatch: pytest.MonkeyPatch) -> None:
    set_clock(monkeypatch, TODAY)
    sweep = Sweep(build_world())
    sweep.run()
    issuing = sweep.issuing()
    cells = sweep.cells
    leaks = [c for c in cells if c.leak]
    wrong = [c for c in cells if not c.ok and not c.leak]
    foreign = [c for c in cells if c.variant == "other_school"]
    foreign_not_404 = [c for c in foreign if c.status != 404 and not (c.status == 405 and c.method != "get")]
    patterns = {c.name for c in cells}
    print(
        f"\nAUTHORIZATION MATRIX: URL patterns {len(patterns)} × actors {len(spec.ACTORS)}: cells checked {len(cells)}"
        f" (writes refused {sum(c.method != 'get' for c in cells)}), leaks {len(leaks)},"
        f" wrong answers {len(wrong)}, patterns missing {len(set(p.name for p in spec.walk()) - set(spec.MATRIX))}"
        f"\nFOREIGN IDS: tried {len(foreign)}, answers other than 404: {len(foreign_not_404)}"
        f"\nBODIES SCANNED: {sum(sweep.scanned.values())}, names not theirs: {len(sweep.name_leaks)},"
        f" СНИЛС/birth date seen by others than admin and director: {len(sweep.field_leaks)}"
        f"\nREFUSED WRITES: tables changed {len(sweep.changed_tables)}"
        f"\nCREDENTIALS AND LINK CODES: issuers {len(spec.ACTORS)} × targets {len(spec.CREDENTIAL_TARGETS)},"
        f" /admin/ × {len(spec.ACTORS)}: wrong {len(issuing)}"
    )

    def show(found: list[Cell]) -> str:
        return "\n".join(
            f"{c.method.upper()} {c.name} [{c.variant}] as {c.actor}: {c.status} ({c.expect})" for c in found
        )

    problems = {
        "leaks": show(leaks),
        "wrong answers": show(wrong),
        "foreign ids answered other than 404": show(foreign_not_404),
        "names not theirs": "\n".join(sweep.name_leaks),
        "СНИЛС or birth date": "\n".join(sweep.field_leaks),
        "tables changed by refused writes": ", ".join(sweep.changed_tables),
        "credentials, link codes, /admin/": "\n".join(issuing),
    }
    found = {k: v for k, v in problems.items() if v}
    assert not found, "\n".join(f"{k}:\n{v}" for k, v in found.items())

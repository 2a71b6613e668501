"""Quarter end: teachers open the journal grid and save marks and period marks through the endpoints the page
uses (JSON with the CSRF token the page hands out), parents and students read diary weeks.

Started by `python -m loadtest` with LOADTEST_PLAN pointing at the plan of loadtest/prepare.py. Teachers, parents
and students are signed in already (sessions from the plan); `SigningIn` people (a run of their own, chosen with
`python -m locust … SigningIn`) go through the real sign-in form, Argon2 included.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
from http.cookiejar import Cookie
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from locust import between, task
from locust.contrib.fasthttp import FastHttpUser

PASSWORD = "demo-2026"  # ejournal.demo.generator.DEMO_PASSWORD; loadtest.prepare sets every hash to it
PLAN: dict[str, Any] = json.loads(Path(os.environ["LOADTEST_PLAN"]).read_text(encoding="utf-8"))
FORM_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
PAGE_TOKEN = re.compile(r'"csrf":\s*"([^"]+)"')
_next = {role: itertools.count() for role in ("teachers", "parents", "students")}


def take(role: str) -> dict[str, Any]:
    """Each simulated person is a different real one, round robin over the plan."""
    people = PLAN[role]
    return people[next(_next[role]) % len(people)]


def _cookie(name: str, value: str, host: str) -> Cookie:
    return Cookie(0, name, value, None, False, host, False, False, "/", True, False, None, False, None, None, {})


class Person(FastHttpUser):
    """Signed in already (a session from the plan): the steady state of a school day."""

    abstract = True
    role = ""

    def on_start(self) -> None:
        self.me = take(self.role)
        host = urlparse(str(self.host)).hostname or ""
        self.client.cookiejar.set_cookie(_cookie("sessionid", self.me["session"], str(host)))

    def week(self) -> str:
        return random.choice(PLAN["weeks"])


class SigningIn(FastHttpUser):
    """Signing in through the real form (Argon2 included), again and again: the morning's first minutes."""

    wait_time = between(1, 3)

    def on_start(self) -> None:
        self.me = take(random.choice(["teachers", "parents", "students"]))

    @task
    def sign_in(self) -> None:
        self.client.cookiejar.clear()
        page = self.client.get("/accounts/login/", name="sign-in form")
        token = FORM_TOKEN.search(page.text or "")
        form = {"username": self.me["login"], "password": PASSWORD, "csrfmiddlewaretoken": token[1] if token else ""}
        with self.client.post("/accounts/login/", data=form, name="sign in", catch_response=True) as response:
            # A successful sign-in is redirected to the start page; the form again means it failed.
            if 'name="password"' in (response.text or ""):
                response.failure("sign-in refused")  # no login in the output: logins are names


class Teacher(Person):
    """Closing the quarter: a mark every few seconds, the grid now and then, a period mark per student."""

    role = "teachers"
    weight = 5
    wait_time = between(1, 3)

    def on_start(self) -> None:
        super().on_start()
        self.csrf = ""
        self.open_grid()  # the page hands out the CSRF token its scripts send

    @task(1)
    def open_grid(self) -> None:
        me = self.me
        page = self.client.get(f"/journal/{me['assignment']}/?period={me['period']}", name="journal grid")
        token = PAGE_TOKEN.search(page.text or "")
        if token:
            self.csrf = token[1]

    def post_json(self, url: str, body: dict[str, Any], name: str) -> None:
        headers = {"X-CSRFToken": self.csrf, "Content-Type": "application/json"}
        self.client.post(url, data=json.dumps(body), headers=headers, name=name)

    @task(6)
    def save_mark(self) -> None:
        lesson, student = random.choice(self.me["cells"])
        text = random.choice(["5", "4", "4", "3", "5/4", "н"])
        self.post_json(f"/journal/cell/{lesson}/{student}/", {"text": text}, "save mark")

    @task(2)
    def save_period_mark(self) -> None:
        me = self.me
        student = random.choice(me["students"])
        body = {"value": random.choice(["5", "4", "3"]), "kind": "period", "period": me["period"]}
        self.post_json(f"/journal/{me['assignment']}/period-mark/{student}/", body, "save period mark")


class Parent(Person):
    role = "parents"
    weight = 3
    wait_time = between(2, 6)

    @task
    def diary(self) -> None:
        child = random.choice(self.me["children"])
        self.client.get(f"/diary/{child}/?week={self.week()}", name="diary week (parent)")


class Student(Person):
    role = "students"
    weight = 2
    wait_time = between(2, 6)

    @task
    def diary(self) -> None:
        self.client.get(f"/diary/?week={self.week()}", name="diary week (student)")

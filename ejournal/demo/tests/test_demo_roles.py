"""Every demo role signs in with the printed login and password, sees its start page and every page of its menu."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from ejournal.access.navigation import menu_for
from ejournal.demo.generator import DEMO_PASSWORD, generate
from ejournal.demo.logins import demo_accounts

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 20)


@pytest.fixture
def demo_school(monkeypatch):
    monkeypatch.setattr("ejournal.home.views.school_today", lambda tz: TODAY)
    return generate(3, grades=(1, 5, 10), classes_per_parallel=2, students_per_class=4, today=TODAY)


def test_every_demo_role_signs_in_and_opens_its_menu(demo_school):
    accounts = demo_accounts(demo_school.school, TODAY)
    assert {a.key for a in accounts} >= {"admin", "director", "deputy", "teacher", "class_teacher", "student", "parent"}
    for account in accounts:
        client = Client()
        response = client.post(reverse("login"), {"username": account.user.username, "password": DEMO_PASSWORD})
        assert response.status_code == 302, account.key
        home = client.get(reverse("home"))
        assert home.status_code == 200, account.key
        assert "Здравствуйте" in home.content.decode()
        for item in menu_for(account.user):
            assert client.get(item.url, follow=True).status_code == 200, (account.key, item.url)

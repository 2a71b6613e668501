"""Small things every curriculum page needs: who asks, their school's today, going back to the page."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.http import HttpResponseRedirect
from django.urls import reverse

from ejournal.accounts.models import User
from ejournal.core import inputs
from ejournal.core.time import school_today


def today_for(user: User) -> dt.date:
    """ "Today" is the school's local day."""
    return school_today(user.school)


def parse_date(raw: str | None) -> dt.date | None:
    """A date filter of the pages; one they cannot use (malformed, the year 1 or 9999) shows the default."""
    return inputs.date_or_none(raw)


def url_with(name: str, **params: object) -> str:
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return reverse(f"curriculum:{name}") + (f"?{query}" if query else "")


def back_to(name: str, **params: object) -> HttpResponseRedirect:
    """After a successful POST the browser goes back to the page (so a reload does not repeat the action)."""
    return HttpResponseRedirect(url_with(name, **params))

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from ejournal.access import navigation as nav


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The menu of the signed-in person, built from their roles by access/."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"menu": []}
    return {"menu": nav.menu_for(user)}

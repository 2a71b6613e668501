from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from .library import topic_of_page


def help_panel(request: HttpRequest) -> dict[str, Any]:
    """The help topic of the page being shown (registry.PAGES), for the «Справка» panel of base.html."""
    user = getattr(request, "user", None)
    match = getattr(request, "resolver_match", None)
    if user is None or not user.is_authenticated or match is None:
        return {"help_panel": None}
    return {"help_panel": topic_of_page(match.view_name)}

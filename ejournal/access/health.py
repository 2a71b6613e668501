"""Who reads the details of /healthz (database, worker heartbeat, queue): the administrator of the
installation or a school's administrator when signed in; everyone else — the load balancer too — gets only
whether the service answers."""

from __future__ import annotations

from typing import Any

from ejournal.accounts.models import Role


def reads_health_details(user: Any) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return bool(user.is_superuser or user.has_role(Role.ADMIN))

"""Every report the product has, for the reports index page: title, URL name and who may open it.

Each entry's `visible` is a check from ejournal/access/ taking the user; the index shows only those
the user passes, and each report view checks access again by itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ejournal.accounts.models import User


@dataclass(frozen=True)
class CatalogEntry:
    title: str
    url_name: str
    description: str
    visible: Callable[[User], bool]


CATALOG: list[CatalogEntry] = []

"""The tenancy gate: an object of another school is reported like a missing one (404), never a 403.

Every check "is this object of the user's school" and every lookup "this object, for this user" goes
through here, so the rule is written once: `same_school` (a predicate for the access layer's decisions),
`in_school_of` (raises `NotFound`) and `get_for` (resolves an id within the user's school, one query,
filtered by `school_id`: the Citus distribution column, so the lookup routes to one shard).
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models import QuerySet

from ejournal.accounts.models import User
from ejournal.core.errors import NotFound
from ejournal.schools.models import School

from .roles import in_school

M = TypeVar("M", bound=models.Model)


def school_of(obj: object) -> int | None:
    """The school an object belongs to: its `school_id`, or its own id for a School."""
    if isinstance(obj, School):
        return obj.pk
    if not hasattr(obj, "school_id"):
        # A programming error, not a user's: an object without a school cannot be checked, and passing it
        # silently (as the two former copies of require_same_school did) would let any school through.
        raise TypeError(f"{type(obj).__name__} has no school")
    school_id: int | None = obj.school_id
    return school_id


def same_school(user: User, *objects: object) -> bool:
    """Whether the user belongs to a school and every given object (None skipped) is of that school."""
    if not in_school(user):
        return False
    return all(school_of(obj) == user.school_id for obj in objects if obj is not None)


def in_school_of(user: User, *objects: object) -> None:
    """Raise NotFound unless every object (None skipped: optional arguments) is of the user's school."""
    if not same_school(user, *objects):
        raise NotFound()


def get_for(user: User, source: type[M] | QuerySet[M], pk: Any) -> M:
    """This object, for this user: the row `pk` of `source` (a model or an access queryset) within the
    user's school, else NotFound (also for an id that is not a number)."""
    if not in_school(user):
        raise NotFound()
    queryset = source._default_manager.all() if isinstance(source, type) else source
    try:
        return queryset.filter(school_id=user.school_id).get(pk=int(pk))
    except (TypeError, ValueError, OverflowError, ObjectDoesNotExist) as exc:
        raise NotFound() from exc


def one_school(*objects: object) -> bool:
    """Whether the given objects (None skipped) all belong to one school: a student and the lesson they are
    marked in, a parent and a child. For rows found without a user (imports, the worker) or already checked."""
    return len({school_of(obj) for obj in objects if obj is not None}) <= 1

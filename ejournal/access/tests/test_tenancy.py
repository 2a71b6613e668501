"""The tenancy gate (access/tenancy.py): an object of another school is a 404, and there is one gate."""

from __future__ import annotations

import pathlib
import re

import pytest
from django.db.models import QuerySet

from ejournal.access import tenancy
from ejournal.conftest import SmallSchool
from ejournal.core.errors import NotFound
from ejournal.curriculum.models import TeachingAssignment
from ejournal.schools.models import ClassGroup

pytestmark = pytest.mark.django_db


def test_in_school_of_passes_own_objects_and_skips_none(small_school: SmallSchool) -> None:
    s = small_school
    tenancy.in_school_of(s.admin, s.class_5a, s.math_5a, s.school, None)
    assert tenancy.same_school(s.teacher, s.math_5a)


def test_an_object_of_another_school_is_not_found(small_school: SmallSchool, other_school: SmallSchool) -> None:
    with pytest.raises(NotFound):
        tenancy.in_school_of(small_school.admin, small_school.class_5a, other_school.class_5a)
    with pytest.raises(NotFound):
        tenancy.in_school_of(small_school.admin, other_school.school)
    assert not tenancy.same_school(small_school.admin, other_school.math_5a)


def test_a_person_without_a_school_reaches_nothing(small_school: SmallSchool) -> None:
    small_school.admin.is_active = False
    with pytest.raises(NotFound):
        tenancy.in_school_of(small_school.admin, small_school.class_5a)


def test_an_object_without_a_school_is_a_programming_error(small_school: SmallSchool) -> None:
    # The former copies let such an object through (getattr with the actor's school as the default).
    with pytest.raises(TypeError):
        tenancy.in_school_of(small_school.admin, object())


def test_get_for_resolves_within_the_school_in_one_query(
    small_school: SmallSchool, other_school: SmallSchool, django_assert_num_queries: object
) -> None:
    s = small_school
    with django_assert_num_queries(1):  # type: ignore[operator]
        assert tenancy.get_for(s.admin, ClassGroup, s.class_5a.pk) == s.class_5a
    for pk in (other_school.class_5a.pk, 10**9, "²", None, "5a"):
        with pytest.raises(NotFound):
            tenancy.get_for(s.admin, ClassGroup, pk)


def test_get_for_keeps_the_access_querysets_narrowing(small_school: SmallSchool) -> None:
    s = small_school
    mine: QuerySet[TeachingAssignment] = TeachingAssignment.objects.filter(teacher=s.teacher)
    assert tenancy.get_for(s.teacher, mine, s.math_5a.pk) == s.math_5a
    with pytest.raises(NotFound):
        tenancy.get_for(s.teacher2, TeachingAssignment.objects.filter(teacher=s.teacher2), s.math_5a.pk)


def test_there_is_one_gate() -> None:
    """No other module defines its own same-school check (the two copies of require_same_school, the inline
    `x.school_id != actor.school_id` comparisons): they go through access/tenancy.py."""
    root = pathlib.Path(__file__).resolve().parents[2]
    inline = re.compile(r"\.school_id\s*[!=]=\s*\w+\.school_id|school_id\s*[!=]=\s*\w+\.pk\b|def require_same_school")
    offenders = []
    for path in sorted(root.rglob("*.py")):
        if "tests" in path.parts or "migrations" in path.parts or path.name == "tenancy.py":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if inline.search(line):
                offenders.append(f"{path.relative_to(root)}:{number}: {line.strip()}")
    assert offenders == [], "same-school checks outside access/tenancy.py:\n" + "\n".join(offenders)

"""Who takes part in the load test and what they touch, read from the seeded database (run under Django).

`python -m loadtest.prepare PLAN.json T P S` (with the load test's settings, Redis up) gives every demo user the
demo password hashed with the production hasher (the generator may have used a fast one), then writes the plan:
T teachers with the journal they close the quarter in (its current period, past lessons and students), P parents
with their children, S students, the weeks of the current period that diaries are read for, and a signed-in
session for each of them.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import sys
from typing import Any


def build_plan(*, teachers: int, parents: int, students: int, seed: int = 1) -> dict[str, Any]:
    from django.db.models import Q

    from ejournal.accounts.models import Guardianship, Role, User
    from ejournal.curriculum.models import Lesson, LessonStatus, TeachingAssignment
    from ejournal.demo.generator import default_today
    from ejournal.schools.models import Enrolment, Period

    rng = random.Random(seed)
    today = default_today()
    active = Q(end__isnull=True) | Q(end__gte=today)
    # Whole-class journals of graded subjects from the 2nd grade on: every cell takes a mark 5–1.
    assignments = list(
        TeachingAssignment.objects.filter(
            subgroup__isnull=True,
            subject__pass_fail=False,
            class_group__grade__gte=2,
            class_group__year__start__lte=today,
            class_group__year__end__gte=today,
        )
        .select_related("class_group", "class_group__year", "teacher")
        .order_by("pk")
    )
    by_teacher: dict[int, TeachingAssignment] = {}
    for assignment in rng.sample(assignments, len(assignments)):
        by_teacher.setdefault(assignment.teacher_id, assignment)
    chosen = rng.sample(sorted(by_teacher.values(), key=lambda a: a.pk), min(teachers, len(by_teacher)))

    teacher_plans = []
    weeks: set[str] = set()
    for assignment in chosen:
        group = assignment.class_group
        period = (
            Period.objects.filter(
                school_id=group.school_id,
                scheme__year=group.year,
                scheme__grade_from__lte=group.grade,
                scheme__grade_to__gte=group.grade,
                start__lte=today,
            )
            .order_by("-start")
            .first()
        )
        if period is None:
            continue
        lessons = list(
            Lesson.objects.filter(assignment=assignment, date__range=(period.start, today - dt.timedelta(days=1)))
            .exclude(status=LessonStatus.CANCELLED)
            .values_list("pk", "date")
        )
        enrolled = Enrolment.objects.filter(class_group=group, start__lte=today).filter(active)
        roster = list(enrolled.values_list("student_id", "start"))
        cells = [[lesson, student] for lesson, day in lessons for student, start in roster if start <= day]
        if not cells:
            continue
        teacher_plans.append(
            {
                "login": assignment.teacher.username,
                "assignment": assignment.pk,
                "period": period.pk,
                "cells": rng.sample(cells, min(80, len(cells))),
                "students": [student for student, _ in roster],
            }
        )
        monday = period.start - dt.timedelta(days=period.start.weekday())
        while monday <= today:
            weeks.add(monday.isoformat())
            monday += dt.timedelta(days=7)

    current = Enrolment.objects.filter(start__lte=today, class_group__grade__gte=2).filter(active)
    links = list(
        Guardianship.objects.filter(child__in=current.values("student_id"))
        .order_by("parent_id", "child_id")
        .values_list("parent__username", "child_id")
    )
    children: dict[str, list[int]] = {}
    for login, child in links:
        children.setdefault(login, []).append(child)
    parent_logins = rng.sample(sorted(children), min(parents, len(children)))
    student_logins = list(
        User.objects.filter(role_grants__role=Role.STUDENT, pk__in=current.values("student_id"))
        .order_by("pk")
        .values_list("username", flat=True)
    )
    return {
        "today": today.isoformat(),
        "weeks": sorted(weeks) or [(today - dt.timedelta(days=today.weekday())).isoformat()],
        "teachers": teacher_plans,
        "parents": [{"login": login, "children": children[login]} for login in parent_logins],
        "students": [{"login": login} for login in rng.sample(student_logins, min(students, len(student_logins)))],
    }


def open_sessions(plan: dict[str, Any]) -> None:
    """A signed-in session (in the configured store: Redis) for each person of the plan, as if they had signed
    in earlier that day: at quarter end most people are, and sign-ins are measured on their own."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    from ejournal.accounts.models import User

    store = import_module(settings.SESSION_ENGINE).SessionStore
    people = [person for role in ("teachers", "parents", "students") for person in plan[role]]
    users = {u.username: u for u in User.objects.filter(username__in=[p["login"] for p in people])}
    for person in people:
        user = users[person["login"]]
        session = store()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.save()
        person["session"] = session.session_key


def set_demo_passwords() -> int:
    """One production hash of the demo password for every user (the generator hashes once for all, too)."""
    from django.contrib.auth.hashers import make_password

    from ejournal.accounts.models import User
    from ejournal.demo.generator import DEMO_PASSWORD

    return User.objects.update(password=make_password(DEMO_PASSWORD))


def main(argv: list[str]) -> int:
    import django

    django.setup()
    from django.db import connection

    path, teachers, parents, students = argv[0], *map(int, argv[1:4])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # fresh planner statistics after the bulk load, as autovacuum would give
    set_demo_passwords()
    plan = build_plan(teachers=teachers, parents=parents, students=students)
    open_sessions(plan)
    with open(path, "w", encoding="utf-8") as out:
        json.dump(plan, out)
    print(
        f"plan: {len(plan['teachers'])} teachers, {len(plan['parents'])} parents, {len(plan['students'])} students; "
        f"today {plan['today']}, weeks {plan['weeks'][0]}…{plan['weeks'][-1]}"
    )
    return 0 if plan["teachers"] and plan["parents"] and plan["students"] else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

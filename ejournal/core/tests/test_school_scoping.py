"""Scale-out by school: every school-data table carries `school_id`, and the main pages filter every query by it.

This is what lets PostgreSQL + Citus distribute the school-data tables by `school_id` (docs/scaling.md).

1. The models: every model of the project's apps has a `school` foreign key, except the deliberate exceptions
   below (each with its reason) and the known offenders reported to the lead (each must still be one, so the
   list shrinks as they are fixed).

2. The SQL of the main pages (the pages and API lists of test_query_counts.py: journal grid, diary week, class
   list, timetable…), captured at the cursor. The rule checked for every statement that reads or writes a
   school-data table: its conditions pin the rows to one school, through at least one of
   - a `school_id` column compared with a parameter or a sub-query (`"journal_mark"."school_id" = %s`,
     `U0."school_id" IN (…)`), or
   - the primary key of a school-data row (`"curriculum_lesson"."id" = %s`, `… IN (%s, %s)`), or a foreign
     key to one (`"journal_mark"."lesson_id" IN (…)`): that row was itself found through a scoped query (the
     access layer looked it up with the user's school), so the rows reached from it are of the same school.
   Join conditions between two columns do not count: they pin nothing. An INSERT must write `school_id`.
   The second form is what Citus routes by co-location once the key is a (school_id, id) pair; queries of
   the first form route to one shard today. docs/scaling.md lists how many queries of each page are of each.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.apps import apps
from django.core.cache import cache
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import reverse

from ejournal.access.tests import matrix_spec as spec
from ejournal.access.tests.world import build_world
from ejournal.accounts import credentials
from ejournal.accounts.models import Role
from ejournal.conftest import SmallSchool
from ejournal.core.tests.test_query_counts import (
    LARGE,
    PAGES,
    Filled,
    Page,
    capture_sql,
    filled_schools,
    fix_clock,
    page_sql,
)
from ejournal.curriculum import services as curriculum
from ejournal.curriculum.lessons import generate_lessons
from ejournal.curriculum.models import Lesson
from ejournal.interop import services as imports
from ejournal.interop.tests.files import STUDENTS_HEADER, csv_bytes
from ejournal.journal import lessons as journal_lessons
from ejournal.journal import period_marks, periods
from ejournal.journal.services import set_cell_content
from ejournal.journal.tests.conftest import TODAY, make_kinds, set_clock
from ejournal.schools import classes
from ejournal.schools.models import Period

pytestmark = pytest.mark.django_db

# Models without a school on purpose: what would they be distributed by, and why that is right.
NOT_SCHOOL_DATA = {
    "schools.School": "the school itself: the distribution key's own table (a Citus reference table)",
    "core.WorkerBeat": "infrastructure: the background worker's heartbeat, not school data",
    "core.TickRun": "infrastructure: when each periodic tick last ran, one row per tick for the whole installation",
    "accounts.UserSession": "a person's sign-in sessions: region staff have no school; found by session key",
    "accounts.LoginFailure": "failed sign-ins before anyone is known: the school is unknown (hashed login + IP)",
    "reports.Municipality": "the education authority above the schools: sees aggregates of many schools",
    "reports.RegionViewer": "a person of the authority (a user without a school) and their municipality",
    "accounts.User_groups": "Django's auth groups (unused by the project's roles, which are RoleGrant rows)",
    "accounts.User_user_permissions": "Django's per-user permissions (unused by the project's access layer)",
}
# Models whose `school` may be empty, and why.
SCHOOL_MAY_BE_EMPTY = {
    "accounts.User": "people of the region (municipal and regional staff) belong to no school",
    "audit.SecurityEvent": "events of region staff and of failed sign-ins of unknown people have no school",
    "archive.BackupLogEntry": "a full backup or a restore is of the whole installation, not of one school",
    "status.ServerError": "a server error of an anonymous request or of the installation belongs to no school",
}
# School data without a `school_id` column: reported to the lead (issue 9); remove an entry once fixed.
KNOWN_OFFENDERS = {
    "schools.ClassGroup_class_teachers": "the implicit many-to-many table of class teachers has no school_id",
}


def project_models() -> Iterator[type[models.Model]]:
    for model in apps.get_models(include_auto_created=True):
        if model._meta.app_config.name.startswith("ejournal."):
            yield model


def school_field(model: type[models.Model]) -> models.ForeignKey[Any, Any] | None:
    try:
        field = model._meta.get_field("school")
    except Exception:
        return None
    if isinstance(field, models.ForeignKey) and field.related_model._meta.label == "schools.School":
        return field
    return None


def test_every_school_data_model_has_a_school_foreign_key() -> None:
    missing = sorted(
        model._meta.label
        for model in project_models()
        if school_field(model) is None and model._meta.label not in NOT_SCHOOL_DATA | KNOWN_OFFENDERS
    )
    assert missing == [], f"school-data models without a school foreign key: {missing}"


def test_the_school_is_required_except_where_explained() -> None:
    optional = sorted(
        model._meta.label for model in project_models() if (field := school_field(model)) is not None and field.null
    )
    assert optional == sorted(SCHOOL_MAY_BE_EMPTY)


def test_the_lists_of_exceptions_name_real_models_without_a_school() -> None:
    labels = {model._meta.label: model for model in project_models()}
    for label in (*NOT_SCHOOL_DATA, *KNOWN_OFFENDERS):
        # Reports' models are being built; an exception for a model not there yet is harmless.
        if label in labels:
            assert school_field(labels[label]) is None, f"{label} has a school now: drop it from the exceptions"
    assert set(KNOWN_OFFENDERS) <= set(labels), "a known offender is gone: drop it from KNOWN_OFFENDERS"


# --- the SQL of the main pages ------------------------------------------------------------------------------


def school_tables() -> set[str]:
    """Tables of school data: every model with a school (User included), and the known offenders."""
    tables = {model._meta.db_table for model in project_models() if school_field(model) is not None}
    tables |= {apps.get_model(label)._meta.db_table for label in KNOWN_OFFENDERS}
    return tables


def key_columns(tables: set[str]) -> set[tuple[str, str]]:
    """(table, column) pairs that identify school-data rows: their primary keys and foreign keys to them."""
    keys = set()
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.concrete_fields:
            identifies = field.primary_key and model._meta.db_table in tables
            points = isinstance(field, models.ForeignKey) and field.related_model._meta.db_table in tables
            if (identifies or points) and field.column:
                keys.add((model._meta.db_table, field.column))
    return keys


TABLE = re.compile(r'(?:FROM|JOIN|UPDATE|INTO)\s+"(\w+)"')
ALIAS = re.compile(r'"(\w+)"\s+(?:AS\s+)?([TU]\d+)\b')
# A column compared with a parameter or a sub-query: `"t"."c" = %s`, `U0."c" IN (%s, …)`, `"t"."c" IN (SELECT`.
PINNED = re.compile(r'(?:"(\w+)"|([TU]\d+))\."(\w+)"\s*(?:=\s*%s|IN\s*\(\s*(?:%s|SELECT))')
INSERT = re.compile(r'^\s*INSERT\s+INTO\s+"(\w+)"\s*\(([^)]*)\)', re.IGNORECASE)


def is_scoped(sql: str, tables: set[str], keys: set[tuple[str, str]]) -> bool:
    """True when `sql` touches no school-data table, or pins its rows to one school (the module's rule)."""
    touched = set(TABLE.findall(sql)) & tables
    if not touched:
        return True
    insert = INSERT.match(sql)
    if insert:
        return '"school_id"' in insert.group(2)
    aliases = dict((alias, table) for table, alias in ALIAS.findall(sql))
    for table, alias, column in PINNED.findall(sql):
        table = table or aliases.get(alias, "")
        if column == "school_id" or (table, column) in keys:
            return True
    return False


def by_school_id(sql: str) -> bool:
    return any(column == "school_id" for _, _, column in PINNED.findall(sql))


def test_the_rule_tells_scoped_from_unscoped_sql() -> None:
    tables = {"journal_mark", "curriculum_lesson", "accounts_user"}
    keys = {("journal_mark", "lesson_id"), ("curriculum_lesson", "id"), ("accounts_user", "id")}
    scoped = [
        'SELECT "journal_mark"."id" FROM "journal_mark" WHERE "journal_mark"."school_id" = %s',
        'SELECT "journal_mark"."id" FROM "journal_mark" WHERE "journal_mark"."lesson_id" IN (%s, %s)',
        'SELECT U0."id" FROM "curriculum_lesson" U0 WHERE U0."id" = %s',
        'SELECT "x"."id" FROM "accounts_user" x WHERE "accounts_user"."id" IN (SELECT U0."student_id" FROM a)',
        'INSERT INTO "journal_mark" ("school_id", "lesson_id") VALUES (%s, %s)',
        'SELECT "django_session"."session_data" FROM "django_session" WHERE "django_session"."session_key" = %s',
    ]
    unscoped = [
        'SELECT "journal_mark"."id" FROM "journal_mark"',
        'SELECT "journal_mark"."id" FROM "journal_mark" WHERE "journal_mark"."value" = %s',
        'SELECT "journal_mark"."id" FROM "journal_mark" INNER JOIN "curriculum_lesson" '
        'ON ("journal_mark"."lesson_id" = "curriculum_lesson"."id") WHERE "curriculum_lesson"."date" > %s',
        'INSERT INTO "journal_mark" ("lesson_id", "value") VALUES (%s, %s)',
        'SELECT "accounts_user"."id" FROM "accounts_user" WHERE "accounts_user"."username" = %s',
    ]
    assert all(is_scoped(sql, tables, keys) for sql in scoped)
    assert not any(is_scoped(sql, tables, keys) for sql in unscoped)


@pytest.fixture(scope="module")
def large_school(django_db_setup: None, django_db_blocker: Any) -> Iterator[Filled]:
    with filled_schools(django_db_blocker, LARGE) as built:
        yield built[LARGE]


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_every_query_of_the_page_is_scoped_by_school(
    large_school: Filled, page: Page, monkeypatch: pytest.MonkeyPatch
) -> None:
    fix_clock(monkeypatch)
    tables = school_tables()
    keys = key_columns(tables)
    sql = page_sql(large_school, page)
    offenders = [statement for statement in sql if not is_scoped(statement, tables, keys)]
    assert offenders == [], f"{page.name}: queries not scoped by school:\n" + "\n".join(offenders)


# --- every statement names the school (issue 14: one tenancy gate) ----------------------------------------------
#
# Stricter than the rule above: a statement on school data carries a `school_id` condition itself (the Citus
# distribution column), not only a key of a row found through one. Services, selectors and access add
# `school_id=...` to their filters (from the actor or the parent object): docs/development.md, "One tenancy gate".

# Statements that name no school, matched by a fragment of their SQL, each with its reason. An entry marked
# "debt" could name the school and should: fix the query (the file is named) and drop the entry. An entry that
# no page's SQL matches any more fails the test, so the list only shrinks.
WITHOUT_SCHOOL_ID = {
    'FROM "accounts_user" WHERE "accounts_user"."id" = %s LIMIT 21': (
        "the signed-in person, loaded by Django's auth from the session: the school is what this row tells "
        "(people of the region have none)"
    ),
    '"schools_classgroup_class_teachers"."classgroup_id"': (
        "the class teachers' implicit many-to-many table has no school_id column (KNOWN_OFFENDERS)"
    ),
}
# The remaining pages (every GET pattern of the URL resolver): allowed there, not on the main pages above.
WITHOUT_SCHOOL_ID_ELSEWHERE: dict[str, str] = {}


def names_the_school(sql: str, tables: set[str]) -> bool:
    """True when `sql` touches no school-data table, or carries a `school_id` condition (an INSERT: column)."""
    if not set(TABLE.findall(sql)) & tables:
        return True
    insert = INSERT.match(sql)
    if insert:
        return '"school_id"' in insert.group(2)
    return by_school_id(sql)


def without_school(statements: list[tuple[str, str]], allowed: dict[str, str]) -> tuple[list[str], set[str]]:
    """(where, sql) pairs: the statements naming no school and matched by no entry; the entries used."""
    tables = school_tables()
    offenders, used = [], set()
    for where, sql in statements:
        if names_the_school(sql, tables):
            continue
        entry = next((fragment for fragment in allowed if fragment in sql), None)
        if entry is None:
            offenders.append(f"{where}: {sql}")
        else:
            used.add(entry)
    return offenders, used


def test_the_strict_rule_wants_a_school_id() -> None:
    tables = {"journal_mark", "curriculum_lesson"}
    assert names_the_school('SELECT 1 FROM "journal_mark" WHERE "journal_mark"."school_id" = %s', tables)
    assert names_the_school('SELECT 1 FROM "django_session" WHERE "django_session"."session_key" = %s', tables)
    assert names_the_school('INSERT INTO "journal_mark" ("school_id", "lesson_id") VALUES (%s, %s)', tables)
    # A key of a scoped row is enough for the rule above, not for this one.
    assert not names_the_school('SELECT 1 FROM "journal_mark" WHERE "journal_mark"."lesson_id" IN (%s)', tables)
    assert not names_the_school(
        'UPDATE "curriculum_lesson" SET "room" = %s WHERE "curriculum_lesson"."id" = %s', tables
    )


def test_every_query_of_the_main_pages_names_the_school(large_school: Filled, monkeypatch: pytest.MonkeyPatch) -> None:
    fix_clock(monkeypatch)
    statements = [(page.name, sql) for page in PAGES for sql in page_sql(large_school, page)]
    offenders, used = without_school(statements, WITHOUT_SCHOOL_ID)
    assert offenders == [], "queries of school data without school_id:\n" + "\n".join(offenders)
    assert set(WITHOUT_SCHOOL_ID) == used, f"entries no query needs any more: {set(WITHOUT_SCHOOL_ID) - used}"


def test_every_page_of_the_product_names_the_school(monkeypatch: pytest.MonkeyPatch) -> None:
    """The remaining pages: every pattern of the URL resolver that answers GET (access/tests/matrix_spec.py),
    opened on school A's own objects by the first actor allowed in, in the matrix's world of two schools."""
    set_clock(monkeypatch, TODAY)
    world = build_world()
    users = world.actors()
    statements: list[tuple[str, str]] = []
    opened = 0
    for pattern in spec.walk():
        entry = spec.MATRIX.get(pattern.name)
        if entry is None or entry.public or entry.get is None:
            continue
        actor = next((a for a in spec.ACTORS if a in entry.get and a != "anonymous"), None)
        if actor is None:
            continue
        client = Client()
        client.force_login(users[actor])
        cache.clear()  # the API's throttles count per minute
        url = reverse(pattern.name, kwargs=spec.kwargs_for(pattern, "own", world.a, world.b))
        responses: list[Any] = []
        sql = capture_sql(lambda c=client, u=url, out=responses: out.append(c.get(u)))
        assert responses[0].status_code < 500, (pattern.name, url, responses[0].status_code)
        opened += 1
        statements += [(f"{pattern.name} as {actor}", statement) for statement in sql]
    assert opened > 100
    allowed = WITHOUT_SCHOOL_ID | WITHOUT_SCHOOL_ID_ELSEWHERE
    offenders, used = without_school(statements, allowed)
    assert offenders == [], "queries of school data without school_id:\n" + "\n".join(offenders)
    assert set(WITHOUT_SCHOOL_ID_ELSEWHERE) <= used, f"unused entries: {set(WITHOUT_SCHOOL_ID_ELSEWHERE) - used}"


# --- the writes: one call of each main write service -----------------------------------------------------------
#
# The same strict rule for what the POST pages do: the SQL of one call of each main write service (a cell saved,
# changed and cleared, a period mark, a class created, a student enrolled, the lessons generated, credentials
# issued, an import committed by the worker). Saving a school-data row by its key also names the school
# (core.models.SchoolScoped._do_update), so Citus routes the UPDATE to one shard.

# Statements of the writes that name no school, each with its reason (a table without a school_id column).
WRITES_WITHOUT_SCHOOL_ID = {
    '"schools_classgroup_class_teachers"': (
        "the class teachers' implicit many-to-many table has no school_id column (KNOWN_OFFENDERS): Django's "
        "ManyRelatedManager reads and writes it by classgroup_id"
    ),
    '"accounts_user"."username"': (
        "a login is unique in the whole installation (people of the region too): a new login is checked against "
        "every school's (accounts_user: a reference table in docs/scaling.md)"
    ),
    # Django's deletion collector looks up what points at a deleted row and deletes by key; the look-up of the row
    # itself names the school (set_homework: homework_of.delete()). A collector that names the school would be
    # Django's own change (or raw deletes that skip the on_delete rules): kept as it is, as in docs/scaling.md.
    '"journal_homeworkattachment"."homework_id" IN (%s) ORDER BY': (
        "the deletion collector: a homework's files (its CASCADE) looked up by the homework's key"
    ),
    'DELETE FROM "journal_homework" WHERE "journal_homework"."id" IN (': (
        "the deletion collector: the homework found by the scoped look-up is deleted by its key"
    ),
}


def write_sql(s: SmallSchool, monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """(service, sql) for one call of each main write service in the small school."""
    set_clock(monkeypatch, TODAY)
    statements: list[tuple[str, str]] = []

    def run(name: str, call: Any) -> Any:
        out: list[Any] = []
        statements.extend((name, sql) for sql in capture_sql(lambda: out.append(call())))
        return out[0]

    kinds = make_kinds(s.school)
    curriculum.set_slot(actor=s.admin, year=s.year, assignment=s.math_5a, weekday=1, number=1)
    run("generate_lessons", lambda: generate_lessons(actor=s.admin, year=s.year))
    lesson = Lesson.objects.filter(assignment=s.math_5a, date__lt=TODAY).order_by("-date")[0]
    student = s.students_5a[0]
    for marks, attendance in ((["4"], ""), (["5", "3"], ""), ([], "Н"), ([], "")):
        run(
            "set_cell_content",
            lambda m=marks, a=attendance: set_cell_content(
                actor=s.teacher, lesson=lesson, student=student, marks=m, attendance=a
            ),
        )
    period = Period.objects.filter(
        scheme__year=s.year, scheme__grade_from=1, start__lte=lesson.date, end__gte=lesson.date
    ).first()
    assert period is not None, lesson.date
    for value in ("4", "5"):
        run(
            "set_period_mark",
            lambda v=value: period_marks.set_period_mark(
                actor=s.teacher, assignment=s.math_5a, student=student, period=period, value=v
            ),
        )
    run(
        "set_cell_content",
        lambda: set_cell_content(actor=s.teacher, lesson=lesson, student=student, marks=["4"], attendance=""),
    )
    run("set_lesson_kind", lambda: journal_lessons.set_lesson_kind(actor=s.teacher, lesson=lesson, kind=kinds["test"]))
    for text in ("Упр. 5", ""):
        run("set_homework", lambda t=text: journal_lessons.set_homework(actor=s.teacher, lesson=lesson, text=t))
    run("close_period", lambda: periods.close_period(actor=s.deputy, period=period))
    run("reopen_period", lambda: periods.reopen_period(actor=s.deputy, period=period, reason="исправление"))
    group = run(
        "create_class",
        lambda: classes.create_class(actor=s.admin, year=s.year, grade=6, letter="Б", class_teachers=[s.teacher]),
    )
    newcomer = s.person("Новенький", "Нил", Role.STUDENT)
    run("enrol", lambda: classes.enrol(actor=s.admin, student=newcomer, class_group=group, start=s.year.start))
    run("issue_credentials", lambda: credentials.issue_credentials(actor=s.admin, class_group=s.class_5a))
    rows = [STUDENTS_HEADER, ["Петров", "Иван", "Сергеевич", "14.03.2015", "м", "5А", ""]]
    batch = run(
        "import upload",
        lambda: imports.upload(
            actor=s.admin, kind="students", file_name="список.csv", data=csv_bytes(rows), year=s.year
        ),
    )
    run("import commit", lambda: imports.request_commit(actor=s.admin, batch=batch))
    batch.refresh_from_db()
    assert batch.status == "committed", batch.report
    return statements


def test_every_query_of_the_main_write_services_names_the_school(
    small_school: SmallSchool, monkeypatch: pytest.MonkeyPatch
) -> None:
    statements = write_sql(small_school, monkeypatch)
    assert {name for name, _ in statements} >= {"set_cell_content", "set_period_mark", "import commit"}
    offenders, used = without_school(statements, WRITES_WITHOUT_SCHOOL_ID)
    assert offenders == [], "writes' queries of school data without school_id:\n" + "\n".join(offenders)
    assert set(WRITES_WITHOUT_SCHOOL_ID) == used, f"unused entries: {set(WRITES_WITHOUT_SCHOOL_ID) - used}"


# --- reports on a read replica (config/settings/replica.py, used by production settings) ------------------------


def test_report_pages_read_from_the_replica_and_everything_writes_to_the_primary(
    monkeypatch: pytest.MonkeyPatch, rf: Any
) -> None:
    from config.settings import replica
    from ejournal.journal.models import Mark

    router = replica.ReportsReplicaRouter()
    assert router.db_for_read(Mark) is None  # no replica configured: Django's default
    monkeypatch.setattr(replica, "configured", lambda: True)
    assert router.db_for_read(Mark) is None  # outside a report
    with replica.on_replica():
        assert router.db_for_read(Mark) == "replica"
        assert router.db_for_write(Mark) == "default"
    assert not router.allow_migrate("replica", "journal") and router.allow_migrate("default", "journal")

    seen: list[str | None] = []

    def view(request: HttpRequest) -> HttpResponse:
        seen.append(router.db_for_read(Mark))
        return HttpResponse()

    middleware = replica.ReportsOnReplicaMiddleware(view)
    for request in (rf.get("/reports/school/"), rf.post("/reports/school/"), rf.get("/journal/")):
        middleware(request)
    assert seen == ["replica", None, None]

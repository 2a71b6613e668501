"""The database's part of a backup, per engine: a consistent copy, its load into an empty database, and the
per-table figures (rows and a checksum of every row, ordered by the primary key) that restore verifies.

SQLite: the online backup API copies the live file page by page under a read lock (WAL lets the web server
go on). PostgreSQL: `pg_dump --format=custom` runs on a snapshot exported by our own REPEATABLE READ
transaction, and the figures are read in that same transaction, so the dump and its figures see the very same
rows even while teachers write. Connections are plain sqlite3/psycopg, not Django's: Django's connection may be
inside a transaction (a request, a test) that the dump must not depend on.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg

from ejournal.archive.errors import ArchiveCode
from ejournal.core.errors import ValidationFailed

SQLITE = "sqlite"
POSTGRESQL = "postgresql"
DUMP_NAME = {SQLITE: "database.sqlite3", POSTGRESQL: "database.pgdump"}


@dataclass(frozen=True)
class TableFigures:
    rows: int
    checksum: str


@dataclass(frozen=True)
class DatabaseFigures:
    tables: dict[str, TableFigures]
    migrations: dict[str, str]  # app -> its last applied migration


def vendor_of(settings_dict: dict[str, Any]) -> str:
    return POSTGRESQL if settings_dict["ENGINE"].endswith("postgresql") else SQLITE


def _hash_rows(rows: Iterable[Any]) -> TableFigures:
    digest, count = hashlib.sha256(), 0
    for row in rows:
        digest.update(repr(tuple(row)).encode() + b"\n")
        count += 1
    return TableFigures(rows=count, checksum=digest.hexdigest())


def _heads(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    heads: dict[str, str] = {}
    for app, name in pairs:
        heads[app] = max(heads.get(app, name), name)
    return dict(sorted(heads.items()))


# SQLite ------------------------------------------------------------------------------------------------------


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def sqlite_figures(path: Path) -> DatabaseFigures:
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        names = [
            row[0]
            for row in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        tables: dict[str, TableFigures] = {}
        for name in names:
            keys = sorted((row[5], row[1]) for row in db.execute(f"PRAGMA table_info({_quote(name)})") if row[5])
            order = ", ".join(_quote(column) for _, column in keys) or "rowid"
            tables[name] = _hash_rows(db.execute(f"SELECT * FROM {_quote(name)} ORDER BY {order}"))
        migrations = {}
        if "django_migrations" in names:
            migrations = _heads(db.execute("SELECT app, name FROM django_migrations"))
        return DatabaseFigures(tables=tables, migrations=migrations)
    finally:
        db.close()


def sqlite_dump(source: sqlite3.Connection, dest: Path) -> DatabaseFigures:
    target = sqlite3.connect(dest)
    try:
        source.backup(target)
    finally:
        target.close()
    return sqlite_figures(dest)


def sqlite_has_schools(path: Path) -> bool:
    if not path.exists() or path.stat().st_size == 0:
        return False
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        found = db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schools_school'").fetchone()
        return bool(found and db.execute("SELECT 1 FROM schools_school LIMIT 1").fetchone())
    finally:
        db.close()


def sqlite_load(dump: Path, path: Path) -> None:
    """Copies the restored database over the (empty) target file with the same backup API."""
    source, target = sqlite3.connect(f"file:{dump}?mode=ro", uri=True), sqlite3.connect(path)
    try:
        source.backup(target)
    finally:
        source.close()
        target.close()


# PostgreSQL --------------------------------------------------------------------------------------------------


def pg_env(settings_dict: dict[str, Any]) -> dict[str, str]:
    """The PG* variables for pg_dump/pg_restore: the password goes by the environment, never the command line."""
    env = dict(os.environ)
    for var, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER"), ("PGPASSWORD", "PASSWORD")):
        if settings_dict.get(key):
            env[var] = str(settings_dict[key])
    env["PGDATABASE"] = settings_dict["NAME"]
    return env


@contextmanager
def pg_connect(settings_dict: dict[str, Any], **options: Any) -> Iterator[psycopg.Connection[Any]]:
    conn = psycopg.connect(
        dbname=settings_dict["NAME"],
        user=settings_dict.get("USER") or None,
        password=settings_dict.get("PASSWORD") or None,
        host=settings_dict.get("HOST") or None,
        port=settings_dict.get("PORT") or None,
        **options,
    )
    try:
        yield conn
    finally:
        conn.close()


def _pg_figures(conn: psycopg.Connection[Any]) -> DatabaseFigures:
    names = [row[0] for row in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")]
    tables: dict[str, TableFigures] = {}
    for name in names:
        keys = [
            row[0]
            for row in conn.execute(
                "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid "
                "AND a.attnum = ANY(i.indkey) WHERE i.indrelid = %s::regclass AND i.indisprimary ORDER BY a.attnum",
                [f"public.{_quote(name)}"],
            )
        ]
        order = ", ".join(_quote(column) for column in keys) or "t::text"
        # The row's own text form: PostgreSQL's canonical rendering, identical after pg_restore.
        with conn.cursor(name=f"figures_{len(tables)}") as cursor:
            cursor.itersize = 5000
            cursor.execute(f"SELECT t::text FROM public.{_quote(name)} AS t ORDER BY {order}")
            tables[name] = _hash_rows(cursor)
    migrations = _heads(conn.execute("SELECT app, name FROM django_migrations")) if "django_migrations" in names else {}
    return DatabaseFigures(tables=tables, migrations=migrations)


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise OSError(f"{what}: {done.stderr.strip()[-500:]}")


def pg_dump(settings_dict: dict[str, Any], dest: Path) -> DatabaseFigures:
    with pg_connect(settings_dict) as conn:
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        conn.read_only = True
        row = conn.execute("SELECT pg_export_snapshot()").fetchone()
        assert row is not None
        _run(
            ["pg_dump", "--format=custom", f"--snapshot={row[0]}", "--file", str(dest), settings_dict["NAME"]],
            pg_env(settings_dict),
            "pg_dump",
        )
        figures = _pg_figures(conn)
        conn.rollback()
    return figures


def pg_has_schools(settings_dict: dict[str, Any]) -> bool:
    with pg_connect(settings_dict) as conn:
        row = conn.execute("SELECT to_regclass('public.schools_school') IS NOT NULL").fetchone()
        return bool(row and row[0] and conn.execute("SELECT 1 FROM schools_school LIMIT 1").fetchone())


def pg_load(dump: Path, settings_dict: dict[str, Any]) -> None:
    """Replaces the (empty) target's public schema with the dump's."""
    with pg_connect(settings_dict, autocommit=True) as conn:
        conn.execute("DROP SCHEMA public CASCADE")
        conn.execute("CREATE SCHEMA public")
    _run(
        ["pg_restore", "--no-owner", "--no-acl", "--exit-on-error", "--dbname", settings_dict["NAME"], str(dump)],
        pg_env(settings_dict),
        "pg_restore",
    )


def pg_figures(settings_dict: dict[str, Any]) -> DatabaseFigures:
    with pg_connect(settings_dict) as conn:
        figures = _pg_figures(conn)
        conn.rollback()
    return figures


def refuse_other_vendor(backup_vendor: str, target_vendor: str) -> None:
    if backup_vendor != target_vendor:
        names = {SQLITE: "SQLite", POSTGRESQL: "PostgreSQL"}
        raise ValidationFailed(
            f"Копия сделана с базы {names.get(backup_vendor, backup_vendor)}, а установка работает на "
            f"{names[target_vendor]}: восстановите её в установку с той же СУБД.",
            code=ArchiveCode.OTHER_DATABASE,
        )

"""Throw-away databases for the benchmarks: a SQLite file in a temporary folder, or a fresh PostgreSQL database.

The runner (`python -m bench`) makes one per benchmark process and passes it in the environment
(EJOURNAL_DB, EJOURNAL_SQLITE or PGDATABASE, EJOURNAL_VAR_DIR and EJOURNAL_BENCH_DB_READY); a benchmark
started alone makes its own through `django_database()`. Either way the development database is never touched
and the throw-away one is removed afterwards.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import psycopg

ENGINES = ("sqlite", "postgres")
READY = "EJOURNAL_BENCH_DB_READY"


def postgres_available() -> bool:
    """PostgreSQL answers at PGHOST (127.0.0.1 unless set)."""
    host = os.environ.get("PGHOST", "127.0.0.1")
    if shutil.which("pg_isready") is None:
        return False
    return subprocess.call(["pg_isready", "-q", "-h", host], stdout=subprocess.DEVNULL) == 0


def _admin_connection() -> psycopg.Connection[Any]:
    import psycopg

    return psycopg.connect(
        host=os.environ.get("PGHOST", "127.0.0.1"),
        port=os.environ.get("PGPORT", "5432"),
        user=os.environ.get("PGUSER", "postgres"),
        password=os.environ.get("PGPASSWORD", ""),
        dbname="postgres",
        autocommit=True,
    )


def create_postgres_database(name: str, *, replace: bool = False) -> None:
    """CREATE DATABASE `name` (dropping an existing one first when `replace`)."""
    with _admin_connection() as conn:
        if replace:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_postgres_database(name: str) -> None:
    with _admin_connection() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def postgres_database_exists(name: str) -> bool:
    with _admin_connection() as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None


def postgres_backends(name: str) -> list[int]:
    """Process ids of the client connections to database `name` (for CPU accounting by the load test)."""
    with _admin_connection() as conn:
        rows = conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND backend_type = 'client backend'", [name]
        ).fetchall()
    return [pid for (pid,) in rows]


@contextmanager
def throwaway(engine: str) -> Iterator[dict[str, str]]:
    """The environment that points the settings at a new empty database of `engine`; removed on exit."""
    if engine not in ENGINES:
        raise ValueError(f"engine: {' or '.join(ENGINES)}")
    folder = tempfile.mkdtemp(prefix="ejournal-bench-")
    env = {"EJOURNAL_DB": engine, "EJOURNAL_VAR_DIR": folder, READY: "1"}
    name = ""
    try:
        if engine == "sqlite":
            env["EJOURNAL_SQLITE"] = os.path.join(folder, "bench.sqlite3")
        else:
            name = f"ejournal_bench_{os.getpid()}_{os.path.basename(folder).rsplit('-', 1)[-1].lower()}"
            create_postgres_database(name)
            env["PGDATABASE"] = name
        yield env
    finally:
        if name:
            drop_postgres_database(name)
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def django_database() -> Iterator[str]:
    """Set Django up (config.settings.bench) on a migrated throw-away database and yield its engine.

    Under the runner the database already exists (EJOURNAL_BENCH_DB_READY); run alone, one is made here
    for EJOURNAL_DB (sqlite by default) and removed afterwards."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")
    engine = os.environ.get("EJOURNAL_DB", "sqlite")
    if os.environ.get(READY):
        _setup()
        yield engine
        return
    with throwaway(engine) as env:
        os.environ.update(env)
        try:
            _setup()
            yield engine
        finally:
            from django.db import connections

            connections.close_all()


def _setup() -> None:
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)

"""`make loadtest`: a bounded, headless quarter-end load test of the production set-up on 127.0.0.1.

1. The PostgreSQL database `ejournal_load` (kept between runs): seeded with the demo generator when missing
   (`--schools`, by default 2; `python -m bench.generate --schools 20 --today YYYY-MM-DD --keep-database
   ejournal_load` makes the municipality of docs/performance.md), then migrated.
2. A Redis of its own on 127.0.0.1:6391 (no persistence) for cache and sessions, and gunicorn with
   config.settings.loadtest (production settings without TLS) on 127.0.0.1:8391.
3. locust, headless (loadtest/locustfile.py): a warm-up (not counted), then a fixed number of signed-in teachers,
   parents and students for a fixed time, then a few people signing in through the form again and again. The
   figures per request type and the app server's CPU per request are printed; servers are stopped afterwards;
   exits non-zero on any failed request.

    .venv/bin/python -m loadtest [--users 30] [--duration 75] [--workers 4]
"""

from __future__ import annotations

import argparse
import csv
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Нагрузочный тест конца четверти (127.0.0.1)")
    parser.add_argument("--database", default="ejournal_load")
    parser.add_argument("--schools", type=int, default=2, help="schools to generate when the database is missing")
    parser.add_argument("--users", type=int, default=30, help="people at once, 5:3:2 teachers:parents:students")
    parser.add_argument("--spawn-rate", type=float, default=2, help="people signing in per second")
    parser.add_argument("--duration", type=int, default=75, help="seconds of measured load")
    parser.add_argument("--warmup", type=int, default=20, help="seconds of load before, not counted")
    parser.add_argument("--sign-in", type=int, default=20, help="seconds of the sign-in run after the load")
    parser.add_argument("--sign-in-users", type=int, default=4, help="people signing in again and again")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--port", type=int, default=8391)
    parser.add_argument("--redis-port", type=int, default=6391)
    args = parser.parse_args(argv)
    bounded = 1 <= args.duration <= 600 and 0 <= args.warmup <= 120 and 1 <= args.sign_in <= 120
    if not bounded or not 1 <= args.users <= 1000 or not 1 <= args.sign_in_users <= 50:
        parser.error("duration 1–600 s, warm-up 0–120 s, sign-in 1–120 s, users 1–1000 and 1–50: the test is bounded")

    from bench.databases import postgres_available, postgres_database_exists

    if not postgres_available():
        print("PostgreSQL does not answer (pg_isready): `make postgres` first")
        return 1
    work = Path(tempfile.mkdtemp(prefix="ejournal-load-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.loadtest",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "EJOURNAL_DB": "postgres",
        "PGDATABASE": args.database,
        "EJOURNAL_REDIS_URL": f"redis://{HOST}:{args.redis_port}/0",
        "EJOURNAL_VAR_DIR": str(work),
        "LOADTEST_PLAN": str(work / "plan.json"),
    }
    servers: list[subprocess.Popen[bytes]] = []
    failures = 1
    try:
        if not postgres_database_exists(args.database):
            print(f"== seeding {args.database}: {args.schools} schools (demo generator)", flush=True)
            today = time.strftime("%Y-%m-%d")
            seed = ["-m", "bench.generate", "--schools", str(args.schools), "--today", today]
            _run([*seed, "--keep-database", args.database], {**env, "DJANGO_SETTINGS_MODULE": "config.settings.bench"})
        _run(["manage.py", "migrate", "--noinput", "-v0"], env)
        servers.append(_start(["redis-server", "--bind", HOST, "--port", str(args.redis_port), "--save", ""], work))
        _run(["-m", "loadtest.prepare", env["LOADTEST_PLAN"], "60", "60", "60"], env)
        gunicorn = [sys.executable, "-m", "gunicorn", "config.wsgi:application", "-b", f"{HOST}:{args.port}"]
        gunicorn += ["-w", str(args.workers), "--preload", "--timeout", "60"]
        gunicorn += ["--error-logfile", str(work / "gunicorn.log")]
        servers.append(_start(gunicorn, work, env))
        _wait_for(f"http://{HOST}:{args.port}/accounts/login/", servers)
        locust = [sys.executable, "-m", "locust", "-f", str(ROOT / "loadtest" / "locustfile.py"), "--headless"]
        locust += ["-r", str(args.spawn_rate), "--host", f"http://{HOST}:{args.port}"]
        locust += ["--only-summary", "--stop-timeout", "5", "--loglevel", "WARNING"]
        people = ["Teacher", "Parent", "Student"]
        if args.warmup:
            # Every worker imports its views and compiles its templates on first use: not the steady state.
            print(f"== warm-up: {args.warmup} s, not counted", flush=True)
            _locust([*locust, "-u", str(args.users), "-t", f"{args.warmup}s", *people], env, work, "warmup")
        load_before = os.getloadavg()[0]
        master = servers[-1].pid
        print(f"== quarter end: {args.users} signed-in people for {args.duration} s, gunicorn {args.workers} workers")
        before = _cpu_seconds(master, args.database)
        _locust([*locust, "-u", str(args.users), "-t", f"{args.duration}s", *people], env, work, "load")
        failures = _report(work / "load_stats.csv", _minus(_cpu_seconds(master, args.database), before))
        print(f"== sign-in through the form (Argon2): {args.sign_in_users} people for {args.sign_in} s")
        before = _cpu_seconds(master, args.database)
        _locust([*locust, "-u", str(args.sign_in_users), "-t", f"{args.sign_in}s", "SigningIn"], env, work, "signin")
        failures += _report(work / "signin_stats.csv", _minus(_cpu_seconds(master, args.database), before))
        _machine(args, load_before)
    finally:
        for server in reversed(servers):
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
        log = work / "gunicorn.log"
        if failures or (log.exists() and "Traceback" in log.read_text(errors="replace")):
            print(f"server logs kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 1 if failures else 0


def _run(command: list[str], env: dict[str, str]) -> None:
    subprocess.run([sys.executable, *command], cwd=ROOT, env=env, check=True)


def _start(command: list[str], work: Path, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    out = open(work / f"{Path(command[0]).name}-{len(os.listdir(work))}.out", "wb")  # noqa: SIM115
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)


def _wait_for(url: str, servers: list[subprocess.Popen[bytes]], seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while True:
        if any(server.poll() is not None for server in servers):
            raise RuntimeError("a server stopped while starting")
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                if response.status == 200:
                    return
        except OSError as exc:
            if time.monotonic() > deadline:
                raise RuntimeError(f"the server did not answer at {url}: {exc}") from None
        time.sleep(0.5)


def _locust(command: list[str], env: dict[str, str], work: Path, name: str) -> None:
    with (work / f"{name}.out").open("wb") as out:
        subprocess.call([*command, "--csv", str(work / name)], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)


def _cpu_seconds(master: int, database: str) -> tuple[float, float]:
    """User + system CPU seconds so far of the gunicorn workers (the master's children) and of the PostgreSQL
    backends serving `database` (persistent connections: one per worker)."""
    from bench.databases import postgres_backends

    workers = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return _proc_cpu(workers), _proc_cpu(postgres_backends(database))


def _minus(after: tuple[float, float], before: tuple[float, float]) -> tuple[float, float]:
    return after[0] - before[0], after[1] - before[1]


def _proc_cpu(pids: list[str] | list[int]) -> float:
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick
    return total


def _report(path: Path, cpu: tuple[float, float]) -> int:
    """Print requests/s, p50, p95 and failures per request type; return the failures (1 if nothing ran)."""
    if not path.exists():
        print(f"locust wrote no figures ({path.name})")
        return 1
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    print(f"{'request':<24} {'count':>7} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'failed':>6}")
    failures, total = 0, 0
    for row in rows:
        name = "total" if row["Name"] == "Aggregated" else row["Name"]
        count, failed = int(row["Request Count"]), int(row["Failure Count"])
        if name != "total":
            failures += failed
            total += count
        print(
            f"{name:<24} {count:>7} {float(row['Requests/s']):>7.1f} {row['50%']:>7} {row['95%']:>7} "
            f"{row['99%']:>7} {failed:>6}"
        )
    if total:
        app, db = cpu
        print(
            f"CPU for {total} requests: app server {app:.1f} s = {1000 * app / total:.0f} ms a request, "
            f"PostgreSQL {db:.1f} s = {1000 * db / total:.0f} ms a request"
        )
    print("== no errors" if failures == 0 and total else f"== {failures} failed requests of {total}")
    return failures if total else 1


def _machine(args: argparse.Namespace, load_before: float) -> None:
    print(
        f"machine: {os.cpu_count()} cores shared by gunicorn ({args.workers} workers), PostgreSQL, Redis and "
        f"locust; load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after"
    )


if __name__ == "__main__":
    sys.exit(main())

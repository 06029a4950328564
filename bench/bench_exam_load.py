"""Exam load: many learners sitting Foundation mock exams at once through the API.

For each database (a fresh SQLite file, and a fresh PostgreSQL database on 127.0.0.1:5432
when it answers), the bundled banks are loaded, learners with API tokens are created, the
tables are analysed, and gunicorn serves the app with several worker processes (each
warms its caches as it starts: gunicorn.conf.py). Client load comes from two
processes of threads, one thread per learner, over plain HTTP. Three phases:

1. healthz: every learner's thread calls GET /healthz (one `SELECT 1`) back to back for
   a few seconds: the throughput of a trivial endpoint on this machine.
2. journey: every learner starts a Foundation mock exam in the same instant (the start
   burst: every thread waits for one agreed moment, then fires), saves an answer to each
   of its 40 items with a short pause (0 to `--think` seconds) between answers, submits
   twice (the second submit must return the same result) and reads the result. Latency of
   every request kind is recorded; the burst's starts are reported with p50/p95/max and how
   far apart they were fired.
3. autosave saturation: every learner starts a practice set and saves answers back to
   back for a few seconds, changing them as it goes: the autosave throughput, reported as
   a ratio to phase 1's.

Afterwards the database is read directly: the last acknowledged answer to every item
must be stored with exactly the value sent. Targets: zero errors, zero lost answers,
start-burst p95 under 300 ms, autosave p95 under 100 ms (journey phase), autosave/healthz
throughput ratio at least 0.4.

    .venv/bin/python bench/bench_exam_load.py [--db sqlite|postgresql|both] [--learners 50]
        [--workers N] [--seconds 8] [--think 0.5]

The workers default to gunicorn.conf.py's (one per core, or WEB_CONCURRENCY).
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PG_ADMIN_URL = os.environ.get("BENCH_PG_ADMIN", "postgresql://postgres@127.0.0.1:5432/test")
PG_BENCH_DB = "clausewise_bench"
TARGET_P95_MS = 100.0
TARGET_START_P95_MS = 300.0
BURST_LEAD_S = 1.5  # time for the client processes to start their threads before the burst
TARGET_RATIO = 0.4
CLIENT_PROCESSES = 2

# --- set-up ---------------------------------------------------------------------------------


def prepare_database(url: str, learners: int, token_file: Path) -> None:
    """Migrate, load reference data and the bundled banks, create learners and tokens."""
    from flask_migrate import upgrade

    from app import create_app
    from app.cli.setup import _load_bundled_banks
    from app.extensions import db
    from app.models import SYSTEM, Role
    from app.services import tokens, users
    from app.services.reference import load_reference_data

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
    with app.app_context():
        upgrade()
        load_reference_data(ROOT / "question_banks")
        _load_bundled_banks()
        plain = []
        for n in range(learners):
            email = f"learner{n:03d}@bench.example"
            user = users.create_user(
                SYSTEM, email, f"Learner {n}", "correct-horse-battery-42", {Role.LEARNER}
            )
            plain.append(tokens.create_token(user, "bench")[1])
        db.session.commit()
        analyze(db.engine)
    token_file.write_text(json.dumps(plain))


def analyze(engine: Any) -> None:
    """Gather planner statistics (and on PostgreSQL vacuum) after the bulk load, as a
    database in service has long had: otherwise autovacuum works through the freshly
    loaded tables during the first phases and their plans start from no statistics."""
    from sqlalchemy import text

    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE" if engine.dialect.name == "postgresql" else "ANALYZE"))
    engine.dispose()


def fresh_postgres(name: str = PG_BENCH_DB) -> str | None:
    """Drop and create the bench database `name`; its URL, or None when PostgreSQL does
    not answer."""
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            conn.execute(f"CREATE DATABASE {name}")
    except Exception as error:  # report and skip: the SQLite run still means something
        print(f"  PostgreSQL not available ({type(error).__name__}: {error}); skipped")
        return None
    return PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"


def free_port() -> int:
    """A TCP port nobody listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def default_workers() -> int:
    """The worker count gunicorn.conf.py gives a server on this machine."""
    import runpy

    return int(runpy.run_path(str(ROOT / "gunicorn.conf.py"))["workers"])


def start_gunicorn(url: str, workers: int, port: int, log: Any = None) -> subprocess.Popen:
    """gunicorn serving wsgi:app (its log to `log`, a file, if given); returns once /healthz
    answers."""
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SECRET_KEY": "bench-secret-key",
        "APP_ENV": "production",
    }
    command = [str(Path(sys.executable).parent / "gunicorn"), "--workers", str(workers)]
    command += ["--bind", f"127.0.0.1:{port}", "--backlog", "512", "--log-level", "warning"]
    server = subprocess.Popen([*command, "wsgi:app"], cwd=ROOT, env=env, stderr=log)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if request(port, "GET", "/healthz")[0] == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not start")


# --- the client -----------------------------------------------------------------------------


def request(
    port: int, method: str, path: str, token: str | None = None, body: Any = None
) -> tuple[int, Any]:
    """One HTTP request on a new connection (gunicorn's sync workers close them)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    data = None
    if body is not None:
        data = json.dumps(body)
        headers["Content-Type"] = "application/json"
    try:
        conn.request(method, path, body=data, headers=headers)
        reply = conn.getresponse()
        raw = reply.read()
    finally:
        conn.close()
    return reply.status, json.loads(raw) if raw else None


class Recorder:
    """Latencies by request kind, errors, and the last acknowledged answer per item."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latency: dict[str, list[float]] = {}
        self.errors: list[str] = []
        self.acked: dict[tuple[int, int], Any] = {}
        self.fired: list[float] = []  # wall-clock moments the burst's requests were sent
        self.count = 0

    def call(self, port: int, kind: str, method: str, path: str, token: str, body: Any = None):
        """Make a request, time it, and note a non-2xx reply as an error."""
        started = time.perf_counter()
        try:
            status, reply = request(port, method, path, token, body)
        except OSError as error:
            status, reply = 0, {"error": str(error)}
        elapsed = (time.perf_counter() - started) * 1000
        with self.lock:
            self.latency.setdefault(kind, []).append(elapsed)
            self.count += 1
            if not 200 <= status < 300:
                self.errors.append(f"{kind} {method} {path}: {status} {reply}")
        return status, reply

    def figures(self) -> dict[str, Any]:
        """Plain data to send back to the parent process."""
        return {
            "latency": self.latency,
            "errors": self.errors,
            "acked": list(self.acked.items()),
            "fired": self.fired,
        }


def answer_for(item: dict[str, Any], rng: random.Random) -> Any:
    """A plausible answer in the shape the API stores: an option id, a list, or a bool."""
    question = item["question"]
    if question["type"] == "true_false":
        return rng.random() < 0.5
    ids = [o["id"] for o in question["options"]]
    if question["type"] == "multiple_response":
        return sorted(rng.sample(ids, 2))
    return rng.choice(ids)


def journey(port: int, token: str, think: float, seed: int, rec: Recorder) -> None:
    """Start a mock exam at the burst's moment, answer every item, submit twice, read the
    result."""
    rng = random.Random(seed)
    body = {"scheme": "foundation", "mode": "mock"}
    with rec.lock:
        rec.fired.append(time.time())
    status, attempt = rec.call(port, "start", "POST", "/api/v1/attempts", token, body)
    if status != 201:
        return
    for item in attempt["items"]:
        time.sleep(rng.uniform(0, think))
        value = answer_for(item, rng)
        path = f"/api/v1/attempts/{attempt['id']}/responses/{item['position']}"
        if rec.call(port, "autosave", "PUT", path, token, {"response": value})[0] == 200:
            rec.acked[(attempt["id"], item["position"])] = value
    submit = f"/api/v1/attempts/{attempt['id']}/submit"
    first = rec.call(port, "submit", "POST", submit, token)[1]
    second = rec.call(port, "submit", "POST", submit, token)[1]
    if first != second:
        with rec.lock:
            rec.errors.append(f"attempt {attempt['id']}: the second submit changed the result")
    rec.call(port, "result", "GET", f"/api/v1/attempts/{attempt['id']}/result", token)


def saturate(port: int, token: str, seconds: float, seed: int, rec: Recorder) -> None:
    """Save answers to a practice set back to back until the time is up."""
    rng = random.Random(seed)
    body = {"scheme": "foundation", "mode": "practice", "count": 40}
    status, attempt = rec.call(port, "start", "POST", "/api/v1/attempts", token, body)
    if status != 201:
        return
    items = attempt["items"]
    end = time.monotonic() + seconds
    n = 0
    while time.monotonic() < end:
        item = items[n % len(items)]
        n += 1
        value = answer_for(item, rng)
        path = f"/api/v1/attempts/{attempt['id']}/responses/{item['position']}"
        if rec.call(port, "autosave", "PUT", path, token, {"response": value})[0] == 200:
            rec.acked[(attempt["id"], item["position"])] = value


def health(port: int, _token: str, seconds: float, _seed: int, rec: Recorder) -> None:
    """GET /healthz back to back until the time is up."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        rec.call(port, "healthz", "GET", "/healthz", "")


PHASES = {"journey": journey, "saturate": saturate, "health": health}


def at_moment(moment: float, phase: Any, *args: Any) -> None:
    """Wait until the wall-clock `moment` (shared by every client process), then run."""
    time.sleep(max(0.0, moment - time.time()))
    phase(*args)


def client_process(args: tuple[str, int, list[str], float, int, float]) -> dict[str, Any]:
    """One client process: a thread per learner running the phase from the same moment;
    returns its records."""
    phase, port, tokens, parameter, offset, moment = args
    rec = Recorder()
    threads = [
        threading.Thread(
            target=at_moment, args=(moment, PHASES[phase], port, t, parameter, offset + i, rec)
        )
        for i, t in enumerate(tokens)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return rec.figures()


def run_phase(
    pool: Any, phase: str, port: int, tokens: list[str], parameter: float
) -> tuple[dict[str, Any], float]:
    """Run a phase over all learners in the client processes; merged records and seconds."""
    shares = [tokens[i::CLIENT_PROCESSES] for i in range(CLIENT_PROCESSES)]
    moment = time.time() + BURST_LEAD_S
    jobs = [(phase, port, share, parameter, 1000 * i, moment) for i, share in enumerate(shares)]
    parts = pool.map(client_process, jobs)
    elapsed = time.time() - moment
    merged: dict[str, Any] = {"latency": {}, "errors": [], "acked": [], "fired": []}
    for part in parts:
        for kind, values in part["latency"].items():
            merged["latency"].setdefault(kind, []).extend(values)
        merged["errors"] += part["errors"]
        merged["acked"] += part["acked"]
        merged["fired"] += part["fired"]
    return merged, elapsed


# --- checks and figures ---------------------------------------------------------------------


def stored_answers(url: str) -> dict[tuple[int, int], Any]:
    """(attempt id, position) → the stored answer as the learner sent it (public ids)."""
    from app import create_app
    from app.extensions import db
    from app.models import Attempt
    from app.queries import attempts as attempt_views

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
    stored = {}
    with app.app_context():
        for attempt in db.session.scalars(db.select(Attempt)):
            for view in attempt_views.item_views(attempt, reveal=False):
                if view.answered:
                    stored[(attempt.id, view.position)] = view.response
        for engine in db.engines.values():
            engine.dispose()
    return stored


def lost_answers(url: str, acked: list[tuple[tuple[int, int], Any]]) -> int:
    """How many acknowledged answers the database does not hold with the value sent."""
    stored = stored_answers(url)
    return sum(1 for key, value in acked if stored.get(tuple(key)) != value)


def pct(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


def latency_line(kind: str, values: list[float]) -> str:
    """p50/p95/p99 of one request kind."""
    return (
        f"    {kind:9} n={len(values):5}  p50 {pct(values, 0.50):6.1f} ms  "
        f"p95 {pct(values, 0.95):6.1f} ms  p99 {pct(values, 0.99):6.1f} ms"
    )


def bench_database(name: str, url: str, args: argparse.Namespace, pool: Any) -> bool:
    """Set up, serve, run the three phases, check the database; True when targets are met."""
    print(f"{name}: {args.learners} learners, gunicorn --workers {args.workers}")
    with tempfile.TemporaryDirectory() as tmp:
        token_file = Path(tmp) / "tokens.json"
        child = [sys.executable, __file__, "--prepare", url, str(token_file)]
        subprocess.run([*child, "--learners", str(args.learners)], check=True, cwd=ROOT)
        tokens = json.loads(token_file.read_text())
        port = free_port()
        server = start_gunicorn(url, args.workers, port)
        try:
            health_rec, _ = run_phase(pool, "health", port, tokens, args.seconds)
            journey_rec, journey_s = run_phase(pool, "journey", port, tokens, args.think)
            sat_rec, _ = run_phase(pool, "saturate", port, tokens, args.seconds)
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
    health_rps = len(health_rec["latency"]["healthz"]) / args.seconds
    saves = sat_rec["latency"].get("autosave", [])
    autosave_rps = len(saves) / args.seconds
    journey_requests = sum(len(v) for v in journey_rec["latency"].values())
    errors = health_rec["errors"] + journey_rec["errors"] + sat_rec["errors"]
    acked = journey_rec["acked"] + sat_rec["acked"]
    lost = lost_answers(url, acked)
    journey_saves = journey_rec["latency"].get("autosave", [0.0])
    p95 = pct(journey_saves, 0.95)
    ratio = autosave_rps / health_rps
    starts = journey_rec["latency"].get("start", [0.0])
    fired = journey_rec["fired"] or [0.0]
    start_p95 = pct(starts, 0.95)
    start_ok = start_p95 < TARGET_START_P95_MS and len(starts) == args.learners
    print(f"  healthz      {health_rps:7.1f} requests/s ({args.learners} clients back to back)")
    print(
        f"  journey      {journey_requests} requests in {journey_s:.1f} s "
        f"({journey_requests / journey_s:.1f}/s), pause 0-{args.think:g} s between answers"
    )
    for kind in ("start", "autosave", "submit", "result"):
        print(latency_line(kind, journey_rec["latency"].get(kind, [0.0])))
    print(
        f"  start burst  {len(starts)} mock starts fired within {max(fired) - min(fired):.3f} s: "
        f"p50 {pct(starts, 0.50):.1f} ms  p95 {start_p95:.1f} ms  max {max(starts):.1f} ms  "
        f"(target p95 < {TARGET_START_P95_MS:.0f} ms: {'PASS' if start_ok else 'FAIL'})"
    )
    print(
        f"  saturation   {autosave_rps:7.1f} autosaves/s back to back "
        f"(p95 {pct(saves or [0.0], 0.95):.1f} ms): ratio to healthz {ratio:.2f}"
    )
    print(f"  errors {len(errors)}; acknowledged answers {len(acked)}, lost {lost}")
    for line in errors[:5]:
        print(f"    {line}")
    ok = not errors and lost == 0 and p95 < TARGET_P95_MS and ratio >= TARGET_RATIO
    ok = ok and start_ok
    print(
        f"  {'OK' if ok else 'MISSED TARGET'} (targets: 0 errors, 0 lost, start p95 < "
        f"{TARGET_START_P95_MS:.0f} ms, autosave p95 < {TARGET_P95_MS:.0f} ms, "
        f"ratio >= {TARGET_RATIO})"
    )
    return ok


def main() -> None:
    """Run the benchmark on the chosen databases and exit 1 if a target is missed."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--learners", type=int, default=50)
    parser.add_argument("--workers", type=int, default=default_workers())
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--think", type=float, default=0.5)
    parser.add_argument("--prepare", nargs=2)
    args = parser.parse_args()
    if args.prepare:
        prepare_database(args.prepare[0], args.learners, Path(args.prepare[1]))
        return
    ok = True
    with multiprocessing.get_context("spawn").Pool(CLIENT_PROCESSES) as pool:
        if args.db in ("sqlite", "both"):
            with tempfile.TemporaryDirectory() as tmp:
                url = f"sqlite:///{tmp}/bench.sqlite"
                ok &= bench_database("SQLite", url, args, pool)
        if args.db in ("postgresql", "both"):
            url = fresh_postgres()
            if url is not None:
                ok &= bench_database("PostgreSQL", url, args, pool)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()

"""Faults under load: 50 learners sit mock exams while a worker dies and PostgreSQL restarts.

A fresh PostgreSQL database gets the bundled banks and learners with API tokens; gunicorn
serves it with several workers. Every learner starts a Foundation mock exam and answers
its items one after another, as the exam page does: an answer that meets a 503 or a
dropped connection is sent again (after Retry-After) until the server acknowledges it.
During the run one gunicorn worker is killed (SIGKILL) and then PostgreSQL is restarted.
At the end every learner submits, and the database is read directly.

Printed: acknowledged answers; lost ones (acknowledged, then not stored with the value
sent, or stored but left unscored by the submit); replies by status during the run;
connections dropped by the killed worker; and recovery: seconds from PostgreSQL
accepting connections again to the first acknowledged answer after the restart.
Targets: 0 lost, and every error reply a 503 (no 500, no other status).

Restarting PostgreSQL disturbs anything else using it: run this on a machine of your own.

    .venv/bin/python bench/bench_faults.py [--learners 50] [--workers 4]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

from bench_exam_load import (  # noqa: E402
    answer_for,
    free_port,
    fresh_postgres,
    request,
    start_gunicorn,
    stored_answers,
)

KILL_AT = 6.0  # seconds into the run
RESTART_AT = 14.0
RUN_FOR = 30.0


class Tally:
    """What the learners saw, shared by their threads."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.statuses: Counter[int] = Counter()
        self.dropped = 0
        self.acked: dict[tuple[int, int], Any] = {}
        self.ack_times: list[float] = []
        self.unavailable_times: list[float] = []
        self.attempts: list[tuple[str, int]] = []

    def note(self, status: int, at: float) -> None:
        with self.lock:
            if status == 0:
                self.dropped += 1
            else:
                self.statuses[status] += 1
            if status == 200:
                self.ack_times.append(at)
            elif status in (0, 503):
                self.unavailable_times.append(at)


def call(port: int, method: str, path: str, token: str, body: Any, tally: Tally, start: float):
    """One request, retried on 503 and dropped connections as the exam page retries."""
    delay = 0.5
    while True:
        try:
            status, reply = request(port, method, path, token, body)
        except OSError:
            status, reply = 0, None
        tally.note(status, time.monotonic() - start)
        if status not in (0, 503):
            return status, reply
        time.sleep(delay)
        delay = min(delay * 2, 4.0)


def learner(port: int, token: str, seed: int, tally: Tally, start: float) -> None:
    """Start a mock exam and keep changing answers until the run ends."""
    rng = random.Random(seed)
    status, attempt = call(
        port, "POST", "/api/v1/attempts", token, {"scheme": "foundation"}, tally, start
    )
    if status != 201:
        return
    with tally.lock:
        tally.attempts.append((token, attempt["id"]))
    items = attempt["items"]
    n = 0
    while time.monotonic() - start < RUN_FOR:
        item = items[n % len(items)]
        n += 1
        value = answer_for(item, rng)
        path = f"/api/v1/attempts/{attempt['id']}/responses/{item['position']}"
        status, _ = call(port, "PUT", path, token, {"response": value}, tally, start)
        if status == 200:
            with tally.lock:
                tally.acked[(attempt["id"], item["position"])] = value
        time.sleep(rng.uniform(0.05, 0.3))


def kill_a_worker(server: subprocess.Popen) -> int:
    """SIGKILL one of gunicorn's workers; returns its pid."""
    children = subprocess.run(
        ["pgrep", "-P", str(server.pid)], capture_output=True, text=True, check=True
    ).stdout.split()
    victim = int(children[0])
    os.kill(victim, signal.SIGKILL)
    return victim


def restart_postgres(url: str) -> tuple[float, float, float]:
    """Restart the local cluster while probing it every 20 ms; returns monotonic times of
    the first refused probe, the first accepted probe after it, and the restart's end."""
    import psycopg

    version = sorted(os.listdir("/etc/postgresql"))[-1]
    command = ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"]
    restart = subprocess.Popen(command)
    down = up = None
    while up is None or restart.poll() is None:
        try:
            psycopg.connect(url, connect_timeout=1).close()
            if down is not None and up is None:
                up = time.monotonic()
        except psycopg.OperationalError:
            if down is None:
                down = time.monotonic()
        time.sleep(0.02)
    if restart.returncode:
        raise SystemExit("pg_ctlcluster restart failed")
    ended = time.monotonic()
    return (down or ended), (up or ended), ended


def unscored(url: str) -> int:
    """Stored answers of closed attempts without a score (the submit left them out)."""
    import psycopg

    with psycopg.connect(url) as conn:
        return conn.execute(
            "SELECT count(*) FROM responses r JOIN attempt_items i ON i.id = r.item_id"
            " JOIN attempts a ON a.id = i.attempt_id"
            " WHERE a.status <> 'open' AND r.score IS NULL"
        ).fetchone()[0]


def main() -> None:
    """Run the fault scenario and exit 1 if a target is missed."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--learners", type=int, default=50)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()
    url = fresh_postgres()
    if url is None:
        raise SystemExit("PostgreSQL is needed")
    with tempfile.TemporaryDirectory() as tmp:
        token_file = Path(tmp) / "tokens.json"
        prepare = [sys.executable, str(ROOT / "bench" / "bench_exam_load.py"), "--prepare"]
        prepare += [url, str(token_file), "--learners", str(args.learners)]
        subprocess.run(prepare, check=True, cwd=ROOT)
        tokens = json.loads(token_file.read_text())
    with tempfile.NamedTemporaryFile("w+", prefix="gunicorn-", suffix=".log") as log:
        tally, faults = run_with_faults(url, args, tokens, log)
        log.seek(0)
        server_log = log.read()
    report(url, args, tally, faults, server_log)


def run_with_faults(url: str, args, tokens: list[str], log) -> tuple[Tally, tuple]:
    """Serve, let the learners work, kill a worker, restart PostgreSQL, submit."""
    port = free_port()
    server = start_gunicorn(url, args.workers, port, log=log)
    tally = Tally()
    start = time.monotonic()
    threads = [
        threading.Thread(target=learner, args=(port, token, n, tally, start))
        for n, token in enumerate(tokens)
    ]
    try:
        for thread in threads:
            thread.start()
        time.sleep(KILL_AT)
        victim = kill_a_worker(server)
        time.sleep(RESTART_AT - KILL_AT)
        psycopg_url = url.replace("postgresql+psycopg://", "postgresql://")
        down, up, _ = restart_postgres(psycopg_url)
        for thread in threads:
            thread.join()
        for token, attempt_id in tally.attempts:
            path = f"/api/v1/attempts/{attempt_id}/submit"
            call(port, "POST", path, token, None, tally, start)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    return tally, (victim, down - start, up - start)


def report(url: str, args, tally: Tally, faults: tuple[int, float, float], server_log: str):
    """Print the figures and exit 1 if a target is missed."""
    victim, down, up = faults
    psycopg_url = url.replace("postgresql+psycopg://", "postgresql://")
    stored = stored_answers(url)
    lost_values = sum(1 for key, value in tally.acked.items() if stored.get(key) != value)
    left_unscored = unscored(psycopg_url)
    errors = {s: n for s, n in tally.statuses.items() if s >= 400}
    bad = {s: n for s, n in errors.items() if s != 503}
    outage = [t for t in tally.unavailable_times if t >= RESTART_AT]
    if outage:
        first_ack = min((t for t in tally.ack_times if t > max(outage)), default=float("inf"))
        window = f"{min(outage):.2f} s to {max(outage):.2f} s into the run"
        recovered = first_ack - up
    else:
        window, recovered = "none seen", 0.0
    tracebacks = server_log.count("Traceback")
    print(f"PostgreSQL: {args.learners} learners, gunicorn --workers {args.workers}")
    print(f"  worker {victim} killed (SIGKILL) at {KILL_AT:.0f} s")
    print(f"  PostgreSQL restart at {RESTART_AT:.0f} s: refusing connections from {down:.2f} s,")
    print(f"    accepting again at {up:.2f} s (down {up - down:.2f} s)")
    print(f"  replies by status {dict(sorted(tally.statuses.items()))}")
    print(f"  connections dropped {tally.dropped}")
    print(f"  acknowledged answers {len(tally.acked)} (last value per item)")
    print(f"  lost: {lost_values} not stored as sent, {left_unscored} stored but unscored")
    print(f"  errors {sum(errors.values())}, of which not 503: {sum(bad.values())}")
    print(f"  503s or drops during the restart: {window}")
    print(f"  recovery: next acknowledged answer {recovered:.2f} s after PostgreSQL accepted")
    print(f"  server log: {tracebacks} tracebacks")
    ok = lost_values == 0 and left_unscored == 0 and not bad and recovered < 10
    print(f"  {'OK' if ok else 'MISSED TARGET'} (targets: 0 lost, every error a 503)")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()

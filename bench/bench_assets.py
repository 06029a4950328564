"""Bank files at scale: a 10,000-question Moodle XML export with 100 images.

Prints the file's size, the import time, the time a learner's request for a file takes
in the access check (the service, no HTTP), and the export and re-read of the bank. No
target was set for files (issue 18); the figures show the cost of keeping them.

    .venv/bin/python bench/bench_assets.py [--questions N] [--images K] [--db URL]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_import import make_bank  # noqa: E402


def _png(seed: int) -> bytes:
    """A small PNG whose pixels differ with `seed` (about 2 KB)."""
    import struct
    import zlib

    raw = b"".join(b"\x00" + bytes((seed * 7 + x) % 256 for x in range(96)) for _ in range(24))

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        return struct.pack(">I", len(data)) + kind + data + crc

    header = struct.pack(">IIBBBBB", 32, 24, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + (chunk(b"IEND", b""))
    )


def bank_with_images(n: int, k: int):
    """The import benchmark's bank, with every (n // k)-th stem showing one of k images."""
    from app.domain.assets import AssetRecord

    bank = make_bank(n)
    step = max(1, n // k)
    for i in range(k):
        bank.questions[i * step].stem += f"\n\n![figure {i}](asset:figure-{i}.png)"
        bank.assets.append(AssetRecord(f"figure-{i}.png", "image/png", _png(i)))
    return bank


def main() -> None:
    """Import, serve and export; print the figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--questions", type=int, default=10_000)
    parser.add_argument("--images", type=int, default=100)
    parser.add_argument("--db", default="")
    args = parser.parse_args()

    from flask_migrate import upgrade

    from app import create_app, formats
    from app.extensions import db
    from app.models import SYSTEM, Bank, Role, User
    from app.services import bank_assets
    from app.services.bank_import import ImportOptions, import_files
    from app.services.reference import load_reference_data

    with tempfile.TemporaryDirectory() as tmp:
        url = args.db or f"sqlite:///{tmp}/assets.sqlite"
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
        with app.app_context():
            upgrade()
            load_reference_data(ROOT / "question_banks")
            data = formats.write_bank(bank_with_images(args.questions, args.images), "moodlexml")
            started = time.perf_counter()
            report = import_files(SYSTEM, [("bench.xml", data.data)], ImportOptions(publish=True))
            imported = time.perf_counter() - started
            assert report.written, report.errors
            bank = db.session.scalars(db.select(Bank)).one()
            learner = User(email="bench@clausewise.test", display_name="Bench")
            learner.password_hash = "!"  # noqa: S105 - no password: nobody signs in as it
            db.session.add(learner)
            db.session.flush()
            learner.set_roles({Role.LEARNER})
            db.session.commit()
            times = []
            for i in range(200):
                started = time.perf_counter()
                bank_assets.asset_for(learner, bank.id, f"figure-{i % args.images}.png")
                times.append(time.perf_counter() - started)
            started = time.perf_counter()
            from app.queries import banks as bank_queries

            record = bank_queries.bank_record(bank.code)
            assert record is not None
            exported = formats.write_bank(record, "moodlexml").data
            again = formats.read_file(exported, "again.xml")
            round_trip = time.perf_counter() - started
    p50 = statistics.median(times) * 1000
    p95 = sorted(times)[int(len(times) * 0.95)] * 1000
    print(f"bench_assets: {args.questions} questions, {args.images} images, {url.split(':')[0]}")
    print(f"  Moodle XML file {len(data.data) / 1e6:5.1f} MB   import {imported:5.2f} s")
    print(f"  learner's access check per file: p50 {p50:6.1f} ms  p95 {p95:6.1f} ms")
    print(
        f"  export + re-read {round_trip:5.2f} s ({len(exported) / 1e6:.1f} MB, "
        f"{len(again.bank.assets)} files back)"
    )


if __name__ == "__main__":
    main()

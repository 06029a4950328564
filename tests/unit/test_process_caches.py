"""The per-process caches of the published pool and the version meta: one entry, replaced
when the fingerprint changes, safe to share between threads."""

from __future__ import annotations

import threading

import pandas as pd
import pytest

from app.analytics import answers
from app.queries import banks


@pytest.fixture
def loads(app, monkeypatch):
    """Count the loads behind both caches, which start and end empty."""
    counted: list[str] = []

    def pool() -> tuple[list, dict[str, int]]:
        counted.append("pool")
        return [object()], {}

    def meta(ids: list[int]) -> pd.DataFrame:
        counted.append("meta")
        return pd.DataFrame({"id": ids}, dtype=int)

    monkeypatch.setattr(banks, "_load_published_pool", pool)
    monkeypatch.setattr(answers, "_version_meta", meta)
    for cached in (banks._pool_at, answers._all_version_meta_at):
        cached.cache_clear()
    yield counted
    for cached in (banks._pool_at, answers._all_version_meta_at):
        cached.cache_clear()


def test_the_pool_is_loaded_once_per_fingerprint_and_only_the_last_is_kept(loads):
    first = banks._pool_at(("db", 1))
    assert banks._pool_at(("db", 1)) is first and loads == ["pool"]
    second = banks._pool_at(("db", 2))
    assert second is not first and len(banks._POOL_CACHE) == 1
    assert banks._pool_at(("db", 1)) is not first and loads == ["pool"] * 3


def test_the_version_meta_is_built_once_per_fingerprint_and_only_the_last_is_kept(loads):
    first = answers._all_version_meta_at((2, 2))
    assert answers._all_version_meta_at((2, 2)) is first and loads == ["meta"]
    answers._all_version_meta_at((3, 3))
    assert len(answers._META) == 1 and loads == ["meta"] * 2


def test_threads_changing_the_fingerprint_share_the_cache_safely(app, loads):
    failures: list[BaseException] = []

    def hammer(offset: int) -> None:
        try:
            with app.app_context():
                for n in range(100):
                    banks._pool_at(("db", (n + offset) % 3))
                    answers._all_version_meta_at(((n + offset) % 3, 0))
        except BaseException as error:  # reported by the assertion below
            failures.append(error)

    threads = [threading.Thread(target=hammer, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures and len(banks._POOL_CACHE) == len(answers._META) == 1


def test_the_fingerprint_is_asked_at_most_once_per_recheck_window(app, monkeypatch):
    """With POOL_RECHECK_SECONDS set, a worker asks the database whether the pool changed
    once per window, and again as soon as the window is over; 0 asks every time."""
    asked: list[int] = []
    clock = [100.0]

    def fingerprint() -> tuple[int]:
        asked.append(1)
        return (len(asked),)

    monkeypatch.setattr(banks, "_pool_fingerprint", fingerprint)
    monkeypatch.setattr(banks.time, "monotonic", lambda: clock[0])
    monkeypatch.setattr(banks, "_LAST_FINGERPRINT", [])
    monkeypatch.setitem(app.config, "POOL_RECHECK_SECONDS", 1.0)
    assert banks._recent_fingerprint() == (1,)
    clock[0] += 0.9
    assert banks._recent_fingerprint() == (1,) and len(asked) == 1
    clock[0] += 0.2
    assert banks._recent_fingerprint() == (2,) and len(asked) == 2
    monkeypatch.setitem(app.config, "POOL_RECHECK_SECONDS", 0)
    assert banks._recent_fingerprint() == (3,)
    assert banks._recent_fingerprint() == (4,)

"""Group commit (appliance/db/group_commit.py) on both databases: writers that arrive
while a commit is in progress share the next one, each still all-or-nothing."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pytest

from appliance.db import DB, Connection, open_db
from tests.postgres import Postgres


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[DB]:
    url = None
    if request.param == "postgresql":
        postgres: Postgres = request.getfixturevalue("postgres")
        url = postgres.new_database()
    database = open_db(tmp_path / "appliance.db", url)
    database.conn.execute("CREATE TABLE grouped (name TEXT PRIMARY KEY)")
    yield database
    database.close()


class Abort(BaseException):
    """Not an Exception: what a piece of work must not survive (an interrupt)."""


def _writers_behind_a_slow_one(
    db: DB, names: list[str], fail: dict[str, BaseException]
) -> tuple[dict[str, Future[int]], dict[str, int]]:
    """One writer holds its commit open until ``names`` have all queued behind it;
    returns every writer's future and the thread each one's work ran on."""
    ran_on: dict[str, int] = {}
    first_running = threading.Event()
    go = threading.Event()

    def work(name: str) -> Callable[[Connection], int]:
        def insert(conn: Connection) -> int:
            ran_on[name] = threading.get_ident()
            if name == "first":
                first_running.set()
                assert go.wait(30)
            conn.execute("INSERT INTO grouped (name) VALUES (?)", (name,))
            if name in fail:
                raise fail[name]
            return len(name)

        return insert

    pool = ThreadPoolExecutor(len(names) + 1)
    futures = {"first": pool.submit(db.write_grouped, work("first"))}
    assert first_running.wait(30)
    futures |= {name: pool.submit(db.write_grouped, work(name)) for name in names}
    # Wait for the condition itself: every later writer queued behind the first.
    deadline = time.monotonic() + 30
    while len(db._queue) < len(names):  # type: ignore[attr-defined]
        assert time.monotonic() < deadline, "the writers never queued"
        time.sleep(0.001)
    go.set()
    for future in futures.values():
        future.exception(timeout=30)  # finished, one way or the other
    pool.shutdown()
    return futures, ran_on


def _stored(db: DB) -> set[str]:
    return {row["name"] for row in db.rows("SELECT name FROM grouped")}


def test_queued_writers_share_one_commit_and_a_failing_one_is_undone_alone(db: DB) -> None:
    refused = ValueError("this one is refused")
    futures, ran_on = _writers_behind_a_slow_one(db, ["b", "cc", "ddd", "eeee"], {"cc": refused})
    assert futures["first"].result() == 5
    assert futures["b"].result() == 1
    assert futures["ddd"].result() == 3
    assert futures["eeee"].result() == 4
    assert futures["cc"].exception() is refused
    # The four that queued ran on one thread: one transaction, one commit.
    assert len({ran_on[name] for name in ("b", "cc", "ddd", "eeee")}) == 1
    # Read on another connection: committed, and the refused one left nothing.
    assert _stored(db) == {"first", "b", "ddd", "eeee"}


def test_an_interrupted_batch_commits_nothing_and_every_caller_hears_of_it(db: DB) -> None:
    futures, _ = _writers_behind_a_slow_one(db, ["b", "c", "d"], {"c": Abort()})
    assert futures["first"].result() == 5  # its own commit, before the batch
    for name in ("b", "c", "d"):
        assert isinstance(futures[name].exception(), Abort)
    assert _stored(db) == {"first"}


def test_the_next_writer_after_a_failed_batch_is_served(db: DB) -> None:
    _writers_behind_a_slow_one(db, ["b"], {"b": Abort()})
    assert db.write_grouped(lambda conn: conn.execute(
        "INSERT INTO grouped (name) VALUES (?)", ("after",)).rowcount) == 1  # fmt: skip
    assert _stored(db) == {"first", "after"}

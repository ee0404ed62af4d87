"""appliance/fair_pool.py: each key at most its share of the threads, turns round-robin."""

from __future__ import annotations

import os
import threading
from concurrent.futures import Future

import pytest

from appliance.fair_pool import FairPool
from tests.helpers import wait_until


class Gate:
    """Jobs that say when they start and end only when told."""

    def __init__(self) -> None:
        self.started: list[str] = []
        self.lock = threading.Lock()
        self.release = threading.Event()

    def job(self, name: str) -> str:
        with self.lock:
            self.started.append(name)
        assert self.release.wait(30)
        return name

    def seen(self) -> list[str]:
        with self.lock:
            return list(self.started)


def test_one_key_holds_at_most_its_share_and_others_start_at_once() -> None:
    pool = FairPool(threads=4, share=2, name="test")
    gate = Gate()
    first = [pool.submit("a", gate.job, f"a{i}") for i in range(6)]
    wait_until(lambda: len(gate.seen()) == 2, "a's first two jobs never started")
    assert (pool.running("a"), pool.waiting("a")) == (2, 4)  # two threads left idle for others
    other = pool.submit("b", gate.job, "b0")
    wait_until(lambda: "b0" in gate.seen(), "b waited behind a's queue")
    assert gate.seen() == ["a0", "a1", "b0"]
    gate.release.set()
    assert [f.result(30) for f in [*first, other]] == [*(f"a{i}" for i in range(6)), "b0"]
    assert sorted(gate.seen()[3:]) == ["a2", "a3", "a4", "a5"]
    wait_until(lambda: pool.running("a") == 0, "the pool never emptied")


def test_free_threads_go_round_robin_between_keys() -> None:
    pool = FairPool(threads=1, share=1, name="test")
    gate = Gate()
    blocker = pool.submit("x", gate.job, "x0")
    wait_until(lambda: gate.seen() == ["x0"], "the first job never started")
    futures = [pool.submit("a", gate.job, f"a{i}") for i in range(3)]
    futures += [pool.submit("b", gate.job, f"b{i}") for i in range(2)]
    futures += [pool.submit("c", gate.job, "c0")]
    gate.release.set()
    for f in [blocker, *futures]:
        f.result(30)
    # First in, first out would be a0 a1 a2 b0 b1 c0: here one of each key in turn.
    assert gate.seen() == ["x0", "a0", "b0", "c0", "a1", "b1", "a2"]


def test_a_waiting_job_can_be_withdrawn_a_running_one_cannot() -> None:
    pool = FairPool(threads=2, share=1, name="test")
    gate = Gate()
    running = pool.submit("a", gate.job, "a0")
    waiting = pool.submit("a", gate.job, "a1")
    wait_until(lambda: gate.seen() == ["a0"], "the first job never started")
    assert pool.withdraw(waiting) and waiting.cancelled()
    assert not pool.withdraw(running)
    gate.release.set()
    assert running.result(30) == "a0"
    assert gate.seen() == ["a0"]  # the withdrawn job never ran
    assert pool.waiting("a") == 0


def test_errors_reach_the_caller_and_the_thread_goes_on() -> None:
    pool = FairPool(threads=1, share=1, name="test")
    failing: Future[int] = pool.submit("a", int, "not a number")
    with pytest.raises(ValueError):
        failing.result(30)
    assert pool.submit("a", int, "42").result(30) == 42
    with pytest.raises(ValueError):
        FairPool(threads=2, share=3, name="test")


def test_a_nice_pool_runs_its_jobs_at_a_lower_priority() -> None:
    def own_nice() -> int:
        return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())

    here = own_nice()
    assert FairPool(threads=1, share=1, name="test").submit("a", own_nice).result(30) == here
    lowered = FairPool(threads=1, share=1, name="test", nice=5).submit("a", own_nice).result(30)
    assert lowered == min(19, here + 5)
    assert own_nice() == here  # the caller's own priority is untouched

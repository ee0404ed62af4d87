"""Exhaustive sweeps in two parts: a fixed sample in the quick loop, the rest in the
full run.

A sweep (every filler word on tables made for it; a property over hundreds of generated
tables) takes most of a minute of CPU whole. Its test is parametrized by ``PARTS``:
``sample`` is a deterministic part of it, the same in every run, which the quick loop
(``-m "not install and not e2e and not s3"``) runs; ``rest`` is everything else, marked
``e2e`` (and ``long``), which ``./install.sh --test`` runs after the quick loop. The two
together are the whole sweep, each item once: nothing is left out of the full run, and
nothing is asserted less.

A sweep whose every item is costly (the engine's random tables, each imported as an
upload is) may run a smaller rest that still covers each of its shapes, unless
``pytest --whole-sweeps`` asks for all of it (:data:`WHOLE`; tests/conftest.py).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis.strategies import SearchStrategy

T = TypeVar("T")

SAMPLE = "sample"
REST = "rest"
PARTS = [SAMPLE, pytest.param(REST, marks=(pytest.mark.e2e, pytest.mark.long))]
WHOLE = False
"""``pytest --whole-sweeps``: the rest of each sweep whole, not its covering part."""


def part_of(items: Sequence[T], part: str, every: int, offset: int = 0) -> list[T]:
    """The sample (every ``every``-th item, from ``offset``) or the rest of ``items``."""
    return [x for i, x in enumerate(items) if ((i - offset) % every == 0) == (part == SAMPLE)]


def examples(
    part: str,
    prop: Callable[..., None],
    total: int,
    sample: int,
    **strategies: SearchStrategy[Any],
) -> None:
    """Check the property ``prop`` on examples hypothesis draws from ``strategies``: for
    the sample, ``sample`` examples derandomized (the same ones in every run); for the
    rest, ``total - sample`` drawn afresh, as the sweep alone would draw them."""
    quick = part == SAMPLE
    test = given(**strategies)(prop)  # a new test each time: settings attach to it
    settings(
        max_examples=sample if quick else total - sample,
        derandomize=quick,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )(test)()

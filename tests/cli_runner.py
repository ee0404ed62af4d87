"""``hpx`` run in this process through ``cli.main(argv)``: the same parser, handlers,
output and exit status as the installed command, without a Python start-up each time.

A subprocess adds nothing for most commands; the tests that are about the process
itself (the entry point, signals, ``hpx serve``) still start one.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from appliance.cli import main as cli

HERMETIC_CONFIG = "/dev/null"
"""An empty configuration file: no test reads /etc/healthproximate/appliance.toml."""


def hermetic_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """This process's environment without any ``HPX_*`` setting of the machine, and with
    an empty configuration file, plus ``extra``: for the subprocesses tests start."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("HPX_")}
    env["HPX_CONFIG"] = HERMETIC_CONFIG
    env.update(extra or {})
    return env


@dataclass
class Result:
    """What ``subprocess.run(..., capture_output=True, text=True)`` would have given."""

    returncode: int
    stdout: str
    stderr: str


def run_hpx(
    *args: str,
    stdin: str | None = None,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
) -> Result:
    """``hpx ARGS`` with ``env`` as its only ``HPX_*`` settings, stdin from ``stdin``
    (not a terminal), in ``cwd``."""
    out, err = io.StringIO(), io.StringIO()
    with _environment(hermetic_env(env)), _directory(cwd), _stdin(stdin):
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = cli.main(list(args))
            except SystemExit as exc:  # argparse's usage errors, and --help
                code = exc.code if isinstance(exc.code, int) else 1
    return Result(code, out.getvalue(), err.getvalue())


@contextlib.contextmanager
def _environment(env: dict[str, str]) -> Iterator[None]:
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


@contextlib.contextmanager
def _directory(cwd: Path | None) -> Iterator[None]:
    if cwd is None:
        yield
        return
    before = Path.cwd()
    os.chdir(cwd)
    try:
        yield
    finally:
        os.chdir(before)


@contextlib.contextmanager
def _stdin(text: str | None) -> Iterator[None]:
    saved = sys.stdin
    sys.stdin = io.StringIO(text or "")
    try:
        yield
    finally:
        sys.stdin = saved

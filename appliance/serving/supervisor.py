"""Several server processes on one listening socket (``workers`` > 1).

The parent binds the socket and does the start-up work once (server.prepare), then
forks the servers; the kernel hands each new connection to one of them. The parent
serves nothing: it forwards SIGTERM and SIGINT, waits for the servers to finish their
requests, and starts a new server in the place of one that died (a crash, the OOM
killer), so one bad request does not take the service down.

What the processes share goes through the database and the file system, never
through memory: single use (conditional UPDATEs), the write lock (db.py), imports
(a lock file per dataset), metrics (prometheus-client's multiprocess files). Rate
limits and in-flight limits are per process (docs/configuration.md, ``workers``).
"""

from __future__ import annotations

import ctypes
import gc
import logging
import os
import signal
import time
from collections.abc import Callable
from types import FrameType

log = logging.getLogger("hpx.supervisor")
PR_SET_PDEATHSIG = 1
"""linux/prctl.h: the signal a process gets when its parent ends."""
_prctl: Callable[..., int] | None
try:  # Linux's C library; elsewhere the servers would outlive a killed supervisor
    _prctl = ctypes.CDLL(None, use_errno=True).prctl
except AttributeError:
    _prctl = None
FORWARDED = {signal.SIGTERM, signal.SIGINT}
RESTART_DELAY_S = 1.0
"""Before a dead server is replaced: one that dies at once must not spin the CPU."""


def supervise(
    count: int, work: Callable[[int], None], on_exit: Callable[[int], None] = lambda _pid: None
) -> None:
    """Run ``work(index)`` in ``count`` forked processes until SIGTERM or SIGINT;
    ``on_exit(pid)`` after each one ends."""
    children: dict[int, int] = {}
    stopping = False
    parent = os.getpid()

    def start(index: int) -> None:
        # Signals wait until the child has dropped the parent's handlers (which would
        # make it stop its siblings) and the parent has recorded the child.
        signal.pthread_sigmask(signal.SIG_BLOCK, FORWARDED)
        pid = os.fork()
        if pid == 0:  # the server process: never returns into the parent's code
            code = 0
            try:
                for signum in FORWARDED:
                    signal.signal(signum, signal.SIG_DFL)
                end_with_parent(parent)
                signal.pthread_sigmask(signal.SIG_UNBLOCK, FORWARDED)
                work(index)
            except BaseException:
                log.exception("server process %d failed", index)
                code = 1
            finally:
                logging.shutdown()
                os._exit(code)
        children[pid] = index
        signal.pthread_sigmask(signal.SIG_UNBLOCK, FORWARDED)

    def stop(signum: int, _frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True
        for pid in list(children):
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass

    for signum in FORWARDED:
        signal.signal(signum, stop)
    # What the parent allocated (modules, the settings, the bound socket's objects) moves
    # out of the collector's reach: a collection in a server process would otherwise
    # write to each object's header and copy every page of it (copy-on-write). With 16
    # uploads on 2 processes, alternating: peak PSS 105-110 against 113-122 MB
    # (docs/performance.md).
    gc.freeze()
    for index in range(count):
        start(index)
    while children:
        try:
            pid, status = os.wait()
        except ChildProcessError:
            break
        if pid not in children:
            continue
        index = children.pop(pid)
        on_exit(pid)
        if not stopping:
            log.error(
                "server process %d (pid %d) ended (%s); starting another",
                index, pid, _how(status),
            )  # fmt: skip
            time.sleep(RESTART_DELAY_S)
            if not stopping:
                start(index)


def end_with_parent(parent: int) -> None:
    """Have the kernel send this process SIGTERM when the supervisor dies, however it
    dies (SIGKILL, the OOM killer). Without it the servers outlived it: serving on,
    holding ``serve.lock`` against a new ``hpx serve``, replaced by no one when they
    died. SIGTERM, not SIGKILL: requests in flight finish, as at a stop.

    The signal is blocked until the caller unblocks it, so a supervisor that died
    before this call is caught by the check of the parent, delivered at the unblock."""
    if _prctl is not None:
        _prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    if os.getppid() != parent:
        os.kill(os.getpid(), signal.SIGTERM)


def _how(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"signal {signal.Signals(os.WTERMSIG(status)).name}"
    return f"exit status {os.WEXITSTATUS(status)}"

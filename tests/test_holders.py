"""A name held by a process is alive exactly as long as that process (appliance/db/holders.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from appliance.db import holders

HOLD = (
    "import sys; from pathlib import Path; from appliance.db import holders\n"
    "holders.hold(Path(sys.argv[1]), sys.argv[2])\n"
    "print('held', flush=True)\n"
    "sys.stdin.read()\n"  # until the test closes the pipe, or kills it
)


def holder(directory: Path, name: str) -> subprocess.Popen[str]:
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(directory), name],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)  # fmt: skip
    assert proc.stdout is not None and proc.stdout.readline() == "held\n"
    return proc


def test_a_name_is_alive_while_its_process_runs_and_swept_after(tmp_path: Path) -> None:
    directory = tmp_path / "holders"
    killed, living = holder(directory, "host:1:a"), holder(directory, "host:2:b")
    assert holders.alive(directory, "host:1:a") and holders.alive(directory, "host:2:b")
    assert not holders.alive(directory, "host:3:never-held")
    killed.kill()
    killed.wait(timeout=30)
    assert not holders.alive(directory, "host:1:a")  # at once: the kernel dropped its lock
    assert holders.alive(directory, "host:2:b")
    assert holders.sweep(directory) == 1  # the dead one's file, not the living one's
    assert len(list(directory.iterdir())) == 1
    assert holders.alive(directory, "host:2:b")
    assert living.stdin is not None
    living.stdin.close()
    assert living.wait(timeout=30) == 0
    assert not holders.alive(directory, "host:2:b")

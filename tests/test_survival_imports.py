"""lifelines (with pandas and scipy) is imported by a process's first survival question,
never by uploads or other questions: a server that only receives files keeps its memory
(docs/performance.md, "Memory" and "Survival estimates").

A fresh interpreter runs the application in process (tests/servers.py) over a new data
directory: an upload through a presigned URL, a plain question on the table, then a
survival question; it prints which of the heavy modules it had loaded after each.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SCRIPT = r"""
import json, sys
from pathlib import Path
from tests.servers import in_process
from tests.test_analytics import sign_in, upload

HEAVY = ("lifelines", "pandas", "scipy", "matplotlib")
def loaded():
    return sorted(name for name in HEAVY if name in sys.modules)

server = in_process(Path(sys.argv[1]))
org, key = server.new_org()
seen = {"start": loaded()}
with server.client() as client:
    upload(client, key, "heart.csv", Path(sys.argv[2]).read_bytes())
    seen["upload"] = loaded()
    headers = sign_in(server, client, org.id, "imports")
    def ask(plan):
        r = client.post("/v1/queries", json={"plan": {"dataset": "heart", **plan}},
                        headers=headers)
        assert r.status_code == 200, r.text
    ask({"statistic": "mean", "column": "age"})
    seen["mean"] = loaded()
    ask({"statistic": "survival_median"})
    seen["survival"] = loaded()
print(json.dumps(seen))
"""


def test_lifelines_is_imported_by_the_first_survival_question_only(tmp_path: Path) -> None:
    heart = ROOT / "tests" / "data" / "analytics" / "heart_transplant.csv"
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(tmp_path / "data"), str(heart)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    seen = json.loads(out.stdout.strip().splitlines()[-1])
    assert seen["start"] == seen["upload"] == seen["mean"] == []
    assert {"lifelines", "pandas", "scipy"} <= set(seen["survival"])
    assert "matplotlib" not in seen["survival"]  # lifelines imports it only to plot

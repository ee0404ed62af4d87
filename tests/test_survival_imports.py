"""lifelines (with pandas and scipy) is imported by a process's first survival question,
never by uploads or other questions: a server that only receives files keeps its memory
(docs/performance.md, "Memory" and "Survival estimates").

A fresh interpreter runs the application in process (tests/servers.py) over a new data
directory: an upload through a presigned URL, a plain question on the table, then a
survival question; it prints which of the heavy modules it had loaded after each. That
interpreter costs about 6 CPU-s (the application's and lifelines' imports, a password
hashed at the production parameters), so it runs in the full run (``e2e``); the quick
loop checks the application's own part of the same rule from the source: no module of
the appliance imports a heavy module but inside a function.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("lifelines", "pandas", "scipy", "matplotlib", "statsmodels")

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


def heavy_imports_at_load(tree: ast.Module) -> list[str]:
    """The heavy modules a module imports when it is loaded: at its top level or in a
    class body, outside ``if TYPE_CHECKING:`` (functions import when called)."""
    found: list[str] = []

    def visit(nodes: list[ast.stmt]) -> None:
        for node in nodes:
            if isinstance(node, ast.Import):
                found.extend(a.name for a in node.names if a.name.split(".")[0] in HEAVY)
            elif isinstance(node, ast.ImportFrom):
                if node.level == 0 and (node.module or "").split(".")[0] in HEAVY:
                    found.append(node.module or "")
            elif isinstance(node, ast.If):
                if not (isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING"):
                    visit(node.body)
                visit(node.orelse)
            elif isinstance(node, ast.Try | ast.With | ast.ClassDef):
                for part in ("body", "handlers", "orelse", "finalbody"):
                    for child in getattr(node, part, []):
                        visit(child.body if isinstance(child, ast.ExceptHandler) else [child])

    visit(tree.body)
    return found


def test_the_heavy_modules_are_imported_only_inside_functions() -> None:
    """The quick loop's part of the rule below: lifelines, pandas, scipy, matplotlib and
    statsmodels are imported by the code that uses them, when it runs."""
    sources = [p for d in ("appliance", "storage", "admin_tui") for p in (ROOT / d).rglob("*.py")]
    assert any(p.name == "survival.py" for p in sources)  # the rule's one user is read
    loaded = {
        str(p.relative_to(ROOT)): found
        for p in sources
        if (found := heavy_imports_at_load(ast.parse(p.read_text(), str(p))))
    }
    assert loaded == {}


def test_a_heavy_import_at_load_is_found() -> None:
    """The check above can fail: each way of importing at load is seen, and only those."""
    seen = heavy_imports_at_load(
        ast.parse(
            "import os, pandas as pd\n"
            "from scipy import stats\n"
            "try:\n    import lifelines\nexcept ImportError:\n    pass\n"
            "if TYPE_CHECKING:\n    import statsmodels\n"
            "class A:\n    import matplotlib.pyplot\n"
            "def f():\n    import statsmodels.api\n"
        )
    )
    assert seen == ["pandas", "scipy", "lifelines", "matplotlib.pyplot"]


@pytest.mark.e2e
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

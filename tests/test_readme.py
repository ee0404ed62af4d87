"""The README's tour, run for real against a live server, so its commands stay true."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from tests.servers import MakeServer, Server

ROOT = Path(__file__).resolve().parent.parent


def tour_blocks() -> list[str]:
    text = (ROOT / "README.md").read_text()
    return re.findall(r"```bash\n(.*?)```", text, re.S)[1:]


def test_readme_tour_runs(make_server: MakeServer, tmp_path: Path) -> None:
    # A server of its own, as a newcomer's: the tour ends with `hpx verify` of all of it.
    server: Server = make_server()
    tour, operators = tour_blocks()
    ca_file = tmp_path / "ca.pem"
    server.ca.cert_pem.write_to_path(str(ca_file))
    script = tour
    for old, new in (
        (". .venv/bin/activate", f". {ROOT}/.venv/bin/activate"),
        ("export HPX_DATA_DIR=$PWD/var", f"export HPX_DATA_DIR={server.data_dir}"),
        ("CA=var/tls/cert.pem", f"CA={ca_file}"),
        ("API=https://127.0.0.1:8443", f"API={server.url}"),
    ):
        assert old in script, old
        script = script.replace(old, new)
    key_id = (
        "$(hpx key list --json"
        " | python3 -c 'import json,sys; print(json.load(sys.stdin)[-1][\"key_id\"])')"
    )
    script += operators.replace("<key id>", key_id)
    r = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 0, r.stdout + r.stderr
    out = r.stdout
    assert '{"status":"ok"}' in out
    assert '"error":"token_used"' in out
    assert "patient_id,age,bmi\n1,54,22.5\n2,61,31.0" in out
    assert re.search(r'"protocol":"link","url":"https://[^"]+/v1/drop/', out)
    assert '"answer":{"54":22.5,"61":31.0}' in out
    assert '"answer":31.0' in out and "kept from the previous question: age > 55" in out
    assert "not understood: 'smokers'" in out
    assert "answer: 2" in out
    assert re.search(r"revoked\s+True", out)
    assert re.search(r"status\s+suspended", out)

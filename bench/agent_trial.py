"""Issue 27's agent trial: plans written by hand, as an agent would, for the blind fold.

    python bench/agent_trial.py --profiles /tmp/profiles.json     # what the agent reads
    python bench/agent_trial.py bench/agent_trial_plans.json      # run the plans

An agent that reads ``GET /v1/datasets/{name}`` and docs/analytics.md should be able to
write a typed plan for every ordinary clinical question and never get a wrong number.
This runs that check: the application in this process (tests/servers.py ``in_process``),
the blind fold's six tables uploaded through presigned URLs and imported, part b's data
dictionary put, and each plan of a JSON file ``{item id: plan}`` (written by hand from
the docs and the profiles alone) posted to ``/v1/queries`` as ``{"plan": …}``. Each
answer is compared with the item's ``expected`` as tests/test_analytics.py's ``close``
does. An item whose plan is ``{"inexpressible": "why"}`` is one the plan language could
not say. Items marked ``refuse`` are for the English reader and are skipped.

First run (7d29ba5, the plans as first written, before any run): of the 223 items that
are not refusals, 223 right, none wrong, none inexpressible, none refused by the API.
Plans a less careful agent might write instead (a mean's subset in ``condition``, ``at``
without ``"output": "prediction"``) were answered silently wrong then; they are 400s
naming the field since (tests/test_plan_fields.py).

It lives in bench/ rather than tests/: it is a score kept by hand (like the benchmarks,
run on request, never by pytest, whose ``testpaths`` is tests/), over a sealed fold whose
plans are the trial's own hand-written input, and its verdicts are a report rather than
assertions: a wrong plan may be the agent's misreading as well as a product bug.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.helpers import wait_until
from tests.servers import in_process
from tests.test_analytics import close, sign_in, upload
from tests.test_corpus import FOLDS

FOLD = FOLDS["blind"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("plans", nargs="?", type=Path, help="JSON {item id: plan}")
    parser.add_argument("--profiles", type=Path, help="write every dataset's profile here")
    parser.add_argument("--only", help="run only the items whose id contains this")
    args = parser.parse_args()
    server = in_process(Path(tempfile.mkdtemp(prefix="agent-trial-")))
    tables = sorted(FOLD["tables"])
    org, key = server.new_org()
    with server.client() as client:
        for table in tables:
            upload(client, key, f"{table}.csv", FOLD["tables"][table].read_bytes())
        headers = sign_in(server, client, org.id, "agent")

        def ready() -> bool:
            found = client.get("/v1/datasets", headers=headers).json()["datasets"]
            return len(found) == len(tables) and all(d["status"] == "ready" for d in found)

        wait_until(ready, "the blind tables imported", timeout=300, interval=0.5)
        for table, dictionary in FOLD["dictionaries"].items():
            r = client.put(f"/v1/datasets/{table}/dictionary", json=dictionary, headers=headers)
            assert r.status_code == 200, r.text
        profiles = {t: client.get(f"/v1/datasets/{t}", headers=headers).json() for t in tables}
        if args.profiles:
            args.profiles.write_text(json.dumps(profiles, indent=1))
            print(f"profiles of {', '.join(tables)} written to {args.profiles}")
        if args.plans:
            run(client, headers, json.loads(args.plans.read_text()), args.only)


def run(client: Any, headers: dict[str, str], plans: dict[str, Any], only: str | None) -> None:
    """Each plan posted, its verdict printed by kind, then the tally."""
    verdicts: dict[str, list[str]] = {"right": [], "wrong": [], "inexpressible": [], "refused": []}
    for item in FOLD["questions"]:
        if item.get("refuse") or (only and only not in item["id"]):
            continue
        ident = item["id"]
        plan = plans.get(ident)
        if plan is None:
            verdicts["inexpressible"].append(f"{ident}: no plan written")
            continue
        if "inexpressible" in plan:
            verdicts["inexpressible"].append(f"{ident}: {plan['inexpressible']}")
            continue
        r = client.post("/v1/queries", json={"plan": plan}, headers=headers)
        assert r.status_code < 500, (ident, r.text)
        if r.status_code != 200:
            body = r.json()
            verdicts["refused"].append(
                f"{ident}: {r.status_code} {body.get('error')}: {body.get('message')}"
            )
            continue
        answer = r.json()["answer"]
        if close(answer, item["expected"]):
            verdicts["right"].append(ident)
        else:
            verdicts["wrong"].append(
                f"{ident}: {item['question']!r}\n    plan {json.dumps(plan)}\n"
                f"    answered {json.dumps(answer)}\n    expected {json.dumps(item['expected'])}"
            )
    for name in ("wrong", "inexpressible", "refused"):
        print(f"\n== {name} ({len(verdicts[name])})")
        for line in verdicts[name]:
            print(line)
    total = sum(len(v) for v in verdicts.values())
    print(
        f"\n{total} items: {len(verdicts['right'])} right, {len(verdicts['wrong'])} wrong,"
        f" {len(verdicts['inexpressible'])} could not be expressed,"
        f" {len(verdicts['refused'])} refused by the API"
    )


if __name__ == "__main__":
    main()

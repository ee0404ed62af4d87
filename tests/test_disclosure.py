"""Disclosure control over real HTTPS (issue 28, item 3): the same questions and plans
with and without the scope ``rows``, on a table whose every number the test works out
itself from the rows it writes.

The table: 80 patients in four wards (A 40, B 25, C 3, D 12), by sex (ward C: 2 men,
1 woman; ward D: 12 men), with a BMI and a smoking status. k is the default 11.
"""

from __future__ import annotations

import json
import statistics
from collections import Counter
from typing import Any

import httpx
import numpy as np
import pytest

from appliance.accounts import orgs
from tests.helpers import error_of
from tests.servers import Server
from tests.test_analytics import upload

K = 11
WARDS = {"A": (20, 20), "B": (15, 10), "C": (2, 1), "D": (12, 0)}
"""Men and women per ward."""


def _patients() -> list[dict[str, Any]]:
    rows = []
    i = 0
    for ward, (men, women) in WARDS.items():
        for sex, n in (("M", men), ("F", women)):
            for _ in range(n):
                i += 1
                rows.append(
                    {
                        "patient_id": 1000 + i,
                        "ward": ward,
                        "sex": sex,
                        "bmi": 18 + (i * 13 % 170) / 10,
                        "smoking": ("current", "former", "never")[i % 3],
                    }
                )
    return rows


PATIENTS = _patients()


def _csv(rows: list[dict[str, Any]]) -> bytes:
    lines = [",".join(rows[0])] + [",".join(str(v) for v in r.values()) for r in rows]
    return ("\n".join(lines) + "\n").encode()


@pytest.fixture(scope="module")
def keys(server: Server) -> dict[str, str]:
    """One organization at the default k with a key without and a key with ``rows``,
    and one organization whose k is 0, each with the same table."""
    from appliance.accounts import apikeys

    org, plain = server.new_org(scopes=["upload", "query"])
    trusted = apikeys.issue_key(server.appliance.db, org.id, scopes=["query", "rows"]).api_key
    off_org, off = server.new_org(scopes=["upload", "query"])
    orgs.set_min_cell_size(server.appliance.db, off_org.id, 0)
    assert org.min_cell_size == K
    with server.client() as client:
        for key in (plain, off):
            upload(client, key, "cohort.csv", _csv(PATIENTS))
    return {"plain": plain, "rows": trusted, "off": off}


def run(client: httpx.Client, key: str, plan: dict[str, Any], **extra: Any) -> httpx.Response:
    return client.post(
        "/v1/queries",
        json={"plan": {"dataset": "cohort"} | plan} | extra,
        headers={"X-API-Key": key},
    )


def answer_of(client: httpx.Client, key: str, plan: dict[str, Any]) -> dict[str, Any]:
    r = run(client, key, plan)
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def _ward(ward: str) -> list[dict[str, Any]]:
    return [p for p in PATIENTS if p["ward"] == ward]


def test_a_small_count_is_withheld_without_rows_and_exact_with_it(
    client: httpx.Client, keys: dict[str, str]
) -> None:
    plan = {"statistic": "count", "filters": [{"column": "ward", "op": "=", "value": "C"}]}
    withheld = answer_of(client, keys["plain"], plan)
    assert withheld["answer"] is None
    assert withheld["suppressed"] == [{"path": "/answer", "reason": "small_count"}]
    assert "fewer than 11" in withheld["summary"]
    assert withheld["rows"] == [[None]]
    assert str(len(_ward("C"))) not in withheld["summary"]
    exact = answer_of(client, keys["rows"], plan)
    assert (exact["answer"], exact["suppressed"]) == (len(_ward("C")), [])
    # k = 0 is today's answer exactly, without rows
    assert answer_of(client, keys["off"], plan)["answer"] == len(_ward("C"))
    # 0 and k are shown
    # (a ward no row is in: A and B at once, a value the column does not hold being
    # refused by the plan's check)
    for wards, want in ((("A", "B"), 0), (("D",), len(_ward("D")))):
        filters = [{"column": "ward", "op": "=", "value": w} for w in wards]
        plan = {"statistic": "count", "filters": filters}
        shown = answer_of(client, keys["plain"], plan)
        assert (shown["answer"], shown["suppressed"]) == (want, [])


def test_grouped_counts_get_complementary_suppression_smallest_first(
    client: httpx.Client, keys: dict[str, str]
) -> None:
    plan = {"statistic": "count", "group_by": [{"column": "ward"}]}
    counts = Counter(p["ward"] for p in PATIENTS)
    got = answer_of(client, keys["plain"], plan)
    # C (3) is a small count; alone it could be worked out from the total (80, asked
    # separately), so the next smallest, D (12), is withheld with it.
    assert got["answer"] == {"A": counts["A"], "B": counts["B"], "C": None, "D": None}
    assert sorted(got["suppressed"], key=lambda s: s["path"]) == [
        {"path": "/answer/C", "reason": "small_count"},
        {"path": "/answer/D", "reason": "complementary"},
    ]
    assert "C: fewer than 11" in got["summary"] and "D: not shown" in got["summary"]
    assert {r[0]: r[1] for r in got["rows"]} == got["answer"]
    total = answer_of(client, keys["plain"], {"statistic": "count"})["answer"]
    assert total == len(PATIENTS)  # the total is public, hence the complement
    assert answer_of(client, keys["rows"], plan)["answer"] == dict(counts)
    assert answer_of(client, keys["off"], plan)["answer"] == dict(counts)


def test_other_statistics_need_k_rows_behind_each_value(
    client: httpx.Client, keys: dict[str, str]
) -> None:
    plan = {"statistic": "mean", "column": "bmi", "group_by": [{"column": "ward"}]}
    got = answer_of(client, keys["plain"], plan)
    means = {w: statistics.fmean(p["bmi"] for p in _ward(w)) for w in WARDS}
    assert got["answer"]["C"] is None and got["answer"]["D"] is None
    assert got["answer"]["A"] == pytest.approx(means["A"], rel=1e-9)
    assert got["answer"]["B"] == pytest.approx(means["B"], rel=1e-9)
    reasons = {s["path"]: s["reason"] for s in got["suppressed"]}
    assert reasons == {"/answer/C": "few_rows", "/answer/D": "complementary"}
    exact = answer_of(client, keys["rows"], plan)["answer"]
    assert exact["C"] == pytest.approx(means["C"], rel=1e-9)
    single = {
        "statistic": "median",
        "column": "bmi",
        "filters": [{"column": "ward", "op": "=", "value": "C"}],
    }
    got = answer_of(client, keys["plain"], single)
    assert got["answer"] is None and got["suppressed"][0]["reason"] == "few_rows"
    assert "fewer than 11 rows" in got["summary"]
    assert answer_of(client, keys["rows"], single)["answer"] == pytest.approx(
        statistics.median(p["bmi"] for p in _ward("C"))
    )


def _percent(rows: list[dict[str, Any]]) -> tuple[int, int]:
    return sum(p["smoking"] == "current" for p in rows), len(rows)


@pytest.mark.parametrize("ward", [None, "A", "B", "D"])
def test_a_percentage_needs_its_part_whole_and_rest_each_0_or_k(
    client: httpx.Client, keys: dict[str, str], ward: str | None
) -> None:
    plan: dict[str, Any] = {
        "statistic": "percentage",
        "condition": [{"column": "smoking", "op": "=", "value": "current"}],
    }
    rows = PATIENTS
    if ward:
        plan["filters"] = [{"column": "ward", "op": "=", "value": ward}]
        rows = _ward(ward)
    num, den = _percent(rows)
    got = answer_of(client, keys["plain"], plan)
    if any(0 < n < K for n in (num, den, den - num)):
        assert got["answer"] is None
        assert got["suppressed"] == [{"path": "/answer", "reason": "small_part"}]
    else:
        assert got["answer"] == pytest.approx(100 * num / den)
    assert answer_of(client, keys["rows"], plan)["answer"] == pytest.approx(100 * num / den)


def _published_cells_solve(table: dict[str, dict[str, int | None]], exact: dict) -> list[str]:
    """The withheld cells an attacker can solve from the published cells and every row,
    column and grand total (each askable as a count): a cell is fixed when its unit
    vector lies in the row space of the totals' equations over the withheld cells."""
    hidden = [(a, b) for a in exact for b in exact[a] if table.get(a, {}).get(b) is None]
    if not hidden:
        return []
    equations = [[1.0] * len(hidden)]
    for a in exact:
        equations.append([1.0 if h[0] == a else 0.0 for h in hidden])
    for b in {b for row in exact.values() for b in row}:
        equations.append([1.0 if h[1] == b else 0.0 for h in hidden])
    system = np.array(equations)
    rank = np.linalg.matrix_rank(system)
    solved = []
    for i, h in enumerate(hidden):
        unit = np.zeros(len(hidden))
        unit[i] = 1.0
        if np.linalg.matrix_rank(np.vstack([system, unit])) == rank:
            solved.append(f"{h[0]}/{h[1]}")
    return solved


def test_a_crosstab_shows_no_small_cell_and_none_can_be_solved(
    client: httpx.Client, keys: dict[str, str]
) -> None:
    plan = {"statistic": "crosstab", "group_by": [{"column": "ward"}, {"column": "sex"}]}
    exact: dict[str, dict[str, int]] = {}
    for p in PATIENTS:
        exact.setdefault(p["ward"], Counter())[p["sex"]] += 1
    exact = {w: dict(c) for w, c in exact.items()}
    assert answer_of(client, keys["rows"], plan)["answer"] == exact
    got = answer_of(client, keys["plain"], plan)
    table = got["answer"]
    for ward, row in exact.items():
        for sex, n in row.items():
            shown = table[ward][sex]
            assert shown is None or not 0 < shown < K, (ward, sex, shown)
            if 0 < n < K:
                assert shown is None, (ward, sex)
            if shown is not None:
                assert shown == n
    assert _published_cells_solve(table, exact) == []
    paths = {s["path"] for s in got["suppressed"]}
    assert paths == {f"/answer/{w}/{s}" for w in exact for s in exact[w] if table[w][s] is None}


@pytest.mark.parametrize(
    "plan",
    [
        {"statistic": "top", "column": "bmi", "limit": 3},
        {"statistic": "list", "filters": [{"column": "ward", "op": "=", "value": "C"}]},
        {"statistic": "min", "column": "bmi"},
        {"statistic": "max", "column": "bmi", "group_by": [{"column": "ward"}]},
        {"statistic": "count", "group_by": [{"column": "patient_id"}]},
        {"statistic": "count", "filters": [{"column": "patient_id", "op": "=", "value": 1042}]},
    ],
)
def test_record_level_plans_need_the_rows_scope(
    client: httpx.Client, keys: dict[str, str], plan: dict[str, Any]
) -> None:
    refused = run(client, keys["plain"], plan)
    assert (refused.status_code, error_of(refused)) == (403, "forbidden")
    assert "'rows'" in refused.json()["message"]
    assert run(client, keys["rows"], plan).status_code == 200
    assert run(client, keys["off"], plan).status_code == 200


@pytest.mark.parametrize(
    "plan",
    [
        {"statistic": "count", "filters": [{"column": "ward", "op": "!=", "value": "C"}]},
        {
            "statistic": "mean",
            "column": "bmi",
            "filters": [{"column": "ward", "op": "in", "values": ["A", "B", "D"]}],
        },
    ],
)
def test_the_complement_attack_is_refused(
    client: httpx.Client, keys: dict[str, str], plan: dict[str, Any]
) -> None:
    """Everyone but ward C's 3 patients: set beside everyone's, it would be theirs."""
    refused = run(client, keys["plain"], plan)
    assert (refused.status_code, error_of(refused)) == (422, "unanswerable_question")
    assert "fewer than 11" in refused.json()["message"]
    assert run(client, keys["rows"], plan).status_code == 200


def test_profiles_show_no_small_count_and_no_min_or_max(
    client: httpx.Client, keys: dict[str, str]
) -> None:
    def profile(key: str) -> dict[str, dict[str, Any]]:
        r = client.get("/v1/datasets/cohort", headers={"X-API-Key": key})
        assert r.status_code == 200, r.text
        return {c["name"]: c for c in r.json()["columns"]}

    plain, exact = profile(keys["plain"]), profile(keys["rows"])
    assert exact["bmi"]["min"] == min(p["bmi"] for p in PATIENTS)
    assert (plain["bmi"]["min"], plain["bmi"]["max"]) == (None, None)
    counts = Counter(p["ward"] for p in PATIENTS)
    assert {v["value"]: v["count"] for v in exact["ward"]["values"]} == dict(counts)
    shown = {v["value"]: v["count"] for v in plain["ward"]["values"]}
    assert shown == {w: (n if n >= K else None) for w, n in counts.items()}
    assert profile(keys["off"])["bmi"]["min"] == exact["bmi"]["min"]


def test_the_event_stream_carries_the_same_controlled_answer(
    client: httpx.Client, keys: dict[str, str]
) -> None:
    plan = {"dataset": "cohort", "statistic": "count", "group_by": [{"column": "ward"}]}
    r = client.post(
        "/v1/queries",
        json={"plan": plan},
        headers={"X-API-Key": keys["plain"], "Accept": "text/event-stream"},
    )
    assert r.status_code == 200
    events = [block for block in r.text.split("\n\n") if block.strip()]
    done = next(e for e in events if "event: done" in e)
    body = json.loads(done.split("data: ", 1)[1])
    assert body["answer"]["C"] is None and body["answer"]["D"] is None
    result = next(e for e in events if "event: result" in e)
    assert '["C", 3]' not in result and '"C", 3]' not in result
    # a refusal is plain JSON before any stream opens
    top = {"dataset": "cohort", "statistic": "top", "column": "bmi", "limit": 3}
    refused = client.post(
        "/v1/queries",
        json={"plan": top},
        headers={"X-API-Key": keys["plain"], "Accept": "text/event-stream"},
    )
    assert (refused.status_code, error_of(refused)) == (403, "forbidden")


def test_mcp_tools_obey_the_policy(server: Server, keys: dict[str, str]) -> None:
    from tests.test_mcp import call

    plan = {"dataset": "cohort", "statistic": "count", "group_by": [{"column": "ward"}]}
    plain = call(server, {"X-API-Key": keys["plain"]}, "run_plan", {"plan": plan})
    assert not plain.is_error
    assert plain.structured_content["answer"]["C"] is None
    exact = call(server, {"X-API-Key": keys["rows"]}, "run_plan", {"plan": plan})
    assert exact.structured_content["answer"]["C"] == len(_ward("C"))
    described = call(
        server, {"X-API-Key": keys["plain"]}, "describe_dataset", {"dataset": "cohort"}
    )
    columns = {c["name"]: c for c in described.structured_content["columns"]}
    assert columns["bmi"]["min"] is None
    top = {"dataset": "cohort", "statistic": "top", "column": "bmi", "limit": 3}
    refused = call(server, {"X-API-Key": keys["plain"]}, "run_plan", {"plan": top})
    assert refused.is_error and "rows" in str(refused.content)


def test_a_differencing_pair_is_refused_across_processes(server: Server) -> None:
    """Mean BMI of those at or over one threshold, then at or over the next: the two
    differ by a few patients. The first is answered by the server's process, which
    remembers its rows in the database; the second, asked through this test's own
    process (another process on the same database) and then over HTTPS, is refused."""
    from appliance.analytics import disclosure, service
    from appliance.analytics.errors import Unanswerable

    org, key = server.new_org(scopes=["upload", "query"])
    bmis = sorted(p["bmi"] for p in PATIENTS)
    low = bmis[30]
    kept = [b for b in bmis if b >= low]
    high = next(b for b in kept if 0 < sum(x < b for x in kept) < K)
    apart = sum(low <= b < high for b in bmis)
    assert 0 < apart < K and len(kept) - apart >= K

    def plan(at: float) -> dict[str, Any]:
        return {
            "statistic": "mean",
            "column": "bmi",
            "filters": [{"column": "bmi", "op": ">=", "value": at}],
        }

    with server.client() as client:
        upload(client, key, "cohort.csv", _csv(PATIENTS))
        first = run(client, key, plan(low))
        assert first.status_code == 200, first.text
        assert first.json()["answer"] == pytest.approx(statistics.fmean(kept))
        prepared = service.prepare(
            server.appliance, org.id, "key:test", None, {"dataset": "cohort"} | plan(high),
            None, None,
        )  # fmt: skip
        policy = disclosure.Policy(K, False)
        with pytest.raises(Unanswerable, match="differ by fewer than 11"):
            disclosure.admit(prepared.plan, prepared.dataset, policy, server.appliance.db, org.id)
        second = run(client, key, plan(high))
        assert (second.status_code, error_of(second)) == (422, "unanswerable_question")
        assert "last 24 hours" in second.json()["message"]
        # the same rows again, and rows far from both, are answered
        assert run(client, key, plan(low)).status_code == 200
        assert run(client, key, {"statistic": "count"}).json()["answer"] == len(PATIENTS)


def test_the_interpretation_holds_its_count_of_rows_to_the_same_rule(
    client: httpx.Client, keys: dict[str, str]
) -> None:
    """The sentence saying how many rows the filters kept is a count too."""
    plan = {"statistic": "count", "filters": [{"column": "ward", "op": "=", "value": "C"}]}
    withheld = answer_of(client, keys["plain"], plan)
    assert withheld["interpretation_sentence"].endswith(f"{len(PATIENTS)} rows, fewer than 11 kept")
    exact = answer_of(client, keys["rows"], plan)
    assert exact["interpretation_sentence"].endswith(
        f"{len(PATIENTS)} rows, {len(_ward('C'))} kept"
    )


def test_survival_statistics_need_the_rows_scope(server: Server, client: httpx.Client) -> None:
    """A Kaplan-Meier curve steps down at each patient's own event time, and its median
    is one patient's time: without ``rows`` every survival statistic is refused, with
    the same plans answered for a trusted key (and at k = 0)."""
    from appliance.accounts import apikeys

    org, plain = server.new_org(scopes=["upload", "query"])
    trusted = apikeys.issue_key(server.appliance.db, org.id, scopes=["query", "rows"]).api_key
    rows = [{"months": m, "dead": int(m % 3 == 0), "arm": "ab"[m % 2]} for m in range(1, 41)]
    upload(client, plain, "trial.csv", _csv(rows))
    event = [{"column": "dead", "op": "=", "value": 1}]
    for plan in (
        {"statistic": "survival_median", "column": "months", "condition": event},
        {"statistic": "survival_at", "column": "months", "condition": event, "time": 12},
        {"statistic": "survival_curve", "column": "months", "condition": event},
        {
            "statistic": "logrank",
            "column": "months",
            "condition": event,
            "group_by": [{"column": "arm"}],
        },
    ):
        body = {"plan": {"dataset": "trial"} | plan}
        refused = client.post("/v1/queries", json=body, headers={"X-API-Key": plain})
        assert (refused.status_code, error_of(refused)) == (403, "forbidden"), refused.text
        assert "'rows'" in refused.json()["message"]
        answered = client.post("/v1/queries", json=body, headers={"X-API-Key": trusted})
        assert answered.status_code == 200, answered.text


def test_those_after_a_record_level_refusal_points_at_nothing(
    client: httpx.Client, keys: dict[str, str]
) -> None:
    """A question refused for want of ``rows`` is a refused turn like any other: a later
    "those" must not reach past it to the answer before."""
    h = {"X-API-Key": keys["plain"]}

    def ask(question: str, conversation: str | None = None) -> httpx.Response:
        body = {"question": question, "dataset": "cohort"}
        return client.post("/v1/queries", json=body | {"conversation_id": conversation}, headers=h)

    first = ask("how many patients are in ward A?")
    assert first.status_code == 200, first.text
    conversation = first.json()["conversation_id"]
    refused = ask("what is the lowest bmi?", conversation)
    assert (refused.status_code, error_of(refused)) == (403, "forbidden"), refused.text
    after = ask("how many of those were women?", conversation)
    assert (after.status_code, error_of(after)) == (422, "unanswerable_question"), after.text

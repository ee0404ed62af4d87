"""Simple arithmetic on a result (issue 27, item 5): a plan's ``unit`` (person-years, a
mean in months, a weight in pounds) and the difference of two percentiles of one column
(the 90th minus the 10th), through the HTTP API of the application in this process, and
``run_plan`` over the MCP SDK client against a real server.

Every expected number is worked out here from the rows the test writes, in plain
Python: sums, means, medians and percentiles (linear interpolation between the two
nearest ranks, numpy's and R's default), never by the code under test.
"""

from __future__ import annotations

import math
import statistics
from typing import Any

import httpx
import pytest

from appliance.accounts import apikeys
from appliance.analytics import conversations, plan
from appliance.analytics.errors import PlanError
from appliance.analytics.plan import ColumnInfo
from tests.helpers import error_of
from tests.servers import InProcess, Server
from tests.test_analytics import imported, upload

pytestmark = pytest.mark.xdist_group("analytics")

WARDS = {"A": 14, "B": 12, "C": 3}


def _patients() -> list[dict[str, Any]]:
    rows = []
    i = 0
    for ward, n in WARDS.items():
        for _ in range(n):
            i += 1
            rows.append(
                {
                    "id": f"p{i:03d}",
                    "ward": ward,
                    "sex": "F" if i % 2 else "M",
                    "followup_days": 30 + (i * 137) % 1900,
                    "Weight (kg)": 50 + (i * 7.3) % 45,
                    "age": 30 + (i * 11) % 50,
                    "bp": 100 + (i * 13) % 60,
                }
            )
    return rows


PATIENTS = _patients()
DAYS = [p["followup_days"] for p in PATIENTS]
KILOS = [p["Weight (kg)"] for p in PATIENTS]


def _csv() -> bytes:
    head = list(PATIENTS[0])
    lines = [",".join(head)] + [",".join(str(p[h]) for h in head) for p in PATIENTS]
    return ("\n".join(lines) + "\n").encode()


def pct(values: list[float], p: float) -> float:
    """The p-th percentile, linearly interpolated between the two nearest ranks."""
    xs = sorted(values)
    h = (len(xs) - 1) * p / 100
    lo = math.floor(h)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (h - lo) * (xs[hi] - xs[lo])


@pytest.fixture(scope="session")
def server(app_on_sqlite: InProcess) -> InProcess:
    return app_on_sqlite


@pytest.fixture(scope="module")
def keys(server: InProcess) -> dict[str, str]:
    """One organization (k = 11) with a key without and a key with ``rows``."""
    org, plain = server.new_org(scopes=["upload", "query"])
    trusted = apikeys.issue_key(server.appliance.db, org.id, scopes=["query", "rows"]).api_key
    with server.client() as client:
        upload(client, plain, "cohort.csv", _csv())
        headers = {"X-API-Key": trusted}
        imported(client, headers, ["cohort"])
        dictionary = {"columns": {"bp": {"unit": "mmHg"}}}
        r = client.put("/v1/datasets/cohort/dictionary", json=dictionary, headers=headers)
        assert r.status_code == 200, r.text
    return {"plain": plain, "rows": trusted}


def run(client: httpx.Client, key: str, body: dict[str, Any]) -> httpx.Response:
    return client.post(
        "/v1/queries", json={"plan": {"dataset": "cohort"} | body}, headers={"X-API-Key": key}
    )


def answered(client: httpx.Client, key: str, body: dict[str, Any]) -> dict[str, Any]:
    r = run(client, key, body)
    assert r.status_code == 200, r.text
    out: dict[str, Any] = r.json()
    return out


def _by_ward(column: str) -> dict[str, list[float]]:
    return {w: [p[column] for p in PATIENTS if p["ward"] == w] for w in WARDS}


YEAR, MONTH, WEEK, LB = 365.25, 30.4375, 7.0, 0.45359237


@pytest.mark.parametrize(
    ("body", "want", "words"),
    [
        # person-years: the sum of a follow-up in days, in years
        ({"statistic": "sum", "column": "followup_days", "unit": "year"},
         sum(DAYS) / YEAR, "sum of followup_days in years"),
        ({"statistic": "mean", "column": "followup_days", "unit": "month"},
         statistics.fmean(DAYS) / MONTH, "mean of followup_days in months"),
        ({"statistic": "median", "column": "followup_days", "unit": "week"},
         statistics.median(DAYS) / WEEK, "median of followup_days in weeks"),
        ({"statistic": "min", "column": "followup_days", "unit": "year"},
         min(DAYS) / YEAR, "minimum of followup_days in years"),
        ({"statistic": "max", "column": "followup_days", "unit": "month"},
         max(DAYS) / MONTH, "maximum of followup_days in months"),
        ({"statistic": "stddev", "column": "followup_days", "unit": "year"},
         statistics.stdev(DAYS) / YEAR, "standard deviation of followup_days in years"),
        ({"statistic": "percentile", "column": "followup_days", "percentile": 90, "unit": "year"},
         pct(DAYS, 90) / YEAR, "90th percentile of followup_days in years"),
        ({"statistic": "iqr", "column": "followup_days", "unit": "month"},
         (pct(DAYS, 75) - pct(DAYS, 25)) / MONTH, "interquartile range of followup_days in months"),
        ({"statistic": "mean", "column": "weight_kg", "unit": "lb"},
         statistics.fmean(KILOS) / LB, "mean of Weight (kg) in lb"),
        ({"statistic": "sum", "column": "weight_kg", "unit": "g",
          "filters": [{"column": "ward", "op": "=", "value": "A"}]},
         sum(_by_ward("Weight (kg)")["A"]) * 1000, "sum of Weight (kg) in g"),
        ({"statistic": "difference", "of": "mean", "column": "followup_days", "unit": "year",
          "groups": [[{"column": "sex", "op": "=", "value": "F"}],
                     [{"column": "sex", "op": "=", "value": "M"}]]},
         (statistics.fmean(p["followup_days"] for p in PATIENTS if p["sex"] == "F")
          - statistics.fmean(p["followup_days"] for p in PATIENTS if p["sex"] == "M")) / YEAR,
         "difference in the mean of followup_days in years"),
        ({"statistic": "mean", "column": "followup_days", "unit": "day"},
         statistics.fmean(DAYS), "mean of followup_days in days"),
    ],
)  # fmt: skip
def test_a_statistic_in_another_unit_of_its_column(
    client: httpx.Client, keys: dict[str, str], body: dict[str, Any], want: float, words: str
) -> None:
    """The answer and its row in the unit asked, exactly; the caveat states the
    conversion, the summary and the interpretation the unit; the plan sent back (with
    its unit) gives the same answer."""
    got = answered(client, keys["rows"], body)
    assert math.isclose(got["answer"], want, rel_tol=1e-12), (got["answer"], want)
    rows = got["rows"]
    shown = rows[0][1] - rows[1][1] if body["statistic"] == "difference" else rows[0][0]
    assert math.isclose(shown, want, rel_tol=1e-12)  # the difference: of the two rows'
    assert words in got["summary"] and words in got["interpretation_sentence"]
    assert got["plan"]["unit"] == body["unit"]
    column = body["column"]
    if body["unit"] != "day":
        recorded = "days" if column == "followup_days" else "kg"  # weight_kg: "Weight (kg)"
        stated = [c for c in got["caveats"] if c.startswith(f"{column} converted from ")]
        assert stated and f"from {recorded} to " in stated[0] and "(1 " in stated[0], got
    else:
        assert not any("converted" in c for c in got["caveats"])
    again = answered(client, keys["rows"], got["plan"])
    assert again["answer"] == got["answer"]


def test_grouped_and_ranked_answers_convert_their_values_not_their_keys(
    client: httpx.Client, keys: dict[str, str]
) -> None:
    by_ward = {w: statistics.fmean(v) / YEAR for w, v in _by_ward("followup_days").items()}
    body = {"statistic": "mean", "column": "followup_days", "unit": "year", "group_by": ["ward"]}
    got = answered(client, keys["rows"], body)
    assert set(got["answer"]) == set(WARDS)
    for ward, want in by_ward.items():
        assert math.isclose(got["answer"][ward], want, rel_tol=1e-12), ward
    assert {r[0]: r[1] for r in got["rows"]} == got["answer"]
    ranked = answered(client, keys["rows"], body | {"order": "desc", "limit": 2})
    order = sorted(by_ward, key=lambda w: -by_ward[w])[:2]
    assert ranked["answer"] == order
    assert [r[0] for r in ranked["rows"]] == order
    for row in ranked["rows"]:
        assert math.isclose(row[1], by_ward[row[0]], rel_tol=1e-12)
    assert "in years" in ranked["summary"]


def test_a_scaled_statistic_is_held_to_the_same_k_rows(
    client: httpx.Client, keys: dict[str, str]
) -> None:
    """Without ``rows``, ward C's 3 patients are withheld (and ward B with them, so that
    C cannot be worked out from the total) in years as in days; ward A is shown, in
    years."""
    body = {"statistic": "mean", "column": "followup_days", "group_by": ["ward"]}
    days = answered(client, keys["plain"], body)
    years = answered(client, keys["plain"], body | {"unit": "year"})
    assert years["suppressed"] == days["suppressed"]
    withheld = {s["path"] for s in years["suppressed"]}
    assert "/answer/C" in withheld and len(withheld) == 2
    for ward in WARDS:
        if f"/answer/{ward}" in withheld:
            assert years["answer"][ward] is None
            assert all(r[1] is None for r in years["rows"] if r[0] == ward)
        else:
            want = statistics.fmean(_by_ward("followup_days")[ward]) / YEAR
            assert math.isclose(years["answer"][ward], want, rel_tol=1e-12)
    few = {"filters": [{"column": "ward", "op": "=", "value": "C"}]}
    years = {"statistic": "sum", "column": "followup_days", "unit": "year"}
    single = answered(client, keys["plain"], few | years)
    assert single["answer"] is None and single["suppressed"][0]["reason"] == "few_rows"
    pair = few | {"statistic": "difference", "of": "percentile", "column": "followup_days",
                  "percentile": [90, 10], "unit": "month"}  # fmt: skip
    spread = answered(client, keys["plain"], pair)
    assert spread["answer"] is None and spread["suppressed"][0]["reason"] == "few_rows"
    assert spread["rows"] == [["90th percentile", None], ["10th percentile", None]]
    c = _by_ward("followup_days")["C"]
    exact = answered(client, keys["rows"], pair)["answer"]
    assert math.isclose(exact, (pct(c, 90) - pct(c, 10)) / MONTH, rel_tol=1e-12)


@pytest.mark.parametrize(
    ("low", "high", "filters"),
    [
        (10, 90, []),
        (25, 75, []),
        (2.5, 97.5, [{"column": "sex", "op": "=", "value": "F"}]),
        (90, 10, [{"column": "ward", "op": "in", "values": ["A", "B"]}]),
    ],
)
def test_the_difference_of_two_percentiles_of_one_column(
    client: httpx.Client,
    keys: dict[str, str],
    low: float,
    high: float,
    filters: list[dict[str, Any]],
) -> None:
    """``percentile: [high, low]`` in a difference without groups: the first minus the
    second, over the same rows; [75, 25] is the iqr. (With ``rows``: wards A and B
    leave ward C's 3 out, which the complement rule refuses without it.)"""
    kept = [
        p["followup_days"]
        for p in PATIENTS
        if all(
            p[f["column"]] == f["value"] if f["op"] == "=" else p[f["column"]] in f["values"]
            for f in filters
        )
    ]
    body = {"statistic": "difference", "of": "percentile", "column": "followup_days",
            "percentile": [high, low], "filters": filters}  # fmt: skip
    got = answered(client, keys["rows"], body)
    want = pct(kept, high) - pct(kept, low)
    assert math.isclose(got["answer"], want, rel_tol=1e-12, abs_tol=1e-9), (got, want)
    assert got["columns"] == ["group", "value"]
    assert got["rows"][0][0] == f"{high:g}th percentile"
    assert math.isclose(got["rows"][0][1], pct(kept, high), rel_tol=1e-12)
    assert math.isclose(got["rows"][1][1], pct(kept, low), rel_tol=1e-12)
    assert got["plan"]["percentile"] == [high, low]
    assert "percentile of followup_days minus its" in got["summary"]
    if (high, low) == (75, 25):
        iqr = answered(client, keys["rows"], {"statistic": "iqr", "column": "followup_days"})
        assert math.isclose(iqr["answer"], got["answer"], rel_tol=1e-12)


@pytest.mark.parametrize(
    "body",
    [
        {"statistic": "percentile", "column": "followup_days", "percentile": 100},
        {"statistic": "difference", "of": "percentile", "column": "followup_days",
         "percentile": [100, 0]},
        {"statistic": "difference", "of": "percentile", "column": "followup_days",
         "percentile": [50, 0]},
    ],
)  # fmt: skip
def test_a_0th_or_100th_percentile_is_record_level(
    client: httpx.Client, keys: dict[str, str], body: dict[str, Any]
) -> None:
    """The 100th percentile is the maximum, one patient's value (and a spread from it
    gives it away beside the other percentile): the scope ``rows``, as max is."""
    refused = run(client, keys["plain"], body)
    assert (refused.status_code, error_of(refused)) == (403, "forbidden")
    assert "'rows'" in refused.json()["message"]
    exact = answered(client, keys["rows"], body)["answer"]
    want = max(DAYS) if body["statistic"] == "percentile" else pct(DAYS, body["percentile"][0])
    want -= 0 if body["statistic"] == "percentile" else min(DAYS)
    assert math.isclose(exact, want, rel_tol=1e-12)


COLUMNS = [
    ColumnInfo("followup_days", "integer", unit="day"),
    ColumnInfo("weight", "number", unit="kg"),
    ColumnInfo("bp", "integer", unit="mmhg"),
    ColumnInfo("age", "integer"),
    ColumnInfo("sex", "category", textual=True, values=("F", "M")),
    ColumnInfo("id", "identifier"),
]
FU = {"column": "followup_days"}
SEXES = [[{"column": "sex", "op": "=", "value": "F"}], [{"column": "sex", "op": "=", "value": "M"}]]


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({"statistic": "mean", "unit": "hours"} | FU, "plan.unit", "'hours' is not one of day"),
        ({"statistic": "mean", "unit": "kg"} | FU, "plan.unit",
         "followup_days is in days, which cannot be converted to kg"),
        ({"statistic": "mean", "column": "bp", "unit": "kg"}, "plan.unit",
         "bp is in mmhg, which cannot be converted to kg"),
        ({"statistic": "mean", "column": "age", "unit": "month"}, "plan.unit",
         "age has no recorded unit"),
        ({"statistic": "count", "unit": "year"}, "plan.unit", "a count is not in its column's"),
        ({"statistic": "count_distinct", "unit": "year"} | FU, "plan.unit", "count distinct"),
        ({"statistic": "percentage", "unit": "year",
          "condition": [{"column": "followup_days", "op": ">", "value": 365}]},
         "plan.unit", "a percentage is not"),
        ({"statistic": "correlation", "x": "weight", "unit": "year"} | FU, "plan.unit",
         "a correlation is not"),
        ({"statistic": "linear_regression", "x": "weight", "unit": "year"} | FU, "plan.unit",
         "a linear regression is not"),
        ({"statistic": "top", "limit": 3, "unit": "year"} | FU, "plan.unit", "a top is not"),
        ({"statistic": "difference", "of": "count", "groups": SEXES, "unit": "year"} | FU,
         "plan.unit", "a difference of counts is not"),
        ({"statistic": "difference", "of": "percentile", "percentile": [90]} | FU,
         "plan.percentile", "at least 2 items"),
        ({"statistic": "difference", "of": "percentile", "percentile": [90, 10, 5]} | FU,
         "plan.percentile", "at most 2 items"),
        ({"statistic": "difference", "of": "percentile", "percentile": [90, 101]} | FU,
         "plan.percentile[1]", "from 0 to 100"),
        ({"statistic": "difference", "of": "percentile", "percentile": [90, 90]} | FU,
         "plan.percentile", "two different percentiles"),
        ({"statistic": "difference", "of": "mean", "percentile": [90, 10]} | FU,
         "plan.of", '"of": "percentile"'),
        ({"statistic": "difference", "of": "percentile", "percentile": [90, 10],
          "groups": SEXES} | FU, "plan.percentile", "not both"),
        ({"statistic": "difference", "of": "percentile", "percentile": 90} | FU,
         "plan.groups", "or two percentiles (percentile: [90, 10])"),
        ({"statistic": "percentile", "percentile": [90, 10]} | FU, "plan.percentile",
         "percentile takes one percentile; two go with a difference"),
    ],
)  # fmt: skip
def test_a_unit_or_pair_that_cannot_apply_names_its_field(
    body: dict[str, Any], field: str, words: str
) -> None:
    with pytest.raises(PlanError) as refused:
        plan.from_json(body, COLUMNS)
    assert str(refused.value).startswith(f"{field}: "), refused.value
    assert words in refused.value.why, refused.value.why


def test_over_http_a_unit_that_cannot_apply_is_400(
    client: httpx.Client, keys: dict[str, str]
) -> None:
    for body, words in (
        ({"statistic": "mean", "column": "followup_days", "unit": "lb"}, "followup_days is in"),
        ({"statistic": "mean", "column": "age", "unit": "year"}, "age has no recorded unit"),
        ({"statistic": "mean", "column": "bp", "unit": "mm"}, "bp is in mmhg"),
        ({"statistic": "count", "unit": "day"}, "a count is not"),
    ):
        r = run(client, keys["rows"], body)
        assert (r.status_code, error_of(r)) == (400, "invalid_request"), r.text
        assert r.json()["message"].startswith("plan.unit: ") and words in r.json()["message"]


def test_a_conversation_saved_before_plans_had_a_unit_keeps_it(server: InProcess) -> None:
    """A conversation stored with its conversion beside the plan (``_unit``) reads back
    as a plan with its unit: a follow-up stays in months."""
    db = server.appliance.db
    org, _key = server.new_org()
    saved = {"dataset": "cohort", "statistic": "mean", "column": "followup_days"}
    cid = conversations.save(db, org.id, "someone", None, saved)
    with db.write() as conn:
        conn.execute(
            "UPDATE conversations SET plan = ? WHERE id = ?",
            ('{"dataset": "cohort", "statistic": "mean", "column": "followup_days",'
             ' "_unit": [0.03285420944558522, "months"]}', cid),
        )  # fmt: skip
    assert conversations.load(db, org.id, "someone", cid).plan == saved | {"unit": "month"}


def test_run_plan_over_mcp_takes_the_unit_and_the_pair(real_server: Server) -> None:
    """The SDK client, as an agent: person-years and a spread of percentiles through
    run_plan, and a unit that cannot apply as a tool error naming plan.unit."""
    from tests.test_mcp import call

    _org, key = real_server.new_org()
    with real_server.client() as client:
        upload(client, key, "cohort.csv", _csv())
        imported(client, {"X-API-Key": key}, ["cohort"])
    headers = {"X-API-Key": key}
    years = {"dataset": "cohort", "statistic": "sum", "column": "followup_days", "unit": "year"}
    got = call(real_server, headers, "run_plan", {"plan": years})
    assert not got.is_error, got.content
    assert math.isclose(got.structured_content["answer"], sum(DAYS) / YEAR, rel_tol=1e-12)
    assert "sum of followup_days in years" in got.structured_content["summary"]
    spread = {"dataset": "cohort", "statistic": "difference", "of": "percentile",
              "column": "followup_days", "percentile": [90, 10]}  # fmt: skip
    got = call(real_server, headers, "run_plan", {"plan": spread})
    assert not got.is_error, got.content
    want = pct(DAYS, 90) - pct(DAYS, 10)
    assert math.isclose(got.structured_content["answer"], want, rel_tol=1e-12)
    bad = call(real_server, headers, "run_plan", {"plan": years | {"unit": "kg"}})
    assert bad.is_error and bad.structured_content["error"] == "invalid_request"
    assert bad.structured_content["message"].startswith(
        "plan.unit: followup_days is in days, which cannot be converted to kg"
    )


@pytest.mark.parametrize(
    ("question", "want", "unit"),
    [
        ("person-years of follow-up", sum(DAYS) / YEAR, "year"),
        ("total patient-years of followup in ward A",
         sum(p["followup_days"] for p in PATIENTS if p["ward"] == "A") / YEAR, "year"),
        ("difference between the 90th and the 10th percentile of follow-up",
         pct(DAYS, 90) - pct(DAYS, 10), None),
        ("the 90th minus the 10th percentile of followup in months",
         (pct(DAYS, 90) - pct(DAYS, 10)) / MONTH, "month"),
        ("75th percentile minus 25th percentile of follow-up for women",
         pct([p["followup_days"] for p in PATIENTS if p["sex"] == "F"], 75)
         - pct([p["followup_days"] for p in PATIENTS if p["sex"] == "F"], 25), None),
    ],
)  # fmt: skip
def test_questions_say_person_years_and_a_spread_of_percentiles(
    client: httpx.Client, keys: dict[str, str], question: str, want: float, unit: str | None
) -> None:
    """The reader writes them as the plans above: the sum in years, a difference of two
    percentiles (in the unit said); the plan it sends back carries them."""
    r = client.post(
        "/v1/queries",
        json={"question": question, "dataset": "cohort"},
        headers={"X-API-Key": keys["rows"]},
    )
    assert r.status_code == 200, r.text
    got = r.json()
    assert math.isclose(got["answer"], want, rel_tol=1e-12), (question, got["answer"], want)
    assert got["plan"].get("unit") == unit
    assert got["plan"]["column"] == "followup_days"
    again = answered(client, keys["rows"], got["plan"])
    assert again["answer"] == got["answer"]


def test_a_follow_up_stays_in_the_unit_where_its_statistic_has_one(
    client: httpx.Client, keys: dict[str, str]
) -> None:
    headers = {"X-API-Key": keys["rows"]}
    first = client.post(
        "/v1/queries",
        json={"question": "person-years of follow-up", "dataset": "cohort"},
        headers=headers,
    ).json()
    cid = first["conversation_id"]
    median = client.post(
        "/v1/queries", json={"question": "what about the median?", "conversation_id": cid},
        headers=headers,
    ).json()  # fmt: skip
    assert math.isclose(median["answer"], statistics.median(DAYS) / YEAR, rel_tol=1e-12)
    assert median["plan"]["unit"] == "year"
    assert any("still in years" in c for c in median["caveats"])
    count = client.post(
        "/v1/queries", json={"question": "and how many?", "conversation_id": cid},
        headers=headers,
    )  # fmt: skip
    assert count.status_code == 200, count.text
    assert count.json()["answer"] == len(PATIENTS) and "unit" not in count.json()["plan"]


def test_a_kaplan_meier_median_in_months_converts_its_times_not_its_counts(
    client: httpx.Client, keys: dict[str, str]
) -> None:
    """survival_median's median and 95 % limits are times (converted); n, events and
    censored are counts (never). The event is one every row has, so that the median is
    a sample median the test can work out."""
    body = {
        "statistic": "survival_median",
        "column": "followup_days",
        "condition": [{"column": "bp", "op": ">=", "value": 100}],  # every row: an event
        "group_by": ["sex"],
    }
    days = answered(client, keys["rows"], body)
    months = answered(client, keys["rows"], body | {"unit": "month"})
    assert set(months["answer"]) == set(days["answer"]) == {"F", "M"}
    for sex, value in days["answer"].items():
        assert math.isclose(months["answer"][sex], value / MONTH, rel_tol=1e-12)
    # every patient has the event: the median is the sample median of the times
    women = [p["followup_days"] for p in PATIENTS if p["sex"] == "F"]
    assert days["answer"]["F"] == sorted(women)[(len(women) - 1) // 2]
    columns = months["columns"]
    assert columns[:4] == ["sex", "median", "lower_95", "upper_95"]
    for in_days, in_months in zip(days["rows"], months["rows"], strict=True):
        assert in_months[0] == in_days[0]
        for i in (1, 2, 3):
            if in_days[i] is not None:
                assert math.isclose(in_months[i], in_days[i] / MONTH, rel_tol=1e-12)
        assert in_months[4:] == in_days[4:]  # n, events, censored
    refused = run(client, keys["rows"], body | {"statistic": "survival_at", "time": 365,
                                                 "group_by": [], "unit": "year"})  # fmt: skip
    assert (refused.status_code, refused.json()["message"][:10]) == (400, "plan.unit:")

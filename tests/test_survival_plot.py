"""Kaplan-Meier pictures over HTTPS: ``POST /v1/queries?format=svg``.

The picture is read back as an XML document: its step lines, mapped back from pixels to
probabilities, are statsmodels' ``SurvfuncRight`` curves of the same rows; its censor
marks are the distinct censored times counted from the table written here; labels from
the data stay text; errors and disclosure control are the JSON answer's.
"""

from __future__ import annotations

import json
import math
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import pytest

from appliance.accounts import apikeys, orgs
from appliance.analytics import survival_svg
from appliance.partner import curve_sketch
from tests.cli_runner import run_hpx
from tests.helpers import error_of
from tests.references import SurvfuncRight
from tests.servers import Server
from tests.test_analytics import sign_in, upload
from tests.test_survival_questions import ready_for_survival, trial, trial_csv

# One worker runs the three survival modules over HTTPS (test_survival_api.py, _plot,
# _questions): its server imports lifelines once, and the worker statsmodels once.
pytestmark = pytest.mark.xdist_group("survival")

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def org(server: Server) -> dict[str, Any]:
    org, key = server.new_org()
    with server.client() as client:
        upload(client, key, "trial.csv", trial_csv(trial()))
        headers = sign_in(server, client, org.id, "clinician")
    ready_for_survival(server, headers, "trial")
    return {"headers": headers, "key": key, "id": org.id}


def picture(client: httpx.Client, headers: dict[str, str], **body: Any) -> httpx.Response:
    return client.post("/v1/queries", params={"format": "svg"}, json=body, headers=headers)


def drawn(r: httpx.Response) -> ET.Element:
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("image/svg+xml")
    assert r.headers["x-content-type-options"] == "nosniff"
    assert "default-src 'none'" in r.headers["content-security-policy"]
    return ET.fromstring(r.text)


def curves(root: ET.Element) -> list[list[float]]:
    """The survival probabilities each step line goes down to, read from its pixels
    (after the line's start at S = 1)."""
    found = []
    for path in root.iter(SVG + "path"):
        if path.get("class") != "curve":
            continue
        ys = [float(v) for v in re.findall(r"V([0-9.]+)", path.get("d", ""))]
        found.append([1 - (y - survival_svg.TOP) / survival_svg.PLOT_HEIGHT for y in ys[1:]])
    return found


def marks(root: ET.Element) -> list[int]:
    return [
        len(re.findall(r"v8", p.get("d", "")))
        for p in root.iter(SVG + "path")
        if p.get("class") == "censored"
    ]


def legend(root: ET.Element) -> list[str]:
    return [t.text or "" for g in root.iter(SVG + "g") for t in g.iter(SVG + "text")]


def test_the_curves_by_treatment_are_drawn_as_statsmodels_computes_them(
    client: httpx.Client, org: dict
) -> None:
    d = trial()
    root = drawn(picture(client, org["headers"], question="kaplan meier curve by treatment"))
    assert legend(root) == ["treatment = standard", "treatment = test"]
    got = curves(root)
    assert len(got) == 2
    for arm, line in zip(("standard", "test"), got, strict=True):
        rows = d["treatment"] == arm
        ref = SurvfuncRight(d["os_days"][rows], d["died"][rows])
        assert line == pytest.approx(list(ref.surv_prob), abs=0.15 / survival_svg.PLOT_HEIGHT)
    censored = [
        len(np.unique(d["os_days"][(d["treatment"] == a) & (d["died"] == 0)]))
        for a in ("standard", "test")
    ]
    assert marks(root) == censored


def test_a_median_question_draws_the_curve_behind_it(client: httpx.Client, org: dict) -> None:
    d = trial()
    r = picture(client, org["headers"], question="median survival for stage 3")
    root = drawn(r)
    assert r.headers["x-query-id"].startswith("qry")
    (line,) = curves(root)
    rows = d["stage"] == 3
    ref = SurvfuncRight(d["os_days"][rows], d["died"][rows])
    assert line == pytest.approx(list(ref.surv_prob), abs=0.15 / survival_svg.PLOT_HEIGHT)
    assert legend(root) == []  # one curve: no legend
    assert "stage = 3" in (root.find(SVG + "title").text or "")


def test_a_plan_draws_its_curve_in_the_unit_asked(client: httpx.Client, org: dict) -> None:
    plan = {"dataset": "trial", "statistic": "survival_curve", "group_by": [{"column": "stage"}]}
    root = drawn(picture(client, org["headers"], plan=plan))
    assert len(curves(root)) == 4
    axis = [t.text for t in root.iter(SVG + "text") if t.text and t.text.startswith("os_days")]
    assert axis == ["os_days (days)"]
    months = drawn(picture(client, org["headers"], question="median survival in months"))
    axis = [t.text for t in months.iter(SVG + "text") if t.text and t.text.startswith("os_days")]
    assert axis == ["os_days (months)"]
    last = max(float(t.text) for t in months.iter(SVG + "text") if t.get("text-anchor") == "middle"
               and (t.text or "").replace(".", "").isdigit())  # fmt: skip
    longest = float(trial()["os_days"].max()) / 30.4375  # the follow-up, in months
    assert longest <= last < longest * 1.5  # the time axis is in months, not days


def test_labels_from_the_data_stay_text(server: Server, client: httpx.Client) -> None:
    _org, key = server.new_org()
    hostile = "<script>alert(\"x\")</script> & 'arm'"
    rows = "".join(
        f'"{hostile.replace(chr(34), chr(34) * 2) if i % 2 else "plain"}",{10 + i},{i % 3 == 0:d}\n'
        for i in range(40)
    )
    upload(client, key, "hostile.csv", ("arm,time,death\n" + rows).encode())
    root = drawn(
        picture(client, {"X-API-Key": key}, question="survival curve by arm", dataset="hostile")
    )
    assert f"arm = {hostile}" in legend(root)
    assert not [e for e in root.iter() if e.tag.endswith("script")]


def test_what_has_no_curve_is_refused_as_the_contract_says(client: httpx.Client, org: dict) -> None:
    h = org["headers"]
    asked = picture(client, h, question="mean age", dataset="trial")
    assert (asked.status_code, error_of(asked)) == (422, "unanswerable_question")
    assert "format=svg" in asked.json()["message"]
    plan = {"dataset": "trial", "statistic": "mean", "column": "age"}
    sent = picture(client, h, plan=plan)
    assert (sent.status_code, error_of(sent)) == (400, "invalid_request")
    assert sent.json()["message"].startswith("format")
    cox = picture(client, h, question="hazard ratio of death for the test treatment")
    assert (cox.status_code, error_of(cox)) == (422, "unanswerable_question")
    png = client.post(
        "/v1/queries", params={"format": "png"}, json={"question": "survival"}, headers=h
    )
    assert (png.status_code, error_of(png)) == (400, "invalid_request")
    assert png.json()["message"].startswith("format")
    gone = picture(client, h, question="survival curve", dataset="nothing-here")
    assert (gone.status_code, error_of(gone)) == (404, "not_found")
    anon = picture(client, {}, question="survival curve", dataset="trial")
    assert (anon.status_code, error_of(anon)) == (401, "unauthorized")


def test_another_organization_cannot_draw_this_one(server: Server, client: httpx.Client) -> None:
    _other, key = server.new_org()
    r = picture(client, {"X-API-Key": key}, question="survival curve", dataset="trial")
    assert (r.status_code, error_of(r)) == (404, "not_found")


def test_without_record_level_access_the_picture_is_refused_as_the_answer_is(
    server: Server, client: httpx.Client, org: dict
) -> None:
    assert orgs.get_org(server.appliance.db, org["id"]).min_cell_size > 1  # type: ignore[union-attr]
    key = apikeys.issue_key(server.appliance.db, org["id"], scopes=["query"]).api_key
    h = {"X-API-Key": key}
    body = {"question": "survival curve by treatment", "dataset": "trial"}
    answer = client.post("/v1/queries", json=body, headers=h)
    drawing = picture(client, h, **body)
    assert (answer.status_code, error_of(answer)) == (403, "forbidden")
    assert (drawing.status_code, error_of(drawing)) == (403, "forbidden")
    assert drawing.json()["message"] == answer.json()["message"]


def test_hpx_ask_sketches_the_curve_under_the_answer(
    server: Server, client: httpx.Client, tmp_path: Path
) -> None:
    """Arm a: sixteen deaths at days 1 to 16, so S falls from 1 to 0; arm b: sixteen
    patients followed to day 16, four of whom died that day, so S is 1 until it drops
    to 0.75 at day 16 (worked by hand, not by the engine)."""
    org, key = server.new_org()
    rows = [f"a,{d},1" for d in range(1, 17)] + ["b,16,1"] * 4 + ["b,16,0"] * 12
    upload(client, key, "arms.csv", ("arm,days,death\n" + "\n".join(rows) + "\n").encode())
    headers = sign_in(server, client, org.id, "sketch")
    ca = tmp_path / "ca.pem"
    server.ca.cert_pem.write_to_path(str(ca))
    token = headers["Authorization"].removeprefix("Bearer ")
    r = run_hpx("ask", "kaplan meier curve by arm", "--dataset", "arms", "--url", server.url,
                "--cacert", str(ca), env={"HPX_TOKEN": token})  # fmt: skip
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    answer = next(k for k, line in enumerate(lines) if line.startswith("answer: "))
    sketch = lines[answer + 1 : answer + 1 + curve_sketch.ROWS + 4]
    top, bottom = sketch[0], sketch[curve_sketch.ROWS]
    assert top.startswith("  1.0 |") and bottom.startswith("  0.0 |")
    plot = [line[len("  1.0 |") :] for line in sketch[: curve_sketch.ROWS + 1]]
    width = curve_sketch.WIDTH
    assert plot[0].rstrip() == "o" * (width - 1)  # b at 1 (drawn over a) until day 16
    last = [line.ljust(width)[width - 1] for line in plot]  # day 16, the last column
    assert last == [" ", " ", "o", " ", " ", " ", " ", " ", "*"]  # b at 0.75, a at 0
    assert plot[curve_sketch.ROWS // 2].count("*") > 0  # a passes one half on the way
    assert sketch[-2].strip().startswith("0") and sketch[-2].strip().endswith("16 days")
    assert sketch[-1].strip() == "* a  o b"
    r = run_hpx("ask", "median survival by arm", "--dataset", "arms", "--url", server.url,
                "--cacert", str(ca), env={"HPX_TOKEN": token})  # fmt: skip
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    answer = next(k for k, line in enumerate(lines) if line.startswith("answer: "))
    # a: S is exactly 1/2 from day 8 to day 9, so its median is the midpoint (R's rule)
    assert json.loads(lines[answer].removeprefix("answer: ")) == {"a": 8.5, "b": None}
    assert lines[answer + 1 : answer + 1 + len(sketch)] == sketch  # the curve behind it
    r = run_hpx("ask", "median survival by arm in weeks", "--dataset", "arms", "--url",
                server.url, "--cacert", str(ca), env={"HPX_TOKEN": token})  # fmt: skip
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    answer = next(k for k, line in enumerate(lines) if line.startswith("answer: "))
    assert json.loads(lines[answer].removeprefix("answer: ")) == {"a": 8.5 / 7, "b": None}
    assert lines[answer + 1 : answer + 1 + len(sketch)] == sketch  # the curve, in days


def test_the_largest_picture_is_bounded_and_well_formed() -> None:
    """20 curves of 200 steps and 200 censor marks (the answer's caps), labels of a
    thousand characters with markup in them."""
    steps = [k * 1.0e6 for k in range(201)]
    series = [
        survival_svg.Series(
            f"<g>{k}&" + "x" * 1000,
            steps,
            [1 - k / 200 for k in range(201)],
            [(t + 0.5, 0.5) for t in steps[:200]],
            steps[-1] + 7,
        )
        for k in range(survival_svg.MAX_SERIES)
    ]
    svg = survival_svg.render(series, "time (days)", "t" * 5000)
    assert len(svg.encode()) < 200_000
    root = ET.fromstring(svg)
    assert len(curves(root)) == survival_svg.MAX_SERIES
    assert marks(root) == [200] * survival_svg.MAX_SERIES
    assert all(len(label) == survival_svg.MAX_LABEL for label in legend(root))
    assert legend(root)[3].startswith("<g>3&x")
    with pytest.raises(ValueError):
        survival_svg.render(series * 2, "time", "too many")


def test_ticks_are_round_and_cover_the_follow_up() -> None:
    assert survival_svg.ticks(10.7) == [0, 2, 4, 6, 8, 10, 12]
    assert survival_svg.ticks(1800) == [0, 500, 1000, 1500, 2000]
    assert survival_svg.ticks(0.0) == [0.0, 1.0]
    assert survival_svg.ticks(math.inf) == [0.0, 1.0]
    line = survival_svg.Series(None, [0.0, 5.0], [1.0, 0.5], [], math.inf)
    root = ET.fromstring(survival_svg.render([line], "t", "unbounded"))  # still a document
    assert "inf" not in ET.tostring(root, encoding="unicode")

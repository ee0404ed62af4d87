"""``hpx ask``: a question to an appliance, its analysis streamed to the terminal."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import httpx

from appliance.partner import curve_sketch


class AskError(Exception):
    """The appliance refused the question, or the stream ended in an error event."""


def stream_events(
    base_url: str,
    token: str,
    question: str,
    dataset: str | None,
    verify: Any,
    conversation_id: str | None = None,
) -> Iterator[tuple[str, dict[str, Any]]]:
    """(event name, data) pairs of the Server-Sent Events answer."""
    body: dict[str, Any] = {"question": question}
    if dataset:
        body["dataset"] = dataset
    if conversation_id:
        body["conversation_id"] = conversation_id
    headers = {"Authorization": f"Bearer {token}", "Accept": "text/event-stream"}
    with (
        httpx.Client(verify=verify, timeout=120) as client,
        client.stream("POST", base_url + "/v1/queries", json=body, headers=headers) as response,
    ):
        if response.status_code != 200:
            response.read()
            try:
                message = response.json()["message"]
            except (ValueError, KeyError):
                message = response.text
            raise AskError(f"{response.status_code}: {message}")
        name, data = "message", []
        for line in response.iter_lines():
            if line.startswith("event:"):
                name = line[6:].strip()
            elif line.startswith("data:"):
                data.append(line[5:].strip())
            elif line == "" and data:
                yield name, json.loads("\n".join(data))
                name, data = "message", []


def _sketch(base_url: str, token: str, verify: Any, analysis: dict[str, Any]) -> list[str]:
    """The sketch of a survival answer's curve: its own, or (a median, S(t), a log-rank
    test) the curve of its plan's rows and groups, asked once more as a plan."""
    plan = analysis.get("plan")
    if not isinstance(plan, dict):
        return []
    if plan.get("statistic") not in curve_sketch.BEHIND:
        return curve_sketch.sketch(plan, analysis["answer"])
    # in the time column's own unit: a curve is not converted (its axis says the column)
    curve = {k: v for k, v in plan.items() if k not in ("time", "unit")}
    curve["statistic"] = "survival_curve"
    headers = {"Authorization": f"Bearer {token}"}
    try:
        with httpx.Client(verify=verify, timeout=120) as client:
            r = client.post(base_url + "/v1/queries", json={"plan": curve}, headers=headers)
    except httpx.HTTPError:
        return []  # the answer is shown already; the sketch is a convenience
    if r.status_code != 200:
        return []
    return curve_sketch.sketch(curve, r.json().get("answer"))


def ask(
    base_url: str,
    token: str,
    question: str,
    dataset: str | None,
    verify: Any,
    show: Callable[[str], None] = print,
    conversation_id: str | None = None,
) -> dict[str, Any]:
    """Show each stage as it arrives; return the whole analysis of the ``done`` event."""
    events = stream_events(base_url, token, question, dataset, verify, conversation_id)
    for name, data in events:
        if name == "accepted":
            show(f"question accepted ({data['query_id']}), dataset {data['dataset']}")
        elif name == "plan":
            for item in data["interpretation"]:
                show(f"  read {item['phrase']!r} as {item['meaning']}")
            if data.get("interpretation_sentence"):  # a server from before it: absent
                show(f"  computing the {data['interpretation_sentence']}")
            show(f"  plan: {json.dumps(data['plan'])}")
        elif name == "result":
            show(f"  {data['sql']}")
        elif name == "error":
            raise AskError(data.get("message", "the query failed"))
        elif name == "done":
            show(f"answer: {json.dumps(data['answer'])}")
            for line in _sketch(base_url, token, verify, data):
                show(line)
            show(data["summary"])
            for caveat in data["caveats"]:
                show(f"note: {caveat}")
            show(f"follow up with: --conversation {data['conversation_id']}")
            return data
    raise AskError("the stream ended without an answer")

"""The analytics corpus: fifteen public tables the question reader was not written
against, and their questions in three voices (tests/data/analytics/corpus).

The tables are uploaded to the application in this process through presigned URLs (its
ASGI interface), and every question is asked through the service layer the view of
``POST /v1/queries`` calls (tests/test_analytics.py, ``through_service``): the test is
about the reader, and the HTTP path of a question is proved by the development set's
HTTP pass. The accuracy is printed by fold, kind and voice (right / wrong / refused). A
wrong number is worse than a refusal: any answered-but-wrong question fails the test,
unless it is listed in KNOWN_WRONG (bugs of the reader, each with what it answered), and
so does any error other than a refusal (a 4xx or 5xx over HTTP).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from appliance.analytics.errors import Unanswerable
from tests.helpers import wait_until
from tests.servers import InProcess
from tests.test_analytics import Asked, close, sign_in, through_service, upload

CORPUS = Path(__file__).parent / "data" / "analytics" / "corpus"
# Each fold's question files; a table lives beside the file that asks about it. The blind
# fold was written one question at a time by people who never saw the reader, in two
# parts with their own tables (corpus/blind/README.md).
FOLD_FILES = {
    "open": [CORPUS / "open.json"],
    "sealed": [CORPUS / "sealed.json"],
    "blind": sorted((CORPUS / "blind").glob("*/questions.json")),
    "hand": sorted((CORPUS / "hand").glob("*/questions.json")),
}


def load_fold(files: list[Path]) -> dict[str, Any]:
    """One fold's dictionaries, questions and the CSV file of each of its tables."""
    fold: dict[str, Any] = {"dictionaries": {}, "questions": [], "tables": {}}
    for path in files:
        part = json.loads(path.read_text())
        fold["dictionaries"] |= part["dictionaries"]
        fold["questions"] += part["questions"]
        for item in part["questions"]:
            fold["tables"][item["dataset"]] = path.parent / f"{item['dataset']}.csv"
    return fold


FOLDS = {fold: load_fold(files) for fold, files in FOLD_FILES.items()}
# One worker runs each fold, so that its fixture (its tables imported) is made once; the
# folds, on their workers, run side by side.
FOLD_PARAMS = [pytest.param(f, marks=pytest.mark.xdist_group(f"corpus-{f}"), id=f) for f in FOLDS]

# Answered but wrong with the reader of this commit: its bugs, for others to fix. An item
# leaves the list when it is right (the summary names those that are).
KNOWN_WRONG: dict[str, str] = {}


@pytest.fixture(scope="session")
def server(app_on_sqlite: InProcess) -> InProcess:
    """The application in this process (tests/servers.py)."""
    return app_on_sqlite


@pytest.fixture(scope="module", params=FOLD_PARAMS)
def corpus(request: pytest.FixtureRequest, server: InProcess) -> tuple[str, Asked]:
    """The fold, and its questions' asker: an organization with the fold's tables and
    dictionaries (through the HTTP API), asked through the service layer."""
    fold: str = request.param
    tables = sorted({q["dataset"] for q in FOLDS[fold]["questions"]})
    org, key = server.new_org()
    with server.client() as client:
        for table in tables:
            upload(client, key, f"{table}.csv", FOLDS[fold]["tables"][table].read_bytes())
        headers = sign_in(server, client, org.id, f"corpus-{fold}")

        def ready() -> bool:
            found = client.get("/v1/datasets", headers=headers).json()["datasets"]
            assert sorted(d["name"] for d in found) == tables
            assert all("error" not in d for d in found), found
            return all(d["status"] == "ready" for d in found)

        # Imported first: an organization's files are imported one at a time (fair to
        # the others), and a dictionary is refused while its table is being imported.
        wait_until(ready, "the corpus tables imported", timeout=180, interval=0.5)
        for table, dictionary in FOLDS[fold]["dictionaries"].items():
            r = client.put(f"/v1/datasets/{table}/dictionary", json=dictionary, headers=headers)
            assert r.status_code == 200, r.text
    return fold, through_service(server, org, refused_after=True)


def outcome(asked: Asked, item: dict[str, Any]) -> tuple[str, Any]:
    """("right" | "wrong" | "refused", the answer) for one item; an error other than a
    refusal fails the test."""
    answer = asked(item)
    if isinstance(answer, Unanswerable):  # the question's, or its conversation's start
        return ("right" if item.get("refuse") else "refused"), None
    if not item.get("refuse") and close(answer, item["expected"]):
        return "right", answer
    return "wrong", answer


def tally(rows: dict[str, list[int]], name: str, verdict: str) -> None:
    counts = rows.setdefault(name, [0, 0, 0, 0])  # right, wrong, refused, total
    counts[("right", "wrong", "refused").index(verdict)] += 1
    counts[3] += 1


@pytest.mark.long
@pytest.mark.e2e  # a whole corpus (a minute of CPU): in ./install.sh --test, not the quick loop
def test_corpus(
    corpus: tuple[str, Asked],
    record_property: Callable[[str, object], None],
) -> None:
    """Every question of the fold; none may be answered wrong (KNOWN_WRONG aside)."""
    fold, asked = corpus
    items = FOLDS[fold]["questions"]
    verdicts = [outcome(asked, item) for item in items]
    by: dict[str, dict[str, list[int]]] = {"kind": {}, "voice": {}, "dataset": {}}
    problems: list[str] = []
    fixed: list[str] = []
    for item, (verdict, answer) in zip(items, verdicts, strict=True):
        for axis, rows in by.items():
            tally(rows, item[axis], verdict)
        if verdict == "wrong" and item["id"] not in KNOWN_WRONG:
            problems.append(
                f"{item['id']} {item['question']!r}"
                + (f" (after {item['after']!r})" if "after" in item else "")
                + f": {answer!r} != {item['expected']!r}"
            )
        if verdict != "wrong" and item["id"] in KNOWN_WRONG:
            fixed.append(item["id"])
    right, wrong, refused, total = (sum(c[i] for c in by["kind"].values()) for i in range(4))
    report = [
        f"analytics corpus, {fold} fold: {right}/{total} right, {wrong} answered wrong "
        f"({wrong - len(problems)} known), {refused} refused"
    ]
    for axis, rows in by.items():
        report.append(f"  by {axis}:")
        for name, (ok, bad, ref, n) in sorted(rows.items()):
            report.append(f"    {name:18} {ok:4}/{n:<4} right  {bad:3} wrong  {ref:4} refused")
    if fixed:
        report.append(f"  now right, to remove from KNOWN_WRONG: {', '.join(sorted(fixed))}")
    record_property("summary", report)
    assert not problems, f"{len(problems)} answered but wrong:\n" + "\n".join(problems)


@pytest.mark.parametrize("table", ["covid_tests", "nhefs"])
def test_the_exports_are_as_a_hospital_writes_them(table: str) -> None:
    """The two export-like tables keep what makes them so (a checkout must not convert them)."""
    data = (CORPUS / f"{table}.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # a UTF-8 byte order mark
    lines = data.split(b"\n")[:-1]
    assert lines and all(line.endswith(b"\r") for line in lines)  # CRLF throughout
    assert b",NA," in data or b",NA\r" in data  # NA for missing values
    assert b"(" in lines[0] or b"_kg" in lines[0]  # units in the headers

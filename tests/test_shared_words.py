"""A word several values of one column share ("AML" of "AML low risk" and "AML high
risk", "smokers" of "light smoker" and "heavy smoker") is that column in those values,
where the rest of each value only grades it; refused where it could mean other things.
Expected answers are computed from the rows written, not by the engine."""

from __future__ import annotations

import dataclasses
import statistics
from pathlib import Path
from typing import Any

import pytest

from appliance.analytics import datasets, reader
from appliance.analytics.errors import Unanswerable
from appliance.analytics.reader.kinds import Kind
from appliance.analytics.reader.linking import value_of
from appliance.analytics.reader.state import State
from appliance.analytics.reader.tokens import tokenize
from appliance.analytics.reader.vocabulary import vocabulary_for
from tests.test_analytics_reader import answer, table

GROUPS = ["ALL", "AML low risk", "AML high risk", "ALL", "AML high risk", "AML low risk", "ALL"]
AGES = [30, 41, 52, 63, 74, 85, 20]
SEXES = ["M", "F", "F", "M", "F", "M", "F"]
AML = [g.startswith("AML ") for g in GROUPS]


def leukaemia(folder: Path, **more: list[Any]) -> datasets.Dataset:
    return table(folder, "t", {"id": list(range(7)), "dgrp": GROUPS, "age": AGES, **more})


def test_a_shared_word_is_its_values(tmp_path: Path) -> None:
    ds = leukaemia(tmp_path, sex=SEXES)
    assert answer("how many AML patients", ds) == sum(AML)
    assert answer("how many patients with AML", ds) == sum(AML)
    assert answer("mean age of AML patients", ds) == pytest.approx(
        statistics.mean(a for a, m in zip(AGES, AML, strict=True) if m)
    )
    assert answer("percentage of patients with AML", ds) == pytest.approx(100 * sum(AML) / 7)
    females = [m for m, s in zip(AML, SEXES, strict=True) if s == "F"]
    assert answer("what percent of females have AML", ds) == pytest.approx(
        100 * sum(females) / len(females)
    )
    assert answer("how many patients without AML", ds) == 7 - sum(AML)
    assert answer("how many AML or ALL patients", ds) == 7
    aml_ages = [a for a, m in zip(AGES, AML, strict=True) if m]
    all_ages = [a for a, g in zip(AGES, GROUPS, strict=True) if g == "ALL"]
    assert answer("difference in mean age AML vs ALL", ds) == pytest.approx(
        statistics.mean(aml_ages) - statistics.mean(all_ages)
    )
    by_sex = answer("mean age by sex for AML patients", ds)
    for sex in ("F", "M"):
        kept = [a for a, m, s in zip(AGES, AML, SEXES, strict=True) if m and s == sex]
        assert by_sex[sex] == pytest.approx(statistics.mean(kept))


def test_the_reading_names_every_value(tmp_path: Path) -> None:
    reading = reader.read("how many AML patients", leukaemia(tmp_path))
    said = " ".join(reading.caveats)
    assert "'AML low risk'" in said and "'AML high risk'" in said
    assert reading.plan is not None
    (f,) = reading.plan.filters
    assert f.op == "in" and set(f.values) == {"AML low risk", "AML high risk"}
    without = reader.read("how many patients without AML", leukaemia(tmp_path))
    (meaning,) = [n["meaning"] for n in without.interpretation if "aml" in n["phrase"]]
    assert "'AML low risk'" in meaning and "'AML high risk'" in meaning


def test_smokers_by_value_labels_leave_the_non_smokers_out(tmp_path: Path) -> None:
    codes = [0, 1, 2, 0, 2, 1, 0]
    weights = [3.4, 3.0, 2.8, 3.6, 2.7, 3.1, 3.5]
    ds = table(tmp_path, "births", {"id": list(range(7)), "smk": codes, "bwt": weights})
    labels = {"0": "non-smoker", "1": "light smoker", "2": "heavy smoker"}
    ds = dataclasses.replace(ds, dictionary={"smk": {"label": "smoking", "value_labels": labels}})
    assert answer("how many smokers", ds) == sum(c > 0 for c in codes)
    assert answer("mean bwt of smokers", ds) == pytest.approx(
        statistics.mean(w for w, c in zip(weights, codes, strict=True) if c > 0)
    )
    assert answer("mean bwt of non-smokers", ds) == pytest.approx(
        statistics.mean(w for w, c in zip(weights, codes, strict=True) if c == 0)
    )
    assert answer("how many heavy smokers", ds) == codes.count(2)


@pytest.mark.parametrize(
    ("values", "question"),
    [
        # current or ever? a value with a time in it
        (["current smoker", "former smoker", "never smoker"] * 2 + ["current smoker"], "smokers"),
        # "AML" with more than a grade beside it: "AML relapsed" is not a grade of AML
        (["AML low risk", "AML relapsed", "ALL"] * 2 + ["ALL"], "AML patients"),
        # "risk" of "AML low risk": "aml low" is no grade
        (GROUPS, "patients at risk"),
    ],
)
def test_a_shared_word_that_could_mean_more_is_refused(
    tmp_path: Path, values: list[str], question: str
) -> None:
    ds = table(tmp_path, "t", {"id": list(range(7)), "grp": values, "age": AGES})
    assert isinstance(answer(f"how many {question}", ds), Unanswerable)


def test_a_word_of_two_columns_values_is_refused(tmp_path: Path) -> None:
    other = ["AML relapse", "none", "AML remission"] * 2 + ["none"]
    ds = leukaemia(tmp_path, prior=other)
    assert isinstance(answer("how many AML patients", ds), Unanswerable)


def test_a_time_qualifier_refusal_names_the_values(tmp_path: Path) -> None:
    values = ["current smoker", "ex-smoker", "never smoker"] * 2 + ["never smoker"]
    ds = table(tmp_path, "t", {"id": list(range(7)), "smoking": values, "age": AGES})
    refused = answer("mean age of smokers", ds)
    assert isinstance(refused, Unanswerable)
    assert "'current smoker'" in str(refused) and "'ex-smoker'" in str(refused)
    assert answer("how many never smokers", ds) == values.count("never smoker")


def test_two_values_of_one_column_for_one_phrase_are_refused(tmp_path: Path) -> None:
    """value_of never takes the first of two values of one column a phrase could be."""
    ds = table(tmp_path, "t", {"id": [1, 2, 3, 4], "grp": ["x", "y", "x", "y"]})
    vocab = vocabulary_for(ds)
    toks = tokenize(vocab, "how many grp x")
    tok = next(t for t in toks if t.text == "x")
    tok.kind, tok.data = Kind.VALUE, [("grp", "x"), ("grp", "y")]
    with pytest.raises(Unanswerable, match=r"'x'.*'y'"):
        value_of(State(vocab, toks, ds, False, True), tok)


def test_a_follow_up_keeps_every_value(tmp_path: Path) -> None:
    """ "what about AML patients?" after another question: the set, not its first value."""
    reading = reader.read("what about AML patients", leukaemia(tmp_path), follow_up=True)
    (f,) = reading.fragment["filters"]
    assert f.column == "dgrp" and f.op == "in"
    assert set(f.values) == {g for g in GROUPS if g.startswith("AML ")}
    without = reader.read("and those without AML", leukaemia(tmp_path), follow_up=True)
    assert sorted((f.op, f.values) for f in without.fragment["filters"]) == [
        ("!=", ("AML high risk",)),
        ("!=", ("AML low risk",)),
    ]

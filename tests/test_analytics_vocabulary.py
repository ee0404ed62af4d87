"""A dataset's vocabulary: the lexicon's phrases are made once per process and shared,
so one dataset's words must never reach another's, and a dataset whose dictionary
changes is read with its new words at the next question."""

from __future__ import annotations

import copy
import json
import statistics
from pathlib import Path
from typing import Any

import pytest

from appliance.analytics import datasets, engine, plan, reader
from appliance.analytics.errors import Unanswerable
from appliance.analytics.reader.kinds import Kind
from appliance.analytics.reader.vocabulary import vocabulary_for
from tests.test_analytics_reader import table

SBP = [118, 126, 141, 135, 150, 122]
DATA = Path(__file__).parent / "data" / "analytics"
ADMISSIONS = DATA / "admissions.csv"
DEVSET = json.loads((DATA / "questions.json").read_text())


def test_a_value_spelled_like_a_lexicon_word_stays_in_its_dataset(tmp_path: Path) -> None:
    """ "before" is a lexicon word and here also a value: the value's meaning is added to
    this dataset's table only, never to the lexicon's phrases the next dataset starts from."""
    timing = table(
        tmp_path / "a",
        "doses",
        {"id": list(range(6)), "timing": ["before", "after"] * 3, "sbp": SBP},
    )
    plain = table(tmp_path / "b", "visits", {"id": list(range(6)), "sbp": SBP})
    first = reader.Vocabulary(timing).table[("before",)]
    assert first[Kind.VALUE] == [("timing", "before")]
    assert Kind.BEFORE in first
    for ds in (plain, timing, plain):
        meanings = reader.Vocabulary(ds).table[("before",)]
        assert (Kind.VALUE in meanings) == (ds is timing), ds.name
        assert Kind.BEFORE in meanings
    assert ("timing",) not in reader.Vocabulary(plain).table


def test_a_label_given_later_is_read_at_the_next_question(tmp_path: Path) -> None:
    ds = table(tmp_path, "visits", {"id": list(range(6)), "q7": SBP})
    question = "mean grip strength"
    with pytest.raises(Unanswerable):
        reader.read(question, ds)
    ds.dictionary["q7"] = {"label": "grip strength"}
    reading = reader.read(question, ds)
    assert reading.plan is not None
    got = engine.run(plan.from_json(reading.plan.to_json(), ds.infos), ds).answer
    assert got == pytest.approx(statistics.mean(SBP))
    del ds.dictionary["q7"]
    with pytest.raises(Unanswerable):
        reader.read(question, ds)


def test_a_new_profile_is_a_new_vocabulary(tmp_path: Path) -> None:
    """The same table name and path, its file replaced with other values (a new upload):
    the next question is read with the new values, never the old ones."""
    first = table(tmp_path, "trial", {"id": list(range(6)), "arm": ["alpha"] * 2 + ["beta"] * 4})
    assert count("how many alpha patients", first) == 2
    second = table(tmp_path, "trial", {"id": list(range(6)), "arm": ["gamma"] * 5 + ["delta"]})
    assert second.path == first.path
    assert count("how many gamma patients", second) == 5
    with pytest.raises(Unanswerable):
        reader.read("how many alpha patients", second)


def test_reading_never_changes_a_shared_vocabulary(tmp_path: Path) -> None:
    """A dataset's vocabulary is made once and shared by every question read with it
    (vocabulary.vocabulary_for): reading questions, follow-ups and refusals among them,
    leaves it as it was made."""
    ds = datasets.load_file(ADMISSIONS, tmp_path, "admissions")
    made = vocabulary_for(ds)
    before = copy.deepcopy((made.table, made.data_words, made.punctuated, made.row_word))
    items = [q for q in DEVSET["questions"] if q["dataset"] == "admissions"]
    assert len(items) > 20 and any("after" in q for q in items)
    for item in items:
        try:
            if "after" in item:
                reader.read(item["after"], ds)
            reader.read(item["question"], ds, follow_up="after" in item)
        except Unanswerable:
            pass
    again = vocabulary_for(ds)
    assert again.table is made.table and again.dataset is ds
    assert (made.table, made.data_words, made.punctuated, made.row_word) == before


def count(question: str, ds: datasets.Dataset) -> Any:
    reading = reader.read(question, ds)
    assert reading.plan is not None
    return engine.run(plan.from_json(reading.plan.to_json(), ds.infos), ds).answer

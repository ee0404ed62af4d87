"""Headers that run shorthand together, read as a person says them: a header of two
pieces in either order ("mother's age" for agemth, "fasting glucose" for glufast), the
general shorthand of survey and lab headers (inc, ins, rel, vis, doc, mth), pieces a
question may leave unsaid ("insulin" for instest, "income" for hhninc) but never where
another column holds the words said, nor a word that changes what is measured ("weight"
is no relwt), and a header naming the rows' own measure (agemth where each row is a
mother is their age). The tables are made here; expected answers come from their rows
with the statistics module."""

from __future__ import annotations

import statistics
from pathlib import Path
from typing import Any

import pytest

from appliance.analytics.errors import Unanswerable
from tests.test_analytics_reader import answer, table

MOTHERS: dict[str, list[Any]] = {
    "mother_id": [1, 2, 3, 4, 5, 6, 7, 8],
    "duration": [12, 30, 4, 52, 16, 8, 24, 40],
    "smoke": [1, 0, 0, 1, 0, 1, 0, 0],
    "agemth": [19, 24, 31, 17, 28, 22, 35, 26],
    "ybirth": [78, 80, 74, 83, 79, 81, 72, 77],
    "yschool": [10, 12, 16, 9, 14, 11, 18, 12],
}
SURVEY: dict[str, list[Any]] = {
    "id": [1, 2, 3, 4, 5, 6, 7, 8],
    "docvis": [0, 3, 1, 7, 2, 0, 5, 1],
    "hospvis": [0, 0, 1, 2, 0, 0, 1, 0],
    "hhninc": [2.5, 3.1, 1.8, 4.2, 2.9, 3.6, 1.2, 2.2],
    "hhkids": [1, 0, 0, 1, 1, 0, 0, 1],
    "female": [1, 0, 1, 1, 0, 0, 1, 0],
}
GLUCOSE: dict[str, list[Any]] = {
    "id": [1, 2, 3, 4, 5, 6],
    "relwt": [0.81, 0.95, 1.02, 1.10, 0.88, 1.20],
    "glufast": [80, 97, 105, 220, 91, 300],
    "glutest": [356, 289, 319, 1120, 390, 1450],
    "instest": [124, 117, 143, 60, 201, 45],
    "sspg": [55, 76, 105, 300, 130, 390],
}


def refused(result: Any, *names: str) -> bool:
    return isinstance(result, Unanswerable) and all(n in str(result) for n in names)


@pytest.fixture(scope="module")
def mothers(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return table(tmp_path_factory.mktemp("mothers"), "mothers", MOTHERS)


@pytest.fixture(scope="module")
def survey(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return table(tmp_path_factory.mktemp("survey"), "survey", SURVEY)


@pytest.fixture(scope="module")
def glucose(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return table(tmp_path_factory.mktemp("glucose"), "glucose", GLUCOSE)


@pytest.mark.parametrize(
    ("question", "column"),
    [
        ("mean mother's age", "agemth"),  # a header's two pieces said the other way round
        ("mean maternal age", "agemth"),  # an adjective saying the piece's noun
        ("average age of the mother", "agemth"),
        ("sd of the mothers' ages", "agemth"),
        ("mean birth year", "ybirth"),
        ("mean year of birth", "ybirth"),
        ("mean years of schooling", "yschool"),
    ],
)
def test_a_header_of_two_pieces_answers_in_either_order(
    mothers: Any, question: str, column: str
) -> None:
    values = MOTHERS[column]
    expected = statistics.stdev(values) if question.startswith("sd") else statistics.mean(values)
    assert answer(question, mothers) == pytest.approx(expected)


def test_fasting_glucose_is_the_header_said_the_other_way_round(glucose: Any) -> None:
    assert answer("mean fasting glucose", glucose) == pytest.approx(
        statistics.mean(GLUCOSE["glufast"])
    )
    assert answer("max glucose test", glucose) == max(GLUCOSE["glutest"])


def test_a_header_naming_the_rows_is_their_own_measure(mothers: Any, tmp_path: Path) -> None:
    """agemth where each row is a mother: her age, so "age" alone and an age condition
    on the mothers are it; where each row is a baby, a mother's age is no baby's age."""
    assert answer("mean age", mothers) == pytest.approx(statistics.mean(MOTHERS["agemth"]))
    young = [
        d
        for d, a, s in zip(MOTHERS["duration"], MOTHERS["agemth"], MOTHERS["smoke"], strict=True)
        if a < 20 and s == 0
    ]
    assert answer("how many mothers younger than 20 were non-smokers?", mothers) == len(young)
    older = [a for a in MOTHERS["agemth"] if a > 25]
    assert answer("how many mothers over 25", mothers) == len(older)
    babies = table(
        tmp_path,
        "babies",
        {"baby_id": MOTHERS["mother_id"], "agemth": MOTHERS["agemth"], "bwt": MOTHERS["duration"]},
    )
    assert refused(answer("mean age", babies), "age")
    assert answer("mean mother's age", babies) == pytest.approx(statistics.mean(MOTHERS["agemth"]))
    written = table(
        tmp_path / "written",
        "mothers",
        {"mother_id": MOTHERS["mother_id"], "age_mother": MOTHERS["agemth"]},
    )
    for question in ("mean age", "mean mother's age"):
        assert answer(question, written) == pytest.approx(statistics.mean(MOTHERS["agemth"]))


@pytest.mark.parametrize(
    ("question", "column"),
    [
        ("mean doctor visits", "docvis"),  # rows unsaid: "visits" as the piece vis
        ("mean number of hospital visits", "hospvis"),
        ("mean household income", "hhninc"),  # the one-letter piece n left unsaid
        ("mean household net income", "hhninc"),
        ("mean income", "hhninc"),  # the household's left unsaid
    ],
)
def test_survey_shorthand_run_together(survey: Any, question: str, column: str) -> None:
    assert answer(question, survey) == pytest.approx(statistics.mean(SURVEY[column]))


def test_survey_shorthand_in_conditions(survey: Any) -> None:
    women = [v for v, f in zip(SURVEY["docvis"], SURVEY["female"], strict=True) if f == 1]
    assert answer("mean doctor visits of women", survey) == pytest.approx(statistics.mean(women))
    poorer = [v for v, i in zip(SURVEY["docvis"], SURVEY["hhninc"], strict=True) if i < 2.5]
    assert answer("total doctor visits of people with income under 2.5", survey) == sum(poorer)


def test_a_kind_word_ending_a_header_may_go_unsaid(glucose: Any) -> None:
    """instest is "insulin" (its "test" only says what kind of thing it is); "glucose"
    could be glufast or glutest and is refused naming both."""
    assert answer("mean insulin", glucose) == pytest.approx(statistics.mean(GLUCOSE["instest"]))
    assert refused(answer("mean glucose", glucose), "glufast", "glutest")


def test_only_a_kind_word_or_a_whose_word_goes_unsaid(tmp_path: Path) -> None:
    """Beside glufast alone, "glucose" is refused: "fasting" says which glucose, and only
    "test", "score", "value", "level" at a header's end, or a household's or a total at
    its start, may go unsaid."""
    ds = table(tmp_path, "labs", {"id": [1, 2, 3], "glufast": [80, 97, 105]})
    assert refused(answer("mean glucose", ds), "glucose")


def test_a_word_that_changes_the_measure_is_never_left_unsaid(glucose: Any, tmp_path: Path) -> None:
    """relwt is a relative weight: "weight" alone is no name of it, run together or
    written out (relative_weight), while "relative weight" is."""
    assert answer("mean relative weight", glucose) == pytest.approx(
        statistics.mean(GLUCOSE["relwt"])
    )
    assert refused(answer("mean weight", glucose), "weight")
    written = table(tmp_path, "written", {"id": [1, 2, 3], "relative_weight": [0.9, 1.1, 1.0]})
    assert refused(answer("mean weight", written), "weight")
    assert answer("mean relative weight", written) == pytest.approx(1.0)


def test_a_specimen_word_may_be_an_initial(glucose: Any) -> None:
    """sspg: the initials of "steady state plasma glucose" ("plasma" alone says nothing)."""
    expected = statistics.mean(GLUCOSE["sspg"])
    assert answer("mean steady state plasma glucose", glucose) == pytest.approx(expected)
    assert answer("mean steady-state plasma glucose", glucose) == pytest.approx(expected)


def test_a_word_that_could_be_a_condition_is_never_part_of_a_name(tmp_path: Path) -> None:
    """Beside a yes/no column ``fasting``, "fasting glucose" could be glufast or glucose
    of the fasting rows: refused, never the one silently."""
    ds = table(
        tmp_path,
        "labs",
        {"id": [1, 2, 3, 4], "fasting": [1, 0, 1, 0], "glufast": [80, 97, 105, 120]},
    )
    assert refused(answer("mean fasting glucose", ds), "glucose")


HEART: dict[str, list[Any]] = {
    "randid": [1, 2, 3, 4, 5, 6, 7, 8],
    "totchol": [195, 250, 210, 285, 180, 230, 260, 205],
    "cigpday": [0, 20, 10, 0, 30, 5, 0, 15],
    "prevstrk": [0, 1, 0, 0, 1, 0, 0, 0],
    "prevhyp": [1, 1, 0, 0, 1, 1, 0, 1],
    "matage": [31, 25, 40, 22, 36, 29, 33, 27],
}


@pytest.fixture(scope="module")
def heart(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return table(tmp_path_factory.mktemp("heart"), "heart", HEART)


def test_a_connector_initial_and_a_consonant_skeleton(heart: Any) -> None:
    """cigpday is "cigarettes per day" (per written as its initial); strk is "stroke"
    written in its consonants; prev is previous, prior or prevalent; mat is maternal."""
    assert answer("mean cigarettes per day", heart) == pytest.approx(
        statistics.mean(HEART["cigpday"])
    )
    strokes = sum(HEART["prevstrk"])
    assert answer("how many had a previous stroke", heart) == strokes
    assert answer("how many with prevalent stroke", heart) == strokes
    assert answer("how many with prior hypertension", heart) == sum(HEART["prevhyp"])
    assert answer("mean maternal age", heart) == pytest.approx(statistics.mean(HEART["matage"]))


def test_total_in_a_header_is_part_of_its_name(heart: Any) -> None:
    """totchol is "total cholesterol": its mean is asked with a statistic, and "total
    cholesterol" alone (a sum of it, or the column with no statistic) is refused."""
    assert answer("mean total cholesterol", heart) == pytest.approx(
        statistics.mean(HEART["totchol"])
    )
    assert refused(answer("what is the total cholesterol", heart), "computed")


def test_a_yes_no_header_keeps_every_piece(tmp_path: Path) -> None:
    """A yes/no ``hivtest`` says who was tested, not who has HIV: "hiv" is no name of it
    (a piece is left unsaid only in a column of measures)."""
    ds = table(tmp_path, "clinic", {"id": [1, 2, 3, 4], "hivtest": [1, 0, 1, 1]})
    assert refused(answer("how many with hiv", ds), "hiv")
    assert answer("how many had an hiv test", ds) == 3


def test_a_piece_saying_a_comparison_is_never_turned_round(tmp_path: Path) -> None:
    """lowinc is "low income" as written; turned round, "income low" could be a
    comparison of an income, so only the header's own order names it."""
    low = [1, 0, 0, 1, 1, 0]
    ds = table(
        tmp_path,
        "people",
        {"id": list(range(6)), "lowinc": low, "sbp": [120, 135, 128, 150, 118, 141]},
    )
    assert answer("how many with low income", ds) == sum(low)
    assert refused(answer("mean sbp by income low", ds), "income")


def test_an_n_before_a_plural_is_the_number_of_it(tmp_path: Path) -> None:
    """ncigs is "number of cigarettes" (cigs: shorthand), nkids "number of kids"; a word
    of English such as ``nodes`` is only itself."""
    cigs, kids, nodes = [0, 20, 10, 5], [2, 0, 1, 3], [1, 4, 0, 2]
    ds = table(
        tmp_path,
        "survey",
        {"person_id": [1, 2, 3, 4], "ncigs": cigs, "nkids": kids, "nodes": nodes},
    )
    assert answer("mean number of cigarettes", ds) == pytest.approx(statistics.mean(cigs))
    assert answer("max number of kids", ds) == max(kids)
    assert answer("mean nodes", ds) == pytest.approx(statistics.mean(nodes))


def test_a_piece_left_unsaid_is_refused_beside_any_name_the_word_could_be(
    tmp_path: Path,
) -> None:
    """ "income" beside hhninc and persinc could be either (a household's or a person's):
    refused naming both; "household income" is the one."""
    household, personal = [2.5, 3.1, 1.8, 4.2], [1.0, 2.2, 0.9, 3.0]
    ds = table(
        tmp_path,
        "survey",
        {"person_id": [1, 2, 3, 4], "hhninc": household, "persinc": personal},
    )
    assert refused(answer("mean income", ds), "hhninc", "persinc")
    assert answer("mean household income", ds) == pytest.approx(statistics.mean(household))

"""General English around a statistic (issue 26): totals, meta words, the complement of a
group, rankings of groups, said as people say them. Each on a small table made here,
its expected answer computed from the rows written, not by the engine."""

from __future__ import annotations

import statistics
from pathlib import Path

import pytest

from appliance.analytics.errors import Unanswerable
from tests.test_analytics_reader import answer, table

AGES = [30, 40, 50, 60, 70, 80]
STAY = [3, 5, 2, 8, 4, 6]
WARD = ["a", "b", "a", "b", "a", "b"]
SMOKER = [1, 0, 0, 1, 1, 0]


def stays(tmp_path: Path) -> object:
    return table(
        tmp_path,
        "stays",
        {"id": list(range(6)), "age": AGES, "stay": STAY, "ward": WARD, "smoker": SMOKER},
    )


@pytest.mark.parametrize("words", ["altogether", "in all", "all told"])
def test_a_total_word_ending_a_column_is_its_sum(tmp_path: Path, words: str) -> None:
    ds = stays(tmp_path)
    assert answer(f"stay {words}", ds) == sum(STAY)
    assert answer(f"stay of smokers {words}", ds) == sum(
        s for s, m in zip(STAY, SMOKER, strict=True) if m
    )
    assert answer(f"stay {words} by ward", ds) == {
        w: sum(s for s, g in zip(STAY, WARD, strict=True) if g == w) for w in "ab"
    }
    assert answer(f"how many patients {words}", ds) == len(AGES)  # a count stays a count
    # Not at the end, "in all" says which rows, not what to compute: refused.
    assert isinstance(answer("age in all patients", ds), Unanswerable)


def test_recorded_before_a_statistic_says_nothing_more(tmp_path: Path) -> None:
    ds = stays(tmp_path)
    mean = statistics.mean(AGES)
    assert answer("recorded mean age in the data", ds) == pytest.approx(mean)
    assert answer("the recorded median stay", ds) == pytest.approx(statistics.median(STAY))
    assert answer("mean age in the file", ds) == pytest.approx(mean)
    assert answer("mean age on record in this dataset", ds) == pytest.approx(mean)
    # Before a count, "recorded" could be a condition on something unnamed: refused.
    assert isinstance(answer("recorded number of patients", ds), Unanswerable)


def test_the_other_group_said_without_naming_it(tmp_path: Path) -> None:
    """ "smokers and those who do not", "vs. the rest": the flag's other value."""
    surgery = [1, 0, 1, 0, 1, 0]
    bmi = [22.0, 25, 31, 28, 24, 33]
    ds = table(
        tmp_path,
        "t",
        {"id": list(range(6)), "age": AGES, "bmi": bmi, "smoker": SMOKER, "surgery": surgery},
    )

    def mean_where(values: list[float], flags: list[int], flag: int) -> float:
        return statistics.mean(v for v, f in zip(values, flags, strict=True) if f == flag)

    smokers_bmi = mean_where(bmi, SMOKER, 1) - mean_where(bmi, SMOKER, 0)
    for question in (
        "difference in mean bmi between patients who smoke and those who do not",
        "difference in mean bmi between patients who smoke and those who do not smoke",
        "mean bmi of smokers vs the rest",
        "how much higher is the mean bmi of smokers than of those who don't",
        "difference in mean bmi between smokers and the ones who aren't",
    ):
        assert answer(question, ds) == pytest.approx(smokers_bmi), question
    surgery_age = mean_where(AGES, surgery, 1) - mean_where(AGES, surgery, 0)
    assert answer("mean age of patients who had surgery vs. those who didn't", ds) == (
        pytest.approx(surgery_age)
    )
    assert answer(
        "difference in mean age between patients with surgery and those without", ds
    ) == pytest.approx(surgery_age)
    # Not a comparison, another condition on the first group, or two columns: refused.
    for question in (
        "how many smokers and those who do not",
        "how many smokers and those with surgery",
        "mean bmi of smokers with surgery vs the rest",
        "mean age of smokers vs those with surgery",
    ):
        assert isinstance(answer(question, ds), Unanswerable), question
    # "the rest" beside a flag with empty cells would hold them too: refused.
    gaps = table(tmp_path / "g", "t", {"bmi": bmi, "smoker": [1, 0, None, 1, 0, None]})
    assert isinstance(answer("mean bmi of smokers vs the rest", gaps), Unanswerable)
    assert answer("mean bmi of smokers vs those who do not", gaps) == pytest.approx(
        statistics.mean([22.0, 28]) - statistics.mean([25.0, 24])
    )


def test_which_kind_of_group_has_the_highest_statistic(tmp_path: Path) -> None:
    """ "which kind of X has the highest average Y" ranks X's groups by the mean of Y."""
    kind = ["pcr", "antigen", "pcr", "antibody", "antigen", "pcr"]
    time = [10, 3, 12, 7, 2, 11]
    ds = table(
        tmp_path, "t", {"id": list(range(6)), "assay": kind, "hours": time, "smoker": SMOKER}
    )
    means = {k: statistics.mean(h for h, g in zip(time, kind, strict=True) if g == k) for k in kind}
    medians = {
        k: statistics.median(h for h, g in zip(time, kind, strict=True) if g == k) for k in kind
    }
    highest = [max(means, key=means.__getitem__)]
    for question in (
        "which kind of assay has the highest average hours",
        "what type of assay has the highest mean hours",
        "which of the assays has the highest mean hours",
        "the assay with the highest average hours",
    ):
        assert answer(question, ds) == highest, question
    assert answer("what kind of assay has the lowest median hours", ds) == [
        min(medians, key=medians.__getitem__)
    ]
    # A flag's rows with a ranking are rows, not groups; a measure with no statistic: refused.
    assert isinstance(answer("the smokers with the highest mean hours", ds), Unanswerable)
    assert isinstance(answer("the assay with the highest hours", ds), Unanswerable)


def test_a_name_said_head_first_with_of(tmp_path: Path) -> None:
    """ "the time of the first attempt" is attempt1_time ("first attempt time")."""
    first = [29.0, 41, 35, 52, 30, 44]
    total = [29.0, 80, 35, 110, 30, 90]
    ds = table(
        tmp_path,
        "t",
        {"id": list(range(6)), "attempt1_time": first, "total_intubation_time": total},
    )
    assert answer("what is the standard deviation of the time of the first attempt", ds) == (
        pytest.approx(statistics.stdev(first))
    )
    assert answer("mean time of total intubation", ds) == pytest.approx(statistics.mean(total))
    # Only a whole name: "the time" alone could be either column.
    assert isinstance(answer("mean time", ds), Unanswerable)


def test_needing_a_number_of_something_is_having_it(tmp_path: Path) -> None:
    attempts = [1, 2, 1, 3, 1, 2]
    ds = table(tmp_path, "t", {"id": list(range(6)), "age": AGES, "attempts": attempts})
    more = [a for a, n in zip(AGES, attempts, strict=True) if n > 1]
    assert answer("how many patients needing more than 1 attempt are there", ds) == len(more)
    assert answer("how many patients who needed more than one attempt", ds) == len(more)
    assert answer("mean age of patients who required at least 2 attempts", ds) == (
        pytest.approx(statistics.mean(more))
    )
    # Not before a count of one column, or beside a column like the verb: refused.
    assert isinstance(answer("how many patients needing more than 1", ds), Unanswerable)
    assert isinstance(answer("how many patients needing help", ds), Unanswerable)
    needs = table(tmp_path / "n", "t", {"attempts": attempts, "needs_oxygen": [1, 0, 1, 0, 0, 1]})
    assert isinstance(answer("how many patients needing more than 1 attempt", needs), Unanswerable)


def test_rows_from_people_are_their_rows(tmp_path: Path) -> None:
    """ "tests from children under 18": the tests of those people ("from" as "of")."""
    years = [4.0, 12, 17, 18, 40, 71]
    ds = table(tmp_path, "lab_tests", {"id": list(range(6)), "age_years": years})
    young = sum(y < 18 for y in years)
    assert answer("how many tests from children under 18 are there", ds) == young
    assert answer("how many tests from people under 18", ds) == young
    # Children with no age said are not every row here: refused, as without "from".
    assert isinstance(answer("how many tests from children", ds), Unanswerable)
    assert isinstance(answer("how many tests from those under 18", ds), Unanswerable)


def test_testing_before_a_value_leads_in_to_it(tmp_path: Path) -> None:
    """ "the odds of testing positive" beside a column test: the verb before the result;
    one yes/no predictor's odds ratio is the 2x2 table's (a d) / (b c)."""
    test = ["pcr", "antigen", "pcr", "pcr", "antigen", "pcr", "antigen", "pcr"]
    pos, neg = "positive", "negative"
    result = [pos, neg, neg, pos, pos, neg, neg, pos]
    drive = ["yes", "yes", "no", "yes", "no", "no", "yes", "no"]
    ds = table(tmp_path, "lab_tests", {"test": test, "result": result, "drive": drive})
    assert answer("how many tests testing positive", ds) == result.count(pos)
    pairs = list(zip(drive, result, strict=True))
    a, b = pairs.count(("yes", "positive")), pairs.count(("yes", "negative"))
    c, d = pairs.count(("no", "positive")), pairs.count(("no", "negative"))
    got = answer("how much higher are the odds of testing positive for drive tests", ds)
    assert got == pytest.approx((a * d) / (b * c), rel=1e-6)


def test_a_value_before_its_column_said_without_its_kind_word(tmp_path: Path) -> None:
    """ "a lymphoid diagnosis" for diagnosis_type = lymphoid, beside a column diagnosis."""
    diagnosis = ["all", "aml", "cll", "aml", "all", "cml"]
    kind = ["lymphoid", "myeloid", "lymphoid", "myeloid", "lymphoid", "myeloid"]
    ds = table(
        tmp_path,
        "t",
        {"id": list(range(6)), "age": AGES, "diagnosis": diagnosis, "diagnosis_type": kind},
    )
    lymphoid = [a for a, k in zip(AGES, kind, strict=True) if k == "lymphoid"]
    myeloid = [a for a, k in zip(AGES, kind, strict=True) if k == "myeloid"]
    assert answer("mean age of patients with a lymphoid diagnosis", ds) == pytest.approx(
        statistics.mean(lymphoid)
    )
    assert answer(
        "difference in median age between patients with a lymphoid diagnosis and patients"
        " with a myeloid diagnosis",
        ds,
    ) == pytest.approx(statistics.median(lymphoid) - statistics.median(myeloid))
    # A word of the one column holding the value says which column it is of, kind word
    # or not ("a lymphoid site" of site_lab; reader/value_columns.py).
    other = table(tmp_path / "o", "t", {"age": AGES, "diagnosis": diagnosis, "site_lab": kind})
    assert answer("mean age of patients with a lymphoid site", other) == pytest.approx(
        statistics.mean(lymphoid)
    )


def test_the_most_common_group_is_the_one_with_the_most_rows(tmp_path: Path) -> None:
    diagnosis = ["copd", "sepsis", "copd", "stroke", "copd", "sepsis"]
    ds = table(tmp_path, "t", {"id": list(range(6)), "diagnosis": diagnosis, "smoker": SMOKER})
    counts = {d: diagnosis.count(d) for d in diagnosis}
    most = [max(counts, key=counts.__getitem__)]
    for question in (
        "which diagnosis is most common",
        "what is the most common diagnosis",
        "the commonest diagnosis",
        "most frequent diagnosis",
    ):
        assert answer(question, ds) == most, question
    assert answer("the least common diagnosis", ds) == [min(counts, key=counts.__getitem__)]
    smokers = [d for d, m in zip(diagnosis, SMOKER, strict=True) if m]
    among = {d: smokers.count(d) for d in smokers}
    assert sorted(among.values()) == [1, 2]  # one clear winner among smokers
    assert answer("most common diagnosis among smokers", ds) == [max(among, key=among.__getitem__)]
    # Asking for the rows ("which patients", "who") is no ranking of groups: refused.
    for question in (
        "which patients have the most common diagnosis",
        "who has the most common diagnosis",
    ):
        assert isinstance(answer(question, ds), Unanswerable), question


def test_how_old_asks_for_the_age(tmp_path: Path) -> None:
    ds = stays(tmp_path)
    smokers = [a for a, m in zip(AGES, SMOKER, strict=True) if m]
    assert answer("how old are patients on average", ds) == pytest.approx(statistics.mean(AGES))
    assert answer("on average, how old are smokers", ds) == pytest.approx(statistics.mean(smokers))
    assert answer("how old is the youngest smoker", ds) == min(smokers)
    # No age column, or two: refused, never another number.
    none = table(tmp_path / "n", "t", {"stay": STAY})
    assert isinstance(answer("how old are patients on average", none), Unanswerable)
    two = table(tmp_path / "2", "t", {"mother_age": AGES, "father_age": STAY})
    assert isinstance(answer("how old are patients on average", two), Unanswerable)

"""Follow-ups on small tables made here: what each form replaces and what it keeps, as
docs/analytics.md says (the section on follow-ups), and the forms with two readings
refused naming both. Expected answers are computed from the rows written with plain
Python, never by the engine."""

from __future__ import annotations

import statistics
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from appliance.analytics import datasets
from appliance.analytics.errors import Unanswerable
from tests.test_analytics_reader import table
from tests.test_analytics_wrong_answers import follow

SEX = ["female", "male", "female", "female", "male", "male", "female", "male"]
ARM = ["placebo", "placebo", "active", "active", "active", "placebo", "placebo", "active"]
AGE = [34, 51, 62, 45, 70, 29, 58, 66]
SBP = [118, 135, 150, 122, 160, 115, 141, 149]
BMI = [22.5, 27.0, 31.2, 24.8, 29.9, 21.3, 33.1, 26.4]
SMOKER = ["no", "yes", "yes", "no", "yes", "no", "no", "yes"]


def cohort(folder: Path, **more: list[Any]) -> datasets.Dataset:
    columns = {"id": list(range(len(AGE))), "sex": SEX, "arm": ARM, "age": AGE, "sbp": SBP}
    return table(folder, "cohort", {**columns, "bmi": BMI, "smoker": SMOKER, **more})


def of(values: list[Any], *keep: list[bool]) -> list[Any]:
    """The values of the rows every ``keep`` marks."""
    return [v for v, *k in zip(values, *keep, strict=True) if all(k)]


def women() -> list[bool]:
    return [s == "female" for s in SEX]


@pytest.mark.parametrize("then", ["n?", "how many?", "and how many?", "count?", "and n?"])
def test_a_count_alone_counts_the_previous_rows(tmp_path: Path, then: str) -> None:
    """ "n?" after "mean sbp among women" is the number of women the mean was over (4),
    never the number of rows in the table (8): a count said alone is a follow-up."""
    ds = cohort(tmp_path)
    assert follow("mean sbp among women", then, ds) == sum(women())
    assert follow("mean age by arm", then, ds) == {a: ARM.count(a) for a in set(ARM)}


def test_a_count_alone_with_two_readings_is_refused(tmp_path: Path) -> None:
    """Where the column has empty values the rows and the values the mean used differ;
    after a percentage, the rows it was out of and those it counted differ: refused."""
    ds = cohort(tmp_path, hba1c=["", 6.1, 7.2, "", 5.9, 6.4, 8.0, ""])
    refusal = follow("mean hba1c among women", "n?", ds)
    assert isinstance(refusal, Unanswerable)
    assert "recorded" in str(refusal)
    refusal = follow("what percentage of women smoke", "n?", ds)
    assert isinstance(refusal, Unanswerable)
    assert "counted" in str(refusal)
    # a count said with its rows is a question of its own, as before
    assert follow("mean sbp among women", "how many patients?", ds) == len(AGE)


@pytest.mark.parametrize("then", ["and bmi?", "what about bmi?", "same for bmi", "bmi?"])
def test_a_column_alone_takes_the_previous_statistic(tmp_path: Path, then: str) -> None:
    """ "and bmi?" after "mean sbp among women": the mean bmi of the same women; the
    statistic, rows and groups kept, only the column replaced."""
    ds = cohort(tmp_path)
    assert follow("mean sbp among women", then, ds) == pytest.approx(
        statistics.mean(of(BMI, women()))
    )
    by_arm = follow("median sbp by arm", then, ds)
    assert by_arm == pytest.approx(
        {a: statistics.median(of(BMI, [x == a for x in ARM])) for a in set(ARM)}
    )


def test_a_column_alone_with_several_readings_is_refused(tmp_path: Path) -> None:
    """After a count, a percentage, a ranking or a correlation, a column alone has no
    one statistic; a 0/1 column alone is the rows with it or its mean; a category alone
    is no measure: all refused."""
    ds = cohort(tmp_path, died=[0, 1, 0, 0, 1, 0, 0, 1], stay_days=[3, 10, 15, 20, 1, 30, 7, 9])
    for first in (
        "how many women",
        "what percentage of women smoke",
        "top 3 oldest patients",
        "correlation between age and sbp",
    ):
        assert isinstance(follow(first, "and bmi?", ds), Unanswerable), first
    assert isinstance(follow("mean sbp", "and sex?", ds), Unanswerable)
    assert isinstance(follow("mean stay days in weeks", "and bmi?", ds), Unanswerable)


def test_a_statistic_alone_needs_a_column_to_keep(tmp_path: Path) -> None:
    """ "the mean?" after a count (no column) or a correlation (two): refused, saying of
    which column, never a plan error nor another column's mean."""
    ds = cohort(tmp_path)
    for first in ("how many women", "correlation between age and sbp"):
        refusal = follow(first, "what about the median?", ds)
        assert isinstance(refusal, Unanswerable), first
        assert "which column" in str(refusal)


def _rows(*keep: Any) -> list[bool]:
    """Rows where every (column values, wanted value) pair holds."""
    return [all(col[i] == want for col, want in keep) for i in range(len(AGE))]


def _mean(values: list[Any], keep: list[bool]) -> float:
    return statistics.mean(of(values, keep))


def _median(values: list[Any], keep: list[bool]) -> float:
    return statistics.median(of(values, keep))


def _by_arm(values: list[Any], keep: list[bool], stat: Any) -> dict[str, float]:
    return {
        a: stat(values, [k and x == a for k, x in zip(keep, ARM, strict=True)]) for a in set(ARM)
    }


def _share(keep: list[bool], counted: list[bool]) -> float:
    return 100 * sum(c for k, c in zip(keep, counted, strict=True) if k) / sum(keep)


ALL = [True] * len(AGE)
FEMALE, MALE = _rows((SEX, "female")), _rows((SEX, "male"))
SMOKES, PLACEBO = _rows((SMOKER, "yes")), _rows((ARM, "placebo"))
NONSMOKER_PLACEBO = [p and not s for p, s in zip(PLACEBO, SMOKES, strict=True)]
PAIRS: list[tuple[str, str, str, Any]] = [
    # the analyst's voice
    ("a", "What is the mean sbp among women?", "Report the median instead.", _median(SBP, FEMALE)),
    ("a", "What is the mean sbp among women?", "Repeat the analysis for men.", _mean(SBP, MALE)),
    (
        "a",
        "What is the median age of smokers?",
        "Restrict the analysis to the active arm.",
        _median(AGE, _rows((SMOKER, "yes"), (ARM, "active"))),
    ),
    ("a", "What is the mean bmi?", "Stratify by arm.", _by_arm(BMI, ALL, _mean)),
    (
        "a",
        "What is the mean sbp among women?",
        "And the corresponding figure for men?",
        _mean(SBP, MALE),
    ),
    ("a", "What is the mean age in the placebo arm?", "What about bmi?", _mean(BMI, PLACEBO)),
    ("a", "What is the maximum sbp among smokers?", "And the minimum?", min(of(SBP, SMOKES))),
    (
        "a",
        "What is the correlation between age and sbp among women?",
        "Same for men.",
        statistics.correlation(of(AGE, MALE), of(SBP, MALE)),
    ),
    # the clinician's
    ("c", "mean sbp in women", "& men?", _mean(SBP, MALE)),
    (
        "c",
        "median age, smokers",
        "excl. active arm",
        _median(AGE, [s and a != "active" for s, a in zip(SMOKES, ARM, strict=True)]),
    ),
    ("c", "avg bmi pts > 50", "sd?", statistics.stdev(of(BMI, [a > 50 for a in AGE]))),
    ("c", "avg sbp by arm", "n?", {a: ARM.count(a) for a in set(ARM)}),
    ("c", "max bmi in women", "ditto for men", max(of(BMI, MALE))),
    (
        "c",
        "mean age smokers",
        "w/o women",
        _mean(AGE, [s and not f for s, f in zip(SMOKES, FEMALE, strict=True)]),
    ),
    ("c", "mean sbp in women", "ok, median?", _median(SBP, FEMALE)),
    ("c", "% of placebo pts who smoke", "and active?", _share(_rows((ARM, "active")), SMOKES)),
    # a layperson's
    ("m", "what's the average age of the women", "and the men?", _mean(AGE, MALE)),
    (
        "m",
        "what's the average sbp for smokers",
        "now split that by arm",
        _by_arm(SBP, SMOKES, _mean),
    ),
    (
        "m",
        "how many women are there",
        "and how many of them smoke?",
        sum(f and s for f, s in zip(FEMALE, SMOKES, strict=True)),
    ),
    (
        "m",
        "what's the average bmi for people on placebo",
        "what if we leave out smokers?",
        _mean(BMI, NONSMOKER_PLACEBO),
    ),
    (
        "m",
        "what's the median age of smokers",
        "what about the average instead?",
        _mean(AGE, SMOKES),
    ),
    ("m", "what's the average sbp of women", "same thing for men", _mean(SBP, MALE)),
    ("m", "what's the average sbp of women", "thanks, and how many is that?", sum(FEMALE)),
    ("m", "what percentage of women smoke", "and what about men?", _share(MALE, SMOKES)),
    ("m", "what's the highest bmi", "and the lowest?", min(BMI)),
    (
        "m",
        "how many smokers are in each arm",
        "and only women?",
        # groups with no such row are not listed
        dict(Counter(x for f, s, x in zip(FEMALE, SMOKES, ARM, strict=True) if f and s)),
    ),
]


@pytest.mark.parametrize(
    ("voice", "first", "then", "expected"), PAIRS, ids=[f"{p[0]}:{p[2]}" for p in PAIRS]
)
def test_follow_ups_in_three_voices(
    tmp_path: Path, voice: str, first: str, then: str, expected: Any
) -> None:
    """Pairs written here in the analyst's, the clinician's and a layperson's words, each
    answered as the second turn of a conversation; the expected answers are the rows'."""
    ds = cohort(tmp_path)
    got = follow(first, then, ds)
    assert not isinstance(got, Unanswerable), got
    assert got == pytest.approx(expected), (voice, first, then)


@pytest.mark.parametrize(
    ("then", "keep"),
    [
        ("ok, and for smokers?", [f and s for f, s in zip(FEMALE, SMOKES, strict=True)]),
        ("thanks - only smokers", [f and s for f, s in zip(FEMALE, SMOKES, strict=True)]),
        ("but only smokers", [f and s for f, s in zip(FEMALE, SMOKES, strict=True)]),
        ("same but for men", MALE),
        ("same again for men", MALE),
        ("redo that for men", MALE),
        ("now exclude smokers", [f and not s for f, s in zip(FEMALE, SMOKES, strict=True)]),
        ("excl. smokers", [f and not s for f, s in zip(FEMALE, SMOKES, strict=True)]),
        ("leaving out smokers", [f and not s for f, s in zip(FEMALE, SMOKES, strict=True)]),
    ],
)
def test_openings_and_exclusions_of_a_follow_up(
    tmp_path: Path, then: str, keep: list[bool]
) -> None:
    """A word of assent or "but" opening a follow-up is no part of it; "exclude", "excl.",
    "leave out" say "without"; "same again", "redo that" are the previous question: each
    keeps the previous statistic and the conditions it does not replace."""
    ds = cohort(tmp_path)
    assert follow("mean sbp among women", then, ds) == pytest.approx(_mean(SBP, keep))


def test_but_inside_a_question_is_not_an_opening(tmp_path: Path) -> None:
    """Only opening a question is "but" a follow-up's "and": inside one it is left to be
    read as before (here refused, never read as "and")."""
    ds = cohort(tmp_path)
    assert isinstance(follow("mean sbp", "mean age of women but men", ds), Unanswerable)


@pytest.mark.parametrize(
    "then",
    [
        "and those who don't?",
        "and for those who didn't?",
        "what about the rest?",
        "and everyone else?",
    ],
)
def test_the_others_are_the_rows_the_previous_condition_left_out(tmp_path: Path, then: str) -> None:
    """ "and those who don't?" after "mean sbp among smokers": the non-smokers' mean; after
    "… over 50", those aged 50 or less; the groups and the statistic kept."""
    ds = cohort(tmp_path)
    assert follow("mean sbp among smokers", then, ds) == pytest.approx(
        _mean(SBP, [not s for s in SMOKES])
    )
    assert follow("median bmi of patients over 50", then, ds) == pytest.approx(
        _median(BMI, [a <= 50 for a in AGE])
    )
    assert follow("mean sbp of smokers by arm", then, ds) == pytest.approx(
        _by_arm(SBP, [not s for s in SMOKES], _mean)
    )


def test_the_others_with_two_readings_are_refused(tmp_path: Path) -> None:
    """Two conditions (the others than which?), none, or a percentage (the rows it was
    out of, or what it counted?): refused. "those who didn't smoke" is a condition of its
    own, as before."""
    ds = cohort(tmp_path, hba1c=["", 6.1, 7.2, "", 5.9, 6.4, 8.0, ""])
    for first in ("mean sbp among women who smoke", "mean sbp", "what percentage of women smoke"):
        assert isinstance(follow(first, "and those who don't?", ds), Unanswerable), first
    # of a column with empty values, "the rest" is refused (with them or without?), and
    # "those who aren't" is the rows whose value the condition does not keep
    hba1c = ["", 6.1, 7.2, "", 5.9, 6.4, 8.0, ""]
    first = "mean sbp among patients with hba1c over 6.2"
    assert isinstance(follow(first, "and the rest?", ds), Unanswerable)
    assert follow(first, "and those who aren't?", ds) == pytest.approx(
        _mean(SBP, [h != "" and h <= 6.2 for h in hba1c])
    )
    assert follow("mean sbp among women", "and those who don't smoke?", ds) == pytest.approx(
        _mean(SBP, [f and not s for f, s in zip(FEMALE, SMOKES, strict=True)])
    )


@pytest.mark.parametrize(
    "then",
    ["and overall?", "what about everyone?", "and for all patients?", "for the whole cohort"],
)
def test_everyone_drops_the_previous_conditions(tmp_path: Path, then: str) -> None:
    """ "and overall?" after "mean sbp among women": the mean over every row; "what about
    everyone?" after a grouped answer keeps its groups; "overall" after groups alone drops
    the groups."""
    ds = cohort(tmp_path)
    assert follow("mean sbp among women", then, ds) == pytest.approx(statistics.mean(SBP))
    assert follow("what percentage of women smoke", then, ds) == pytest.approx(_share(ALL, SMOKES))
    assert follow("mean sbp by arm", "and overall?", ds) == pytest.approx(statistics.mean(SBP))
    assert follow("mean sbp of women by arm", "what about everyone?", ds) == pytest.approx(
        _by_arm(SBP, ALL, _mean)
    )


def test_overall_with_two_readings_is_refused(tmp_path: Path) -> None:
    """After conditions and groups, "overall" is every row or no groups: refused; after
    an answer over every row, it changes nothing: refused."""
    ds = cohort(tmp_path)
    assert isinstance(follow("mean sbp of women by arm", "and overall?", ds), Unanswerable)
    assert isinstance(follow("mean sbp", "and overall?", ds), Unanswerable)

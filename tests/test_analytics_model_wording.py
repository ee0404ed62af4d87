"""The question reader on the wording of survival questions, fits, two-group
differences, cross-tabulations and rankings, on small tables made here. Expected
answers are computed from the rows written, never by the engine."""

from __future__ import annotations

import math
import statistics
from pathlib import Path

import numpy as np
import pytest

from appliance.analytics.errors import Unanswerable
from tests.references import Logit, PHReg, add_constant, survdiff
from tests.test_analytics_reader import answer, table

GRADES = ["9", "10", "9", "other", "10", "9", "10", "other"]
SCORES = [3, 5, 4, 7, 6, 2, 1, 9]


def graded(folder: Path) -> object:
    return table(folder, "school", {"score": SCORES, "grade": GRADES})


def mean_where(grade: str) -> float:
    return statistics.mean(s for s, g in zip(SCORES, GRADES, strict=True) if g == grade)


def test_a_number_after_a_text_column_is_its_written_value(tmp_path: Path) -> None:
    """ "grade 9" where grade holds the texts '9', '10' and 'other': the value '9'."""
    ds = graded(tmp_path)
    assert answer("mean score grade 9", ds) == mean_where("9")
    assert answer("diff avg score grade 9 vs grade 10", ds) == mean_where("9") - mean_where("10")
    assert answer("how many in grade 10", ds) == GRADES.count("10")
    assert isinstance(answer("mean score grade 11", ds), Unanswerable)  # no such value


def test_first_minus_second_says_the_order_of_a_difference(tmp_path: Path) -> None:
    ds = graded(tmp_path)
    nine_minus_ten = mean_where("9") - mean_where("10")
    asked = "difference in mean score between grade 9 and grade 10"
    assert answer(asked + " (first minus second)", ds) == nine_minus_ten
    assert answer(asked + " (second minus first)", ds) == -nine_minus_ten
    # "lower" is second minus first already: said against it, the two disagree
    lower = "how much lower is the mean score for grade 9 than for grade 10"
    assert answer(lower + " (second minus first)", ds) == -nine_minus_ten
    assert isinstance(answer(lower + " (first minus second)", ds), Unanswerable)


def stays(folder: Path) -> object:
    return table(
        folder,
        "stays",
        {
            "admission": ["urgent", "elective", "urgent", "elective", "urgent", "urgent"],
            "sex": ["F", "M", "M", "F", "F", "M"],
            "died": ["yes", "no", "no", "no", "yes", "yes"],
        },
    )


def test_a_yes_no_column_crossed_by_its_condition_word(tmp_path: Path) -> None:
    """ "against death": beside the crossing word, the yes/no column itself (its yes and
    no counts), not a condition keeping the deaths only."""
    ds = stays(tmp_path)
    by_death = {"elective": {"no": 2}, "urgent": {"no": 1, "yes": 3}}
    assert answer("Cross-tabulate admission against death.", ds) == by_death
    assert answer("crosstab admission by death", ds) == by_death
    among_deaths = {"urgent": {"F": 2, "M": 1}}  # away from the crossing: a condition
    assert answer("crosstab admission by sex among deaths", ds) == among_deaths


def test_as_counts_asks_for_a_cross_tabulation(tmp_path: Path) -> None:
    ds = stays(tmp_path)
    expected = {"F": {"elective": 1, "urgent": 2}, "M": {"elective": 1, "urgent": 2}}
    assert answer("Can you break down sex against admission as counts?", ds) == expected


PROCEDURES = ["CABG", "PTCA", "CABG", "PTCA", "PTCA", "CABG", "PTCA", "CABG", "PTCA", "PTCA"]
SEXES = ["Female", "Male", "Male", "Female", "Male", "Female", "Male", "Male", "Female", "Male"]
AGES10 = [81, 60, 62, 79, 55, 70, 88, 77, 66, 58]
OVER_75 = ["Yes", "No", "No", "Yes", "No", "No", "Yes", "Yes", "No", "No"]


def procedures(folder: Path) -> object:
    return table(
        folder,
        "procedures",
        {"procedure": PROCEDURES, "sex": SEXES, "age_over_75": OVER_75, "age": AGES10},
    )


def test_a_value_named_in_the_model_and_again_for_the_patient(tmp_path: Path) -> None:
    """ "a logistic regression of CABG on sex and age over 75, … the probability of CABG
    for a female patient over 75": CABG said again is the outcome, "over 75" said again is
    the patient's value (not a second predictor, nor a restriction to the over-75s); a
    value said only in the model's list is no value of the patient: refused."""
    ds = procedures(tmp_path)
    y = np.array([p == "CABG" for p in PROCEDURES], dtype=float)
    x = np.column_stack([[s == "Female" for s in SEXES], [o == "Yes" for o in OVER_75]]).astype(
        float
    )
    fitted = Logit(y, add_constant(x)).fit(disp=0)
    expected = float(fitted.predict(np.array([[1.0, 1.0, 1.0]]))[0])
    model = "Fitting a logistic regression of CABG on sex and age over 75, what is the"
    got = answer(model + " predicted probability of CABG for a female patient over 75?", ds)
    assert got == pytest.approx(expected, rel=1e-6)
    refused = answer(model + " predicted probability of CABG for a female patient?", ds)
    assert isinstance(refused, Unanswerable) and "age_over_75" in str(refused)


def test_a_capital_or_opening_a_question_is_an_odds_ratio(tmp_path: Path) -> None:
    ds = procedures(tmp_path)
    y = np.array([p == "CABG" for p in PROCEDURES], dtype=float)
    fitted = Logit(y, add_constant(np.array(AGES10, dtype=float))).fit(disp=0)
    per_year = math.exp(float(fitted.params[1]))
    assert answer("OR CABG per extra year of age", ds) == pytest.approx(per_year, rel=1e-6)
    asked = (
        "What is the odds ratio of CABG per one-year increase in age, from a logistic regression?"
    )
    assert answer(asked, ds) == pytest.approx(per_year, rel=1e-6)


def test_a_straight_line_against_and_what_we_would_expect(tmp_path: Path) -> None:
    ds = table(
        tmp_path, "body", {"height": [160, 170, 175, 182, 190], "weight": [55, 63, 70, 74, 88]}
    )
    slope, intercept = np.polyfit([160, 170, 175, 182, 190], [55, 63, 70, 74, 88], 1)
    at_180 = slope * 180 + intercept
    for asked in (
        "If we fit a straight line of weight against height, what weight does it predict at a"
        " height of 180?",
        "Using a straight-line fit of weight on height, what weight would we expect at height 180?",
    ):
        assert answer(asked, ds) == pytest.approx(at_180, rel=1e-9), asked


YEAR = 365.25


def transplants(folder: Path) -> tuple[object, dict[str, np.ndarray]]:
    """A follow-up in days beside a Died/Censored status, as a hospital export has it."""
    rng = np.random.default_rng(26)
    n = 120
    d = {
        "follow_up_days": rng.integers(30, 3000, n),
        "died": rng.random(n) < 0.4,
        "gender": rng.choice(["Male", "Female"], n),
        "race": rng.choice(["White", "Black"], n),
        "age": rng.integers(20, 70, n),
    }
    ds = table(
        folder,
        "transplants",
        {
            "follow_up_days": d["follow_up_days"].tolist(),
            "status": ["Died" if x else "Censored" for x in d["died"]],
            "gender": d["gender"].tolist(),
            "race": d["race"].tolist(),
            "age": d["age"].tolist(),
        },
    )
    return ds, d


def km_at(days: np.ndarray, died: np.ndarray, t: float) -> float:
    """Plain Kaplan-Meier S(t): the product over event times up to t."""
    s = 1.0
    for u in sorted({float(x) for x in days[died] if x <= t}):
        at_risk = int((days >= u).sum())
        s *= 1 - int(((days == u) & died).sum()) / at_risk
    return s


def test_the_chances_that_a_woman_survives_3_years(tmp_path: Path) -> None:
    ds, d = transplants(tmp_path)
    women = d["gender"] == "Female"
    want = km_at(d["follow_up_days"][women], d["died"][women], 3 * YEAR)
    got = answer("What are the chances that a woman survives 3 years?", ds)
    assert got == pytest.approx(want, rel=1e-9)
    assert isinstance(answer("how many women survive 3 years", ds), Unanswerable)


def test_survival_different_between_two_values_is_a_log_rank_test(tmp_path: Path) -> None:
    ds, d = transplants(tmp_path)
    _chi2, p = survdiff(d["follow_up_days"], d["died"].astype(float), d["gender"])
    asked = "Is survival different between male and female patients? Give the log-rank p-value."
    assert answer(asked, ds) == pytest.approx(p, rel=1e-6)


def test_how_much_higher_is_the_risk_as_a_hazard_ratio(tmp_path: Path) -> None:
    """ "how much higher is the risk of dying for A compared with B, as hazard ratios":
    the hazard ratio of A against B; without "hazard ratio", "risk" is not read; "a
    hazard ratio" in the singular of a model on several predictors is the one said
    outside the adjustments (race), adjusted for age."""
    ds, d = transplants(tmp_path)
    rows = np.isin(d["race"], ["Black", "White"])
    x = np.column_stack([(d["race"] == "Black").astype(float), d["age"].astype(float)])
    ref = PHReg(d["follow_up_days"][rows], x[rows], status=d["died"][rows], ties="efron").fit()
    asked = (
        "How much higher is the risk of dying for Black patients compared with White patients,"
        " as {}, adjusting for age?"
    )
    one = answer(asked.format("a hazard ratio"), ds)
    assert one == pytest.approx(math.exp(ref.params[0]), rel=1e-6)
    got = answer(asked.format("hazard ratios"), ds)
    assert got["race = 'Black'"] == pytest.approx(math.exp(ref.params[0]), rel=1e-6)
    bare = "How much higher is the risk of dying for Black patients compared with White patients?"
    assert isinstance(answer(bare, ds), Unanswerable)
    alone = PHReg(d["follow_up_days"], d["age"].astype(float), status=d["died"], ties="efron")
    per_year = math.exp(alone.fit().params[0])
    got = answer("What is the Cox hazard ratio of death per year of age?", ds)
    assert got == pytest.approx(per_year, rel=1e-6)


def test_which_patients_stayed_the_longest(tmp_path: Path) -> None:
    """The superlative implies the stay, and the verb after the rows names the same column:
    read once, not left over."""
    los = [3, 12, 7, 30, 1, 9]
    kind = ["elective", "urgent", "elective", "urgent", "elective", "elective"]
    ds = table(tmp_path, "stays", {"case_id": [11, 12, 13, 14, 15, 16], "los_days": los,
                                   "admission": kind})  # fmt: skip
    assert answer("Which 2 patients stayed the longest?", ds) == [14, 12]
    assert answer("which 2 elective patients stayed the longest", ds) == [16, 13]


def test_a_comparison_written_as_a_value_is_that_value(tmp_path: Path) -> None:
    """A column holding "ESR < 20" and "ESR > 20": "ESR above 20" is the rows of the value
    written so; a comparison no value is written as ("20 or more") is not guessed."""
    esr = ["ESR < 20", "ESR > 20", "ESR < 20", "ESR > 20", "ESR < 20", "ESR < 20"]
    fib = [2.5, 3.9, 2.2, 4.1, 2.8, 2.0]
    ds = table(tmp_path, "plasma", {"fibrinogen": fib, "esr": esr})
    above = [f for f, e in zip(fib, esr, strict=True) if e == "ESR > 20"]
    assert answer("mean fibrinogen for ESR above 20", ds) == pytest.approx(statistics.mean(above))
    assert answer("how many with esr < 20", ds) == esr.count("ESR < 20")
    assert isinstance(answer("mean fibrinogen for ESR 20 or more", ds), Unanswerable)


def test_those_who_in_a_question_asked_afresh_are_the_rows(tmp_path: Path) -> None:
    """ "among those who died" with no earlier answer: the rows who died, not a pointer
    back; "how many of those died" still needs an earlier answer."""
    los = [3, 12, 7, 30, 1, 9]
    died = ["yes", "no", "yes", "no", "yes", "yes"]
    ds = table(tmp_path, "stays", {"case_id": [11, 12, 13, 14, 15, 16], "los_days": los,
                                   "died": died})  # fmt: skip
    assert answer("top 2 pts w/ longest stay among those who died", ds) == [16, 13]
    assert isinstance(answer("how many of those died", ds), Unanswerable)

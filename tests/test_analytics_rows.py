"""Words for the rows and the statistic in plain words, on small tables made here: a
noun is the rows only where no column or value is that word; the expected answers are
computed from the rows written, not by the engine."""

from __future__ import annotations

import statistics
from pathlib import Path
from typing import Any

import pytest

from appliance.analytics import datasets, reader
from appliance.analytics.errors import Unanswerable
from tests.test_analytics_reader import AGES, answer, table

SEX = ["f", "m", "f", "m", "f", "m"]
STAY = [3, 12, 7, 1, 30, 9]


@pytest.mark.parametrize(
    "question",
    [
        "how many climbers are there",
        "# climbers",
        "number of climbers over 45",
        "mean age of the climbers",
        "mean age for a female climber",
    ],
)
def test_the_noun_an_identifier_is_named_for_is_the_rows(tmp_path: Path, question: str) -> None:
    """ "climbers" beside ``climber_id``: the file says what a row is."""
    ds = table(tmp_path, "t", {"climber_id": list(range(101, 107)), "age": AGES, "sex": SEX})
    expected = {
        "how many climbers are there": len(AGES),
        "# climbers": len(AGES),
        "number of climbers over 45": sum(a > 45 for a in AGES),
        "mean age of the climbers": statistics.mean(AGES),
        "mean age for a female climber": statistics.mean(
            a for a, s in zip(AGES, SEX, strict=True) if s == "f"
        ),
    }[question]
    assert answer(question, ds) == pytest.approx(expected)


def test_an_identifier_noun_is_no_row_beside_another_identifier(tmp_path: Path) -> None:
    """A ``donor_id`` beside a ``recipient_id``: which of them is a row? Not guessed."""
    ds = table(
        tmp_path,
        "t",
        {"donor_id": list(range(6)), "recipient_id": list(range(10, 16)), "age": AGES},
    )
    for question in ("how many donors", "how many recipients"):
        assert isinstance(answer(question, ds), Unanswerable), question


def test_stays_are_the_rows_and_a_stay_its_length(tmp_path: Path) -> None:
    """Beside ``stay_id`` and ``length_of_stay``: "stays" counts or ranks the rows,
    "the mean stay" is the length's mean (the singular is the column)."""
    ds = table(
        tmp_path,
        "t",
        {"stay_id": list(range(501, 507)), "length_of_stay": STAY, "sex": SEX},
    )
    assert answer("how many stays", ds) == len(STAY)
    got = answer("count the stays by sex", ds)
    assert got == {"f": SEX.count("f"), "m": SEX.count("m")}
    assert answer("which 2 stays were the longest", ds) == [505, 502]
    assert answer("mean stay", ds) == pytest.approx(statistics.mean(STAY))
    # the identifier's "stay" is no condition beside "stay in hospital"
    men = [s for s, x in zip(STAY, SEX, strict=True) if x == "m"]
    got = answer("on average, how long did the men stay in hospital", ds)
    assert got == pytest.approx(statistics.mean(men))
    assert answer("what is the longest hospital stay", ds) == max(STAY)


def test_a_column_named_for_the_noun_stays_the_column(tmp_path: Path) -> None:
    """ "total stays" beside a count of stays named ``stays``: the column's sum, never a
    count of the rows (both the identifier's noun and the lexicon's say "stays")."""
    stays = [1, 2, 0, 4, 1, 3]
    ds = table(tmp_path, "t", {"stay_id": list(range(6)), "stays": stays, "age": AGES})
    assert answer("total stays", ds) == sum(stays)
    assert answer("total stays for people over 45", ds) == sum(
        s for s, a in zip(stays, AGES, strict=True) if a > 45
    )


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("how many students over 45", sum(a > 45 for a in AGES)),
        ("mean age of female athletes", statistics.mean([30, 50, 70])),
        ("how many netball players", 6),
        ("max los of urgent admits", max(STAY[0], STAY[1], STAY[4])),
        ("what is the highest age anyone had", max(AGES)),
        ("what is the total los across everyone", sum(STAY)),
        ("how many episodes", 6),
    ],
)
def test_ordinary_nouns_for_the_rows(tmp_path: Path, question: str, expected: float) -> None:
    """People and records as English names them: students, athletes, players, admits,
    episodes; "anyone" and "everyone" are every row."""
    ds = table(
        tmp_path,
        "t",
        {
            "age": AGES,
            "sex": SEX,
            "los": STAY,
            "admission": ["urgent", "urgent", "elective", "elective", "urgent", "elective"],
            "sport": ["netball"] * 6,
        },
    )
    assert answer(question, ds) == pytest.approx(expected)


def measured(tmp_path: Path) -> tuple[datasets.Dataset, dict[str, list[Any]]]:
    cols: dict[str, list[Any]] = {
        "age": [float(a) for a in AGES],
        "height_cm": [150.0, 182.0, 160.0, 175.0, 158.0, 190.0],
        "weight": [55.0, 90.0, 61.0, 72.0, 49.0, 101.0],
        "los_days": STAY,  # whole days: "how many days" adds them up
    }
    return table(tmp_path, "t", {**cols, "sex": SEX}), cols


@pytest.mark.parametrize(
    ("question", "statistic", "column"),
    [
        ("on average, how tall are the women", "mean", "height_cm"),
        ("on average, how heavy are the men", "mean", "weight"),
        ("on average, how old are the women", "mean", "age"),
        ("on average, how long did the men stay in hospital", "mean", "los_days"),
        ("how heavy is the heaviest man", "max", "weight"),
        ("how old is the youngest woman", "min", "age"),
        ("what is the longest hospital stay for a woman", "max", "los_days"),
        ("in total, how many days did the women spend in hospital", "sum", "los_days"),
        ("what is the total number of days in hospital across all women", "sum", "los_days"),
        ("what's the typical (median) height of the men", "median", "height_cm"),
        ("adding up the weight of the women, what is the total", "sum", "weight"),
    ],
)
def test_the_statistic_in_plain_words(
    tmp_path: Path, question: str, statistic: str, column: str
) -> None:
    """ "how tall/heavy/old/long" name the measure; "the typical (median)" is the word in
    parentheses; "adding up … the total" is a sum; days in hospital are the stay."""
    ds, cols = measured(tmp_path)
    sex = "m" if {"man", "men"} & set(question.split()) else "f"
    values = [v for v, s in zip(cols[column], SEX, strict=True) if s == sex]
    expected = {
        "mean": statistics.mean,
        "max": max,
        "min": min,
        "sum": sum,
        "median": statistics.median,
    }[statistic](values)
    assert answer(question, ds) == pytest.approx(expected)


@pytest.mark.parametrize(
    "question",
    [
        "on average, how old are the women",  # age or the mother's age?
        "how old are the women",  # no statistic
        "what's the typical height of the men",  # mean or median?
    ],
)
def test_plain_words_that_could_mean_two_numbers_are_refused(tmp_path: Path, question: str) -> None:
    """Two ages, no statistic, "typical" with nothing to say which, a hospital column:
    refused rather than one guessed."""
    ds = table(
        tmp_path,
        "t",
        {
            "age": AGES,
            "mother_age": [a + 25 for a in AGES],
            "height": [150, 182, 160, 175, 158, 190],
            "los": STAY,
            "sex": SEX,
        },
    )
    if question == "on average, how old are the women":
        ds = table(
            tmp_path / "two",
            "t",
            {"age": AGES, "age_years": [a + 1 for a in AGES], "sex": SEX},
        )
    assert isinstance(answer(question, ds), Unanswerable), question


def test_in_hospital_beside_a_hospital_column_is_that_column(tmp_path: Path) -> None:
    """ "stay in hospital 2" beside a ``hospital`` column: the hospital is a condition
    (the words are not the stay's), and the stay is still its length."""
    hospital = [1, 2, 2, 1, 1, 2]
    ds = table(tmp_path, "t", {"los": STAY, "hospital": hospital, "sex": SEX})
    men_in_2 = [s for s, h, x in zip(STAY, hospital, SEX, strict=True) if h == 2 and x == "m"]
    got = answer("on average, how long did the men stay in hospital 2", ds)
    assert got == pytest.approx(statistics.mean(men_in_2))


def test_how_much_longer_they_stay_is_the_stay(tmp_path: Path) -> None:
    """ "how much longer do the men stay": "stay" names the column "longer" implies; a
    column other than the one implied ("the age") is still refused."""
    ds = table(tmp_path, "t", {"los": STAY, "age": AGES, "sex": SEX})
    men = [s for s, x in zip(STAY, SEX, strict=True) if x == "m"]
    women = [s for s, x in zip(STAY, SEX, strict=True) if x == "f"]
    got = answer("on average, how much longer do the men stay than the women", ds)
    assert got == pytest.approx(statistics.mean(men) - statistics.mean(women))
    refused = answer("on average, how much longer is the age of the men than the women", ds)
    assert isinstance(refused, Unanswerable)


ADMISSION = ["emergency", "elective", "emergency", "urgent", "emergency", "elective"]
DIED = ["yes", "no", "no", "yes", "yes", "no"]
IMPROVED = ["marked", "none", "some", "marked", "none", "marked"]


def outcomes(tmp_path: Path) -> datasets.Dataset:
    return table(
        tmp_path,
        "t",
        {"admission_type": ADMISSION, "died": DIED, "improved": IMPROVED, "sex": SEX},
    )


def share(rows: list[bool], of: list[bool]) -> float:
    kept = [r for r, o in zip(rows, of, strict=True) if o]
    return 100 * sum(kept) / len(kept)


def test_verbs_that_lead_to_a_value_are_its_condition(tmp_path: Path) -> None:
    """ "ended in death", "came in as emergencies", "showed marked improvement": the
    value right after the verb is what is counted."""
    ds = outcomes(tmp_path)
    emergency = [a == "emergency" for a in ADMISSION]
    died = [d == "yes" for d in DIED]
    everyone = [True] * len(SEX)
    women = [s == "f" for s in SEX]
    marked = [i == "marked" for i in IMPROVED]
    got = answer("what share of emergency admissions ended in death", ds)
    assert got == pytest.approx(share(died, emergency))
    got = answer("what proportion came in as emergencies", ds)
    assert got == pytest.approx(share(emergency, everyone))
    got = answer("what percentage of women showed marked improvement", ds)
    assert got == pytest.approx(share(marked, women))
    none = [i == "none" for i in IMPROVED]  # "no improvement": the value "none" it holds
    got = answer("what percentage of women showed no improvement", ds)
    assert got == pytest.approx(share(none, women))
    assert answer("how many emergency admissions ended in death", ds) == sum(
        e and d for e, d in zip(emergency, died, strict=True)
    )


@pytest.mark.parametrize(
    "question",
    [
        "what share of emergency admissions ended in",  # in what?
        "what percentage of women showed improvement",  # the column, no value
    ],
)
def test_a_leading_verb_with_no_value_after_it_is_refused(tmp_path: Path, question: str) -> None:
    assert isinstance(answer(question, outcomes(tmp_path)), Unanswerable), question


def test_words_said_of_the_data_itself(tmp_path: Path) -> None:
    """ "appear in the data", "are represented", "expressed in weeks", "if we draw a
    straight line", "fitting a straight line": no condition."""
    weight = [55.0, 90.0, 61.0, 72.0, 49.0, 101.0]
    ds = table(tmp_path, "t", {"age": AGES, "weight": weight, "los_days": STAY, "sex": SEX})
    assert answer("how many different sexes appear in the data", ds) == 2
    assert answer("how many distinct sexes are represented", ds) == 2
    got = answer("what is the sum of los, expressed in weeks", ds)
    assert got == pytest.approx(sum(STAY) / 7)
    fit = statistics.linear_regression(AGES, weight)
    for question in (
        "if we draw a straight line of weight against age, what is its intercept",
        "fitting a straight line of weight on age, what is the intercept",
    ):
        assert answer(question, ds) == pytest.approx(fit.intercept), question


def test_model_lead_ins_read_as_the_model_named(tmp_path: Path) -> None:
    """ "the estimated probability", "fitting a logistic regression": the same plan as
    "the predicted probability" from "a logistic regression" (the model is the one named)."""
    ds = table(tmp_path, "t", {"age": AGES, "died": DIED})
    asked = "of death for a 40 year old"
    expected = reader.read(
        f"using a logistic regression on age, what is the predicted probability {asked}", ds
    ).plan
    assert expected is not None and expected.statistic == "logistic_regression"
    for question in (
        f"using a logistic regression on age, what is the estimated probability {asked}",
        f"fitting a logistic regression on age, what is the predicted probability {asked}",
    ):
        assert reader.read(question, ds).plan == expected, question


def test_words_of_the_rows_between_them_and_an_age(tmp_path: Path) -> None:
    """ "people in the study were over 50": the people's age, as "people over 50" (with
    a weight beside it, "over 50" alone names no column); "play" and "come from" say
    nothing of which rows."""
    weight = [55, 90, 61, 72, 49, 101]
    sport = ["row", "swim", "row", "netball", "swim", "row"]
    hospital = ["a", "b", "a", "c", "b", "a"]
    ds = table(
        tmp_path,
        "t",
        {"age": AGES, "weight": weight, "sport": sport, "hospital": hospital, "sex": SEX},
    )
    assert answer("how many people in the study were over 50", ds) == sum(a > 50 for a in AGES)
    assert isinstance(answer("how many in the study were over 50", ds), Unanswerable)
    women = {s for s, x in zip(sport, SEX, strict=True) if x == "f"}
    assert answer("how many different sports do the women play", ds) == len(women)
    got = answer("how many different hospitals did the patients come from", ds)
    assert got == len(set(hospital))
    assert answer("how many distinct values does the sport column take", ds) == len(set(sport))


def test_a_row_noun_that_ends_a_count_column_is_not_guessed(tmp_path: Path) -> None:
    """ "total stays" in a table of patients with ``hospital_stays`` (each one's count):
    the rows counted, or the counts added up? Refused; where ``stay_id`` says a row is a
    stay, "stays" are the rows."""
    stays = [1, 2, 0, 4, 1, 3]
    per_patient = table(tmp_path / "p", "t", {"hospital_stays": stays, "age": AGES})
    for question in ("total stays", "how many stays", "how many episodes"):
        ds = per_patient
        if question == "how many episodes":
            ds = table(tmp_path / "e", "t", {"prior_episodes": stays, "age": AGES})
        assert isinstance(answer(question, ds), Unanswerable), question
    assert answer("total hospital stays", per_patient) == sum(stays)
    per_stay = table(
        tmp_path / "s", "t", {"stay_id": list(range(6)), "length_of_stay": STAY, "age": AGES}
    )
    assert answer("how many stays", per_stay) == len(STAY)


def test_how_many_different_values_are_recorded(tmp_path: Path) -> None:
    """ "how many different levels of improvement are recorded": the distinct values
    filled in ("recorded" said of the column, a verb between), never a refusal for want
    of a column; "how many patients are recorded" is still the rows."""
    improvement = ["marked", "", "some", "marked", "none", ""]
    ages: list[Any] = [30, 40, "", 60, 40, 80]
    ds = table(tmp_path, "t", {"improvement": improvement, "age": ages})
    filled = {i for i in improvement if i}
    got = answer("how many different levels of improvement are recorded", ds)
    assert got == len(filled)
    assert answer("how many distinct ages are recorded", ds) == len({a for a in ages if a})
    assert answer("how many patients are recorded", ds) == len(ages)

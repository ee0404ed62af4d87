"""A column named by a fuller phrase than its header ("induced abortions", "days of
reduced activity"; never "gamma globulin"), and yes/no columns said with a verb or a noun
("drank alcohol", "alcohol use", "HMO membership"), on small tables made here. Expected
answers are computed from the rows written; every word that could select rows refuses."""

from __future__ import annotations

import statistics
from pathlib import Path

from appliance.analytics import reader
from appliance.analytics.errors import Unanswerable
from tests.test_analytics_reader import answer, table

GLOBULIN = [30, 34, 38, 42, 46, 29]
ESR = ["low", "high", "high", "low", "high", "low"]


def test_a_noun_before_a_number_column_is_refused(tmp_path: Path) -> None:
    """ "gamma globulin" of a column globulin, "urine sodium" of sodium, "stool weight" of
    weight: a noun before a header may name another specimen or thing measured (the
    column may be total globulin, serum sodium, the patient's weight), another number;
    refused, never read as the column, and the refusal names the word."""
    ds = table(
        tmp_path,
        "plasma",
        {"globulin": GLOBULIN, "sodium": [135, 140, 138, 142, 137, 139], "esr": ESR},
    )
    for refused in (
        "median gamma globulin",
        "mean urine sodium",
        "mean sweat sodium",
        "median globulin gamma",  # after a noun
    ):
        got = answer(refused, ds)
        assert isinstance(got, Unanswerable), refused
    assert "gamma" in str(answer("median gamma globulin", ds))
    assert answer("median globulin", ds) == statistics.median(GLOBULIN)


def test_a_noun_that_says_whose_where_or_which_events_is_refused(tmp_path: Path) -> None:
    """Before a count of events ("home visits": some of the visits), and nouns that say
    whose a value is ("spouse age"), where ("home blood pressure") or when ("night
    pulse") it was taken: refused, never read as the column."""
    ds = table(
        tmp_path,
        "clinic",
        {"visits": [2, 0, 5, 1], "age": [30, 40, 50, 60], "sbp": [120, 130, 140, 150]},
    )
    for refused in ("mean home visits", "mean spouse age", "mean home sbp", "mean night sbp"):
        assert isinstance(answer(refused, ds), Unanswerable), refused


INDUCED = [0, 1, 2, 0, 1, 2, 0]
SPONTANEOUS = [1, 0, 2, 2, 0, 1, 0]
AGE = [26, 31, 35, 29, 40, 33, 24]


def test_a_noun_after_an_adjective_header_is_what_it_qualifies(tmp_path: Path) -> None:
    """ "induced abortions" for a count induced, "spontaneous abortions" for spontaneous:
    a header that is an adjective or a participle qualifies the noun after it; the noun
    is read as describing the column. After a noun header ("age asthma", "weight loss")
    the noun may be the rows or another number: refused."""
    ds = table(
        tmp_path,
        "infertility",
        {"induced": INDUCED, "spontaneous": SPONTANEOUS, "age": AGE},
    )
    some = [a for a, n in zip(AGE, INDUCED, strict=True) if n >= 1]
    assert answer("mean age of patients with at least one induced abortion", ds) == (
        statistics.mean(some)
    )
    assert answer("how many patients with 2 spontaneous abortions", ds) == SPONTANEOUS.count(2)
    assert answer("mean spontaneous abortions", ds) == statistics.mean(SPONTANEOUS)
    for refused in ("mean age asthma", "mean age loss", "mean induced diabetics"):
        assert isinstance(answer(refused, ds), Unanswerable), refused


REDUCED = [0, 3, 14, 1, 0, 5]
SEX = ["male", "female", "female", "male", "female", "male"]


def test_a_unit_of_time_qualified_by_the_header_is_what_it_counts(tmp_path: Path) -> None:
    """ "days of reduced activity", "reduced activity days", "10 reduced days" for a
    column reduced of whole numbers with no recorded unit: the column, taken to count
    days, with a caveat; a conversion to another unit still needs a recorded unit, and a
    recorded unit of another size is refused, never read as days."""
    ds = table(tmp_path / "a", "survey", {"reduced": REDUCED, "sex": SEX})
    men = [d for d, s in zip(REDUCED, SEX, strict=True) if s == "male"]
    assert answer("On average, how many days of reduced activity did the men have?", ds) == (
        statistics.mean(men)
    )
    assert answer("median reduced activity days", ds) == statistics.median(REDUCED)
    women = [d for d, s in zip(REDUCED, SEX, strict=True) if s == "female"]
    said = "What is the total number of days of reduced activity reported by women?"
    assert answer(said, ds) == sum(women)
    caveats = reader.read("mean days of reduced activity", ds).caveats
    assert any("days" in c and "not recorded" in c for c in caveats), caveats
    assert isinstance(answer("mean reduced activity in weeks", ds), Unanswerable)
    weeks = table(tmp_path / "b", "survey", {"reduced (weeks)": REDUCED, "sex": SEX})
    assert isinstance(answer("mean days of reduced activity", weeks), Unanswerable)


def test_the_number_of_a_count_reported_is_refused_and_its_total_is_the_sum(
    tmp_path: Path,
) -> None:
    """ "the number of X reported" of a column of counts could be the rows with X
    recorded or X added up: refused naming both; "the total number of X reported" adds
    them up."""
    ds = table(tmp_path, "survey", {"reduced": REDUCED, "sex": SEX})
    assert isinstance(answer("number of reduced reported by women", ds), Unanswerable)
    women = [d for d, s in zip(REDUCED, SEX, strict=True) if s == "female"]
    assert answer("total number of reduced reported by women", ds) == sum(women)


ALCOHOL = [1, 0, 0, 1, 0, 1, 0, 0]
SMOKE = [1, 1, 0, 1, 0, 0, 1, 0]
DURATION = [10, 20, 30, 12, 24, 8, 16, 40]


def test_a_yes_no_column_said_with_a_verb_of_taking_in(tmp_path: Path) -> None:
    """ "patients who drank alcohol", "took", "used", "consumed": the yes/no column's yes;
    "did not drink alcohol", "never drank alcohol": its no; "of smokers, what share
    drank alcohol" counts the drinkers among the smokers. A verb before nothing it could
    lead to is refused ("patients who drank")."""
    ds = table(tmp_path, "feeding", {"alcohol": ALCOHOL, "smoke": SMOKE, "duration": DURATION})
    assert answer("how many patients who drank alcohol", ds) == sum(ALCOHOL)
    assert answer("# pts who smoked and drank alcohol", ds) == sum(
        a and s for a, s in zip(ALCOHOL, SMOKE, strict=True)
    )
    for verb in ("took", "used", "consumed"):
        assert answer(f"how many patients {verb} alcohol", ds) == sum(ALCOHOL), verb
    dry = [d for d, a in zip(DURATION, ALCOHOL, strict=True) if not a]
    assert answer("mean duration of patients who did not drink alcohol", ds) == (
        statistics.mean(dry)
    )
    assert answer("how many patients who never drank alcohol", ds) == ALCOHOL.count(0)
    smokers = [a for a, s in zip(ALCOHOL, SMOKE, strict=True) if s]
    assert answer("What share of the patients who smoked also drank alcohol?", ds) == (
        100 * sum(smokers) / len(smokers)
    )
    assert isinstance(answer("how many patients drank", ds), Unanswerable)


def test_a_participle_with_a_yes_no_column_is_its_yes(tmp_path: Path) -> None:
    """ "treated with insulin", "diagnosed with diabetes" where no column or value shares
    the participle's stem: the rows with what follows ("not treated with insulin" its
    no); the participle alone, or before a word naming nothing, stays refused."""
    insulin = [1, 0, 1, 1, 0]
    diabetes = [1, 1, 0, 1, 0]
    age = [30, 40, 50, 60, 70]
    ds = table(tmp_path, "clinic", {"insulin": insulin, "diabetes": diabetes, "age": age})
    assert answer("how many patients treated with insulin", ds) == sum(insulin)
    assert answer("mean age of patients not treated with insulin", ds) == statistics.mean(
        a for a, i in zip(age, insulin, strict=True) if not i
    )
    assert answer("how many patients diagnosed with diabetes", ds) == sum(diabetes)
    for refused in ("how many treated patients", "how many patients treated with chemo"):
        assert isinstance(answer(refused, ds), Unanswerable), refused


def test_a_yes_no_column_said_with_a_noun_of_holding_it(tmp_path: Path) -> None:
    """ "alcohol use", "alcohol intake", "HMO membership": the yes/no column (its yes as a
    condition, the column as a grouping); a noun that could name a kind of it ("alcohol
    abuse", "alcohol use disorder") is refused."""
    ds = table(tmp_path, "feeding", {"alcohol": ALCOHOL, "hmo": SMOKE, "duration": DURATION})
    assert answer("how many patients with alcohol use", ds) == sum(ALCOHOL)
    assert answer("how many with alcohol intake", ds) == sum(ALCOHOL)
    assert answer("how many with hmo membership", ds) == sum(SMOKE)
    by = answer("mean duration by alcohol use", ds)
    assert by == {
        str(v): statistics.mean(d for d, a in zip(DURATION, ALCOHOL, strict=True) if a == v)
        for v in (0, 1)
    }
    for refused in ("how many with alcohol abuse", "how many with alcohol use disorder"):
        assert isinstance(answer(refused, ds), Unanswerable), refused


def test_a_code_after_a_category_column_is_its_kind_word(tmp_path: Path) -> None:
    """ "race codes" for a column race (its values are codes): the column, as "race
    type" would be; beside a column race_code, that column (named so, it wins)."""
    race = [1, 2, 2, 3, 1, 5]
    ds = table(tmp_path / "a", "pill", {"race": race, "age": [30, 40, 50, 60, 70, 80]})
    assert answer("How many distinct race codes are there?", ds) == len(set(race))
    both = table(tmp_path / "b", "pill", {"race": ["w", "b", "w", "a"], "race_code": [1, 2, 1, 1]})
    assert answer("how many distinct race codes", both) == 2

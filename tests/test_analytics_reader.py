"""The question reader on small tables made here: words that could change an answer are
read or refused, never ignored; units convert exactly or refuse; follow-ups are known by
their form. Expected answers are computed from the rows written, not by the engine."""

from __future__ import annotations

import csv
import dataclasses
import re
import statistics
from pathlib import Path
from typing import Any

import pytest

from appliance.analytics import datasets, engine, lexicon, plan, reader
from appliance.analytics.errors import Unanswerable
from tests import sweeps, tables

AGES = [30, 40, 50, 60, 70, 80]
MARKED = [True, True, False, False, False, True]  # the rows a condition would keep


def table(folder: Path, name: str, columns: dict[str, list[Any]]) -> datasets.Dataset:
    folder.mkdir(parents=True, exist_ok=True)
    source = folder / f"{name}.csv"
    with source.open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(columns)
        writer.writerows(zip(*columns.values(), strict=True))
    return tables.load(source, folder / "derived", name)  # imported once per process


def answer(question: str, ds: datasets.Dataset, **follow: Any) -> Any:
    """The engine's answer, or the refusal itself."""
    try:
        reading = reader.read(question, ds, **follow)
    except Unanswerable as exc:
        return exc
    assert reading.plan is not None
    return engine.run(plan.from_json(reading.plan.to_json(), ds.infos), ds).answer


def filler_words() -> list[tuple[str, str]]:
    """(what the question says, the word of it whose stem the data shares)."""
    phrases = {entry.replace("_", " ") for entry in lexicon.FILLER}
    phrases |= set(lexicon.FILLER_PHRASES) | set(lexicon.PARTICIPLES)
    return sorted({(p, w) for p in phrases for w in p.split()})


def stem(word: str) -> str:
    """The test's own crude stem: a word without its last inflection."""
    return re.sub(r"(ing|ed|es|s|e)$", "", word) if len(word) > 4 else word


def variants(word: str) -> list[str]:
    """Words sharing ``word``'s stem, as a column or a value might be spelled: the word,
    its plural, and (for a stem long enough to be one) a noun and a gerund made from it."""
    plural = word + ("es" if word.endswith(("s", "x", "ch", "sh")) else "s")
    base = stem(word)
    made = {base + "ment", base + "ing"} if len(base) >= 4 else set()
    return sorted({word, plural} | made)


def chunks(words: list[str], size: int) -> list[list[str]]:
    return [words[i : i + size] for i in range(0, len(words), size)]


@pytest.mark.parametrize("shape", ["column", "value"])
@pytest.mark.parametrize("form", range(4))
@pytest.mark.parametrize("part", sweeps.PARTS)
def test_a_filler_word_like_the_data_changes_the_answer_or_refuses(
    tmp_path: Path, part: str, shape: str, form: int
) -> None:
    """Every filler word, in questions about tables with a column (a yes/no column) or a
    value sharing its stem: the answer with the word differs from the answer without it
    (the word was read as the condition), or the question is refused. The sample
    (tests/sweeps.py) has each word once, in one shape and one of its four forms (every
    eighth group of words, a different one for each shape and form); the rest has each
    word in both shapes and all four forms."""
    everyone = len(AGES)
    mean_all = statistics.mean(AGES)
    failures = []
    items = filler_words()
    groups = list(enumerate(chunks(sorted({w for _p, w in items}), 12)))
    offset = 2 * form + ["column", "value"].index(shape)
    for n, group in sweeps.part_of(groups, part, every=8, offset=offset):
        columns: dict[str, list[Any]] = {"id": [f"r{i}" for i in range(len(AGES))], "age": AGES}
        spelled: dict[str, str] = {}
        for k, word in enumerate(group):
            v = variants(word)[form % len(variants(word))]
            spelled[word] = v
            if shape == "column":
                columns[v] = [1 if m else 0 for m in MARKED]
            else:
                columns[f"c{k}"] = [v if m else "zzq" for m in MARKED]
        ds = table(tmp_path / f"{shape}{form}_{n}", "t", columns)
        # Questions whose other words are no filler, with and without the word.
        assert answer("how many patients", ds) == everyone
        assert answer("mean age patients", ds) == pytest.approx(mean_all)
        for phrase, word in [(p, w) for p, w in items if w in spelled]:
            for question, without in (
                (f"how many {phrase} patients", everyone),
                (f"mean age {phrase} patients", mean_all),
            ):
                got = answer(question, ds)
                if not isinstance(got, Unanswerable) and got == pytest.approx(without):
                    failures.append(f"{question!r} ({shape} {spelled[word]!r}): {got}")
    assert not failures, "\n".join(failures)


def test_a_participle_is_the_condition_it_names(tmp_path: Path) -> None:
    """ "treated" on a table with the value "treatment": the treated rows, not every row."""
    arm = ["treatment" if m else "control" for m in MARKED]
    ds = table(tmp_path, "trial", {"id": list(range(6)), "age": AGES, "arm": arm})
    treated_ages = [a for a, m in zip(AGES, MARKED, strict=True) if m]
    assert answer("how many treated patients", ds) == len(treated_ages)
    assert answer("mean age of patients who were treated", ds) == pytest.approx(
        statistics.mean(treated_ages)
    )


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("how many patients under 40 were older than 60", None),
        ("how many patients younger than 50 who are older than 50", None),
        ("how many patients aged 40 to 50 who are older than 55", None),
        ("how many patients younger than 55 who are older than 45", 1),  # 50
        ("how many patients aged 50 or younger who are 50 or older", 1),  # 50
    ],
)
def test_conditions_no_age_can_meet_are_refused(
    tmp_path: Path, question: str, expected: int | None
) -> None:
    """Two ranges of one column that leave no value are a contradiction (docs/analytics.md
    refuses those), never a count of 0 that reads as a finding; ranges that meet at a
    number still count it."""
    ds = table(tmp_path, "trial", {"id": list(range(6)), "age": AGES})
    got = answer(question, ds)
    if expected is None:
        assert isinstance(got, Unanswerable) and "at once" in str(got), got
    else:
        assert got == expected


def test_a_row_noun_picks_no_column_another_could_be(tmp_path: Path) -> None:
    """A table of births with the mother's ``weight`` and the baby's ``bwt``: "the
    weight of the babies" is not ``weight`` (refused naming both), "birth weight" is
    ``bwt`` (clinical shorthand); where ``weight`` is the only weight, it is either."""
    weights = [120, 130, 140, 150, 160, 170]
    gestation = [270, 275, 280, 285, 290, 295]  # about pregnancies: the rows are mothers'
    both = table(
        tmp_path / "both",
        "births",
        {"id": list(range(6)), "weight": weights, "bwt": AGES, "gestation": gestation},
    )
    got = answer("mean weight of the babies", both)
    assert isinstance(got, Unanswerable) and "weight, bwt" in str(got), got
    assert answer("average birth weight", both) == pytest.approx(statistics.mean(AGES))
    # Nothing in bwt's name is about mothers: their weight is weight.
    assert answer("mean weight of the mothers", both) == pytest.approx(statistics.mean(weights))
    alone = table(tmp_path / "alone", "births", {"id": list(range(6)), "weight": weights})
    for question in ("average birth weight", "mean weight of the babies"):
        assert answer(question, alone) == pytest.approx(statistics.mean(weights))


def test_a_yes_no_column_of_0_and_1_takes_its_code(tmp_path: Path) -> None:
    """ "gender 1" on a column of 0/1 codes keeps the rows coded 1, as "asa 3" keeps a
    code of a column of codes; a code it does not hold, or a yes/no column of words,
    is still refused rather than read as something else."""
    gender = [1, 0, 1, 1, 0, 0]
    smoker = ["yes", "no", "no", "yes", "yes", "no"]
    ds = table(
        tmp_path, "cohort", {"id": list(range(6)), "age": AGES, "gender": gender, "smoker": smoker}
    )
    ones = [a for a, g in zip(AGES, gender, strict=True) if g == 1]
    zeros = [a for a, g in zip(AGES, gender, strict=True) if g == 0]
    assert answer("mean age for gender 1", ds) == pytest.approx(statistics.mean(ones))
    assert answer("how many patients with gender 0", ds) == len(zeros)
    assert answer("mean age in gender 1 vs gender 0", ds) == pytest.approx(
        statistics.mean(ones) - statistics.mean(zeros)
    )
    for question in ("how many patients with gender 2", "how many patients with smoker 1"):
        assert isinstance(answer(question, ds), Unanswerable), question


def test_a_number_column_before_the_rows_is_no_predictor(tmp_path: Path) -> None:
    """ "OR of improvement for ins pts": the word before the rows names a group (the
    insulin arm, by its shorthand), so the dose column whose name holds "ins" is not
    fitted per unit instead: refused, where "per unit ins" (as the refusal suggests)
    is the dose's odds ratio."""
    n = 40
    arm = ["insulin" if i % 2 else "control" for i in range(n)]
    dose = [(i % 5) * 0.5 if i % 2 else 0 for i in range(n)]
    improved = ["yes" if (i % 3 == 0) != (i % 7 == 0) else "no" for i in range(n)]
    ds = table(
        tmp_path,
        "trial",
        {"id": list(range(n)), "arm": arm, "dose_ins_mg": dose, "improved": improved},
    )
    got = answer("OR of improvement for ins pts", ds)
    assert isinstance(got, Unanswerable) and "not a group" in str(got), got
    assert isinstance(answer("odds ratio of improved per unit ins", ds), float)


def test_a_participle_the_data_says_nothing_about_is_refused(tmp_path: Path) -> None:
    ds = table(tmp_path, "cohort", {"id": list(range(6)), "age": AGES})
    for question in ("how many treated patients", "mean age of diagnosed patients"):
        refusal = answer(question, ds)
        assert isinstance(refusal, Unanswerable), question
        assert "no column saying" in str(refusal)
    # A column named for it and filled in every row says every row is so.
    dated = table(
        tmp_path / "dated",
        "stays",
        {
            "id": list(range(6)),
            "age": AGES,
            "admission_date": [f"2024-01-0{i + 1}" for i in range(6)],
        },
    )
    assert answer("how many patients admitted", dated) == 6


def test_a_yes_no_column_makes_a_participle_a_condition(tmp_path: Path) -> None:
    flags = [1 if m else 0 for m in MARKED]
    ds = table(tmp_path, "t", {"id": list(range(6)), "age": AGES, "diagnosed": flags})
    assert answer("how many diagnosed patients", ds) == sum(flags)
    ds = table(tmp_path / "b", "t", {"id": list(range(6)), "age": AGES, "enrollment": flags})
    assert answer("how many enrolled patients", ds) == sum(flags)


@pytest.mark.parametrize(
    "question", ["how many qqq0 patients", "how many qqq1", "mean age 'x' qqq0x", "qqq9 'a' 'b'"]
)
def test_words_like_the_readers_placeholders_are_only_words(tmp_path: Path, question: str) -> None:
    ds = table(tmp_path, "t", {"id": list(range(6)), "age": AGES})
    assert isinstance(answer(question, ds), Unanswerable)


@pytest.mark.parametrize(
    "question",
    [
        "how many of those were women?",
        "only those over 60",
        "what is their mean age",
        "and how many of them are men",
        "the same for men",
    ],
)
def test_those_with_nothing_to_point_to_is_refused(tmp_path: Path, question: str) -> None:
    ds = table(tmp_path, "t", {"id": list(range(6)), "age": AGES, "sex": list("FMFMFM")})
    refusal = answer(question, ds)
    assert isinstance(refusal, Unanswerable)
    assert "points back" in str(refusal)
    refusal = answer(question, ds, follow_up=True, answered=False)
    assert isinstance(refusal, Unanswerable)
    assert "was not answered" in str(refusal)


@pytest.mark.parametrize(
    ("question", "continues"),
    [
        ("how many patients", False),
        ("what is the average age", False),
        ("how many women are there", False),
        ("and how many women?", True),
        ("what about the mean age of women?", True),
        ("how about the median age", True),
        ("now the mean age", True),
        ("also the mean age", True),
        ("how many of those are women", True),
    ],
)
def test_a_follow_up_is_known_by_its_form(tmp_path: Path, question: str, continues: bool) -> None:
    ds = table(tmp_path, "t", {"id": list(range(6)), "age": AGES, "sex": list("FMFMFM")})
    reading = reader.read(question, ds, follow_up=True)
    assert reading.continues is continues


def test_a_unit_in_a_condition_converts_or_refuses(tmp_path: Path) -> None:
    """ "stays over 2 weeks" on a column in days compares with 14 days, not 2."""
    stays = [3, 10, 15, 20, 1, 30]
    ds = table(tmp_path, "t", {"id": list(range(6)), "stay_days": stays, "stay": stays})
    assert answer("how many patients with stay days over 2 weeks", ds) == sum(s > 14 for s in stays)
    assert answer("how many patients with stay days under 0.5 months", ds) == sum(
        s < 0.5 * 30.4375 for s in stays
    )
    assert answer("how many patients with stay days over 2 days", ds) == sum(s > 2 for s in stays)
    for question in (
        "how many patients with stay over 2 weeks",  # stay: no unit recorded
        "how many patients with stay days over 2 kg",  # not a time
        "how many patients with stay days over 2 hours",  # not converted
    ):
        assert isinstance(answer(question, ds), Unanswerable), question


def test_a_unit_for_the_answer_is_its_scale(tmp_path: Path) -> None:
    days = [100, 200, 300, 400, 500, 600]
    ds = table(tmp_path, "t", {"id": list(range(6)), "survival_days": days, "age": AGES})
    reading = reader.read("what is the average survival in months?", ds)
    assert reading.plan is not None and reading.plan.unit == "month"
    assert answer("what is the average survival in months?", ds) == pytest.approx(
        statistics.mean(days) / 30.4375, rel=1e-12
    )
    assert any("1 month = 30.4375 days" in c for c in reading.caveats)
    age = reader.read("average age in years", ds).plan  # an age is in years: no conversion
    assert age is not None and age.unit is None
    for question in (
        "average age in months",
        "how many patients in weeks",
        "average survival in months and weeks",
        "correlation of survival in months and age",
    ):
        assert isinstance(answer(question, ds), Unanswerable), question


def test_no_participle_or_pointing_word_is_filler() -> None:
    words = {w for entry in lexicon.FILLER for w in entry.split("_")}
    assert not words & set(lexicon.PARTICIPLES)
    assert not words & lexicon.ANAPHORA
    assert not words & {"currently", "given", "reported", "measured", "observed"}


def test_a_row_noun_that_names_ages_is_the_rows_only_where_it_is(tmp_path: Path) -> None:
    """ "how many children" on a table of adults and children is no count of every row."""
    mixed = table(tmp_path, "t", {"id": list(range(6)), "age": [4, 9, 16, 30, 45, 70]})
    for question in ("how many children", "how many adults", "how many babies"):
        assert isinstance(answer(question, mixed), Unanswerable), question
    grown = table(tmp_path / "g", "t", {"id": list(range(6)), "age": AGES})
    assert answer("how many adults", grown) == len(AGES)
    assert isinstance(answer("mean age of children", grown), Unanswerable)


def test_a_camel_case_header_is_its_words(tmp_path: Path) -> None:
    """ "age group" beside Age and AgeGroup is the AgeGroup column, never Age with
    "group" dropped."""
    groups = [1, 1, 2, 2, 3, 3]
    ds = table(tmp_path, "t", {"ID": list(range(6)), "Age": AGES, "AgeGroup": groups})
    assert answer("how many different age groups are there", ds) == len(set(groups))
    assert answer("how many patients in each age group", ds) == {"1": 2, "2": 2, "3": 2}
    assert answer("mean Age", ds) == pytest.approx(statistics.mean(AGES))


def test_a_relative_clause_is_the_population_of_a_percentage(tmp_path: Path) -> None:
    """ "percentage of people whose qualification is a degree smoke": out of the degree
    holders, not out of everyone."""
    degree = ["Degree", "Degree", "Degree", "None", "None", "None"]
    smoke = ["Yes", "No", "No", "Yes", "Yes", "No"]
    ds = table(tmp_path, "t", {"id": list(range(6)), "qualification": degree, "smoke": smoke})
    got = answer("what percentage of people whose qualification is a degree smoke?", ds)
    assert got == pytest.approx(100 / 3)
    # Joined by "and", both are the condition: out of everyone.
    got = answer("what percentage of people are a degree and smoke?", ds)
    assert got == pytest.approx(100 / 6)


@pytest.mark.parametrize("question", ["n pts?", "how many pts", "no. of subjs", "how many pt"])
def test_clinical_shorthand_for_patients_is_the_rows(tmp_path: Path, question: str) -> None:
    ds = table(tmp_path, "t", {"id": list(range(6)), "age": AGES})
    assert answer(question, ds) == len(AGES)


def test_kids_are_children_only_where_every_row_is_one(tmp_path: Path) -> None:
    mixed = table(tmp_path, "t", {"id": list(range(6)), "age": [4, 9, 16, 30, 45, 70]})
    assert isinstance(answer("how many kids", mixed), Unanswerable)
    young = table(tmp_path / "y", "t", {"id": list(range(6)), "age": [1, 2, 3, 4, 5, 6]})
    assert answer("how many kids", young) == 6


def test_what_people_type_reads_as_the_words(tmp_path: Path) -> None:
    """Shorthand typed into a search box: no. of, #, w/, w/o, ≥, ≤, p90, corr, diff."""
    sex = list("FMFMFM")
    flag = [1 if m else 0 for m in MARKED]
    weight = [50, 70, 65, 80, 55, 90]
    ds = table(
        tmp_path,
        "t",
        {"id": list(range(6)), "age": AGES, "sex": sex, "diabetes": flag, "wt": weight},
    )
    with_flag = [a for a, m in zip(AGES, MARKED, strict=True) if m]
    without = [a for a, m in zip(AGES, MARKED, strict=True) if not m]
    assert answer("no. of pts w/ diabetes", ds) == sum(flag)
    assert answer("# of pts w/o diabetes", ds) == len(without)
    assert answer("avg age w/ diabetes", ds) == pytest.approx(statistics.mean(with_flag))
    assert answer("how many pts aged ≥ 60", ds) == sum(a >= 60 for a in AGES)
    assert answer("how many pts aged ≤ 40", ds) == sum(a <= 40 for a in AGES)
    expected = statistics.quantiles(AGES, n=100, method="inclusive")[89]
    assert answer("p90 age", ds) == pytest.approx(expected)
    assert answer("90th centile of age", ds) == pytest.approx(expected)
    corr = statistics.correlation([float(a) for a in AGES], [float(w) for w in weight])
    assert answer("corr age vs wt", ds) == pytest.approx(corr)
    men = [a for a, s in zip(AGES, sex, strict=True) if s == "M"]
    women = [a for a, s in zip(AGES, sex, strict=True) if s == "F"]
    assert answer("diff in mean age men vs women", ds) == pytest.approx(
        statistics.mean(men) - statistics.mean(women)
    )


def test_commands_totals_and_groupings_in_ordinary_words(tmp_path: Path) -> None:
    sex = list("FMFMFM")
    arm = ["a", "a", "b", "b", "a", "b"]
    weight = [50, 70, 65, 80, 55, 90]
    ds = table(
        tmp_path, "t", {"id": list(range(6)), "age": AGES, "sex": sex, "arm": arm, "weight": weight}
    )
    assert answer("What is the number of female patients?", ds) == sex.count("F")
    assert answer("if we add up the weight for patients, what is the combined", ds) == sum(weight)
    assert answer("break down the number of patients by sex", ds) == {"F": 3, "M": 3}
    crosstab = {"F": {"a": 2, "b": 1}, "M": {"a": 1, "b": 2}}
    assert answer("Cross-tabulate sex against arm.", ds) == crosstab
    assert answer("crosstab sex x arm", ds) == crosstab
    corr = statistics.correlation([float(a) for a in AGES], [float(w) for w in weight])
    assert answer("how strongly is age correlated with weight", ds) == pytest.approx(corr)
    assert answer("med age", ds) == pytest.approx(statistics.median(AGES))


def test_a_clipped_statistic_beside_a_word_it_begins_is_refused(tmp_path: Path) -> None:
    """ "med" beside a medication column may be either: refused, never read as a median."""
    meds = ["a", "b", "a", "b", "a", "b"]
    ds = table(tmp_path, "t", {"id": list(range(6)), "age": AGES, "medication": meds})
    assert isinstance(answer("med age", ds), Unanswerable)


def test_aged_is_the_age_column_beside_an_age_group(tmp_path: Path) -> None:
    ds = table(tmp_path, "t", {"id": list(range(6)), "Age": AGES, "AgeGroup": [1, 1, 2, 2, 3, 3]})
    assert answer("how many patients aged 70 or older", ds) == sum(a >= 70 for a in AGES)


def test_the_file_name_says_what_its_rows_are(tmp_path: Path) -> None:
    """ "tests" in lab_tests beside a Test column is the rows; "patients" beside a value
    "patient" there is the rows or the value: refused."""
    test = ["pcr", "pcr", "antigen", "pcr", "antigen", "pcr"]
    group = ["patient", "staff", "patient", "patient", "staff", "patient"]
    ds = table(
        tmp_path, "lab_tests", {"id": list(range(6)), "age": AGES, "test": test, "group": group}
    )
    assert answer("how many tests", ds) == len(AGES)
    assert answer("how many tests by test", ds) == {"antigen": 2, "pcr": 4}
    assert isinstance(answer("how many tests of patients younger than 60", ds), Unanswerable)


def test_or_in_capitals_before_of_is_an_odds_ratio(tmp_path: Path) -> None:
    flag = [0, 1, 0, 1, 1, 0]
    ds = table(tmp_path, "t", {"id": list(range(6)), "age": AGES, "died": flag})
    said = reader.read("OR of death per unit age", ds)
    assert said.plan is not None and said.plan.statistic == "logistic_regression"
    assert said.plan.to_json() == reader.read("odds ratio of death per unit age", ds).plan.to_json()  # type: ignore[union-attr]
    assert answer("how many patients aged 30 or 80", ds) == 2  # "or" is still or


def test_the_row_s_own_attribute_beside_a_qualified_one(tmp_path: Path) -> None:
    """ "female patients" with sex and donor_sex is sex; "female donor sex" is donor_sex."""
    sex = list("FFFMMM")
    donor = list("FMMMMM")
    ds = table(tmp_path, "t", {"id": list(range(6)), "age": AGES, "sex": sex, "donor_sex": donor})
    assert answer("no. of F pts", ds) == 3
    assert answer("how many F donor sex", ds) == 1 or isinstance(
        answer("how many F donor sex", ds), Unanswerable
    )
    both = table(tmp_path / "b", "t", {"id": list(range(6)), "sex": sex, "partner_sex": donor})
    # The noun after the value picks the column named for it: an F partner's sex.
    assert answer("how many F partner pts", both) == donor.count("F")
    assert isinstance(answer("how many partner pts are F", both), Unanswerable)


def test_meta_words_and_fits_in_ordinary_words(tmp_path: Path) -> None:
    weight = [50, 70, 65, 80, 55, 90]
    ds = table(tmp_path, "t", {"id": list(range(6)), "age": AGES, "weight": weight})
    assert answer("on average, what is the age", ds) == pytest.approx(statistics.mean(AGES))
    slope = statistics.linear_regression([float(a) for a in AGES], [float(w) for w in weight])
    got = answer("what weight would a linear regression predict when the age is 60", ds)
    assert got == pytest.approx(slope.slope * 60 + slope.intercept)
    assert answer("OLS slope of weight on age", ds) == pytest.approx(slope.slope)
    assert answer("can I see the median age", ds) == pytest.approx(statistics.median(AGES))


def test_totals_and_groups_of_rows_are_counts(tmp_path: Path) -> None:
    sex = list("FMFMFM")
    ds = table(tmp_path, "t", {"id": list(range(6)), "age": AGES, "sex": sex})
    assert answer("how many pts total", ds) == len(AGES)
    assert answer("total no. of pts", ds) == len(AGES)
    assert answer("total age", ds) == sum(AGES)  # a total of a column is its sum
    assert answer("pts per sex", ds) == {"F": 3, "M": 3}


def test_a_lead_in_word_is_read_only_with_its_value(tmp_path: Path) -> None:
    region = ["London", "Wales", "London", "Wales", "London", "Wales"]
    arm = ["placebo", "drug", "drug", "placebo", "drug", "drug"]
    ds = table(tmp_path, "t", {"id": list(range(6)), "age": AGES, "region": region, "arm": arm})
    assert answer("how many respondents from London", ds) == 3
    assert answer("how many patients who got the drug", ds) == 4
    assert answer("how many patients randomized to placebo", ds) == 2
    assert answer("mean age of patients on placebo", ds) == pytest.approx((30 + 60) / 2)
    for question in ("how many patients who got better", "how many patients from here"):
        assert isinstance(answer(question, ds), Unanswerable), question


def test_a_percentage_of_some_rows_with_something(tmp_path: Path) -> None:
    """ "% male pts w/ infection": out of the men, those with an infection."""
    sex = list("MMMFFF")
    infection = [1, 0, 0, 1, 1, 0]
    ds = table(tmp_path, "t", {"id": list(range(6)), "sex": sex, "infection": infection})
    assert answer("% M pts w/ infection?", ds) == pytest.approx(100 / 3)


def test_real_headers_answer_to_their_names(tmp_path: Path) -> None:
    """A unit in parentheses, shorthand at a name's end (racegrp, FamHx), a weak last word
    (Ct value), a clinical synonym (pulse rate)."""
    sodium = [135.0, 140.0, 138.0, 142.0, 136.0, 139.0]
    ct = [20.5, 30.0, 25.0, 35.5, 22.0, 28.0]
    race = ["black", "white", "white", "black", "white", "white"]
    famhx = [1, 0, 0, 1, 1, 0]
    pulse = [60, 70, 80, 90, 100, 110]
    ds = table(
        tmp_path,
        "t",
        {
            "id": list(range(6)),
            "Serum sodium (mmol/L)": sodium,
            "Ct value (cycles)": ct,
            "racegrp": race,
            "FamHx": famhx,
            "Pulse": pulse,
        },
    )
    assert answer("mean serum sodium", ds) == pytest.approx(statistics.mean(sodium))
    assert answer("mean ct", ds) == pytest.approx(statistics.mean(ct))
    assert answer("pts per race", ds) == {"black": 2, "white": 4}
    assert answer("how many pts w/ family hx", ds) == sum(famhx)
    assert answer("what is the 25th percentile of pulse rate", ds) == pytest.approx(
        statistics.quantiles(pulse, n=4, method="inclusive")[0]
    )
    assert answer("max heart rate", ds) == max(pulse)


def test_who_after_a_row_noun_is_no_ranking(tmp_path: Path) -> None:
    flag = [1, 1, 0, 0, 0, 1]
    ds = table(tmp_path, "t", {"id": list(range(6)), "age": AGES, "died": flag})
    assert answer("what is the highest age for patients who died", ds) == 80


def test_a_percentage_with_two_withs_counts_the_last(tmp_path: Path) -> None:
    famhx = [1, 1, 1, 0, 0, 0]
    recur = [1, 0, 0, 1, 1, 0]
    ds = table(tmp_path, "t", {"id": list(range(6)), "family": famhx, "recurrence": recur})
    assert answer("% of pts w/ family w/ recurrence", ds) == pytest.approx(100 / 3)
    # Joined by "and", both are counted out of everyone, or the question is refused.
    got = answer("% of pts w/ family and w/ recurrence", ds)
    assert isinstance(got, Unanswerable) or got == pytest.approx(100 / 6)


def test_measured_names_the_column_that_is_not_reported(tmp_path: Path) -> None:
    weight = [50, 70, 65, 80, 55, 90]
    repwt = [52, 68, 65, 82, 50, 88]
    ds = table(tmp_path, "t", {"id": list(range(6)), "weight": weight, "repwt": repwt})
    assert answer("What is the average measured weight?", ds) == pytest.approx(
        statistics.mean(weight)
    )
    assert answer("mean reported weight", ds) == pytest.approx(statistics.mean(repwt))
    only = table(tmp_path / "o", "t", {"id": list(range(6)), "weight_reported": repwt})
    assert isinstance(answer("average measured weight", only), Unanswerable)


def test_more_ordinary_words_for_statistics_and_conditions(tmp_path: Path) -> None:
    weight = [50, 70, 65, 80, 55, 90]
    gvhd = [1, 0, 0, 1, 1, 0]
    dates = [f"2020-0{m}-15" for m in (3, 4, 4, 5, 5, 5)]
    ds = table(
        tmp_path,
        "t",
        {
            "id": list(range(6)),
            "age": AGES,
            "weight": weight,
            "gvhd": gvhd,
            "collection_date": dates,
        },
    )
    assert answer("What percentage of patients developed gvhd?", ds) == pytest.approx(50.0)
    assert answer("sample sd of weight", ds) == pytest.approx(statistics.stdev(weight))
    fit = statistics.linear_regression([float(a) for a in AGES], [float(w) for w in weight])
    assert answer("intercept of lin reg weight on age", ds) == pytest.approx(fit.intercept)
    assert answer("how many patients collected in April 2020", ds) == 2


def test_rankings_asked_in_ordinary_words(tmp_path: Path) -> None:
    sex = list("FMFMFM")
    names = ["ann", "bob", "cat", "dan", "eve", "fox"]
    ds = table(tmp_path, "t", {"name": names, "age": AGES, "sex": sex})
    for question in (
        "Which 2 F patients have the lowest age?",
        "show me the two F patients with the lowest age",
        "bottom 2 F pts by age",
    ):
        assert answer(question, ds) == [1, 3], question  # rows by position, from 1
    assert answer("which 2 patients have the highest age", ds) == [6, 5]


def test_over_an_age_is_the_patient_s_own_age(tmp_path: Path) -> None:
    """ "patients over 65" beside age and median_rbc_age: age; "rbc … over 65": refused."""
    rbc = [10, 20, 30, 40, 50, 60]
    ds = table(tmp_path, "t", {"id": list(range(6)), "age": AGES, "median_rbc_age": rbc})
    assert answer("how many patients over 65", ds) == sum(a > 65 for a in AGES)
    assert isinstance(answer("how many rbc over 65", ds), Unanswerable)


def test_fits_asked_in_ordinary_words(tmp_path: Path) -> None:
    weight = [50, 70, 65, 80, 55, 90]
    ds = table(tmp_path, "t", {"id": list(range(6)), "age": AGES, "weight": weight})
    fit = statistics.linear_regression([float(a) for a in AGES], [float(w) for w in weight])
    got = answer(
        "Based on a linear regression of weight on age, what is the predicted weight when"
        " age is 60?",
        ds,
    )
    assert got == pytest.approx(fit.slope * 60 + fit.intercept)
    got = answer(
        "how much does weight change for each one-unit increase in age, from a straight-line fit",
        ds,
    )
    assert got == pytest.approx(fit.slope)


def test_a_predictor_named_twice_is_one_predictor(tmp_path: Path) -> None:
    died = [0, 1, 0, 1, 1, 0]
    ds = table(tmp_path, "t", {"id": list(range(6)), "age": AGES, "died": died})
    said = reader.read(
        "From a logistic regression on age, what is the predicted probability of death when"
        " age is 80?",
        ds,
    ).plan
    plain = reader.read("probability of death at age 80", ds).plan
    assert said is not None and plain is not None
    assert said.to_json() == plain.to_json()


def test_the_outcome_follows_what_is_asked_not_the_model_s_name(tmp_path: Path) -> None:
    """ "a logistic regression on stage T2, … the probability of status 1 for a stage T2
    patient": status = 1 is the outcome and stage T2 the predictor, as in the plain
    "probability of status 1 for stage T2" (once read the other way round)."""
    stage = ["T2", "T2", "T1", "T1", "T2", "T1"]
    status = [1, 0, 0, 1, 1, 0]
    ds = table(tmp_path, "t", {"id": list(range(6)), "stage": stage, "status": status})
    said = reader.read(
        "Using a logistic regression on stage T2, what is the estimated probability of"
        " status 1 for a stage T2 patient?",
        ds,
    ).plan
    plain = reader.read("probability of status 1 for stage T2", ds).plan
    assert said is not None and plain is not None
    assert said.to_json() == plain.to_json()
    assert said.condition[0].column == "status"
    # one indicator: the fitted probability is the share among stage T2 (2 of 3)
    assert answer("probability of status 1 for stage T2", ds) == pytest.approx(2 / 3)


def test_arm_and_treatment_name_the_one_column_of_arms(tmp_path: Path) -> None:
    treat = ["yes", "yes", "no", "no", "no", "yes"]
    ds = table(tmp_path, "t", {"id": list(range(6)), "age": AGES, "treat": treat})
    assert answer("How many patients in the treatment group are there?", ds) == 3
    assert answer("how many patients in the control group", ds) == 3
    assert answer("n treated pts", ds) == 3
    arm = ["drug a", "drug b"] * 3
    ds = table(tmp_path / "r", "t", {"id": list(range(6)), "age": AGES, "randomization": arm})
    assert answer("mean age by randomization arm", ds) == {
        "drug a": pytest.approx(50.0),
        "drug b": pytest.approx(60.0),
    }
    two = table(
        tmp_path / "two", "t", {"id": list(range(6)), "treat": treat, "rx": treat, "age": AGES}
    )
    assert isinstance(answer("mean age by arm", two), Unanswerable)


def test_a_duration_column_answers_to_its_name_and_time(tmp_path: Path) -> None:
    hours = [1.5, 2.0, 3.0, 4.5, 5.0, 6.0]
    asa = [1, 2, 2, 3, 3, 3]
    ds = table(
        tmp_path,
        "t",
        {"id": list(range(6)), "Collect to receive (h)": hours, "asa": asa},
    )
    assert answer("mean collect-to-receive time", ds) == pytest.approx(statistics.mean(hours))


def test_a_numbered_name_answers_to_its_ordinal(tmp_path: Path) -> None:
    """attempt1_time is "the first attempt time", "1st attempt time", "attempt 1 time"."""
    times = [20.0, 30.0, 25.0, 40.0, 35.0, 50.0]
    ds = table(tmp_path, "t", {"id": list(range(6)), "age": AGES, "attempt1_time": times})
    for question in ("mean 1st attempt time", "mean first attempt time", "mean attempt 1 time"):
        assert answer(question, ds) == pytest.approx(statistics.mean(times)), question


def test_the_ones_over_an_age_are_rows(tmp_path: Path) -> None:
    ds = table(tmp_path, "t", {"id": list(range(6)), "age": AGES, "sysbp": AGES})
    assert answer("how many of the ones over 65", ds) == sum(a > 65 for a in AGES)


def test_taller_implies_the_height_column(tmp_path: Path) -> None:
    height = [150, 160, 170, 175, 180, 190]
    ds = table(tmp_path, "t", {"id": list(range(6)), "weight_kg": AGES, "height_cm": height})
    assert answer("how many people 175 cm or taller", ds) == sum(h >= 175 for h in height)
    assert answer("how many people taller than 170 cm", ds) == sum(h > 170 for h in height)


def test_the_value_most_rows_are_at_or_below_is_a_percentile(tmp_path: Path) -> None:
    sbp = [100, 110, 120, 130, 140, 150, 160, 170, 180, 190, 200]
    ds = table(tmp_path, "t", {"id": list(range(11)), "sbp": sbp})
    expected = statistics.quantiles(sbp, n=10, method="inclusive")[8]
    got = answer("what sbp value are 90% of patients at or below", ds)
    assert got == pytest.approx(expected)
    # Any other shape stays a percentage, or is refused.
    assert answer("what % of patients have sbp 150 or below", ds) == pytest.approx(600 / 11)


def test_users_kinds_and_measured_in_rankings(tmp_path: Path) -> None:
    substance = ["heroin", "alcohol", "heroin", "cocaine", "alcohol", "heroin"]
    weight = [50, 70, 65, 80, 55, 90]
    ds = table(tmp_path, "t", {"id": list(range(6)), "substance": substance, "weight": weight})
    assert answer("how many heroin users", ds) == 3
    assert answer("how many patients using alcohol", ds) == 2
    assert answer("how many different kinds of substance are there", ds) == 3
    assert answer("Which 2 subjects have the highest measured weight?", ds) == [5, 3]  # ids


def test_word_forms_come_from_the_dictionary(tmp_path: Path) -> None:
    """lemminflect's forms, not suffix rules: "admit" is "admitted" (the rule wrote
    "admited"), "child" is "children"; a word it does not know keeps the regular ones."""
    from appliance.analytics.reader import words

    assert ("children",) in words.plural_forms(("child",))
    assert ("mallampatis",) in words.plural_forms(("mallampati",))  # not in it: + s
    assert {"admitted", "admitting", "admits"} <= words.verb_forms("admit")
    admit = [1, 1, 0, 0, 0, 1]
    ds = table(tmp_path, "t", {"id": list(range(6)), "admit": admit, "age": AGES})
    assert answer("how many patients were admitted", ds) == sum(admit)
    assert answer("mean age of patients not admitted", ds) == statistics.mean(
        a for a, m in zip(AGES, admit, strict=True) if not m
    )


def test_the_reader_is_in_small_modules_with_typed_tokens() -> None:
    """Issue 26: one module per stage, none over 600 lines; every kind a token can take
    (but the tokenizer's own) has its place in the priority order."""
    from appliance.analytics.reader import kinds

    folder = Path(reader.__file__).parent
    sizes = {p.name: len(p.read_text().splitlines()) for p in folder.glob("*.py")}
    assert len(sizes) >= 10 and max(sizes.values()) <= 600, sizes
    own = {kinds.Kind.QUOTED, kinds.Kind.DATE, kinds.Kind.ORDINAL, kinds.Kind.UNKNOWN}
    assert set(kinds.PRIORITY) == set(kinds.Kind) - own


# -- general English for statistics (issue 26 item 2) ---------------------------------

IDS = list(range(1, 11))
COHORT: dict[str, list[Any]] = {
    "id": IDS,
    "age": [34, 45, 52, 61, 70, 28, 39, 66, 58, 47],
    "sex": ["F", "M", "F", "M", "F", "M", "F", "M", "F", "M"],
    "weight_kg": [60, 82, 71, 90, 65, 77, 58, 95, 68, 80],
    "stay_days": [3, 5, 2, 8, 4, 6, 1, 9, 7, 3],
    "smoker": ["yes", "no", "no", "yes", "no", "yes", "no", "no", "yes", "no"],
    "died": [0, 1, 0, 1, 0, 0, 0, 1, 1, 0],
    "stage": ["I", "II", "III", "I", "II", "III", "I", "II", "I", "III"],
}


def cohort(tmp_path: Path) -> datasets.Dataset:
    return table(tmp_path, "cohort", COHORT)


def where(column: str, value: Any) -> list[int]:
    return [k for k, v in enumerate(COHORT[column]) if v == value]


def test_the_interquartile_range(tmp_path: Path) -> None:
    """iqr: the 75th minus the 25th percentile, each interpolated linearly (R type 7)."""
    ds = cohort(tmp_path)

    def iqr(values: list[float]) -> float:
        q = statistics.quantiles(values, n=4, method="inclusive")
        return q[2] - q[0]

    ages = COHORT["age"]
    assert answer("IQR of age", ds) == pytest.approx(iqr(ages))
    assert answer("what is the interquartile range of age", ds) == pytest.approx(iqr(ages))
    women = [ages[k] for k in where("sex", "F")]
    men = [ages[k] for k in where("sex", "M")]
    assert answer("iqr of age by sex", ds) == {
        "F": pytest.approx(iqr(women)),
        "M": pytest.approx(iqr(men)),
    }
    smokers = [COHORT["weight_kg"][k] for k in where("smoker", "yes")]
    got = answer("the interquartile range of weight for smokers", ds)
    assert got == pytest.approx(iqr(smokers))
    sent = {"dataset": "cohort", "statistic": "iqr", "column": "stay_days"}
    checked = plan.from_json(sent, ds.infos)
    assert engine.run(checked, ds).answer == pytest.approx(iqr(COHORT["stay_days"]))


def test_superlatives_are_a_minimum_or_a_maximum(tmp_path: Path) -> None:
    ds = cohort(tmp_path)
    assert answer("what is the age of the youngest patient", ds) == min(COHORT["age"])
    assert answer("how old is the eldest patient", ds) == max(COHORT["age"])
    assert answer("the heaviest patient's weight", ds) == max(COHORT["weight_kg"])
    assert answer("what is the shortest stay", ds) == min(COHORT["stay_days"])
    assert answer("the longest stay among smokers", ds) == max(
        COHORT["stay_days"][k] for k in where("smoker", "yes")
    )
    assert answer("the highest weight on record", ds) == max(COHORT["weight_kg"])
    assert answer("the lowest age recorded", ds) == min(COHORT["age"])
    # The weight of the oldest patient is that patient's, not the highest weight.
    assert isinstance(answer("the weight of the oldest patient", ds), Unanswerable)
    assert isinstance(answer("what is the shortest patient", ds), Unanswerable)  # height?


def test_totals_of_a_column_of_counts(tmp_path: Path) -> None:
    ds = cohort(tmp_path)
    days = sum(COHORT["stay_days"])
    assert answer("how many stay days altogether", ds) == days
    assert answer("how many stay days in all", ds) == days
    assert answer("total number of stay days", ds) == days
    assert answer("how many patients in total", ds) == len(IDS)
    assert isinstance(answer("how many stay days", ds), Unanswerable)  # rows, or days?


def test_distinct_counts_and_commands(tmp_path: Path) -> None:
    ds = cohort(tmp_path)
    stages = len(set(COHORT["stage"]))
    assert answer("how many categories of stage", ds) == stages
    assert answer("how many distinct values does stage take", ds) == stages
    ages = COHORT["age"]
    assert answer("split mean age by sex", ds) == {
        s: pytest.approx(statistics.mean(ages[k] for k in where("sex", s))) for s in "FM"
    }
    # "is" is no plural of the stage "I": the question is read, not refused.
    assert answer("what is the mean age", ds) == pytest.approx(statistics.mean(ages))
    typed = table(tmp_path / "t", "t", {"id": IDS, "type": COHORT["stage"], "stage": COHORT["sex"]})
    assert isinstance(answer("how many types of stage", typed), Unanswerable)


def test_percentages_said_as_such(tmp_path: Path) -> None:
    ds = cohort(tmp_path)
    share = 100 * len(where("smoker", "yes")) / len(IDS)
    assert answer("share of smokers as a percentage", ds) == pytest.approx(share)
    assert isinstance(answer("mean age as a percentage", ds), Unanswerable)


def test_how_much_higher_are_the_odds_is_an_odds_ratio(tmp_path: Path) -> None:
    """One yes/no predictor: the fitted odds ratio is the 2x2 table's (a d) / (b c)."""
    ds = cohort(tmp_path)
    pairs = list(zip(COHORT["smoker"], COHORT["died"], strict=True))
    a = pairs.count(("yes", 1))
    b = pairs.count(("yes", 0))
    c = pairs.count(("no", 1))
    d = pairs.count(("no", 0))
    got = answer("how much higher are the odds of death for smokers (odds ratio)", ds)
    assert got == pytest.approx((a * d) / (b * c), rel=1e-6)


def test_measured_names_the_column_in_fits(tmp_path: Path) -> None:
    weight = [60.0, 82, 71, 90, 65, 77]
    height = [160.0, 181, 170, 188, 166, 175]
    reported = [61.0, 80, 70, 92, 64, 78]
    ds = table(tmp_path, "t", {"id": list(range(6)), "weight": weight, "height": height})
    ds2 = table(tmp_path / "2", "t", {"weight": weight, "height": height, "repwt": reported})
    got = answer("correlation between measured weight and reported weight", ds2)
    assert got == pytest.approx(statistics.correlation(weight, reported))
    slope = statistics.linear_regression(height, weight).slope
    assert answer("slope of a linear regression of measured weight on measured height", ds) == (
        pytest.approx(slope)
    )
    fit = statistics.linear_regression(height, weight)
    got = answer(
        "based on a linear regression of measured weight on measured height, what is the"
        " predicted measured weight when measured height is 170",
        ds,
    )
    assert got == pytest.approx(fit.intercept + fit.slope * 170)


def test_lead_ins_and_counts_before_a_value(tmp_path: Path) -> None:
    result = ["positive", "negative", "negative", "positive", "negative", "negative"]
    tests = table(tmp_path, "covid_tests", {"id": list(range(6)), "result": result})
    share = 100 * result.count("positive") / len(result)
    assert answer("what share of our tests came back positive", tests) == pytest.approx(share)
    ds = cohort(tmp_path / "c")
    women = sorted(where("sex", "F"), key=lambda k: COHORT["age"][k])[:3]
    assert answer("3 female pts w/ lowest age", ds) == [IDS[k] for k in women]


def test_a_count_column_said_in_full_and_grouped_by_its_number(tmp_path: Path) -> None:
    drinks = [2.0, 5.5, 1.0, 8.0, 3.5, 6.0]
    most = [4, 9, 2, 12, 6, 10]
    children = [0, 1, 2, 1, 0, 2]
    ds = table(
        tmp_path,
        "t",
        {"id": list(range(6)), "avg_drinks": drinks, "max_drinks": most, "children": children},
    )
    assert answer("what is the median average number of drinks", ds) == pytest.approx(
        statistics.median(drinks)
    )
    top = sorted(range(6), key=lambda k: -drinks[k])[:2]
    assert answer("which 2 patients have the highest average number of drinks", ds) == top
    by = answer("mean average number of drinks broken down by number of children", ds)
    assert by == {
        str(n): pytest.approx(
            statistics.mean(d for d, c in zip(drinks, children, strict=True) if c == n)
        )
        for n in sorted(set(children))
    }


def test_a_kind_word_after_a_column_names_it(tmp_path: Path) -> None:
    """ "ASA class" for a column asa, "test type" for test; a column named so wins."""
    asa = [2, 3, 3, 4, 2, 3]
    test = ["pcr", "antigen", "pcr", "pcr", "antigen", "pcr"]
    ds = table(tmp_path, "t", {"id": list(range(6)), "asa": asa, "test": test, "age": AGES})
    assert answer("how many patients by ASA class", ds) == {
        str(v): asa.count(v) for v in sorted(set(asa))
    }
    assert answer("how many distinct values of test type", ds) == len(set(test))
    group = ["a", "b", "a", "b", "a", "b"]
    both = table(tmp_path / "2", "t", {"id": list(range(6)), "age": AGES, "age_group": group})
    assert answer("how many patients by age group", both) == {"a": 3, "b": 3}


def test_hyphenated_names_measure_words_and_their(tmp_path: Path) -> None:
    cesd = [10, 22, 16, 8, 30, 15]
    bmi = [22.5, None, 31.0, None, 27.5, 24.0]
    ds = table(tmp_path, "t", {"id": list(range(6)), "cesd": cesd, "bmi": bmi})
    assert answer("mean CES-D score", ds) == pytest.approx(statistics.mean(cesd))
    assert answer("how many patients had a CES-D score of 16 or more", ds) == sum(
        c >= 16 for c in cesd
    )
    # "their" after the rows of the same question is theirs, not an earlier answer's.
    assert answer("how many patients had their bmi recorded", ds) == sum(b is not None for b in bmi)
    assert isinstance(answer("how many of them had a bmi recorded", ds), Unanswerable)


def test_a_count_named_after_n_or_more_is_its_column(tmp_path: Path) -> None:
    """ "3 or more illnesses" compares the column the noun after the number names, as
    "at least one visit" does; "or older" stays the rows' age."""
    visits = [0, 1, 2, 3, 0, 1]
    illness = [0, 1, 3, 4, 0, 2]
    sex = list("FMFMFM")
    ds = table(
        tmp_path,
        "t",
        {"id": list(range(6)), "age": AGES, "sex": sex, "visits": visits, "illness": illness},
    )
    women = [i for i, s in enumerate(sex) if s == "F"]
    assert answer("How many women had 2 or more visits?", ds) == sum(visits[i] >= 2 for i in women)
    share = 100 * sum(n >= 3 for n in illness) / len(illness)
    assert answer("what percentage of patients had 3 or more illnesses", ds) == pytest.approx(share)
    assert answer("how many patients 65 or older", ds) == sum(a >= 65 for a in AGES)


def test_a_cover_word_after_a_yes_no_column_names_it(tmp_path: Path) -> None:
    """ "private insurance", "private cover" for a yes/no column private; the cover word
    alone names no column and is refused."""
    private = ["yes", "no", "yes", "no", "no", "yes"]
    sex = list("FMFMFM")
    ds = table(tmp_path, "t", {"id": list(range(6)), "age": AGES, "sex": sex, "private": private})
    assert answer("# pts w/ private insurance", ds) == private.count("yes")
    uncovered = [a for a, p in zip(AGES, private, strict=True) if p == "no"]
    assert answer("mean age of patients without private cover", ds) == pytest.approx(
        statistics.mean(uncovered)
    )
    crosstab = {
        s: {
            p: sum(x == s and y == p for x, y in zip(sex, private, strict=True))
            for p in ("no", "yes")
        }
        for s in ("F", "M")
    }
    assert answer("Cross-tabulate sex against private insurance.", ds) == crosstab
    assert isinstance(answer("how many patients have insurance", ds), Unanswerable)


def test_a_column_named_for_one_sex_is_the_column_of_sex(tmp_path: Path) -> None:
    """A 0/1 column ``female`` (as survey files publish it): "men" are its 0 rows, shown
    in the reading; "by sex" or "by gender" groups by it; a ``gender`` column answers to
    "sex" and the other way round."""
    female = [1, 0, 0, 1, 1, 0]
    ds = table(tmp_path, "t", {"id": list(range(6)), "age": AGES, "female": female})
    men = [a for a, f in zip(AGES, female, strict=True) if f == 0]
    assert answer("how many men", ds) == len(men)
    assert answer("mean age of males", ds) == pytest.approx(statistics.mean(men))
    reading = reader.read("how many men", ds)
    assert any("female = 0" in n["meaning"] for n in reading.interpretation)
    women = [a for a, f in zip(AGES, female, strict=True) if f == 1]
    want = {"0": pytest.approx(statistics.mean(men)), "1": pytest.approx(statistics.mean(women))}
    got = answer("mean age by sex", ds)
    assert {str(k): v for k, v in got.items()} == want
    assert {str(k): v for k, v in answer("mean age by gender", ds).items()} == want
    sex = ["Male", "Female", "Male", "Female", "Male", "Male"]
    named = table(tmp_path / "g", "t", {"id": list(range(6)), "age": AGES, "gender": sex})
    assert answer("mean age by sex", named) == {
        s: pytest.approx(statistics.mean(a for a, x in zip(AGES, sex, strict=True) if x == s))
        for s in ("Female", "Male")
    }


def test_children_are_the_rows_a_child_identifier_names(tmp_path: Path) -> None:
    """A unique ``child_id`` says each row is a child, though the mother's age beside it
    is an adult's; with a plain ``id`` the ages do not say so, and "children" is refused."""
    hosp = [1, 0, 1, 1, 0, 0]
    mother_age = [22, 31, 19, 27, 35, 24]
    ds = table(
        tmp_path, "t", {"child_id": list(range(6)), "mother_age": mother_age, "hospitalised": hosp}
    )
    assert answer("how many children were hospitalised", ds) == sum(hosp)
    plain = table(
        tmp_path / "p", "t", {"id": list(range(6)), "mother_age": mother_age, "hospitalised": hosp}
    )
    assert isinstance(answer("how many children were hospitalised", plain), Unanswerable)


def test_rows_missing_their_own_value(tmp_path: Path) -> None:
    """ "patients missing their BMI": the rows whose BMI is empty ("their" is the rows')."""
    bmi: list[Any] = [22.5, None, 31.0, None, 27.1, None]
    ds = table(tmp_path, "t", {"id": list(range(6)), "age": AGES, "bmi": bmi})
    assert answer("how many patients are missing their bmi", ds) == bmi.count(None)
    older = [b for a, b in zip(AGES, bmi, strict=True) if a > 45]
    assert answer("how many patients over 45 are missing their BMI", ds) == older.count(None)


def test_two_counts_of_few_values_crossed_are_a_cross_tabulation(tmp_path: Path) -> None:
    """ "induced x spontaneous counts" of two whole-number columns of 0, 1, 2: the count
    in each pair of values, as for two category columns."""
    induced = [0, 1, 2, 0, 1, 0]
    spontaneous = [1, 0, 2, 0, 1, 2]
    ds = table(
        tmp_path, "t", {"id": list(range(6)), "induced": induced, "spontaneous": spontaneous}
    )
    want: dict[str, dict[str, int]] = {}
    for a, b in zip(induced, spontaneous, strict=True):
        cell = want.setdefault(str(a), {})
        cell[str(b)] = cell.get(str(b), 0) + 1
    got = answer("induced x spontaneous counts", ds)
    assert {str(k): {str(c): n for c, n in v.items()} for k, v in got.items()} == want


def test_a_measure_at_a_moment_answers_to_the_measure(tmp_path: Path) -> None:
    """ "mean age" of the one column age_at_transplant_years (the age, at a moment said
    after it); beside a second age at another moment, refused naming both."""
    ds = table(tmp_path, "t", {"id": list(range(6)), "age_at_transplant_years": AGES})
    assert answer("mean age", ds) == statistics.mean(AGES)
    two = table(
        tmp_path / "two",
        "t",
        {"id": list(range(6)), "age_at_diagnosis": AGES, "age_at_death": [a + 5 for a in AGES]},
    )
    assert isinstance(answer("mean age", two), Unanswerable)


def test_beside_a_column_for_each_sex_each_is_its_own(tmp_path: Path) -> None:
    """Columns ``female`` and ``male`` both (a row may be neither): "men" are male = 1,
    never female = 0, and "by sex" could group by either, so it is refused; "sex" names
    a 0/1 female column but never its 1 rows ("had sex")."""
    female = [1, 0, 1, 0, 1, 0]
    male = [0, 1, 0, 1, 0, 0]  # the last row is neither
    ds = table(tmp_path, "t", {"id": list(range(6)), "age": AGES, "female": female, "male": male})
    men = [a for a, m in zip(AGES, male, strict=True) if m == 1]
    assert answer("mean age of men", ds) == pytest.approx(statistics.mean(men))
    assert isinstance(answer("mean age by sex", ds), Unanswerable)
    alone = table(tmp_path / "f", "t", {"id": list(range(6)), "age": AGES, "female": female})
    assert isinstance(answer("how many had sex", alone), Unanswerable)


def test_a_child_identifier_does_not_outrank_the_rows_own_ages(tmp_path: Path) -> None:
    """A cohort followed from childhood keeps its ``child_id`` when its members are
    adults: where the rows' own age reaches 18, "children" are not every row (the mean
    BMI of every row is not the children's), and the question is refused as with a plain
    id; a child's age all under 18 beside the mother's still makes them the rows."""
    bmi = [15, 16, 18, 22, 24, 26]
    grown = table(tmp_path, "t", {"child_id": list(range(6)), "age": AGES, "bmi": bmi})
    assert isinstance(answer("mean bmi of children", grown), Unanswerable)
    young = [2, 5, 7, 9, 11, 16]
    ds = table(
        tmp_path / "y",
        "t",
        {"child_id": list(range(6)), "child_age": young, "mother_age": AGES, "bmi": bmi},
    )
    assert answer("mean bmi of children", ds) == pytest.approx(statistics.mean(bmi))


def test_an_event_counted_per_person_and_typed_per_row_is_not_guessed(tmp_path: Path) -> None:
    """A table of patients with a count of visits (``numvisit``) and a ``visit_type``:
    the count says several visits a patient, the type one a row, so "how many home
    visits" (4 patients here, but more visits than that) is refused, not counted as the
    rows whose type is home; beside the count alone, "total visits" is its sum."""
    visits = [0, 1, 2, 0, 3, 1]
    kind = ["clinic", "home", "home", "clinic", "home", "home"]
    columns = {"patient_id": list(range(6)), "numvisit": visits, "age": AGES}
    ds = table(tmp_path, "t", {**columns, "visit_type": kind})
    assert isinstance(answer("how many home visits", ds), Unanswerable)
    assert isinstance(answer("mean visits", ds), Unanswerable)
    alone = table(tmp_path / "a", "t", columns)
    assert answer("total visits", alone) == sum(visits)


def test_recorded_between_two_columns_or_after_an_event_is_no_condition(tmp_path: Path) -> None:
    """ "the mean age recorded at diagnosis" beside age and age_at_diagnosis: the mean of
    age where age_at_diagnosis is filled in is not it (refused); "how many deaths
    recorded" is not every row whose died is filled in (refused, never 6)."""
    at_diagnosis = [18, 25, None, 45, 55, None]
    died = [1, 0, 1, 0, 0, 1]
    ds = table(
        tmp_path,
        "t",
        {"id": list(range(6)), "age": AGES, "age_at_diagnosis": at_diagnosis, "died": died},
    )
    for question in ("mean age recorded at diagnosis", "the highest age documented at diagnosis"):
        assert isinstance(answer(question, ds), Unanswerable), question
    got = answer("how many deaths recorded", ds)
    assert got == sum(died) or isinstance(got, Unanswerable), got


def test_a_parent_s_age_said_by_its_label_and_a_child_s_age_in_months(tmp_path: Path) -> None:
    """The dictionary's label says whose age a cryptic column is ("ma": "mother's age"),
    and a child's age recorded in months (up to 14) is under 18 years: with a unique
    child_id, "children" are the rows."""
    hospitalised = [1, 0, 1, 1, 0, 0]
    ds = table(
        tmp_path,
        "t",
        {
            "child_id": list(range(6)),
            "ma": [22, 31, 19, 27, 35, 24],
            "chage": [2, 5, 14, 8, 1, 11],
            "hospitalised": hospitalised,
        },
    )
    ds = dataclasses.replace(
        ds,
        dictionary={
            "ma": {"label": "mother's age", "unit": "years"},
            "chage": {"label": "child's age", "unit": "months"},
        },
    )
    assert answer("how many children were hospitalised", ds) == sum(hospitalised)

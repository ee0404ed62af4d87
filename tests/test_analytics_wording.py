"""The question reader on the wording of models, rankings, cross-tabulations,
differences and follow-ups, on small tables made here. Expected plans are written out
by hand, and expected answers computed from the rows written, never by the engine."""

from __future__ import annotations

import csv
import io
import statistics
from pathlib import Path
from typing import Any

import pytest

from appliance.analytics import reader
from appliance.analytics.errors import Unanswerable
from tests.servers import InProcess
from tests.test_analytics import imported, sign_in, upload
from tests.test_analytics_reader import AGES, answer, table


def plan_of(question: str, ds: Any, **follow: Any) -> dict[str, Any]:
    reading = reader.read(question, ds, **follow)
    assert reading.plan is not None, question
    got: dict[str, Any] = reading.plan.to_json()
    return got


def refused(question: str, ds: Any, **follow: Any) -> bool:
    return isinstance(answer(question, ds, **follow), Unanswerable)


def stays(folder: Path) -> Any:
    return table(
        folder,
        "stays",
        {
            "id": list(range(6)),
            "age": AGES,
            "los_days": [3, 10, 4, 12, 7, 2],
            "score": [1.5, 2.0, 3.5, 4.0, 2.5, 3.0],
            "died": [0, 1, 0, 1, 1, 0],
            "arm": ["drug", "placebo", "drug", "placebo", "drug", "placebo"],
        },
    )


DIED = [{"column": "died", "op": "=", "value": 1}]


def test_a_unit_after_per_is_the_unit_its_column_is_recorded_in(tmp_path: Path) -> None:
    """ "OR of death per day of LOS": the odds ratio per unit of los_days, as recorded; per
    week of it would be another number (the odds ratio to the 7th power): refused."""
    ds = stays(tmp_path)
    for question in ("OR of died per day of los", "odds ratio of died per days of los days"):
        got = plan_of(question, ds)
        assert got["predictors"] == [{"column": "los_days"}], question
        assert got["condition"] == DIED
    assert plan_of("OR of died per yr of age", ds)["predictors"] == [{"column": "age"}]
    assert plan_of("OR of died per additional year of age", ds)["predictors"] == [{"column": "age"}]
    for question in (
        "OR of died per week of los",
        "OR of died per year of los",
        "OR of died per year of score",  # a score's unit is not recorded
    ):
        assert refused(question, ds), question


def test_a_point_of_a_score_is_its_unit(tmp_path: Path) -> None:
    ds = stays(tmp_path)
    got = plan_of("odds ratio of died per one-point increase in score", ds)
    assert got["predictors"] == [{"column": "score"}]
    # Ten points is another odds ratio: never read as one.
    assert refused("odds ratio of died per 10-point increase in score", ds)
    assert refused("odds ratio of died per 10 unit increase in score", ds)


def test_a_number_of_a_unit_before_a_column_is_its_value(tmp_path: Path) -> None:
    """ "a 10-day stay" is los_days = 10; "a 2-week stay" is 14 days."""
    ds = stays(tmp_path)
    got = plan_of("predicted probability of died for a 10-day stay, logistic on los", ds)
    assert got["at"] == {"los_days": 10.0}
    got = plan_of("predicted probability of died for a 2-week stay, logistic on los", ds)
    assert got["at"] == {"los_days": 14.0}
    assert answer("how many patients had a 10-day stay", ds) == 1


def test_a_category_predictor_given_by_its_value(tmp_path: Path) -> None:
    """ "with arm and age, … for a 60-year-old in the drug arm": arm's two values, one
    given; the probability is the same whichever is the reference."""
    ds = stays(tmp_path)
    got = plan_of(
        "Based on a logistic regression with arm and age, what's the chance of died for a"
        " 60-year-old on drug?",
        ds,
    )
    assert got["predictors"] == [
        {"column": "age"},
        {"column": "arm", "op": "=", "value": "drug"},
    ] or got["predictors"] == [
        {"column": "arm", "op": "=", "value": "drug"},
        {"column": "age"},
    ]
    assert got["at"] == {"age": 60.0, "arm = 'drug'": 1.0}
    three = table(
        tmp_path / "three",
        "t",
        {
            "id": list(range(6)),
            "age": AGES,
            "died": [0, 1, 0, 1, 1, 0],
            "arm": ["a", "b", "c", "a", "b", "c"],
        },
    )
    # One of three values against the other two is not the column's predictor.
    assert refused(
        "Based on a logistic regression with arm and age, what's the chance of died for a"
        " 60-year-old on a?",
        three,
    )


def trial(folder: Path) -> Any:
    return table(
        folder,
        "trial",
        {
            "id": list(range(8)),
            "age": [30, 40, 50, 60, 70, 80, 45, 55],
            "os_days": [100, 200, 300, 400, 150, 250, 350, 450],
            "died": [1, 0, 1, 1, 0, 1, 0, 1],
            "arm": ["a", "b", "a", "b", "a", "b", "a", "b"],
        },
    )


def test_log_rank_p_and_cox_model_wording(tmp_path: Path) -> None:
    ds = trial(tmp_path)
    plain = plan_of("log-rank test of survival by arm", ds)
    assert plain["statistic"] == "logrank" and plain["group_by"] == [{"column": "arm"}]
    for question in (
        "log-rank p survival by arm",
        "Is survival different between the arms? Give the log-rank p-value.",
        "p-value of the log-rank test of survival by arm",
    ):
        assert plan_of(question, ds) == plain, question
    cox = plan_of("hazard ratio of death per year of age", ds)
    assert cox["statistic"] == "cox" and cox["predictors"] == [{"column": "age"}]
    assert plan_of("From a Cox model, what is the hazard ratio of death per year of age?", ds) == (
        cox
    )
    assert refused("From a Cox model, what is the hazard ratio of death per day of age?", ds)
    assert plan_of("the estimated hazard ratio of death per year of age", ds) == cox


def test_an_estimated_probability_is_the_probability(tmp_path: Path) -> None:
    ds = stays(tmp_path)
    assert plan_of("estimated probability of died at age 40", ds) == plan_of(
        "probability of died at age 40", ds
    )


@pytest.mark.parametrize("question", ["OR of died per week", "OR of died per day of the"])
def test_a_unit_after_per_with_no_column_is_refused(tmp_path: Path, question: str) -> None:
    assert refused(question, stays(tmp_path))


def people(folder: Path) -> Any:
    return table(
        folder,
        "people",
        {
            "person_id": [11, 12, 13, 14, 15, 16],
            "sex": list("FMFMFF"),
            "height": [150, 180, 165, 175, 158, 171],
            "weight": [70, 80, 55, 90, 62, 75],
            "smoker": ["yes", "no", "no", "yes", "yes", "no"],
            "grade": ["a", "b", "a", "b", "b", "a"],
        },
    )


def ids_by(ds_rows: dict[str, list[Any]], column: str, n: int, high: bool, keep: Any) -> list[Any]:
    """The ids of the n rows kept with the highest (or lowest) value, from the rows."""
    rows = [
        (v, k) for k, v in enumerate(ds_rows[column]) if keep({c: ds_rows[c][k] for c in ds_rows})
    ]
    rows.sort(key=lambda x: (-x[0] if high else x[0], x[1]))
    return [ds_rows["person_id"][k] for _v, k in rows[:n]]


ROWS = {
    "person_id": [11, 12, 13, 14, 15, 16],
    "sex": list("FMFMFF"),
    "height": [150, 180, 165, 175, 158, 171],
    "weight": [70, 80, 55, 90, 62, 75],
}


def test_top_n_with_a_superlative_ranks_by_the_column_it_implies(tmp_path: Path) -> None:
    """ "top 3 heaviest women": the superlative says the column and the end."""
    ds = people(tmp_path)
    women = lambda row: row["sex"] == "F"  # noqa: E731
    assert answer("top 3 heaviest F patients", ds) == ids_by(ROWS, "weight", 3, True, women)
    assert answer("top 2 lightest F patients", ds) == ids_by(ROWS, "weight", 2, False, women)
    assert refused("bottom 2 heaviest F patients", ds)


def test_shortest_said_of_people_is_their_height(tmp_path: Path) -> None:
    ds = people(tmp_path)
    women = lambda row: row["sex"] == "F"  # noqa: E731
    got = answer("Which 2 F patients are the shortest?", ds)
    assert got == ids_by(ROWS, "height", 2, False, women)
    # Of rows that are no people, "shortest" names nothing: refused, never a height.
    assert refused("Which 2 records are the shortest?", ds)


def test_rows_named_by_the_column_a_superlative_implies(tmp_path: Path) -> None:
    """ "which 3 stays were the longest": the stays are the length of stay's rows."""
    los = [3, 10, 4, 12, 7, 2]
    ds = table(tmp_path, "t", {"stay_id": [101, 102, 103, 104, 105, 106], "los": los})
    ranked = sorted(range(6), key=lambda k: -los[k])[:3]
    assert answer("Which 3 stays were the longest?", ds) == [101 + k for k in ranked]


def test_two_columns_crossed_with_a_count_word_are_a_cross_tab(tmp_path: Path) -> None:
    ds = people(tmp_path)
    expected: dict[str, dict[str, int]] = {}
    for sex, smoker in zip("FMFMFF", ["yes", "no", "no", "yes", "yes", "no"], strict=True):
        expected.setdefault(sex, {}).setdefault(smoker, 0)
        expected[sex][smoker] += 1
    for question in ("sex x smoker counts", "counts of sex x smoker", "sex against smoker counts"):
        assert answer(question, ds) == expected, question
    # With a condition after the pair, and the count word right after it.
    got = answer("sex x smoker counts for grade a", ds)
    assert got == {"F": {"yes": 1, "no": 2}}
    # Without a count word, two columns crossed ask nothing: refused.
    assert refused("sex x smoker", ds)


def test_a_column_named_group_in_a_cross_tab(tmp_path: Path) -> None:
    """ "cross-tabulate group by gender" where a column is named group."""
    group = [1, 0, 1, 1, 0, 1]
    gender = [0, 0, 1, 1, 1, 0]
    ds = table(tmp_path, "t", {"id": list(range(6)), "group": group, "gender": gender})
    expected: dict[Any, dict[Any, int]] = {}
    for g, s in zip(group, gender, strict=True):
        expected.setdefault(str(g), {}).setdefault(str(s), 0)
        expected[str(g)][str(s)] += 1
    got = answer("Cross-tabulate group by gender.", ds)
    assert {str(a): {str(b): n for b, n in v.items()} for a, v in got.items()} == expected


def test_by_whether_a_yes_no_column_happened(tmp_path: Path) -> None:
    died = [0, 1, 0, 1, 1, 0]
    hmo = ["yes", "yes", "no", "no", "yes", "no"]
    ds = table(tmp_path, "t", {"id": list(range(6)), "hmo": hmo, "died": died, "age": AGES})
    plan = plan_of("number of patients by hmo and whether the patient died", ds)
    assert plan["group_by"] == [{"column": "hmo"}, {"column": "died"}]
    mean_by = answer("mean age by whether the patient died", ds)
    assert mean_by == {
        "0": pytest.approx((30 + 50 + 80) / 3),
        "1": pytest.approx((40 + 60 + 70) / 3),
    } or mean_by == {0: pytest.approx((30 + 50 + 80) / 3), 1: pytest.approx((40 + 60 + 70) / 3)}


def test_how_much_longer_do_they_stay_names_the_column_once(tmp_path: Path) -> None:
    los = [3, 10, 4, 12, 7, 2]
    kind = ["emergency", "elective", "emergency", "elective", "emergency", "elective"]
    ds = table(tmp_path, "t", {"id": list(range(6)), "los": los, "admission": kind})
    emergency = (3 + 4 + 7) / 3
    elective = (10 + 12 + 2) / 3
    got = answer(
        "On average, how much longer do emergency patients stay than elective patients?", ds
    )
    assert got == pytest.approx(emergency - elective)


def test_with_and_without_a_condition_are_two_groups(tmp_path: Path) -> None:
    died = [1, 1, 0, 1, 0, 0, 1, 0]
    gvhd = [1, 1, 1, 0, 0, 0, 0, 1]
    ds = table(tmp_path, "t", {"id": list(range(8)), "gvhd": gvhd, "died": died})
    with_ = [d for d, g in zip(died, gvhd, strict=True) if g == 1]
    without = [d for d, g in zip(died, gvhd, strict=True) if g == 0]
    expected = 100 * sum(with_) / len(with_) - 100 * sum(without) / len(without)
    got = answer(
        "What is the difference in the percentage who died between patients with and without gvhd?",
        ds,
    )
    assert got == pytest.approx(expected)


@pytest.fixture(scope="module")
def server(app_on_sqlite: InProcess) -> InProcess:
    """The application in this process (tests/servers.py): conversations are kept there."""
    return app_on_sqlite


@pytest.fixture(scope="module")
def conversing(server: InProcess) -> dict[str, str]:
    """An organization with the people table uploaded, and a signed-in user's headers."""
    org, key = server.new_org()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([*ROWS, "grade"])
    writer.writerows(zip(*ROWS.values(), ["a", "b", "a", "b", "b", "a"], strict=True))
    with server.client() as client:
        upload(client, key, "people.csv", out.getvalue().encode())
        headers = sign_in(server, client, org.id, "wording")
        imported(client, headers, ["people"])
        found = client.get("/v1/datasets", headers=headers).json()["datasets"]
        assert [d["status"] for d in found] == ["ready"], found
    return headers


def converse(server: InProcess, headers: dict[str, str], first: str, then: str) -> Any:
    with server.client() as client:
        r = client.post("/v1/queries", json={"question": first}, headers=headers)
        assert r.status_code == 200, r.text
        body = {"question": then, "conversation_id": r.json()["conversation_id"]}
        return client.post("/v1/queries", json=body, headers=headers)


def test_a_lone_superlative_follows_the_same_column(
    server: InProcess, conversing: dict[str, str]
) -> None:
    """ "And the shortest?" after the tallest: the other end of the same column; after
    a ranking, the ranking from the other end; after another column's maximum, refused."""
    r = converse(server, conversing, "what is the max height", "And the shortest?")
    assert r.status_code == 200, r.text
    assert r.json()["answer"] == min(ROWS["height"])
    r = converse(server, conversing, "top 2 patients by height", "and the shortest?")
    assert r.status_code == 200, r.text
    assert r.json()["answer"] == ids_by(ROWS, "height", 2, False, lambda row: True)
    r = converse(server, conversing, "what is the max weight", "and the lightest?")
    assert r.json()["answer"] == min(ROWS["weight"])
    r = converse(server, conversing, "what is the max weight", "And the shortest?")
    assert r.status_code == 422, r.text
    r = converse(server, conversing, "what is the mean weight", "And the shortest?")
    assert r.status_code == 422, r.text


def test_restrict_that_to_keeps_those_rows(server: InProcess, conversing: dict[str, str]) -> None:
    r = converse(server, conversing, "mean weight by grade", "Now restrict that to F patients.")
    assert r.status_code == 200, r.text
    grades = ["a", "b", "a", "b", "b", "a"]
    expected = {
        g: pytest.approx(
            statistics.mean(
                w
                for w, s, h in zip(ROWS["weight"], ROWS["sex"], grades, strict=True)
                if s == "F" and h == g
            )
        )
        for g in ("a", "b")
    }
    assert r.json()["answer"] == expected


PROCEDURE = ["CABG", "PTCA", "other", "CABG", "PTCA", "CABG", "other", "PTCA"]


def test_the_odds_of_one_value_rather_than_another(tmp_path: Path) -> None:
    """ "the odds ratio of having CABG rather than PTCA for men compared with women": the
    outcome CABG, over the rows with CABG or PTCA; PTCA is no predictor."""
    ds = table(
        tmp_path,
        "t",
        {
            "id": list(range(8)),
            "procedure": PROCEDURE,
            "sex": list("MMFFMFMF"),
        },
    )
    got = plan_of(
        "From a logistic regression, what is the odds ratio of having CABG rather than PTCA"
        " for men compared with women?",
        ds,
    )
    assert got["condition"] == [{"column": "procedure", "op": "=", "value": "CABG"}]
    assert got["predictors"] == [{"column": "sex", "op": "=", "value": "M"}]
    assert {"column": "procedure", "op": "in", "values": ["CABG", "PTCA"]} in got["filters"]
    # The odds ratio, from the 2x2 table of the rows with CABG or PTCA.
    rows = [(p, s) for p, s in zip(PROCEDURE, "MMFFMFMF", strict=True) if p != "other"]
    a = sum(1 for p, s in rows if p == "CABG" and s == "M")
    b = sum(1 for p, s in rows if p == "PTCA" and s == "M")
    c = sum(1 for p, s in rows if p == "CABG" and s == "F")
    d = sum(1 for p, s in rows if p == "PTCA" and s == "F")
    ratio = answer("odds ratio of CABG rather than PTCA for men compared with women", ds)
    assert ratio == pytest.approx((a / b) / (c / d))


def test_among_picks_the_rows_a_model_is_fitted_over(tmp_path: Path) -> None:
    """ "the odds of diabetes among smokers by sex": smokers are the rows fitted, sex the
    predictor (as a predictor, smoking would give sex's ratio adjusted for smoking over
    everyone, another number); with nothing else to predict, "among smokers" stays the
    predictor."""
    smoker = ["yes", "yes", "yes", "yes", "yes", "yes", "yes", "no", "no", "no", "no", "no"]
    sex = ["F", "M", "F", "M", "F", "M", "F", "F", "M", "M", "F", "M"]
    diabetes = ["yes", "no", "yes", "yes", "no", "no", "yes", "no", "yes", "no", "yes", "no"]
    ds = table(
        tmp_path,
        "t",
        {"id": list(range(12)), "smoker": smoker, "sex": sex, "diabetes": diabetes},
    )
    got = plan_of("odds ratio of diabetes among smokers for women", ds)
    assert got["filters"] == [{"column": "smoker", "op": "=", "value": "yes"}]
    assert got["predictors"] == [{"column": "sex", "op": "=", "value": "F"}]
    assert plan_of("among patients who smoke, the odds ratio of diabetes for women", ds) == got
    # The odds ratio of one indicator is its 2x2 table's, over the smokers only.
    rows = [(x, d) for x, d, s in zip(sex, diabetes, smoker, strict=True) if s == "yes"]
    a = sum(1 for x, d in rows if x == "F" and d == "yes")
    b = sum(1 for x, d in rows if x == "F" and d == "no")
    c = sum(1 for x, d in rows if x == "M" and d == "yes")
    d = sum(1 for x, d in rows if x == "M" and d == "no")
    assert answer("odds ratio of diabetes among smokers for women", ds) == pytest.approx(
        (a / b) / (c / d)
    )
    alone = plan_of("odds ratio of diabetes among smokers", ds)
    assert alone["predictors"] == [{"column": "smoker", "op": "=", "value": "yes"}]
    assert alone["filters"] == []


def test_by_a_value_and_its_variable_groups_by_its_column(tmp_path: Path) -> None:
    """ "mean weight by smoking habit": a value ("smoking" of habit) followed by its column's
    name or by "status" names the column; "by smoking" alone could be either, and is
    refused; "by smoking patients" keeps the smokers."""
    habit = ["smoker", "nonsmoker", "smoker", "nonsmoker", "nonsmoker", "smoker"]
    weight = [6.1, 7.4, 6.5, 7.9, 7.0, 5.8]
    ds = table(tmp_path, "births", {"id": list(range(6)), "weight": weight, "habit": habit})
    expected = {
        h: statistics.fmean(w for w, x in zip(weight, habit, strict=True) if x == h)
        for h in ("smoker", "nonsmoker")
    }
    for question in ("mean weight by smoking habit", "average weight by smoking status"):
        got = answer(question, ds)
        assert got == pytest.approx(expected), question
    assert refused("mean weight by smoking", ds)
    assert answer("mean weight by smoking patients", ds) == pytest.approx(expected["smoker"])


def test_the_shortest_patients_before_the_noun_are_refused(tmp_path: Path) -> None:
    """ "the 2 shortest patients" may be those with the shortest stays: refused where the
    table has a height and a length of stay; "which 2 patients are the shortest" is not."""
    ds = table(
        tmp_path,
        "t",
        {"id": [1, 2, 3, 4], "height": [150, 160, 170, 155], "los": [5, 2, 9, 4]},
    )
    assert refused("the 2 shortest patients", ds)
    assert answer("which 2 patients are the shortest", ds) == [1, 4]


def test_compared_with_everyone_else_is_an_indicator_s_reference(tmp_path: Path) -> None:
    ds = trial(tmp_path)
    plain = plan_of("hazard ratio of death for arm a", ds)
    assert plain["predictors"] == [{"column": "arm", "op": "=", "value": "a"}]
    assert plan_of("hazard ratio of death for arm a compared with everyone else", ds) == plain
    # A difference needs two groups: one group and "everyone else" is refused.
    assert refused("mean age for arm a compared with everyone else", ds)

"""Sentence structure the question reader reads in general English (issue 26): verbs of
receiving and happening where they are harmless, the speaker's "I" beside a value "I",
and follow-ups known by their form. Each reading is checked on a table made here, with
the expected answer computed from the rows written; a near-miss wording is refused.
"""

from __future__ import annotations

import csv
import io
import statistics
from pathlib import Path
from typing import Any

import pytest

from appliance.analytics import datasets, engine, plan, reader
from appliance.analytics.errors import Unanswerable
from tests import tables
from tests.servers import InProcess
from tests.test_analytics import imported, sign_in, upload
from tests.test_analytics_reader import table as small_table

ROWS: list[dict[str, Any]] = [
    # id, age, sex, arm, stage, relapse (0/1), units, city, height
    dict(
        zip(
            ("id", "age", "sex", "arm", "stage", "relapse", "units", "city", "height"),
            r,
            strict=True,
        )
    )
    for r in [
        (1, 34, "female", "drug", "I", 1, 2, "London", 162),
        (2, 45, "male", "placebo", "II", 0, 0, "Leeds", 181),
        (3, 52, "female", "placebo", "III", 1, 5, "London", 158),
        (4, 61, "male", "drug", "I", 0, 1, "Leeds", 175),
        (5, 67, "female", "drug", "II", 1, 3, "Leeds", 166),
        (6, 70, "male", "placebo", "III", 1, 6, "London", 190),
        (7, 38, "female", "placebo", "I", 0, 0, "London", 171),
        (8, 79, "male", "drug", "II", 0, 4, "London", 169),
        (9, 83, "female", "drug", "III", 1, 2, "Leeds", 155),
        (10, 29, "male", "placebo", "I", 0, 1, "London", 184),
    ]
]


@pytest.fixture
def trial(tmp_path: Path) -> datasets.Dataset:
    source = tmp_path / "trial.csv"
    with source.open("w", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(ROWS[0]))
        writer.writeheader()
        writer.writerows(ROWS)
    return tables.load(source, tmp_path / "derived", "trial")  # imported once per process


def answer(question: str, ds: datasets.Dataset) -> Any:
    """The engine's answer, or the refusal itself."""
    try:
        reading = reader.read(question, ds)
    except Unanswerable as exc:
        return exc
    assert reading.plan is not None
    return engine.run(plan.from_json(reading.plan.to_json(), ds.infos), ds).answer


def where(**equal: Any) -> list[dict[str, Any]]:
    return [r for r in ROWS if all(r[k] == v for k, v in equal.items())]


def test_the_speaker_s_i_is_no_stage_i(trial: datasets.Dataset) -> None:
    """ "I want the average units" beside a stage "I": the speaker, every row; "stage I"
    the value; an "I" that could be either is refused, never guessed."""
    everyone = statistics.mean(r["units"] for r in ROWS)
    stage_one = statistics.mean(r["units"] for r in where(stage="I"))
    assert everyone != stage_one
    for question in (
        "I want the average units",
        "could I have the mean units please",
        "can I see the mean units",
    ):
        assert answer(question, trial) == pytest.approx(everyone), question
    assert answer("mean units in stage I", trial) == pytest.approx(stage_one)
    assert answer("how many stage I patients", trial) == len(where(stage="I"))
    refused = answer("how many I patients", trial)
    assert isinstance(refused, Unanswerable) and "the speaker, or the value" in str(refused)


def test_a_yes_no_column_that_came_back(trial: datasets.Dataset) -> None:
    """ "whose relapse came back" is the column's yes, "did not come back" its no."""
    back, not_back = where(relapse=1), where(relapse=0)
    assert answer("how many patients whose relapse came back", trial) == len(back)
    assert answer("how many patients whose relapse did not come back", trial) == len(not_back)
    mean_back = statistics.mean(r["age"] for r in back)
    mean_not = statistics.mean(r["age"] for r in not_back)
    assert answer(
        "how much higher is the average age for patients whose relapse came back than for"
        " patients whose relapse did not come back",
        trial,
    ) == pytest.approx(mean_back - mean_not)
    women = where(sex="female")
    share = 100 * sum(r["relapse"] for r in women) / len(women)
    assert answer("out of women, what percent had their relapse come back", trial) == (
        pytest.approx(share)
    )
    # The event, or the value after it? Refused.
    ambiguous = answer("how many patients whose relapse came back female", trial)
    assert isinstance(ambiguous, Unanswerable), ambiguous
    # Came back after a value is no yes ("whose city came back"): refused.
    assert isinstance(answer("how many patients whose city came back", trial), Unanswerable)


def test_an_amount_given_is_the_amount(trial: datasets.Dataset) -> None:
    """ "the units given": the units column; "given to women" the condition."""
    assert answer("what is the highest units given", trial) == max(r["units"] for r in ROWS)
    stage_two = statistics.mean(r["units"] for r in where(stage="II"))
    assert answer("what is the average units given for patients in stage II", trial) == (
        pytest.approx(stage_two)
    )
    women = sum(r["units"] for r in where(sex="female"))
    assert answer("the total units given to women", trial) == women
    assert answer("total units given among women", trial) == women
    # "given" before a column is no part of an amount ("the mean units given age").
    assert isinstance(answer("what is the mean units given age", trial), Unanswerable)


def test_children_where_the_ages_can_only_be_months(tmp_path: Path) -> None:
    """Ages with no unit whose largest (206) no age in years reaches, and which is under
    18 years in months, are children's; a largest age of 100 (years, perhaps) or 230
    (over 18 in months) is not, and "children" is refused there."""
    months = [14, 60, 95, 130, 170, 206]
    flag = ["present", "absent", "absent", "present", "absent", "absent"]
    ds = small_table(tmp_path / "m", "spine", {"curve": flag, "age": months})
    assert answer("how many children are in the dataset", ds) == len(months)
    assert answer("what percentage of children had curve present", ds) == pytest.approx(
        100 * flag.count("present") / len(flag)
    )
    for ages in ([14, 60, 95, 100, 40, 70], [14, 60, 95, 130, 170, 230]):
        other = small_table(tmp_path / str(max(ages)), "spine", {"curve": flag, "age": ages})
        refused = answer("how many children are in the dataset", other)
        assert isinstance(refused, Unanswerable) and "not every row is a child" in str(refused)
    # A unit recorded says it: in months, 206 is a child; in years, not.
    recorded = small_table(tmp_path / "r", "spine", {"curve": flag, "age_months": months})
    assert answer("how many kids", recorded) == len(months)
    years = small_table(tmp_path / "y", "spine", {"curve": flag, "age_years": [*months[:5], 17]})
    assert isinstance(answer("how many kids", years), Unanswerable)


def test_children_under_18_are_the_rows_the_age_condition_keeps(tmp_path: Path) -> None:
    ages = [4, 9, 16, 17, 30, 45, 70]
    ds = small_table(tmp_path, "visits", {"id": list(range(7)), "age": ages})
    assert answer("how many children under 18", ds) == sum(a < 18 for a in ages)
    assert answer("how many children aged under 10", ds) == sum(a < 10 for a in ages)
    assert answer("how many adults 18 and over", ds) == sum(a >= 18 for a in ages)
    # A bound that does not make them children (under 40) is no reading of "children".
    for question in ("how many children under 40", "how many children", "how many adults over 10"):
        assert isinstance(answer(question, ds), Unanswerable), question


def test_a_file_named_for_a_condition_is_not_its_rows(tmp_path: Path) -> None:
    """A table named "kyphosis" (or "sepsis") with a column of the same name: "patients
    with kyphosis present" is that column's value, never every row; "tests" in a file of
    tests is its rows."""
    flag = ["present", "absent", "absent", "present", "absent"]
    ds = small_table(tmp_path / "k", "kyphosis", {"kyphosis": flag, "age": [10, 20, 30, 40, 50]})
    assert answer("how many patients with kyphosis present", ds) == flag.count("present")
    refused = answer("how many patients with kyphosis", ds)  # which value? not every row
    assert refused != len(flag)
    tests = small_table(
        tmp_path / "t", "covid_tests", {"test": ["pcr", "pcr", "antigen"], "age": [1, 2, 3]}
    )
    assert answer("how many tests", tests) == 3


def test_counts_of_every_combination_are_a_cross_tabulation(trial: datasets.Dataset) -> None:
    """ "for each combination of A and B", "A by B counts", "a two-way table of A against
    B": the count in each pair of values, as a cross-tabulation reads."""
    expected: dict[str, dict[str, int]] = {}
    for r in ROWS:
        cell = expected.setdefault(r["sex"], {})
        cell[r["stage"]] = cell.get(r["stage"], 0) + 1
    for question in (
        "how many patients are there for each combination of sex and stage",
        "how many patients for every combination of sex and type of stage",
        "sex by stage counts",
        "counts of sex by stage",
        "a two-way table of sex against stage",
    ):
        assert answer(question, trial) == expected, question
    # A yes/no column said by its header after "counts of" and before "by" is a side of
    # the cross-tab: its yes row is the count of the yes rows per group, beside the no
    # row, so neither reading's numbers are lost.
    by_relapse: dict[str, dict[str, int]] = {}
    for r in ROWS:
        cell = by_relapse.setdefault(str(r["relapse"]), {})
        cell[r["stage"]] = cell.get(r["stage"], 0) + 1
    assert answer("counts of relapse by stage", trial) == by_relapse
    assert answer("break down relapse by stage, as counts", trial) == by_relapse
    # in another order the words could be either reading: refused, naming both
    assert isinstance(answer("relapse by stage, as counts", trial), Unanswerable)
    assert isinstance(answer("sex by stage", trial), Unanswerable)  # what of them?


def test_or_between_two_ranges_of_one_column_is_one_filter(trial: datasets.Dataset) -> None:
    """ "younger than 40 or older than 75": below one number or above the other."""
    outside = [r for r in ROWS if r["age"] < 40 or r["age"] > 75]
    assert 0 < len(outside) < len(ROWS)
    for question in (
        "how many patients younger than 40 or older than 75",
        "how many patients older than 75 or younger than 40",
        "how many patients under 40 or over 75",
        "how many with age < 40 or > 75",
    ):
        assert answer(question, trial) == len(outside), question
    women = [r["units"] for r in outside if r["sex"] == "female"]
    assert answer("mean units for women younger than 40 or older than 75", trial) == (
        pytest.approx(statistics.mean(women))
    )
    reading = reader.read("how many patients younger than 40 or older than 75", trial)
    assert reading.plan is not None
    assert [f.to_json() for f in reading.plan.filters] == [
        {"column": "age", "op": "not_between", "values": [40, 75]}
    ]
    for question in (
        "how many patients under 75 or over 40",  # every row: no condition at all
        "how many patients 40 or younger or 75 or older",  # inclusive: not this filter
        "how many patients younger than 40 or heavier than 75",  # two columns
    ):
        assert isinstance(answer(question, trial), Unanswerable), question


def test_a_not_between_plan_leaves_out_the_ends_and_empty_values(tmp_path: Path) -> None:
    ages: list[Any] = [39, 40, 41, 75, 76, "", 20]
    ds = small_table(tmp_path, "t", {"id": list(range(7)), "age": ages})
    outside = {"column": "age", "op": "not_between", "values": [40, 75]}
    checked = plan.from_json({"statistic": "count", "filters": [outside]}, ds.infos)
    assert engine.run(checked, ds).answer == 3  # 39, 76, 20
    assert checked.filters[0].to_json() == outside


def test_a_percentage_out_of_rows_a_verb_follows(trial: datasets.Dataset) -> None:
    """ "what percentage of patients given placebo developed a relapse": the rows before
    the verb are the population, what the verb leads to is counted."""
    placebo = where(arm="placebo")
    share = 100 * sum(r["relapse"] for r in placebo) / len(placebo)
    for question in (
        "what percentage of patients given placebo developed relapse",
        "what share of patients on placebo got relapse",
        "what percentage of patients who got placebo developed relapse",
    ):
        assert answer(question, trial) == pytest.approx(share), question
    women = [r for r in placebo if r["sex"] == "female"]
    assert answer("what percent of women on placebo got relapse", trial) == pytest.approx(
        100 * sum(r["relapse"] for r in women) / len(women)
    )
    # Two conditions joined before the verb: which are the rows? Refused.
    joined = "what share of patients in London and on drug got relapse"
    assert isinstance(answer(joined, trial), Unanswerable)


def test_ids_of_the_rows_a_condition_keeps(trial: datasets.Dataset) -> None:
    old = [r["id"] for r in ROWS if r["age"] > 65]
    for question in (
        "patients over 65, return their ids",
        "return the ids of patients over 65",
        "ids of patients over 65",
    ):
        assert sorted(answer(question, trial)) == old, question
    women = [r["id"] for r in ROWS if r["age"] > 65 and r["sex"] == "female"]
    assert sorted(answer("women over 65: give their ids", trial)) == women
    # Another column's values are no listing of ids: refused.
    assert isinstance(answer("patients over 65, return their units", trial), Unanswerable)


def test_rows_from_a_month_and_living_in_a_place(tmp_path: Path) -> None:
    """ "tests from April 2020" are those dated in it; "from April 2020 on" is no such
    reading; "living in London" is the value London."""
    dates = ["2020-03-30", "2020-04-01", "2020-04-15", "2020-04-30", "2020-05-01"]
    city = ["London", "Leeds", "London", "London", "Leeds"]
    ds = small_table(tmp_path, "lab_tests", {"collected": dates, "city": city})
    april = [d for d in dates if d.startswith("2020-04")]
    assert answer("how many tests from April 2020", ds) == len(april)
    assert isinstance(answer("how many tests from April 2020 on", ds), Unanswerable)
    may = [d for d in dates if d.startswith("2020-05")]
    more = "how many more tests from May 2020 do we have than tests from April 2020"
    assert answer(more, ds) == len(may) - len(april)
    assert isinstance(answer("how many tests from may", ds), Unanswerable)  # which year?
    assert answer("how many tests living in London", ds) == city.count("London")
    assert isinstance(answer("how many tests living in 2020", ds), Unanswerable)


def test_commands_beside_a_statistic_ask_for_it(trial: datasets.Dataset) -> None:
    mean_age = statistics.mean(r["age"] for r in ROWS)
    for question in ("show me the mean age", "return the mean age", "show the mean age"):
        assert answer(question, trial) == pytest.approx(mean_age), question
    oldest = sorted(ROWS, key=lambda r: -r["age"])[:3]
    assert answer("show me the 3 oldest patients", trial) == [r["id"] for r in oldest]


@pytest.fixture(scope="module")
def server(app_on_sqlite: InProcess) -> InProcess:
    """The application in this process (tests/servers.py): conversations are kept there."""
    return app_on_sqlite


@pytest.fixture(scope="module")
def conversing(server: InProcess) -> dict[str, str]:
    """An organization with the table above uploaded, and a signed-in user's headers."""
    org, key = server.new_org()
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(ROWS[0]))
    writer.writeheader()
    writer.writerows(ROWS)
    with server.client() as client:
        upload(client, key, "trial.csv", out.getvalue().encode())
        headers = sign_in(server, client, org.id, "sentences")
        imported(client, headers, ["trial"])
        found = client.get("/v1/datasets", headers=headers).json()["datasets"]
        assert [d["status"] for d in found] == ["ready"], found
    return headers


MEAN = "what is the average units"


@pytest.mark.parametrize(
    ("first", "then", "rows", "statistic", "group"),
    [
        (MEAN, "can I see the median instead?", {}, "median", None),
        (MEAN, "what if we only look at women?", {"sex": "female"}, "mean", None),
        (MEAN, "same question for men", {"sex": "male"}, "mean", None),
        (MEAN, "repeat for men", {"sex": "male"}, "mean", None),
        (MEAN, "show me the median", {}, "median", None),
        (MEAN, "now split that by stage", {}, "mean", "stage"),
        ("how many women do we have", "and of those, just the ones living in London",
         {"sex": "female", "city": "London"}, "count", None),
    ],
)  # fmt: skip
def test_a_follow_up_applies_to_the_last_answer_and_names_it(
    server: InProcess,
    conversing: dict[str, str],
    first: str,
    then: str,
    rows: dict[str, str],
    statistic: str,
    group: str | None,
) -> None:
    """Each follow-up form, over the HTTP API: the answer is the previous question's
    with the change asked for (computed here from the rows), and a caveat names it."""
    compute = {"mean": statistics.mean, "median": statistics.median, "count": len}[statistic]

    def expected(kept: list[dict[str, Any]]) -> Any:
        return len(kept) if statistic == "count" else compute([r["units"] for r in kept])

    with server.client() as client:
        r = client.post("/v1/queries", json={"question": first}, headers=conversing)
        assert r.status_code == 200, r.text
        cid = r.json()["conversation_id"]
        body = {"question": then, "conversation_id": cid}
        r = client.post("/v1/queries", json=body, headers=conversing)
    assert r.status_code == 200, r.text
    got = r.json()
    kept = where(**rows)
    if group is None:
        assert got["answer"] == pytest.approx(expected(kept))
    else:
        values = sorted({row[group] for row in kept})
        want = {v: expected([row for row in kept if row[group] == v]) for v in values}
        assert got["answer"] == pytest.approx(want)
    assert any(c.startswith("following on from: ") for c in got["caveats"]), got["caveats"]


def test_but_opening_a_follow_up_keeps_its_not(
    server: InProcess, conversing: dict[str, str]
) -> None:
    """ "same but for men": "but" opening a follow-up is its "and", and a "not" after it
    is read ("same but not for men": the rows other than men), never dropped."""
    with server.client() as client:
        r = client.post("/v1/queries", json={"question": "mean units"}, headers=conversing)
        filters = []
        for then in ("same but for men", "same but not for men"):
            body = {"question": then, "conversation_id": r.json()["conversation_id"]}
            got = client.post("/v1/queries", json=body, headers=conversing)
            assert got.status_code == 200, got.text
            filters.append(got.json()["plan"]["filters"])
    assert filters == [
        [{"column": "sex", "op": "=", "value": "male"}],
        [{"column": "sex", "op": "!=", "value": "male"}],
    ]


def test_a_value_of_what_a_percentage_counted_changes_what_it_counts(
    server: InProcess, conversing: dict[str, str]
) -> None:
    """ "% of London patients in stage I", then "what about stage III": the share in
    stage III among London patients (stage I among stage III would be 0 by
    construction); after an odds ratio of stage I, "what about stage III" could change
    the outcome or keep those rows: refused."""
    london = where(city="London")
    want = 100 * sum(r["stage"] == "III" for r in london) / len(london)
    with server.client() as client:

        def then(first: str, follow: str) -> Any:
            r = client.post("/v1/queries", json={"question": first}, headers=conversing)
            assert r.status_code == 200, r.text
            body = {"question": follow, "conversation_id": r.json()["conversation_id"]}
            return client.post("/v1/queries", json=body, headers=conversing)

        r = then("% of London pts in stage I", "what about stage III")
        assert r.status_code == 200, r.text
        assert r.json()["answer"] == pytest.approx(want)
        r = then("odds ratio of stage I for women", "what about stage III")
        assert r.status_code == 422, r.text


def test_a_present_or_absent_column_is_a_yes_no_column(tmp_path: Path) -> None:
    """ "patients with scoliosis" on a column whose values are present and absent is
    its "present"; "without" its "absent"; "scoliosis absent" the value said."""
    said = ["present", "absent", "absent", "present", "absent", "absent"]
    ages = [5, 8, 11, 13, 6, 9]
    ds = small_table(tmp_path / "p", "spine", {"scoliosis": said, "age": ages})
    present = said.count("present")
    assert answer("how many patients with scoliosis", ds) == present
    assert answer("how many patients without scoliosis", ds) == len(said) - present
    assert answer("how many patients with scoliosis absent", ds) == len(said) - present
    assert answer("what percentage of patients have scoliosis", ds) == pytest.approx(
        100 * present / len(said)
    )
    with_it = [a for a, s in zip(ages, said, strict=True) if s == "present"]
    assert answer("mean age of patients who have scoliosis", ds) == pytest.approx(
        statistics.mean(with_it)
    )
    # A third value (not recorded) makes "with scoliosis" no yes/no question: refused.
    other = small_table(tmp_path / "u", "spine", {"scoliosis": [*said[:5], "unknown"], "age": ages})
    assert isinstance(answer("how many patients with scoliosis", other), Unanswerable)


def test_any_of_a_count_and_the_total_number_of_it(trial: datasets.Dataset) -> None:
    """ "had any units" is units > 0 (whole numbers from 0); "the total number of units"
    their sum; "the total number of patients" stays a count."""
    some = [r for r in ROWS if r["units"] > 0]
    assert 0 < len(some) < len(ROWS)
    assert answer("what share of patients had any units", trial) == pytest.approx(
        100 * len(some) / len(ROWS)
    )
    assert answer("how many patients with any units", trial) == len(some)
    assert answer("how many patients with any units over 2", trial) == sum(
        r["units"] > 2 for r in ROWS
    )
    # Ages do not start at 0: "any age" is no condition, and is refused.
    assert isinstance(answer("how many patients with any age", trial), Unanswerable)
    women = sum(r["units"] for r in where(sex="female"))
    assert answer("the total number of units among women", trial) == women
    assert answer("the total number of patients", trial) == len(ROWS)


def test_clipped_percentages_and_rankings_of_a_count(trial: datasets.Dataset) -> None:
    """ "% London patients female?": the value ending the question is said of the rows
    before it; "which 2 patients … have the highest number of units" ranks by units."""
    london = where(city="London")
    share = 100 * sum(r["sex"] == "female" for r in london) / len(london)
    assert answer("% London patients female?", trial) == pytest.approx(share)
    assert answer("% patients in London female", trial) == pytest.approx(share)
    # After "with", which is counted is not said: refused.
    assert isinstance(answer("% patients with relapse female", trial), Unanswerable)
    relapsed = sorted(where(relapse=1), key=lambda r: -r["units"])
    assert relapsed[1]["units"] > relapsed[2]["units"]  # no tie at the cut
    top = [r["id"] for r in relapsed[:2]]
    question = "which 2 patients with relapse have the highest number of units given?"
    assert answer(question, trial) == top
    stage_3 = statistics.mean(r["units"] for r in where(stage="III"))
    stage_1 = statistics.mean(r["units"] for r in where(stage="I"))
    asked = "difference in mean number of units given between stage III and stage I patients"
    assert answer(asked, trial) == pytest.approx(stage_3 - stage_1)


def test_the_rows_said_in_ordinary_words(trial: datasets.Dataset) -> None:
    """ "in the study", "over all participants", "are recorded": every row; "recorded
    with relapse" the relapse itself, never that it is filled in."""
    for question in (
        "how many patients in the study",
        "how many patients are there altogether in this study",
        "how many patients are recorded",
        "how many patients are recorded in the data",
    ):
        assert answer(question, trial) == len(ROWS), question
    mean_age = statistics.mean(r["age"] for r in ROWS)
    for question in (
        "mean age over all participants",
        "mean age across all patients",
    ):
        assert answer(question, trial) == pytest.approx(mean_age), question
    assert answer("how many patients recorded with relapse", trial) == len(where(relapse=1))
    # "across all stages" is neither a grouping nor every row: refused.
    assert isinstance(answer("mean age across all stages", trial), Unanswerable)

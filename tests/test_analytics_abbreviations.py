"""Headers that abbreviate the words people use: the abbreviation aligner (a run of a
question's words covering a header's pieces in order) and the clinical shorthand table,
both ways. A link is made only where exactly one column fits; two is a refusal naming
both, and a word the link does not explain is still refused. The table is made here
(no public table's headers); expected answers are computed from its rows."""

from __future__ import annotations

import statistics
from pathlib import Path
from typing import Any

import pytest

from appliance.analytics.errors import Unanswerable
from appliance.analytics.reader.kinds import Kind
from appliance.analytics.reader.vocabulary import Vocabulary
from appliance.analytics.reader.words import same_stem, stem_key
from tests.test_analytics_reader import answer, table

WARD: dict[str, list[Any]] = {
    "pt_id": ["a1", "a2", "a3", "a4", "a5", "a6", "a7", "a8"],
    "LVol": [1510.0, 1320.5, 1702.0, 1450.0, 1198.5, 1605.0, 1388.0, 1490.0],
    "KVol": [150.0, 162.5, 171.0, 140.0, 158.0, 149.5, 166.0, 171.5],
    "daysdisch": [4, 7, 3, 12, 5, 9, 6, 2],
    "PostopHb": [10.1, 11.4, 9.8, 12.0, 10.6, 8.9, 11.1, 10.0],
    "sfs": [12, 30, 22, 8, 17, 25, 19, 11],
    "extubation_time": [35.0, 50.0, 41.0, 28.0, 62.0, 39.0, 44.0, 31.0],
    "arf": [0, 1, 0, 0, 1, 0, 1, 0],
    "wt": [70.2, 82.5, 64.0, 91.3, 77.7, 58.9, 85.0, 73.4],
    "sex": ["f", "m", "f", "m", "m", "f", "m", "f"],
    "surgtime": [30, 45, 12, 60, 25, 33, 90, 14],
    "bloodtype": ["a", "o", "b", "o", "a", "ab", "o", "a"],
}


def where(column: str, **equal: Any) -> list[Any]:
    """The column's values on the rows whose columns hold the values given."""
    keep = [i for i in range(len(WARD["pt_id"])) if all(WARD[c][i] == v for c, v in equal.items())]
    return [WARD[column][i] for i in keep]


@pytest.fixture(scope="module")
def ward(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return table(tmp_path_factory.mktemp("ward"), "ward", WARD)


@pytest.mark.parametrize(
    ("question", "column"),
    [
        ("what is the mean liver volume", "LVol"),  # a one-letter piece by its initial
        ("average kidney vol", "KVol"),
        ("mean days to discharge", "daysdisch"),  # a compound split where words fit
        ("mean days until discharge", "daysdisch"),
        ("average hemoglobin after surgery", "PostopHb"),  # shorthand, after its head
        ("mean postoperative haemoglobin", "PostopHb"),
        ("mean sleep fatigue score", "sfs"),  # an initialism
        ("average time to extubate", "extubation_time"),  # a derived word, head first
        ("mean extubation time", "extubation_time"),
        ("average weight", "wt"),  # the header is the shorthand
        ("mean time since surgery", "surgtime"),  # a shorthand word ending in a word
        ("mean surgery time", "surgtime"),
    ],
)
def test_a_header_that_abbreviates_answers_to_the_words(
    ward: Any, question: str, column: str
) -> None:
    assert answer(question, ward) == pytest.approx(statistics.mean(WARD[column]))


def test_abbreviated_headers_in_conditions_groups_and_fits(ward: Any) -> None:
    assert answer("how many patients had acute renal failure", ward) == sum(WARD["arf"])
    assert answer("mean liver volume in patients with acute renal failure", ward) == (
        pytest.approx(statistics.mean(where("LVol", arf=1)))
    )
    assert answer("how many patients with days to discharge over 6", ward) == len(
        [d for d in WARD["daysdisch"] if d > 6]
    )
    by_sex = answer("mean time to extubate by sex", ward)
    for sex in ("f", "m"):
        assert by_sex[sex] == pytest.approx(statistics.mean(where("extubation_time", sex=sex)))
    share = answer("what percent of patients had acute renal failure", ward)
    assert share == pytest.approx(100 * sum(WARD["arf"]) / len(WARD["arf"]))
    per_type = answer("how many patients per blood type", ward)
    assert per_type == {t: WARD["bloodtype"].count(t) for t in set(WARD["bloodtype"])}
    r = answer("correlation between liver volume and kidney volume", ward)
    assert r == pytest.approx(statistics.correlation(WARD["LVol"], WARD["KVol"]))


def test_two_columns_fitting_the_words_are_refused_naming_both(ward: Any) -> None:
    refusal = answer("mean volume", ward)
    assert isinstance(refusal, Unanswerable)
    assert "lvol" in str(refusal) and "kvol" in str(refusal)
    # A statistic is never taken for a header's initial: "total" is no t of a tvol;
    # nor a word across a connector: "volume of knees" is no kvol.
    for question in ("what is the total volume", "mean volume of knees"):
        assert isinstance(answer(question, ward), Unanswerable), question


@pytest.mark.parametrize(
    ("question", "left"),
    [
        ("mean liver volume ratio", "ratio"),
        ("average kidney volume index", "index"),
        ("median days to discharge home", "home"),
        ("mean liver volume in smokers", "smokers"),
    ],
)
def test_a_word_left_over_after_a_match_is_still_refused(
    ward: Any, question: str, left: str
) -> None:
    refusal = answer(question, ward)
    assert isinstance(refusal, Unanswerable), question
    assert left in refusal.not_understood


def test_one_initial_or_a_short_start_alone_names_nothing(tmp_path: Path) -> None:
    """A single letter, or three letters that begin a word, are too little to link on:
    "temperature" is no column t, "contract" no column con."""
    ds = table(tmp_path, "t", {"t": [1.0, 2.0, 3.0], "con": [4, 5, 6]})
    for question in ("mean temperature", "mean contract"):
        assert isinstance(answer(question, ds), Unanswerable), question


def test_an_ambiguous_shorthand_links_only_where_the_table_leaves_one_reading(
    tmp_path: Path,
) -> None:
    heights = [160.0, 172.5, 181.0, 158.0]
    hypertensive = [1, 0, 1, 1]
    one = table(tmp_path / "one", "t", {"height": heights, "age": [40, 50, 60, 70]})
    assert answer("mean ht", one) == pytest.approx(statistics.mean(heights))
    both = table(tmp_path / "both", "t", {"height": heights, "hypertension": hypertensive})
    refusal = answer("mean ht", both)
    assert isinstance(refusal, Unanswerable)
    assert "height" in str(refusal) and "hypertension" in str(refusal)
    # A header ht is the reading its type allows: a number is a height, 0/1 a diagnosis.
    measured = table(tmp_path / "measured", "t", {"ht": heights})
    assert answer("mean height", measured) == pytest.approx(statistics.mean(heights))
    assert isinstance(answer("how many patients with hypertension", measured), Unanswerable)
    flagged = table(tmp_path / "flagged", "t", {"ht": hypertensive, "age": [40, 50, 60, 70]})
    assert answer("how many patients with hypertension", flagged) == sum(hypertensive)


def test_shorthand_that_is_an_english_word_is_read_only_in_a_header(tmp_path: Path) -> None:
    """A header ``all`` is acute lymphoblastic leukemia; but "all" in a question is
    never the shorthand of a column named acute_lymphoblastic_leukemia."""
    ages = [3, 5, 8, 12]
    flags = [1, 0, 1, 0]
    ds = table(tmp_path / "short", "t", {"age": ages, "all": flags})
    assert answer("how many patients with acute lymphoblastic leukemia", ds) == sum(flags)
    ds = table(tmp_path / "long", "t", {"age": ages, "acute_lymphoblastic_leukemia": flags})
    assert answer("mean age of all patients", ds) == pytest.approx(statistics.mean(ages))


def test_a_value_answers_to_its_shorthand(tmp_path: Path) -> None:
    diagnoses = ["acute myeloid leukemia", "myelofibrosis", "acute myeloid leukemia", "cll"]
    status = ["outpatient", "inpatient", "outpatient", "outpatient"]
    ds = table(tmp_path, "t", {"age": [61, 55, 47, 70], "diagnosis": diagnoses, "status": status})
    assert answer("how many aml patients", ds) == diagnoses.count("acute myeloid leukemia")
    assert answer("how many patients with chronic lymphocytic leukemia", ds) == 1
    assert answer("# outpts", ds) == status.count("outpatient")
    # A row noun is no value's shorthand: "pts" beside a value "patient" is the rows.
    ds = table(tmp_path / "rows", "t", {"age": [61, 55, 47], "kind": ["patient", "visitor", "x"]})
    assert answer("how many pts", ds) == 3
    # Nor is a value "pt" (part-time, say) the shorthand of "patient".
    ds = table(tmp_path / "work", "t", {"age": [61, 55, 47], "employment": ["pt", "ft", "pt"]})
    assert Kind.VALUE not in Vocabulary(ds).table[("patient",)]


def test_british_and_american_spellings_are_one_word(tmp_path: Path) -> None:
    sizes = [2.5, 3.1, 4.0, 1.2]
    ds = table(tmp_path, "t", {"tumor_size": sizes, "age": [61, 55, 47, 70]})
    assert answer("mean tumour size", ds) == pytest.approx(statistics.mean(sizes))


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("intubate", "intubation"),
        ("intubated", "intubation"),
        ("transfused", "transfusion"),
        ("operated", "operation"),
        ("linkage", "link"),
        ("receipt", "receive"),
        ("verification", "verify"),
        ("collection", "collect"),
        ("tumour", "tumor"),
    ],
)
def test_derived_words_share_a_stem(a: str, b: str) -> None:
    assert same_stem(a, b)


@pytest.mark.parametrize(("a", "b"), [("rate", "ration"), ("total", "tot"), ("age", "agent")])
def test_unrelated_words_do_not(a: str, b: str) -> None:
    assert not same_stem(a, b), (stem_key(a), stem_key(b))


BLOOD: dict[str, list[Any]] = {
    "id": ["b1", "b2", "b3", "b4", "b5"],
    "hg": [13.1, 15.4, 14.2, 12.8, 16.0],
    "hc": [39.5, 45.1, 42.0, 38.2, 47.3],
    "rcc": [4.2, 5.1, 4.7, 4.0, 5.4],
    "wcc": [6.1, 7.4, 5.5, 8.8, 6.9],
    "lbm": [48.2, 70.1, 55.5, 45.0, 80.3],
    "ssf": [90.1, 55.2, 70.0, 101.5, 40.4],
}


@pytest.mark.parametrize(
    ("question", "column"),
    [
        ("mean haemoglobin", "hg"),
        ("mean hemoglobin", "hg"),
        ("mean hb", "hg"),
        ("mean haematocrit", "hc"),
        ("mean hematocrit", "hc"),
        ("mean red cell count", "rcc"),
        ("mean white cell count", "wcc"),
        ("mean white blood cell count", "wcc"),
        ("mean lean body mass", "lbm"),
        ("mean sum of skinfolds", "ssf"),
    ],
)
def test_blood_counts_and_body_measures_answer_to_their_clinical_names(
    tmp_path: Path, question: str, column: str
) -> None:
    ds = table(tmp_path, "blood", BLOOD)
    assert answer(question, ds) == pytest.approx(statistics.mean(BLOOD[column]))


def test_a_shorthand_for_two_measures_links_only_where_one_column_fits(tmp_path: Path) -> None:
    """``hc`` is haematocrit or head circumference: the word links to it where nothing
    else fits, and beside an ``hct`` "haematocrit" fits both and is refused naming both."""
    both = table(tmp_path, "t", {"hct": BLOOD["hc"], "hc": BLOOD["lbm"]})
    refusal = answer("mean haematocrit", both)
    assert isinstance(refusal, Unanswerable)
    assert "hct" in str(refusal) and "hc" in str(refusal).replace("hct", "")


def test_rcc_is_a_red_cell_count_when_a_number_and_a_carcinoma_when_a_flag(
    tmp_path: Path,
) -> None:
    counted = table(tmp_path / "n", "t", {"rcc": BLOOD["rcc"], "age": [40, 50, 60, 70, 80]})
    assert answer("mean red cell count", counted) == pytest.approx(statistics.mean(BLOOD["rcc"]))
    flags = [1, 0, 0, 1, 1]
    flagged = table(tmp_path / "f", "t", {"rcc": flags, "age": [40, 50, 60, 70, 80]})
    assert answer("how many patients with renal cell carcinoma", flagged) == sum(flags)
    assert isinstance(answer("mean red cell count", flagged), Unanswerable)


GUT: dict[str, list[Any]] = {
    "subject_id": [1, 2, 3, 4, 5, 6],
    "GE.Time": [3.1, 4.5, 2.9, 6.0, 3.3, 5.2],
    "WG.Time": [30.5, 48.0, 25.2, 70.1, 41.0, 55.5],
    "C.Time": [20.0, 30.2, 15.5, 50.0, 28.1, 40.4],
    "S.Mean.pH": [1.9, 2.5, 1.4, 3.0, 2.2, 1.7],
    "SB.Mean.pH": [6.8, 7.1, 6.5, 7.4, 6.9, 7.0],
    "pcBfat": [12.1, 20.5, 9.8, 25.0, 15.5, 18.2],
}


@pytest.mark.parametrize(
    ("question", "column"),
    [
        ("mean gastric emptying time", "GE.Time"),
        ("mean whole gut transit time", "WG.Time"),
        ("mean colonic transit time", "C.Time"),
        ("mean stomach ph", "S.Mean.pH"),  # the subject's mean, unsaid
        ("mean small bowel ph", "SB.Mean.pH"),
        ("mean small bowel mean ph", "SB.Mean.pH"),
        ("mean percent body fat", "pcBfat"),  # camel case, the percent first or last
        ("mean percentage body fat", "pcBfat"),
        ("mean body fat percentage", "pcBfat"),
    ],
)
def test_dotted_and_camel_case_headers_answer_to_their_words(
    tmp_path: Path, question: str, column: str
) -> None:
    ds = table(tmp_path, "capsule", GUT)
    assert answer(question, ds) == pytest.approx(statistics.mean(GUT[column]))


def test_ph_is_one_word_and_no_unit_of_hours(tmp_path: Path) -> None:
    """ "pH" split in camel case was a p and an h, the h read as hours: "time" then named
    the pH columns too. It names the time columns alone (two: refused naming them)."""
    refusal = answer("mean time", table(tmp_path, "capsule", GUT))
    assert isinstance(refusal, Unanswerable)
    assert refusal.choices == {"time": ["ge_time", "wg_time", "c_time"]}


def test_a_mean_is_unsaid_only_where_no_other_statistic_fits(tmp_path: Path) -> None:
    """Beside S.Max.pH, "stomach pH" could be the mean or the maximum: refused."""
    ph = {"S.Mean.pH": GUT["S.Mean.pH"], "S.Max.pH": [2.5, 3.1, 2.0, 3.9, 2.8, 2.1]}
    ds = table(tmp_path, "ph", ph)
    assert isinstance(answer("mean stomach ph", ds), Unanswerable)
    assert answer("mean stomach mean ph", ds) == pytest.approx(statistics.mean(GUT["S.Mean.pH"]))


def test_a_percent_abbreviation_is_only_a_piece_of_a_header(tmp_path: Path) -> None:
    ds = table(tmp_path, "t", {"pc": [1, 0, 1], "age": [40, 50, 60]})
    assert isinstance(answer("mean percent", ds), Unanswerable)
    assert isinstance(answer("mean percentage", ds), Unanswerable)


def test_a_unit_in_camel_case_stays_a_unit(tmp_path: Path) -> None:
    """ "SBP_mmHg" is a systolic pressure in mmHg, never an "hg" (haemoglobin)."""
    ds = table(tmp_path, "t", {"SBP_mmHg": [120, 135, 142], "age": [40, 50, 60]})
    assert isinstance(answer("mean haemoglobin", ds), Unanswerable)
    assert answer("mean sbp", ds) == pytest.approx(statistics.mean([120, 135, 142]))

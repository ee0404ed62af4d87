"""The words the question reader knows without looking at a dataset.

Only words live here; what they mean for a given dataset is the reader's business.
Every word a question may contain without changing its answer must be in
:data:`FILLER` — anything else that the reader cannot place refuses the question.
"""

from __future__ import annotations

# Clinical shorthand, both ways: a column named with either side answers to the other.
ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "bp": ("blood pressure",),
    "sbp": ("systolic blood pressure", "systolic bp", "systolic"),
    "dbp": ("diastolic blood pressure", "diastolic bp", "diastolic"),
    "hr": ("heart rate", "pulse"),
    "pulse": ("pulse rate", "heart rate"),
    "preop": ("preoperative", "pre operative"),
    "postop": ("postoperative", "post operative"),
    "fam": ("family",),
    "rep": ("reported", "self reported"),
    "rr": ("respiratory rate",),
    "bmi": ("body mass index",),
    "los": ("length of stay", "stay"),
    "dx": ("diagnosis",),
    "htn": ("hypertension",),
    "dm": ("diabetes", "diabetes mellitus"),
    "chf": ("congestive heart failure", "heart failure"),
    "hf": ("heart failure",),
    "copd": ("chronic obstructive pulmonary disease",),
    "hba1c": ("a1c", "glycated hemoglobin", "hemoglobin a1c", "glycated haemoglobin"),
    "a1c": ("hba1c",),
    "ldl": ("ldl cholesterol",),
    "hdl": ("hdl cholesterol",),
    "egfr": ("estimated gfr", "gfr"),
    "wt": ("weight",),
    "temp": ("temperature",),
    "spo2": ("oxygen saturation", "o2 sat", "sats"),
    "hgb": ("hemoglobin", "haemoglobin", "hb"),
    "hg": ("hemoglobin", "haemoglobin", "hb"),
    "wbc": ("white blood cells", "white cell count", "white blood cell count"),
    "wcc": ("white cell count", "white blood cell count", "white blood cells", "wbc"),
    "rbc": ("red blood cells", "red cell count", "red blood cell count"),
    "lbm": ("lean body mass",),
    "ssf": ("sum of skinfolds", "sum of skin folds"),
    "plt": ("platelets", "platelet count"),
    "chol": ("cholesterol",),
    "glu": ("glucose", "blood sugar"),
    "mi": ("myocardial infarction", "heart attack"),
    "afib": ("atrial fibrillation",),
    "ckd": ("chronic kidney disease",),
    "cad": ("coronary artery disease",),
    "icu": ("intensive care",),
    "tx": ("treatment",),
    "rx": ("treatment", "prescription"),
    "hx": ("history",),
    "dob": ("date of birth", "birth date"),
    "ga": ("gestational age",),
    "bw": ("birth weight", "birthweight"),
    "yrs": ("years",),
    "avg": ("average",),
    "grp": ("group",),
    "pt": ("patient",),
    "ecog": ("ecog score", "performance status"),
    "karno": ("karnofsky",),
    "cal": ("calories",),
    "dt": ("date",),
    "inst": ("institution",),
    "adm": ("admission",),
    "dur": ("duration",),
    "bili": ("bilirubin",),
    "trig": ("triglycerides", "triglyceride"),
    "tg": ("triglycerides", "triglyceride"),
    "alp": ("alkaline phosphatase", "alk phos"),
    "alk": ("alkaline",),
    "phos": ("phosphatase",),
    "ast": ("aspartate aminotransferase",),
    "alt": ("alanine aminotransferase",),
    "crp": ("c reactive protein",),
    "esr": ("erythrocyte sedimentation rate", "sed rate"),
    "hct": ("hematocrit", "haematocrit"),
    # Two measures, both read: a table holds one of them, and where it holds a column
    # named for each, the word fits both and is refused naming both.
    "hc": ("hematocrit", "haematocrit", "head circumference"),
    "bun": ("blood urea nitrogen", "urea"),
    "inr": ("international normalized ratio",),
    "protime": ("prothrombin time",),
    "lvef": ("ejection fraction",),
    "ef": ("ejection fraction",),
    "preg": ("pregnancies", "pregnancy"),
    "npreg": ("number of pregnancies", "pregnancies"),
    "sysbp": ("systolic blood pressure",),
    "diabp": ("diastolic blood pressure",),
    "psa": ("prostate specific antigen",),
    "vol": ("volume",),
    "bwt": ("birth weight", "birthweight"),
    "hb": ("hemoglobin", "haemoglobin"),
    "creat": ("creatinine",),
    "cesd": ("ces d", "depression score", "depression scale"),
    "phq": ("patient health questionnaire",),
    "gcs": ("glasgow coma scale", "glasgow coma score"),
    "kps": ("karnofsky performance status", "karnofsky score"),
    "mcs": ("mental component summary", "mental health composite", "mental health"),
    "pcs": ("physical component summary", "physical health composite", "physical health"),
    "gvhd": ("graft versus host disease", "graft vs host disease"),
    "aml": ("acute myeloid leukemia", "acute myeloid leukaemia", "acute myelogenous leukemia"),
    "cml": (
        "chronic myeloid leukemia",
        "chronic myeloid leukaemia",
        "chronic myelogenous leukemia",
    ),
    "cll": ("chronic lymphocytic leukemia", "chronic lymphocytic leukaemia"),
    "mds": ("myelodysplastic syndrome",),
    "nhl": ("non hodgkin lymphoma",),
    "cmv": ("cytomegalovirus",),
    "cva": ("stroke", "cerebrovascular accident"),
    "tia": ("transient ischemic attack", "transient ischaemic attack"),
    "dvt": ("deep vein thrombosis",),
    "fx": ("fracture",),
    "tat": ("turnaround time", "time"),
    "cig": ("cigarette",),
    "cigs": ("cigarettes",),
    "dept": ("department",),
    # Two words, both read, as "hc": a table holds one of them
    "resp": ("respiratory", "response"),
    "bf": ("breastfeeding", "breast feeding", "breastfed", "body fat"),
    "thru": ("through",),
    "hosp": ("hospital",),
    "pat": ("patient",),
    "inpt": ("inpatient",),
    "outpt": ("outpatient",),
    "amt": ("amount",),
    "chemo": ("chemotherapy",),
    "adj": ("adjuvant",),
    "mets": ("metastases",),
    "fu": ("follow up", "followup"),
    "freq": ("frequency",),
}
ABBREVIATIONS["preop"] += ("before surgery", "pre op")
ABBREVIATIONS["postop"] += ("after surgery", "post op")

# Shorthand with two clinical meanings: a header so named answers to the one reading its
# type allows (a number is a measure, a yes/no or category column a condition), and to
# neither where both fit; the shorthand in a question names every column named for either
# reading (two such columns: refused, naming both). Shorthand → {reading: measure|condition}.
AMBIGUOUS_ABBREVIATIONS: dict[str, dict[str, str]] = {
    "ht": {"height": "measure", "hypertension": "condition"},
    "cr": {"creatinine": "measure", "complete response": "condition"},
    "pe": {"pulmonary embolism": "condition", "pleural effusion": "condition"},
    "sx": {"symptoms": "condition", "surgery": "condition"},
    "rcc": {"red cell count": "measure", "renal cell carcinoma": "condition"},
}
# Shorthand that is also a common English word: a header so named answers to its
# expansion, but the word in a question is never read as the shorthand ("all patients").
HEADER_ONLY_ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "all": ("acute lymphoblastic leukemia", "acute lymphoblastic leukaemia"),
    "map": ("mean arterial pressure",),
    # consonant skeletons and household shorthand of published headers (hhninc)
    "hgt": ("height",),
    "wgt": ("weight",),
    "hh": ("household",),
    "tot": ("total",),
    # the same thing under either name
    "sex": ("gender",),
    "gender": ("sex",),
}
# A column named for one sex (a 0/1 ``female``, as survey files publish it) is the column
# of sex: "mean age by sex" groups by it (reader/header_shapes.py; never said of a value).
ONE_SEX_HEADERS = frozenset({"female", "male", "woman", "man", "sex_female", "sex_male"})
SEX_COLUMN_WORDS = ("sex", "gender")

# Shorthand read only as a piece of a longer header by the abbreviation aligner, never
# alone and never in a question: ``pc`` of pcBfat is "percent" ("pc" alone is as often
# a prostate cancer or a principal component).
PIECE_ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "pc": ("percent", "percentage"),
    "pct": ("percent", "percentage"),
    "perc": ("percent", "percentage"),
    # yschool, ydiag: "years of school", "years since diagnosis"
    "y": ("years", "year", "yrs", "yr"),
    # survey and registry shorthand run into longer headers (momage, docvis, glufast)
    "mth": ("mother",),
    "mom": ("mother",),
    "inc": ("income",),
    "educ": ("education",),
    "ins": ("insulin",),
    "rel": ("relative",),
    "vis": ("visits", "visit"),
    "doc": ("doctor",),
    "sch": ("school",),
    "mat": ("maternal", "mother"),
    "prev": ("previous", "prior", "prevalent"),
}
# Connecting words a run-together header writes as their initial: cigpday is
# "cigarettes per day".
CONNECTOR_INITIALS = frozenset({"per"})
# Adjectives that say the noun of a header's piece: "maternal age" is the mother's age.
RELATIONAL_ADJECTIVES: dict[str, str] = {
    "maternal": "mother",
    "paternal": "father",
    "renal": "kidney",
    "hepatic": "liver",
    "cardiac": "heart",
    "gastric": "stomach",
}
# A header's pieces a question may leave unsaid (reader/aligning.py): the last, where it
# only says what kind of thing the name is ("insulin" for instest), and the first, where
# it says whose or which total ("income" for hhninc). A reading leaving one unsaid is
# refused where another column's name holds the words said ("glucose" beside glufast).
UNSAID_LAST_PIECES = frozenset("test value score level".split())
UNSAID_FIRST_PIECES = frozenset("hh household tot total net".split())
# Words of a name that change what its head measures: a part of the name without one is
# no name of it ("weight" is no relwt, relative weight; nor "glucose" a glucose_change).
QUANTITY_MODIFIERS = frozenset(
    "relative rel change chg ratio log ln difference diff standardized standardised zscore".split()
)
# Words of a name that say where a measure was taken: they may stand for their initial
# in an initialism ("steady state plasma glucose" for sspg), though a question may
# otherwise leave them unsaid.
SPECIMEN_WORDS = frozenset("plasma serum blood urine".split())
# Words saying a percent: a name may say it first or last ("percent body fat", "body fat
# percentage").
PERCENT_PIECES = frozenset({"pc", "pct", "perc", "percent", "percentage"})
# A subject's mean inside a header (S.Mean.pH): the subject's value as a question names
# it ("stomach pH"), so a name may leave it unsaid where it stands between other words.
MEAN_PIECES = frozenset({"mean", "avg", "average"})
# Heads of a name a question may qualify with a word the header leaves unsaid, because
# the head means nothing else there: a gut's "time" is its "transit time" (WG.Time:
# "whole gut transit time"); a health record's count of visits, unqualified, counts
# visits to a doctor (numvisit: "doctor visits").
HEAD_QUALIFIERS: dict[str, tuple[str, ...]] = {
    "time": ("transit",),
    "visit": ("doctor", "physician"),
}

# A header's trailing period code (physically_active_7d, alcohol_30d, helmet_12m): the
# period a survey asks about, which a question leaves unsaid; a count of days in it is
# said in days ("physically active days"). Code letter → the unit a name may end with.
PERIOD_CODES: dict[str, tuple[str, ...]] = {"d": ("days",), "m": (), "mo": (), "w": (), "y": ()}

# Words that may stand between the words of a column's name as a question says it
# ("days to linkage" for dayslink, "time from receipt to verification").
NAME_CONNECTORS = frozenset({"of", "to", "from", "the", "until", "since", "at", "in"})
# Words that open a modifier which may follow the word it qualifies with no connector:
# "PSA before surgery" for a header preop_psa.
TRAILING_MODIFIERS = frozenset({"before", "after", "during"})
# Endings taken off (or rewritten) to find what a word and the words derived from it
# share (intubation, intubate; linkage, link; verification, verify; receipt, receive),
# longest first; see reader.words.stem_key.
DERIVATIONS: tuple[tuple[str, str], ...] = (
    ("ification", "if"),
    ("ization", ""),
    ("isation", ""),
    ("ception", "ceiv"),
    ("ission", "it"),
    ("ceipt", "ceiv"),
    ("ceive", "ceiv"),
    ("ation", ""),
    ("ition", ""),
    ("ment", ""),
    ("ance", ""),
    ("ence", ""),
    ("ify", "if"),
    ("ion", ""),
    ("age", ""),
    ("ure", ""),
    ("ity", ""),
    ("sis", "s"),
    ("ate", ""),
    ("ise", ""),
    ("ize", ""),
    ("al", ""),
    ("y", ""),
)

# Last words of a name that say what kind of thing it is, not which: part of the name
# counts with the word before them ("race" for race group, "ct" for ct value).
WEAK_HEADS = frozenset("value values group grp level score category cat type".split())

# Words for the people or things a row stands for: "how many patients" counts rows.
ROW_NOUNS = frozenset(
    """patient patients subject subjects participant participants person persons people
    individual individuals case cases record records row rows entry entries observation
    observations woman women mother mothers mom moms birth births baby babies infant infants
    newborn newborns child children admission admissions visit visits encounter encounters
    man men adult adults volunteer volunteers enrollee enrollees member members
    pregnancy pregnancies delivery deliveries respondent respondents those them
    pt pts subj subjs kid kids ones user users elderly student students pupil pupils
    athlete athletes player players stays episode episodes admits anyone anybody everyone
    everybody someone somebody""".split()
)
# Row nouns for people by a role they have, not as patients are: the rows only on a
# table whose rows are said to be them (``student_id``, athletes.csv); elsewhere a
# condition no column is known to hold (reader/checks.py).
ROLE_NOUNS = frozenset(
    """student students pupil pupils athlete athletes player players member members
    volunteer volunteers enrollee enrollees user users""".split()
)
# Row nouns that are events in a person's care, not people: on a table whose rows are
# patients, "visits" cannot be the rows (reader/rows.py), so it is what a count column
# counts ("the mean number of visits" beside numvisit), or it is refused.
EVENT_ROW_NOUNS = frozenset(
    """admission admissions admit admits visit visits encounter encounters stay stays
    episode episodes delivery deliveries pregnancy pregnancies birth births""".split()
)
# Row nouns that say nothing of what a row is ("record_id", "case_no").
GENERIC_ROW_NOUNS = frozenset("case record row entry observation obs item line".split())
# "the largest number of visits anyone reported", "the longest stay anybody had": after
# an indefinite pronoun, a verb that only says the rows' own value is the superlative's
# (read only where no column or value shares its stem: beside a self-reported column,
# "reported" may name it).
INDEFINITES = frozenset("anyone anybody someone somebody".split())
INDEFINITE_VERBS = frozenset("reported recorded had got gave stated".split())
# Between the rows and a superlative, verbs that only say the rows hold the measure
# ranked: "the three visits recorded the most days", "which people took the longest".
RANKING_VERBS = frozenset("recorded reported took take takes had has have showed".split())

# Row nouns that are people: "shortest" said of them is their height (reader/ranking.py).
# Plain words for the people a table is about, whoever its identifier names them
# ("patients" on a table keyed by subject_id); reader/visit_rows.py.
PLAIN_PEOPLE = frozenset(
    "patient subject participant person people individual pt pts subj subjs".split()
)
# "their first visit", "at the baseline visit": the visit-number column at 1.
FIRST_OCCASION = frozenset({"first", "1st", "initial", "baseline"})
PERSON_NOUNS = frozenset(
    """patient patients subject subjects participant participants person persons people
    individual individuals woman women man men mother mothers mom moms father fathers child
    children adult adults volunteer volunteers respondent respondents pt pts subj subjs
    kid kids student students athlete athletes female females male males girl girls boy
    boys member members enrollee enrollees""".split()
)
SHORTEST = frozenset({"shortest"})
COPULAS = frozenset({"is", "are", "was", "were"})
# What "shortest" may be of, said alone: a height, or a length of time.
SHORTEST_CONCEPTS = ("height", "duration")

# Row nouns that also say who the rows are: accepted as "the rows" only where the data
# says so (a maternity extract has only women), never as a silent "everyone".
FEMALE_NOUNS = frozenset("woman women mother mothers mom moms female females girl girls".split())
MALE_NOUNS = frozenset("man men father fathers male males boy boys".split())
FEMALE_MARKERS = frozenset(
    """pregnancy pregnancies pregnant gestation gestational mother mothers maternal parity
    gravida mom moms""".split()
)

# Row nouns that say the rows are babies, or children, or adults: accepted as "the rows"
# only where the data says so (a table about births; every age under 18, or 18 and
# over), never as a silent "everyone".
BABY_NOUNS = frozenset(
    "baby babies infant infants newborn newborns birth births delivery deliveries".split()
)
BIRTH_MARKERS = FEMALE_MARKERS | frozenset(
    "birth births birthweight baby babies infant infants newborn newborns neonatal apgar".split()
)
CHILD_NOUNS = frozenset("child children kid kids".split())
# Words of an age column's name that make it another person's than the row's
# ("mother_age" beside child_id): only such ages may be an adult's on a table of children.
PARENT_WORDS = frozenset(
    "mother mothers maternal mom moms father fathers paternal dad dads parent parents".split()
)
# More than any age in years: an age column with no unit whose largest value is past it
# is in months (or a smaller unit).
OLDEST_IN_YEARS = 130
ADULT_NOUNS = frozenset("adult adults".split())
# "The elderly": accepted only beside the ages it means ("aged 65 or over"); no age
# is assumed (65? 70? 80? guidelines differ, and a wrong cut is a wrong number).
ELDERLY_NOUNS = frozenset("elderly".split())
# Words that say a name is the file's ("in the bad_health data", "the file admissions",
# "bad_health.csv"): only beside one is the dataset's own name read as saying nothing.
FILE_NOUNS = frozenset("data dataset file table csv spreadsheet sheet extract export".split())
# Words between such a word and the name ("in the admissions data").
FILE_DETERMINERS = frozenset("the this our my".split())

# Values spoken in other words; each set is one meaning.
VALUE_SYNONYMS: list[frozenset[str]] = [
    frozenset("f female females woman women girl girls".split()),
    frozenset("m male males man men boy boys".split()),
    frozenset("dead died death deaths deceased die dies dying".split()),
    frozenset("alive survived survivor survivors living survive".split()),
    frozenset("yes y true".split()),
    frozenset("no n false".split()),
]

# Sets of values that mean each other's negation ("survived" is "not died").
# Female and male too: a yes/no column named female is 0 for the men (binary coding,
# as such a column records), and "men" is read as female = 0, shown in the reading.
OPPOSITES: list[tuple[int, int]] = [(0, 1), (2, 3), (4, 5)]

# Words that never change an answer (questions are read lower-cased). No participle,
# adjective or noun that could name a condition belongs here ("treated", "currently",
# "those"): such a word is read, or the question refused. And a word here that shares
# its stem with a dataset's column or value ("group" beside an age_group column) is no
# filler for that dataset: the reader refuses it there (see reader.Vocabulary).
FILLER = frozenset(
    """what whats is are was were be been being the a an of for to with among in on at
    there do does did have has had please me tell give find calculate compute get show
    our my this that all overall value values data dataset table file
    who which whom whose it its i we want know can you could would
    like let us how much many s any also just only respectively
    overall group groups category categories cohort sample population
    here in_total amount level levels score scores result results figure
    kindly about now instead then where status plasma serum concentration
    concentrations when see take takes split""".split()
)

# Phrases that never change an answer, as FILLER (and, like it, not where the dataset
# has a column or value sharing the stem of one of their words).
FILLER_PHRASES = (
    "in total",
    "altogether",
    "in all",
    "all told",
    "overall",
    "all together",
    "the data",
    "in the data",
    "in the dataset",
    "in this dataset",
    "the number",
    "what about",
    "how about",
    "and what about",
    "during pregnancy",
    "break down",
    "kind of",
    "kinds of",
    "on record",
    "ever recorded",
    "type of",
    "types of",
    "how strongly",
    "how strong",
    "in the study",
    "in this study",
    "in our study",
    "in the trial",
    "in this trial",
    "whole cohort",
    "the whole cohort",
    "over all",
    "across all",
    "what if",
    "look at",
    "looking at",
    "same question",
    "repeat",
    # "redo that for men", "repeat the analysis for men", "the corresponding figure for
    # men": the previous question, said as a whole (a follow-up: reader/follow_ups.py)
    "redo",
    "redo that",
    "redo it",
    "redo this",
    "do that again",
    "do it again",
    "the analysis",
    "the same analysis",
    "that analysis",
    "this analysis",
    "the calculation",
    "the same calculation",
    "that calculation",
    "the corresponding value",
    "the corresponding figure",
    "the corresponding number",
    "the equivalent value",
    "the equivalent figure",
    "the equivalent number",
    "restrict the analysis to",
    "repeat that",
    # "now restrict that to men": the rows kept are the condition after it
    "restrict that to",
    "restrict it to",
    "restrict this to",
    "restricted to",
    # "restricting to visit 4, what is …": as "restricted to", the condition after it
    "restricting to",
    "restricting it to",
    "restricting this to",
    "restricting that to",
    "restricting the analysis to",
    "restrict to",
    "limit that to",
    "limit it to",
    "limit this to",
    "limited to",
    "narrow that down to",
    "narrow it down to",
    # … and with nothing between ("restrict to patients over 60")
    "restrict to",
    "limit to",
    "narrow down to",
    "appear in the data",
    "appears in the data",
    "appear in the dataset",
    # "how many distinct years appear in the breastfeeding data": said of the file (its
    # name then a word for a file, or the word alone)
    "appear in the",
    "appears in the",
    "appear in our",
    "appear in this",
    "data set",
    "the data set",
    "in the data set",
    "in this data set",
    "in our data set",
    "are represented",
    "is represented",
    "represented in the data",
    "expressed in",
    "expressed as",
    "if we",
    "come from",
    "came from",
    "play",
    "plays",
    "column",
    "the column",
    # "the centred age variable": a column said as a variable, as "the age column"
    "variable",
    "the variable",
    # "how many people fall into each combination of A and B": the rows of each group (or
    # of the value after it, which is read as the condition)
    "fall into",
    "falls into",
    "fell into",
    # "how much does the number of visits vary from person to person": every row
    "from person to person",
    "from one person to another",
    # "how many women took part in the study": the whole file, as "in the study"
    *(
        f"{verb} {place}"
        for verb in ("took part", "take part", "taking part", "participated", "participating")
        for place in ("in the study", "in this study", "in the trial", "in this trial")
    ),
    # "how many person-years of follow-up does the study have", "… does the cohort
    # contribute": the whole file said as the study's (its rows, every one of them)
    *(
        f"{aux} {whole} {verb}"
        for aux in ("does", "did", "do")
        for whole in ("the study", "this study", "the trial", "this trial", "the cohort")
        for verb in ("have", "contribute", "include", "accrue")
    ),
)

# Participles that say what happened to the rows: "babies born to smokers", "patients
# admitted in 2024". Each is read as true of every row only where the data says so (a
# column or the dataset named for the same thing, e.g. admission_date, "births"), and
# the question is refused where the data could make it a condition (a treatment
# column, a "diagnosed" flag) or says nothing about it. Word → the stems naming it.
PARTICIPLES: dict[str, tuple[str, ...]] = {
    "born": ("birth", "born"),
    "admitted": ("admission", "admit"),
    "diagnosed": ("diagnosis", "diagnose", "dx"),
    "treated": ("treatment", "treat", "tx", "rx"),
    "enrolled": ("enrollment", "enrolment", "enrol"),
    "seen": ("seen", "visit"),
    "hospitalized": ("hospitalization", "hospitalisation", "hospital"),
    "hospitalised": ("hospitalization", "hospitalisation", "hospital"),
    "discharged": ("discharge",),
    "registered": ("registration", "register"),
    "collected": ("collection", "collect"),
    "tested": ("test", "testing"),
    # a noun of the same kind: "female recipients" are the women who received the
    # transplant (or graft) the data is about; beside a transplant yes/no, refused
    "recipients": ("recipient", "transplant", "transplantation", "graft"),
    "recipient": ("recipient", "transplant", "transplantation", "graft"),
}

# "I" the speaker, beside a value "I" (stage I): the pronoun after these words ("can I
# see", "what I need") or before these ("I want", "I'd like"); the value right after its
# column's name ("stage I"); anywhere else the question is refused, never guessed.
PRONOUN_BEFORE = frozenset("can could may might would should shall will do did what if".split())
PRONOUN_AFTER = frozenset(
    """want wanted need needed would d like see get have am m wonder think know ask mean
    find check look""".split()
)

# Values that are also common English words (a country "US", a month "May", a group
# "other"): read as the value only where the question says so (reader/word_values.py).
WORD_VALUES = frozenset(
    "us we me it may can will might must shall other others all any some each every".split()
)
ARTICLE_WORDS = frozenset({"the", "a", "an"})
# Prepositions after which such a word is a value ("in the US", "since May").
VALUE_PREPOSITIONS = frozenset(
    "in from during within since until till before after at to into".split()
)
# The articles, where the data has a value "A" or "An" (reader/articles.py), and the
# words that take one before what it introduces ("with a limitation", "had a fall").
ARTICLES = frozenset({"a", "an"})
ARTICLE_TAKERS = frozenset(
    """have has had having with without is was are were be been of for report reports
    reported got get gets getting showed show shows""".split()
)
# Words that point back to an earlier answer's rows: refused without one to point to.
ANAPHORA = frozenset("those them they these their theirs same".split())
# The other group of a comparison said without naming it ("smokers vs. the rest"):
# the rows of the first group's flag without it (reader/complements.py).
COMPLEMENTS = frozenset(
    {
        "the rest",
        "all the rest",
        "the others",
        "all the others",
        "all others",
        "everyone else",
        "everybody else",
        "the remainder",
    }
)
# "those who do not", "the ones that didn't", "those without": a clause that negates the
# first group's condition with nothing after it.
RELATIVES = frozenset({"who", "that", "which", "whose"})
# "those who …", "the ones with …" in a comparison: the rows the clause after describes.
DEMONSTRATIVES = frozenset({"those", "ones"})
# Asked afresh, "those" before these is no pointer back but the rows the words after it
# describe ("the sd of age among those with acute GVHD", "those aged over 60").
POSTMODIFIERS = frozenset(
    "with without aged over under above below older younger in on from having".split()
)
# A verb said negatively ("did not", "doesn't": the apostrophe is a space by then).
NEGATED_VERBS = (
    "did not",
    "do not",
    "does not",
    "was not",
    "were not",
    "is not",
    "are not",
    "has not",
    "have not",
    "had not",
    "didn t",
    "don t",
    "doesn t",
    "wasn t",
    "weren t",
    "isn t",
    "aren t",
    "hasn t",
    "haven t",
    "hadn t",
)
NEGATED_CLAUSES = frozenset({"not", "without", *NEGATED_VERBS})
# Words that look like filler but are dangerous to ignore: never filler.
NEVER_FILLER = frozenset("not no without except excluding or nor but neither".split())

MONTHS = {
    name: i + 1
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ]
    )
    for name in names
}

NUMBER_WORDS = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen"
        " fourteen fifteen sixteen seventeen eighteen nineteen twenty".split()
    )
}
NUMBER_WORDS |= {"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70}
NUMBER_WORDS |= {"eighty": 80, "ninety": 90, "hundred": 100, "single": 1}

ORDINALS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "tenth": 10,
}

# Units that may follow a number or a measure. Never ignored: the reader converts a
# value or an answer between units of one kind exactly, or refuses (appliance/analytics/
# units.py); a name's trailing unit (birth_weight_g) is also dropped to speak of it.
UNITS = frozenset(
    """years year yrs yr y old months month mo mos weeks week wks days day hours hour kg
    kgs kilograms kilogram kilos g gm grams gram lb lbs pounds pound cm mm mmhg mg dl l ml
    percent units unit bpm inch inches meter meters metre metres centimeters centimetres
    millimeters millimetres""".split()
)

# Events said with a verb whose count a column may keep: "saw a doctor" is a doctor
# visit (pattern of the verb phrase → the count's noun, as a column answers to it). Read
# with a frequency only (HOW_OFTEN), by reader/said_counts.py.
COUNTED_EVENTS: dict[str, str] = {
    r"(?:saw|seen|see|sees|visited|consulted)(?: an?| the| their| his| her)?"
    r" (?:doctor|physician|gp)s?": "doctor visits",
}
# How often, after such a verb: "at least once" is a count of at least 1 (pattern →
# the comparison it says, with the pattern's number where it has one).
HOW_OFTEN: tuple[tuple[str, str], ...] = (
    (r"at least once|once or more|one or more times", "at least 1"),
    (r"more than once", "more than 1"),
    (r"at least twice|twice or more|two or more times", "at least 2"),
    (r"at least (?P<n>\d+) times", r"at least \g<n>"),
    (r"(?P<n>\d+) or more times", r"at least \g<n>"),
)
# What people type for a word, rewritten before a question is split into words
# (pattern → replacement, in order): "w/o" is "without", "≥" is ">=", "p90" is "90th
# percentile".
TYPED: tuple[tuple[str, str], ...] = (
    (r"\bw/o\b", " without "),
    (r"\bw/", " with "),
    (r"\by/o\b", " years old "),
    (r"\bf/u\b", " follow up "),  # clinical shorthand: follow-up
    # ... typed without its slash ("median fu time"), never the drug "5-FU" (fluorouracil)
    (r"(?<![\d-])(?<!\d )\bfu\b", " follow up "),
    # "pts > 60 yo": years old, right after an age
    (r"(?<=\d)\s*yo\b", " years old "),
    ("\u2265", " >= "),
    ("\u2264", " <= "),
    (r"\bp([1-9][0-9]?)\b", r" \1th percentile "),
    (r"\b(?:person|patient)[- ]?years?\b", " total years "),  # person-years: time, summed
    # "how much higher is the risk of dying for A compared with B, as a hazard ratio":
    # asked as a hazard ratio, the risk compared is the hazard (a ratio either way round)
    (
        r"\bhow much (?:higher|greater|larger|bigger|lower|smaller) (?:is|are|was|were) the"
        r" (?:risk|hazard)(?= of\b.*\bhazard ratios?\b)",
        " the hazard ",
    ),
    # "the typical (median) stay": the word in parentheses says which typical value
    (r"\b(?:typical|usual|average)\s*\(\s*(median|mean|average)\s*\)", r" \1 "),
    # "the spread (SD) of sbp": the spread said in parentheses is which spread
    (
        r"\b(?:spread|variability|variation|dispersion)\s*\(\s*(standard deviation|std dev|sd"
        r"|iqr|interquartile range)\s*\)",
        r" \1 ",
    ),
    # "how strongly is X related to Y": the strength of a relation asked for is a
    # correlation ("related" on its own is never read: it names no statistic)
    (
        r"\bhow (?:strongly|closely) ((?:is|are|was|were) [^?.;]{1,80}?)"
        r"\b(?:related|associated|linked)\b",
        r" how strongly \1 correlated ",
    ),
    # a command opening the question: "Report the standard deviation of age" ("report"
    # elsewhere may be a self-report column's word, and is read there)
    (r"^\s*(?:please\s+)?(?:report|state|provide)\s+(?=the\b|an?\b)", " "),
    # "break down A against B as counts": the counts asked for
    (r"\bas (?:counts|frequencies)\b", " counts "),
    # "below what X do 75% of people fall": the 75th percentile of X
    (
        r"\bbelow what ([a-z][a-z ,-]{0,40}?),? do (\d{1,2}) ?(?:%|percent|per cent) of"
        r" (?:the )?(?:[a-z]+ )?(?:fall|lie|are|score)\b",
        r" \2th percentile of \1 ",
    ),
    # ... "(the 75th percentile)" after it says the same percentile again
    (r"(\b(\d{1,2})th percentile of [^()]*)\(\s*(?:the\s+)?\2th percentile\s*\)", r"\1 "),
    (
        r"\bhow (?:strong|close) is the (?:relationship|relation|association|link) between\b",
        " correlation between ",
    ),
    # "how strongly do X and Y go together": the strength of going together asked for is
    # a correlation, as "how strongly are X and Y related"
    (
        r"\bhow (?:strongly|closely|well) (?:do|does|did) ([^?.;]{1,80}?) go together\b",
        r" how strongly are \1 correlated ",
    ),
    # "how spread out are the ages? give me the standard deviation", "how much do the
    # ages vary? ...": a spread in plain words is the spread statistic the question also
    # names (alone, it could be a standard deviation, an IQR or a range: left unread)
    (
        r"\bhow much (?:do|does|did) ([^?.;]{1,80}?) (?:vary|differ)\b"
        r"(?=.*\b(?:standard deviation|std dev|sd|iqr|interquartile range)\b)",
        r" \1 ",
    ),
    (
        r"\bhow (?:spread out|variable|dispersed) (?:is|are|was|were) ([^?.;()]{1,80}?)"
        r"(?=\s*[?.;].*\b(?:standard deviation|std dev|sd|iqr|interquartile range)\b"
        # ... or the spread named in parentheses right after ("how spread out are the
        # ages (IQR)?")
        r"|\s*\(\s*(?:standard deviation|std dev|sd|iqr|interquartile range)\s*\))",
        r" \1 ",
    ),
    (r"\bi'd like\b", " i would like "),
    # "corr btw age and bmi": typed shorthand for "between", read so only where an "and"
    # follows (else "btw" is "by the way", and left unread)
    (r"\bbtw\b(?=[^?.;]{1,80}\band\b)", " between "),
    # A follow-up's openings (reader/follow_ups.py): "ok, and the median?", "thanks - now by
    # sex": a word of assent opening the question, then punctuation or a follow-up's
    # opening word, is no part of it ...
    (
        r"^\s*(?:ok|okay|great|thanks|thank you|cool|perfect|got it|alright|all right)"
        r"(?:\s*[,.!;:-]+\s*|\s+(?=(?:and|now|what|how|only|also|same|then|can|could|so)\b))",
        " ",
    ),
    # ... "same but for men", "but only smokers": "but" opening a follow-up is its "and"
    (r"^\s*(?:the\s+)?same\s+but\b", " same "),
    (r"^\s*but\b", " and "),
    # "ditto for men", "same thing for men", "same again for men": the same question
    (r"^\s*ditto\b", " same "),
    (r"\bsame (?:thing|again)\b", " same "),
)
# The same, where the letters' case says it ("OR of death" is an odds ratio, "or" is not).
# "OR bad health per extra visit": a capital OR opening a question is no conjunction.
TYPED_CASED: tuple[tuple[str, str], ...] = (
    (r"\bORs?\b(?= of\b)", " odds ratio "),
    (r"^\s*ORs?\b(?=\s+\w)", " odds ratio "),
)

# Verbs and prepositions that only lead to a value which says the condition itself:
# "respondents from London", "patients who got the Pentax", "randomized to placebo",
# "on indomethacin". Read only right before a value that became a filter; else refused.
LEAD_INS = frozenset(
    """from got get gets getting received receiving given on randomized randomised
    assigned allocated developed develop developing experienced suffered using
    transfused administered having""".split()
) | {"came back", "come back", "comes back", "coming back", "turned out", "tested", "testing"}
# "those living in London": where the rows live, before the value that says it.
LEAD_INS |= {"living in", "live in", "lives in", "resident in", "residing in"}
# "admissions that ended in death", "came in as emergencies", "showed marked improvement":
# a verb whose condition is the value (or yes/no column) right after it, and nothing else.
LEAD_INS |= {"ended in", "end in", "ends in", "ending in", "came in as", "come in as"}
LEAD_INS |= {"showed", "showing", "shown"}
# "visits rated as poor", "people who rated their health as poor": a value said with "as"
# after a verb of rating, which says the condition itself.
LEAD_INS |= {"rated as", "was rated as", "were rated as", "rate as", "rates as"}
# "ethnicity recorded as Missing", "sex coded as F": a value said with "as" after a verb
# of recording, which says the value itself (the column's own value, never a new one).
LEAD_INS |= {
    f"{verb} as" for verb in ("recorded", "coded", "listed", "entered", "documented", "marked")
}
# Verbs that link the rows to a value (or a column said with its value) and say nothing
# else: "patients who underwent CABG", "stays that belonged to HMO members", "students
# who never wear a helmet", "people covered by X", "respondents who reported no
# illnesses". Read as LEAD_INS are (only beside the condition they lead to). Never a
# verb that could flip or narrow the meaning ("refused", "declined", "stopped",
# "missed", "lacked", "avoided", "failed"): such a verb is left unread, and refuses.
LINKING_VERBS = frozenset(
    """underwent undergo undergoes undergoing undergone wear wears wore wearing
    belonged belong belongs belonging reported reporting report reports""".split()
) | {"belonged to", "belong to", "belongs to", "belonging to", "covered by"}
LEAD_INS |= LINKING_VERBS
# Verbs of taking something in, which say that the row has the yes/no column or value
# right after them and nothing else: "mothers who drank alcohol", "patients who took
# aspirin", "used statins", "consumed alcohol" (reader/yes_no.py). Read as LEAD_INS are.
TAKING_VERBS = frozenset(
    """took take takes taking drank drink drinks drinking drunk used use uses consumed
    consume consumes consuming""".split()
)
LEAD_INS |= TAKING_VERBS - FILLER  # "does race take": a filler word where nothing follows

# What a fit is asked to give at given values (reader/prepositions.py: "at zero X").
PREDICTIONS = frozenset({"prediction", "probability"})
# A column of procedures, by a word of its name or label: "after a CABG" is the rows
# whose procedure is CABG (reader/prepositions.py).
PROCEDURE_WORDS = frozenset(
    """procedure procedures surgery surgeries operation operations intervention
    interventions treatment treatments therapy transplant transplantation""".split()
)

# "tests from children under 18", "samples from patients": between two row nouns, "from"
# says whose rows they are, as "of" does.
FROM_PEOPLE = frozenset({"from"})
# Verbs after a yes/no column that say its event happened: "patients whose CMV came
# back" is the column's yes; "… did not come back" its no.
HAPPENED = frozenset({"came back", "come back", "comes back", "coming back"})
# Verbs after an amount that say it was given: "the blood units given", "doses received".
# Read only right after a numeric column, and only where no column or value of the
# dataset shares the word's stem (there it could be a condition).
GIVEN = frozenset({"given", "received", "administered", "transfused"})

# Adjectives that say a column is the one measured, not reported: read before a column
# whose name says neither "reported" nor "self" ("measured weight" beside repwt).
MEASURED = frozenset({"measured", "observed"})
REPORTED = frozenset({"reported", "self", "rep", "reports", "report"})

# Names of a column that holds the treatment arms of a trial; where exactly one column is
# so named, ARM_WORDS name it (and, for a yes/no column, its two arms).
ARM_COLUMNS = frozenset(
    """treat treatment trt tx rx arm randomization randomisation randomized randomised
    allocation assignment""".split()
)
ARM_WORDS = (
    "arm",
    "arms",
    "treatment arm",
    "study arm",
    "trial arm",
    "randomization arm",
    "randomisation arm",
    "randomized arm",
    "treatment group",
    "treatment groups",
    "allocated arm",
    "group",
    "groups",
    "treatment",
    "treatments",
)
ARM_YES = ("treatment group", "treatment arm", "treated group", "intervention group", "treatment")
ARM_NO = ("control group", "control arm", "controls", "control", "untreated")

# Statistics clipped as people type them: read so only where no word of the dataset
# begins with them ("med" beside a medication column is no median).
CLIPPED = frozenset({"med", "corr", "diff", "prob", "reg", "pct"})

# Units of time a name may end with ("stay_days", "collect_to_receive_h").
TIME_UNITS = frozenset(
    "h hr hrs hours hour min mins minutes days day d weeks wks months mo".split()
)

# Statistic phrases → statistic (longest phrases win when the reader matches).
STATISTICS: dict[str, str] = {
    "how many": "count",
    "number of": "count",
    "the number of": "count",
    "the total number of": "count",
    "count": "count",
    "count of": "count",
    "total number of": "count",
    "counts": "count",
    # "break down sex against race as counts": how a table's cells are to be shown
    "as counts": "count",
    "as a count": "count",
    "in counts": "count",
    # "cross-tabulate A against B, counting visits": what each cell counts (the rows;
    # on a table of visits, "counting patients" is no count of rows and is refused)
    "counting": "count",
    "n": "count",
    "no of": "count",
    "nr of": "count",
    "num of": "count",
    "#": "count",
    "# of": "count",
    "how many distinct": "count_distinct",
    "how many different": "count_distinct",
    "how many unique": "count_distinct",
    "number of distinct": "count_distinct",
    "number of different": "count_distinct",
    "number of unique": "count_distinct",
    "count distinct": "count_distinct",
    "count of distinct": "count_distinct",
    "distinct count of": "count_distinct",
    "distinct": "count_distinct",
    "unique": "count_distinct",
    "sum": "sum",
    "sum of": "sum",
    "total": "sum",
    "combined": "sum",
    "add up": "sum",
    "if we add up": "sum",
    "adding up": "sum",
    "summed over": "sum",
    # "the total follow-up time, summed across all patients", "if you add up the ages":
    # a sum said with a verb (and what it runs over is the rows, read as they are)
    "summed across": "sum",
    "summed": "sum",
    "summed up": "sum",
    "added up": "sum",
    "if you add up": "sum",
    "med": "median",
    "average": "mean",
    "mean": "mean",
    "avg": "mean",
    "on average": "mean",
    "arithmetic mean": "mean",
    "median": "median",
    "middle value": "median",
    "minimum": "min",
    "min": "min",
    "lowest": "min",
    "smallest": "min",
    "least": "min",
    "maximum": "max",
    "max": "max",
    "highest": "max",
    "largest": "max",
    "greatest": "max",
    "biggest": "max",
    "standard deviation": "stddev",
    "std dev": "stddev",
    "sample standard deviation": "stddev",
    "sample sd": "stddev",
    "std deviation": "stddev",
    "stdev": "stddev",
    "std": "stddev",
    "sd": "stddev",
    "percentile": "percentile",
    "centile": "percentile",
    "pctile": "percentile",
    "quartile": "percentile",
    "upper quartile": "percentile",
    "lower quartile": "percentile",
    "first quartile": "percentile",
    "third quartile": "percentile",
    "1st quartile": "percentile",
    "3rd quartile": "percentile",
    "as a percentage": "percentage",
    "as a percent": "percentage",
    "in percent": "percentage",
    "how many categories of": "count_distinct",
    "how many kinds of": "count_distinct",
    "how many types of": "count_distinct",
    "how many levels of": "count_distinct",
    "how many values of": "count_distinct",
    "how many distinct values of": "count_distinct",
    "how many different values of": "count_distinct",
    # "how many different answers are there for X", "how many distinct codes of X": the
    # values a column takes, said as what a survey or a registry records
    "how many different answers": "count_distinct",
    "how many distinct answers": "count_distinct",
    "how many different responses": "count_distinct",
    "how many distinct responses": "count_distinct",
    "how many different codes": "count_distinct",
    "how many distinct codes": "count_distinct",
    "how many different values": "count_distinct",
    "how many distinct values": "count_distinct",
    "how many distinct values does": "count_distinct",
    "how many different values does": "count_distinct",
    "number of categories of": "count_distinct",
    "iqr": "iqr",
    "interquartile range": "iqr",
    "inter quartile range": "iqr",
    "percentage": "percentage",
    "percent": "percentage",
    "per cent": "percentage",
    "%": "percentage",
    "pct": "percentage",  # typed shorthand; clipped (CLIPPED)
    "proportion": "percentage",
    "share": "percentage",
    "fraction": "percentage",
    "rate": "percentage",
    "mortality": "percentage",
    "mortality rate": "percentage",
    "death rate": "percentage",
    "case fatality rate": "percentage",
    "prevalence": "percentage",
    "difference": "difference",
    "difference in": "difference",
    "differ": "difference",
    "differ by": "difference",
    "diff": "difference",
    "diff in": "difference",
    "crosstab": "crosstab",
    "cross tabulation of": "crosstab",
    "two way table": "crosstab",
    "two way table of": "crosstab",
    "cross tab": "crosstab",
    "cross tabulation": "crosstab",
    "cross tabulate": "crosstab",
    "crosstabulation": "crosstab",
    "contingency table": "crosstab",
    "correlation": "correlation",
    "correlation coefficient": "correlation",
    "correlated": "correlation",
    "correlate": "correlation",
    "pearson": "correlation",
    "pearson correlation": "correlation",
    "pearson correlation coefficient": "correlation",
    "pearson s correlation": "correlation",
    "pearson r": "correlation",
    "corr": "correlation",
    "spearman": "spearman",
    "spearman correlation": "spearman",
    "spearman correlation coefficient": "spearman",
    "rank correlation": "spearman",
    "spearman rank correlation": "spearman",
    "slope": "slope",
    "regression slope": "slope",
    "intercept": "intercept",
    "r squared": "r2",
    "r2": "r2",
    "coefficient of determination": "r2",
    "linear regression": "slope",
    "regression": "slope",
    "regress": "slope",
    "regressed": "slope",  # "the slope of Y regressed on X": Y on X, as "regress Y on X"
    "least squares": "slope",
    "linear fit": "slope",
    "line": "slope",
    "predict": "prediction",
    "predicted": "prediction",
    "prediction": "prediction",
    "expected": "prediction",
    "expect": "prediction",
    "would we expect": "prediction",
    "would you expect": "prediction",
    "would be expected": "prediction",
    # "where does the line cross zero globulin": its value there, a prediction
    "where does it cross": "prediction",
    "where does the line cross": "prediction",
    "logistic regression": "logistic",
    "logistic": "logistic",
    "logistic model": "logistic",
    "according to a logistic model": "logistic",
    "according to a logistic regression": "logistic",
    "lin reg": "slope",
    # typed shorthand: "logistic reg of death on age", "reg of sbp on age" ("reg" clipped,
    # read so only where no word of the dataset begins with it: see CLIPPED)
    "logistic reg": "logistic",
    "log reg": "logistic",
    "reg": "slope",
    "linear reg": "slope",
    "fit": "slope",
    "from a logistic regression": "logistic",
    "from a logistic model": "logistic",
    "based on a logistic regression": "logistic",
    "from a linear regression": "slope",
    "based on a linear regression": "slope",
    "based on a linear regression of": "slope",
    "from a straight line fit": "slope",
    # "Using a straight-line fit of y on x, …": the model, named first
    "using a straight line fit": "slope",
    "using a linear fit": "slope",
    "using a linear regression": "slope",
    "using linear regression": "slope",
    "using a least squares line": "slope",
    "using a logistic regression": "logistic",
    "using logistic regression": "logistic",
    "using a logistic model": "logistic",
    "straight line fit": "slope",
    "straight line": "slope",
    "fit a straight line": "slope",
    "draw a straight line": "slope",
    "fitting a straight line": "slope",
    "fitting a linear regression": "slope",
    "fitting a logistic regression": "logistic",
    "estimated probability": "probability",
    "ols": "slope",
    "ols slope": "slope",
    "odds ratio": "odds_ratio",
    "estimated odds ratio": "odds_ratio",
    "as an odds ratio": "odds_ratio",
    "as odds ratios": "odds_ratio",
    "by what factor do the odds of": "odds_ratio",
    "odds ratios": "odds_ratio",
    "odds": "odds_ratio",
    "probability": "probability",
    "predicted probability": "probability",
    "chance": "probability",
    "chances": "probability",
    "prob": "probability",
    "likelihood": "probability",
    "list": "list",
    "list all": "list",
    "name": "list",  # "name the 3 oldest patients"
    "return": "list",
    "show me": "list",
    "which": "which",
    "who": "which",
    "top": "top",
    "bottom": "bottom",
}

# Superlatives: (direction, the kind of column they imply, or None for the one named).
SUPERLATIVES: dict[str, tuple[str, str | None]] = {
    "highest": ("desc", None),
    "largest": ("desc", None),
    "biggest": ("desc", None),
    "greatest": ("desc", None),
    "most": ("desc", None),
    "lowest": ("asc", None),
    "smallest": ("asc", None),
    "least": ("asc", None),
    "heaviest": ("desc", "weight"),
    "lightest": ("asc", "weight"),
    "oldest": ("desc", "age"),
    "youngest": ("asc", "age"),
    "tallest": ("desc", "height"),
    "longest": ("desc", "duration"),
    "eldest": ("desc", "age"),
    "shortest": ("asc", None),
    "soonest": ("asc", "follow-up"),
}
# "which patient died soonest": the shortest follow-up time among the rows of its event,
# only where one column pairs with an event column the question names (reader/framing.py).
FOLLOW_UP_CONCEPT = "follow-up"

# Comparatives: the difference they ask about, and the kind of column they imply.
COMPARATIVES: dict[str, tuple[int, str | None]] = {
    "higher": (1, None),
    "greater": (1, None),
    "larger": (1, None),
    "bigger": (1, None),
    "more": (1, None),
    "lower": (-1, None),
    "smaller": (-1, None),
    "less": (-1, None),
    "fewer": (-1, None),
    "heavier": (1, "weight"),
    "lighter": (-1, "weight"),
    "older": (1, "age"),
    "younger": (-1, "age"),
    "taller": (1, "height"),
    "longer": (1, "duration"),
}

# The kinds of column a word implies, and the words that name such a column.
CONCEPTS: dict[str, tuple[str, ...]] = {
    "age": ("age", "aged", "age years"),
    "weight": ("weight", "wt", "birth weight", "birthweight", "bw", "weight kg", "weight lb"),
    "height": ("height", "ht"),
    "duration": ("length of stay", "los", "stay", "duration", "time", "survival time"),
}

# A table's follow-up time said as clinicians say it: the time column of its one
# time-to-event pair ("f/u" and "follow-up" are read as "follow up" first).
FOLLOW_UP_TIME = (
    "follow up",
    "follow up time",
    "follow up duration",
    "length of follow up",
    "duration of follow up",
    "time of follow up",
    "time on study",
    "time in study",
    "time on the study",
    "time in the study",
)

# Verbs that name a kind of column: "babies who weighed less than 6 pounds".
CONCEPT_VERBS: dict[str, str] = {
    "weighed": "weight",
    "weighing": "weight",
    "weighs": "weight",
    "weigh": "weight",
    "stayed": "duration",
}
# "How" and the adjective of a measure ask for that measure: "on average, how tall are
# the players" is the mean height, "how heavy is the heaviest" the largest weight.
CONCEPT_QUESTIONS: dict[str, str] = {
    "how tall": "height",
    "how heavy": "weight",
    "how old": "age",
    "how long": "duration",
    "hospital stay": "duration",
    "stay in hospital": "duration",
    "stayed in hospital": "duration",
    "spend in hospital": "duration",
    "spent in hospital": "duration",
    "days in hospital": "duration",
}

# Comparison words before a number: (phrase → operator).
COMPARISONS: dict[str, str] = {
    "over": ">",
    "above": ">",
    "more than": ">",
    "greater than": ">",
    "higher than": ">",
    "larger than": ">",
    "bigger than": ">",
    "exceeding": ">",
    "older than": ">",
    "heavier than": ">",
    "longer than": ">",
    "taller than": ">",
    "past": ">",
    ">": ">",
    "at least": ">=",
    "no less than": ">=",
    "not less than": ">=",
    "minimum of": ">=",
    "a minimum of": ">=",
    "greater than or equal to": ">=",
    "more than or equal to": ">=",
    ">=": ">=",
    "under": "<",
    "below": "<",
    "less than": "<",
    "fewer than": "<",
    "lower than": "<",
    "smaller than": "<",
    "younger than": "<",
    "lighter than": "<",
    "shorter than": "<",
    "<": "<",
    "at most": "<=",
    "no more than": "<=",
    "not more than": "<=",
    "up to": "<=",
    "maximum of": "<=",
    "a maximum of": "<=",
    "less than or equal to": "<=",
    "<=": "<=",
    "=": "=",
    "==": "=",
    "equal to": "=",
    "equals": "=",
    "exactly": "=",
    "!=": "!=",
    "<>": "!=",
    "not equal to": "!=",
    "other than": "!=",
}
# Comparison words after a number: "50 and over", "40 or older".
SUFFIX_COMPARISONS: dict[str, str] = {
    "and over": ">=",
    "or over": ">=",
    "or taller": ">=",
    "and taller": ">=",
    "or shorter": "<=",
    "and shorter": "<=",
    "or heavier": ">=",
    "or lighter": "<=",
    "and older": ">=",
    "or older": ">=",
    "and above": ">=",
    "or above": ">=",
    "or more": ">=",
    "and more": ">=",
    "or higher": ">=",
    "and up": ">=",
    "plus": ">=",
    "+": ">=",
    "or greater": ">=",
    "and under": "<=",
    "or under": "<=",
    "and younger": "<=",
    "or younger": "<=",
    "and below": "<=",
    "or below": "<=",
    "or less": "<=",
    "or fewer": "<=",
    "or lower": "<=",
}
# Comparisons that say which kind of column they are about.
AGE_COMPARISONS = frozenset(
    {"older than", "younger than", "and older", "or older", "and younger", "or younger"}
)
WEIGHT_COMPARISONS = frozenset({"heavier than", "lighter than", "or heavier", "or lighter"})
HEIGHT_COMPARISONS = frozenset(
    {"taller than", "shorter than", "or taller", "and taller", "or shorter", "and shorter"}
)
# An adjective of a measure right after a unit of its kind ("at least 180 cm tall"):
# the kind of column the comparison is on, as "taller than" says it.
MEASURE_ADJECTIVES: dict[str, tuple[str, str]] = {"tall": ("height", "length")}

GROUP_WORDS = frozenset(
    " ".join(p.split())
    for p in """by|per|for each|in each|grouped by|group by|broken down by|break down by|
    breakdown by|stratified by|split by|according to|across|for every|by each|for different|
    within each|separately for|split that by|split it by|split this by|break that down by|
    break it down by|break this down by|for each combination of|for every combination of|
    in each combination of|by each combination of|of each|each|each combination of|
    every combination of|stratify by|stratify it by|stratify that by|stratify this by""".split("|")
)
DATE_BINS = {
    "month": "month",
    "monthly": "month",
    "year": "year",
    "yearly": "year",
    "annual": "year",
}

# Words that ask to change data, or speak to the engine rather than about the data.
MUTATIONS = frozenset(
    """delete drop update insert truncate alter overwrite erase remove modify replace
    create grant revoke""".split()
)
NEGATIONS = frozenset({"not", "non", "no", "without", "excluding", "except", "never"})
# A category's value saying there is none of it (an improvement "None"): "no
# improvement" is that value, not an empty cell.
NONE_VALUES = frozenset({"none"})
MISSING_WORDS = frozenset({"missing", "empty", "blank", "null", "unknown", "unrecorded"})
PRESENT_WORDS = frozenset(
    {
        "recorded",
        "known",
        "present",
        "available",
        "nonmissing",
        "measured",
        "reported",
        "documented",
        "observed",
    }
)
# Said of the rows themselves ("how many patients are recorded"): no condition.
ON_RECORD = frozenset({"recorded", "on record"})
# Statistics of a column's values, which skip its empty ones: "the recorded mean age" is
# the mean age ("recorded" says nothing more there).
OF_VALUES = frozenset({"mean", "median", "min", "max", "sum", "stddev", "percentile", "iqr"})
CONNECTORS = frozenset("are were is was have has had who that did do does which with".split())

# -- phrases the reader's stages look for (appliance/analytics/reader) ------------------

# Small words skipped between a mention and what it relates to ("bmi of 30", "age is
# over 65"), and left out of a longer name's words ("length of pregnancy").
SOFT = frozenset(
    """is are was were of the a an be been has have had with at in for whose who that to
    values value""".split()
)
# Function words of a longer name ("all_cause_mortality", "on_treatment"): not what the
# column is about, so never a reason to stop ignoring them in a question.
LINKS = frozenset(
    """and or per by on from as all any this that these there here it its do does did can
    i we you me my our us what which who whom how much many when where""".split()
)
# Words of a name that never make a part of it on their own ("mother weight" is a part of
# mother_weight_lb; "of", "no" are not).
NAME_STOP_WORDS = frozenset({"of", "the", "and", "at", "in", "to", "a", "per", "n", "no", "num"})
# How a yes/no column writes its two answers, and the words that answer one.
YES_TEXTS = ("yes", "y", "true", "t")
NO_TEXTS = ("no", "n", "false", "f")
YES_NO_WORDS = ("yes", "no", "y", "n", "true", "false")
ANSWER_WORDS = ("yes", "no", "true", "false")
ANSWER_YES = ("yes", "true")

NEGATION_PHRASES = (
    *NEGATED_VERBS,
    # "now exclude smokers", "excl. smokers", "what if we leave out smokers"
    "exclude",
    "excl",
    "leave out",
    "leaving out",
    "omit",
    "omitting",
    "not a",
    "no history of",
    "free of",
)
MISSING_PHRASES = MISSING_WORDS | {
    "not recorded",
    "missing values",
    "missing value",
    "no value",
    "not known",
    "not available",
}
PRESENT_PHRASES = PRESENT_WORDS | {"non missing", "not missing", "not empty", "not null"}
# Said again before each of two values of one column, a preposition asks for each group
# apart: "the average IQ for men and for women" (reader/conditions.py).
EACH_GROUP_PREPOSITIONS = frozenset({"for", "among", "in"})
# Two groups compared: "smokers vs non-smokers", "region against gender".
VERSUS_PHRASES = (
    "vs",
    "versus",
    "compared to",
    "compared with",
    "minus",
    "against",
    "relative to",
    "in comparison to",
    "x",
    "rather than",  # "the odds of CABG rather than PTCA": the outcome's other value
    # "for AML high risk patients compared with everyone else": an indicator's reference
    # (in a difference, one group alone is refused)
    "compared with everyone else",
    "compared to everyone else",
    "versus everyone else",
    "vs everyone else",
    "compared with the rest",
    "compared to the rest",
    "compared with all others",
    "compared to all others",
)
# What a regression is "on": its x ("slope of sbp on age", "per unit of bmi").
ON_PHRASES = (
    "on",
    "adjusting for",
    "adjusted for",
    "controlling for",
    "accounting for",
    "against",
    "from",
    "using",
    "as a function of",
    "given",
    "per year of",
    "per unit of",
    "per unit increase in",
    "for each year of",
    "per additional",
    "for each additional",
    "per extra",
    "for each extra",
    # "per one-year increase in age": a year of the x, which must be recorded in years
    "per one year increase in",
    "per 1 year increase in",
    "per year increase in",
    "for each one year increase in",
    "for each year increase in",
    "per additional year of",
    "per extra year of",
    "per one unit of",
    "per one unit increase in",
    "per 1 unit increase in",
    "per one unit increase of",
    # a point of a score is its unit: "per one-point increase in the score"
    "per point",
    "per point increase in",
    "per one point increase in",
    "per 1 point increase in",
    "per one point increase of",
    "for each point increase in",
    "for each one point increase in",
    "for each additional point of",
    "for each extra unit of",
    "with each extra unit of",
    "per extra unit of",
    "per unit",
    "per each",
    "change for each one unit increase in",
    "change for each unit increase in",
    "change per unit increase in",
    "change with each extra unit of",
    "change for each extra unit of",
    "change per one unit increase in",
)
# "per day of LOS", "for each yr of age": the words before a unit said of a fit's x,
# and those between the unit and its column (reader/fits.py read_per_unit).
PER_WORDS = frozenset(
    {"per", "for each", "for every", "per each", "per additional", "for each additional",
     "per extra", "for each extra"}
)  # fmt: skip
PER_UNIT_LINKS = frozenset({"of", "increase in", "increase of", "more of", "extra of"})
# The ON phrases above that single out one predictor's ratio ("per unit of globulin,
# adjusting for fibrinogen"): beside other predictors, a fit's answer holds each.
ONE_OF_SEVERAL = frozenset(
    p for p in ON_PHRASES if p.startswith(("per ", "for each ", "with each ", "change "))
)
# The ON phrases above that name a model's adjustments, not the predictor asked for
# ("the hazard ratio for smokers, adjusting for age": smokers'; reader/terms.py).
ADJUSTING = frozenset(
    {"adjusting for", "adjusted for", "controlling for", "accounting for"}
)  # fmt: skip
# Words that open a new clause, ending a model's list ("on a and b, what is …").
CLAUSE_OPENERS = frozenset({"what", "which", "how", "give", "show", "find", "report", "tell"})
# A statistic said in the singular: one predictor's ratio, where a model has several.
ONE_RATIO = frozenset({"odds ratio", "estimated odds ratio", "as an odds ratio"})
ONE_HAZARD_RATIO = frozenset(
    {"hazard ratio", "as a hazard ratio", "estimated hazard ratio", "cox hazard ratio"}
)
# The ON phrases above that say the unit themselves.
PER_YEAR_OF = frozenset(
    {"per year of", "for each year of", "per one year increase in", "per 1 year increase in",
     "per year increase in", "for each one year increase in", "for each year increase in",
     "per additional year of", "per extra year of"}
)  # fmt: skip
# "the odds of CABG rather than PTCA": the outcome's alternative (reader/fits.py).
RATHER_THAN = frozenset({"rather than"})
# Prepositions right after a model's name that say the rows it is fitted on ("a
# logistic regression at period 1", "in women"; reader/fits.py).
MODEL_SAMPLE = frozenset({"at", "in", "within"})
# Words before a column whose values are all taken together ("across all visits": no
# predictor, group or restriction; reader/pooled.py).
POOLING = frozenset({"across all", "over all"})
# Words that keep the rows a condition after them picks ("restricting to visit 4, the
# odds ratio for active treatment"): as "among", the rows a model is fitted over.
RESTRICTING = frozenset(
    {"restricting to", "restricted to", "restrict to", "restricting the analysis to",
     "limited to", "limit to"}
)  # fmt: skip
# The population of a percentage ("among women, what percent …").
AMONG_PHRASES = ("among", "amongst", "within", "in the group of", "out of")
ORDER_PHRASES: dict[str, str] = {
    "ascending": "asc",
    "descending": "desc",
    "in ascending order": "asc",
    "in descending order": "desc",
    "first": "first",
}
BEFORE_PHRASES = ("before", "prior to", "until", "earlier than")
AFTER_PHRASES = ("after", "since", "later than", "from")
# After these, a date is a bound that includes itself ("since 2020-01-01").
INCLUSIVE_AFTER = ("since", "from")
# Words before a year or a month that make it a date condition ("in 2019", "during may").
DATE_LEAD_INS = ("in", "during")
MONTH_LEAD_INS = ("in", "during", "of")
# After "from <month> <year>", words that make it a start, not the month ("on").
FROM_ON = frozenset({"on", "onwards", "onward", "forward", "to", "until", "till", "through"})
# Words before a bare year after an event ("admitted before 2015"): the year's bound.
YEAR_BOUNDS = {"before": "<", "after": ">", "since": ">=", "until": "<="}
# Words naming a whole-number column that holds years ("yr", labelled "year of admission").
YEAR_WORDS = frozenset({"year", "yr", "yyyy"})
# "aged 30 to 40": the word joining a range's two ends.
RANGE_TO = ("to", "through")
# "years old" said of a number: an age.
AGE_UNITS = ("years", "year", "years old", "yrs", "y", "old")

# How a follow-up opens ("and for smokers?", "what about the median?", "only those over
# 60", "same for men"): its form, never a question word such as "what" or "how".
FOLLOW_OPENINGS = frozenset(
    {"and", "now", "only", "also", "then", "but", "same", "what about", "how about"}
)
# Verbs that lead to what a percentage counts, after the rows it is out of ("what share
# of patients given placebo developed pancreatitis", "… came back positive").
PERCENT_LEAD_VERBS = frozenset(
    """developed develop develops got get gets experienced suffered received""".split()
) | {"came back", "come back", "turned out", "ended in", "end in", "ends in", "ending in"}
PERCENT_LEAD_VERBS |= {"came in as", "come in as", "showed", "showing", "shown"}
PERCENT_LEAD_VERBS |= TAKING_VERBS  # "of mothers who smoked, what share drank alcohol"
# Words that act as the verb of a percentage question ("what percent of women died").
PERCENT_VERBS = frozenset({"died", "dead", "die", "smoke", "smokes", "smoked", "survived", "alive"})
# Words a text condition opens with ("notes containing 'sepsis'").
CONTAINS_WORDS = (
    "contains",
    "containing",
    "mentions",
    "mentioning",
    "including",
    "includes",
    "like",
    "matching",
)
# Words that ask for rows rather than a number ("which patients …", "list …"); "who" and
# "whose" do so only as the question's first word.
ASKS_ROWS = ("which", "list", "name", "names")
ASKS_ROWS_FIRST = ("who", "whose")
# Words after which a whole number is how many rows to list ("show me the 3 …").
ASKS_COUNT = ("which", "show me", "list", "list all", "name")
UPPER_QUARTILE = ("upper quartile", "third quartile", "3rd quartile")
LOWER_QUARTILE = ("lower quartile", "first quartile", "1st quartile")
QUARTILE_WHICH = ("lower", "upper", "first", "third")
FIRST_QUARTILE_WORDS = ("first", "lower", "1st")
THIRD_QUARTILE_WORDS = ("third", "upper", "3rd")
# The ways a dataset says a patient died, for "mortality" with no column named.
DEATH_WORDS = ("died", "dead", "death", "deceased")
# Percentage words that name a rate of the condition before them ("the mortality rate").
RATE_WORDS = ("rate", "prevalence")
RATE_OF_DEATH = ("mortality", "death", "case")
# Which of several time-to-event pairs (reader/pair_names.py): words right before a
# pair's name that make it the pair asked about ("time to relapse"); ordinary words for a
# pair whose event is a death; and words that alone name no pair (every pair has them).
PAIR_LEADS = ("time to ", "time until ", "time till ")
DEATH_PAIR_WORDS = ("death", "deaths", "mortality", "overall survival", "os")
# Words after a value that make it name its column's variable: "by smoking status" groups
# by the column holding "smoker" (reader/ranking.py), never keeps the smokers.
VARIABLE_HEADS = frozenset({"status", "habit", "habits", "history"})
PAIR_WORDS_ALONE = frozenset({"survival", "time", "event", "status", "censored", "follow up"})
FREE_OF_WORDS = frozenset({"free", "disease", "event", "relapse", "progression", "recurrence"})
# "90% of patients at or below": the share asked for is a percentile.
PERCENT_SIGNS = ("%", "percent", "per cent")
AT_OR_BELOW = ("or below", "at most", "or under", "or less")
# Plural row nouns whose singular is not their stem ("women" → "woman").
IRREGULAR_ROWS = ("women", "men", "children")
# "patients with measured weight": before "measured", these make it a condition.
HAVING = ("with", "without", "has", "have", "had", "no", "not")
# Before a number and the column that counts it: "with 0 visits", "had 3 illnesses".
COUNT_HAVING = frozenset({"with", "has", "have", "had"})
# Words that add up: "how many stay days altogether" is a sum of the days.
TOTALS = frozenset(
    {
        "altogether",
        "in total",
        "in all",
        "all together",
        "all told",
        "total",
        "total number of",
        "summed over",
        "summed across",
        "summed",
    }
) | {"the total number of"}
# Statistic phrases made with a word that could be a column's ("how many types of"):
# read so only where no column or value of the dataset shares its stem.
KIND_COUNTS = frozenset(
    {
        "how many categories of",
        "how many kinds of",
        "how many types of",
        "how many levels of",
        "number of categories of",
    }
) | {
    f"how many {d} {n}"
    for d in ("different", "distinct")
    for n in ("answers", "responses", "codes")
}
# Commands that ask to see rows, or (beside another statistic) just that statistic:
# "show me the median age".
SHOW = frozenset({"show me", "show", "return"})
# "sex by stage counts": the count words that make a column by another a cross-tab.
COUNT_WORDS = frozenset(
    {"counts", "count", "count of", "counts of", "as counts", "as a count", "in counts"}
)
# "by whether the patient died": the word before a yes/no column grouped by its answers.
WHETHER = frozenset({"whether", "whether or not"})
# "sex x improved counts": the words that cross two columns into a cross-tabulation.
CROSSINGS = frozenset({"x", "against", "by"})
# A whole-number column with at most this many values may be a side of a cross-tab
# ("induced x spontaneous counts" of 0, 1, 2 each).
CROSSED_COUNT_VALUES = 12
# Commands that ask for a table of one column by another ("break down smoking by sex,
# as counts"): before a yes/no column and "by", its counts of each value, not of its yes rows
BREAKDOWN_COMMANDS = frozenset({"break down", "cross tabulate", "cross tab", "tabulate"})
# "for each kind of test": words between a grouping and its column.
KIND_OF = ("kind of", "kinds of", "type of", "types of")
# "patients needing more than one attempt": verbs that link rows to a count, as "with"
# does, read so only before a comparison with one number column (reader/needing.py).
NEEDING = frozenset("""need needs needed needing require requires required requiring""".split())
# "the most common diagnosis": the group with the most rows (desc) or the fewest (asc).
FREQUENCY_SUPERLATIVES: dict[str, str] = {
    "most common": "desc",
    "most frequent": "desc",
    "commonest": "desc",
    "least common": "asc",
    "least frequent": "asc",
    "rarest": "asc",
}
# "the ward with the highest mean age": a group said with the ranking that picks it.
HAVING_THE = frozenset({"with"})
# "by number of X": the words before a column that is grouped by its values.
NUMBER_OF = ("number of", "no of", "nr of", "num of", "# of", "the number of")
# First words of a name that say which statistic of a count it holds (avg_drinks,
# max_visits): such a name is also said with "number of" ("average number of drinks").
STATISTIC_HEADS = frozenset("avg average mean max maximum min minimum median total".split())
# Words after a column's name that say what kind of thing its values are: "ASA class"
# for a column asa, "test type" for test, "race codes" for race (never beside a column
# named so: that wins).
KIND_WORDS = ("class", "type", "category", "group", "level", "kind", "code", "codes")
# Anaphora that, after a row noun of the same question, point at it ("patients … their").
POSSESSIVES = frozenset({"their", "theirs"})
# The same after a numeric column's name: "CES-D score", "sodium level".
MEASURE_WORDS = ("score", "level", "reading", "measurement")
# The same after a yes/no column's name, nouns that say the row holds it and nothing
# else: its cover ("private insurance", "private cover" for a flag private), its use
# ("alcohol use", "statin intake"), its membership ("HMO membership"). Never a noun
# that could name a kind or a part of it ("alcohol abuse", "diabetes complications").
COVER_WORDS = (
    "insurance",
    "cover",
    "coverage",
    "use",
    "usage",
    "intake",
    "consumption",
    "membership",
)


# Survival words (reader/survival.py): where a table has a time-to-event pair, they ask
# for a Kaplan-Meier estimate, a log-rank test or a Cox model, never a plain statistic
# of the follow-up time. "median" and "survival" said apart ("median survival") read
# as the Kaplan-Meier median there, and as a plain median of a survival column elsewhere.
SURVIVAL_STATISTICS: dict[str, str] = {
    "survival": "survival",
    "overall survival": "survival",
    "os": "survival",  # overall survival, in clinical shorthand
    "survival rate": "survival",
    "survival probability": "survival",
    "probability of survival": "survival",
    "probability of surviving": "survival",
    "chance of survival": "survival",
    "chance of surviving": "survival",
    "surviving": "survival",
    "survives": "survival",
    "survive": "survival",
    "survival at": "survival",
    "kaplan meier median": "survival_median",
    "survival curve": "survival_curve",
    "survival curves": "survival_curve",
    "kaplan meier": "survival_curve",
    "kaplan meier curve": "survival_curve",
    "kaplan meier estimate": "survival_curve",
    "km curve": "survival_curve",
    "survival function": "survival_curve",
    "log rank": "logrank",
    "logrank": "logrank",
    "log rank test": "logrank",
    # "log-rank p", "the log-rank test's p-value": the test's answer is its p-value
    # ("log-rank" is one word where the lexicon knows "logrank").
    "logrank test": "logrank",
    "logrank p": "logrank",
    "logrank p value": "logrank",
    "logrank test p value": "logrank",
    "log rank p": "logrank",
    "log rank p value": "logrank",
    "log rank test p value": "logrank",
    "p value of the logrank test": "logrank",
    "p value of the log rank test": "logrank",
    "p value from the logrank test": "logrank",
    "p value from the log rank test": "logrank",
    "hazard ratio": "hazard_ratio",
    "hazard ratios": "hazard_ratio",
    "cox model": "hazard_ratio",
    "cox hazard ratio": "hazard_ratio",
    "cox hazard ratios": "hazard_ratio",
    "cox ph model": "hazard_ratio",
    "cox regression": "hazard_ratio",
    "from a cox model": "hazard_ratio",
    "from a cox regression": "hazard_ratio",
    "based on a cox model": "hazard_ratio",
    "according to a cox model": "hazard_ratio",
    "cox proportional hazards model": "hazard_ratio",
    "from a cox proportional hazards model": "hazard_ratio",
    "estimated hazard ratio": "hazard_ratio",
    "as a hazard ratio": "hazard_ratio",
    "as hazard ratios": "hazard_ratio",
    "proportional hazards": "hazard_ratio",
    "relative hazard": "hazard_ratio",
    "hazard": "hazard_ratio",
    "different": "difference",
    "differs": "difference",
}
STATISTICS.update(SURVIVAL_STATISTICS)

# Words that only grade a kind of thing in a value ("AML low risk", "heavy smoker",
# "stage II"): a word the values of one column share besides such words names them all
# (reader/shared_words.py). Numerals 1-4, roman I-IV and single letters a-c also grade.
GRADING_QUALIFIERS = frozenset(
    {
        *("low", "high", "intermediate", "mild", "moderate", "severe", "light", "heavy"),
        *("risk", "grade", "acute", "chronic", "early", "late", "type", "stage", "medium"),
        *("1", "2", "3", "4", "i", "ii", "iii", "iv", "a", "b", "c"),
    }
)
# A value with one of these ("current smoker", "former smoker") is of one time: a word
# shared with it ("smokers") could mean current or ever, and is refused.
TIME_QUALIFIERS = frozenset(
    {"current", "currently", "former", "ex", "past", "previous", "ever", "never"}
)
# Words that say a value is without the word beside them ("non-smoker", "no AML",
# "never smoker", "AML-free"): such a value is not one of the word's.
SHARED_NEGATIONS = frozenset({"non", "no", "not", "never", "without"})
# Plurals the dictionary's lemma does not show ("people" is its own lemma): "which ward has
# the oldest people" says the rows in the plural (reader/ranking.py).
PLURALS_UNINFLECTED = ("people", "pts", "folks")
# "the estimated median survival", "the estimated one-year survival probability": every
# answer is an estimate, so the word is read only right before the statistic it
# qualifies (a number and its unit between, "one-year"); before a column ("estimated
# GFR" beside gfr and egfr) it is refused (reader/framing.py).
ESTIMATED = frozenset({"estimated"})
# "how long do patients typically survive (median survival)": an adverb of generality,
# read only where the question names its central statistic (else mean or median?).
TYPICALLY = frozenset({"typically", "generally"})
CENTRAL_STATISTICS = frozenset({"mean", "median"})
# The period said between "estimated" and its statistic ("one-year survival").
ESTIMATE_PERIODS = frozenset("day days week weeks month months year years".split())
# "people who rated their own health as poor", "visits whose status was rated as poor":
# a value said after its own column's name and "as", with a verb of rating; the column
# and the rating words only say which column the value is of (reader/framing.py).
RATING_VERBS = frozenset({"rated", "rate", "rates", "rating"})
RATED_AS = frozenset({"as", "rated as", "was rated as", "were rated as", "rate as", "rates as"})
OWN = frozenset({"own", "their", "his", "her", "its"})

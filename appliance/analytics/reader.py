"""Reading a question in clinical English into a plan — or refusing it.

The reader is deterministic and strict. It splits the question into words, matches
the longest known phrase at each place (a column in any of its spoken forms, a value
that occurs in the data, a statistic, a comparison, a number, a date, a filler word),
then builds the plan from those pieces. Every piece must end up in the plan or be a
filler word: anything left over — a word it does not know, a condition it could not
attach — refuses the whole question with 422, quoting what was not understood. A
dropped condition would be a confident wrong answer; a refusal is honest.
"""

from __future__ import annotations

import re
from calendar import monthrange
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, cast

from appliance.analytics import lexicon as lx
from appliance.analytics import units
from appliance.analytics.datasets import ColumnProfile, Dataset
from appliance.analytics.errors import Unanswerable
from appliance.analytics.plan import Filter, GroupBy, Plan, Predictor

MAX_SPAN = 8
# Stands for a quoted text while a question is split into words (a private-use
# character: never in a question, which is cleaned of it first).
_MARK = "\ue000"
# How a follow-up opens ("and for smokers?", "what about the median?", "only those over
# 60", "same for men"): its form, never a question word such as "what" or "how".
_FOLLOW_OPENINGS = frozenset(
    {"and", "now", "only", "also", "then", "but", "same", "what about", "how about"}
)
# Words that act as the verb of a percentage question ("what percent of women died").
_VERBISH = frozenset({"died", "dead", "die", "smoke", "smokes", "smoked", "survived", "alive"})
SOFT = frozenset(
    {
        "is",
        "are",
        "was",
        "were",
        "of",
        "the",
        "a",
        "an",
        "be",
        "been",
        "has",
        "have",
        "had",
        "with",
        "at",
        "in",
        "for",
        "whose",
        "who",
        "that",
        "to",
        "values",
        "value",
    }
)
_ORDINAL_WORDS = {1: "first", 2: "second", 3: "third"}
_ORDINAL_NUMS = {1: "1st", 2: "2nd", 3: "3rd"}
# Row nouns that say who the rows are (read as a value where the data has it).
_SAYS_WHO = lx.FEMALE_NOUNS | lx.MALE_NOUNS | lx.BABY_NOUNS | lx.CHILD_NOUNS | lx.ADULT_NOUNS
PRIORITY = [
    "val",
    "flag",
    "col",
    "stat",
    "super",
    "comp",
    "cmp",
    "scmp",
    "group",
    "bin",
    "month",
    "num",
    "not",
    "missing",
    "present",
    "between",
    "than",
    "vs",
    "on",
    "among",
    "order",
    "before",
    "after",
    "and",
    "or",
    "unit",
    "rownoun",
    "participle",
    "lead",
    "filler",
    "dsname",
]


@dataclass
class Tok:
    start: int
    end: int
    text: str
    kind: str
    data: Any = None
    alts: dict[str, Any] = field(default_factory=dict)
    used: bool = False

    def has(self, kind: str) -> bool:
        return kind == self.kind or kind in self.alts

    def get(self, kind: str) -> Any:
        return self.data if kind == self.kind else self.alts[kind]


@dataclass
class Reading:
    plan: Plan | None
    """None for a follow-up fragment with no statistic: see :attr:`fragment`."""
    interpretation: list[dict[str, str]]
    caveats: list[str]
    fragment: dict[str, Any] = field(default_factory=dict)
    """What a follow-up changes: filters, statistic, group_by, order."""
    score: int = 0
    """How many column and value mentions the reading used: ranks candidate datasets."""
    mentions_dataset: bool = False
    continues: bool = False
    """Worded as a follow-up ("and …", "what about …", "now …"): keeps earlier filters."""
    scale: float = 1.0
    """The answer's numbers times this are in the unit asked ("in months"): see units."""
    unit: str | None = None
    """The unit the answer is in, where the question asked for one."""


# -- vocabulary ----------------------------------------------------------------------


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower().replace("'s ", " "))


def _header_words(header: str) -> list[str]:
    """A header's words, camel case split as people read it: "AgeGroup" is "age group",
    "SysBP" is "sys bp", "TimeToRecurrence" is "time to recurrence" (else "age group"
    finds only the Age column and a word that changes the answer goes unread)."""
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", " ", header)
    return _words(spaced)


def _plurals(words: tuple[str, ...]) -> set[tuple[str, ...]]:
    last = words[-1]
    forms = {words}
    if last.isalpha():
        if last.endswith("sis"):
            forms.add((*words[:-1], last[:-2] + "es"))
        if last.endswith("y") and len(last) > 2:
            forms.add((*words[:-1], last[:-1] + "ies"))
        forms.add((*words[:-1], last + ("es" if last.endswith(("s", "x", "ch", "sh")) else "s")))
        if last.endswith("s") and not last.endswith("ss") and len(last) > 3:
            forms.add((*words[:-1], last[:-1]))
    return forms


def _verb_forms(word: str) -> set[str]:
    """smoker → smoke, smoked, smokes, smoking, smokers; diabetic → diabetes, diabetics."""
    forms = {word}
    stem = None
    for suffix in ("ers", "er", "ing", "ed", "es", "e"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            stem = word[: -len(suffix)]
            break
    if stem:
        forms |= {stem + s for s in ("e", "es", "ed", "er", "ers", "ing")}
    elif word.isalpha() and len(word) >= 4 and word[-1] not in "aeiouy":
        forms |= {word + "ed", word + "ing"}  # treat → treated, link → linked
    forms |= _derived_forms(word)
    if word.endswith("ic"):
        forms |= {word + "s", word[:-2] + "es"}
    if word.endswith("es") and len(word) > 5:
        forms |= {word[:-2] + "ic", word[:-2] + "ics"}
    return forms


def _derived_forms(word: str) -> set[str]:
    """treatment → treated, admission → admitted, vaccination → vaccinated: the verb a
    noun is made from, so "treated patients" finds the value "treatment"."""
    bases: list[str] = []
    if word.endswith("ment") and len(word) > 7:
        bases.append(word[:-4])  # treatment → treat, enrollment → enroll
    elif word.endswith("ission") and len(word) > 7:
        bases.append(word[:-6] + "it")  # admission → admit (admitted: doubled t)
    elif word.endswith(("ization", "isation")):
        bases.append(word[:-5])  # hospitalization → hospitaliz(ed)
    elif word.endswith("ation") and len(word) > 7:
        bases.append(word[:-5] + "at")  # vaccination → vaccinat(ed)
    elif word.endswith("osis") and len(word) > 6:
        bases.append(word[:-2])  # diagnosis → diagnos(ed)
    forms: set[str] = set()
    for base in bases:
        doubled = base + base[-1] if base.endswith("it") else base
        forms |= {base, base + "s", doubled + "ed", doubled + "ing"}
        if base.endswith(("z", "s", "at")):
            forms |= {base + "e", base + "es", base + "ed", base + "ing"}
    return forms


# Endings taken off a word to compare it with another: "treated" and "treatment" share
# the root "treat", "diagnosed" and "diagnosis" the root "diagnos".
_ENDINGS = (
    "isations izations isation ization ations ation issions ission ments ment ings ing"
    " ised ized ises izes ied ies ed es s e y"
).split()


def _root(word: str) -> str:
    w = word
    for _twice in range(2):  # onesing → ones → one
        for ending in _ENDINGS:
            if ending == "s" and w.endswith(("ss", "is", "us")):
                continue  # status, this, diagnosis: the s is the word's own
            if w.endswith(ending) and len(w) - len(ending) >= 3:
                w = w[: -len(ending)] + ("it" if ending.startswith("ission") else "")
                break
    if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "aeiou":
        w = w[:-1]  # admitt → admit, enroll → enrol
    if len(w) >= 4 and w[-1] in "ey":
        w = w[:-1]  # giveing → give → giv, as give → giv
    return w


def share_stem(a: str, b: str) -> bool:
    """Whether two words could be forms of one word (deliberately generous: it decides
    which ordinary words stop being ignorable, and a refusal is the cost of a match)."""
    return _share_roots(a, _root(a), b, _root(b))


def _share_roots(a: str, ra: str, b: str, rb: str) -> bool:
    if a == b or b in (a + "s", a + "es") or a in (b + "s", b + "es"):
        return True
    if ra == rb:
        return True
    short, long = sorted((ra, rb), key=len)
    return len(short) >= 5 and long.startswith(short)


def _content(words: Iterable[str]) -> list[str]:
    """A name's or value's words that say what it is: "length of pregnancy" is about
    length and pregnancy, not "of" (a name of one word keeps it, whatever it is)."""
    kept = [w for w in words if not w.isdigit()]
    return [w for w in kept if w not in SOFT and w not in _LINKS] if len(kept) > 1 else kept


# Function words of a longer name ("all_cause_mortality", "on_treatment"): not what the
# column is about, so never a reason to stop ignoring them in a question.
_LINKS = frozenset(
    """and or per by on from as all any this that these there here it its do does did can
    i we you me my our us what which who whom how much many when where""".split()
)


@dataclass(frozen=True)
class DataWord:
    """A word of a dataset's columns or values, and what it belongs to."""

    word: str
    column: str
    role: str  # "head" (a name's last word), "name" (another), "value" (a value's last
    # word), "value part" (another word of a value)
    type: str  # the column's type


class Vocabulary:
    """Every phrase the reader knows for one dataset, with what each means there."""

    def __init__(self, dataset: Dataset) -> None:
        self.dataset = dataset
        self.table: dict[tuple[str, ...], dict[str, Any]] = {}
        self._static()
        for col in dataset.columns:
            self._column(col, dataset.dictionary.get(col.name, {}))
        for verb, concept in lx.CONCEPT_VERBS.items():
            names = self._concept_columns(concept)
            if names:
                self.add((verb,), "col", (names, True))
        self._arms()
        self.data_words = self._data_words()
        self._data_roots = [(d, _root(d.word)) for d in self.data_words]
        named = _words(dataset.name.replace("_", " "))
        for w in named:
            self.add((w,), "dsname", dataset.name)
        # The file's own name says what its rows are: "covid_tests" is a table of tests.
        self.row_word = (
            named[-1] if named and named[-1].endswith("s") and len(named[-1]) > 3 else None
        )
        if self.row_word:
            self.add((self.row_word,), "rownoun", self.row_word)
        self.add(tuple(_words(dataset.name.replace("_", " "))), "dsname", dataset.name)

    def _arms(self) -> None:
        """ "arm", "treatment group": the one column holding a trial's arms, where exactly
        one column is named (or labelled) so; for a yes/no column, "treatment group" is
        its yes and "control group" its no."""
        arms = []
        for col in self.dataset.columns:
            label = self.dataset.dictionary.get(col.name, {}).get("label") or ""
            words = set(col.name.split("_")) | set(_words(label))
            if words & lx.ARM_COLUMNS and col.type in ("category", "boolean", "integer"):
                arms.append(col)
        if len(arms) != 1:
            return
        (col,) = arms
        for phrase in lx.ARM_WORDS:
            self.add(tuple(phrase.split()), "col", ([col.name], False))
        if col.type == "boolean":
            yes: Any = 1
            no: Any = 0
            for v in col.values:
                text = str(v["value"]).strip().lower()
                if text in ("yes", "y", "true", "t") or v["value"] is True:
                    yes = 1 if v["value"] is True else v["value"]
                elif text in ("no", "n", "false", "f") or v["value"] is False:
                    no = 0 if v["value"] is False else v["value"]
            for phrase in lx.ARM_YES:
                self.add(tuple(phrase.split()), "flag", (col.name, yes, no))
            for phrase in lx.ARM_NO:
                self.add(tuple(phrase.split()), "flag", (col.name, no, yes))

    def _data_words(self) -> list[DataWord]:
        found: list[DataWord] = []
        for col in self.dataset.columns:
            entry = self.dataset.dictionary.get(col.name, {})
            texts = [col.name.replace("_", " "), col.source, entry.get("label") or ""]
            texts.append(" ".join(_header_words(col.source)))
            for text in texts + list(entry.get("synonyms") or []):
                words = _content(w for w in _words(text) if w not in lx.UNITS)
                for k, w in enumerate(words):
                    role = "head" if k == len(words) - 1 else "name"
                    found.append(DataWord(w, col.name, role, col.type))
            values = [str(v["value"]) for v in col.values if isinstance(v["value"], str)]
            values += [str(v) for v in (entry.get("value_labels") or {}).values()]
            for value in values:
                words = _content(_words(value))
                for k, w in enumerate(words):
                    role = "value" if k == len(words) - 1 else "value part"
                    found.append(DataWord(w, col.name, role, col.type))
        return list(dict.fromkeys(found))

    def resembling(self, word: str) -> list[DataWord]:
        """The dataset's words that could be a form of ``word``."""
        root = _root(word)
        return [d for d, r in self._data_roots if _share_roots(word, root, d.word, r)]

    def _concept_columns(self, concept: str) -> list[str]:
        """Numeric columns named (or labelled) exactly as one of the concept's words."""
        phrases = {tuple(p.split()) for p in lx.CONCEPTS.get(concept, (concept,))}
        out = []
        for col in self.dataset.columns:
            label = self.dataset.dictionary.get(col.name, {}).get("label", "")
            if col.info.numeric and (
                tuple(col.name.split("_")) in phrases or tuple(_words(label)) in phrases
            ):
                out.append(col.name)
        return out

    def add(self, phrase: tuple[str, ...], kind: str, data: Any) -> None:
        if not phrase:
            return
        meanings = self.table.setdefault(phrase, {})
        if kind == "col":
            old = meanings.get("col")
            names, exact = data
            if old is None or (exact and not old[1]):
                meanings["col"] = (list(names), exact)
            elif exact == old[1]:
                meanings["col"] = (list(dict.fromkeys([*old[0], *names])), exact)
        elif kind in ("val", "flag"):
            old = meanings.get(kind)
            meanings[kind] = [*(old or []), data] if data not in (old or []) else old
        else:
            meanings.setdefault(kind, data)

    def _static(self) -> None:
        for phrase, name in lx.STATISTICS.items():
            self.add(tuple(phrase.split()), "stat", name)
        for phrase, sup in lx.SUPERLATIVES.items():
            self.add((phrase,), "super", sup)
        for phrase, comp in lx.COMPARATIVES.items():
            self.add((phrase,), "comp", comp)
        for phrase, op in lx.COMPARISONS.items():
            self.add(tuple(phrase.split()), "cmp", (op, phrase))
        for phrase, op in lx.SUFFIX_COMPARISONS.items():
            self.add(tuple(phrase.split()), "scmp", (op, phrase))
        for phrase in lx.GROUP_WORDS:
            self.add(tuple(phrase.split()), "group", phrase)
        for phrase, b in lx.DATE_BINS.items():
            self.add((phrase,), "bin", b)
        for phrase, m in lx.MONTHS.items():
            self.add((phrase,), "month", m)
        for phrase, n in lx.NUMBER_WORDS.items():
            self.add((phrase,), "num", n)
        for w in lx.NEGATIONS:
            self.add((w,), "not", w)
        for phrase in (
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
            "not a",
            "no history of",
            "free of",
        ):
            self.add(tuple(phrase.split()), "not", phrase)
        for w in lx.MISSING_WORDS | {
            "not recorded",
            "missing values",
            "missing value",
            "no value",
            "not known",
            "not available",
        }:
            self.add(tuple(w.split()), "missing", w)
        for w in lx.PRESENT_WORDS | {"non missing", "not missing", "not empty", "not null"}:
            self.add(tuple(w.split()), "present", w)
        self.add(("between",), "between", None)
        self.add(("from",), "between", "from")
        self.add(("than",), "than", None)
        for phrase in (
            "vs",
            "versus",
            "compared to",
            "compared with",
            "minus",
            "against",
            "relative to",
            "in comparison to",
            "x",
        ):
            self.add(tuple(phrase.split()), "vs", phrase)
        for phrase in (
            "on",
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
            "per one unit of",
            "per one unit increase in",
            "per 1 unit increase in",
            "per one unit increase of",
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
        ):
            self.add(tuple(phrase.split()), "on", phrase)
        for phrase in ("among", "amongst", "within", "in the group of", "out of"):
            self.add(tuple(phrase.split()), "among", phrase)
        for phrase, d in (
            ("ascending", "asc"),
            ("descending", "desc"),
            ("in ascending order", "asc"),
            ("in descending order", "desc"),
            ("first", "first"),
        ):
            self.add(tuple(phrase.split()), "order", d)
        for phrase in ("before", "prior to", "until", "earlier than"):
            self.add(tuple(phrase.split()), "before", phrase)
        for phrase in ("after", "since", "later than", "from"):
            self.add(tuple(phrase.split()), "after", phrase)
        self.add(("and",), "and", None)
        self.add(("or",), "or", None)
        self.add(("nor",), "or", None)
        for w in lx.UNITS:
            self.add((w,), "unit", w)
        self.add(("years", "old"), "unit", "years old")
        self.add(("year", "old"), "unit", "years old")
        for w in lx.ROW_NOUNS | lx.ANAPHORA:
            self.add((w,), "rownoun", w)
        for w in lx.PARTICIPLES:
            self.add((w,), "participle", w)
        for w in lx.LEAD_INS | lx.MEASURED:
            self.add((w,), "lead", w)
        for w in lx.FILLER:
            self.add(tuple(w.split("_")), "filler", w)
        for phrase in lx.FILLER_PHRASES:
            self.add(tuple(phrase.split()), "filler", phrase)

    def _column(self, col: ColumnProfile, entry: dict[str, Any]) -> None:
        name = col.name
        full: set[tuple[str, ...]] = {tuple(name.split("_"))}
        full.add(tuple(_words(col.source)))
        full.add(tuple(_header_words(col.source)))
        # "Ct value (cycles)", "Serum sodium (mmol/L)": the name without its unit.
        full.add(tuple(_header_words(re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", col.source))))
        for text in [entry.get("label"), *(entry.get("synonyms") or [])]:
            if text:
                full.add(tuple(_words(text)))
        for words in list(full):  # attempt1_time: "attempt 1 time", "first attempt time"
            for i, w in enumerate(words):
                m = re.fullmatch(r"([a-z]{3,})([1-3])", w)
                if m:
                    stem, n = m.group(1), int(m.group(2))
                    for said in (
                        (stem, str(n)),
                        (_ORDINAL_WORDS[n], stem),
                        (_ORDINAL_NUMS[n], stem),
                    ):
                        full.add((*words[:i], *said, *words[i + 1 :]))
        for words in list(full):  # racegrp is "race grp", famhx "fam hx": shorthand ends
            for i, w in enumerate(words):
                for abbr in lx.ABBREVIATIONS:
                    if w.endswith(abbr) and len(abbr) >= 2 and len(w) - len(abbr) >= 3:
                        full.add((*words[:i], w[: -len(abbr)], abbr, *words[i + 1 :]))
        for _round in range(2):  # twice: alk_phos is "alkaline phosphatase", both words
            for words in list(full):
                for i, w in enumerate(words):
                    for expansion in lx.ABBREVIATIONS.get(w, ()):
                        full.add((*words[:i], *expansion.split(), *words[i + 1 :]))
        for words in list(full):
            joined = " ".join(words)
            for abbr, expansions in lx.ABBREVIATIONS.items():
                for expansion in expansions:
                    if f" {expansion} " in f" {joined} ":
                        full.add(
                            tuple(f" {joined} ".replace(f" {expansion} ", f" {abbr} ").split())
                        )
        for words in list(full):
            trimmed = list(words)
            while len(trimmed) > 1 and trimmed[-1] in lx.UNITS:
                trimmed.pop()  # birth_weight_g is "birth weight"
            full.add(tuple(trimmed))
            if len(words) > 1 and words[-1] in lx.TIME_UNITS:
                # collect_to_receive_h: "collect to receive" and "collect to receive time"
                full.add(words[:-1])
                full.add((*words[:-1], "time"))
        full = {w for w in full if w}
        stop = {"of", "the", "and", "at", "in", "to", "a", "per", "n", "no", "num"} | lx.UNITS
        # Part of a name counts only with the name's head word: "mother weight" for
        # mother_weight_lb, but never "hospital" alone for "hospital visits".
        partial: set[tuple[str, ...]] = set()
        for words in full:
            heads = [w for w in words if w not in stop]
            if len(heads) > 1 and heads[-1] in lx.WEAK_HEADS:
                heads.pop()  # "ct value", "race group": the word before says what it is
            if not heads:
                continue
            head = heads[-1]
            for i in range(len(words)):
                for j in range(i + 1, len(words) + 1):
                    part = words[i:j]
                    if part != words and head in part and part[0] not in stop:
                        partial.add(part)
        for words in full:
            for form in _plurals(words):
                self.add(form, "col", ([name], True))
            if "age" in words:  # "aged 70": Age, before rbc_age_group or AgeGroup
                self.add(("aged",), "col", ([name], words == ("age",)))
        for words in partial - full:
            for form in _plurals(words):
                self.add(form, "col", ([name], False))
        if col.type == "boolean":
            self._flag(col, full)
        if col.type in ("category", "boolean") or entry.get("value_labels"):
            self._values(col, entry)

    def _flag(self, col: ColumnProfile, phrases: set[tuple[str, ...]]) -> None:
        values = [v["value"] for v in col.values]
        positive: Any = 1
        negative: Any = 0
        for v in values:
            text = str(v).strip().lower()
            if text in ("yes", "y", "true", "t") or v is True:
                positive = 1 if v is True else v
            elif text in ("no", "n", "false", "f") or v is False:
                negative = 0 if v is False else v
        # (column, the value the phrase means, the value its negation means)
        data = (col.name, positive, negative)
        opposite = (col.name, negative, positive)
        for words in phrases:
            last = words[-1]
            forms = _verb_forms(last) | {f for w in _plurals((last,)) for f in w}
            negative_forms: set[str] = set()
            for n, synonyms in enumerate(lx.VALUE_SYNONYMS):
                if last in synonyms and last not in ("yes", "no", "y", "n", "true", "false"):
                    forms |= synonyms
                    for a, b in lx.OPPOSITES:
                        if n in (a, b):
                            negative_forms |= lx.VALUE_SYNONYMS[b if n == a else a]
            for form in forms:
                self.add((*words[:-1], form), "flag", data)
                self.add((*words[:-1], "non" + form), "flag", opposite)
                self.add((*words[:-1], "non", form), "flag", opposite)
            for form in negative_forms:  # "survived" for a column named died
                self.add((*words[:-1], form), "flag", opposite)

    def _values(self, col: ColumnProfile, entry: dict[str, Any]) -> None:
        labels: dict[str, str] = entry.get("value_labels") or {}
        seen = [v["value"] for v in col.values]
        for raw, label in labels.items():
            value: Any = _coerce(raw, col, seen)
            for form in _plurals(tuple(_words(label))):
                self.add(form, "val", (col.name, value))
            self._value_forms(col, label, value)
        if col.type == "boolean":
            return
        for value in seen:
            if not isinstance(value, str):
                continue
            words = tuple(_words(value))
            if not words:
                continue
            self.add(words, "val", (col.name, value))
            for form in _plurals(words):
                self.add(form, "val", (col.name, value))
            if len(words) > 1 and words[0].isdigit():  # "1_female": coded categories
                for form in _plurals(words[1:]):
                    self.add(form, "val", (col.name, value))
            self._value_forms(col, " ".join(words), value)

    def _value_forms(self, col: ColumnProfile, text: str, value: Any) -> None:
        words = tuple(_words(text))
        if len(words) != 1:
            return
        (word,) = words
        for synonyms in lx.VALUE_SYNONYMS:
            if word in synonyms and word not in ("yes", "no", "y", "n", "true", "false"):
                for s in synonyms:
                    self.add((s,), "val", (col.name, value))
        if len(word) > 4:
            for form in _verb_forms(word):
                self.add((form,), "val", (col.name, value))
        if word.startswith("non") and len(word) > 6:
            for pair in _plurals(("non", word[3:])):
                self.add(pair, "val", (col.name, value))

    def tokens(self, question: str) -> list[Tok]:
        # A quoted text is set aside behind a marker no question can contain: the
        # marker character is removed from the question first, so a user's "qqq1" or
        # any other word is only ever a word.
        text = question
        for pattern, replacement in lx.TYPED_CASED:
            text = re.sub(pattern, replacement, text)
        text = text.lower().replace("\u2019", "'").replace(_MARK, " ")
        for pattern, replacement in lx.TYPED:
            text = re.sub(pattern, replacement, text)
        quoted: list[str] = []

        def keep(found: re.Match[str]) -> str:
            quoted.append(found.group(2))
            return f" {_MARK}{len(quoted) - 1}{_MARK} "

        text = re.sub(r"(?:^|(?<=\s))([\"'])([^\"']+)\1", keep, text)
        text = re.sub(r"'s\b", "", text)
        # A minus sign right before a digit (after a space or an operator) is the
        # number's own: "below -5" must never read as "below 5".
        raw = re.findall(
            r"\d{4}-\d{2}-\d{2}|(?:(?<![\w.])-)?\d+(?:\.\d+)?(?:st|nd|rd|th)?|\ue000\d+\ue000"
            r"|[a-z][a-z0-9]*|>=|<=|!=|<>|==|[<>=+%#]",
            text,
        )
        out: list[Tok] = []
        i = 0
        while i < len(raw):
            word = raw[i]
            if word.startswith(_MARK):
                said = quoted[int(word.strip(_MARK))]
                out.append(Tok(i, i + 1, said, "text", said))
                i += 1
                continue
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}", word):
                out.append(Tok(i, i + 1, word, "date", word))
                i += 1
                continue
            ordinal = re.fullmatch(r"(-?\d+)(st|nd|rd|th)", word)
            named = (
                next(
                    (
                        n
                        for n in range(min(MAX_SPAN, len(raw) - i), 1, -1)
                        if "col" in self.table.get(tuple(raw[i : i + n]), {})
                    ),
                    None,
                )
                if ordinal
                else None
            )
            if ordinal and named:  # "1st attempt time": a column's name, attempt1_time
                phrase = tuple(raw[i : i + named])
                found = self.table[phrase]
                alts = {k: v for k, v in found.items() if k != "col"}
                out.append(Tok(i, i + named, " ".join(phrase), "col", found["col"], alts))
                i += named
                continue
            if ordinal:
                out.append(Tok(i, i + 1, word, "ord", int(ordinal.group(1))))
                i += 1
                continue
            if re.fullmatch(r"-?\d+(?:\.\d+)?", word):
                value = float(word) if "." in word else int(word)
                out.append(Tok(i, i + 1, word, "num", value))
                i += 1
                continue
            for length in range(min(MAX_SPAN, len(raw) - i), 0, -1):
                phrase = tuple(raw[i : i + length])
                meanings = self.table.get(phrase)
                if meanings:
                    kind = min(meanings, key=PRIORITY.index)
                    if (
                        kind == "val"
                        and "rownoun" in meanings
                        and phrase[0] not in _SAYS_WHO
                        and self.row_word is not None
                    ):
                        # "tests of patients" in a table of tests with a patient_group
                        # column: the rows, or its value "patient"? Not guessed.
                        where = meanings["val"][0][0]
                        out.append(
                            Tok(
                                i,
                                i + length,
                                " ".join(phrase),
                                "unknown",
                                f"{' '.join(phrase)!r} (the rows, or a value of {where}?)",
                            )
                        )
                        i += length
                        break
                    if kind == "col" and "rownoun" in meanings and not meanings["col"][1]:
                        kind = "rownoun"  # "patients" is the rows, not part of patient_id
                    elif (
                        kind == "col"
                        and phrase == (self.row_word,)
                        and not any(
                            c.name in meanings["col"][0] and c.info.numeric
                            for c in self.dataset.columns
                        )
                    ):
                        kind = "rownoun"  # "tests" in covid_tests, beside a Test column
                    alts = {k: v for k, v in meanings.items() if k != kind}
                    out.append(Tok(i, i + length, " ".join(phrase), kind, meanings[kind], alts))
                    i += length
                    break
            else:
                if word in lx.ORDINALS:
                    out.append(Tok(i, i + 1, word, "ord", lx.ORDINALS[word]))
                else:
                    out.append(Tok(i, i + 1, word, "unknown", None))
                i += 1
        for t in out:
            if t.kind in ("filler", "among") or (t.kind == "stat" and t.data == "which"):
                self._unless_data(t)
            elif t.kind == "stat" and t.text in lx.CLIPPED:
                clash = [d for d in self.data_words if d.word.startswith(t.text)]
                if clash:
                    t.kind, t.data = "unknown", f"{t.text!r} (like {clash[0].word!r})"
        return out

    def _unless_data(self, tok: Tok) -> None:
        """A filler word that shares its stem with this dataset's columns or values is no
        filler here: "group" beside an age_group column, "status" beside statin."""
        for w in tok.text.split():
            like = self.resembling(w)
            if like:
                d = like[0]
                value = d.role.startswith("value")
                where = f"a value of {d.column}" if value else f"the column {d.column}"
                tok.kind, tok.data = "unknown", f"{tok.text!r} (like {d.word!r}, {where})"
                return


def _implied(phrase: str) -> str | None:
    """The kind of column a comparison implies: "older than" an age, "taller" a height."""
    if phrase in lx.AGE_COMPARISONS:
        return "age"
    if phrase in lx.WEIGHT_COMPARISONS:
        return "weight"
    if phrase in lx.HEIGHT_COMPARISONS:
        return "height"
    return None


def _coerce(raw: str, col: ColumnProfile, seen: list[Any]) -> Any:
    """A value label's key as the column stores it ("1" for an integer column is 1)."""
    if col.type in ("integer", "number", "boolean") and col.storage != "VARCHAR":
        try:
            return int(raw) if re.fullmatch(r"-?\d+", raw) else float(raw)
        except ValueError:
            return raw
    for v in seen:
        if str(v).lower() == raw.lower():
            return v
    return raw


# -- reading ---------------------------------------------------------------------------


def read(
    question: str, dataset: Dataset, follow_up: bool = False, answered: bool = True
) -> Reading:
    """The plan for ``question``; :class:`Unanswerable` quotes what was not understood.

    ``follow_up``: the question continues a conversation with an answered plan;
    ``answered``: its latest question was answered (else "those" points at nothing).
    """
    words = set(re.findall(r"[a-z]+", question.lower()))
    changing = sorted(words & lx.MUTATIONS)
    if changing:
        raise Unanswerable(
            f"this engine only reads data; it will not {changing[0]} anything"
            " (ask a question about the data instead)"
        )
    vocab = Vocabulary(dataset)
    return _Reader(vocab, vocab.tokens(question), dataset, follow_up, answered).read()


class _Reader:
    def __init__(
        self, vocab: Vocabulary, toks: list[Tok], dataset: Dataset, follow_up: bool, answered: bool
    ) -> None:
        self.vocab = vocab
        self.toks = toks
        self.ds = dataset
        self.follow_up = follow_up
        self.answered = answered
        self.filters: list[tuple[int, Filter]] = []  # (position, filter)
        self.group_by: list[GroupBy] = []
        self.notes: list[dict[str, str]] = []
        self.caveats: list[str] = []
        self.rank: tuple[str, int, str | None] | None = None  # (asc|desc, n, column)
        self.order: str | None = None
        self.at: dict[str, float] = {}
        self.stat_change: tuple[str, float | None] | None = None
        self.group_rank: tuple[str, int] | None = None  # (asc|desc, n) of groups
        self.filtered: set[str] = set()  # every column a condition was read on

    # -- helpers -------------------------------------------------------------------

    def note(self, toks: list[Tok], meaning: str) -> None:
        for t in toks:
            t.used = True
        phrase = " ".join(t.text for t in sorted(toks, key=lambda t: t.start))
        self.notes.append({"phrase": phrase, "meaning": meaning})

    def col(self, name: str) -> ColumnProfile:
        c = self.ds.column(name)
        assert c is not None
        return c

    def columns_of(self, tok: Tok, numeric: bool = False, date: bool = False) -> list[str]:
        """The column a column mention names, or a refusal if it names several."""
        if tok.kind == "flag" or (tok.kind != "col" and tok.has("flag") and not tok.has("col")):
            return [tok.get("flag")[0][0]]
        names, _exact = tok.get("col")
        if numeric:
            names = [n for n in names if self.col(n).info.numeric] or names
        if date:
            names = [n for n in names if self.col(n).type == "date"] or names
        return [str(n) for n in names]

    def one_column(self, tok: Tok, numeric: bool = False, date: bool = False) -> str:
        names = self.columns_of(tok, numeric, date)
        if len(names) > 1:
            # "mothers aged 40": the mother's age, not the father's
            names = self.hinted(names, self.rownoun_near(self.toks.index(tok)))
        if len(names) > 1:
            raise Unanswerable(f"{tok.text!r} could mean any of {', '.join(names)}: name one")
        return names[0]

    def is_col(self, tok: Tok) -> bool:
        return tok.has("col") or tok.kind == "flag"

    def nxt(self, i: int, skip_soft: bool = True) -> int | None:
        """Index of the next unused token after i (skipping soft filler words)."""
        j = i + 1
        while j < len(self.toks):
            t = self.toks[j]
            if not t.used and not (skip_soft and t.kind == "filler" and t.text in SOFT):
                return j
            j += 1
        return None

    def prev(self, i: int, skip_soft: bool = True) -> int | None:
        j = i - 1
        while j >= 0:
            t = self.toks[j]
            if not t.used and not (skip_soft and t.kind == "filler" and t.text in SOFT):
                return j
            j -= 1
        return None

    def hinted(self, names: list[str], near: Tok | None) -> list[str]:
        """Of ``names``, those a row noun points to: "mothers" → mage ("mother's age")."""
        if near is None or near.kind != "rownoun":
            return names
        forms = {
            near.text,
            near.text.rstrip("s"),
            near.text[:-2] if near.text.endswith("es") else near.text,
        }
        if near.text in ("women", "men", "children"):
            forms |= {near.text.replace("en", "an"), "child"}
        picked = []
        for n in names:
            label = self.ds.dictionary.get(n, {}).get("label", "")
            if forms & (set(n.split("_")) | set(_words(label))):
                picked.append(n)
        return picked if len(picked) == 1 else names

    def rownoun_near(self, k: int) -> Tok | None:
        """The row noun closest to token k ("which 3 mothers were the heaviest")."""
        nouns = [j for j, t in enumerate(self.toks) if t.kind == "rownoun"]
        return self.toks[min(nouns, key=lambda j: abs(j - k))] if nouns else None

    def concept_column(self, concept: str, why: str, near: Tok | None = None) -> str:
        """The column a word like "older" or "heaviest" implies, or a refusal.

        A row noun nearby decides first ("the heaviest mothers": the mother's weight),
        then a column named exactly for the concept, then one that contains it.
        """
        phrases = [tuple(p.split()) for p in lx.CONCEPTS.get(concept, (concept,))]
        exact: list[str] = []
        loose: list[str] = []
        for col in self.ds.columns:
            if not col.info.numeric or col.type == "boolean":
                continue
            label = self.ds.dictionary.get(col.name, {}).get("label", "")
            words = tuple(col.name.split("_"))
            while len(words) > 1 and words[-1] in lx.UNITS:
                words = words[:-1]
            for n in (words, tuple(_words(label))):
                for p in phrases:
                    if n == p:
                        exact.append(col.name)
                    elif any(n[i : i + len(p)] == p for i in range(len(n))):
                        loose.append(col.name)
        exact, loose = list(dict.fromkeys(exact)), list(dict.fromkeys(loose))
        every = list(dict.fromkeys(exact + loose))
        hinted = self.hinted(every, near)
        if len(hinted) == 1 and len(every) > 1:
            return hinted[0]
        found = exact or loose
        if len(found) == 1:
            return found[0]
        if not found:
            raise Unanswerable(f"{why!r} needs a {concept} column, and this dataset has none")
        raise Unanswerable(f"{why!r} could be about {', '.join(found)}: name the column")

    def column_unit(self, name: str, said: Tok) -> str:
        """The unit ``name`` is recorded in, or a refusal naming the unit asked for."""
        c = self.col(name)
        recorded = units.of_column(c.name, c.source, self.ds.dictionary.get(c.name, {}))
        if recorded is None and units.canonical(said.data) == "year" and self.is_age(name):
            self.caveats.append(f"{name} has no recorded unit: taken to be in years")
            return "year"
        if recorded is None:
            raise Unanswerable(
                f"{said.text!r}: the unit of {name} is not recorded (give it as the column's"
                " 'unit' in the data dictionary), so it cannot be converted"
            )
        return recorded

    def is_plain_age(self, name: str) -> bool:
        """Named age and nothing else but a unit (age, age_years)."""
        words = [w for w in name.split("_") if w not in lx.UNITS]
        return words == ["age"]

    def is_age(self, name: str) -> bool:
        label = self.ds.dictionary.get(name, {}).get("label", "")
        return "age" in name.split("_") or "age" in _words(label)

    def convert(self, name: str, said: Tok) -> float:
        """The factor taking ``name``'s values into the unit said: 1 when it is the same,
        else exact (with a caveat), or a refusal when the two are of different kinds."""
        recorded = self.column_unit(name, said)
        asked = units.canonical(said.data)
        by = units.factor(asked, recorded)
        if by is None:
            raise Unanswerable(
                f"{said.text!r}: {name} is in {units.name(recorded)}, which cannot be"
                f" converted to {units.name(asked)}"
            )
        if by != 1.0:
            self.caveats.append(
                f"{name} converted from {units.name(recorded)} to {units.name(asked)}"
                f" (1 {asked} = {units.factor(recorded, asked):.10g} {units.name(recorded)})"
            )
        return by

    def add_filter(self, pos: int, f: Filter, toks: list[Tok]) -> None:
        said = [t for t in toks if t.kind == "unit"]
        if said and f.op in ("=", "!=", "<", "<=", ">", ">=", "in", "between"):
            if len({units.canonical(t.data) for t in said}) > 1:
                raise Unanswerable(f"{f.describe()}: two different units in one condition")
            by = self.convert(f.column, said[0])
            if by != 1.0 and all(isinstance(v, int | float) for v in f.values):
                f = Filter(f.column, f.op, tuple(v / by for v in f.values), f.part)
        self.filtered.add(f.column)
        self.filters.append((pos, f))
        self.note(toks, f"only rows where {f.describe()}")

    # -- the reading -----------------------------------------------------------------

    def check_anaphora(self) -> bool:
        """ "those", "them", "the same": only with an answered question to point back to."""
        words = [t.text for t in self.toks if t.kind == "rownoun" and t.text in lx.ANAPHORA]
        if not words:
            return False
        if not self.follow_up:
            raise Unanswerable(
                f"{words[0]!r} points back to an earlier answer, and this question has none:"
                " name the rows instead (e.g. 'patients')"
            )
        if not self.answered:
            raise Unanswerable(
                f"{words[0]!r} points back to the previous question, which was not answered:"
                " ask it again in full"
            )
        return True

    def opens_as_follow_up(self) -> bool:
        first = self.toks[0] if self.toks else None
        if first is None:
            return False
        if first.kind == "and" or first.text in _FOLLOW_OPENINGS:
            return True
        return first.text == "and what about" or (
            first.text == "the" and len(self.toks) > 1 and self.toks[1].text == "same"
        )

    def read(self) -> Reading:
        refers = self.check_anaphora()
        self.read_order()
        self.read_ranking()
        self.read_groups()
        self.read_between()
        self.read_dates()
        self.read_comparisons()
        self.read_missing()
        self.read_contains()
        self.read_yes_no()
        unknown = [t for t in self.toks if t.kind == "unknown" and not t.used]
        if unknown:  # say so first: no later message would be as useful
            quoted = ", ".join(t.data or repr(t.text) for t in unknown)
            raise Unanswerable(f"not understood: {quoted}. {self.known()}")
        for t in self.toks:
            first = t.text.split()[0]
            if t.kind == "cmp" and not t.used and first in lx.COMPARATIVES and " " in t.text:
                t.kind, t.data = "comp", lx.COMPARATIVES[first]  # "older than" with no number
        stat_toks = [t for t in self.toks if t.kind == "stat" and not t.used]
        comp_toks = [t for t in self.toks if t.kind == "comp" and not t.used]
        stats = {t.data for t in stat_toks}
        difference = (
            "difference" in stats
            or bool(comp_toks)
            or (
                any(t.kind == "vs" for t in self.toks)
                and not stats
                & {"correlation", "spearman", "slope", "r2", "intercept", "prediction"}
            )
        )
        self.read_values(difference, crosstab="crosstab" in stats)
        plan = self.read_statistic(stat_toks, comp_toks, difference)
        scale, unit = self.read_units(plan)
        self.check_leftovers()
        score = sum(1 for t in self.toks if t.used and t.kind in ("col", "val", "flag"))
        named = any(t.kind == "dsname" for t in self.toks)
        fragment = self.fragment() if plan is None else {}
        continues = refers or self.opens_as_follow_up()
        return Reading(
            plan, self.notes, self.caveats, fragment, score, named, continues, scale, unit
        )

    def read_units(self, plan: Plan | None) -> tuple[float, str | None]:
        """ "the average survival in months": a unit left after the conditions is the
        answer's. Converted exactly where the statistic is in the column's unit (a mean,
        not a count), and refused where it cannot be."""
        said = [t for t in self.toks if t.kind == "unit" and not t.used]
        if not said:
            return 1.0, None
        asked = {units.canonical(t.data) for t in said}
        quoted = ", ".join(repr(t.text) for t in said)
        if len(asked) > 1:
            raise Unanswerable(f"{quoted}: which unit should the answer be in?")
        if plan is None or plan.column is None:
            raise Unanswerable(f"{quoted}: a unit of what? name the column it measures")
        by = self.convert(plan.column, said[0])
        statistic = plan.of if plan.statistic == "difference" else plan.statistic
        if by != 1.0 and statistic not in units.LINEAR:
            raise Unanswerable(
                f"{quoted}: a {str(statistic).replace('_', ' ')} is not in {plan.column}'s"
                " unit, so it cannot be converted"
            )
        unit = units.name(units.canonical(said[0].data))
        self.note(said, f"in {unit}")
        return by, unit

    def fragment(self) -> dict[str, Any]:
        return {
            "filters": [f for _p, f in self.filters],
            "group_by": self.group_by,
            "order": self.order,
            "statistic": self.stat_change,
        }

    # rankings: "top 5 patients by bmi", "the three lightest babies", "which patient has
    # the highest bmi", "5 oldest patients"
    def read_group_ranking(self) -> bool:
        """ "which ward has the most admissions", "which diagnosis has the highest mean los"."""
        toks = self.toks
        for i, t in enumerate(toks[:-2]):
            if t.text != "which" or t.used:
                continue
            c = toks[i + 1]
            if not (c.kind == "col" or (c.kind in ("val", "flag") and c.has("col"))):
                continue
            if c.kind != "col":
                c.alts[c.kind] = c.data
                c.kind, c.data = "col", c.alts.pop("col")
            name = self.one_column(c)
            if self.col(name).type not in ("category", "boolean", "integer", "text"):
                continue
            for k in range(i + 2, len(toks)):
                s = toks[k]
                if s.has("super") and s.get("super")[1] is None:
                    n = 1
                    direction = s.get("super")[0]
                    self.group_by.append(GroupBy(name))
                    self.group_rank = (direction, n)
                    word = "highest" if direction == "desc" else "lowest"
                    self.note([t, c, s], f"the {name} with the {word} value")
                    return True
            return False
        return False

    def read_ranking(self) -> None:
        if self.read_group_ranking():
            return
        toks = self.toks
        # "who" asks for rows only as the question's first word ("who has the highest
        # bmi"); after a row noun it is a relative ("patients who did not survive").
        asks_which = any(
            t.text in ("which", "list", "name", "names") or (t.text in ("who", "whose") and k == 0)
            for k, t in enumerate(toks)
        )
        for i, t in enumerate(toks):
            if t.used:
                continue
            if t.kind == "stat" and t.data in ("top", "bottom"):
                direction = "desc" if t.data == "top" else "asc"
                used = [t]
                n, j = self.count_after(i, used)
                col = None
                k = j
                while (
                    k is not None
                    and k < len(toks)
                    and (toks[k].kind in ("rownoun", "filler", "val", "flag") or toks[k].used)
                ):  # "bottom 2 female pts by age": the value is a condition, read later
                    if toks[k].kind == "rownoun":
                        used.append(toks[k])
                    k += 1
                if (
                    k is not None
                    and k < len(toks)
                    and toks[k].kind == "group"
                    and toks[k].text in ("by", "per")
                ):
                    used.append(toks[k])
                    k += 1
                if k is not None and k < len(toks) and self.is_col(toks[k]):
                    col = self.one_column(toks[k], numeric=True)
                    used.append(toks[k])
                elif k is not None and k < len(toks) and toks[k].kind in ("super", "stat"):
                    sup = toks[k]
                    used.append(sup)
                    m = self.nxt(k)
                    if m is not None and self.is_col(toks[m]):
                        col = self.one_column(toks[m], numeric=True)
                        used.append(toks[m])
                if col is None:
                    raise Unanswerable(
                        f'{t.text!r} needs a numeric column to rank by ("top 5 patients by bmi")'
                    )
                self.set_rank(direction, 1 if n is None else n, col, used, defaulted=n is None)
                return
            if t.kind == "super" or (t.has("super") and t.kind == "stat"):
                direction, concept = t.get("super")
                before = self.number_before(i)
                n = None
                used = [t]
                if before is None:
                    before = self.count_asked(i)
                if before is not None:
                    n = toks[before].data
                    used.append(toks[before])
                if n is None and not asks_which:
                    continue  # "the highest bmi": a maximum, not a ranking
                col = None
                after = self.nxt(i)
                if after is not None and toks[after].text in lx.MEASURED:
                    after = self.nxt(after)  # "the highest measured weight"
                if (
                    after is not None
                    and self.is_col(toks[after])
                    and (concept is None or toks[after].kind != "flag")
                ):
                    col = self.one_column(toks[after], numeric=True)
                    used.append(toks[after])
                elif concept is not None:
                    col = self.concept_column(concept, t.text, self.rownoun_near(i))
                if col is None:
                    continue
                self.set_rank(direction, 1 if n is None else n, col, used, defaulted=False)
                return

    def count_asked(self, i: int) -> int | None:
        """ "which 3 patients have the highest …", "show me the two women with the lowest
        …": a whole number right after the asking words, before the superlative at i."""
        toks = self.toks
        for k in range(i):
            t = toks[k]
            if t.text in ("which", "show me", "list", "list all", "name") or (
                t.text == "show" and k + 1 < len(toks) and toks[k + 1].text == "me"
            ):
                m = k + 1
                while m < i and toks[m].text in ("me", "the"):
                    m += 1
                if (
                    m < i
                    and toks[m].kind == "num"
                    and not toks[m].used
                    and isinstance(toks[m].data, int)
                    and toks[m].data > 0
                ):
                    return m
        return None

    def count_after(self, i: int, used: list[Tok]) -> tuple[int | None, int]:
        j = i + 1
        if j < len(self.toks) and self.toks[j].kind == "num":
            n = self.toks[j].data
            if not isinstance(n, int) or n < 1:
                raise Unanswerable(f"{n!r} rows: a ranking lists from 1 to 1000 rows")
            used.append(self.toks[j])
            return n, j + 1
        return None, j

    def set_rank(self, direction: str, n: int, col: str, used: list[Tok], defaulted: bool) -> None:
        if not 1 <= n <= 1000:
            raise Unanswerable("a ranking lists from 1 to 1000 rows")
        self.rank = (direction, n, col)
        word = "highest" if direction == "desc" else "lowest"
        self.note(used, f"the {n} row(s) with the {word} {col}")
        if defaulted:
            self.caveats.append("no number was given: the single top row is shown")

    def read_order(self) -> None:
        """ "lightest first", "highest first", "in descending order"."""
        for k, t in enumerate(self.toks):
            if t.kind == "order" and t.data == "first" and not t.used:
                p = self.prev(k)
                if p is not None and self.toks[p].has("super"):
                    self.order = self.toks[p].get("super")[0]
                    self.note(
                        [self.toks[p], t], f"{'lowest' if self.order == 'asc' else 'highest'} first"
                    )
            elif t.kind == "order" and t.data in ("asc", "desc") and not t.used:
                self.order = t.data
                self.note([t], f"{'ascending' if t.data == 'asc' else 'descending'} order")

    def number_before(self, i: int) -> int | None:
        """ "the 3 patients with the longest …": a count a few words before a superlative."""
        j = i - 1
        while j >= 0 and i - j <= 5:
            t = self.toks[j]
            if t.kind == "num" and isinstance(t.data, int) and not t.used:
                return j
            if t.used or t.kind not in ("rownoun", "filler"):
                return None
            j -= 1
        return None

    def read_groups(self) -> None:
        toks = self.toks
        for i, t in enumerate(toks):
            if t.used or t.kind != "group":
                continue
            j = self.nxt(i)
            if j is None:
                continue
            target = toks[j]
            if target.kind == "bin" or (target.has("bin") and not self.is_col(target)):
                date_col = self.date_column(near=j)
                b = target.get("bin")
                self.group_by.append(GroupBy(date_col, b))
                self.note([t, target], f"one result per {b} of {date_col}")
                continue
            if not self.is_col(target):
                if target.has("val") or target.kind == "rownoun":
                    t.used = True  # "weight gained by married mothers": not a grouping
                continue
            first = self.one_column(target)
            self.group_by.append(GroupBy(first))
            used = [t, target]
            k = self.nxt(j)
            if k is not None and toks[k].kind == "and":
                m = self.nxt(k)
                if m is not None and self.is_col(toks[m]):
                    self.group_by.append(GroupBy(self.one_column(toks[m])))
                    used += [toks[k], toks[m]]
            self.note(used, "one result per " + " and ".join(g.column for g in self.group_by))

    def date_column(self, near: int | None = None) -> str:
        dates = [c.name for c in self.ds.columns if c.type == "date"]
        if near is not None:
            for k in (near - 1, near + 1, near + 2):
                if 0 <= k < len(self.toks) and self.is_col(self.toks[k]) and not self.toks[k].used:
                    names = [n for n in self.columns_of(self.toks[k]) if n in dates]
                    if len(names) == 1:
                        self.toks[k].used = True
                        return names[0]
        mentioned = [
            t
            for t in self.toks
            if not t.used and t.has("col") and any(n in dates for n in t.get("col")[0])
        ]
        if len(mentioned) == 1:
            names = [n for n in mentioned[0].get("col")[0] if n in dates]
            if len(names) == 1:
                mentioned[0].used = True
                return names[0]
        if len(dates) == 1:
            return dates[0]
        if not dates:
            raise Unanswerable("this dataset has no date column")
        raise Unanswerable(f"which date? this dataset has {', '.join(dates)}")

    def read_between(self) -> None:
        toks = self.toks
        for i, t in enumerate(toks):
            if t.used or t.kind != "between":
                continue
            a = self.nxt(i)
            if a is None or toks[a].kind not in ("num", "date"):
                continue
            u = a + 1 if a + 1 < len(toks) and toks[a + 1].kind == "unit" else None
            conj = self.nxt(u if u is not None else a)
            if conj is None or not (toks[conj].kind == "and" or toks[conj].text == "to"):
                continue
            b = self.nxt(conj)
            if b is None or toks[b].kind != toks[a].kind:
                continue
            used = [t, toks[a], toks[conj], toks[b]]
            if u is not None:
                used.append(toks[u])
            if b + 1 < len(toks) and toks[b + 1].kind == "unit":
                used.append(toks[b + 1])
            col = self.subject_column(i, used, date=toks[a].kind == "date")
            low, high = toks[a].data, toks[b].data
            if high < low:
                low, high = high, low
                self.caveats.append(f"read as between {low} and {high}")
            self.add_filter(i, Filter(col, "between", (low, high)), used)

    def subject_column(
        self,
        i: int,
        used: list[Tok],
        date: bool = False,
        implied: str | None = None,
        after: int | None = None,
    ) -> str:
        """The column a comparison at token i is about: named before it, or implied."""
        p = self.prev(i)
        before = self.toks[p] if p is not None and self.is_col(self.toks[p]) else None
        behind = (
            self.toks[after]
            if after is not None
            and after < len(self.toks)
            and self.is_col(self.toks[after])
            and not self.toks[after].used
            else None
        )
        if before is not None and behind is not None:
            a = self.one_column(before, numeric=not date, date=date)
            if self.columns_of(behind, numeric=not date, date=date) == [a]:
                used += [before, behind]  # "gestation under 37 weeks"
                return a
        if behind is not None and (
            behind.text in lx.UNITS
            or (before is None and behind.kind == "col" and after == self.toks.index(used[1]) + 1)
        ):
            used.append(behind)  # "under 37 weeks"
            return self.one_column(behind, numeric=not date, date=date)
        if before is not None:
            used.append(before)
            return self.one_column(before, numeric=not date, date=date)
        if date:
            return self.date_column()
        if implied:
            return self.concept_column(
                implied, " ".join(t.text for t in used), self.rownoun_near(i)
            )
        unit = next((t for t in used if t.kind == "unit"), None)
        if unit is not None and unit.data in ("years", "year", "years old", "yrs", "y", "old"):
            return self.concept_column("age", " ".join(t.text for t in used))
        ages = [
            c.name
            for c in self.ds.columns
            if c.info.numeric
            and (
                "age" in c.name.split("_")
                or "age" in _words(self.ds.dictionary.get(c.name, {}).get("label", ""))
            )
        ]
        if p is not None and len(ages) > 1:
            ages = self.hinted(ages, self.toks[p])  # "mothers over 35": the mother's age
        plain = [a for a in ages if self.is_plain_age(a)]
        said = {t.text for t in self.toks}
        qualified = any(
            share_stem(w, x)
            for a in ages
            if a not in plain
            for w in a.split("_")
            if w != "age"
            for x in said
        )
        if len(ages) > 1 and len(plain) == 1 and not qualified:
            ages = plain  # "patients over 65" beside median_rbc_age: the patient's own age
        if len(ages) == 1 and p is not None and self.toks[p].kind in ("rownoun", "val", "flag"):
            self.caveats.append(
                f"{' '.join(t.text for t in used)!r} has no column of its own: read as {ages[0]}"
            )
            return ages[0]
        numeric = ", ".join(c.name for c in self.ds.columns if c.info.numeric)
        phrase = " ".join(t.text for t in sorted(used, key=lambda t: t.start))
        raise Unanswerable(f"{phrase!r}: which column? the numeric columns are {numeric}")

    def read_dates(self) -> None:
        toks = self.toks
        for i, t in enumerate(toks):
            if t.used:
                continue
            if t.kind == "month" or (t.has("month") and t.text != "may"):
                if t.text == "may" and not (i > 0 and toks[i - 1].text in ("in", "during")):
                    continue
                used = [t]
                if i > 0 and toks[i - 1].text in ("in", "during", "of"):
                    used.append(toks[i - 1])
                j = i + 1
                year = None
                if (
                    j < len(toks)
                    and toks[j].kind == "num"
                    and isinstance(toks[j].data, int)
                    and (1900 <= toks[j].data <= 2100)
                ):
                    year = toks[j].data
                    used.append(toks[j])
                col = self.date_near(i)
                month = t.get("month")
                if year is not None:
                    last = monthrange(year, month)[1]
                    f = Filter(
                        col, "between", (f"{year}-{month:02d}-01", f"{year}-{month:02d}-{last:02d}")
                    )
                else:
                    f = Filter(col, "=", (month,), part="month")
                    self.caveats.append(f"no year was given: {t.text} of every year counts")
                self.add_filter(i, f, used)
            elif (
                t.kind == "num"
                and isinstance(t.data, int)
                and 1900 <= t.data <= 2100
                and (i > 0 and toks[i - 1].text in ("in", "during"))
                and any(c.type == "date" for c in self.ds.columns)
            ):
                col = self.date_near(i)
                self.add_filter(i, Filter(col, "=", (t.data,), part="year"), [toks[i - 1], t])
            elif t.kind in ("before", "after") or (t.has("after") and t.kind == "between"):
                nxt_i = self.nxt(i)
                if nxt_i is None or toks[nxt_i].kind != "date":
                    continue
                op = "<" if t.kind == "before" else ">"
                if t.text in ("since", "from"):
                    op = ">="
                col = self.date_near(i)
                self.add_filter(i, Filter(col, op, (toks[nxt_i].data,)), [t, toks[nxt_i]])
            elif t.kind == "date" and i > 0 and toks[i - 1].text == "on":
                col = self.date_near(i)
                self.add_filter(i, Filter(col, "=", (t.data,)), [toks[i - 1], t])

    def date_near(self, i: int) -> str:
        p = self.prev(i)
        if p is not None and self.toks[p].has("col"):
            names = [n for n in self.toks[p].get("col")[0] if self.col(n).type == "date"]
            if len(names) == 1:
                self.toks[p].used = True
                return str(names[0])
        return self.date_column()

    def read_comparisons(self) -> None:
        toks = self.toks
        for i, t in enumerate(toks):
            if t.used:
                continue
            numeric_time = (
                t.kind in ("before", "after")
                and i + 1 < len(toks)
                and toks[i + 1].kind == "num"
                and not (1900 <= toks[i + 1].data <= 2100)
            )
            if (
                t.kind == "cmp"
                or numeric_time
                or (t.has("cmp") and t.kind in ("super", "stat", "comp"))
            ):
                if numeric_time:
                    op, phrase = ("<" if t.kind == "before" else ">"), t.text
                else:
                    op, phrase = t.get("cmp")
                j = self.nxt(i, skip_soft=False)
                if j is not None and toks[j].kind == "filler" and toks[j].text in ("a", "an"):
                    j = self.nxt(j, skip_soft=False)
                if j is None or toks[j].kind not in ("num", "date"):
                    continue
                used = [t, toks[j]]
                if j + 1 < len(toks) and toks[j + 1].kind == "unit":
                    used.append(toks[j + 1])
                implied = _implied(phrase)
                col = self.subject_column(
                    i,
                    used,
                    date=toks[j].kind == "date",
                    implied=implied,
                    after=j + 2 if len(used) == 3 else j + 1,
                )
                if op == "=" and self.col(col).info.numeric is False and toks[j].kind != "date":
                    raise Unanswerable(f"{col} is not numeric: cannot compare it to a number")
                self.add_filter(i, Filter(col, op, (toks[j].data,)), used)
            elif t.kind == "num" and not t.used:
                j = t.end
                k = i + 1
                if k < len(toks) and toks[k].kind == "unit":
                    k += 1
                if k < len(toks) and (toks[k].kind == "scmp" or toks[k].has("scmp")):
                    op, phrase = toks[k].get("scmp")
                    used = [t, *toks[i + 1 : k + 1]]
                    implied = _implied(phrase)
                    col = self.subject_column(i, used, implied=implied)
                    self.add_filter(i, Filter(col, op, (t.data,)), used)
                    continue
                del j
                nxt = toks[i + 1] if i + 1 < len(toks) else None
                if nxt is not None and nxt.kind == "unit" and nxt.data == "years old":
                    p = self.prev(i)
                    if p is None or toks[p].kind != "col":
                        col = self.concept_column(
                            "age", f"{t.text} {nxt.text}", self.rownoun_near(i)
                        )
                        self.add_filter(i, Filter(col, "=", (t.data,)), [t, nxt])
                        continue
                if nxt is not None and not nxt.used and nxt.text in lx.UNITS and self.is_col(nxt):
                    # "at 40 weeks": the unit names the column
                    col = self.one_column(nxt, numeric=True)
                    self.add_filter(i, Filter(col, "=", (t.data,)), [t, nxt])
                    continue
                # "aged 65", "bmi of 30", "ecog 2 or 3": a column, then a number (or several).
                p = self.prev(i)
                if p is not None and self.is_col(toks[p]) and toks[p].kind != "flag":
                    col = self.one_column(toks[p], numeric=True)
                    if not self.col(col).info.numeric and self.col(col).type != "identifier":
                        continue
                    used = [toks[p], t]
                    if nxt is not None and nxt.kind == "unit":
                        used.append(nxt)
                    to = self.nxt(i, skip_soft=False)
                    if (
                        to is not None
                        and toks[to].text in ("to", "through")
                        and not (to + 1 < len(toks) and toks[to + 1].kind == "num")
                    ):
                        raise Unanswerable(f"'{toks[p].text} {t.text} {toks[to].text}' to what?")
                    if (
                        to is not None
                        and toks[to].text in ("to", "through")
                        and (to + 1 < len(toks) and toks[to + 1].kind == "num")
                    ):
                        used += [toks[to], toks[to + 1]]  # "aged 30 to 40"
                        if to + 2 < len(toks) and toks[to + 2].kind == "unit":
                            used.append(toks[to + 2])
                        f = Filter(col, "between", (t.data, toks[to + 1].data))
                        self.add_filter(i, f, used)
                        continue
                    values = [t.data]
                    k = i
                    while True:
                        c = self.nxt(k)
                        if c is None or (toks[c].kind not in ("or", "and") and toks[c].text != ","):
                            break
                        d = self.nxt(c)
                        if d is None or toks[d].kind != "num":
                            break
                        values.append(toks[d].data)
                        used += [toks[c], toks[d]]
                        k = d
                    if len(values) > 1 and any(toks[x].kind == "and" for x in range(i, k)):
                        raise Unanswerable(f"{col} cannot be {values[0]} and {values[1]} at once")
                    f = (
                        Filter(col, "in", tuple(values))
                        if len(values) > 1
                        else Filter(col, "=", (t.data,))
                    )
                    self.add_filter(i, f, used)

    def read_missing(self) -> None:
        toks = self.toks
        for i, t in enumerate(toks):
            if t.used or t.kind not in ("missing", "present"):
                continue
            op = "is_null" if t.kind == "missing" else "not_null"
            used = [t]
            p = self.prev(i)
            j = self.nxt(i)
            if (
                t.text in lx.MEASURED
                and j == i + 1
                and self.is_col(toks[j])
                and p is not None
                and toks[p].kind == "stat"
                and toks[p].data not in ("count", "percentage", "count_distinct")
            ):
                continue  # "the average measured weight": which column, not a condition
            if p is not None and toks[p].kind == "not" and t.kind == "missing":
                op = "not_null"
                used.append(toks[p])
                p = self.prev(p)
            if j is not None and self.is_col(toks[j]):
                col = self.one_column(toks[j])
                used.append(toks[j])
            elif p is not None and self.is_col(toks[p]):
                col = self.one_column(toks[p])
                used.append(toks[p])
                q = self.prev(p)
                if q is not None and toks[q].kind == "not" and t.kind == "present":
                    op = "is_null"  # "no weight gained recorded"
                    used.append(toks[q])
            else:
                continue
            self.add_filter(i, Filter(col, op), used)
        # "with no bmi", "without a recorded weight" are read above; "no bmi" here.
        for i, t in enumerate(toks):
            if t.used or t.kind != "not" or t.text not in ("no", "without"):
                continue
            j = self.nxt(i)
            if j is not None and toks[j].kind == "col" and not toks[j].has("val"):
                profile = self.col(self.one_column(toks[j]))
                if profile.type == "boolean":
                    continue
                if profile.type == "integer" and profile.min == 0:
                    f = Filter(profile.name, "=", (0,))  # "no physician visits": none at all
                elif profile.nulls:
                    f = Filter(profile.name, "is_null")  # "no bmi": not recorded
                else:
                    raise Unanswerable(f"{t.text} {toks[j].text!r}: {profile.name} is never empty")
                self.add_filter(i, f, [t, toks[j]])

    def read_contains(self) -> None:
        toks = self.toks
        for i, t in enumerate(toks):
            if t.used or t.text not in (
                "contains",
                "containing",
                "mentions",
                "mentioning",
                "including",
                "includes",
                "like",
                "matching",
            ):
                continue
            j = self.nxt(i)
            if j is None or toks[j].kind not in ("text", "unknown", "val", "col"):
                continue
            used = [t, toks[j]]
            col = (
                self.subject_column(i, used, implied=None)
                if self.prev(i) is not None and (self.is_col(toks[self.prev(i) or 0]))
                else None
            )
            if col is None:
                texts = [c.name for c in self.ds.columns if c.type in ("category", "text")]
                if len(texts) != 1:
                    continue
                col = texts[0]
            self.add_filter(i, Filter(col, "contains", (toks[j].text,)), used)

    def value_of(self, tok: Tok, column: str | None = None) -> tuple[str, Any] | None:
        for kind in ("val",):
            if tok.has(kind):
                options = tok.get(kind)
                if column is not None:
                    options = [o for o in options if o[0] == column]
                if len(options) == 1:
                    return cast(tuple[str, Any], options[0])
                if len(options) > 1:
                    cols = sorted({o[0] for o in options})
                    own = self.own_column(cols)
                    if own is not None:
                        options = [o for o in options if o[0] == own]
                        cols = [own]
                    if len(cols) > 1:
                        raise Unanswerable(
                            f"{tok.text!r} is a value of {', '.join(cols)}: say which column"
                        )
                    return cast(tuple[str, Any], options[0])
        return None

    def own_column(self, cols: list[str]) -> str | None:
        """Of columns sharing a value, the one about the row's own subject: "female" is
        sex, not donor_sex, where the question never says "donor". Only where exactly one
        is named by one word and each other one is that word with others before it."""
        plain = [c for c in cols if "_" not in c]
        if len(plain) != 1:
            return None
        base = plain[0]
        said = {t.text for t in self.toks}
        for c in cols:
            if c == base:
                continue
            words = c.split("_")
            if words[-1] != base or any(share_stem(w, x) for w in words[:-1] for x in said):
                return None
        return base

    def read_values(self, difference: bool, crosstab: bool = False) -> None:
        """Value filters: "women", "with heart failure", "not smokers", "stage 3 or 4"."""
        toks = self.toks
        i = 0
        while i < len(toks):
            t = toks[i]
            if t.used or not (t.has("val") or t.kind == "flag"):
                i += 1
                continue
            if crosstab and t.has("col") and t.get("col")[1]:
                # "crosstab of premie by gender": the column, not its value
                t.alts[t.kind] = t.data
                t.kind, t.data = "col", t.alts.pop("col")
                i += 1
                continue
            if t.kind == "col" and not t.has("val"):
                i += 1
                continue
            used = [t]
            negated = False
            p = self.prev(i)
            if p is not None and toks[p].kind == "not":
                negated = True
                used.append(toks[p])
                p = self.prev(p)
            column: str | None = None
            if p is not None and toks[p].kind == "col" and not toks[p].used:
                names = toks[p].get("col")[0]
                val = t.get("val") if t.has("val") else []
                if any(o[0] in names for o in val):
                    column = next(o[0] for o in val if o[0] in names)
                    used.append(toks[p])
            if t.has("val"):
                pair = self.value_of(t, column)
                assert pair is not None
                column, value = pair
            else:
                column, pos, neg = t.get("flag")[0]
                value = pos
            values = [value]
            k = i
            joined: list[Tok] = []
            while True:
                c = self.nxt(k)
                if c is None or (toks[c].kind not in ("or", "and", "vs") and toks[c].text != ","):
                    break
                d = self.nxt(c)
                if d is None or not toks[d].has("val"):
                    break
                other = self.value_of(toks[d], column)
                if other is None or other[0] != column:
                    break
                if difference and toks[c].kind in ("and", "vs"):
                    break  # two groups to compare, not one set
                if toks[c].kind == "and" and not negated:
                    raise Unanswerable(
                        f"{t.text!r} and {toks[d].text!r} are values of the same column {column}:"
                        " say 'or' for rows with either, or ask per group"
                    )
                joined += [toks[c], toks[d]]
                values.append(other[1])
                k = d
            used += joined
            after = self.nxt(k)
            if (
                after is not None
                and toks[after].kind == "col"
                and column in self.columns_of(toks[after])
            ):
                used.append(toks[after])  # "the orthopaedics ward"
            if t.kind == "flag" and not t.has("val"):
                f = Filter(column, "=", (neg if negated else value,))
            elif len(values) == 1:
                f = Filter(column, "!=" if negated else "=", (value,))
            elif negated:
                for v in values[1:]:
                    self.filters.append((i, Filter(column, "!=", (v,))))
                f = Filter(column, "!=", (values[0],))
            else:
                f = Filter(column, "in", tuple(values))
            self.add_filter(i, f, used)
            i = k + 1

    def read_yes_no(self) -> None:
        """ "prior yes", "diabetic = no": a yes/no column followed by its answer."""
        toks = self.toks
        for i, t in enumerate(toks):
            if t.used or not self.is_col(t):
                continue
            j = self.nxt(i)
            if j is None or toks[j].text not in ("yes", "no", "true", "false"):
                continue
            names = [n for n in self.columns_of(t) if self.col(n).type == "boolean"]
            if len(names) != 1:
                continue
            col = self.col(names[0])
            positive: Any = 1
            negative: Any = 0
            for v in (x["value"] for x in col.values):
                if isinstance(v, str):
                    if v.strip().lower() in ("yes", "y", "true", "t"):
                        positive = v
                    else:
                        negative = v
            value = positive if toks[j].text in ("yes", "true") else negative
            self.add_filter(i, Filter(col.name, "=", (value,)), [t, toks[j]])

    # -- statistics ----------------------------------------------------------------

    def measures(self) -> list[Tok]:
        return [t for t in self.toks if not t.used and (t.kind in ("col", "flag"))]

    def read_statistic(
        self, stat_toks: list[Tok], comp_toks: list[Tok], difference: bool
    ) -> Plan | None:
        stats = [t for t in stat_toks if not t.used and t.data not in ("which",)]
        asks_which = False
        for t in stat_toks:
            if t.data == "which":
                t.used = True
                k = self.toks.index(t)
                if (
                    t.text == "which"
                    and k + 1 < len(self.toks)
                    and self.toks[k + 1].kind == ("rownoun")
                ):
                    asks_which = True
        if asks_which and not stats and self.rank is None:
            label = self.label_column()
            self.note(
                [t for t in stat_toks if t.data == "which"],
                f"list the matching rows by {label or 'position'}",
            )
            return self.finish(Plan(dataset=self.ds.name, statistic="list", label=label))
        names = [t.data for t in stats]
        base = Plan(dataset=self.ds.name, statistic="count")
        if self.rank is not None:
            direction, n, col = self.rank
            label = self.label_column()
            for t in stats:
                if t.data in ("list",):
                    t.used = True
            return self.finish(
                base.with_(
                    statistic="top" if direction == "desc" else "bottom",
                    column=col,
                    limit=n,
                    order=self.order,
                    label=label,
                )
            )
        if "logistic" in names or "odds_ratio" in names or "probability" in names:
            return self.logistic(stats)
        if any(n in names for n in ("slope", "intercept", "r2", "prediction")):
            return self.linear(stats)
        if "correlation" in names or "spearman" in names:
            cols = self.measures()
            for t in stats:
                t.used = True
            if len(cols) != 2:
                raise Unanswerable("a correlation needs exactly two numeric columns")
            y = self.one_column(cols[0], numeric=True)
            x = self.one_column(cols[1], numeric=True)
            for t in self.toks:  # "corr age vs sbp": the two columns' link
                if t.kind in ("vs", "on") and cols[0].start < t.start < cols[1].start:
                    t.used = True
            method = "spearman" if "spearman" in names else "pearson"
            self.note([*stats, *cols], f"{method} correlation of {y} and {x}")
            return self.finish(base.with_(statistic="correlation", column=y, x=x, method=method))
        if "crosstab" in names:
            t = next(s for s in stats if s.data == "crosstab")
            cols = self.measures()
            self.group_by = [GroupBy(self.one_column(c)) for c in cols] + self.group_by
            for s in self.toks:  # "region against gender", "sex x substance"
                if (
                    s.kind in ("vs", "on")
                    and len(cols) == 2
                    and cols[0].start < s.start < cols[1].start
                ):
                    s.used = True
            if len(self.group_by) != 2:
                raise Unanswerable("a cross-tabulation needs two columns")
            self.note(
                [t, *cols], f"counts by {self.group_by[0].column} and {self.group_by[1].column}"
            )
            for s in stats:
                s.used = True
            return self.finish(base.with_(statistic="crosstab"))
        if difference and (comp_toks or "difference" in names or self.two_groups()):
            return self.difference(stats, comp_toks)
        if "percentage" in names:
            below = self.share_at_or_below(stats)
            if below is not None:
                return below
            return self.percentage(stats)
        if "list" in names and not any(n for n in names if n != "list"):
            for t in stats:
                t.used = True
            label = self.label_column()
            self.note(stats, f"list the matching rows by {label or 'position'}")
            return self.finish(base.with_(statistic="list", label=label))
        return self.simple(stats)

    def label_column(self) -> str | None:
        for t in self.toks:
            if not t.used and t.kind == "col":
                names = t.get("col")[0]
                if len(names) == 1 and self.col(names[0]).type in (
                    "identifier",
                    "text",
                    "category",
                ):
                    t.used = True
                    self.note([t], f"rows named by {names[0]}")
                    return str(names[0])
        return None

    def simple(self, stats: list[Tok]) -> Plan | None:
        base = Plan(dataset=self.ds.name, statistic="count")
        kinds = []
        for t in stats:
            name = t.data
            if name in ("top", "bottom", "list", "which"):
                raise Unanswerable(f"{t.text!r} needs a column to rank by and how many rows")
            kinds.append(t)
        # "how many distinct X", "how many patients ... total" — a count with a qualifier.
        primary = [t for t in kinds if t.data != "count"] or kinds
        if (
            len(primary) == 1
            and primary[0].text == "total"
            and len(kinds) > 1
            and not self.measures()
        ):
            primary = [t for t in kinds if t.data == "count"]  # "total no. of pts": a count
        if len({t.data for t in primary}) > 1:
            words = ", ".join(repr(t.text) for t in primary)
            raise Unanswerable(f"the question asks for more than one statistic ({words})")
        if not primary and self.group_rank is not None:
            return self.finish(base)  # "which ward has the most admissions": a count
        if (
            not primary
            and self.group_by
            and any(t.kind == "rownoun" and not t.used for t in self.toks)
        ):
            self.note([], "count of rows")
            return self.finish(base)  # "pts per race": the rows, counted per group
        if not primary:
            if self.follow_up:
                return None
            raise Unanswerable(
                "what should be computed? ask for a count, mean, median, sum, minimum, maximum,"
                " standard deviation, percentile, percentage, difference, correlation or"
                " regression"
            )
        stat = primary[0].data
        used = [*kinds]
        percentile = None
        if stat == "percentile":
            percentile = self.percentile_value(primary[0], used)
        if stat in ("count",):
            for t in kinds:
                t.used = True
            self.note(used, "count of rows")
            return self.finish(base)
        cols = self.measures()
        if stat == "count_distinct" and not cols:
            raise Unanswerable(f"{primary[0].text!r} of which column?")
        if not cols:
            if self.follow_up:
                for t in kinds:
                    t.used = True
                if kinds:
                    self.partial_stat(stat, percentile, used)
                return None
            raise Unanswerable(f"{primary[0].text!r} of which column?")
        if len(cols) > 1 and len({tuple(self.columns_of(c)) for c in cols}) == 1:
            for c in cols[1:]:
                c.used = True  # "length of pregnancy in weeks": one column, named twice
            used += cols[1:]
            cols = cols[:1]
        if len(cols) > 1:
            raise Unanswerable(
                f"{primary[0].text!r} of which column? the question names "
                + ", ".join(repr(c.text) for c in cols)
            )
        numeric = stat not in ("count_distinct", "null_count")
        column = self.one_column(cols[0], numeric=numeric)
        if numeric and not self.col(column).info.numeric:
            raise Unanswerable(
                f"{column} is not numeric: a {stat} of it means nothing (try a count by {column},"
                " or a percentage)"
            )
        used.append(cols[0])
        plan = base.with_(statistic=stat, column=column, percentile=percentile)
        from appliance.analytics.engine import describe

        self.note(used, describe(plan))
        return self.finish(plan)

    def partial_stat(self, stat: str, percentile: float | None, used: list[Tok]) -> None:
        self.stat_change = (stat, percentile)
        self.note(used, f"the {stat.replace('_', ' ')} instead")

    def percentile_value(self, tok: Tok, used: list[Tok]) -> float:
        toks = self.toks
        i = toks.index(tok)
        p = i - 1
        if tok.text in ("upper quartile", "third quartile", "3rd quartile"):
            return 75.0
        if tok.text in ("lower quartile", "first quartile", "1st quartile"):
            return 25.0
        if tok.text == "quartile":
            if (p >= 0 and toks[p].kind in ("ord", "order")) or (
                p >= 0 and toks[p].text in ("lower", "upper", "first", "third")
            ):
                word = toks[p].text
                used.append(toks[p])
                if word in ("first", "lower", "1st"):
                    return 25.0
                if word in ("third", "upper", "3rd"):
                    return 75.0
            raise Unanswerable("which quartile? the first (lower) or third (upper)")
        if p >= 0 and toks[p].kind in ("ord", "num"):
            used.append(toks[p])
            return float(toks[p].data)
        if p >= 0 and toks[p].kind == "order" and toks[p].text == "first":
            used.append(toks[p])
            return 1.0
        raise Unanswerable('which percentile? say e.g. "the 90th percentile of bmi"')

    def two_groups(self) -> bool:
        return any(t.kind == "vs" for t in self.toks if not t.used)

    def difference(self, stats: list[Tok], comp_toks: list[Tok]) -> Plan:
        """A statistic in group A minus the same in group B, in the order asked."""
        toks = self.toks
        inner = [t for t in stats if t.data not in ("difference", "count")]
        used = [t for t in stats if t.data == "difference"]
        sign = 1
        column = None
        of = None
        if comp_toks:
            sign, concept = comp_toks[0].get("comp")
            used.append(comp_toks[0])
            if concept is not None:
                column = self.concept_column(concept, comp_toks[0].text)
                of = "mean"
        for t in stats:
            if t.data == "count":
                used.append(t)
                of = of or "count"
        if inner:
            of = inner[0].data
            used += inner
        if of == "percentage":
            pass
        elif of is None:
            of = "mean"
            self.caveats.append("no statistic was named: the means are compared")
        cols = self.measures()
        if of in ("count", "percentage"):
            pass
        elif column is None:
            if len(cols) != 1:
                raise Unanswerable("a difference of which column? name one numeric column")
            column = self.one_column(cols[0], numeric=True)
            used.append(cols[0])
        # The two groups: the last two filters of one column, in the order asked.
        by_column: dict[str, list[tuple[int, Filter]]] = {}
        for pos, f in self.filters:
            by_column.setdefault(f.column, []).append((pos, f))
        pairs = [v for v in by_column.values() if len(v) == 2]
        if len(pairs) != 1:
            raise Unanswerable(
                'a difference needs two groups of the same column ("between smokers and'
                ' non-smokers")'
            )
        (pa, fa), (pb, fb) = sorted(pairs[0], key=lambda x: x[0])
        self.filters = [(p, f) for p, f in self.filters if (p, f) not in pairs[0]]
        for t in toks:
            if (
                t.kind in ("vs", "than", "and", "between")
                and not t.used
                and pa <= toks.index(t) <= pb
            ):
                t.used = True
        condition: tuple[Filter, ...] = ()
        if of == "percentage":
            condition = self.percentage_condition()
        groups = ((fa,), (fb,)) if sign > 0 else ((fb,), (fa,))
        plan = Plan(
            dataset=self.ds.name,
            statistic="difference",
            of=of,
            column=column,
            groups=groups,
            condition=condition,
        )
        first, second = groups[0][0].describe(), groups[1][0].describe()
        what = f"{of} of {column}" if column else of
        self.note(used, f"difference in {what}: ({first}) minus ({second})")
        return self.finish(plan)

    def share_at_or_below(self, stats: list[Tok]) -> Plan | None:
        """ "what blood pressure value are 90% of patients at or below": the 90th
        percentile. Only in that form: a number and "%", then the rows, then "at or
        below" (or "or under", "or less") with no number after it, and one column."""
        toks = self.toks
        if len(stats) != 1 or stats[0].text not in ("%", "percent", "per cent"):
            return None
        k = toks.index(stats[0])
        if k == 0 or toks[k - 1].kind != "num":
            return None
        # "blood pressure value are 90 %": the 90 may have been read as "= 90"; it is
        # the share, so that reading goes.
        stray = [(p, f) for p, f in self.filters if p == k - 1 and f.op == "="]
        if len(self.filters) != len(stray):
            return None
        last = toks[-1]
        if not (
            last.kind in ("scmp", "cmp")
            and last.text in ("or below", "at most", "or under", "or less")
            and all(t.kind in ("filler", "rownoun") for t in toks[k + 1 : -1])
        ):
            return None
        if stray:
            column = stray[0][1].column
            cols = [t for t in toks[: k - 1] if self.is_col(t) and self.columns_of(t) == [column]]
            others = [t for t in self.measures() if t not in cols]
            if len(cols) != 1 or others:
                return None
        else:
            cols = self.measures()
            if len(cols) != 1:
                return None
            column = self.one_column(cols[0], numeric=True)
        p = toks[k - 1].data
        if not 0 < p < 100:
            raise Unanswerable(f"{p}% of the rows: a share between 0 and 100, please")
        if not self.col(column).info.numeric:
            return None
        self.filters = []
        for t in (stats[0], toks[k - 1], last, cols[0], *toks[k + 1 : -1]):
            t.used = True
        plan = Plan(
            dataset=self.ds.name, statistic="percentile", column=column, percentile=float(p)
        )
        self.note([stats[0], cols[0]], f"the {p}th percentile of {column}")
        return self.finish(plan)

    def percentage_condition(self) -> tuple[Filter, ...]:
        cond = [f for _p, f in self.filters]
        self.filters = []
        if not cond:
            raise Unanswerable('a percentage of which rows? say e.g. "percentage of smokers"')
        return tuple(cond)

    def percentage(self, stats: list[Tok]) -> Plan:
        """Rows meeting a condition, per 100 rows of the population asked about.

        The population is what comes before the percentage word ("among women, what
        percent …"), after "among", or between "of" and the verb ("what percent of women
        with diabetes are smokers"); the condition is the rest. Without a verb, several
        conditions are split only when the last is itself a verb ("… of women died").
        """
        toks = self.toks
        pct = next(t for t in stats if t.data == "percentage")
        start = toks.index(pct)
        for t in stats:
            t.used = True
        ordered = sorted(self.filters, key=lambda x: x[0])
        verb = None
        for k in range(start + 1, len(toks)):
            t = toks[k]
            if t.kind == "filler" and t.text in lx.CONNECTORS and t.text != "with":
                if any(p > k for p, _f in ordered):
                    verb = k
                    break
        among = [k for k, t in enumerate(toks) if t.kind == "among"]
        population: list[tuple[int, Filter]] = []
        condition: list[tuple[int, Filter]] = []
        rate = pct.text in ("rate", "prevalence")
        for pos, f in ordered:
            after_among = any(
                a < pos and not (a < start < pos) and not (verb is not None and a < verb < pos)
                for a in among
            )
            if rate and pos == start - 1:
                condition.append((pos, f))  # "the mortality rate"
            elif pos < start or after_among or (verb is not None and pos < verb):
                population.append((pos, f))
            else:
                condition.append((pos, f))
        if verb is not None and len(condition) > 1:
            # "of respondents whose qualification is a degree smoke": the verb found
            # ("is") was the relative clause's; a bare verb after it with no "and" between
            # is the main one, and what came before it says who is counted.
            last_pos, _last = condition[-1]
            word = toks[last_pos].text
            joined = any(t.kind in ("and", "or") for t in toks[condition[0][0] : last_pos])
            if not joined and (word.endswith("ed") or word in _VERBISH):
                population += condition[:-1]
                condition = condition[-1:]
        if verb is None and len(condition) > 1:
            # "% male pts w/ infection": the words before the row noun say who is
            # counted, what comes after its "with" is counted.
            for r, t in enumerate(toks):
                if (
                    t.kind == "rownoun"
                    and condition[0][0] < r < condition[-1][0]
                    and r + 1 < len(toks)
                    and toks[r + 1].text == "with"
                ):
                    population += [c for c in condition if c[0] < r]
                    condition = [c for c in condition if c[0] > r]
                    break
        if verb is None and len(condition) > 1:
            # "% pts w/ family hx w/ recurrence", "% pts > 55 w/ cmv": the last "with"
            # leads to what is counted; the rows named before it are the population.
            withs = [
                k
                for k, t in enumerate(toks)
                if t.text == "with" and condition[0][0] < k < condition[-1][0]
            ]
            joined = bool(withs) and any(
                t.kind in ("and", "or") for t in toks[condition[0][0] : withs[-1]]
            )
            if withs and not joined:
                w = withs[-1]
                population += [c for c in condition if c[0] < w]
                condition = [c for c in condition if c[0] > w]
        if verb is None and len(condition) > 1:
            last_pos, last = condition[-1]
            word = toks[last_pos].text
            if not (word.endswith(("ed", "ing")) or word in _VERBISH):
                raise Unanswerable(
                    'which rows are counted, and out of which? say e.g. "what percentage of'
                    ' women are smokers"'
                )
            population += condition[:-1]
            condition = [(last_pos, last)]
        for t in toks:
            if t.kind == "among":
                t.used = True
        conditions = [f for _p, f in condition]
        if not conditions and pct.text.split()[0] in ("mortality", "death", "case"):
            conditions.append(self.death_condition(pct.text))
        if not conditions:
            # "the smoking rate": a flag named without a filter is the condition.
            cols = [t for t in self.measures() if t.kind == "flag" or t.has("flag")]
            if len(cols) == 1:
                name, pos_value, _neg = cols[0].get("flag")[0]
                conditions.append(Filter(name, "=", (pos_value,)))
                self.note([cols[0]], f"rows where {name} = {pos_value!r}")
        if not conditions:
            raise Unanswerable('a percentage of which rows? say e.g. "percentage of smokers"')
        self.filters = population
        plan = Plan(dataset=self.ds.name, statistic="percentage", condition=tuple(conditions))
        self.note(
            [pct], "percentage of rows where " + " and ".join(f.describe() for f in conditions)
        )
        if population:
            self.caveats.append(
                "out of the rows where " + " and ".join(f.describe() for _p, f in population)
            )
        return self.finish(plan)

    def death_condition(self, why: str) -> Filter:
        """ "mortality": the dataset's one way of saying a patient died."""
        found: set[tuple[str, Any]] = set()
        for word in ("died", "dead", "death", "deceased"):
            meanings = self.vocab.table.get((word,), {})
            for col, value in meanings.get("val", []):
                found.add((col, value))
            for col, value, _other in meanings.get("flag", []):
                found.add((col, value))
        if len(found) != 1:
            raise Unanswerable(f"{why!r}: this dataset has no single column saying who died")
        col, value = found.pop()
        return Filter(col, "=", (value,))

    def linear(self, stats: list[Tok]) -> Plan:
        names = {t.data for t in stats}
        output = (
            "prediction"
            if "prediction" in names
            else ("intercept" if "intercept" in names else ("r2" if "r2" in names else "slope"))
        )
        for t in stats:
            t.used = True
        at_filters = [
            (p, f)
            for p, f in self.filters
            if f.op == "="
            and self.col(f.column).info.numeric
            and isinstance(f.values[0], int | float)
        ]
        cols = self.measures()
        if output == "prediction":
            if len(at_filters) != 1:
                raise Unanswerable('a prediction needs one value to predict at ("at age 30")')
            (_p, f) = at_filters[0]
            self.filters = [(p, g) for p, g in self.filters if g is not f]
            x = f.column
            # "a regression of sbp on age, … the predicted sbp when age is 60": each
            # column once, and the one predicted at is x, not y.
            named = {c.start: self.columns_of(c, numeric=True) for c in cols}
            ys = [c for c in cols if named[c.start] != [x]]
            if ys and all(named[c.start] == named[ys[0].start] for c in ys):
                for c in cols:
                    if c is not ys[0]:
                        c.used = True
                cols = ys[:1]
                for k, t in enumerate(self.toks[:-1]):  # "of sbp on age": age is x
                    nxt = self.toks[k + 1]
                    if (
                        t.kind == "on"
                        and self.is_col(nxt)
                        and self.columns_of(nxt, numeric=True) == [x]
                    ):
                        t.used = True
            if len(cols) != 1:
                raise Unanswerable("predict which column? name one numeric column")
            y = self.one_column(cols[0], numeric=True)
            self.at[x] = float(f.values[0])
            self.note(
                cols, f"predicted {y} from a least-squares line on {x}, at {x} = {f.values[0]}"
            )
        else:
            if len(cols) != 2:
                raise Unanswerable(
                    'a regression line needs two numeric columns ("slope of y on x")'
                )
            y = self.one_column(cols[0], numeric=True)
            x = self.one_column(cols[1], numeric=True)
            between = [
                t
                for t in self.toks
                if t.kind in ("on", "vs", "group")
                and not t.used
                and cols[0].start < t.start < cols[1].start
            ]
            for t in between:
                t.used = True
            self.note(cols, f"{output} of the least-squares line of {y} on {x}")
        plan = Plan(
            dataset=self.ds.name,
            statistic="linear_regression",
            column=y,
            x=x,
            output=output,
            at=tuple(self.at.items()),
        )
        return self.finish(plan)

    def logistic(self, stats: list[Tok]) -> Plan:
        names = {t.data for t in stats}
        output = "probability" if "probability" in names else "odds_ratio"
        for t in stats:
            t.used = True
        if not self.filters and not self.measures():
            raise Unanswerable("the odds or probability of what? name an outcome")
        grouped, self.group_by = self.group_by, []  # "odds of death by age": age predicts
        # The outcome: the first condition after the statistic word ("odds of death").
        stat_pos = min(self.toks.index(t) for t in stats)
        ordered = sorted(self.filters, key=lambda x: x[0])
        flags = [t for t in self.measures() if t.kind == "flag" or t.has("flag")]
        outcome: Filter | None = None
        after = [(p, f) for p, f in ordered if p > stat_pos]
        first_flag = next((t for t in flags if self.toks.index(t) > stat_pos), None)
        if after and (first_flag is None or after[0][0] < self.toks.index(first_flag)):
            outcome = after[0][1]
            ordered.remove(after[0])
        elif first_flag is not None:
            name, pos_value, _neg = first_flag.get("flag")[0]
            outcome = Filter(name, "=", (pos_value,))
            first_flag.used = True
        if outcome is None:
            raise Unanswerable("the odds or probability of what? name an outcome")
        predictors: list[Predictor] = []
        at: dict[str, float] = {}
        by_column: dict[str, list[Filter]] = {}
        for _p, f in ordered:
            by_column.setdefault(f.column, []).append(f)
        restrict: list[Filter] = []
        for column, fs in by_column.items():
            if len(fs) == 2 and all(f.op == "=" for f in fs):
                # "smokers compared to non-smokers": one indicator, the second its reference
                ordered = [(p, f) for p, f in ordered if f is not fs[1]]
                restrict.append(Filter(column, "in", (fs[0].values[0], fs[1].values[0])))
        for _p, f in ordered:
            if (
                f.op == "="
                and self.col(f.column).type in ("integer", "number")
                and output == ("probability")
            ):
                predictors.append(Predictor(f.column))
                at[f.column] = float(f.values[0])
            elif f.op in ("=", "!="):
                predictors.append(Predictor(f.column, Filter(f.column, "=", f.values)))
                at[Predictor(f.column, Filter(f.column, "=", f.values)).label] = (
                    1.0 if f.op == "=" else 0.0
                )
            else:
                raise Unanswerable(f"{f.describe()} cannot be a predictor; name a column or value")
        for t in self.measures():
            name = self.one_column(t)
            col = self.col(name)
            if col.type == "boolean":
                _n, pos_value, _neg = t.get("flag")[0] if t.has("flag") else (name, 1, 0)
                predictors.append(Predictor(name, Filter(name, "=", (pos_value,))))
            elif col.info.numeric:
                if not any(p.column == name and p.condition is None for p in predictors):
                    predictors.append(Predictor(name))  # "on age, … when age is 80": once
            else:
                raise Unanswerable(f"{name} is not numeric: name one of its values as a predictor")
            t.used = True
        for g in grouped:
            col = self.col(g.column)
            if col.type == "boolean":
                positive = next(
                    (
                        v["value"]
                        for v in col.values
                        if v["value"] in (1, True)
                        or str(v["value"]).lower() in ("yes", "y", "true")
                    ),
                    1,
                )
                predictors.append(Predictor(col.name, Filter(col.name, "=", (positive,))))
            elif col.info.numeric:
                predictors.append(Predictor(col.name))
            else:
                raise Unanswerable(f"{col.name} is not numeric: name one of its values instead")
        for t in self.toks:
            if t.kind in ("on", "vs", "and") and not t.used:
                t.used = True
        self.filters = []
        if not predictors:
            raise Unanswerable("a logistic regression needs at least one predictor")
        if output == "probability" and set(at) != {p.label for p in predictors} | set():
            missing = [p.label for p in predictors if p.label not in at and p.column not in at]
            if missing:
                raise Unanswerable(f"a probability needs a value for {', '.join(missing)}")
        plan = Plan(
            dataset=self.ds.name,
            statistic="logistic_regression",
            filters=tuple(restrict),
            condition=(outcome,),
            predictors=tuple(predictors),
            output=output,
            at=tuple(at.items()) if output == "probability" else (),
        )
        self.note(
            stats,
            f"logistic regression of ({outcome.describe()}) on "
            + ", ".join(p.label for p in predictors),
        )
        return self.finish(plan)

    def finish(self, plan: Plan) -> Plan:
        equal: dict[str, Filter] = {}
        for _p, f in self.filters:
            if f.op == "=" and not f.part:
                other = equal.setdefault(f.column, f)
                if str(other.values[0]).lower() != str(f.values[0]).lower():
                    raise Unanswerable(
                        f"{f.column} cannot be both {other.values[0]!r} and {f.values[0]!r}:"
                        " say 'or' for either, or ask per group"
                    )
        if self.group_rank is not None:
            direction, n = self.group_rank
            if plan.statistic in (
                "top",
                "bottom",
                "list",
                "difference",
                "correlation",
                "linear_regression",
                "logistic_regression",
                "crosstab",
            ):
                raise Unanswerable("a ranking of groups needs one statistic per group")
            self.order = direction
            plan = plan.with_(limit=n)
        if plan.statistic not in ("difference", "logistic_regression", "percentage"):
            plan = plan.with_(filters=tuple(f for _p, f in self.filters))
        elif plan.statistic == "percentage":
            plan = plan.with_(filters=tuple(f for _p, f in self.filters))
        if self.group_by and plan.statistic not in ("crosstab",):
            plan = plan.with_(group_by=tuple(self.group_by))
        elif plan.statistic == "crosstab":
            plan = plan.with_(group_by=tuple(self.group_by))
        if self.order and plan.statistic not in ("top", "bottom"):
            plan = plan.with_(order=self.order)
        return plan

    def data_words(self) -> set[str]:
        """The words of the dataset's name, column names, labels and values."""
        words = set(_words(self.ds.name.replace("_", " ")))
        for c in self.ds.columns:
            words |= set(c.name.split("_"))
            words |= set(_words(self.ds.dictionary.get(c.name, {}).get("label", "")))
            for v in c.values:
                words |= set(_words(str(v["value"])))
        return words

    def female_only(self) -> bool:
        """Columns about pregnancy or mothers: the rows are women."""
        return bool(self.data_words() & lx.FEMALE_MARKERS)

    def check_ages(self, nouns: list[Tok]) -> None:
        """ "babies", "children", "adults": the rows only where every row is one."""
        for t in nouns:
            if t.text in lx.BABY_NOUNS and not self.data_words() & lx.BIRTH_MARKERS:
                raise Unanswerable(f"{t.text!r}: nothing in this dataset is about births")
            if t.text in lx.CHILD_NOUNS | lx.ADULT_NOUNS:
                ages = [c for c in self.ds.columns if c.info.numeric and self.is_age(c.name)]
                child = t.text in lx.CHILD_NOUNS
                if len(ages) == 1 and isinstance(ages[0].max, int | float):
                    low, high = ages[0].min, ages[0].max
                    if (child and high < 18) or (not child and low >= 18):
                        continue
                raise Unanswerable(
                    f"{t.text!r}: not every row is {'a child' if child else 'an adult'} here;"
                    f" say which ages (e.g. 'aged {'under 18' if child else '18 or over'}')"
                )

    def check_gendered(self, nouns: list[Tok]) -> None:
        self.check_ages(nouns)
        for t in nouns:
            female = t.text in lx.FEMALE_NOUNS
            if not (female or t.text in lx.MALE_NOUNS):
                continue
            if female and self.female_only():
                continue
            raise Unanswerable(
                f"{t.text!r}: this dataset has no column saying who is "
                f"{'female' if female else 'male'}. {self.known()}"
            )

    def check_participles(self) -> None:
        """ "born", "admitted", "treated": true of every row only where the data says so.

        A yes/no or category column named for it, or a value that is a form of it, could
        make it a condition: accepted only beside a value of that column ("diagnosed
        with sepsis"), refused otherwise. A column or the dataset named for it, always
        filled in (admission_date, birth_weight_g, "births"), says every row is so.
        Nothing at all: refused, as "women" is where no column says who is a woman.
        """
        for t in self.toks:
            if t.used or t.kind != "participle":
                continue
            stems = (t.text, *lx.PARTICIPLES[t.text])
            like = [d for d in self.vocab.data_words if any(share_stem(s, d.word) for s in stems)]
            conditions = [
                d
                for d in like
                if d.role == "value" or (d.role == "head" and d.type in ("boolean", "category"))
            ]
            if conditions:
                if any(d.column in self.filtered for d in conditions):
                    t.used = True  # "diagnosed with sepsis": the value says it
                    continue
                d = conditions[0]
                raise Unanswerable(
                    f"{t.text!r} could be a condition on {d.column} ({d.word!r}): name the"
                    f" value it means. {self.known()}"
                )
            evidence = [
                d.column
                for d in like
                if d.type not in ("boolean", "category") and self.always_filled(d.column)
            ]
            named = any(
                share_stem(s, w) for s in stems for w in _words(self.ds.name.replace("_", " "))
            )
            if not evidence and not named:
                raise Unanswerable(
                    f"{t.text!r}: this dataset has no column saying which rows were {t.text}."
                    f" {self.known()}"
                )
            t.used = True
            because = evidence[0] if evidence else f"the dataset {self.ds.name}"
            self.caveats.append(f"{t.text!r} read as true of every row ({because})")

    def always_filled(self, name: str) -> bool:
        """A column with a value in every row (and, if numeric, a positive one)."""
        c = self.col(name)
        if c.nulls:
            return False
        return not (c.info.numeric and isinstance(c.min, int | float) and c.min <= 0)

    def check_lead_ins(self) -> None:
        """ "from London", "who got the Pentax AWS", "randomized to placebo": the word is
        read with the value after it, which is the condition (never on its own)."""
        toks = self.toks
        for i, t in enumerate(toks):
            if t.used or t.text not in lx.LEAD_INS or t.kind in ("col", "val", "flag"):
                continue
            j = i + 1
            while j < len(toks) and toks[j].text in ("to", "the", "a", "an"):
                j += 1
            if j < len(toks) and toks[j].used and toks[j].kind in ("val", "flag"):
                t.used = True
                for k in range(i + 1, j):
                    toks[k].used = True
        for i, t in enumerate(toks):  # "measured weight": the column that is not reported
            if t.used or t.text not in lx.MEASURED or i + 1 >= len(toks):
                continue
            nxt = toks[i + 1]
            if nxt.used and nxt.kind == "col":
                names = nxt.get("col")[0]
                if all(not set(n.split("_")) & lx.REPORTED for n in names) and not any(
                    w.startswith(tuple(lx.REPORTED)) for n in names for w in n.split("_")
                ):
                    t.used = True

    def check_leftovers(self) -> None:
        self.check_lead_ins()
        self.check_participles()
        rows = [t for t in self.toks if not t.used and t.kind == "rownoun"]
        self.check_gendered(rows)
        for t in rows:
            t.used = True
        rows = [t for t in rows if t.text not in lx.ANAPHORA]  # the earlier answer's rows
        if rows:
            self.caveats.append(
                f"{', '.join(repr(t.text) for t in rows)} read as the dataset's rows"
            )
        left = [
            t
            for t in self.toks
            if not t.used
            and t.kind not in ("filler", "dsname", "unit", "and", "among")
            and not (t.kind == "between" and t.data is None)
        ]
        if left:
            quoted = ", ".join(repr(t.text) for t in left)
            raise Unanswerable(f"not understood: {quoted}. {self.known()}")

    def known(self) -> str:
        parts = []
        for c in self.ds.columns:
            if c.type in ("category", "boolean") and c.values:
                shown = ", ".join(str(v["value"]) for v in c.values[:8])
                parts.append(f"{c.name} ({shown})")
            else:
                parts.append(c.name)
        return f"The columns of {self.ds.name} are: {'; '.join(parts)}"

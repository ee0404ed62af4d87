"""Every phrase the reader knows for one dataset, with what each means there: the
lexicon's words, and the dataset's columns and values in each of their spoken forms."""

from __future__ import annotations

import copy
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from functools import cache
from typing import Any

from appliance.analytics import lexicon as lx
from appliance.analytics.datasets import ColumnProfile, Dataset
from appliance.analytics.reader.column_forms import (
    AGE_WORDS,
    coerce,
    flag_phrases,
    header_expansions,
    last_words_but,
    present_or_absent,
    spoken,
    stated,
)
from appliance.analytics.reader.follow_up_time import add_follow_up_time
from appliance.analytics.reader.header_shapes import shaped_forms
from appliance.analytics.reader.kinds import Kind
from appliance.analytics.reader.qualified_values import add_qualified_values
from appliance.analytics.reader.rows import identifier_noun, rows_noun
from appliance.analytics.reader.shared_words import add_shared_words
from appliance.analytics.reader.words import (
    agent_nouns,
    content_words,
    header_words,
    inverted,
    plural_forms,
    root_of,
    share_roots,
    split_words,
    verb_forms,
)

ORDINAL_WORDS = {1: "first", 2: "second", 3: "third"}
KEPT_COLUMNS = 1000
"""At most this many columns in all are kept for reuse (twelve take about 250 kB)."""
ORDINAL_NUMS = {1: "1st", 2: "2nd", 3: "3rd"}


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
        # The lexicon's phrases, copied one level deep: the dataset's own are added to
        # the copy (add() replaces a meaning, never changes one in place).
        self.table = {phrase: dict(meanings) for phrase, meanings in _lexicon_table().items()}
        # Each column's names as said (its header's words, label, synonyms, shorthand
        # both ways): what the abbreviation aligner matches a question's words against.
        self.forms: dict[str, frozenset[tuple[str, ...]]] = {}
        self._concepts: dict[str, list[str]] = {}  # the columns of each concept asked
        for col in dataset.columns:
            self._column(col, dataset.dictionary.get(col.name, {}))
        for abbr in lx.AMBIGUOUS_ABBREVIATIONS:
            meanings = self.table.get((abbr,), {})
            if len(meanings.get(Kind.COLUMN, ([], True))[0]) > 1:
                # "ht" beside height and hypertension: neither a yes/no nor a value, but
                # a mention of two columns, refused naming both
                meanings.pop(Kind.FLAG, None)
                meanings.pop(Kind.VALUE, None)
        for verb, concept in lx.CONCEPT_VERBS.items():
            names = self._concept_columns(concept)
            if names:
                self.add((verb,), Kind.COLUMN, (names, True))
        self._arms()
        add_qualified_values(self)  # "male donor": the value of the column for the donor
        self.punctuated = self._punctuated()
        self.data_words = self._data_words()
        self._data_roots = [(d, root_of(d.word)) for d in self.data_words]
        self._concept_questions()
        named = split_words(dataset.name.replace("_", " "))
        for w in named:
            self.add((w,), Kind.DATASET_NAME, dataset.name)
        for form in {f for w in named if w.isalpha() and len(w) > 3 for f in plural_forms((w,))}:
            if form not in self.table:  # "polyp count" in polyps.csv: its other number
                self.add(form, Kind.DATASET_NAME, dataset.name)
        # The file's own name says what its rows are: "covid_tests" is a table of tests
        # (a plural: "kyphosis", "diagnosis", "status" end in an s of their own). Not
        # where the word names a number column: in doctor_visits.csv, `visits` counts
        # each row's visits, and "over 10 visits" is its condition.
        self.row_word = (
            named[-1]
            if named
            and named[-1].endswith("s")
            and not named[-1].endswith(("ss", "is", "us"))
            and len(named[-1]) > 3
            and not self.numeric_word(named[-1])
            else None
        )
        if self.row_word:
            self.add((self.row_word,), Kind.ROW_NOUN, self.row_word)
        self._id_nouns()
        self.rows_noun = rows_noun(dataset, self.row_word)  # what one row is, if said
        self.add(
            tuple(split_words(dataset.name.replace("_", " "))), Kind.DATASET_NAME, dataset.name
        )
        add_shared_words(self)  # "AML" for "AML low risk" and "AML high risk"
        add_follow_up_time(self)  # "follow-up time", "f/u": the one pair's time column

    def _id_nouns(self) -> None:
        """The noun the rows' identifier is named for says what a row is: beside
        ``student_id``, "students" are the rows. Only where exactly one column is the
        identifier (a ``donor_id`` beside a ``patient_id`` names another person). The
        singular is added only where no column or value has that word ("stay" beside
        length_of_stay is the column); the plural is the rows over part of a column's
        name, never over a column's whole name (tokens.py decides which)."""
        self.id_nouns: frozenset[tuple[str, ...]] = frozenset()
        found = identifier_noun(self.dataset)
        if found is None:
            return
        noun = found[1]
        for form in plural_forms((noun,)):
            said = self.table.get(form, {})
            if form == (noun,) and said.keys() & {Kind.COLUMN, Kind.VALUE, Kind.FLAG}:
                continue
            self.add(form, Kind.ROW_NOUN, form[0])
        self.id_nouns = frozenset(plural_forms((noun,)))

    def _arms(self) -> None:
        """ "arm", "treatment group": the one column holding a trial's arms, where exactly
        one column is named (or labelled) so; for a yes/no column, "treatment group" is
        its yes and "control group" its no."""
        arms = []
        for col in self.dataset.columns:
            label = self.dataset.dictionary.get(col.name, {}).get("label") or ""
            words = set(col.name.split("_")) | set(split_words(label))
            if words & lx.ARM_COLUMNS and col.type in ("category", "boolean", "integer"):
                arms.append(col)
        if len(arms) != 1:
            return
        (col,) = arms
        for phrase in lx.ARM_WORDS:
            self.add(tuple(phrase.split()), Kind.COLUMN, ([col.name], False))
        if col.type == "boolean":
            yes: Any = 1
            no: Any = 0
            for v in col.values:
                text = str(v["value"]).strip().lower()
                if text in lx.YES_TEXTS or v["value"] is True:
                    yes = 1 if v["value"] is True else v["value"]
                elif text in lx.NO_TEXTS or v["value"] is False:
                    no = 0 if v["value"] is False else v["value"]
            for phrase in lx.ARM_YES:
                self.add(tuple(phrase.split()), Kind.FLAG, (col.name, yes, no))
            for phrase in lx.ARM_NO:
                self.add(tuple(phrase.split()), Kind.FLAG, (col.name, no, yes))

    def _stem_of_another(self, col: ColumnProfile, stem: tuple[str, ...]) -> bool:
        """Whether another column's name begins with ``stem`` (bdi_pre beside bdi_4m)."""
        return any(
            tuple(split_words(c.name))[: len(stem)] == stem
            for c in self.dataset.columns
            if c.name != col.name
        )

    def _punctuated(self) -> list[tuple[str, list[tuple[str, Any]]]]:
        """Values written with signs ("insulin+metformin", "<=30", "30-60"), longest
        first, each with the (column, value) pairs it is: found in a question as written,
        before the question is split into words (which would split them)."""
        found: dict[str, list[tuple[str, Any]]] = {}
        for col in self.dataset.columns:
            if col.type not in ("category", "boolean"):
                continue
            for v in col.values:
                value = v["value"]
                text = str(value).strip().lower()
                if isinstance(value, str) and len(text) > 1 and re.search(r"[^a-z0-9\s]", text):
                    pairs = found.setdefault(text, [])
                    if (col.name, value) not in pairs:
                        pairs.append((col.name, value))
        return sorted(found.items(), key=lambda item: -len(item[0]))

    def numeric_word(self, word: str) -> bool:
        """Whether ``word`` alone names a number column ("age" in "age <=30")."""
        col = self.table.get((word,), {}).get(Kind.COLUMN)
        if not col:
            return False
        return any(c.name in col[0] and c.info.numeric for c in self.dataset.columns)

    def _data_words(self) -> list[DataWord]:
        found: list[DataWord] = []
        for col in self.dataset.columns:
            entry = self.dataset.dictionary.get(col.name, {})
            texts = [col.name.replace("_", " "), col.source, entry.get("label") or ""]
            texts.append(" ".join(header_words(col.source)))
            for text in texts + list(entry.get("synonyms") or []):
                words = content_words(w for w in split_words(text) if w not in lx.UNITS)
                for k, w in enumerate(words):
                    role = "head" if k == len(words) - 1 else "name"
                    found.append(DataWord(w, col.name, role, col.type))
            values = [str(v["value"]) for v in col.values if isinstance(v["value"], str)]
            values += [str(v) for v in (entry.get("value_labels") or {}).values()]
            for value in values:
                words = content_words(split_words(value))
                for k, w in enumerate(words):
                    role = "value" if k == len(words) - 1 else "value part"
                    found.append(DataWord(w, col.name, role, col.type))
        return list(dict.fromkeys(found))

    def resembling(self, word: str) -> list[DataWord]:
        """The dataset's words that could be a form of ``word``."""
        root = root_of(word)
        return [
            d
            for d, r in self._data_roots
            if (len(d.word) > 1 or d.word == word) and share_roots(word, root, d.word, r)
        ]  # a value of one letter has no plural: "is" is no form of a stage "I"

    def _concept_questions(self) -> None:
        """ "how tall", "days in hospital": the measure they ask about, where exactly
        named columns hold it; not where a word of the phrase is another column's or a
        value's ("stay in hospital 2" beside a hospital column could be its value); an
        identifier's name ("stay" of stay_id) is no condition."""
        ids = {c.name for c in self.dataset.columns if c.type == "identifier"}
        for phrase, concept in lx.CONCEPT_QUESTIONS.items():
            names = self._concept_columns(concept)
            words = [w for w in phrase.split() if w not in lx.NAME_CONNECTORS | {"how"}]
            if names and not any(
                d.column not in {*names, *ids} for w in words for d in self.resembling(w)
            ):
                self.add(tuple(phrase.split()), Kind.COLUMN, (names, True))

    def _concept_columns(self, concept: str) -> list[str]:
        """Numeric columns named (or labelled) exactly as one of the concept's words, a
        unit after the name aside (``length_of_stay_days`` is a length of stay). Kept:
        every question asks it of each concept (reader/linking.py)."""
        if concept in self._concepts:
            return list(self._concepts[concept])
        phrases = {tuple(p.split()) for p in lx.CONCEPTS.get(concept, (concept,))}
        out = []
        for col in self.dataset.columns:
            label = self.dataset.dictionary.get(col.name, {}).get("label", "")
            words = tuple(col.name.split("_"))
            while len(words) > 1 and words[-1] in lx.UNITS:
                words = words[:-1]
            if col.info.numeric and (words in phrases or tuple(split_words(label)) in phrases):
                out.append(col.name)
        self._concepts[concept] = out
        return list(out)

    def add(self, phrase: tuple[str, ...], kind: Kind, data: Any) -> None:
        if not phrase:
            return
        meanings = self.table.setdefault(phrase, {})
        if kind == Kind.COLUMN:
            old = meanings.get(Kind.COLUMN)
            names, exact = data
            if old is None or (exact and not old[1]):
                meanings[Kind.COLUMN] = (list(names), exact)
            elif exact == old[1]:
                meanings[Kind.COLUMN] = (list(dict.fromkeys([*old[0], *names])), exact)
        elif kind in (Kind.VALUE, Kind.FLAG):
            old = meanings.get(kind)
            meanings[kind] = [*(old or []), data] if data not in (old or []) else old
        else:
            meanings.setdefault(kind, data)

    def _static(self) -> None:
        for phrase, name in lx.STATISTICS.items():
            self.add(tuple(phrase.split()), Kind.STATISTIC, name)
        for phrase, sup in lx.SUPERLATIVES.items():
            self.add((phrase,), Kind.SUPERLATIVE, sup)
        for phrase, comp in lx.COMPARATIVES.items():
            self.add((phrase,), Kind.COMPARATIVE, comp)
        for phrase, op in lx.COMPARISONS.items():
            self.add(tuple(phrase.split()), Kind.COMPARISON, (op, phrase))
        for phrase, op in lx.SUFFIX_COMPARISONS.items():
            self.add(tuple(phrase.split()), Kind.SUFFIX_COMPARISON, (op, phrase))
        for phrase in lx.GROUP_WORDS:
            self.add(tuple(phrase.split()), Kind.GROUP, phrase)
        for phrase, b in lx.DATE_BINS.items():
            self.add((phrase,), Kind.DATE_BIN, b)
        for phrase, m in lx.MONTHS.items():
            self.add((phrase,), Kind.MONTH, m)
        for phrase, n in lx.NUMBER_WORDS.items():
            self.add((phrase,), Kind.NUMBER, n)
        for w in lx.NEGATIONS:
            self.add((w,), Kind.NEGATION, w)
        for phrase in lx.NEGATION_PHRASES:
            self.add(tuple(phrase.split()), Kind.NEGATION, phrase)
        for w in lx.MISSING_PHRASES:
            self.add(tuple(w.split()), Kind.MISSING, w)
        for w in lx.PRESENT_PHRASES:
            self.add(tuple(w.split()), Kind.PRESENT, w)
        self.add(("between",), Kind.BETWEEN, None)
        self.add(("from",), Kind.BETWEEN, "from")
        self.add(("than",), Kind.THAN, None)
        for phrase in lx.VERSUS_PHRASES:
            self.add(tuple(phrase.split()), Kind.VERSUS, phrase)
        for phrase in lx.ON_PHRASES:
            self.add(tuple(phrase.split()), Kind.ON, phrase)
        for phrase in lx.AMONG_PHRASES:
            self.add(tuple(phrase.split()), Kind.AMONG, phrase)
        for phrase, d in lx.ORDER_PHRASES.items():
            self.add(tuple(phrase.split()), Kind.ORDER, d)
        for phrase in lx.BEFORE_PHRASES:
            self.add(tuple(phrase.split()), Kind.BEFORE, phrase)
        for phrase in lx.AFTER_PHRASES:
            self.add(tuple(phrase.split()), Kind.AFTER, phrase)
        self.add(("and",), Kind.AND, None)
        self.add(("or",), Kind.OR, None)
        self.add(("nor",), Kind.OR, None)
        for w in lx.UNITS:
            self.add((w,), Kind.UNIT, w)
        self.add(("years", "old"), Kind.UNIT, "years old")
        self.add(("year", "old"), Kind.UNIT, "years old")
        for w in lx.ROW_NOUNS | lx.ANAPHORA:
            self.add((w,), Kind.ROW_NOUN, w)
        for w in lx.PARTICIPLES:
            self.add((w,), Kind.PARTICIPLE, w)
        for w in lx.LEAD_INS | lx.MEASURED:
            self.add(tuple(w.split()), Kind.LEAD_IN, w)
        for w in lx.FILLER:
            self.add(tuple(w.split("_")), Kind.FILLER, w)
        for phrase in lx.FILLER_PHRASES:
            self.add(tuple(phrase.split()), Kind.FILLER, phrase)

    def _column(self, col: ColumnProfile, entry: dict[str, Any]) -> None:
        name = col.name
        full: set[tuple[str, ...]] = {tuple(name.split("_"))}
        full.add(tuple(split_words(col.source)))
        full.add(tuple(header_words(col.source)))
        # "Ct value (cycles)", "Serum sodium (mmol/L)": the name without its unit.
        full.add(tuple(header_words(re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", col.source))))
        for text in [entry.get("label"), *(entry.get("synonyms") or [])]:
            if text:
                full.add(tuple(split_words(text)))
        for words in list(full):  # attempt1_time: "attempt 1 time", "first attempt time"
            for i, w in enumerate(words):
                m = re.fullmatch(r"([a-z]{3,})([1-3])", w)
                if m:
                    stem, n = m.group(1), int(m.group(2))
                    for said in (
                        (stem, str(n)),
                        (ORDINAL_WORDS[n], stem),
                        (ORDINAL_NUMS[n], stem),
                    ):
                        full.add((*words[:i], *said, *words[i + 1 :]))
        for words in list(full):  # racegrp is "race grp", famhx "fam hx": shorthand ends
            for i, w in enumerate(words):
                for abbr in SPLIT_ABBREVIATIONS:
                    if w.endswith(abbr) and len(abbr) >= 2 and len(w) - len(abbr) >= 3:
                        full.add((*words[:i], w[: -len(abbr)], abbr, *words[i + 1 :]))
        for _round in range(2):  # twice: alk_phos is "alkaline phosphatase", both words
            for words in list(full):
                for i, w in enumerate(words):
                    for expansion in header_expansions(w, col):
                        full.add((*words[:i], *expansion.split(), *words[i + 1 :]))
        for words in list(full):
            joined = " ".join(words)
            for abbr, expansions in SAID_ABBREVIATIONS:
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
            period = re.fullmatch(r"\d+([a-z]+)", words[-1]) if len(words) > 1 else None
            if period and period.group(1) in lx.PERIOD_CODES:
                # physically_active_7d: the period asked about, no word a question says
                # ("physically active", "physically active days"); not beside bdi_pre
                if not self._stem_of_another(col, words[:-1]):
                    full.add(words[:-1])
                for unit in lx.PERIOD_CODES[period.group(1)]:
                    full.add((*words[:-1], unit))
        full |= shaped_forms(full)  # numvisit, bdi_2m, bdi_pre: said as people say them
        for words in list(full):
            # physically_active_7d as written: a question's words split "7d"
            full.add(tuple(p for w in words for p in re.split(r"(?<=\d)(?=[a-z])", w)))
        for words in list(full):
            if len(words) > 1 and words[0] in lx.STATISTIC_HEADS and words[1] not in lx.UNITS:
                # avg_drinks: "average number of drinks", as the name is said in full
                full.add((words[0], "number", "of", *words[1:]))
        full = {w for w in full if w}
        if col.type == "boolean":
            for threshold in {t for t in map(stated, full) if t is not None}:
                full |= set(spoken(*threshold))  # age_80_or_older: "80+", "aged 80 or over"
        self.forms[name] = frozenset(full)
        stop = lx.NAME_STOP_WORDS | lx.UNITS
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
                    kept = lx.QUANTITY_MODIFIERS & set(words) <= set(part)  # no "weight": relwt
                    if part != words and head in part and part[0] not in stop and kept:
                        partial.add(part)
            if "at" in words[1:]:  # "age at transplant": an age, its moment said after
                partial.add(words[: words.index("at")])
        if col.type == "boolean" and any(stated(words) for words in full if words[0] != "aged"):
            # age_over_75: "over 75" alone is a comparison (read by the flag), no name
            partial = {p for p in partial if AGE_WORDS & set(p)}
        # "the time of the first attempt" for "first attempt time": the whole name only
        # (its parts keep the head the name ends with).
        head_first = {i for words in full for i in inverted(words)}
        for words in full | head_first:
            for form in plural_forms(words):
                self.add(form, Kind.COLUMN, ([name], True))
            if "age" in words:  # "aged 70": Age, before rbc_age_group or AgeGroup
                self.add(("aged",), Kind.COLUMN, ([name], words == ("age",)))
        for words in partial - full:
            for form in plural_forms(words):
                self.add(form, Kind.COLUMN, ([name], False))
        if col.type == "boolean" or present_or_absent(col):
            self._flag(col, full)
        if col.type in ("category", "boolean") or entry.get("value_labels"):
            self._values(col, entry)

    def flag_data(self, col: ColumnProfile) -> tuple[str, Any, Any]:
        """A yes/no column said by its name: (column, the value the name means, the
        value its negation means)."""
        positive: Any = 1
        negative: Any = 0
        for v in (v["value"] for v in col.values):
            text = str(v).strip().lower()
            if text in lx.YES_TEXTS or text == "present" or v is True:
                positive = 1 if v is True else v
            elif text in lx.NO_TEXTS or text == "absent" or v is False:
                negative = 0 if v is False else v
        return col.name, positive, negative

    def _flag(self, col: ColumnProfile, phrases: set[tuple[str, ...]]) -> None:
        data = self.flag_data(col)
        opposite = (col.name, data[2], data[1])
        others = last_words_but(self.dataset.columns, col)
        for words in flag_phrases(phrases, col):
            last = words[-1]
            forms = verb_forms(last) | {f for w in plural_forms((last,)) for f in w}
            negative_forms: set[str] = set()
            for n, synonyms in enumerate(lx.VALUE_SYNONYMS):
                if last in synonyms and last not in lx.YES_NO_WORDS:
                    forms |= synonyms
                    for a, b in lx.OPPOSITES:
                        if n in (a, b):
                            negative_forms |= lx.VALUE_SYNONYMS[b if n == a else a]
            for form in forms:
                self.add((*words[:-1], form), Kind.FLAG, data)
                self.add((*words[:-1], "non" + form), Kind.FLAG, opposite)
                self.add((*words[:-1], "non", form), Kind.FLAG, opposite)
            for form in () if negative_forms & others else negative_forms:  # "survived": not died
                self.add((*words[:-1], form), Kind.FLAG, opposite)

    def _values(self, col: ColumnProfile, entry: dict[str, Any]) -> None:
        labels: dict[str, str] = entry.get("value_labels") or {}
        seen = [v["value"] for v in col.values]
        for raw, label in labels.items():
            value: Any = coerce(raw, col, seen)
            for form in plural_forms(tuple(split_words(label))):
                self.add(form, Kind.VALUE, (col.name, value))
            self._value_forms(col, label, value)
            self._value_shorthand(col, tuple(split_words(label)), value)
        if col.type == "boolean":
            return
        for value in seen:
            if not isinstance(value, str):
                continue
            words = tuple(split_words(value))
            if not words:
                continue
            self.add(words, Kind.VALUE, (col.name, value))
            for form in plural_forms(words):
                self.add(form, Kind.VALUE, (col.name, value))
            if len(words) > 1 and words[0].isdigit():  # "1_female": coded categories
                for form in plural_forms(words[1:]):
                    self.add(form, Kind.VALUE, (col.name, value))
            self._value_forms(col, " ".join(words), value)
            self._value_shorthand(col, words, value)

    def _value_shorthand(self, col: ColumnProfile, words: tuple[str, ...], value: Any) -> None:
        """ "AML" for the value "acute myeloid leukemia", "heart failure" for "chf"; never
        a row noun ("pts" stays the rows beside a value "patient")."""
        joined = " ".join(words)
        for abbr, expansions in SAID_ABBREVIATIONS:
            if joined in expansions and abbr not in lx.ROW_NOUNS:
                for form in plural_forms((abbr,)):  # "outpts" for "outpatient"
                    self.add(form, Kind.VALUE, (col.name, value))
        if len(words) == 1 and words[0] not in lx.ROW_NOUNS:
            for expansion in header_expansions(words[0], col):
                if expansion not in lx.ROW_NOUNS:  # a value "pt" (part-time) is no patient
                    self.add(tuple(expansion.split()), Kind.VALUE, (col.name, value))

    def _value_forms(self, col: ColumnProfile, text: str, value: Any) -> None:
        words = tuple(split_words(text))
        if len(words) != 1:
            return
        (word,) = words
        for synonyms in lx.VALUE_SYNONYMS:
            if word in synonyms and word not in lx.YES_NO_WORDS:
                for s in synonyms:
                    self.add((s,), Kind.VALUE, (col.name, value))
        if len(word) > 4:
            for form in verb_forms(word):
                self.add((form,), Kind.VALUE, (col.name, value))
        for form in agent_nouns(word):  # a value "Row": "rowers" are the rows holding it
            self.add((form,), Kind.VALUE, (col.name, value))
        if word.startswith("non") and len(word) > 6:
            for pair in plural_forms(("non", word[3:])):
                self.add(pair, Kind.VALUE, (col.name, value))


# Shorthand a question may use for a name's words, both ways (never the shorthand that
# is also an English word, and every reading of an ambiguous one).
SAID_ABBREVIATIONS: list[tuple[str, tuple[str, ...]]] = [
    *lx.ABBREVIATIONS.items(),
    *((k, tuple(v)) for k, v in lx.AMBIGUOUS_ABBREVIATIONS.items()),
]


# Shorthand that may end a header's word (racegrp, repht): never one that is an English
# word ("overall" is no "over" and "all").
SPLIT_ABBREVIATIONS = [*lx.ABBREVIATIONS, *lx.AMBIGUOUS_ABBREVIATIONS]


_kept: OrderedDict[str, Vocabulary] = OrderedDict()
_kept_lock = threading.Lock()


def vocabulary_for(dataset: Dataset) -> Vocabulary:
    """The dataset's vocabulary, made once for each state of it and reused by the next
    questions: kept under the dataset's whole ``repr`` (name, path, profile, dictionary),
    so a changed profile or dictionary gets its own. Never changed once made
    (tests/test_analytics_vocabulary.py): shared by the questions that use it."""
    key = repr(dataset)
    with _kept_lock:
        found = _kept.get(key)
        if found is not None:
            _kept.move_to_end(key)
    if found is None:
        found = Vocabulary(dataset)
        with _kept_lock:
            _kept[key] = found
            while sum(len(v.dataset.columns) for v in _kept.values()) > KEPT_COLUMNS:
                _kept.popitem(last=False)
    mine = copy.copy(found)
    mine.dataset = dataset
    return mine


@cache
def _lexicon_table() -> dict[tuple[str, ...], dict[Kind, Any]]:
    """The phrases of the lexicon alone, the same for every dataset: made once per
    process. Made for each question, they were a third of its reading."""
    lexicon_only = object.__new__(Vocabulary)
    lexicon_only.table = {}
    lexicon_only._static()
    return lexicon_only.table

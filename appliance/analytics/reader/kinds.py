"""What a token of a question is: one kind each, with the others it could be kept beside.

A phrase may mean several things ("over" a comparison, "first" an order or an ordinal);
the tokenizer takes the first kind in :data:`PRIORITY` and keeps the others as
alternatives, which later stages may take instead.
"""

from __future__ import annotations

from enum import Enum


class Kind(Enum):
    """The kinds of token, each named for what it says in the question."""

    VALUE = "value"  # a value of a column ("female", "copd")
    FLAG = "flag"  # a yes/no column said as a word ("smokers", "non-diabetic")
    COLUMN = "column"  # a column in any of its spoken forms
    STATISTIC = "statistic"  # "mean", "how many", "odds ratio"
    SUPERLATIVE = "superlative"  # "highest", "oldest": (asc|desc, implied concept)
    COMPARATIVE = "comparative"  # "older", "heavier" with no number: (sign, concept)
    COMPARISON = "comparison"  # "over", "at least", ">=" before a number: (op, phrase)
    SUFFIX_COMPARISON = "suffix comparison"  # "or more", "or older" after a number
    GROUP = "group"  # "by", "per", "for each"
    DATE_BIN = "date bin"  # "month", "year" after a grouping word
    MONTH = "month"  # "january", "jan"
    NUMBER = "number"  # 30, 2.5, "three"
    NEGATION = "negation"  # "not", "without", "did not"
    MISSING = "missing"  # "missing", "not recorded"
    PRESENT = "present"  # "recorded", "non missing"
    BETWEEN = "between"  # "between", "from"
    THAN = "than"
    VERSUS = "versus"  # "vs", "compared with"
    ON = "on"  # "on", "per unit of": a regression's x
    AMONG = "among"  # "among", "out of": a percentage's population
    ORDER = "order"  # "ascending", "first"
    BEFORE = "before"
    AFTER = "after"
    AND = "and"
    OR = "or"
    UNIT = "unit"  # "years", "kg"
    ROW_NOUN = "row noun"  # "patients", "those"
    PARTICIPLE = "participle"  # "treated", "admitted": see lexicon.PARTICIPLES
    LEAD_IN = "lead-in"  # "from", "received": read only before a value
    FILLER = "filler"  # words that never change an answer
    DATASET_NAME = "dataset name"
    QUOTED = "quoted text"
    DATE = "date"  # 2020-01-31
    ORDINAL = "ordinal"  # "3rd", "third"
    UNKNOWN = "unknown"  # not understood: refuses the question


# Which meaning a phrase takes when it has several (the first listed).
PRIORITY: list[Kind] = [
    Kind.VALUE,
    Kind.FLAG,
    Kind.COLUMN,
    Kind.STATISTIC,
    Kind.SUPERLATIVE,
    Kind.COMPARATIVE,
    Kind.COMPARISON,
    Kind.SUFFIX_COMPARISON,
    Kind.GROUP,
    Kind.DATE_BIN,
    Kind.MONTH,
    Kind.NUMBER,
    Kind.NEGATION,
    Kind.MISSING,
    Kind.PRESENT,
    Kind.BETWEEN,
    Kind.THAN,
    Kind.VERSUS,
    Kind.ON,
    Kind.AMONG,
    Kind.ORDER,
    Kind.BEFORE,
    Kind.AFTER,
    Kind.AND,
    Kind.OR,
    Kind.UNIT,
    Kind.ROW_NOUN,
    Kind.PARTICIPLE,
    Kind.LEAD_IN,
    Kind.FILLER,
    Kind.DATASET_NAME,
]

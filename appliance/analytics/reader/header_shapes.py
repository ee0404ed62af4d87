"""Shapes of published, abbreviated headers and the words a question says them in: a
count's ``num`` or ``n`` prefix ("numvisit": "number of visits", "ncigs": "number of
cigarettes"), a time point's tail ("bdi_2m",
"number12m": "BDI at 2 months", "2-month BDI", "number at 12 months") and a baseline's
("bdi_pre": "baseline BDI", "BDI before treatment"), a name of several words by its
initials ("piq" for ``performance_iq``). Plain functions of a header's
words, so that a table nobody has seen answers to the words people use for it."""

from __future__ import annotations

import re

from appliance.analytics import lexicon as lx
from appliance.analytics.reader.words import is_english

# A time point's code in a header's tail, and the unit it says (singular, plural).
# "m" is months: a follow-up time point (minutes are written "min").
TIME_POINT_CODES: dict[str, tuple[str, str]] = {
    "d": ("day", "days"),
    "w": ("week", "weeks"),
    "wk": ("week", "weeks"),
    "m": ("month", "months"),
    "mo": ("month", "months"),
    "mth": ("month", "months"),
    "y": ("year", "years"),
    "yr": ("year", "years"),
}
TIME_POINT_UNITS = frozenset(w for said in TIME_POINT_CODES.values() for w in said)
NUMBER_WORDS = dict(
    zip(
        "1 2 3 4 5 6 7 8 9 10 11 12".split(),
        "one two three four five six seven eight nine ten eleven twelve".split(),
        strict=True,
    )
)
# A header's tail that marks the measure taken before treatment, and the words a
# question says that in.
BASELINE_TAILS = frozenset({"pre", "bl", "base", "baseline"})
# Words for the first of a repeated measure ("baseline BDI", "the starting BDI", "the
# initial BDI"): said of a header with a baseline tail only, so they name the one
# column that holds the measure's first value ("at baseline" and "at the start" alike).
BASELINE_WORDS = ("baseline", "starting", "initial")
_TIME_POINT = re.compile(r"([a-z]{2,})?(\d{1,3})(" + "|".join(TIME_POINT_CODES) + r")")


def shaped_forms(forms: set[tuple[str, ...]]) -> set[tuple[str, ...]]:
    """The ways a question says each form's published shapes (see the module)."""
    out: set[tuple[str, ...]] = set()
    for words in forms:
        for i, w in enumerate(words):
            counted = re.fullmatch(r"num([a-z]{4,})", w)
            if counted and is_english(counted.group(1)):
                out.add((*words[:i], "number", "of", counted.group(1), *words[i + 1 :]))
            # ncigs, nkids: an n before a plural noun (never a word of its own: nodes)
            plural = re.fullmatch(r"n([a-z]{3,}s)", w)
            if plural and not is_english(w) and _noun(plural.group(1)):
                out.add((*words[:i], "number", "of", plural.group(1), *words[i + 1 :]))
        out |= _time_point(words) | _baseline(words) | _initials(words)
        if "_".join(words) in lx.ONE_SEX_HEADERS:
            out |= {(w,) for w in lx.SEX_COLUMN_WORDS}  # a 0/1 female: the column of sex
    return out


def _noun(word: str) -> bool:
    """A plural a header counts: English, or shorthand (cigs)."""
    return is_english(word) or word in lx.ABBREVIATIONS


def _initials(words: tuple[str, ...]) -> set[tuple[str, ...]]:
    """ "performance iq": "piq", the initials of a name of several words, its last word
    whole where that is itself shorthand of three letters or fewer. Only where the
    result is no English word a question could mean otherwise; two columns with one
    initialism both take it, and a mention of it is refused naming both."""
    content = [w for w in words if w not in lx.NAME_STOP_WORDS | lx.UNITS]
    if len(content) < 2 or not all(w.isalpha() for w in content):
        return set()
    said = {"".join(w[0] for w in content)}
    if len(content[-1]) <= 3 and not is_english(content[-1]):
        said.add("".join(w[0] for w in content[:-1]) + content[-1])
    return {(s,) for s in said if len(s) >= 3 and not is_english(s)}


def _time_point(words: tuple[str, ...]) -> set[tuple[str, ...]]:
    """ "bdi 2m" or "number12m": the measure at a time point, said with the unit in
    full before or after it, with or without "at" and a follow-up."""
    tail = _TIME_POINT.fullmatch(words[-1]) if words else None
    if tail is None:
        return set()
    head = (*words[:-1], *((tail.group(1),) if tail.group(1) else ()))
    if not head or not head[-1].isalpha():
        return set()
    one, many = TIME_POINT_CODES[tail.group(3)]
    said: set[tuple[str, ...]] = set()
    for n in {tail.group(2), NUMBER_WORDS.get(tail.group(2), tail.group(2))}:
        for measure in {head, (*head, "score")}:  # "BDI score at 8 months"
            said |= _at_point(measure, n, one, one if n in ("1", "one") else many, tail.group(3))
    return said


def _at_point(
    head: tuple[str, ...], n: str, one: str, unit: str, code: str
) -> set[tuple[str, ...]]:
    """The measure ``head`` at time point ``n`` as a question says it."""
    return {
        (*head, n, unit),
        (*head, "at", n, unit),
        (*head, "at", n + code),
        (*head, n + code),
        (n, one, *head),
        (*head, "at", n, one, "follow", "up"),
        (*head, "at", "the", n, one, "follow", "up"),
        (n, one, "follow", "up", *head),
    }


def _baseline(words: tuple[str, ...]) -> set[tuple[str, ...]]:
    """ "bdi pre": the measure at baseline, before treatment."""
    if len(words) < 2 or words[-1] not in BASELINE_TAILS:
        return set()
    head = words[:-1]
    said = {
        (*head, "before", "treatment"),
        (*head, "before", "treatment", "started"),
        (*head, "before", "treatment", "began"),
        (*head, "before", "the", "start", "of", "treatment"),
        ("pre", "treatment", *head),
        ("pretreatment", *head),
        (*head, "at", "the", "start"),  # the measure's first value, said in plain words
        (*head, "at", "start"),
        (*head, "at", "entry"),
        (*head, "at", "study", "entry"),
        (*head, "at", "enrolment"),
        (*head, "at", "enrollment"),
        (*head, "when", "they", "joined"),
        (*head, "when", "they", "joined", "the", "study"),
    }
    for first in BASELINE_WORDS:
        said |= {
            (first, *head),
            (first, *head, "score"),
            (*head, "score", "at", first),
            (*head, "scores", "at", first),
            (*head, "at", first),
        }
    return said

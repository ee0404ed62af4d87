"""A value said with its column's words: "a diploid tumour" (``tumour_profile`` holds
diploid), "good respiratory status" (both ``baseline_status`` and
``respiratory_status`` hold good: the words say which), "the placebo arm". The words
right after a value that name one of the columns holding it say which column it is
of, and are read with it (never left unknown, never a second mention)."""

from __future__ import annotations

from typing import Any

from appliance.analytics.reader.kinds import Kind
from appliance.analytics.reader.linking import names_its_column
from appliance.analytics.reader.state import State
from appliance.analytics.reader.tokens import Tok
from appliance.analytics.reader.words import header_words, lemma_of, split_words

LONGEST = 3
"""At most this many tokens after a value are read as its column's words."""


def read_value_column_words(r: State) -> None:
    """Join a value and the column words after it into one value mention of that
    column: only where the words name exactly one of the columns holding the value
    (its header's, its label's or its source header's words, any form or spelling, or
    a mention of it), and only words nothing else has read."""
    k = 0
    while k < len(r.toks):
        t = r.toks[k]
        if t.used or not t.has(Kind.VALUE):
            k += 1
            continue
        options: list[tuple[str, Any]] = list(t.get(Kind.VALUE))
        columns = list(dict.fromkeys(str(o[0]) for o in options))
        found: tuple[int, str] | None = None
        for end in range(k + 1, min(k + 1 + LONGEST, len(r.toks))):
            span = r.toks[k + 1 : end + 1]
            if any(s.used for s in span):
                break
            named = [c for c in columns if _names(r, span, c)]
            if len(named) == 1:
                found = (end, named[0])
        if found is not None:
            end, column = found
            span = r.toks[k : end + 1]
            kept = [o for o in options if o[0] == column]
            r.toks[k : end + 1] = [
                Tok(t.start, span[-1].end, " ".join(s.text for s in span), Kind.VALUE, kept)
            ]
        k += 1


def _names(r: State, span: list[Tok], column: str) -> bool:
    """Whether ``span`` is said of ``column``: one mention of it ("respiratory status"),
    or words the reader could not place, each a word of its name and of no other
    column's ("tumour", "tumours", "tumor" for ``tumour_profile``)."""
    if len(span) == 1 and span[0].kind == Kind.COLUMN:
        return names_its_column(r, span[0], column)
    words = _name_words(r, column)
    others = {w for c in r.ds.columns if c.name != column for w in _name_words(r, c.name)}
    return all(
        s.kind == Kind.UNKNOWN
        and not s.data  # a word the reader found two readings of ("visits": rows or a count?)
        and _spelled(s.text) in words
        and _spelled(s.text) not in others
        for s in span
    )


def _name_words(r: State, column: str) -> set[str]:
    col = r.col(column)
    label = r.ds.dictionary.get(column, {}).get("label") or ""
    said = header_words(col.name) + header_words(col.source) + split_words(label)
    return {_spelled(w) for w in said if w.isalpha() and len(w) > 2}


def _spelled(word: str) -> str:
    """A word's dictionary form, British and American spellings as one (tumour and
    tumor, haemoglobin and hemoglobin, oesophagus and esophagus)."""
    w = lemma_of(word).replace("ae", "e").replace("oe", "e")
    return w[:-3] + "or" if len(w) > 5 and w.endswith("our") else w

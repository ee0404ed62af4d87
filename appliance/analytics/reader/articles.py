"""The article "a" where the data has a value "A" (arm A, grade A): the value, or the
article? Read as the value right after its column's name ("arm A") or ending a phrase
("randomised to A", "A versus B"); as the article between a verb or preposition that
takes one and the thing it introduces ("patients with a limitation", "had a good
status"); else refused naming both. An article read as a value is a silent wrong
filter (every row of arm A dropped from "how many patients have a limitation"), and a
value read as an article a silently dropped one."""

from __future__ import annotations

from appliance.analytics import lexicon as lx
from appliance.analytics.reader.kinds import Kind
from appliance.analytics.reader.state import State
from appliance.analytics.reader.word_values import names_its_column

# What an article introduces: the condition or thing said right after it.
_INTRODUCED = (Kind.COLUMN, Kind.VALUE, Kind.FLAG, Kind.ROW_NOUN, Kind.UNKNOWN)
# What ends a value's phrase: nothing, or a word joining it to another.
_ENDS = (Kind.AND, Kind.OR, Kind.VERSUS, Kind.THAN)


def read_articles(r: State) -> None:
    """See the module."""
    for k, t in enumerate(r.toks):
        if t.kind != Kind.VALUE or t.text not in lx.ARTICLES:
            continue
        before = r.toks[k - 1] if k else None
        after = r.toks[k + 1] if k + 1 < len(r.toks) else None
        columns = {column for column, _value in t.data}
        if names_its_column(before, t):
            continue  # "arm A"
        if after is None or after.kind in _ENDS:
            continue  # "randomised to A", "A versus B"
        if (
            before is not None
            and before.text in lx.ARTICLE_TAKERS
            and after.kind in _INTRODUCED
            and not (after.kind == Kind.VALUE and {c for c, _v in after.data} & columns)
        ):
            t.kind, t.data, t.alts = Kind.FILLER, t.text, {}
            continue
        t.kind = Kind.UNKNOWN
        t.data = f"{t.text!r} (the article, or the value {t.data[0][1]!r} of {t.data[0][0]}?)"

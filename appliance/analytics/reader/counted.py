"""Numbers said beside a column: before the column that counts it ("patients with 0
visits", "w/ 5 illnesses"), or after a category column that writes its values as
numerals ("students in grade 9")."""

from __future__ import annotations

from appliance.analytics import lexicon as lx
from appliance.analytics.plan import Filter
from appliance.analytics.reader.kinds import Kind
from appliance.analytics.reader.linking import LONGER, columns_of, counted_column
from appliance.analytics.reader.state import State
from appliance.analytics.reader.tokens import Tok


def count_before_column(r: State, i: int) -> tuple[Filter, list[Tok]] | None:
    """ "with 0 visits", "had 3 illnesses", "pts w/ 5 illnesses": a whole number (token i)
    right after a word of having (lexicon.COUNT_HAVING) and right before the column that
    counts something (whole numbers, none below zero), or right before a noun that alone
    could be the rows or that count ("visits" beside numvisit, :func:`counted_column`:
    after a number it is what the number counts): that column equal to the number."""
    toks = r.toks
    if i == 0 or i + 1 >= len(toks):
        return None
    # "with 0 illnesses and 0 visits": the second count joined to the first
    joined = (
        i >= 3
        and toks[i - 1].kind == Kind.AND
        and toks[i - 2].used
        and toks[i - 2].kind == Kind.COLUMN
        and toks[i - 3].kind == Kind.NUMBER
    )
    if toks[i - 1].text not in lx.COUNT_HAVING and not joined:
        return None
    number, noun = toks[i], toks[i + 1]
    after = toks[i + 2] if i + 2 < len(toks) else None
    if (
        noun.used
        or not isinstance(number.data, int)
        or (after is not None and (after.kind in LONGER or after.text in lx.RANGE_TO))
    ):
        return None  # "3 visits or more", "2 to 4 visits": a longer condition
    name = counted_column(r, i + 1)
    if name is None and noun.kind == Kind.COLUMN:
        names = columns_of(r, noun, numeric=True)
        name = names[0] if len(names) == 1 else None
    if name is None:
        return None
    c = r.col(name)
    if c.type != "integer" or not isinstance(c.min, int) or c.min < 0:
        return None
    return Filter(name, "=", (number.data,)), [number, noun]


def numeral_value(r: State, name: str, i: int) -> str | None:
    """ "students in grade 9", "grade 12 respondents": the number at token i, said right
    after the name of a category column (``name``) one of whose values is written as that
    very numeral, is that value. Not where the number starts a longer condition ("grade
    9 or 10", "grade 9 to 11", "grade 9 or higher"): left unread there, it refuses."""
    toks = r.toks
    after = toks[i + 1] if i + 1 < len(toks) else None
    if after is not None and (after.kind in LONGER or after.text in lx.RANGE_TO):
        return None
    said = toks[i].text
    held = [str(v["value"]) for v in r.col(name).values if str(v["value"]) == said]
    return held[0] if len(held) == 1 else None

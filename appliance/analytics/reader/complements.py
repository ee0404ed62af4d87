"""The other group of a comparison, said without naming it again: "patients who smoke
and those who do not", "diabetics vs. the rest", "with surgery and those without".

Within one question "those" there points at no earlier answer: it is the rows of the
first group's flag that do not have it. Read so only where the first group is one yes/no
condition (a flag) and nothing else is said of it, and the other group is only the
negation with nothing after it; any other form is left to the stages that follow (which
refuse "those" with nothing to point to).
"""

from __future__ import annotations

from appliance.analytics import lexicon as lx
from appliance.analytics.reader.kinds import Kind
from appliance.analytics.reader.state import State
from appliance.analytics.reader.tokens import Tok

# Kinds that say something of a group's rows: with one of them beside the flag, its
# complement is no longer "the rows without the flag".
_CONDITIONS = (
    Kind.VALUE,
    Kind.COMPARISON,
    Kind.SUFFIX_COMPARISON,
    Kind.NUMBER,
    Kind.NEGATION,
    Kind.MISSING,
    Kind.DATE,
    Kind.MONTH,
    Kind.BEFORE,
    Kind.AFTER,
    Kind.PARTICIPLE,
    Kind.LEAD_IN,
    Kind.QUOTED,
    Kind.UNKNOWN,
)


def read_complement(r: State) -> None:
    """Replace the other group's words by one flag token meaning the flag's other value;
    "those who …" with more said after it is that group's rows, not an earlier answer's."""
    toks = r.toks
    for k in range(len(toks)):
        if not _compares(toks, k):
            continue
        if _the_flag(toks[:k]) is not None and _split_versus(r, k):
            toks = r.toks
        tail = _other_group(toks, k + 1)
        if tail is None:
            _those_who(r, k + 1)
            continue
        flag = _the_flag(toks[:k])
        if flag is None:
            return
        column, pos, neg = flag.data[0]
        start, end = tail
        said = " ".join(t.text for t in toks[start:end])
        if said.split()[-1] not in lx.NEGATED_CLAUSES and r.col(column).nulls:
            return  # "the rest" would hold the rows where the flag is empty too
        other = Tok(toks[start].start, toks[end - 1].end, said, Kind.FLAG, [(column, neg, pos)])
        r.toks = [*toks[:start], other, *toks[end:]]
        return


def _split_versus(r: State, k: int) -> bool:
    """ "compared with everyone else" is one phrase of the lexicon (a model's reference
    group: "for AML high risk patients compared with everyone else"); after a yes/no
    flag it is "compared with" and the flag's other group, so it is split in two."""
    t = r.toks[k]
    for other in lx.COMPLEMENTS:
        if t.kind == Kind.VERSUS and t.text.endswith(" " + other):
            n = len(other.split())
            head = Tok(t.start, t.end - n, t.text[: -len(other) - 1], Kind.VERSUS, t.data)
            tail = Tok(t.end - n, t.end, other, Kind.FILLER, other)
            r.toks = [*r.toks[:k], head, tail, *r.toks[k + 1 :]]
            return True
    return False


def _compares(toks: list[Tok], k: int) -> bool:
    """The link at k joins the two groups of a comparison: "vs", "than", or "and" after
    "between" or "difference" ("how many smokers and those who …" is no comparison)."""
    if toks[k].kind in (Kind.VERSUS, Kind.THAN):
        return True
    return toks[k].kind == Kind.AND and any(
        t.kind == Kind.BETWEEN or (t.kind == Kind.STATISTIC and t.data == "difference")
        for t in toks[:k]
    )


def _those_who(r: State, i: int) -> None:
    """ "… and those who do not smoke", "… vs. those with surgery": "those" (or "the
    ones") before a relative clause that says who they are is that clause's rows."""
    toks = r.toks
    while i < len(toks) and toks[i].kind == Kind.FILLER and toks[i].text in lx.SOFT:
        i += 1
    if i + 1 < len(toks) and toks[i].kind == Kind.ROW_NOUN and toks[i].text in lx.DEMONSTRATIVES:
        if toks[i + 1].text in (*lx.RELATIVES, *lx.HAVING):
            toks[i].kind = Kind.FILLER
            r.note([toks[i]], "the rows the words after it describe")


def _other_group(toks: list[Tok], i: int) -> tuple[int, int] | None:
    """(start, end) of "those who do not", "the ones without", "the rest" from i to the
    end of the question (only filler after it), or None."""
    start = i
    while i < len(toks) and toks[i].kind == Kind.FILLER and toks[i].text in lx.SOFT:
        i += 1
    for first in range(start, i + 1):  # "for the rest": "the" begins the phrase
        words: list[str] = []
        for j in range(first, len(toks)):
            if toks[j].kind not in (Kind.FILLER, Kind.UNKNOWN, Kind.ROW_NOUN):
                break
            words.append(toks[j].text)
            if " ".join(words) in lx.COMPLEMENTS:
                return (start, j + 1) if _only_filler(toks, j + 1) else None
    if i >= len(toks) or toks[i].kind != Kind.ROW_NOUN:
        return None
    j = i + 1
    while j < len(toks) and toks[j].text in lx.RELATIVES:
        j += 1
    if j < len(toks) and toks[j].kind == Kind.NEGATION and toks[j].text in lx.NEGATED_CLAUSES:
        return (start, j + 1) if _only_filler(toks, j + 1) else None
    return None


def _only_filler(toks: list[Tok], j: int) -> bool:
    return all(t.kind == Kind.FILLER for t in toks[j:])


def _the_flag(toks: list[Tok]) -> Tok | None:
    """The first group's one flag, said without negation or any other condition."""
    flags = [t for t in toks if t.kind == Kind.FLAG]
    if len(flags) != 1 or len(flags[0].data) != 1:
        return None
    if any(t.kind in _CONDITIONS for t in toks):
        return None
    return flags[0]

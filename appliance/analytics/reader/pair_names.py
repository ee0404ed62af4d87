"""Which of a table's several time-to-event pairs a survival question asks about.

A transplant table may declare overall survival (death), disease-free survival and time
to acute GVHD. "median overall survival", "1-year disease-free survival", "Kaplan-Meier
median time to platelet recovery" and "hazard ratio of death per year of age" each name
one pair, by its own name, its columns' names or their dictionary labels, or (for
death) an ordinary word for it. A pair is only chosen by a name said *where a pair is
named*: inside or right before the survival words ("disease-free survival"), after
"time to", or after "hazard ratio of" ("hazard ratio of relapse"). The same name
elsewhere, or right before a row noun, is a condition on the rows: in "median survival
of patients with acute GVHD" or "… for acute GVHD patients" acute GVHD keeps rows, and
the survival asked is the death pair's.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from appliance.analytics import lexicon as lx
from appliance.analytics.errors import Unanswerable
from appliance.analytics.reader.kinds import Kind
from appliance.analytics.reader.words import split_words

if TYPE_CHECKING:
    from appliance.analytics.reader.state import State
    from appliance.analytics.reader.tokens import Tok
    from appliance.analytics.time_to_event import Pair

# Words for the living ("median survival of survivors"): rows without the event, which
# the death pair's survival over every row is not; with them no pair is taken unnamed.
_LIVING = frozenset("alive survived survivor survivors living".split())


def choose(r: State, found: list[Pair], words: list[Tok]) -> Pair:
    """The one pair the question names (see the module's docstring), else a refusal
    listing them. "survival" naming no pair is overall survival where exactly one pair's
    event is a death (a caveat says so)."""
    text, spans = _joined(r.toks)
    asked = [(*spans[k], t.get(Kind.STATISTIC)) for k, t in enumerate(r.toks) if t in words]
    rows = {spans[k][0] for k, t in enumerate(r.toks) if t.kind == Kind.ROW_NOUN}
    named: dict[str, Pair] = {}
    naming: dict[str, list[tuple[int, int]]] = {}
    said: list[tuple[int, int, Pair]] = []
    for p in found:
        if any(_is_duration(t, p) for t in r.toks):
            named[p.name] = p  # "median of os_months": the pair's own time column
        for name in _names(r, p):
            for m in re.finditer(rf"(?<![a-z0-9]){re.escape(name)}(?![a-z0-9])", text):
                said.append((m.start(), m.end(), p))
    ends: list[int] = []
    for start, end, p in sorted(said, key=lambda x: (x[0], -x[1])):
        joined = any(text[e:start] in (" or ", " and ") for e in ends)
        if joined or _where_a_pair_is_named(text, start, end, asked, rows):
            # "hazard ratio of relapse or acute GVHD": both are named, and refused below
            named[p.name] = p
            naming.setdefault(p.name, []).append((start, end))
            ends.append(end)
    if len(named) == 1 or len(found) == 1:
        p = next(iter(named.values())) if len(found) > 1 else found[0]
        _unfilter(r, p, [k for k, sp in enumerate(spans) if _inside(sp, naming.get(p.name, []))])
        return _chosen(r, p)
    deaths = [p for p in found if _of_death(r, p)]
    living = any(w in _LIVING for t in r.toks for w in t.text.split())
    if not named and len(deaths) == 1 and not living and _plain_survival(r.toks, words):
        r.caveats.append(
            f"survival read as overall survival: the {deaths[0].name} pair"
            f" ({deaths[0].duration}, {deaths[0].event}); name another pair to ask about it"
        )
        return _chosen(r, deaths[0])
    among = list(named.values()) or found
    raise Unanswerable(
        "which time to event? this dataset has "
        + ", ".join(f"{p.name} ({p.duration}, {p.event})" for p in among)
    )


def _inside(span: tuple[int, int], within: list[tuple[int, int]]) -> bool:
    return any(s <= span[0] and span[1] <= e for s, e in within)


def _unfilter(r: State, p: Pair, named_by: list[int]) -> None:
    """ "disease-free survival" where "disease free" is also a value of a relapse column:
    the words that named the pair are its name, not a condition on the rows; the
    condition they were read as is taken back. One that cannot be taken back is refused,
    never left beside the pair (it would keep only the disease-free rows)."""
    for k in named_by:
        t = r.toks[k]
        if t.kind not in (Kind.VALUE, Kind.FLAG) or not t.used:
            continue
        kept = [(pos, f) for pos, f in r.filters if pos != k]
        if len(kept) == len(r.filters):
            raise Unanswerable(
                f"{t.text!r} names the {p.name} pair and is also a condition on the rows:"
                " say which (e.g. the pair's time column by name)"
            )
        r.filters = kept
        for note in r.notes:
            if note["phrase"] == t.text and note["meaning"].startswith("only rows where"):
                note["meaning"] = f"the {p.name} time-to-event pair"


def _chosen(r: State, p: Pair) -> Pair:
    """The pair, its time column's own mention read ("median time to platelet recovery"
    where that is the label of ``tp``: the pair's time, not a column beside it)."""
    for t in r.toks:
        if not t.used and _is_duration(t, p):
            t.used = True
    return p


def _plain_survival(toks: list[Tok], words: list[Tok]) -> bool:
    """ "survival", "overall survival", "OS", "surviving": survival with nothing before it
    that makes it another event's ("disease-free survival", "event-free survival" are not
    overall survival, and a hazard ratio or log-rank test alone names no event)."""
    plain = [t for t in words if "surviv" in t.text or t.text in lx.DEATH_PAIR_WORDS]
    for t in plain:
        k = toks.index(t)
        if k > 0 and toks[k - 1].text.split()[-1] in lx.FREE_OF_WORDS:
            return False
    return bool(plain)


def _joined(toks: list[Tok]) -> tuple[str, list[tuple[int, int]]]:
    """The question's words as one text, and where each token lies in it."""
    spans: list[tuple[int, int]] = []
    at = 0
    for t in toks:
        spans.append((at, at + len(t.text)))
        at += len(t.text) + 1
    return " ".join(t.text for t in toks), spans


def _where_a_pair_is_named(
    text: str, start: int, end: int, asked: list[tuple[int, int, Any]], rows: set[int]
) -> bool:
    """Whether the name said from ``start`` to ``end`` names the pair (see the module);
    before a row noun it qualifies the rows ("survival of acute GVHD patients")."""
    before = text[:start]
    for s, e, _stat in asked:
        if start < e and end > s:
            return True  # "overall survival", "disease free survival"
    if end + 1 in rows:
        return False
    if before.endswith(lx.PAIR_LEADS):
        return True  # "time to relapse"
    for s, e, stat in asked:
        if end + 1 == s:
            return True  # "relapse free survival" said before the survival word
        if stat == "hazard_ratio" and before == text[:e] + " of ":
            return True  # "hazard ratio of death" ("survival of AML …" says rows)
    return False


def _is_duration(t: Tok, p: Pair) -> bool:
    if not t.has(Kind.COLUMN):
        return False
    names, strongly = t.get(Kind.COLUMN)
    return bool(strongly) and list(names) == [p.duration]


def _plain(words: str) -> str:
    """A name's words as the question's tokens hold them (words.split_words)."""
    return " ".join(split_words(words))


def _names(r: State, p: Pair) -> set[str]:
    """A pair's names: its own, its columns' and their labels and synonyms, without the
    words every time or event has ("time to", "time", "status"), and the ordinary words
    for death where its event is one."""
    names = {_plain(p.name), _plain(p.duration), _plain(p.event)}
    for column in (p.duration, p.event):
        entry = r.ds.dictionary.get(column, {})
        for said in [entry.get("label"), *entry.get("synonyms", [])]:
            if isinstance(said, str):
                names.add(_plain(said))
    stripped = set()
    for n in names:
        n = re.sub(r"^(?:time (?:to|until|till) )", "", n)
        n = re.sub(r" (?:time|status|times)$", "", n)
        stripped.add(n)
    names |= stripped
    if _of_death(r, p):
        names |= set(lx.DEATH_PAIR_WORDS)
    return {n for n in names if n and n not in lx.PAIR_WORDS_ALONE}


def _of_death(r: State, p: Pair) -> bool:
    """The pair's event is a death and nothing else: its name, event column, label or
    value is a word for death ("relapse or death" is another event)."""
    said = {_plain(p.name), _plain(p.event), _plain(str(p.event_value))}
    entry = r.ds.dictionary.get(p.event, {})
    if isinstance(entry.get("label"), str):
        said.add(_plain(entry["label"]))
    return bool(said & {*lx.DEATH_WORDS, "deaths"})

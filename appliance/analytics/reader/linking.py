"""Schema linking: which column or value a mention names, the column a word implies
("older" an age, "heaviest" a weight), and the column a comparison is about."""

from __future__ import annotations

from typing import Any, cast

from appliance.analytics import lexicon as lx
from appliance.analytics import time_to_event
from appliance.analytics.data_facts import same_rows
from appliance.analytics.datasets import ColumnProfile
from appliance.analytics.errors import Unanswerable
from appliance.analytics.plan import Filter
from appliance.analytics.reader.aligning import rows_own
from appliance.analytics.reader.kinds import Kind
from appliance.analytics.reader.shared_words import ValueSet, checked
from appliance.analytics.reader.state import State
from appliance.analytics.reader.thresholds import age_flags, has_age
from appliance.analytics.reader.tokens import Tok
from appliance.analytics.reader.words import (
    plural_forms,
    share_stem,
    split_words,
)


def implied_concept(phrase: str) -> str | None:
    """The kind of column a comparison implies: "older than" an age, "taller" a height."""
    if phrase in lx.AGE_COMPARISONS:
        return "age"
    if phrase in lx.WEIGHT_COMPARISONS:
        return "weight"
    if phrase in lx.HEIGHT_COMPARISONS:
        return "height"
    return None


def columns_of(r: State, tok: Tok, numeric: bool = False, date: bool = False) -> list[str]:
    """The column a column mention names, or a refusal if it names several."""
    if tok.kind == Kind.FLAG or (
        tok.kind != Kind.COLUMN and tok.has(Kind.FLAG) and not tok.has(Kind.COLUMN)
    ):
        return [tok.get(Kind.FLAG)[0][0]]
    names, _exact = tok.get(Kind.COLUMN)
    if numeric:
        names = [n for n in names if r.col(n).info.numeric] or names
    if date:
        names = [n for n in names if r.col(n).type == "date"] or names
    return [str(n) for n in names]


def names_its_column(r: State, tok: Tok, column: str) -> bool:
    """ "the orthopaedics ward": a mention of a value's own column right after it; also
    the column's name without a last word that says what kind of thing it holds ("a
    lymphoid diagnosis" for diagnosis_type, "diagnosis type"), where that is the word."""
    if tok.kind != Kind.COLUMN:
        return False
    if column in columns_of(r, tok):
        return True
    words = column.split("_")
    while len(words) > 1 and words[-1] in lx.WEAK_HEADS:
        words.pop()
    return len(words) < len(column.split("_")) and any(
        tok.text.split() == list(form) for form in plural_forms(tuple(words))
    )


def one_column(r: State, tok: Tok, numeric: bool = False, date: bool = False) -> str:
    names = columns_of(r, tok, numeric, date)
    if len(names) > 1:
        # "mothers aged 40": the mother's age, not the father's
        names = hinted_columns(r, names, rownoun_near(r, r.toks.index(tok)))
    if len(names) > 1:
        raise Unanswerable(
            f"{tok.text!r} could mean any of {', '.join(names)}: name one",
            not_understood=[tok.text],
            choices={tok.text: names},
        )
    return names[0]


def hinted_columns(r: State, names: list[str], near: Tok | None) -> list[str]:
    """Of ``names``, those a row noun points to: "mothers" → mage ("mother's age")."""
    if near is None or near.kind != Kind.ROW_NOUN:
        return names
    forms = {
        near.text,
        near.text.rstrip("s"),
        near.text[:-2] if near.text.endswith("es") else near.text,
    }
    if near.text in lx.IRREGULAR_ROWS:
        forms |= {near.text.replace("en", "an"), "child"}
    picked = []
    for n in names:
        label = r.ds.dictionary.get(n, {}).get("label", "")
        if forms & (set(n.split("_")) | set(split_words(label))):
            picked.append(n)
    return picked if len(picked) == 1 else names


def rownoun_near(r: State, k: int) -> Tok | None:
    """The row noun closest to token k ("which 3 mothers were the heaviest")."""
    nouns = [j for j, t in enumerate(r.toks) if t.kind == Kind.ROW_NOUN]
    return r.toks[min(nouns, key=lambda j: abs(j - k))] if nouns else None


# What may follow a phrase such as "stay in hospital" and make its word a condition on a
# column of that name ("stay in hospital 2", "in hospital over 3").
CONDITION_AFTER = (
    Kind.NUMBER,
    Kind.COMPARISON,
    Kind.SUFFIX_COMPARISON,
    Kind.VALUE,
    Kind.BETWEEN,
    Kind.UNIT,
    Kind.COMPARATIVE,
)


def read_concept_phrases(r: State) -> None:
    """ "stayed in hospital", "hospital stay" beside a ``hospital`` column: the phrase asks
    for the length of stay (CONCEPT_QUESTIONS) where nothing said beside it could make its
    word that column's condition; "stay in hospital 2" is still refused. The vocabulary
    leaves such a phrase as its words (one of them the rival column): they are joined
    here, once the words around them are known."""
    for phrase, concept in lx.CONCEPT_QUESTIONS.items():
        words = phrase.split()
        names = r.vocab._concept_columns(concept)
        if len(words) < 2 or words[0] == "how" or not names:
            continue
        for k in range(len(r.toks) - len(words) + 1):
            span = r.toks[k : k + len(words)]
            if [t.text for t in span] != words or any(t.used for t in span):
                continue
            # the rival word's own neighbour outside the phrase: "hospital" in "stay in
            # hospital 2", but "hospital stay over 20" is a condition on the stay
            ends = [(0, k - 1), (len(words) - 1, k + len(words))]
            if any(
                0 <= j < len(r.toks)
                and not (span[i].kind == Kind.COLUMN and set(span[i].data[0]) <= set(names))
                and r.toks[j].kind in CONDITION_AFTER
                for i, j in ends
            ):
                continue
            r.toks[k : k + len(words)] = [
                Tok(span[0].start, span[-1].end, phrase, Kind.COLUMN, (names, True))
            ]
            break


def read_how_old(r: State) -> None:
    """ "how old are patients on average": "how old" asks for the age, the one column an
    age is recorded in (or a refusal naming the candidates, as "older than" does)."""
    for k, t in enumerate(r.toks[:-1]):
        said = r.toks[k + 1]
        if t.text == "how" and said.text == "old" and said.kind == Kind.UNIT and not said.used:
            name = concept_column(r, "age", "how old")
            said.kind, said.data, said.alts = Kind.COLUMN, ([name], True), {}
            t.used = True


def concept_column(r: State, concept: str, why: str, near: Tok | None = None) -> str:
    """The column a word like "older" or "heaviest" implies, or a refusal.

    A row noun nearby decides first ("the heaviest mothers": the mother's weight),
    then a column named exactly for the concept, then one that contains it.
    """
    if concept == lx.FOLLOW_UP_CONCEPT:  # "died soonest": the time to that event
        durations = list(dict.fromkeys(p.duration for p in time_to_event.pairs(r.ds)))
        if len(durations) != 1:
            raise Unanswerable(f"{why!r} needs one time-to-event column: {durations or 'none'}")
        return durations[0]
    phrases = [tuple(p.split()) for p in lx.CONCEPTS.get(concept, (concept,))]
    exact: list[str] = []
    loose: list[str] = []
    for col in r.ds.columns:
        if not col.info.numeric or col.type == "boolean":
            continue
        label = r.ds.dictionary.get(col.name, {}).get("label", "")
        words = tuple(col.name.split("_"))
        while len(words) > 1 and words[-1] in lx.UNITS:
            words = words[:-1]
        own = rows_own(col.name, r.vocab.rows_noun)  # agemth, each row a mother: an age
        for n in (words, tuple(split_words(label)), own):
            for p in phrases:
                if n == p:
                    exact.append(col.name)
                elif any(n[i : i + len(p)] == p for i in range(len(n))):
                    loose.append(col.name)
        unit = r.ds.dictionary.get(col.name, {}).get("unit") or ""
        if concept == "duration" and (
            col.name.split("_")[-1] in lx.TIME_UNITS or unit.lower() in lx.TIME_UNITS
        ):
            loose.append(col.name)  # survival_days, los_days: a duration, in days
    exact, loose = list(dict.fromkeys(exact)), list(dict.fromkeys(loose))
    every = list(dict.fromkeys(exact + loose))
    hinted = hinted_columns(r, every, near)
    if len(hinted) == 1 and len(every) > 1:
        return hinted[0]
    found = exact or loose
    if len(found) == 1:
        return found[0]
    if not found and concept == "age" and len(age_flags(r)) == 1:
        return age_flags(r)[0]  # "older than 75" of age_over_75: read or refused there
    if not found:
        raise Unanswerable(f"{why!r} needs a {concept} column, and this dataset has none")
    raise Unanswerable(f"{why!r} could be about {', '.join(found)}: name the column")


def is_plain_age(r: State, name: str) -> bool:
    """Named age and nothing else but a unit (age, age_years)."""
    words = [w for w in name.split("_") if w not in lx.UNITS]
    return words == ["age"]


def is_age(r: State, name: str) -> bool:
    label = r.ds.dictionary.get(name, {}).get("label", "")
    own = rows_own(name, r.vocab.rows_noun) == ("age",)  # agemth in a table of mothers
    return own or "age" in name.split("_") or "age" in split_words(label)


def value_of(r: State, tok: Tok, column: str | None = None) -> tuple[str, Any] | None:
    """The (column, value) a value mention names; refused where it names values of
    several columns, or two values of one column (never silently the first); a word
    several values share is their set (shared_words.py), or its refusal."""
    for kind in (Kind.VALUE,):
        if tok.has(kind):
            options = tok.get(kind)
            if column is not None:
                options = [o for o in options if o[0] == column]
            if len(options) == 1:
                return checked(tok.text, cast(tuple[str, Any], options[0]))
            if len(options) > 1:
                cols = sorted({o[0] for o in options})
                own = own_column(r, cols, tok)
                if own is not None:
                    options = [o for o in options if o[0] == own]
                    cols = [own]
                if len(cols) > 1:
                    options = [twin_of(r, tok, options)]
                    cols = [options[0][0]]
                if len(options) > 1:
                    said = ", ".join(repr(o[1]) for o in options)
                    raise Unanswerable(
                        f"{tok.text!r} could be any of {said} of {cols[0]}: say which"
                    )
                return checked(tok.text, cast(tuple[str, Any], options[0]))
    return None


def twin_of(r: State, tok: Tok, options: list[tuple[str, Any]]) -> tuple[str, Any]:
    """Of one value held by several columns, the one to filter on where every column
    holds it on exactly the same rows (``TRTA`` "Placebo" and ``TRTAN`` 1 labelled
    "Placebo": either gives the same answer), with a caveat naming them all; refused
    naming them where any two disagree on a row, or one column holds it twice."""
    cols = sorted({o[0] for o in options})
    pairs = list(options)
    if len(pairs) != len(cols) or any(isinstance(o[1], ValueSet) for o in pairs):
        raise Unanswerable(f"{tok.text!r} is a value of {', '.join(cols)}: say which column")
    # the column that holds the value as it was said, else the first of the table
    order = [c.name for c in r.ds.columns]
    pairs.sort(key=lambda o: (str(o[1]).lower() != tok.text, order.index(o[0])))
    first = Filter(pairs[0][0], "=", (pairs[0][1],))
    if not all(same_rows(r.ds, first, Filter(c, "=", (v,))) for c, v in pairs[1:]):
        raise Unanswerable(
            f"{tok.text!r} is a value of {', '.join(cols)}, which do not hold it on the same"
            " rows: say which column"
        )
    r.caveats.append(
        f"{tok.text!r} is a value of {', '.join(cols)}, held on the same rows in each:"
        f" read as {pairs[0][0]} = {pairs[0][1]!r}"
    )
    return pairs[0]


def own_column(r: State, cols: list[str], tok: Tok | None = None) -> str | None:
    """Of columns sharing a value, the one about the row's own subject: "female" is
    sex, not donor_sex, where the question never says "donor", or where the value
    qualifies the rows themselves ("male patients" beside "donor age"). Only where one
    is named (by its label, else its header) with words each other one ends with,
    after words of its own ("sex" and "donor sex", "cmv status" and "donor cmv status")."""
    named = {c: _label_words(r, c) for c in cols}
    bases = [
        c
        for c in cols
        if all(
            len(named[o]) > len(named[c]) and named[o][-len(named[c]) :] == named[c]
            for o in cols
            if o != c
        )
    ]
    if len(bases) != 1:
        return None
    base = bases[0]
    if tok is not None:
        k = r.toks.index(tok) + 1
        if (
            k < len(r.toks)
            and r.toks[k].kind == Kind.ROW_NOUN
            and r.toks[k].text not in (lx.ANAPHORA)
        ):
            return base  # "male patients": the patients' own sex
    said = {t.text for t in r.toks}
    for c in cols:
        if c == base:
            continue
        extra = named[c][: -len(named[base])]
        if any(share_stem(w, x) for w in extra for x in said):
            return None
    return base


def _label_words(r: State, name: str) -> list[str]:
    label = r.ds.dictionary.get(name, {}).get("label") or ""
    return split_words(label) or name.split("_")


def none_value(col: ColumnProfile) -> Any:
    """A category's one value saying there is none of it (an improvement "None"), which
    "no improvement" names; None where it holds no such value."""
    found = [
        v["value"]
        for v in col.values
        if isinstance(v["value"], str) and v["value"].strip().lower() in lx.NONE_VALUES
    ]
    return found[0] if col.type == "category" and len(found) == 1 else None


def date_column(r: State, near: int | None = None) -> str:
    dates = [c.name for c in r.ds.columns if c.type == "date"]
    if near is not None:
        for k in (near - 1, near + 1, near + 2):
            if 0 <= k < len(r.toks) and r.is_col(r.toks[k]) and not r.toks[k].used:
                names = [n for n in columns_of(r, r.toks[k]) if n in dates]
                if len(names) == 1:
                    r.toks[k].used = True
                    return names[0]
    mentioned = [
        t
        for t in r.toks
        if not t.used and t.has(Kind.COLUMN) and any(n in dates for n in t.get(Kind.COLUMN)[0])
    ]
    if len(mentioned) == 1:
        names = [n for n in mentioned[0].get(Kind.COLUMN)[0] if n in dates]
        if len(names) == 1:
            mentioned[0].used = True
            return names[0]
    if len(dates) == 1:
        return dates[0]
    if not dates:
        raise Unanswerable("this dataset has no date column")
    raise Unanswerable(f"which date? this dataset has {', '.join(dates)}")


def event_column(r: State, i: int) -> tuple[str, bool, Tok] | None:
    """The column that dates the event a participle right before token ``i`` names:
    "discharged in 2019" is the year of discharge_date, "admitted before 2015" of
    admission_date, and a whole-number column labelled "year of admission" is that year
    itself. (column, whether to compare its year, the participle's token); None where
    no participle is there, or it names no such column, or more than one."""
    p = r.prev(i)
    if p is None or r.toks[p].used or r.toks[p].kind != Kind.PARTICIPLE:
        return None
    said = r.toks[p]
    stems = (said.text, *lx.PARTICIPLES[said.text])
    found: dict[str, bool] = {}
    for d in r.vocab.data_words:
        if d.role.startswith("value") or not any(share_stem(s, d.word) for s in stems):
            continue
        col = r.col(d.column)
        label = r.ds.dictionary.get(col.name, {}).get("label") or ""
        named = set(col.name.split("_")) | set(split_words(label)) | set(split_words(col.source))
        if col.type == "date":
            found[col.name] = True
        elif col.type == "integer" and named & lx.YEAR_WORDS:
            found[col.name] = False
    if len(found) != 1:
        return None
    ((name, year_of),) = found.items()
    return name, year_of, said


def date_near(r: State, i: int) -> str:
    event = event_column(r, i)  # "discharged in March 2019": discharge_date
    if event is not None and event[1]:
        event[2].used = True
        return event[0]
    p = r.prev(i)
    if p is not None and r.toks[p].has(Kind.COLUMN):
        names = [n for n in r.toks[p].get(Kind.COLUMN)[0] if r.col(n).type == "date"]
        if len(names) == 1:
            r.toks[p].used = True
            return str(names[0])
    return date_column(r)


def subject_column(
    r: State,
    i: int,
    used: list[Tok],
    date: bool = False,
    implied: str | None = None,
    after: int | None = None,
) -> str:
    """The column a comparison at token i is about: named before it, or implied."""
    p = r.prev(i)
    before = r.toks[p] if p is not None and r.is_col(r.toks[p]) else None
    behind = (
        r.toks[after]
        if after is not None
        and after < len(r.toks)
        and r.is_col(r.toks[after])
        and not r.toks[after].used
        else None
    )
    if before is not None and behind is not None:
        a = one_column(r, before, numeric=not date, date=date)
        if columns_of(r, behind, numeric=not date, date=date) == [a]:
            used += [before, behind]  # "gestation under 37 weeks"
            return a
    if behind is not None and (
        behind.text in lx.UNITS
        or (before is None and behind.kind == Kind.COLUMN and after == r.toks.index(used[1]) + 1)
    ):
        used.append(behind)  # "under 37 weeks"
        return one_column(r, behind, numeric=not date, date=date)
    count = counted_column(r, after) if after is not None and not date else None
    if count is not None and after is not None:  # "pts w/ > 10 visits" beside numvisit
        used.append(r.toks[after])
        r.caveats.append(f"{r.toks[after].text!r} after a number read as {count}")
        return count
    if before is not None:
        used.append(before)
        return one_column(r, before, numeric=not date, date=date)
    if date:
        return date_column(r)
    if implied:
        return concept_column(r, implied, " ".join(t.text for t in used), rownoun_near(r, i))
    unit = next((t for t in used if t.kind == Kind.UNIT), None)
    if unit is not None and unit.data in lx.AGE_UNITS:
        return concept_column(r, "age", " ".join(t.text for t in used))
    ages = [c.name for c in r.ds.columns if c.info.numeric and is_age(r, c.name)]
    if p is not None and len(ages) > 1:
        ages = hinted_columns(r, ages, r.toks[p])  # "mothers over 35": the mother's age
    plain = [a for a in ages if is_plain_age(r, a)]
    said = {t.text for t in r.toks}
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
    while p is not None and r.toks[p].kind == Kind.FILLER and r.toks[p].text in lx.FILLER_PHRASES:
        p = r.prev(p)  # "people in the study were over 50": the people's age
    if not ages and not has_age(r) and p is not None and r.toks[p].kind == Kind.ROW_NOUN:
        ages = age_flags(r)  # "pts 80+" of age_80_or_older: read or refused by the flag
    # The noun right after the number is what it counts ("pts w/ > 10 visits", "women
    # with 2 or more doctor visits"): never the rows' age.
    last = max(r.toks.index(t) for t in used) if used else i
    counted = last + 1 < len(r.toks) and (
        not r.toks[last + 1].used
        and r.toks[last + 1].kind in (Kind.ROW_NOUN, Kind.UNKNOWN, Kind.DATASET_NAME)
    )
    if (
        len(ages) == 1
        and p is not None
        and r.toks[p].kind in (Kind.ROW_NOUN, Kind.VALUE, Kind.FLAG)
        and not counted
    ):
        r.caveats.append(
            f"{' '.join(t.text for t in used)!r} has no column of its own: read as {ages[0]}"
        )
        return ages[0]
    numeric = ", ".join(c.name for c in r.ds.columns if c.info.numeric)
    phrase = " ".join(t.text for t in sorted(used, key=lambda t: t.start))
    raise Unanswerable(f"{phrase!r}: which column? the numeric columns are {numeric}")


def counted_column(r: State, k: int) -> str | None:
    """The count column a noun right after a number names where the noun alone could be
    the rows or that count ("visits" beside numvisit, refused on its own): after a
    number it is what the number counts, as a row's condition can only be."""
    if k >= len(r.toks) or r.toks[k].used or r.toks[k].kind != Kind.UNKNOWN:
        return None
    meanings = r.vocab.table.get(tuple(r.toks[k].text.split()), {})
    found = meanings.get(Kind.COLUMN)
    if Kind.ROW_NOUN not in meanings or not found or len(found[0]) != 1:
        return None
    col = r.col(found[0][0])
    return col.name if col.info.numeric and col.type not in ("boolean", "identifier") else None


# After a counted noun, words that make the number part of a longer condition ("3 visits
# or more", "2 to 4 visits", "2 visits per year"): the number is then not read as equal.
LONGER = (Kind.SUFFIX_COMPARISON, Kind.COMPARISON, Kind.OR, Kind.BETWEEN, Kind.GROUP, Kind.UNIT)


def label_column(r: State) -> str | None:
    for t in r.toks:
        if not t.used and t.kind == Kind.COLUMN:
            names = t.get(Kind.COLUMN)[0]
            if len(names) == 1 and r.col(names[0]).type in (
                "identifier",
                "text",
                "category",
            ):
                t.used = True
                r.note([t], f"rows named by {names[0]}")
                return str(names[0])
    return None


def coded_flag(r: State, flag: Tok, number: Tok) -> bool:
    """A yes/no column whose values are the numbers 0 and 1, named with one of them
    ("gender 1"): the code is the value, as "asa 3" is for a column of codes. Only 0 or 1,
    only right after the column, and only for one column: anything else stays unread."""
    if flag.kind != Kind.FLAG or flag.has(Kind.VALUE) or len(flag.data) != 1:
        return False
    col = r.col(flag.data[0][0])
    held = {v["value"] for v in (col.values or [])}
    return (
        col.info.numeric
        and number.data in (0, 1)
        and isinstance(number.data, int)
        and held <= {0, 1}
        and number.start == flag.end
    )

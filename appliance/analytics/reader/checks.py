"""Last checks: words that must be accounted for (row nouns that say who, participles,
lead-ins), else the question is refused."""

from __future__ import annotations

from appliance.analytics import lexicon as lx
from appliance.analytics import units
from appliance.analytics.errors import Unanswerable
from appliance.analytics.plan import Plan
from appliance.analytics.reader.kinds import Kind
from appliance.analytics.reader.linking import is_age
from appliance.analytics.reader.rows import identifier_noun, names_rows, one_per_row
from appliance.analytics.reader.state import State
from appliance.analytics.reader.tokens import Tok
from appliance.analytics.reader.words import (
    header_words,
    lemma_of,
    share_stem,
    split_words,
)


def female_only(r: State) -> bool:
    """Columns about pregnancy or mothers, or a header that is no more than a noun for
    women holding a different value on every row (``woman``: their identifier): the rows
    are women."""
    return bool(r.data_words() & lx.FEMALE_MARKERS) or any(
        c.name.lower() in lx.FEMALE_NOUNS and one_per_row(c, r.ds) for c in r.ds.columns
    )


def check_ages(r: State, nouns: list[Tok]) -> None:
    """ "babies", "children", "adults": the rows only where every row is one; "the
    elderly" only beside the ages it means."""
    for t in nouns:
        if t.text in lx.ELDERLY_NOUNS:
            stated = [
                f
                for _p, f in r.filters
                if f.op in (">=", ">", "between")
                and r.col(f.column).info.numeric
                and is_age(r, f.column)
            ]
            if not stated:
                raise Unanswerable(
                    f"{t.text!r}: which ages? say them (e.g. 'aged 65 or over'); no age is assumed"
                )
            said = " and ".join(f.describe() for f in stated)
            r.caveats.append(f"{t.text!r} read as the ages the question states: {said}")
            continue
        if t.text in lx.BABY_NOUNS and not r.data_words() & lx.BIRTH_MARKERS:
            raise Unanswerable(f"{t.text!r}: nothing in this dataset is about births")
        if t.text in lx.CHILD_NOUNS | lx.ADULT_NOUNS:
            ages = [c for c in r.ds.columns if c.info.numeric and is_age(r, c.name)]
            child = t.text in lx.CHILD_NOUNS
            if child and children_by_identifier(r):
                continue  # a unique child_id: each row is a child, whoever else has an age
            if len(ages) == 1 and isinstance(ages[0].max, int | float):
                low, high = ages[0].min, ages[0].max
                if (child and high < 18) or (not child and low >= 18):
                    continue
                if child and every_age_under_18(r, ages[0].name, t.text):
                    continue
                if bounded_by_age(r, t, ages[0].name, child):
                    continue  # "children under 18": the condition says who they are
            raise Unanswerable(
                f"{t.text!r}: not every row is {'a child' if child else 'an adult'} here;"
                f" say which ages (e.g. 'aged {'under 18' if child else '18 or over'}')"
            )


def children_by_identifier(r: State) -> bool:
    """The table's one identifier is named for a child (``child_id``, ``kid_id``) and
    holds a different value on every row: its rows are children, though a mother's age
    beside it is an adult's."""
    found = identifier_noun(r.ds)
    if found is None or found[0].nulls or found[0].distinct != r.ds.row_count:
        return False
    own = [
        c
        for c in r.ds.columns
        if c.info.numeric and is_age(r, c.name) and not _parents(r, c.name) & lx.PARENT_WORDS
    ]
    if any(not _under_18(r, c.name) for c in own):
        return False  # the rows' own age says some are adults: the ages decide, as before
    return found[1] in lx.CHILD_NOUNS or f"{found[1]}s" in lx.CHILD_NOUNS


def _parents(r: State, name: str) -> set[str]:
    """The words of a column's header and of its dictionary label ("mother's age")."""
    label = r.ds.dictionary.get(name, {}).get("label", "")
    return set(header_words(name)) | set(split_words(label))


def _under_18(r: State, name: str) -> bool:
    """Every value of an age column under 18 years, in its recorded unit (months of a
    child's age) or, with none, as written."""
    c = r.col(name)
    if not isinstance(c.max, int | float):
        return False
    in_years = _oldest_in_years(r, name)
    return (in_years if in_years is not None else float(c.max)) < 18


def _oldest_in_years(r: State, name: str) -> float | None:
    """The column's largest age in years, where its unit is recorded (infinite where that
    unit is no time); None where no unit is recorded."""
    c = r.col(name)
    recorded = units.of_column(c.name, c.source, r.ds.dictionary.get(c.name, {}))
    if recorded is None:
        return None
    by = units.factor("year", recorded)
    return float(c.max) * by if by is not None else float("inf")


def every_age_under_18(r: State, name: str, said: str) -> bool:
    """Every age under 18 years in the column's unit (its dictionary's, or its header's),
    or, with no unit recorded, a largest age that no age in years reaches (over 130)
    but under 18 years in months (216): months, or weeks or days, are all under 18."""
    high = float(r.col(name).max)
    in_years = _oldest_in_years(r, name)
    if in_years is not None:
        return in_years < 18
    if lx.OLDEST_IN_YEARS < high < 18 * 12:
        r.caveats.append(
            f"{said!r} read as the rows: the largest {name}, {high:g}, is more than an age"
            f" in years can be, so {name} is in months or a smaller unit, and every row is"
            " under 18 years"
        )
        return True
    return False


def bounded_by_age(r: State, noun: Tok, name: str, child: bool) -> bool:
    """ "children under 18", "adults aged 18 or over": the age condition right after the
    noun keeps only rows the noun is true of."""
    for pos, f in r.filters:
        if f.column != name or not noun.end <= r.toks[pos].start <= noun.end + 1:
            continue
        bound = f.values[-1]
        if not isinstance(bound, int | float):
            continue
        if child and ((f.op == "<" and bound <= 18) or (f.op in ("<=", "between") and bound < 18)):
            return True
        if not child and ((f.op == ">=" and bound >= 18) or (f.op == ">" and bound >= 17)):
            return True
    return False


def check_gendered(r: State, nouns: list[Tok]) -> None:
    check_ages(r, nouns)
    for t in nouns:
        female = t.text in lx.FEMALE_NOUNS
        if not (female or t.text in lx.MALE_NOUNS):
            continue
        if female and female_only(r):
            continue
        raise Unanswerable(
            f"{t.text!r}: this dataset has no column saying who is "
            f"{'female' if female else 'male'}. {r.known()}"
        )


def check_participles(r: State) -> None:
    """ "born", "admitted", "treated": true of every row only where the data says so.

    A yes/no or category column named for it, or a value that is a form of it, could
    make it a condition: accepted only beside a value of that column ("diagnosed
    with sepsis"), refused otherwise. A column or the dataset named for it, always
    filled in (admission_date, birth_weight_g, "births"), says every row is so.
    Nothing at all: refused, as "women" is where no column says who is a woman.
    """
    for t in r.toks:
        if t.used or t.kind != Kind.PARTICIPLE:
            continue
        stems = (t.text, *lx.PARTICIPLES[t.text])
        like = [d for d in r.vocab.data_words if any(share_stem(s, d.word) for s in stems)]
        conditions = [
            d
            for d in like
            if d.role == "value" or (d.role == "head" and d.type in ("boolean", "category"))
        ]
        if conditions:
            if any(d.column in r.filtered for d in conditions):
                t.used = True  # "diagnosed with sepsis": the value says it
                continue
            d = conditions[0]
            raise Unanswerable(
                f"{t.text!r} could be a condition on {d.column} ({d.word!r}): name the"
                f" value it means. {r.known()}"
            )
        # beside another identifier, one named for it says no more of every row
        # (``recipient_id`` beside ``donor_id``: which of them is a row?)
        several = sum(c.type == "identifier" for c in r.ds.columns) > 1
        evidence = [
            d.column
            for d in like
            if d.type not in ("boolean", "category")
            and always_filled(r, d.column)
            and not (several and d.type == "identifier")
        ]
        named = any(
            share_stem(s, w) for s in stems for w in split_words(r.ds.name.replace("_", " "))
        )
        if not evidence and not named:
            raise Unanswerable(
                f"{t.text!r}: this dataset has no column saying which rows were {t.text}."
                f" {r.known()}"
            )
        t.used = True
        because = evidence[0] if evidence else f"the dataset {r.ds.name}"
        r.caveats.append(f"{t.text!r} read as true of every row ({because})")


def always_filled(r: State, name: str) -> bool:
    """A column with a value in every row (and, if numeric, a positive one)."""
    c = r.col(name)
    if c.nulls:
        return False
    return not (c.info.numeric and isinstance(c.min, int | float) and c.min <= 0)


def read_lead_ins(r: State) -> None:
    """ "from London", "who got the Pentax AWS", "randomized to placebo": the word is
    read with the value after it, which is the condition (never on its own). Run once the
    conditions are read, before the statistic takes the columns left: "the heaviest
    weight among students who always wear a helmet" leaves no 'helmet' for it."""
    toks = r.toks
    for i, t in enumerate(toks):
        if t.used or t.text not in lx.LEAD_INS or t.kind in (Kind.COLUMN, Kind.VALUE, Kind.FLAG):
            continue
        j = i + 1
        while j < len(toks) and toks[j].text in ("to", "the", "a", "an"):
            if toks[j].kind == Kind.VALUE:
                break  # "randomised to A": the value "A", never an article
            j += 1
        while j < len(toks) and toks[j].used and toks[j].kind == Kind.NEGATION:
            j += 1  # "showed no improvement": the negation is the condition's own
        if j < len(toks) and leads_to_condition(r, toks[j], toks[i - 1] if i else None):
            toks[j].used = True
            t.used = True
            for k in range(i + 1, j):
                toks[k].used = True
            if t.text.endswith(" as"):
                named_before(r, i, toks[j])
        elif (
            t.text in lx.FROM_PEOPLE
            and 0 < i
            and j < len(toks)
            and toks[i - 1].kind == Kind.ROW_NOUN
            and toks[j].kind == Kind.ROW_NOUN
            and toks[j].text not in lx.ANAPHORA
        ):
            r.note([t], "of (the rows' people)")  # "tests from children under 18"


def named_before(r: State, i: int, value: Tok) -> None:
    """ "their ethnicity recorded as Missing": the column named before "recorded as" is
    the value's own column, said twice (read with it); any other column is left unread."""
    k = i - 1
    while k >= 0 and r.toks[k].text in ("their", "the", "its", "his", "her"):
        k -= 1
    before = r.toks[k] if k >= 0 else None
    if before is None or before.used or before.kind != Kind.COLUMN or value.kind != Kind.VALUE:
        return
    if set(before.data[0]) == {column for column, _value in value.data}:
        for tok in r.toks[k:i]:
            tok.used = True


def check_lead_ins(r: State) -> None:
    """The lead-ins left (the rows' people), then the words that read only beside the
    statistic's column: "the blood units given", "measured weight"."""
    read_lead_ins(r)
    toks = r.toks
    for i, t in enumerate(toks):  # "the blood units given": the amount that was given
        if t.used or t.text not in lx.GIVEN or t.kind not in (Kind.LEAD_IN, Kind.ON) or not i:
            continue
        before, after = toks[i - 1], toks[i + 1] if i + 1 < len(toks) else None
        if (
            (
                after is None
                or after.kind
                in (Kind.FILLER, Kind.AMONG, Kind.GROUP, Kind.AND, Kind.BETWEEN, Kind.VERSUS)
            )
            and before.used
            and before.kind == Kind.COLUMN
            and all(r.col(n).info.numeric for n in before.get(Kind.COLUMN)[0])
            and not r.vocab.resembling(t.text)
        ):
            r.note([t], f"part of {before.text!r}: the amount given")
    for i, t in enumerate(toks):  # "the most visits anyone reported": no condition
        if (
            not t.used
            and t.text in lx.INDEFINITE_VERBS
            and i
            and toks[i - 1].text in lx.INDEFINITES
            and not r.vocab.resembling(t.text)
            and not any(
                w.startswith(tuple(lx.REPORTED)) for c in r.ds.columns for w in c.name.split("_")
            )
        ):
            r.note([t], f"said of {toks[i - 1].text!r}: the rows' own value")
    for i, t in enumerate(toks):  # "measured weight": the column that is not reported
        if t.used or t.text not in lx.MEASURED or i + 1 >= len(toks):
            continue
        nxt = toks[i + 1]
        if nxt.used and nxt.kind == Kind.COLUMN:
            names = nxt.get(Kind.COLUMN)[0]
            if all(not set(n.split("_")) & lx.REPORTED for n in names) and not any(
                w.startswith(tuple(lx.REPORTED)) for n in names for w in n.split("_")
            ):
                t.used = True


def leads_to_condition(r: State, t: Tok, before: Tok | None) -> bool:
    """``t`` is a value or yes/no column read as a condition, or a column one was read
    on: "showed no improvement", and "never wear a helmet" (the value before the verb,
    its column after it, which only the verb keeps apart)."""
    if t.used and t.kind in (Kind.VALUE, Kind.FLAG):
        return True
    if t.kind != Kind.COLUMN or not all(n in r.filtered for n in t.data[0]):
        return False
    if t.used:
        return True
    return (
        before is not None
        and before.used
        and before.kind == Kind.VALUE
        and {column for column, _value in before.data} == set(t.data[0])
    )


def qualified_column(r: State, k: int) -> tuple[Tok, str] | None:
    """The column a row noun at token k qualifies, and the phrase that says so: "birth
    weight", "weight of the babies"."""
    toks = r.toks
    if k + 1 < len(toks) and toks[k + 1].used and toks[k + 1].kind == Kind.COLUMN:
        return toks[k + 1], f"{toks[k].text} {toks[k + 1].text}"
    j = k - 1
    while j >= 0 and toks[j].text in ("the", "those", "these", "our", "all"):
        j -= 1
    if j >= 1 and toks[j].text == "of" and toks[j - 1].used and toks[j - 1].kind == Kind.COLUMN:
        return toks[j - 1], " ".join(t.text for t in toks[j - 1 : k + 1])
    return None


def check_qualifiers(r: State, rows: list[Tok]) -> None:
    """A row noun qualifying a column ("birth weight") reads as the rows' own column only
    when no other column could be what it names: beside a mother's ``weight``, a table of
    births may keep the birth weight as ``bwt`` or ``birth_weight``, and "birth weight" is
    then not ``weight`` (docs/analytics.md: a mention two columns could mean is refused).
    A rival is named for the head word with the start of the row noun before it (``b``
    + ``wt``, ``birth`` + ``weight``): "the mothers' weight" has no rival in ``bwt``."""
    for t in rows:
        found = qualified_column(r, r.toks.index(t))
        if found is None:
            continue
        col, said = found
        names = col.data[0]
        heads = {n.split("_")[-1] for n in names}
        heads |= {a for a, full in lx.ABBREVIATIONS.items() if heads & set(full)}
        rivals = [
            c.name
            for c in r.ds.columns
            if c.name not in names
            and c.info.numeric
            and c.type != "boolean"
            and names_for(c.name, t.text, heads)
        ]
        if rivals:
            raise Unanswerable(
                f"{said!r} could be about {', '.join([*names, *rivals])}: name the column"
            )


def check_agent_nouns(r: State, rows: list[Tok]) -> None:
    """A row noun made from a column's word ("users" beside ``use`` or ``drug_use``) is
    not every row: on such a table "the mean age of users" means the rows where that
    column says so, and reading the word as the rows averaged everyone. Refused, naming
    the column, since which of its values makes a user is not said."""
    for t in rows:
        said = lemma_of(t.text)
        if not said.endswith("er") or t.text in lx.ANAPHORA:
            continue
        stems = {said[:-1], said[:-2]}  # "user" of use, "player" of play
        named = [
            c.name
            for c in r.ds.columns
            if c.type != "identifier" and stems & set(c.name.lower().split("_"))
        ]
        if named:
            raise Unanswerable(
                f"{t.text!r} could mean the rows where {', '.join(named)} says so, or every"
                f" row: name the value (e.g. '{named[0]} = …')"
            )


def check_role_nouns(r: State, rows: list[Tok]) -> None:
    """People named by a role ("students", "athletes", "volunteers") are the rows only
    where the table says its rows are them; on a table of patients "how many students"
    is a condition no column is known to hold, and counting every row was a wrong
    answer. Refused where the table names its rows as something else."""
    noun = r.vocab.rows_noun
    for t in rows:
        if noun is None or t.text not in lx.ROLE_NOUNS or names_rows(noun, (t.text,)):
            continue
        k = r.toks.index(t)
        before = r.toks[k - 1] if k > 0 else None
        if (
            before is not None
            and before.used
            and (before.has(Kind.VALUE) or before.has(Kind.COLUMN))
        ):
            continue  # "netball players", "HMO members": a value or yes/no column says who
        raise Unanswerable(
            f"{t.text!r}: each row of {r.ds.name} is a {noun}, and no column is known to"
            f" say who is one of the {t.text}: name the column and value"
        )


def check_counted_people(r: State, rows: list[Tok]) -> None:
    """A table of counts (``ncases``, ``ncontrols``, ``n_patients``: a number of people
    on each row, one row per group) has no row per person: "how many patients" counted
    its groups. People said as the rows are refused there, naming the count columns."""
    counts = [c.name for c in r.ds.columns if c.info.numeric and _counts_people(c.name)]
    for t in rows:
        if counts and lemma_of(t.text) in lx.PERSON_NOUNS | {"case", "control"}:
            raise Unanswerable(
                f"{t.text!r}: each row of {r.ds.name} is a group, with its people counted in"
                f" {', '.join(counts)}: ask for the sum of one of them"
            )


def _counts_people(name: str) -> bool:
    low = name.lower()
    if low in ("n", "freq"):
        return True
    rest = low[2:] if low.startswith("n_") else low[1:] if low.startswith("n") else ""
    return lemma_of(rest) in lx.PERSON_NOUNS | {"case", "control"}


def names_for(name: str, noun: str, heads: set[str]) -> bool:
    """``name`` is a head word with the start of ``noun`` before it, in one part
    (``bwt``) or two (``birth_weight``, ``b_wt``)."""
    parts = name.split("_")
    for i, w in enumerate(parts):
        for h in heads:
            if w == h and i > 0 and noun.startswith(parts[i - 1]):
                return True
            if w != h and w.endswith(h) and noun.startswith(w[: -len(h)]):
                return True
    return False


def check_file_name(r: State) -> None:
    """The dataset's own name says nothing only where it is said as the file's: the
    whole name beside a word for a file ("in the bad health data", "the file
    admissions", "bad_health.csv"). Elsewhere its words may be a condition: on
    bad_health.csv, "patients in bad health" means a column's value, and reading the
    words as the file's name answered about every row. Left unused, they refuse."""
    whole = " ".join(split_words(r.ds.name.replace("_", " ")))
    for k, t in enumerate(r.toks):
        if t.used or t.kind != Kind.DATASET_NAME or t.text != whole:
            continue
        before = k - 1
        while before >= 0 and r.toks[before].text in lx.FILE_DETERMINERS:
            before -= 1
        after = r.toks[k + 1] if k + 1 < len(r.toks) else None
        if after is not None and after.text in lx.FILE_NOUNS:
            t.used = after.used = True
        elif before >= 0 and r.toks[before].text in lx.FILE_NOUNS:
            t.used = r.toks[before].used = True


def check_leftovers(r: State) -> None:
    check_lead_ins(r)
    check_participles(r)
    rows = [t for t in r.toks if not t.used and t.kind == Kind.ROW_NOUN]
    check_qualifiers(r, rows)
    check_gendered(r, rows)
    check_agent_nouns(r, rows)
    check_role_nouns(r, rows)
    check_counted_people(r, rows)
    for t in rows:
        t.used = True
    # the earlier answer's rows; the ages "elderly" was read as (check_ages says them)
    rows = [t for t in rows if t.text not in lx.ANAPHORA | lx.ELDERLY_NOUNS]
    if rows:
        r.caveats.append(f"{', '.join(repr(t.text) for t in rows)} read as the dataset's rows")
    left = [
        t
        for t in r.toks
        if not t.used
        and t.kind not in (Kind.FILLER, Kind.UNIT, Kind.AND, Kind.AMONG)
        and not (t.kind == Kind.BETWEEN and t.data is None)
    ]
    if left:
        unread = [t for t in left if t.kind == Kind.UNKNOWN]
        placed = [t for t in left if t.kind != Kind.UNKNOWN]
        said = []
        if unread:
            said.append("not understood: " + ", ".join(repr(t.text) for t in unread))
        if placed:  # words it knows, to which this question gave no place in the plan
            said.append(
                ("read, but with no place in the question: " if unread else "")
                + ", ".join(f"{t.text!r} ({read_as(t)})" for t in placed)
                + ("" if unread else " were read but fit no reading of the question")
            )
        raise Unanswerable(f"{'; '.join(said)}. {r.known()}", not_understood=[t.text for t in left])


READ_AS: dict[Kind, str] = {
    Kind.STATISTIC: "a statistic",
    Kind.SUPERLATIVE: "a superlative",
    Kind.COMPARATIVE: "a comparison",
    Kind.COMPARISON: "a comparison",
    Kind.SUFFIX_COMPARISON: "a comparison",
    Kind.NUMBER: "a number",
    Kind.DATE: "a date",
    Kind.MONTH: "a month",
    Kind.GROUP: "a grouping",
    Kind.ROW_NOUN: "the rows",
    Kind.PARTICIPLE: "an event",
    Kind.LEAD_IN: "a lead-in to a value",
    Kind.DATASET_NAME: "the dataset's name; say 'in the … data' if it names the file",
}


def read_as(t: Tok) -> str:
    """What a token was read as, for a refusal that names it: never "not understood" of
    a word the reader knows ("median" is a statistic, "survival" a label's word)."""
    if t.kind == Kind.COLUMN:
        return "the column " + " or ".join(t.data[0])
    if t.kind in (Kind.VALUE, Kind.FLAG) and t.data:
        return f"{'a value of' if t.kind == Kind.VALUE else 'a condition on'} {t.data[0][0]}"
    return READ_AS.get(t.kind, "a known word")


def refuse_counted_as_kept(plan: Plan | None) -> None:
    """A percentage whose rows are kept by the very condition it counts ("what
    percentage … died or relapsed", each word read on the same event) is 100 % by
    construction: a reading gone wrong, never the question. Refused naming it."""
    if plan is None or plan.statistic != "percentage":
        return
    same = [f for f in plan.condition if f in plan.filters]
    if same:
        raise Unanswerable(
            f"{same[0].describe()} is both the rows kept and what is counted among them:"
            " say which rows the percentage is of, and what it counts"
        )

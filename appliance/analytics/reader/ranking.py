"""Rankings, groupings and order: "top 5 patients by bmi", "by sex", "highest first"."""

from __future__ import annotations

from appliance.analytics import lexicon as lx
from appliance.analytics.errors import Unanswerable
from appliance.analytics.plan import GroupBy
from appliance.analytics.reader.kinds import Kind
from appliance.analytics.reader.linking import (
    columns_of,
    concept_column,
    date_column,
    one_column,
    rownoun_near,
)
from appliance.analytics.reader.state import State
from appliance.analytics.reader.tokens import Tok
from appliance.analytics.reader.words import lemma_of, split_words


# rankings: "top 5 patients by bmi", "the three lightest babies", "which patient has
# the highest bmi", "5 oldest patients"
def read_most_common(r: State) -> bool:
    """ "the most common diagnosis", "which ward is least frequent": the group with the
    most (fewest) rows, for a column of groups right after the words or asked about."""
    toks = r.toks
    for k, t in enumerate(toks):
        if t.used:
            continue
        two = k + 1 < len(toks) and f"{t.text} {toks[k + 1].text}" in lx.FREQUENCY_SUPERLATIVES
        if not two and t.text not in lx.FREQUENCY_SUPERLATIVES:
            continue
        if (
            any(
                s.text in lx.ASKS_ROWS + lx.ASKS_ROWS_FIRST
                and n + 1 < len(toks)
                and toks[n + 1].kind == Kind.ROW_NOUN
                for n, s in enumerate(toks)
            )
            or toks[0].text in lx.ASKS_ROWS_FIRST
        ):
            return False  # "which patients have the most common …" asks for rows
        said = toks[k : k + 2] if two else [t]
        direction = lx.FREQUENCY_SUPERLATIVES[" ".join(s.text for s in said)]
        after = k + len(said)
        asked = next((grouped_after(r, i) for i in range(k) if grouped_after(r, i)), None)
        j = after if after < len(toks) and toks[after].kind == Kind.COLUMN else asked
        if j is None or toks[j].kind != Kind.COLUMN:
            return False
        name = one_column(r, toks[j])
        if r.col(name).type not in ("category", "boolean", "integer", "text"):
            return False
        r.group_by.append(GroupBy(name))
        r.group_rank = (direction, 1)
        which = [s for s in toks[:j] if s.text in ("which", "what") and not s.used]
        word = "most" if direction == "desc" else "fewest"
        r.note([*which, *said, toks[j]], f"the {name} with the {word} rows")
        return True
    return False


def read_group_ranking(r: State) -> bool:
    """ "which ward has the most admissions", "which diagnosis has the highest mean los";
    also "which kind of test …", "what type of ward …", "which of the wards …", and "the
    ward with the highest mean age" said as the question itself."""
    toks = r.toks
    if read_most_common(r):
        return True
    for i, t in enumerate(toks[:-2]):
        if t.used:
            continue
        j = grouped_after(r, i)
        if j is None:
            continue
        c = toks[j]
        if not (
            c.kind == Kind.COLUMN or (c.kind in (Kind.VALUE, Kind.FLAG) and c.has(Kind.COLUMN))
        ):
            continue
        if c.kind != Kind.COLUMN:
            c.alts[c.kind] = c.data
            c.kind, c.data = Kind.COLUMN, c.alts.pop(Kind.COLUMN)
        name = one_column(r, c)
        if r.col(name).type not in ("category", "boolean", "integer", "text"):
            continue
        for k in range(j + 1, len(toks)):
            s = toks[k]
            if s.has(Kind.SUPERLATIVE) and s.get(Kind.SUPERLATIVE)[1] is None:
                n = 1
                direction = s.get(Kind.SUPERLATIVE)[0]
                r.group_by.append(GroupBy(name))
                r.group_rank = (direction, n)
                word = "highest" if direction == "desc" else "lowest"
                r.note([*toks[i:j], c, s], f"the {name} with the {word} value")
                return True
        return False
    return False


def grouped_after(r: State, i: int) -> int | None:
    """Where the column a ranking of groups asks about stands, for the asking words at
    i: "which ward", "which kind of ward", "what type of ward", "which of the wards";
    or, opening the question, "the ward with the highest …" (i at "ward")."""
    toks = r.toks
    t = toks[i]
    if t.text == "which":
        j = i + 1
        if j < len(toks) and toks[j].text in lx.KIND_OF:
            return j + 1
        if toks[j].text == "of":  # "which of the wards"
            j += 1
            while j < len(toks) and toks[j].kind == Kind.FILLER and toks[j].text in lx.SOFT:
                j += 1
        return j if j < len(toks) else None
    if t.text == "what" and i + 2 < len(toks) and toks[i + 1].text in lx.KIND_OF:
        return i + 2
    if (
        t.kind == Kind.COLUMN  # not a flag: "the smokers with the highest …" are rows
        and i + 1 < len(toks)
        and toks[i + 1].text in lx.HAVING_THE
        and all(s.kind == Kind.FILLER for s in toks[:i])
    ):
        return i  # "the ward with the highest mean age"
    return None


def read_ranking(r: State) -> None:
    if read_group_ranking(r):
        return
    toks = r.toks
    # "who" asks for rows only as the question's first word ("who has the highest
    # bmi"); after a row noun it is a relative ("patients who did not survive").
    asks_which = any(
        t.text in lx.ASKS_ROWS or (t.text in lx.ASKS_ROWS_FIRST and k == 0)
        for k, t in enumerate(toks)
    )
    for i, t in enumerate(toks):
        if t.used:
            continue
        if t.kind == Kind.STATISTIC and t.data in ("top", "bottom"):
            direction = "desc" if t.data == "top" else "asc"
            used = [t]
            n, j = count_after(r, i, used)
            col = None
            k = j
            while (
                k is not None
                and k < len(toks)
                and (
                    toks[k].kind in (Kind.ROW_NOUN, Kind.FILLER, Kind.VALUE, Kind.FLAG)
                    or toks[k].used
                )
            ):  # "bottom 2 female pts by age": the value is a condition, read later
                if toks[k].kind == Kind.ROW_NOUN:
                    used.append(toks[k])
                k += 1
            if (
                k is not None
                and k < len(toks)
                and toks[k].kind == Kind.GROUP
                and toks[k].text in ("by", "per")
            ):
                used.append(toks[k])
                k += 1
            if k is not None and k < len(toks) and r.is_col(toks[k]):
                col = one_column(r, toks[k], numeric=True)
                used.append(toks[k])
            elif (
                k is not None
                and k < len(toks)
                and toks[k].kind in (Kind.SUPERLATIVE, Kind.STATISTIC)
            ):
                sup = toks[k]
                used.append(sup)
                m = r.nxt(k)
                if sup.has(Kind.SUPERLATIVE):
                    # "top 3 lightest": the superlative says which end; "bottom 3
                    # heaviest" says both, and is refused
                    said = sup.get(Kind.SUPERLATIVE)[0]
                    if t.data == "bottom" and said == "desc":
                        raise Unanswerable(f"'bottom … {sup.text}': which end of the ranking?")
                    direction = said
                if m is not None and r.is_col(toks[m]):
                    col = one_column(r, toks[m], numeric=True)
                    used.append(toks[m])
                elif sup.has(Kind.SUPERLATIVE) and sup.get(Kind.SUPERLATIVE)[1] is not None:
                    # "top 3 heaviest female students": the column the word implies
                    concept = sup.get(Kind.SUPERLATIVE)[1]
                    col = concept_column(r, concept, sup.text, rownoun_near(r, k))
            if col is None:
                raise Unanswerable(
                    f'{t.text!r} needs a numeric column to rank by ("top 5 patients by bmi")'
                )
            set_rank(r, direction, 1 if n is None else n, col, used, defaulted=n is None)
            return
        if t.kind == Kind.SUPERLATIVE or (t.has(Kind.SUPERLATIVE) and t.kind == Kind.STATISTIC):
            direction, concept = t.get(Kind.SUPERLATIVE)
            before = number_before(r, i)
            n = None
            used = [t]
            if before is None:
                before = count_asked(r, i)
            if before is not None:
                n = toks[before].data
                used.append(toks[before])
            if n is None and not asks_which:
                continue  # "the highest bmi": a maximum, not a ranking
            col = None
            after = r.nxt(i)
            if after is not None and toks[after].text in lx.MEASURED:
                after = r.nxt(after)  # "the highest measured weight"
            counted = r.nxt(after) if after is not None else None
            if (
                after is not None
                and toks[after].kind == Kind.STATISTIC
                and toks[after].text in lx.NUMBER_OF
                and counted is not None
                and toks[counted].kind == Kind.COLUMN
                and columns_of(r, toks[counted], numeric=True)
            ):
                used.append(toks[after])  # "the highest number of units": of the column
                after = counted
            if (
                after is not None
                and r.is_col(toks[after])
                and (concept is None or toks[after].kind != Kind.FLAG)
            ):
                col = one_column(r, toks[after], numeric=True)
                used.append(toks[after])
            elif concept is not None or said_of_people(r, i, t):
                concept = concept or "height"  # "which 2 students are the shortest"
                col = concept_column(r, concept, t.text, rownoun_near(r, i))
                if before is not None:
                    used += rows_named_by(r, before, i, col)
            if col is None:
                continue
            if n is None:
                _one_row_or_a_mean(r, i, t)
            set_rank(r, direction, 1 if n is None else n, col, used, defaulted=False)
            return


def _one_row_or_a_mean(r: State, i: int, t: Tok) -> None:
    """ "which ward has the oldest patients": the ward of the one oldest patient, or the
    ward whose patients are oldest on average? A plural after the superlative, with a
    column of groups asked for, says either: refused naming both (the singular, "the
    oldest patient", is the one row)."""
    toks = r.toks
    groups = [
        toks[k + 1].text
        for k in range(i - 1)
        if toks[k].text in lx.ASKS_ROWS
        and toks[k + 1].kind == Kind.COLUMN
        and any(r.col(n).type == "category" for n in toks[k + 1].get(Kind.COLUMN)[0])
    ]
    after = next((k for k in range(i + 1, len(toks)) if toks[k].kind != Kind.FILLER), None)
    if not groups or after is None:
        return
    if toks[after].kind not in (Kind.ROW_NOUN, Kind.VALUE, Kind.FLAG, Kind.COLUMN):
        return
    word = toks[after].text.split()[-1]
    if lemma_of(word) == word and word not in lx.PLURALS_UNINFLECTED:
        return
    group = groups[0]
    said = f"{t.text} {toks[after].text}"
    raise Unanswerable(
        f"{said!r}: the {group} of the one row with the {t.text} value, or the {group} whose"
        f" rows are {t.text} on average? say it of one row in the singular, or ask for the"
        f" highest or lowest mean (e.g. 'which {group} has the highest mean …')"
    )


def _per_one_counted(r: State, t: Tok, target: Tok, column: str) -> None:
    """ "mean dose per visit" beside a count `visits`: one result per number of visits, or
    a rate per one visit? "per" before the singular of a count named in the plural (a
    column of whole numbers from 0) says either: refused naming both ("by visits", "by
    number of visits" group)."""
    col = r.col(column)
    said = target.text.split()[-1]
    last = column.split("_")[-1]
    if (
        t.text != "per"
        or col.type != "integer"
        or col.min is None
        or col.min < 0
        or lemma_of(last) == last
        or lemma_of(said) != said
        or said == last
    ):
        return
    raise Unanswerable(
        f"'per {target.text}': one result per number of {column}, or a rate per one"
        f" {said}? say 'by {column}' for the first (a rate is not read here)"
    )


def said_of_people(r: State, i: int, t: Tok) -> bool:
    """ "which 2 female students are the shortest": "shortest" with no column after it,
    said of people (a row noun that is a person) after "are" or "is", is their height. Of
    stays or visits it would be their length, and "the shortest patients" may be those
    with the shortest stay: read only of people, and only so said."""
    if t.text not in lx.SHORTEST:
        return False
    k = i - 1
    while k >= 0 and r.toks[k].text == "the":
        k -= 1
    if k < 0 or r.toks[k].text not in lx.COPULAS:
        return False
    noun = rownoun_near(r, i)
    return noun is not None and noun.text in lx.PERSON_NOUNS


def rows_named_by(r: State, before: int, i: int, col: str) -> list[Tok]:
    """ "which 3 stays were the longest": the rows are named by the very column the
    superlative implies (stays, length_of_stay_days), between the count and it, or by its
    verb after the rows ("which 5 patients stayed the longest"): the same column said
    twice, read once."""
    toks = r.toks
    for k in range(before + 1, i):
        if toks[k].used or toks[k].kind in (Kind.ROW_NOUN, Kind.FILLER, Kind.VALUE, Kind.FLAG):
            continue
        if toks[k].kind == Kind.COLUMN and columns_of(r, toks[k], numeric=True) == [col]:
            return [toks[k]]
        return []
    return []


def count_asked(r: State, i: int) -> int | None:
    """ "which 3 patients have the highest …", "show me the two women with the lowest
    …": a whole number right after the asking words, before the superlative at i."""
    toks = r.toks
    for k in range(i):
        t = toks[k]
        if t.text in lx.ASKS_COUNT or (
            t.text == "show" and k + 1 < len(toks) and toks[k + 1].text == "me"
        ):
            m = k + 1
            while m < i and toks[m].text in ("me", "the"):
                m += 1
            if (
                m < i
                and toks[m].kind == Kind.NUMBER
                and not toks[m].used
                and isinstance(toks[m].data, int)
                and toks[m].data > 0
            ):
                return m
    return None


def count_after(r: State, i: int, used: list[Tok]) -> tuple[int | None, int]:
    j = i + 1
    if j < len(r.toks) and r.toks[j].kind == Kind.NUMBER:
        n = r.toks[j].data
        if not isinstance(n, int) or n < 1:
            raise Unanswerable(f"{n!r} rows: a ranking lists from 1 to 1000 rows")
        used.append(r.toks[j])
        return n, j + 1
    return None, j


def set_rank(r: State, direction: str, n: int, col: str, used: list[Tok], defaulted: bool) -> None:
    if not 1 <= n <= 1000:
        raise Unanswerable("a ranking lists from 1 to 1000 rows")
    r.rank = (direction, n, col)
    word = "highest" if direction == "desc" else "lowest"
    r.note(used, f"the {n} row(s) with the {word} {col}")
    if defaulted:
        r.caveats.append("no number was given: the single top row is shown")


def read_order(r: State) -> None:
    """ "lightest first", "highest first", "in descending order"."""
    for k, t in enumerate(r.toks):
        if t.kind == Kind.ORDER and t.data == "first" and not t.used:
            p = r.prev(k)
            if p is not None and r.toks[p].has(Kind.SUPERLATIVE):
                r.order = r.toks[p].get(Kind.SUPERLATIVE)[0]
                r.note([r.toks[p], t], f"{'lowest' if r.order == 'asc' else 'highest'} first")
        elif t.kind == Kind.ORDER and t.data in ("asc", "desc") and not t.used:
            r.order = t.data
            r.note([t], f"{'ascending' if t.data == 'asc' else 'descending'} order")


def number_before(r: State, i: int) -> int | None:
    """ "the 3 patients with the longest …": a count a few words before a superlative."""
    j = i - 1
    while j >= 0 and i - j <= 5:
        t = r.toks[j]
        if t.kind == Kind.NUMBER and isinstance(t.data, int) and not t.used:
            return j
        if t.used or t.kind not in (Kind.ROW_NOUN, Kind.FILLER, Kind.VALUE, Kind.FLAG):
            return None  # a value between is a condition, read later ("3 female pts w/ …")
        j -= 1
    return None


def past_kind_of(r: State, j: int) -> int:
    """ "for each kind of test": the column after "kind of", "type of" (read with it)."""
    toks = r.toks
    if toks[j].kind == Kind.FILLER and toks[j].text in lx.KIND_OF:
        k = r.nxt(j)
        if k is not None and r.is_col(toks[k]):
            toks[j].used = True
            return k
    return j


def read_groups(r: State) -> None:
    toks = r.toks
    for i, t in enumerate(toks):
        if t.used or t.kind != Kind.GROUP:
            continue
        j = r.nxt(i)
        if j is None:
            continue
        j = past_kind_of(r, j)
        target = toks[j]
        counted = r.nxt(j)
        if (
            target.kind == Kind.STATISTIC
            and target.data == "count"
            and target.text in lx.NUMBER_OF
            and counted is not None
            and toks[counted].kind == Kind.COLUMN
        ):
            # "broken down by number of children": the groups are the column's values
            r.note([target], "the values of the column")
            j, target = counted, toks[counted]
        if target.kind == Kind.DATE_BIN or (target.has(Kind.DATE_BIN) and not r.is_col(target)):
            date_col = date_column(r, near=j)
            b = target.get(Kind.DATE_BIN)
            r.group_by.append(GroupBy(date_col, b))
            r.note([t, target], f"one result per {b} of {date_col}")
            continue
        said = whether_flag(r, j)
        if said:  # "by whether the patient died": the yes/no column died
            j, target = r.toks.index(said[-1]), said[-1]
        named = value_as_variable(r, j)
        if named is not None:  # "by smoking status": the column of the value said
            column, words = named
            r.group_by.append(GroupBy(column))
            r.note([t, *words], f"one result per {column}")
            continue
        if not r.is_col(target):
            if (
                target.has(Kind.VALUE)
                and not r.is_col(target)
                and not after_row_noun(r, j)
                and i
                and toks[i - 1].kind in (Kind.COLUMN, Kind.STATISTIC, Kind.ROW_NOUN)
                and target.text not in lx.FEMALE_NOUNS | lx.MALE_NOUNS | lx.PERSON_NOUNS
            ):
                # "mean weight by smoking": one result per habit, or the smokers' alone
                columns = sorted({c for c, _v in target.get(Kind.VALUE)})
                raise Unanswerable(
                    f"'{t.text} {target.text}' could mean one result per"
                    f" {' or '.join(columns)} or only the rows with {target.text!r}: say"
                    f" 'by {columns[0]}' or 'among …'"
                )
            if target.has(Kind.VALUE) or target.kind == Kind.ROW_NOUN:
                t.used = True  # "weight gained by married mothers": not a grouping
            continue
        first = one_column(r, target)
        _per_one_counted(r, t, target, first)
        r.group_by.append(GroupBy(first))
        used = [t, *said, target]
        k = r.nxt(j)
        if k is not None and toks[k].kind == Kind.AND:
            m = r.nxt(k)
            m = past_kind_of(r, m) if m is not None else None
            also = whether_flag(r, m) if m is not None else []
            if also:
                used += also[:-1]
                m = r.toks.index(also[-1])
            if m is not None and r.is_col(toks[m]):
                r.group_by.append(GroupBy(one_column(r, toks[m])))
                used += [toks[k], toks[m]]
        r.note(used, "one result per " + " and ".join(g.column for g in r.group_by))


def after_row_noun(r: State, j: int) -> bool:
    """ "by married mothers": the value qualifies the rows said after it."""
    k = r.nxt(j)
    return k is not None and r.toks[k].kind == Kind.ROW_NOUN


def value_as_variable(r: State, j: int) -> tuple[str, list[Tok]] | None:
    """ "by smoking status", "by smoking habit": a value of one column followed by that
    column's name, or by a word that names a variable ("status"), names the column, not
    the rows with the value ("weight gained by married mothers"). The column and the
    words read; None where the form is not so."""
    toks = r.toks
    if not toks[j].has(Kind.VALUE):
        return None
    columns = {c for c, _v in toks[j].get(Kind.VALUE)}
    if len(columns) != 1:
        return None
    (column,) = columns
    said = toks[j].text.split()
    if len(said) > 1 and (said[-1] in lx.VARIABLE_HEADS or said[-1] in split_words(column)):
        return column, [toks[j]]  # read as one value mention with its column's word
    if j + 1 >= len(toks) or toks[j + 1].used:
        return None
    head = toks[j + 1]
    own = head.has(Kind.COLUMN) and set(head.get(Kind.COLUMN)[0]) == {column}
    if not own and head.text not in lx.VARIABLE_HEADS:
        return None
    return column, [toks[j], head]


def whether_flag(r: State, j: int) -> list[Tok]:
    """ "by hmo and whether the patient died": "whether", the rows said again, and a
    yes/no column said as its event: a grouping by that column (both its answers). The
    words read, the column's last; none where the form is not so."""
    toks = r.toks
    if toks[j].text not in lx.WHETHER:
        return []
    said = [toks[j]]
    k = j + 1
    while k < len(toks) and (
        toks[k].kind == Kind.ROW_NOUN or (toks[k].kind == Kind.FILLER and toks[k].text in lx.SOFT)
    ):
        said.append(toks[k])
        k += 1
    if k < len(toks) and not toks[k].used and toks[k].kind == Kind.FLAG:
        return [*said, toks[k]]
    return []

"""A question split into typed tokens: the longest known phrase at each place."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from appliance.analytics import lexicon as lx
from appliance.analytics.reader.aligning import Words, columns_at
from appliance.analytics.reader.compounds import join_compounds
from appliance.analytics.reader.header_shapes import TIME_POINT_UNITS
from appliance.analytics.reader.kinds import PRIORITY, Kind
from appliance.analytics.reader.rows import names_rows
from appliance.analytics.reader.said_counts import said_counts
from appliance.analytics.reader.vocabulary import DataWord, Vocabulary

MAX_SPAN = 8
# Stands for a quoted text while a question is split into words (a private-use
# character: never in a question, which is cleaned of it first).
MARK = "\ue000"
# Stands for a value written with signs ("insulin+metformin"), found as written.
VALUE_MARK = "\ue001"
# Row nouns that say who the rows are (read as a value where the data has it).
SAYS_WHO = lx.FEMALE_NOUNS | lx.MALE_NOUNS | lx.BABY_NOUNS | lx.CHILD_NOUNS | lx.ADULT_NOUNS


@dataclass
class Tok:
    """A phrase of the question (words ``start`` to ``end``), what it is, and what else
    it could be (``alts``); ``used`` once a stage has read it into the plan."""

    start: int
    end: int
    text: str
    kind: Kind
    data: Any = None
    alts: dict[Kind, Any] = field(default_factory=dict)
    used: bool = False

    def has(self, kind: Kind) -> bool:
        return kind == self.kind or kind in self.alts

    def get(self, kind: Kind) -> Any:
        return self.data if kind == self.kind else self.alts[kind]


def tokenize(vocab: Vocabulary, question: str) -> list[Tok]:
    # A quoted text is set aside behind a marker no question can contain: the
    # marker character is removed from the question first, so a user's "qqq1" or
    # any other word is only ever a word.
    text = question
    for pattern, replacement in lx.TYPED_CASED:
        text = re.sub(pattern, replacement, text)
    text = text.lower().replace("\u2019", "'").replace(MARK, " ").replace(VALUE_MARK, " ")
    text, valued = mark_values(vocab, text)
    for pattern, replacement in lx.TYPED:
        text = re.sub(pattern, replacement, text)
    text = said_counts(vocab, text)  # "saw a doctor at least once": a count of visits
    quoted: list[str] = []

    def keep(found: re.Match[str]) -> str:
        quoted.append(found.group(2))
        return f" {MARK}{len(quoted) - 1}{MARK} "

    text = re.sub(r"(?:^|(?<=\s))([\"'])([^\"']+)\1", keep, text)
    text = re.sub(r"'s\b", "", text)
    # "CES-D" for a column cesd, "non-smokers": a hyphenated word is one word where the
    # dataset or the lexicon knows it so (else its parts are read, "drive-through").
    text = re.sub(
        r"\b([a-z][a-z0-9]*)-([a-z0-9]+)\b",
        lambda m: (
            m.group(1) + m.group(2) if (m.group(1) + m.group(2),) in vocab.table else m.group(0)
        ),
        text,
    )
    # A minus sign right before a digit (after a space or an operator) is the
    # number's own: "below -5" must never read as "below 5".
    raw = re.findall(
        r"\d{4}-\d{2}-\d{2}|(?:(?<![\w.])-)?\d+(?:\.\d+)?(?:st|nd|rd|th)?|\ue000\d+\ue000"
        r"|\ue001\d+\ue001|[a-z][a-z0-9]*|>=|<=|!=|<>|==|[<>=+%#]",
        text,
    )
    raw = join_compounds(vocab, raw)
    raw = time_beside_measure(raw)
    out = _split(vocab, raw, quoted, valued, lambda i: (i, []))
    unplaced = {
        k
        for t in out
        if t.kind == Kind.UNKNOWN
        and (t.data is None or names_rows(vocab.rows_noun, tuple(t.text.split())) is False)
        for k in range(t.start, t.end)
    }
    unplaced |= named_not_as_file(out)
    if unplaced:  # "prostate volume" for PVol: the abbreviation aligner, where needed
        said = Words(vocab, raw)
        out = _split(vocab, raw, quoted, valued, lambda i: columns_at(vocab, said, i, unplaced))
    out = with_kind_words(vocab, out)
    for t in out:
        if (
            t.kind in (Kind.FILLER, Kind.AMONG)
            or (t.kind == Kind.STATISTIC and t.data == "which")
            or (t.kind == Kind.STATISTIC and t.text in lx.KIND_COUNTS)
        ):
            unless_data(vocab, t)
        elif t.kind == Kind.STATISTIC and t.text in lx.CLIPPED:
            clash = [d for d in vocab.data_words if d.word.startswith(t.text)]
            if clash:
                t.kind, t.data = Kind.UNKNOWN, f"{t.text!r} (like {clash[0].word!r})"
    return out


def time_beside_measure(raw: list[str]) -> list[str]:
    """ "the lowest BDI anyone had at 4 months": a time point ending the question after
    "anyone had" (or "any patient had", "that anyone reported", …) is the measure's, said
    before the clause; read as "the lowest BDI at 4 months anyone had", where the name
    and its time point meet. Never "at least", "at most" (a comparison)."""
    for v in range(2, len(raw) - 2):
        if (
            raw[v] not in lx.INDEFINITE_VERBS
            or raw[v + 1] != "at"
            or raw[v + 2] in ("least", "most")
            or len(raw) - (v + 1) > 6
        ):
            continue
        if raw[v - 1] in lx.INDEFINITES:
            j = v - 1
        elif v >= 3 and raw[v - 2] == "any":
            j = v - 2  # "any patient had"
        else:
            continue
        if raw[j - 1] in ("that", "who"):
            j -= 1  # "the lowest BDI that anyone had at 4 months"
        return raw[:j] + raw[v + 1 :] + raw[j : v + 1]
    return raw


def named_not_as_file(out: list[Tok]) -> set[int]:
    """The dataset's name said away from any word for a file ("patients in bad health"
    on bad_health.csv): its words may name a column ("badh"), so the aligner is asked."""
    found: set[int] = set()
    for k, t in enumerate(out):
        if t.kind != Kind.DATASET_NAME:
            continue
        before = k - 1
        while before >= 0 and out[before].text in lx.FILE_DETERMINERS:
            before -= 1
        near = [out[before].text] if before >= 0 else []
        near += [out[k + 1].text] if k + 1 < len(out) else []
        if not lx.FILE_NOUNS & set(near):
            found |= set(range(t.start, t.end))
    return found


def _split(
    vocab: Vocabulary,
    raw: list[str],
    quoted: list[str],
    valued: list[tuple[str, Any]],
    aligned: Callable[[int], tuple[int, list[str]]],
) -> list[Tok]:
    """The question's words as tokens: the longest known phrase at each place, or a
    longer run the abbreviation aligner read as columns (``aligned``: start → end and
    the columns it names)."""
    out: list[Tok] = []
    i = 0
    while i < len(raw):
        word = raw[i]
        if word.startswith(MARK):
            said = quoted[int(word.strip(MARK))]
            out.append(Tok(i, i + 1, said, Kind.QUOTED, said))
            i += 1
            continue
        if word.startswith(VALUE_MARK):  # "insulin+metformin", as written
            said, pairs = valued[int(word.strip(VALUE_MARK))]
            out.append(Tok(i, i + 1, said, Kind.VALUE, list(pairs)))
            i += 1
            continue
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", word):
            out.append(Tok(i, i + 1, word, Kind.DATE, word))
            i += 1
            continue
        ordinal = re.fullmatch(r"(-?\d+)(st|nd|rd|th)", word)
        # "2 month bdi" for bdi_2m: a time point said before its measure
        timed = word.isdigit() and raw[i + 1 : i + 2] and raw[i + 1] in TIME_POINT_UNITS
        named = (
            next(
                (
                    n
                    for n in range(min(MAX_SPAN, len(raw) - i), 2 if timed else 1, -1)
                    if Kind.COLUMN in vocab.table.get(tuple(raw[i : i + n]), {})
                ),
                None,
            )
            if ordinal or timed
            else None
        )
        if named:  # "1st attempt time": a column's name, attempt1_time
            phrase = tuple(raw[i : i + named])
            found = vocab.table[phrase]
            alts: dict[Kind, Any] = {k: v for k, v in found.items() if k != Kind.COLUMN}
            out.append(Tok(i, i + named, " ".join(phrase), Kind.COLUMN, found[Kind.COLUMN], alts))
            i += named
            continue
        if ordinal:
            out.append(Tok(i, i + 1, word, Kind.ORDINAL, int(ordinal.group(1))))
            i += 1
            continue
        if re.fullmatch(r"-?\d+(?:\.\d+)?", word):
            value = float(word) if "." in word else int(word)
            out.append(Tok(i, i + 1, word, Kind.NUMBER, value))
            i += 1
            continue
        end, names = aligned(i)
        if names and not any(
            vocab.table.get(tuple(raw[i:k]), {}).keys() - {Kind.DATASET_NAME}
            for k in range(end, min(i + MAX_SPAN, len(raw)) + 1)
        ):  # a longer run than any known phrase here names columns by their shorthand
            out.append(aligned_token(vocab, i, end, " ".join(raw[i:end]), names))
            i = end
            continue
        for length in range(min(MAX_SPAN, len(raw) - i), 0, -1):
            phrase = tuple(raw[i : i + length])
            meanings = vocab.table.get(phrase)
            if meanings:
                kind = min(meanings, key=PRIORITY.index)
                if (
                    kind == Kind.VALUE
                    and Kind.ROW_NOUN in meanings
                    and phrase[0] not in SAYS_WHO
                    and vocab.row_word is not None
                ):
                    # "tests of patients" in a table of tests with a patient_group
                    # column: the rows, or its value "patient"? Not guessed.
                    where = meanings[Kind.VALUE][0][0]
                    out.append(
                        Tok(
                            i,
                            i + length,
                            " ".join(phrase),
                            Kind.UNKNOWN,
                            f"{' '.join(phrase)!r} (the rows, or a value of {where}?)",
                        )
                    )
                    i += length
                    break
                rows = names_rows(vocab.rows_noun, phrase) if Kind.ROW_NOUN in meanings else None
                counting = (
                    kind == Kind.COLUMN
                    and Kind.ROW_NOUN in meanings
                    and not meanings[Kind.COLUMN][1]
                    and any(
                        c.name in meanings[Kind.COLUMN][0]
                        and c.info.numeric
                        and c.type != "identifier"
                        for c in vocab.dataset.columns
                    )
                )
                # beside visit_type as well, a visit may be one a row: neither is guessed
                counted_by: list[str] = meanings[Kind.COLUMN][0] if counting else []
                one_each = any(
                    not c.info.numeric for c in vocab.dataset.columns if c.name in counted_by
                )
                if counting and rows is False and not one_each:  # patients' "visits": numvisit
                    meanings = {k: v for k, v in meanings.items() if k != Kind.ROW_NOUN}
                elif counting and phrase not in vocab.id_nouns:
                    # "total stays" beside hospital_stays (a count per patient): the
                    # rows, or that count added up? Not guessed.
                    counts = ", ".join(meanings[Kind.COLUMN][0])
                    said = " ".join(phrase)
                    out.append(
                        Tok(i, i + length, said, Kind.UNKNOWN, f"{said!r} (the rows, or {counts}?)")
                    )
                    i += length
                    break
                elif kind == Kind.ROW_NOUN and rows is False and not vocab.resembling(phrase[-1]):
                    # "how many visits" on a table of patients with no visit in it (beside
                    # admission_type, "admissions" are still the rows: one a patient)
                    said = " ".join(phrase)
                    out.append(Tok(i, i + length, said, Kind.UNKNOWN, _not_rows(vocab, said)))
                    i += length
                    break
                if (
                    kind == Kind.COLUMN
                    and Kind.ROW_NOUN in meanings
                    and not meanings[Kind.COLUMN][1]
                ):
                    kind = Kind.ROW_NOUN  # "patients" is the rows, not part of patient_id
                elif (
                    kind == Kind.COLUMN
                    and phrase == (vocab.row_word,)
                    and not any(
                        c.name in meanings[Kind.COLUMN][0] and c.info.numeric
                        for c in vocab.dataset.columns
                    )
                ):
                    kind = Kind.ROW_NOUN  # "tests" in covid_tests, beside a Test column
                elif kind == Kind.COLUMN and Kind.NUMBER in meanings and not meanings[kind][1]:
                    # "which three participants": a number word alone is the number, as
                    # "3" is, never a part of a name (number3m) that its time point says
                    kind = Kind.NUMBER
                alts = {k: v for k, v in meanings.items() if k != kind}
                out.append(Tok(i, i + length, " ".join(phrase), kind, meanings[kind], alts))
                i += length
                break
        else:
            if word in lx.ORDINALS:
                out.append(Tok(i, i + 1, word, Kind.ORDINAL, lx.ORDINALS[word]))
            else:
                out.append(Tok(i, i + 1, word, Kind.UNKNOWN, None))
            i += 1
    return out


def _not_rows(vocab: Vocabulary, said: str) -> str:
    """Why a row noun that cannot be the rows, and counts nothing here, is refused."""
    return f"{said!r} (each row here is a {vocab.rows_noun}: which column counts {said}?)"


def aligned_token(vocab: Vocabulary, start: int, end: int, text: str, names: list[str]) -> Tok:
    """The token for words the aligner read as columns: a yes/no column is a flag, as
    its name would be ("OR of linkage for treated pts": the outcome is link = yes)."""
    column = (names, True)
    col = vocab.dataset.column(names[0])
    if len(names) == 1 and col is not None and col.type == "boolean":
        return Tok(start, end, text, Kind.FLAG, [vocab.flag_data(col)], {Kind.COLUMN: column})
    return Tok(start, end, text, Kind.COLUMN, column)


def mark_values(vocab: Vocabulary, text: str) -> tuple[str, list[tuple[str, Any]]]:
    """``text`` with each value written with signs replaced by a marker, and the values
    marked; a value that opens with a sign, not right after a word naming a number
    column ("age <=30" is a comparison with age, beside an age_band value "<=30"; "mean
    fibrinogen ESR > 20" is the value "ESR > 20", whose own words say whose it is)."""
    marked: list[tuple[str, Any]] = []
    for said, pairs in vocab.punctuated:

        def mark(found: re.Match[str], said: str = said, pairs: Any = pairs) -> str:
            before = re.findall(r"[a-z0-9]+", found.string[: found.start()])
            if before and said[0] in "<>=≤≥" and vocab.numeric_word(before[-1]):
                return found.group(0)
            marked.append((said, pairs))
            return f" {VALUE_MARK}{len(marked) - 1}{VALUE_MARK} "

        text = re.sub(rf"(?<![a-z0-9]){re.escape(said)}(?![a-z0-9])", mark, text)
    return text, marked


def unless_data(vocab: Vocabulary, tok: Tok) -> None:
    """A filler word that shares its stem with this dataset's columns or values is no
    filler here: "group" beside an age_group column, "status" beside statin. A comparison
    word inside a column's name is not what it is about: "over all admissions" beside
    age_over_75 stays filler (not beside a column whose name begins with it, "over" or
    "over_weight", nor a value "over"). A filler phrase ("in the study") stays filler
    beside an identifier or a column of one value (study_id): no condition on such a
    column keeps other rows than the phrase does."""
    for w in tok.text.split():
        like = [
            d
            for d in vocab.resembling(w)
            if (
                w not in lx.COMPARISONS
                or d.word != w
                or d.role.startswith("value")
                or d.column.split("_")[0] == w
            )
            and not (" " in tok.text and _names_no_rows(vocab, d))
        ]
        if like:
            d = like[0]
            value = d.role.startswith("value")
            where = f"a value of {d.column}" if value else f"the column {d.column}"
            tok.kind, tok.data = Kind.UNKNOWN, f"{tok.text!r} (like {d.word!r}, {where})"
            return


def _names_no_rows(vocab: Vocabulary, d: DataWord) -> bool:
    """The name of an identifier, or of a column holding one value in every row."""
    col = vocab.dataset.column(d.column)
    if col is None or d.role.startswith("value"):
        return False
    return col.type == "identifier" or (col.distinct == 1 and not col.nulls)


def with_kind_words(vocab: Vocabulary, toks: list[Tok]) -> list[Tok]:
    """ "ASA class" for a column asa, "test type" for test, "CES-D score" for cesd: a word
    after a column's name that says what kind of thing it holds is part of the mention.
    Not where another column or value shares the word's stem (there it may be one)."""
    out: list[Tok] = []
    for t in toks:
        last = out[-1] if out else None
        if (
            last is not None
            and t.end == t.start + 1
            and last.text.split()[-1] not in lx.WEAK_HEADS
            and (
                (last.kind == Kind.COLUMN and all(_takes(vocab, n, t.text) for n in last.data[0]))
                or (  # "private insurance": a yes/no column said as a flag, with its cover
                    last.kind == Kind.FLAG
                    and t.text in lx.COVER_WORDS
                    and len(last.data) == 1
                    and _takes(vocab, last.data[0][0], t.text)
                )
            )
        ):
            last.end, last.text = t.end, f"{last.text} {t.text}"
            continue
        out.append(t)
    return out


def _takes(vocab: Vocabulary, name: str, word: str) -> bool:
    col = vocab.dataset.column(name)
    if col is None or word not in lx.KIND_WORDS + lx.MEASURE_WORDS + lx.COVER_WORDS:
        return False
    if word in lx.COVER_WORDS and col.type != "boolean":
        return False
    if word in lx.KIND_WORDS and col.type not in ("category", "boolean", "integer"):
        return False
    if word in lx.MEASURE_WORDS and not (col.info.numeric and col.type != "boolean"):
        return False
    return not {d.column for d in vocab.resembling(word)} - {name}

"""The abbreviation aligner: which column a run of a question's words names where the
header abbreviates them ("prostate volume" for ``PVol``, "days to linkage" for
``dayslink``, "time from receipt to verification" for ``Receive to verify (h)``).

A run of words explains a column when one of the column's names as said (its header's
words, label, synonyms and shorthand: :attr:`Vocabulary.forms`) is covered, in order,
by the words: each word covers the next piece of the name, as the whole piece (or a
form of it, or a word derived from it: "intubate" for "intubation"), as shorthand for
it ("weight" for ``wt``), as a word the piece is the start of ("volume" for ``vol``),
or by its initial for a piece of one letter ("mental component score" for ``mcs``). A
header word the dictionary does not know (``pvol``, ``dayslink``, ``agvhd``) is split
where the words fit it; one it knows (``link``, ``time``) is read whole. Connecting
words ("of", "to", "from", ...) may stand between, and the name's last word may come
first ("time to intubate" for ``intubation_time``, "PSA before surgery" for
``preop_psa``).

It is asked only about runs holding a word the reader could not otherwise place (so a
question it reads today reads the same), and only words it could not place, or words
that say what kind of thing a name is ("score"), may be cut to a start or an initial:
a statistic or a condition ("mean", "total", "female") is only ever a whole piece.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from appliance.analytics import lexicon as lx
from appliance.analytics.reader.kinds import Kind
from appliance.analytics.reader.rows import names_rows
from appliance.analytics.reader.vocabulary import Vocabulary
from appliance.analytics.reader.words import is_english, lemma_of, same_stem

# Stands in a name for connecting words the question must say there ("time TO
# intubate"); never a word of a question.
CONNECT = "\ue002"
# The longest run of words read as one name.
MAX_RUN = 8


@dataclass(frozen=True)
class Fit:
    """How a run covered a name: pieces in all, pieces covered by an initial, and
    pieces covered weakly (an initial, or a start of only three letters)."""

    pieces: int = 0
    initials: int = 0
    weak: int = 0
    connected: bool = False  # connecting words were read between pieces
    unsaid: int = 0  # pieces the words left unsaid ("income" for hhninc)

    def plus(self, initial: bool, weak: bool) -> Fit:
        return Fit(
            self.pieces + 1,
            self.initials + int(initial),
            self.weak + int(weak),
            self.connected,
            self.unsaid,
        )

    def connect(self) -> Fit:
        return Fit(self.pieces, self.initials, self.weak, True, self.unsaid)

    def skip(self) -> Fit:
        return Fit(self.pieces, self.initials, self.weak, self.connected, self.unsaid + 1)

    def convincing(self) -> bool:
        """One strong piece; or two pieces, not both initials; or three initials (an
        initialism such as mcs). Never one initial or one short start alone, and no
        initial across connecting words ("volume of smokers" is no svol)."""
        if self.initials and self.connected:
            return False
        if self.unsaid and (self.initials or self.weak):
            return False  # a piece unsaid beside a guessed one: too little said
        if self.weak < self.pieces:
            return True
        if self.initials == self.pieces:
            return self.pieces >= 3
        return self.pieces >= 2


def said_forms(vocab: Vocabulary) -> dict[str, frozenset[tuple[str, ...]]]:
    """Each column's names, and each with its last word moved first after connecting
    words ("intubation time": "time to intubation"; "total intubation time": "total
    time to intubation"), made once per vocabulary."""
    cached: dict[str, frozenset[tuple[str, ...]]] | None = getattr(vocab, "_said", None)
    if cached is not None:
        return cached
    out: dict[str, frozenset[tuple[str, ...]]] = {}
    # Names with another word where one has a mean (S.Max.pH beside S.Mean.pH): there
    # "stomach pH" could be either, and the mean is never left unsaid.
    others = {
        (form[:k], form[k + 1 :])
        for forms in vocab.forms.values()
        for form in forms
        for k in range(1, len(form) - 1)
        if form[k] not in lx.MEAN_PIECES
    }
    for name, forms in vocab.forms.items():
        found: set[tuple[str, ...]] = set()
        every = {*forms, *(f for said in forms for f in _ending_words(said))}
        every |= {f for said in every for f in _reordered(said)}
        every |= {f for f in [rows_own(name, vocab.rows_noun)] if f}  # a mother's age: "age"
        for form in {*every, *(f for said in every for f in _unsaid_words(said, others))}:
            if not form or all(w in lx.NAME_STOP_WORDS for w in form):
                continue
            found.add(form)
            head = form[-1]
            if len(form) < 2 or head in lx.NAME_STOP_WORDS or head in lx.WEAK_HEADS:
                continue
            for k in range(len(form) - 1):
                if form[k] in lx.NAME_STOP_WORDS:
                    continue
                found.add((*form[:k], head, CONNECT, *form[k:-1]))
        out[name] = frozenset(found)
    vocab._said = out  # type: ignore[attr-defined]
    return out


def _unsaid_words(
    form: tuple[str, ...], others: set[tuple[tuple[str, ...], tuple[str, ...]]]
) -> list[tuple[str, ...]]:
    """The form as a question may say it otherwise: without a subject's mean between
    its words ("stomach pH" for S.Mean.pH, unless ``others`` holds the name with another
    word there), with its percent last ("body fat percentage" for pcBfat), with its head
    qualified ("whole gut transit time" for WG.Time)."""
    out = []
    inner = [k for k in range(1, len(form) - 1) if form[k] in lx.MEAN_PIECES]
    if inner and not any((form[:k], form[k + 1 :]) in others for k in inner):
        out.append(tuple(w for k, w in enumerate(form) if k not in inner))
    if len(form) > 1 and form[0] in lx.PERCENT_PIECES:
        out.append((*form[1:], form[0]))
    if len(form) > 1:
        out += [(*form[:-1], q, form[-1]) for q in lx.HEAD_QUALIFIERS.get(form[-1], ())]
    return out


def _ending_words(form: tuple[str, ...]) -> list[tuple[str, ...]]:
    """The form with a shorthand word ending in an English word split before it
    (diagtime: "diag time", so that its last word may come first: "time since
    diagnosis")."""
    out = []
    for i, seg in enumerate(form):
        if not _splittable(seg):
            continue
        for k in range(1, len(seg) - 2):
            if is_english(seg[k:]) and len(seg[k:]) >= 3:
                out.append((*form[:i], seg[:k], seg[k:], *form[i + 1 :]))
                break
    return out


def _reordered(form: tuple[str, ...]) -> list[tuple[str, ...]]:
    """A name of two pieces, run together or apart, in both orders: "mother's age" and
    "maternal age" for agemth (age, mth), "fasting glucose" for glufast, "birth year"
    for ybirth, "mother age" for age_mother. A run-together word is cut only where both
    sides are known (a word of English or shorthand: glu|fast, never g|lufast)."""
    if len(form) == 1:
        pairs = known_splits(form[0])
    elif len(form) == 2 and all(_plain_piece(w) for w in form):
        pairs = [form]
    else:
        return []
    return [f for a, b in pairs if not _saying(a) | _saying(b) for f in ((a, b), (b, a))]


def _saying(word: str) -> bool:
    """A word that says a comparison, a negation or a time ("over" of overwt, "pre" of
    prehb): "weight over" is no overwt, and "hb pre" no prehb turned round."""
    return (
        word in lx.COMPARISONS
        or word in lx.COMPARATIVES
        or word in lx.NEGATIONS
        or word in lx.TRAILING_MODIFIERS
        or word in {"pre", "post", "high", "low", "hi", "lo"}
    )


@lru_cache(maxsize=4096)
def known_splits(seg: str) -> list[tuple[str, str]]:
    """The ways a header word English does not know is two known pieces (agemth: age
    and mth; ybirth: y and birth)."""
    if not _splittable(seg):
        return []
    return [
        (seg[:k], seg[k:])
        for k in range(1, len(seg))
        if _known_piece(seg[:k]) and _known_piece(seg[k:])
    ]


def rows_own(name: str, rows_noun: str | None) -> tuple[str, ...]:
    """A header naming the rows' own measure, without the piece that names the rows
    (agemth or age_mother where each row is a mother: "age"), so that "mothers younger
    than 20" is a condition on it; () for any other header."""
    words = tuple(name.lower().split("_"))
    pairs = known_splits(words[0]) if len(words) == 1 else [words] if len(words) == 2 else []
    for a, b in pairs if rows_noun else []:
        for own, other in ((a, b), (b, a)):
            if other == rows_noun or _shorthand(str(rows_noun), other):
                return (own,)
    return ()


def _known_piece(piece: str) -> bool:
    return (len(piece) >= 3 and is_english(piece)) or _shorthand_piece(piece)


def _shorthand_piece(piece: str) -> bool:
    return any(
        piece in said
        for said in (lx.ABBREVIATIONS, lx.HEADER_ONLY_ABBREVIATIONS, lx.PIECE_ABBREVIATIONS)
    )


def _plain_piece(word: str) -> bool:
    return word.isalpha() and word not in lx.NAME_STOP_WORDS | lx.UNITS


class Words:
    """The question's words and what the aligner may do with each: only a word that
    could be part of a name (:func:`_name_word`) may be cut to its start or initial."""

    def __init__(self, vocab: Vocabulary, words: list[str]) -> None:
        self.words = words
        self.unplaced = [w.isalpha() and _name_word(vocab, w) for w in words]

    def connector(self, w: int) -> bool:
        return self.words[w] in lx.NAME_CONNECTORS

    def may_cut(self, w: int) -> bool:
        """A word that may cover a piece by its start: one the reader could not place."""
        return self.unplaced[w] and len(self.words[w]) >= 4

    def may_initial(self, w: int) -> bool:
        """A word that may cover a piece by its initial: one the reader could not place,
        or a word saying what kind of thing a name is ("score", "level")."""
        word = self.words[w]
        if len(word) < 3 or not word.isalpha() or word in lx.NAME_CONNECTORS:
            return False
        return self.unplaced[w] or lemma_of(word) in lx.WEAK_HEADS | lx.SPECIMEN_WORDS | set(
            lx.MEASURE_WORDS
        )


def _name_word(vocab: Vocabulary, word: str) -> bool:
    """A word the reader could not place, or knows only as part of a column's name
    ("component" of "mental component summary"): never a statistic, a condition, a
    value or a column's whole name."""
    meanings = {
        kind: said
        for kind, said in vocab.table.get((word,), {}).items()
        if kind != Kind.DATASET_NAME  # "bad health" away from a word for a file: badh
        # "visits" on a table of patients is no row: "doctor visits" for docvis
        and not (kind == Kind.ROW_NOUN and names_rows(vocab.rows_noun, (word,)) is False)
    }
    if not meanings:
        return True
    column = meanings.get(Kind.COLUMN)
    return set(meanings) == {Kind.COLUMN} and column is not None and not column[1]


def columns_at(vocab: Vocabulary, said: Words, i: int, unplaced: set[int]) -> tuple[int, list[str]]:
    """The longest run of words from ``i`` that names columns, holding a word of
    ``unplaced``, and the columns it names (several: the caller refuses, naming them);
    (i, []) where none does."""
    if said.connector(i):
        return i, []
    limit = min(len(said.words), i + MAX_RUN)
    if not any(i <= u < limit for u in unplaced):
        return i, []
    by_end: dict[int, set[str]] = {}
    unsaid: set[int] = set()  # ends some name reached only with a piece unsaid
    word = said.words[i]
    every = said_forms(vocab)
    for name, forms in every.items():
        ends: set[tuple[int, bool]] = set()
        for form in forms:
            if _may_open(form[0], word):
                ends |= _ends(said, form, i, limit)
        whole = {end for end, skipped in ends if not skipped}
        for end, skipped in ends:
            if skipped and not _measure(vocab, name):
                continue  # "hiv" is no hivtest, a yes/no of being tested
            if any(i <= u < end for u in unplaced) and (not skipped or end not in whole):
                by_end.setdefault(end, set()).add(name)
                if skipped:
                    unsaid.add(end)
    if not by_end:
        return i, []
    end = max(by_end)
    names = by_end[end]
    if _holds_condition(vocab, said.words[i:end], names):
        return i, []
    if end in unsaid:  # "glucose" beside glufast and glutest: every name it could be
        names |= {
            name
            for name, forms in every.items()
            if any(
                e == end
                for form in forms
                if _touches(form, word)
                for e, _ in _ends(said, form, i, end, loose=True)
            )
        }
    return end, sorted(names)


def _touches(form: tuple[str, ...], word: str) -> bool:
    """Whether a name holds a piece ``word`` could be (its start, or shorthand for it):
    the names worth asking whether the word could be about them."""
    return any(clue in seg for seg in form for clue in _clues(word))


@lru_cache(maxsize=4096)
def _clues(word: str) -> tuple[str, ...]:
    said = [word, lx.RELATIONAL_ADJECTIVES.get(word, word)]
    out = {w[:3] for w in said}
    for table in (lx.ABBREVIATIONS, lx.HEADER_ONLY_ABBREVIATIONS, lx.PIECE_ABBREVIATIONS):
        for abbr, full in table.items():
            if any(" " not in e and same_stem(w, e) for e in full for w in said):
                out.add(abbr)
    return tuple(out)


def _measure(vocab: Vocabulary, name: str) -> bool:
    """A column of numbers that are measures (no yes/no): the only kind a name with a
    piece left unsaid may be."""
    col = vocab.dataset.column(name)
    return col is not None and col.info.numeric and col.type != "boolean"


def _holds_condition(vocab: Vocabulary, words: list[str], names: set[str]) -> bool:
    """Whether a word of the run is a value or yes/no column of another column than those
    it names ("fasting glucose" beside a yes/no ``fasting``): it could be a condition, and
    is never swallowed into a name."""
    for word in words:
        meanings = vocab.table.get((word,), {})
        for kind in (Kind.VALUE, Kind.FLAG):
            if any(said[0] not in names for said in meanings.get(kind) or ()):
                return True
    return False


@lru_cache(maxsize=16384)
def _may_open(first: str, word: str) -> bool:
    """Whether a name whose first word is ``first`` could begin at ``word``: the same
    first letter, or shorthand either way, or a small word the name may leave unsaid."""
    return (
        first[:1] == word[:1]
        or first in lx.NAME_STOP_WORDS
        or first in lx.ABBREVIATIONS
        or first in lx.HEADER_ONLY_ABBREVIATIONS
        or first in lx.PIECE_ABBREVIATIONS
        or word in lx.ABBREVIATIONS
        or word in lx.RELATIONAL_ADJECTIVES  # "maternal age" for momage
        or any(first.startswith(p) for p in lx.UNSAID_FIRST_PIECES)  # "income": hhninc
    )


def _ends(
    said: Words, form: tuple[str, ...], start: int, limit: int, loose: bool = False
) -> set[tuple[int, bool]]:
    """Where a run from ``start`` that covers ``form`` convincingly can end, each with
    whether a piece was left unsaid. ``loose``: any piece may be left unsaid, so long as
    a word covers one (whether the words could be about this name at all)."""
    memo: dict[tuple[int, int, int, Fit], frozenset[tuple[int, bool]]] = {}

    def walk(s: int, c: int, w: int, fit: Fit) -> frozenset[tuple[int, bool]]:
        key = (s, c, w, fit)
        if key in memo:
            return memo[key]
        found: set[tuple[int, bool]] = set()
        if s == len(form):
            if fit.convincing() if not loose else fit.weak < fit.pieces:
                found.add((w, fit.unsaid > 0))
            memo[key] = frozenset(found)
            return memo[key]
        seg = form[s]
        if seg == CONNECT:
            if w < limit and said.connector(w):
                found |= walk(s, 1, w + 1, fit.connect())
            if c == 1 or (s + 1 < len(form) and form[s + 1] in lx.TRAILING_MODIFIERS):
                found |= walk(s + 1, 0, w, fit)
            memo[key] = frozenset(found)
            return memo[key]
        if c == 0 and seg in lx.NAME_STOP_WORDS:
            found |= walk(s + 1, 0, w, fit)  # "collect to receive": "to" may go unsaid
        for skipped in _unsaid(form, s, c, loose):
            if c + skipped == len(seg):
                found |= walk(s + 1, 0, w, fit.skip())
            else:
                found |= walk(s, c + skipped, w, fit.skip())
        if w < limit and w > start and said.connector(w):
            found |= walk(s, c, w + 1, fit.connect())  # "days to linkage"
        if w < limit:
            for taken, length, initial, weak in _pieces(said, seg, c, w, limit):
                if c + length == len(seg):
                    found |= walk(s + 1, 0, w + taken, fit.plus(initial, weak))
                else:
                    found |= walk(s, c + length, w + taken, fit.plus(initial, weak))
        memo[key] = frozenset(found)
        return memo[key]

    return set(walk(0, 0, start, Fit()))


def _unsaid(form: tuple[str, ...], s: int, c: int, loose: bool) -> list[int]:
    """How many letters of piece ``s`` from letter ``c`` a question may leave unsaid: a
    last piece that only says what kind of thing the name is (instest: "insulin"), a
    first that says whose or which total (hhninc: "income"), a one-letter piece inside
    a word before a known piece (hhninc: "household income"); never a first letter
    (nsmoke may be a non-smoker). ``loose``: any piece, whole or the rest of a word."""
    seg = form[s]
    rest = seg[c:]
    lastly = s == len(form) - 1 and (s > 0 or c > 0)
    if loose:  # any rest of a piece, or any start of a word run together (persinc)
        starts = range(1, len(seg)) if c == 0 and _splittable(seg) else range(0)
        return [len(rest), *starts]
    out = []
    if lastly and rest in lx.UNSAID_LAST_PIECES and (c == 0 or _splittable(seg)):
        out.append(len(rest))
    if s == 0 and c == 0 and len(form) > 1 and seg in lx.UNSAID_FIRST_PIECES:
        out.append(len(seg))
    if s == 0 and c == 0 and _splittable(seg):
        out += [len(p) for p in lx.UNSAID_FIRST_PIECES if seg.startswith(p) and len(seg) > len(p)]
    if c > 0 and _splittable(seg) and _shorthand_piece(rest[1:]):
        out.append(1)  # hh|n|inc
    return out


def _pieces(said: Words, seg: str, c: int, w: int, limit: int) -> list[tuple[int, int, bool, bool]]:
    """The ways words from ``w`` cover a piece of ``seg`` from letter ``c``: (words
    taken, letters covered, by an initial, weakly)."""
    rest = seg[c:]
    word = said.words[w]
    out: list[tuple[int, int, bool, bool]] = []
    splits = _splittable(seg)
    lengths = range(1, len(rest) + 1) if splits else [len(rest)] if c == 0 else []
    for n in lengths:
        piece = rest[:n]
        if (
            word == piece
            or (n >= 3 and same_stem(word, piece))
            or (n >= 3 and lemma_of(word) == piece)  # "ages": age (no stem of its own)
            or _shorthand(word, piece)
            or _noun_of(word, piece)
        ):
            out.append((1, n, False, False))
            continue
        short = n == 2 and c == 0 and len(seg) == 2  # ph.karno: "physician karnofsky"
        if (
            (n >= 3 or short)
            and not is_english(piece)
            and word.startswith(piece)
            and len(word) > n
            and said.may_cut(w)
        ):
            out.append((1, n, False, n <= 3))  # "volume" for vol, "diagnosis" for diag
            continue
        if n == 1 and word[0] == piece and word in lx.CONNECTOR_INITIALS and 0 < c < len(seg) - 1:
            out.append((1, 1, False, True))  # cigpday: "cigarettes per day"
            continue
        if n >= 3 and splits and said.may_cut(w) and _skeleton(piece, word):
            out.append((1, n, False, True))  # prevstrk: "previous stroke"
            continue
        if n == 1 and word[0] == piece and said.may_initial(w):
            out.append((1, 1, True, True))  # "mental component score" for mcs
        for expansion in _long_shorthand(piece):
            m = len(expansion)
            if w + m <= limit and all(
                same_stem(said.words[w + k], e) for k, e in enumerate(expansion)
            ):
                out.append((m, n, False, False))  # "graft versus host disease" for gvhd
    return out


@lru_cache(maxsize=4096)
def _splittable(seg: str) -> bool:
    """A header word that may be split where a question's words fit it: shorthand run
    together (pvol, dayslink, agvhd), never a word of English (link, time)."""
    return len(seg) >= 2 and seg.isalpha() and not is_english(seg)


def _skeleton(piece: str, word: str) -> bool:
    """Whether ``piece`` is ``word`` written without some of its letters, as headers
    write a word's consonants (strk: stroke, rte: rate, smk: smoking): the same first
    letter, every letter of the piece in the word in order, no vowel but the first, and
    no word of English itself."""
    if piece[0] != word[0] or len(word) <= len(piece) or is_english(piece):
        return False
    if any(ch in "aeiou" for ch in piece[1:]):
        return False
    rest = iter(word[1:])
    return all(ch in rest for ch in piece[1:])


def _noun_of(word: str, piece: str) -> bool:
    """Whether ``word`` is an adjective saying ``piece``'s noun ("maternal": mother,
    mth)."""
    noun = lx.RELATIONAL_ADJECTIVES.get(word)
    return noun is not None and (noun == piece or _shorthand(noun, piece))


@lru_cache(maxsize=16384)
def _shorthand(word: str, piece: str) -> bool:
    """Whether ``word`` is shorthand for ``piece``, or ``piece`` for ``word``."""
    for abbr, full in ((piece, word), (word, piece)):
        said = lx.ABBREVIATIONS.get(abbr, ())
        if abbr == piece:
            said = (
                *said,
                *lx.HEADER_ONLY_ABBREVIATIONS.get(abbr, ()),
                *lx.PIECE_ABBREVIATIONS.get(abbr, ()),
            )
        if any(" " not in e and same_stem(full, e) for e in said):
            return True
    return False


@lru_cache(maxsize=4096)
def _long_shorthand(piece: str) -> tuple[tuple[str, ...], ...]:
    """The expansions of more than one word of the shorthand ``piece``."""
    said = (*lx.ABBREVIATIONS.get(piece, ()), *lx.HEADER_ONLY_ABBREVIATIONS.get(piece, ()))
    return tuple(tuple(e.split()) for e in said if " " in e)

"""Words written apart that are one word the reader knows here: "breast feeding" in
breastfeeding.csv, "follow up" beside a column followup, "birth weight" beside
birthweight. Joined once, before the question's words are read as phrases.

The rule (docs/analytics.md, "Words written apart"): two or three adjacent words are
read as their concatenation when that is a word the reader knows for this table — a
column's name, a word of the file's name, a value, or a lexicon word — and

- no two of them, nor one of them with a word beside it, are said in a phrase the
  reader knows ("a cross tabulation" stays "cross tabulation", never "across");
- none is a word that never changes an answer ("a live birth" is never "alive");
- a word that alone names, or shares its stem with, a column, value or yes/no column
  of this table (alone it could select them) is joined only into a column's or the
  file's name, and only with words the reader knows nowhere: "birth weight" beside
  weight and birthweight ("birth" alone fits nothing: the joined word is the only
  reading that fits a column), never "over weight" beside weight ("over" is a
  comparison);
- a word the lexicon reads alone ("over", "no") is joined only into a column's or the
  file's name; a value or yes/no column only from words the reader knows nowhere; a
  lexicon word only from words of which none selects and one at least is unknown.
"""

from __future__ import annotations

from appliance.analytics import lexicon as lx
from appliance.analytics.reader.kinds import Kind
from appliance.analytics.reader.vocabulary import Vocabulary

LONGEST = 8  # the longest phrase the reader knows, in words
_SELECTING = frozenset({Kind.COLUMN, Kind.VALUE, Kind.FLAG})


def join_compounds(vocab: Vocabulary, raw: list[str]) -> list[str]:
    """``raw`` with each run of words that is one known word joined (see the module)."""
    out: list[str] = []
    i = 0
    while i < len(raw):
        n = next(
            (n for n in (3, 2) if _joins(vocab, raw, i, n) and not _in_phrase(vocab, raw, i, n)),
            1,
        )
        out.append("".join(raw[i : i + n]))
        i += n
    return out


def _in_phrase(vocab: Vocabulary, raw: list[str], i: int, n: int) -> bool:
    """Whether one of words ``i`` to ``i + n`` is said in a known phrase of two words or
    more ("a cross tabulation": "cross tabulation" is one)."""
    return any(
        tuple(raw[a:b]) in vocab.table
        for a in range(max(0, i - LONGEST + 1), i + n)
        for b in range(max(a + 2, i + 1), min(len(raw), a + LONGEST) + 1)
    )


def _joins(vocab: Vocabulary, raw: list[str], i: int, n: int) -> bool:
    parts = raw[i : i + n]
    if len(parts) != n or not all(p.isalpha() for p in parts) or set(parts) & lx.FILLER:
        return False
    meanings = vocab.table.get(("".join(parts),))
    if not meanings:
        return False
    chosen = [
        p for p in parts if _SELECTING & vocab.table.get((p,), {}).keys() or vocab.resembling(p)
    ]
    unknown = [p for p in parts if (p,) not in vocab.table and p not in chosen]
    if {Kind.COLUMN, Kind.DATASET_NAME} & meanings.keys():
        return not chosen or (len(chosen) == 1 and len(unknown) == n - 1)
    if _SELECTING & meanings.keys():
        return len(unknown) == n
    return not chosen and bool(unknown)

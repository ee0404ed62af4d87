"""A word several values of one column share: "AML" for "AML low risk" and "AML high
risk", "smokers" for "light smoker" and "heavy smoker". It means the column is any of
them, where all the values have besides the word is a grading qualifier (so "risk" of
"AML low risk" is no such word: "aml low" is not a grade)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from appliance.analytics import lexicon as lx
from appliance.analytics.datasets import Dataset
from appliance.analytics.errors import Unanswerable
from appliance.analytics.reader.column_forms import coerce
from appliance.analytics.reader.kinds import Kind
from appliance.analytics.reader.words import plural_forms, split_words


class Said(Protocol):
    """A word of a column's name or values (reader/vocabulary.py's DataWord)."""

    @property
    def word(self) -> str: ...

    @property
    def role(self) -> str: ...


class Vocabulary(Protocol):
    """What this module needs of reader/vocabulary.py's Vocabulary (imported, it would
    make a circle: the vocabulary calls :func:`add_shared_words`)."""

    dataset: Dataset
    table: dict[tuple[str, ...], dict[Kind, Any]]

    @property
    def data_words(self) -> Sequence[Said]: ...

    def add(self, phrase: tuple[str, ...], kind: Kind, data: Any) -> None: ...


@dataclass(frozen=True)
class ValueSet:
    """The values a shared word names, in the column's order; ``refused`` says why the
    word may not be read (its values are of different times: current or ever?)."""

    word: str
    values: tuple[Any, ...]
    refused: str | None = None

    def __repr__(self) -> str:  # as a caveat names it: AML: ('AML low risk', ...)
        return f"{self.word}: ({', '.join(repr(v) for v in self.values)})"


def _negated(words: list[str], k: int) -> bool:
    """ "non smoker", "no aml", "never smoker", "aml free": the value is without it."""
    return (k > 0 and words[k - 1] in lx.SHARED_NEGATIONS) or (
        k + 1 < len(words) and words[k + 1] == "free"
    )


def _grading(word: str) -> bool:
    return word in lx.GRADING_QUALIFIERS


def add_shared_words(vocab: Vocabulary) -> None:
    """For each word W of two or more values (or value labels) of exactly one column,
    W not already a phrase the reader knows (a value, a column's word, the lexicon's):
    W and its plural are that column ``in`` those values, where each value has nothing
    besides W but grading qualifiers; values with W negated are left out (they keep
    their own reading); values with a time qualifier make W refused, naming them."""
    found: dict[str, dict[str, list[tuple[Any, list[str]]]]] = {}
    dataset = vocab.dataset
    for col in dataset.columns:
        labels: dict[str, str] = dataset.dictionary.get(col.name, {}).get("value_labels") or {}
        seen = [v["value"] for v in col.values]
        if labels:
            texts = [(coerce(raw, col, seen), str(label)) for raw, label in labels.items()]
        elif col.type == "category":
            texts = [(v, v) for v in seen if isinstance(v, str)]
        else:
            continue
        for value, text in texts:
            words = split_words(text)
            for k, w in enumerate(words):
                if not w.isalpha() or len(w) < 2 or _negated(words, k):
                    continue
                rest = words[:k] + words[k + 1 :]
                found.setdefault(w, {}).setdefault(col.name, []).append((value, rest))
    named = {d.word for d in vocab.data_words if d.role in ("head", "name")}
    for word, columns in found.items():
        if len(columns) != 1 or _grading(word) or word in lx.TIME_QUALIFIERS:
            continue
        if any(form[0] in named for form in plural_forms((word,))):
            continue  # a column's word: "smoking" of "heavy smoking" in smoking_status
        ((column, held),) = columns.items()
        if len(held) < 2 or any(form in vocab.table for form in plural_forms((word,))):
            continue
        if not all(all(_grading(w) or w in lx.TIME_QUALIFIERS for w in rest) for _v, rest in held):
            continue
        values = tuple(dict.fromkeys(v for v, _rest in held))
        timed = any(w in lx.TIME_QUALIFIERS for _v, rest in held for w in rest)
        refused = (
            f"{word!r} could mean any time ({', '.join(repr(v) for v in values)} of {column}):"
            " say which"
            if timed
            else None
        )
        for form in plural_forms((word,)):
            vocab.add(form, Kind.VALUE, (column, ValueSet(word, values, refused)))


def checked(tok_text: str, pair: tuple[str, Any]) -> tuple[str, Any]:
    """The pair as read, or the refusal its word carries."""
    value = pair[1]
    if isinstance(value, ValueSet) and value.refused:
        raise Unanswerable(f"{tok_text!r}: {value.refused}")
    return pair


def flattened(values: list[Any]) -> list[Any]:
    """Values said with "or", a shared word's set as each of its values."""
    return [w for v in values for w in (v.values if isinstance(v, ValueSet) else (v,))]


def set_caveats(column: str, values: list[Any], negated: bool) -> list[str]:
    """What each shared word among ``values`` was read as, naming its values."""
    return [
        f"{v.word.upper() if len(v.word) <= 4 else v.word}: {column}"
        f" {'not in' if negated else 'in'} ({', '.join(repr(x) for x in v.values)})"
        for v in values
        if isinstance(v, ValueSet)
    ]


def carries_set(obj: Any) -> bool:
    """Whether a plan holds a shared word's set anywhere a single value belongs: a
    stage that took the set's first value silently would be wrong, so it refuses."""
    if isinstance(obj, ValueSet):
        return True
    if isinstance(obj, list | tuple | set | frozenset):
        return any(carries_set(o) for o in obj)
    if isinstance(obj, dict):
        return any(carries_set(o) for o in obj.values())
    fields = getattr(obj, "__dataclass_fields__", None)
    if fields:
        return any(carries_set(getattr(obj, f)) for f in fields)
    return False

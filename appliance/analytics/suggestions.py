"""Refusals that help: the nearest readings of a question the reader refused.

A refused question names the words it could not place; an app can offer "Did you
mean …?" only with something to send back. For each such word this module tries the
few changes that cannot silently change what is asked — a misspelt word spelt as the
dataset or the lexicon spells it, a clipped statistic written out ("med" as
"median"), a word that never names rows left out ("exactly", "please", "patients"
where no value is spelt so) — re-reads each changed question with the same reader, and
keeps up to three that read completely, each as a checked plan with its sentence.

A word that could be a condition is never left out: "how many diabetic patients"
with "diabetic" unknown suggests nothing rather than the count of every patient.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from appliance.analytics import answers, plan
from appliance.analytics import lexicon as lx
from appliance.analytics.datasets import Dataset
from appliance.analytics.errors import PlanError, Unanswerable

MAX_SUGGESTIONS = 3
MAX_TRIES = 12
"""Changed questions read at most, per refusal: each is a full reading (about a
millisecond); a refusal stays cheap whatever it says."""

NEVER_CONDITIONS = frozenset(
    """exactly approximately approx roughly actually really basically simply just
    kindly please pls plz thanks thank hey hi hello ok okay quick quickly precisely
    briefly currently now again maybe perhaps possibly um uh hmm so well anyway
    """.split()
)
"""Words that never say which rows or what is computed: left out of a suggestion
when the reader did not place them. (Not in the lexicon's FILLER: an answer would
then ignore them without anyone confirming it; a suggestion is confirmed by a person.)"""

PLAIN_ROW_NOUNS = frozenset(
    """patient patients pt pts subject subjects subj subjs participant participants person
    persons people individual individuals record records row rows entry entries
    observation observations respondent respondents""".split()
)
"""Row nouns that say nothing about who the rows are: left out, they are still the rows
("women", "children", "cases", "admissions" could be conditions, and are kept)."""

Reader = Callable[[str, Dataset], Any]
"""reader.read with the question and dataset: a reading with ``plan`` (or a refusal)."""


def suggest(
    question: str,
    ds: Dataset,
    words: Iterable[str],
    read: Reader,
    known: Iterable[str],
    choices: Mapping[str, Iterable[str]] | None = None,
) -> list[dict[str, Any]]:
    """Up to three ``{"question", "plan", "interpretation_sentence"}`` readings of
    ``question`` with the refused ``words`` changed; none where some word has no safe
    change. ``known`` are the words the reader knows for ``ds`` (its vocabulary);
    ``choices`` the columns a refused word could name (each is tried in its place)."""
    vocabulary = {w for w in known if len(w) >= 3 and w.isalpha()}
    options: list[list[str | None]] = []
    refused = list(dict.fromkeys(w.lower() for w in words))
    if not refused:
        return []
    named = {k.lower(): list(v) for k, v in (choices or {}).items()}
    for word in refused:
        if word in named:  # "drinks": avg_drinks, or max_drinks
            options.append([c.replace("_", " ") for c in named[word]])
            continue
        found = _options(word, vocabulary)
        if None in found and _names_a_value(word, ds):
            return []  # "patients" beside a value "patient": the rows, or a condition?
        if not found:
            return []
        options.append(found)
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for choice in itertools.islice(itertools.product(*options), MAX_TRIES):
        changed = _rewritten(question, refused, choice)
        if changed is None or changed == question:
            continue
        found_plan = _reading(changed, ds, read)
        if found_plan is None:
            continue
        key = repr(found_plan.to_json())
        if key in seen:
            continue
        seen.add(key)
        out.append(
            {
                "question": changed,
                "plan": found_plan.to_json(),
                "interpretation_sentence": answers.sentence(found_plan, ds),
            }
        )
        if len(out) == MAX_SUGGESTIONS:
            break
    return out


def _options(word: str, vocabulary: set[str]) -> list[str | None]:
    """What ``word`` may become: a spelling the reader knows, or nothing (None: left
    out), in order of likelihood. Empty when no change is safe."""
    if word in lx.CLIPPED:
        full = [
            p
            for p, stat in lx.STATISTICS.items()
            if " " not in p and p.startswith(word) and p != word
        ]
        longest: list[str | None] = [*sorted(full, key=len, reverse=True)[:1]]
        return longest
    if " " not in word and (word in NEVER_CONDITIONS or word in PLAIN_ROW_NOUNS):
        return [None]
    if " " in word or not word.isalpha() or len(word) < 3:
        return []
    limit = 1 if len(word) < 7 else 2
    scored = sorted(
        (d, w)
        for w in vocabulary
        if abs(len(w) - len(word)) <= limit
        # a short word only with a letter more, less or two swapped ("agee", "bim"),
        # never another letter ("dept" is no "sept")
        and (len(word) > 4 or len(w) != len(word) or sorted(w) == sorted(word))
        for d in [_distance(word, w, limit)]
        if 0 < d <= limit
    )
    if not scored:
        return []
    best = scored[0][0]
    nearest: list[str | None] = [w for d, w in scored[:2] if d == best]
    return nearest


def _names_a_value(word: str, ds: Dataset) -> bool:
    """Whether ``word`` (or its singular) is a value, or a value's label, in ``ds``."""
    forms = {word, word[:-1] if word.endswith("s") else word, word.removesuffix("es")}
    for col in ds.columns:
        labels = (ds.dictionary.get(col.name, {}).get("value_labels") or {}).values()
        texts = [str(v["value"]) for v in col.values] + [str(t) for t in labels]
        if any(w in forms for t in texts for w in re.findall(r"[a-z0-9]+", t.lower())):
            return True
    return False


def _rewritten(question: str, words: list[str], replacements: tuple[str | None, ...]) -> str | None:
    changed: str | None = question
    for word, replacement in zip(words, replacements, strict=True):
        if changed is None:
            return None
        changed = _replace(changed, word, replacement)
    return changed


def _replace(question: str, word: str, replacement: str | None) -> str | None:
    """``question`` with each whole ``word`` (any case) replaced; None if it is not
    written there as a word (it came from a typed shorthand the reader expanded)."""
    pattern = re.compile(rf"(?<![A-Za-z0-9]){re.escape(word)}(?![A-Za-z0-9])", re.IGNORECASE)
    if not pattern.search(question):
        return None
    changed = pattern.sub(replacement or "", question)
    return re.sub(r"\s{2,}", " ", changed).strip()


def _reading(question: str, ds: Dataset, read: Reader) -> plan.Plan | None:
    try:
        reading = read(question, ds)
        if reading.plan is None:
            return None
        return plan.from_json(reading.plan.to_json(), ds.infos)
    except (Unanswerable, PlanError, OverflowError):
        return None


def _distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance (a swap of two letters is one edit), or
    ``limit`` + 1 as soon as it must exceed ``limit``."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]

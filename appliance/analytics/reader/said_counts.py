"""A count said as how often something happened: "saw a doctor at least once" is a
count of doctor visits of at least 1, "never saw a doctor" a count of 0. Rewritten,
before the question is split into words, as the count it says ("had at least 1 doctor
visits"), which the reader then links to the one column counting doctor visits
(``docvis``, ``numvisit``), or refuses where none does or several do.

Only where the words can mean nothing else here: no column or value but a count of
whole numbers shares a stem with them (beside a yes/no column ``saw_doctor``, or a
value "doctor" of a provider column, the words could select those, and are left as
they are, unread and refused)."""

from __future__ import annotations

import re

from appliance.analytics import lexicon as lx
from appliance.analytics.reader.vocabulary import Vocabulary

_SKIPPED = frozenset({"a", "an", "the", "their", "his", "her"})


def said_counts(vocab: Vocabulary, text: str) -> str:
    """``text`` (lower case) with each event said with how often it happened rewritten
    as the count it is (see the module)."""
    for verb, noun in lx.COUNTED_EVENTS.items():
        for often, compared in lx.HOW_OFTEN:

            def count(found: re.Match[str], noun: str = noun, compared: str = compared) -> str:
                if not _only_counts(vocab, found.group("verb")):
                    return found.group(0)
                return f" had {found.expand(compared)} {noun} "

            text = re.sub(rf"\b(?P<verb>{verb})\s+(?:{often})(?![\w])", count, text)

        def never(found: re.Match[str], noun: str = noun) -> str:
            if not _only_counts(vocab, found.group("verb")):
                return found.group(0)
            return f" had 0 {noun} "

        text = re.sub(rf"\bnever\s+(?P<verb>{verb})\b", never, text)
    return text


def _only_counts(vocab: Vocabulary, said: str) -> bool:
    """No word of ``said`` shares its stem with a column or value other than a count
    (a column of whole numbers, none below zero)."""
    for word in said.split():
        if word in _SKIPPED:
            continue
        for d in vocab.resembling(word):
            col = vocab.dataset.column(d.column)
            if (
                d.role.startswith("value")
                or col is None
                or col.type != "integer"
                or not isinstance(col.min, int)
                or col.min < 0
            ):
                return False
    return True

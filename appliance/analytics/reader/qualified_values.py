"""A value two columns share, said with the noun that tells them apart ("male donor" of
``donor_sex`` beside ``sex``)."""

from __future__ import annotations

from appliance.analytics import lexicon as lx
from appliance.analytics.reader.kinds import Kind
from appliance.analytics.reader.shared_words import Vocabulary
from appliance.analytics.reader.words import plural_forms, split_words


def add_qualified_values(vocab: Vocabulary) -> None:
    """A value two columns share, said with the noun that tells them apart: where
    one column's name is another's after words of its own ("donor sex" and "sex",
    "donor CMV status" and "CMV status"), "male donor", "CMV positive donor" are
    the value of the one named for the donor (and "male" alone stays both)."""
    named = {
        c.name: tuple(split_words(vocab.dataset.dictionary.get(c.name, {}).get("label") or ""))
        or tuple(c.name.split("_"))
        for c in vocab.dataset.columns
        if c.type in ("category", "boolean") or c.name in vocab.dataset.dictionary
    }
    pairs = [
        (own, base, words[: -len(named[base])])
        for own, words in named.items()
        for base in named
        if base != own
        and len(words) > len(named[base])
        and words[-len(named[base]) :] == named[base]
    ]
    if not pairs:
        return
    for phrase, meanings in list(vocab.table.items()):
        values = meanings.get(Kind.VALUE) or []
        for own, base, extra in pairs:
            mine = [v for v in values if v[0] == own]
            if len(mine) != 1 or not any(v[0] == base for v in values):
                continue
            lead = named[base][:-1]  # "cmv" of "cmv status": "cmv positive donor"
            for qualifier in plural_forms(extra):
                vocab.add((*phrase, *qualifier), Kind.VALUE, mine[0])
                for copula in lx.COPULAS:  # "whose donor was male"
                    vocab.add((*qualifier, copula, *phrase), Kind.VALUE, mine[0])
                if lead:
                    vocab.add((*lead, *phrase, *qualifier), Kind.VALUE, mine[0])

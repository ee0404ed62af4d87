"""A superlative said of whose measure it is: "the two patients with the oldest donors"
is the donor's age, where a column is named for that owner's age."""

from __future__ import annotations

from appliance.analytics import lexicon as lx
from appliance.analytics.reader.kinds import Kind
from appliance.analytics.reader.state import State
from appliance.analytics.reader.words import lemma_of


def read_superlative_owner(r: State) -> None:
    """ "oldest donors", "the heaviest babies": a word the reader could not place, right
    after a superlative that implies a kind of column (age, weight, height, duration),
    is the owner of that measure where the owner's word followed by the kind ("donor
    age", by its name or label) names exactly one column whole. The word becomes that
    column, which the superlative then ranks or takes the extreme of; anything else is
    left unread (and refused, as before)."""
    toks = r.toks
    for k in range(1, len(toks)):
        t, before = toks[k], toks[k - 1]
        if t.kind != Kind.UNKNOWN or t.used or not before.has(Kind.SUPERLATIVE):
            continue
        concept = before.get(Kind.SUPERLATIVE)[1]
        if concept is None:
            continue
        said = tuple(t.text.split())
        found: set[str] = set()
        for words in {said, tuple(lemma_of(w) for w in said)}:
            for phrase in lx.CONCEPTS.get(concept, (concept,)):
                named = r.vocab.table.get((*words, *phrase.split()), {}).get(Kind.COLUMN)
                if named is not None and named[1]:
                    found |= set(named[0])
        if len(found) == 1:
            t.kind, t.data = Kind.COLUMN, (sorted(found), True)
            r.caveats.append(f"'{before.text} {t.text}': the {concept} of the {t.text}")


def read_ranking_verbs(r: State) -> None:
    """ "the three visits recorded the most days post coma", "which three people took the
    longest …": a verb between the rows and a superlative (lexicon.RANKING_VERBS) only
    says the rows hold the measure ranked; read with the ranking. Only right after a
    row noun and right before the superlative (or "the" and it), and only a word that
    names no column or value of the table."""
    toks = r.toks
    for k in range(1, len(toks) - 1):
        t = toks[k]
        if t.used or t.text not in lx.RANKING_VERBS or toks[k - 1].kind != Kind.ROW_NOUN:
            continue
        if t.kind not in (Kind.UNKNOWN, Kind.FILLER, Kind.PRESENT, Kind.LEAD_IN):
            continue
        j = k + 1
        if toks[j].text == "the" and j + 1 < len(toks):
            j += 1
        if not toks[j].has(Kind.SUPERLATIVE) or r.vocab.resembling(t.text):
            continue
        t.kind, t.data, t.alts = Kind.FILLER, t.text, {}  # unused: the count is read past it

"""A header that is no more than a noun for people (``woman``, ``subject``) holding a
different value on every row identifies them: the rows are those people, and the plural
said in a question ("among women using contraception", "how many women") is the rows,
as "patients" is beside ``patient_id``, never that column of identifiers (whose mean or
maximum no question means)."""

from __future__ import annotations

from appliance.analytics import lexicon as lx
from appliance.analytics.reader.kinds import Kind
from appliance.analytics.reader.rows import one_per_row, person_header
from appliance.analytics.reader.state import State
from appliance.analytics.reader.words import lemma_of


def read_people_header(r: State) -> None:
    """See the module."""
    for t in r.toks:
        if t.kind != Kind.COLUMN or t.used or t.text not in lx.PERSON_NOUNS:
            continue
        names = t.get(Kind.COLUMN)[0]
        noun = person_header(names[0]) if len(names) == 1 else None
        if noun is None or t.text == noun or lemma_of(t.text) != noun:
            continue  # the plural only: "woman" said alone may be the column
        if not one_per_row(r.col(names[0]), r.ds):
            continue
        t.kind, t.data, t.alts = Kind.ROW_NOUN, t.text, {}

"""What one row of a table is, decided in one place: the noun its one identifier is
named for, where that identifier holds a different value on every row (``patient_id``:
each row is a patient), else the file's plural name (``covid_tests``: each row is a
test). A question's row noun that cannot be that ("visits" on a table of patients) is
not the rows: beside a column that counts it (``numvisit``) it is that column, and
alone it is refused, never read as every row."""

from __future__ import annotations

import re

from appliance.analytics import lexicon as lx
from appliance.analytics.datasets import ColumnProfile, Dataset
from appliance.analytics.reader.words import lemma_of

# An identifier named for what it identifies: student_id, case_no, stay_number.
ID_NOUN = re.compile(r"([a-z]{3,})_(?:id|no|number|key)")


def person_header(name: str) -> str | None:
    """The noun a header is when it is no more than a singular noun for people
    (``subject``, ``Patient``, ``woman``), lower-cased; None otherwise."""
    low = name.lower()
    return low if low in lx.PERSON_NOUNS and lemma_of(low) == low else None


def one_per_row(col: ColumnProfile, dataset: Dataset) -> bool:
    """A column of names or numbers holding a different value on every row, none empty:
    it can say who each row is (a ``woman`` column of identifiers)."""
    return (
        col.type in ("identifier", "integer", "text")
        and not col.nulls
        and col.distinct == dataset.row_count
    )


def identifier_noun(dataset: Dataset) -> tuple[ColumnProfile, str] | None:
    """The table's one identifier and the noun it is named for (``donor_id`` beside
    ``patient_id`` names another person: two identifiers say no one thing)."""
    ids = [c for c in dataset.columns if c.type == "identifier"]
    found = ID_NOUN.fullmatch(ids[0].name.lower()) if len(ids) == 1 else None
    return (ids[0], found.group(1)) if found else None


def rows_noun(dataset: Dataset, file_word: str | None) -> str | None:
    """The noun for one row, singular, where the table says it: its identifier's, when
    no value of it repeats (a patient_id repeated over visits says whose visit a row
    is, not what it is), else its file's (``file_word``, a plural). None where neither
    says, where the noun is no more than "record" or "case", or where the two say
    different things."""
    found = identifier_noun(dataset)
    named = (
        found[1]
        if found is not None and not found[0].nulls and found[0].distinct == dataset.row_count
        else None
    )
    filed = lemma_of(file_word) if file_word else None
    if named is not None and filed is not None and lemma_of(named) != filed:
        return None
    noun = named or filed
    return None if noun is None or noun in lx.GENERIC_ROW_NOUNS else noun


def names_rows(noun: str | None, phrase: tuple[str, ...]) -> bool | None:
    """Whether a row noun said in a question is the rows (True), cannot be (False: an
    event such as "visits" or "admissions" on a table whose rows are people), or may be
    either (None: the table does not say what a row is, or a row and the word may be the
    same thing said two ways, "stays" and "admissions")."""
    if noun is None or len(phrase) != 1:
        return None
    (word,) = phrase
    if word == noun or lemma_of(word) == lemma_of(noun):
        return True
    if noun in lx.PERSON_NOUNS and word in lx.EVENT_ROW_NOUNS:
        return False
    return None

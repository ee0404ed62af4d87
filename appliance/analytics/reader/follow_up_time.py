"""Follow-up time as clinicians say it: "follow-up time", "follow-up", "f/u", "time on
study" name the time column of the table's time-to-event pair (declared in the data
dictionary or guessed from the names: docs/analytics.md, "Time-to-event pairs"), where
there is exactly one ("died during follow-up": follow_up_event.py)."""

from __future__ import annotations

from appliance.analytics import lexicon as lx
from appliance.analytics.reader.kinds import Kind
from appliance.analytics.reader.shared_words import Vocabulary
from appliance.analytics.reader.words import plural_forms


def add_follow_up_time(vocab: Vocabulary) -> None:
    """The phrases of :data:`lexicon.FOLLOW_UP_TIME` as a mention of the one pair's time
    column (beside a column also named so, both: refused naming them). Nothing where the
    table has no pair, or several (which one's follow-up?)."""
    durations = {p["duration"] for p in vocab.dataset.survival_pairs}
    if len(durations) != 1:
        return
    (name,) = durations
    for phrase in lx.FOLLOW_UP_TIME:
        for form in plural_forms(tuple(phrase.split())):  # "the longest follow-up times"
            vocab.add(form, Kind.COLUMN, ([name], False))

"""Reading a question in clinical English into a plan — or refusing it.

The reader is deterministic and strict. It splits the question into words, matches
the longest known phrase at each place (a column in any of its spoken forms, a value
that occurs in the data, a statistic, a comparison, a number, a date, a filler word),
then builds the plan from those pieces. Every piece must end up in the plan or be a
filler word: anything left over — a word it does not know, a condition it could not
attach — refuses the whole question with 422, quoting what was not understood. A
dropped condition would be a confident wrong answer; a refusal is honest.

The reading goes by stage, one module each: words (word forms), column_forms (a
header's shorthand, a value label's key), vocabulary (every phrase known for a
dataset), tokens (the question split into typed tokens), aligning (a header that
abbreviates the words: "prostate volume" for pvol), linking (which column or value a
mention names), thresholds (a yes/no column that states an age threshold, such as
age_over_75), conditions, prepositions ("over smokers", "after a CABG", "at zero
globulin"), owners (a superlative said of whose measure: "the oldest donors"), yes_no (a
yes/no column said as its event), needing ("needed
more than one attempt"), complements (the other group said without naming it: "those
who do not"), with_without ("patients with and without X"), ranking, statistic,
shares, spreads (the difference of two percentiles) and fits (what is asked), survival
(time-to-event questions), conversion (units), follow_ups, checks (words left over),
and pipeline, which runs them in order.
"""

from appliance.analytics.reader.pipeline import read
from appliance.analytics.reader.state import Reading
from appliance.analytics.reader.tokens import Tok, tokenize
from appliance.analytics.reader.vocabulary import Vocabulary
from appliance.analytics.reader.words import share_stem

__all__ = ["Reading", "Tok", "Vocabulary", "read", "share_stem", "tokenize"]

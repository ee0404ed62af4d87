"""What an API key may be allowed to do. Standard library only: the command line reads
it to describe ``hpx key issue`` even where only the client is installed."""

SCOPES = ("upload", "query", "rows")
DEFAULT_SCOPES = ("upload", "query")
"""What a key gets when none are named: never ``rows``, which lifts disclosure control
(exact small counts, record-level answers) and is granted only by naming it."""
ROWS = "rows"

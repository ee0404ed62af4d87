"""What an API key may be allowed to do. Standard library only: the command line reads
it to describe ``hpx key issue`` even where only the client is installed."""

SCOPES = ("upload", "query")

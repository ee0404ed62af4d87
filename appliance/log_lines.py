"""The server's log: one record, one line, whatever a client put in it.

A request path arrives percent-decoded, so ``/v1/x%0A2026-12-07 … [INFO] …`` would
write a second, forged record into the access log, and ``%1B[2J`` would reach the
operator's terminal as an escape sequence. Every record's message (Hypercorn's
access and error lines, the appliance's own) is written with its control
characters, line and paragraph separators and bidirectional overrides escaped
(``\\x0a``, ``\\x1b``, ``\\u202e``). A traceback keeps its lines, each indented, so no
part of it can pass for a record of its own.
"""

from __future__ import annotations

import logging
import re

FORMAT = "%(asctime)s [%(levelname)s] %(name)s: %(message)s"
CONTINUATION = "    "
"""Put before every line of a traceback: a record starts at the line's beginning."""

_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def escape(text: str) -> str:
    """``text`` with every character that could end a line, move the cursor, change
    the terminal or reorder what is shown written as an escape (``\\x0a``)."""
    return _UNSAFE.sub(_escaped, text)


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


class OneLineFormatter(logging.Formatter):
    """The standard format, with the message escaped and tracebacks indented."""

    def formatMessage(self, record: logging.LogRecord) -> str:
        return escape(super().formatMessage(record))

    def formatException(self, ei: logging._SysExcInfoType) -> str:
        return _indented(super().formatException(ei))

    def formatStack(self, stack_info: str) -> str:
        return _indented(super().formatStack(stack_info))


def _indented(text: str) -> str:
    return "\n".join(CONTINUATION + escape(line) for line in text.split("\n"))


def configure(level: str) -> None:
    """The root handler (standard error) of ``hpx serve``: Hypercorn's loggers and the
    appliance's propagate to it, and worker processes inherit it."""
    handler = logging.StreamHandler()
    handler.setFormatter(OneLineFormatter(FORMAT))
    logging.basicConfig(level=level.upper(), handlers=[handler], force=True)

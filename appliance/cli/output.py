"""What every ``hpx`` command shares: its refusal, its printing, a password read from
stdin. The parser (:mod:`appliance.cli.main`) and the commands
(:mod:`appliance.cli.admin_commands`, :mod:`appliance.cli.partner_commands`) all import
this module, and it imports none of them: the commands never reach back into the
module that dispatches them. The standard library only (a partner's install)."""

from __future__ import annotations

import json
import sys
from typing import Any


class CommandError(Exception):
    """A command that cannot run as typed (a missing option, an unconfirmed deletion)."""


def password_from_stdin() -> str:
    """The first line of stdin: a password never belongs in argv or shell history."""
    line = sys.stdin.readline()
    return line.rstrip("\r\n")


def print_result(result: Any, as_json: bool) -> None:
    if as_json:
        print(json.dumps(result, indent=2))
    elif isinstance(result, list):
        _print_table(result)
    elif isinstance(result, dict):
        width = max((len(k) for k in result), default=0)
        for k, v in result.items():
            print(f"{k:<{width}}  {_cell(v)}")


def _print_table(rows: list[dict[str, Any]]) -> None:
    if not rows:
        print("(none)")
        return
    headers = list(rows[0])
    cells = [[_cell(r.get(h)) for h in headers] for r in rows]
    widths = [max(len(h), *(len(c[i]) for c in cells)) for i, h in enumerate(headers)]
    print("  ".join(h.upper().ljust(w) for h, w in zip(headers, widths, strict=True)))
    for c in cells:
        print("  ".join(v.ljust(w) for v, w in zip(c, widths, strict=True)))


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, list):
        return ",".join(str(v) for v in value)
    return str(value)

"""What every ``hpx`` command shares: its refusal, its printing, a password read from
stdin. The parser (:mod:`appliance.cli.main`) and the commands
(:mod:`appliance.cli.admin_commands`, :mod:`appliance.cli.partner_commands`) all import
this module, and it imports none of them: the commands never reach back into the
module that dispatches them. The standard library and appliance.sizes only (a partner's install)."""

from __future__ import annotations

import json
import sys
from typing import Any

from appliance.sizes import human as human_bytes


class CommandError(Exception):
    """A command that cannot run as typed (a missing option, an unconfirmed deletion)."""


def password_from_stdin() -> str:
    """The first line of stdin: a password never belongs in argv or shell history."""
    line = sys.stdin.readline()
    return line.rstrip("\r\n")


SIZE_FIELDS = frozenset(
    {"size", "max_size", "part_size", "used_bytes", "quota_bytes", "received", "bytes"}
)
"""Fields in bytes, shown to a person as ``1.5 GiB`` (named one by one: a field such
as ``min_cell_size`` is a count, not bytes). ``--json`` keeps the number."""


def for_a_person(row: dict[str, Any]) -> dict[str, Any]:
    """A result as a person reads it: sizes as ``500.0 GiB`` under names without
    ``_bytes`` (``quota_bytes`` → ``quota``)."""
    return {
        k.removesuffix("_bytes") if k in SIZE_FIELDS else k: (
            human_bytes(v) if k in SIZE_FIELDS and type(v) is int else v
        )
        for k, v in row.items()
    }


def print_result(result: Any, as_json: bool) -> None:
    if as_json:
        print(json.dumps(result, indent=2))
    elif isinstance(result, list):
        _print_table([for_a_person(r) if isinstance(r, dict) else r for r in result])
    elif isinstance(result, dict):
        result = for_a_person(result)
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

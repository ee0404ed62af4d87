"""A survival curve as a few lines of characters, for ``hpx ask`` in a terminal.

A person at a terminal reads the shape of a Kaplan-Meier curve faster than its list of
steps; the SVG picture (``format=svg``) needs a viewer. This draws the curves of a
``survival_curve`` answer (``{"time": [...], "survival": [...]}``, or one such per
group) on a grid of characters, one symbol per group. The partner side knows nothing
of the server's code: it reads only the answer's JSON.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from typing import Any

WIDTH = 50
ROWS = 8
"""Lines of the plot: survival from 1 down to 0 in eighths."""
SYMBOLS = "*o+x#@%&=~"
BEHIND = ("survival_median", "survival_at", "logrank")
"""Answers with a curve behind them that they do not carry (``hpx ask`` asks for it)."""


def _curves(answer: Any) -> dict[str, tuple[list[float], list[float]]] | None:
    def one(value: Any) -> tuple[list[float], list[float]] | None:
        if not isinstance(value, dict) or set(value) != {"time", "survival"}:
            return None
        times, surv = value["time"], value["survival"]
        if not isinstance(times, list) or not isinstance(surv, list) or not times:
            return None
        if len(times) != len(surv) or not all(
            isinstance(v, int | float) and math.isfinite(v) for v in [*times, *surv]
        ):
            return None
        return [float(t) for t in times], [float(s) for s in surv]

    single = one(answer)
    if single is not None:
        return {"": single}
    if not isinstance(answer, dict) or not answer:
        return None
    found = {str(k): one(v) for k, v in answer.items()}
    if any(v is None for v in found.values()):
        return None  # a group without its curve (withheld): nothing drawn
    return {k: v for k, v in found.items() if v is not None}


def sketch(plan: Any, answer: Any) -> list[str]:
    """The lines of the sketch of a survival_curve answer; none for any other answer."""
    if not isinstance(plan, dict) or plan.get("statistic") != "survival_curve":
        return []
    curves = _curves(answer)
    if not curves:
        return []
    end = max(t[-1] for t, _s in curves.values())
    grid = [[" "] * WIDTH for _ in range(ROWS + 1)]
    for k, (times, surv) in enumerate(curves.values()):
        mark = SYMBOLS[k % len(SYMBOLS)]
        for col in range(WIDTH):
            at = end * col / (WIDTH - 1) if end > 0 else 0.0
            if at > times[-1]:
                break  # past this group's last step: not known
            s = surv[max(0, bisect_right(times, at) - 1)]
            grid[round((1.0 - min(1.0, max(0.0, s))) * ROWS)][col] = mark
    labels = {0: "1.0", ROWS // 2: "0.5", ROWS: "0.0"}
    lines = [f"  {labels.get(r, ''):>3} |{''.join(row).rstrip()}" for r, row in enumerate(grid)]
    lines.append("      +" + "-" * WIDTH)
    right = f"{end:g} {plan.get('column', '')}".rstrip()
    lines.append("       0" + right.rjust(WIDTH - 1))
    if len(curves) > 1:
        keys = [f"{SYMBOLS[k % len(SYMBOLS)]} {name}" for k, name in enumerate(curves)]
        lines.append("       " + "  ".join(keys))
    return lines

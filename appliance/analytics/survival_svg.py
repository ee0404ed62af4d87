"""A Kaplan-Meier picture as SVG text: step lines, axes, ticks, censor marks, a legend.

An application shows a survival curve rather than reading its numbers, and the appliance
has no display server and no plotting library (matplotlib would add tens of megabytes
and a font cache to the server for one kind of picture), so the SVG is written here as
text. Group labels and the title come from the data and the question: they are escaped
for XML and stripped of characters XML cannot hold, so a label can never become markup.
The size is bounded by the input: at most ``MAX_SERIES`` curves of at most
``MAX_POINTS`` steps and ``MAX_POINTS`` censor marks each, labels cut to ``MAX_LABEL``
characters.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from xml.sax.saxutils import escape

MAX_SERIES = 20
MAX_POINTS = 400
MAX_LABEL = 48
MAX_TITLE = 110
WIDTH = 720
PLOT_HEIGHT = 360
LEFT, RIGHT, TOP, BOTTOM = 64, 24, 44, 48
LEGEND_LINE = 18
COLOURS = (
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
    "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac",
)  # fmt: skip
"""Tableau 10: told apart by most colour-blind readers; past ten, dashes tell them apart."""
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class Series:
    """One group's curve: S(t) from (0, 1) at each step, its censor marks, and the
    longest follow-up (the curve is drawn flat to it)."""

    label: str | None
    times: list[float]
    surv: list[float]
    censored: list[tuple[float, float]]
    """(time, S(time)) of the rows censored, one mark per distinct time."""
    last_time: float


def text(value: str, limit: int) -> str:
    """``value`` as XML character data: cut to ``limit`` characters, escaped."""
    clean = _NOT_XML.sub("\N{REPLACEMENT CHARACTER}", value)
    if len(clean) > limit:
        clean = clean[: limit - 1] + "\N{HORIZONTAL ELLIPSIS}"
    return escape(clean, {'"': "&quot;", "'": "&apos;"})


def ticks(top: float, most: int = 8) -> list[float]:
    """Round tick values from 0 to past ``top`` (steps of 1, 2 or 5 times a power of ten)."""
    if not math.isfinite(top) or top <= 0:
        return [0.0, 1.0]
    raw = top / most
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    count = math.ceil(top / step - 1e-9)
    return [round(k * step, 12) for k in range(count + 1)]


def _number(v: float) -> str:
    return f"{v:.1f}".rstrip("0").rstrip(".")


def _tick_label(v: float) -> str:
    return f"{v:g}" if abs(v) < 1e6 else f"{v:.3g}"


def render(series: list[Series], x_label: str, title: str) -> str:
    """The SVG document of ``series`` (at most MAX_SERIES, each at most MAX_POINTS)."""
    if not 1 <= len(series) <= MAX_SERIES:
        raise ValueError(f"1 to {MAX_SERIES} curves are drawn, not {len(series)}")
    grouped = any(s.label is not None for s in series)
    legend = LEGEND_LINE * len(series) + 8 if grouped else 0
    height = TOP + PLOT_HEIGHT + BOTTOM + legend
    xs = ticks(max([s.last_time for s in series] + [t for s in series for t in s.times]))
    x_max = xs[-1]
    plot_w = WIDTH - LEFT - RIGHT

    def x(t: float) -> float:
        share = t / x_max if x_max > 0 and math.isfinite(t) else float(t > 0)
        return LEFT + plot_w * min(1.0, max(0.0, share))

    def y(s: float) -> float:
        return TOP + PLOT_HEIGHT * (1.0 - min(1.0, max(0.0, s)))

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}"'
        f' viewBox="0 0 {WIDTH} {height}" role="img" font-family="sans-serif" font-size="12">',
        f"<title>{text(title, MAX_TITLE)}</title>",
        f'<rect width="{WIDTH}" height="{height}" fill="#ffffff"/>',
        f'<text x="{LEFT}" y="{TOP - 22}" font-size="13">{text(title, MAX_TITLE)}</text>',
        f'<path d="M{WIDTH - RIGHT - 64} {TOP - 12}v8" stroke="#333333" stroke-width="1.5"/>'
        f'<text x="{WIDTH - RIGHT}" y="{TOP - 4}" text-anchor="end">censored</text>',
    ]
    bottom = TOP + PLOT_HEIGHT
    for v in (0.0, 0.25, 0.5, 0.75, 1.0):
        out.append(
            f'<line x1="{LEFT}" y1="{_number(y(v))}" x2="{WIDTH - RIGHT}" y2="{_number(y(v))}"'
            f' stroke="#e5e5e5"/><text x="{LEFT - 6}" y="{_number(y(v) + 4)}"'
            f' text-anchor="end">{v:g}</text>'
        )
    for v in xs:
        out.append(
            f'<line x1="{_number(x(v))}" y1="{bottom}" x2="{_number(x(v))}" y2="{bottom + 5}"'
            f' stroke="#333333"/><text x="{_number(x(v))}" y="{bottom + 18}"'
            f' text-anchor="middle">{_tick_label(v)}</text>'
        )
    out.append(
        f'<path d="M{LEFT} {TOP}V{bottom}H{WIDTH - RIGHT}" fill="none" stroke="#333333"/>'
        f'<text x="{LEFT + plot_w / 2:.1f}" y="{bottom + 38}" text-anchor="middle">'
        f"{text(x_label, MAX_TITLE)}</text>"
        f'<text transform="translate(16 {TOP + PLOT_HEIGHT / 2:.1f}) rotate(-90)"'
        ' text-anchor="middle">survival probability</text>'
    )
    for k, s in enumerate(series):
        colour = COLOURS[k % len(COLOURS)]
        dash = "" if k < len(COLOURS) else ' stroke-dasharray="6 3"'
        steps = [f"M{_number(x(0.0))} {_number(y(1.0))}"]
        for t, p in zip(s.times[:MAX_POINTS], s.surv[:MAX_POINTS], strict=False):
            steps.append(f"H{_number(x(t))}V{_number(y(p))}")
        steps.append(f"H{_number(x(s.last_time))}")
        out.append(
            f'<path class="curve" d="{"".join(steps)}" fill="none" stroke="{colour}"'
            f' stroke-width="2"{dash}/>'
        )
        if s.censored:
            marks = "".join(
                f"M{_number(x(t))} {_number(y(p) - 4)}v8" for t, p in s.censored[:MAX_POINTS]
            )
            out.append(f'<path class="censored" d="{marks}" stroke="{colour}" stroke-width="1.5"/>')
        if grouped:
            ly = bottom + BOTTOM + 8 + LEGEND_LINE * k
            name = "(empty)" if s.label is None else s.label
            out.append(
                f'<g class="legend"><line x1="{LEFT}" y1="{ly}" x2="{LEFT + 24}" y2="{ly}"'
                f' stroke="{colour}" stroke-width="2"{dash}/><text x="{LEFT + 30}" y="{ly + 4}">'
                f"{text(name, MAX_LABEL)}</text></g>"
            )
    out.append("</svg>")
    return "\n".join(out) + "\n"

"""A profile's frequent values, counted here from the CSV's own cells: the most frequent
first, ties by value; empty cells, NaN and infinities never among them; only for
columns with at most 50 distinct values (all such columns are counted in one pass)."""

from __future__ import annotations

import csv
import math
from collections import Counter
from pathlib import Path
from typing import Any

from appliance.analytics import datasets

ROWS = 300


def cells(i: int) -> dict[str, str]:
    return {
        "id": f"p{i}",
        "ward": ["North", "south", "East", "", "West", "north"][i * 7 % 6],
        "grade": "" if i % 11 == 0 else str(i % 4),
        "dose": ["1.5", "inf", "nan", "2.25", "-inf", "", "0.5"][i % 7],
        "seen": f"2024-03-{1 + i % 5:02d}",
        "smoker": ["yes", "no", "no"][i % 3],
        "score": str(i),  # 300 distinct values: no frequent values listed
    }


def expected(column: str, convert: Any) -> list[dict[str, Any]]:
    """Counted from the cells: empty, NaN and infinite cells left out; ordered by count
    (largest first), then by value."""
    counts = Counter(
        convert(c[column])
        for c in map(cells, range(ROWS))
        if c[column] != "" and not (convert is float and not math.isfinite(float(c[column])))
    )
    ordered = sorted(counts.items(), key=lambda vn: (-vn[1], vn[0]))
    return [{"value": v, "count": n} for v, n in ordered]


def test_frequent_values_are_counted_and_ordered_as_the_cells_say(tmp_path: Path) -> None:
    source = tmp_path / "visits.csv"
    with source.open("w", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(cells(0)))
        writer.writeheader()
        writer.writerows(cells(i) for i in range(ROWS))
    found = {c.name: c for c in datasets.load_file(source, tmp_path / "derived", "visits").columns}
    values = {name: [dict(v) for v in column.values] for name, column in found.items()}
    assert values["ward"] == expected("ward", str)
    assert values["grade"] == expected("grade", int)
    assert values["dose"] == expected("dose", float)
    assert values["seen"] == expected("seen", str)  # dates as ISO strings
    assert [v["count"] for v in values["smoker"]] == [200, 100]
    assert values["score"] == [] and values["id"] == []

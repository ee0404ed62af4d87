"""Disclosure control's differencing guard (docs/privacy.md, rule 7).

Two answers whose rows differ by a few patients give those patients away: the count
(or sum, or mean with the counts) of "age 30 and over" minus that of "age 31 and over"
is the patients aged exactly 30. So for each organization and dataset, the set of rows
behind every controlled answer of the last 24 hours is remembered, as a compressed
bitmap (one bit per row of the dataset) in the metadata database, which every server
process and node shares; an answer whose row set differs from a remembered one by 1 to
k-1 rows is refused. Sets of fewer than k rows are left out: every answer about them
is withheld already.

Only sets whose sizes differ by less than k can differ by less than k rows, so the
others are skipped without being read; at most :data:`COMPARED` of the most recent
sets are compared.
"""

from __future__ import annotations

import base64
import zlib
from typing import TYPE_CHECKING, Any

from appliance.analytics.datasets import Dataset
from appliance.analytics.errors import Unanswerable
from appliance.clock import iso_in, now_iso
from appliance.db import DB

if TYPE_CHECKING:
    import numpy as np

REMEMBERED_S = 24 * 3600
COMPARED = 500
"""The most recent row sets of a dataset an answer is compared with."""


def guard(db: DB, org_id: str, dataset: Dataset, selected: Any, k: int) -> None:
    """Refuse if the rows ``selected`` (their numbers in the file, ``file_row_number``)
    differ from a remembered answer's by 1 to k-1 rows; else remember them."""
    import numpy as np

    if len(selected) < k:
        return  # every answer about fewer than k rows is withheld: nothing to set beside
    bits = np.zeros(dataset.row_count, dtype=bool)
    bits[np.asarray(selected, dtype=np.int64)] = True
    packed = np.packbits(bits)
    size = int(bits.sum())
    stamp = now_iso()
    with db.write() as conn:
        conn.execute("DELETE FROM disclosure_row_sets WHERE expires_at <= ?", (stamp,))
        remembered = list(
            conn.query(
                "SELECT row_count, rows FROM disclosure_row_sets WHERE org_id = ? AND file_id = ?"
                " AND row_count > ? AND row_count < ? ORDER BY created_at DESC LIMIT ?",
                (org_id, dataset.file_id, size - k, size + k, COMPARED),
            )
        )
        same = False
        for row in remembered:
            apart = _apart(packed, row["rows"])
            if 0 < apart < k:
                raise Unanswerable(
                    f"these rows differ by fewer than {k} from those of an answer given in the"
                    " last 24 hours: set side by side, the two would describe those few (the"
                    " organization's disclosure control refuses it)"
                )
            same = same or apart == 0
        if not same:
            conn.table("disclosure_row_sets").insert(
                {
                    "org_id": org_id,
                    "file_id": dataset.file_id,
                    "created_at": stamp,
                    "expires_at": iso_in(REMEMBERED_S),
                    "row_count": size,
                    "rows": base64.b64encode(zlib.compress(packed.tobytes())).decode(),
                }
            )


def _apart(packed: np.ndarray, stored: str) -> int:
    """How many rows are in one set and not the other."""
    import numpy as np

    other = np.frombuffer(zlib.decompress(base64.b64decode(stored)), dtype=np.uint8)
    if other.shape != packed.shape:  # another version of the file: nothing in common
        return -1
    return int(np.unpackbits(np.bitwise_xor(packed, other)).sum())

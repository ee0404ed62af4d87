"""A refused question's spelling suggestions: the dataset's words from a vocabulary made
for the refusal (what ``service._spellings`` did) against the dataset's kept one
(``vocabulary_for``, what it does now), side by side in one run.

    python bench/refusal_spellings.py [--rounds 20]

Each development table (tests/data/analytics) is loaded as the tests load a file, with
its dictionary; then the two ways alternate, ``--rounds`` times each per table, and the
CPU seconds of each (the process's own time) and their ratio are printed, after checking
that both give the same words.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from appliance.analytics import datasets, lexicon, reader, service

DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "analytics"


def cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def before(ds: datasets.Dataset) -> set[str]:
    """``service._spellings`` as it was: the dataset's words from a new vocabulary."""
    words = {w for p in lexicon.STATISTICS for w in p.split()}
    words |= set(lexicon.SUPERLATIVES) | set(lexicon.COMPARATIVES)
    words -= lexicon.FILLER | set(lexicon.MONTHS)
    return words | {d.word for d in reader.Vocabulary(ds).data_words}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    devset = json.loads((DATA / "questions.json").read_text())
    folder = Path(tempfile.mkdtemp(prefix="bench-spellings-"))
    spent = {"a new vocabulary": 0.0, "the kept one": 0.0}
    calls = 0
    for name in sorted({q["dataset"] for q in devset["questions"]}):
        ds = datasets.load_file(DATA / f"{name}.csv", folder, name)
        ds.dictionary = devset["dictionaries"].get(name, {})
        assert before(ds) == service._spellings(ds), name
        for _ in range(args.rounds):
            start = cpu()
            before(ds)
            spent["a new vocabulary"] += cpu() - start
            start = cpu()
            service._spellings(ds)
            spent["the kept one"] += cpu() - start
            calls += 1
    for way, seconds in spent.items():
        print(f"{way:18} {1000 * seconds / calls:7.2f} ms of CPU a refusal")
    print(f"ratio (kept / new): {spent['the kept one'] / spent['a new vocabulary']:.2f}")


if __name__ == "__main__":
    main()

"""Concept recognition on its own (issue #22 item 3): records per second through the catalogue's code and name
matcher, and the import with and without it.

The records are the normalised rows of the benchmark's files (what the import hands the matcher). The matcher is
timed twice: uncached (every record matched from scratch: real data from many providers repeats less than a
generated record) and as the import calls it (cached by codings, text and category).
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

from pgo.bench import imports


@dataclass(frozen=True)
class RecognitionFigure:
    records: int
    distinct: int  # distinct (codings, text, category) among them
    uncached_per_s: float
    cached_per_s: float
    import_with_s: float
    import_without_s: float

    @property
    def import_share(self) -> float:
        """The part of the import's time that recognition takes (with - without) / with."""
        return (self.import_with_s - self.import_without_s) / self.import_with_s


def _resources(path: Path) -> Iterator[dict]:
    with path.open("rb") as fh:
        if path.suffix == ".ndjson":
            for line in fh:
                if line.strip():
                    yield json.loads(line)
            return
        document = json.load(fh)
    if document.get("resourceType") == "Bundle":
        yield from (entry.get("resource") or {} for entry in document.get("entry", []))
    else:
        yield document


def matcher_inputs(paths: list[Path]) -> list[tuple[tuple[tuple[str, str, str], ...], str, str]]:
    """(codings, title, catalogue category) of every shown record in these files, as the import builds them."""
    from pgo.literacy.recognition import catalogue_category
    from pgo.records.normalise import normalise

    found = []
    for path in paths:
        for resource in _resources(path):
            row = normalise(resource)
            if row is None:
                continue
            codings = tuple((c["system"], c["code"], c["display"]) for c in row.codings)
            found.append((codings, row.title, catalogue_category(row.category, str(row.details.get("kind", "")))))
    return found


def _rate(inputs, match, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        for codings, text, category in inputs:
            match(codings, text, category)
        times.append(time.perf_counter() - start)
    return len(inputs) / statistics.median(times)


@contextmanager
def recognition_switched_off() -> Iterator[None]:
    """The import with every record given the category's text without matching: the import's own cost only."""
    from pgo.literacy.recognition import LEVEL_GENERIC, Recognition

    unmatched = Recognition("", "", LEVEL_GENERIC)
    with mock.patch("pgo.records.importing.recognise_record", lambda *_args, **_kwargs: unmatched):
        yield


def measure(paths: list[Path], import_path: Path, folder: Path, rounds: int) -> RecognitionFigure:
    from pgo.literacy import catalogue
    from pgo.literacy.recognition import _recognise_cached, recognise
    from pgo.literacy.recognition_names import name_tables

    cat = catalogue.default_catalogue()
    name_tables()  # the tables are loaded once per process (at app start): not part of the matcher's rate
    inputs = matcher_inputs(paths)
    uncached = _rate(inputs, lambda c, t, k: recognise(c, t, k, catalogue=cat), rounds)
    _recognise_cached.cache_clear()
    cached = _rate(inputs, _recognise_cached, rounds)
    with_times, without_times = [], []
    for round_ in range(rounds):  # alternating, so that a busy moment of the machine hits both alike
        with_times.append(imports.import_once(import_path, folder, 100 + round_)[0])
        with recognition_switched_off():
            without_times.append(imports.import_once(import_path, folder, 200 + round_)[0])
    return RecognitionFigure(
        records=len(inputs),
        distinct=len(set(inputs)),
        uncached_per_s=uncached,
        cached_per_s=cached,
        import_with_s=statistics.median(with_times),
        import_without_s=statistics.median(without_times),
    )

"""Side effects are a field of their own in the catalogue, gated like the others (#15 part 3, 2026-12-03)."""

from __future__ import annotations

from pgo.literacy.catalogue import ATC, explain, load
from pgo.literacy.check import check_entry

LONG = " ".join(["Dit medicijn kan veel verschillende klachten geven"] * 4) + "."


def test_a_medicine_explains_its_side_effects_apart_from_why():
    simple = explain([(ATC, "C08CA01")], "medicine", "simple", "nl")
    detailed = explain([(ATC, "C08CA01")], "medicine", "detailed", "en")
    assert simple.entry_id == "amlodipine" and not simple.is_fallback
    assert "enkels" in simple.side_effects and "enkels" not in simple.why
    assert "edema" in detailed.side_effects and detailed.side_effects != simple.side_effects


def test_side_effects_are_optional_but_pass_the_gate_when_written(tmp_path):
    entry = """
- id: {id}
  category: medicine
  codes: ['atc:{code}']
  reviewed: 2026-12-03
  sources: [{{title: Apotheek.nl, url: "https://www.apotheek.nl/medicijnen"}}]
  nl: {{title: Middel, what: Dit is een middel., why: U krijgt het bij pijn., ask: Vraag hoe lang., {extra}}}
  en: {{title: Medicine, what: This is a medicine., why: You get it for pain., ask: Ask how long.}}
"""
    (tmp_path / "m.yaml").write_text(
        entry.format(id="without", code="X01", extra="")
        + entry.format(id="too-long", code="X02", extra=f"side_effects: {LONG}")
    )  # fmt: skip
    catalogue = load(tmp_path)
    results, missing = check_entry(catalogue.by_id["without"])
    assert missing == [] and all(not r.problems for r in results)
    results, missing = check_entry(catalogue.by_id["too-long"])
    gated = [p.message for r in results if r.lang == "nl" for p in r.problems]
    assert missing == [] and any("28 woorden" in message for message in gated)

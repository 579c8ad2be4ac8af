"""A guard (#23, 2026-12-03): every ``pytest.raises`` in the suite says which error it expects with ``match=``.

Without it, a test that expects a ValueError for a bad unit also passes when the code raises a ValueError for
any other reason (a typo, a wrong branch): the test can no longer fail for the bug it was written for.
"""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]


def raises_without_match(source: str) -> list[int]:
    """Line numbers of ``pytest.raises(...)`` calls without a ``match`` keyword."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "raises"
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "pytest"
            and not any(keyword.arg == "match" for keyword in node.keywords)
        ):
            lines.append(node.lineno)
    return lines


def test_every_pytest_raises_has_a_match():
    found = [
        f"{path.relative_to(TESTS.parent)}:{line}"
        for path in sorted(TESTS.rglob("*.py"))
        for line in raises_without_match(path.read_text(encoding="utf-8"))
    ]
    assert found == [], "pytest.raises without match= (say which error you expect):\n" + "\n".join(found)


def test_the_guard_sees_a_bare_raises():
    source = "import pytest\n\ndef test_x():\n    with pytest.raises(ValueError):\n        int('x')\n"
    assert raises_without_match(source) == [4]
    assert raises_without_match(source.replace("ValueError)", "ValueError, match='invalid')")) == []

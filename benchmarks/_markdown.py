"""Markdown tables for the benchmark reports (imported by the scripts beside it)."""

from __future__ import annotations

from collections.abc import Sequence


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[object]],
                   left: Sequence[int] = (0,)) -> str:
    """A Markdown table; columns not in ``left`` are right-aligned (numbers)."""
    align = ["---" if i in left else "---:" for i in range(len(header))]
    lines = ["| " + " | ".join(map(str, header)) + " |", "|" + "|".join(align) + "|"]
    lines += ["| " + " | ".join(map(str, row)) + " |" for row in rows]
    return "\n".join(lines)

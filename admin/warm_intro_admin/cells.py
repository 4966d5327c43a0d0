"""Cells that are safe to open in a spreadsheet, and read back unchanged (OWASP, CSV injection): a
cell that starts with = + - @, a tab or a carriage return would be run as a formula, so it gets a
leading apostrophe. A cell that already starts with an apostrophe before one of those (or before
another apostrophe) gets one too, so reading strips exactly what writing added; any other cell,
including a name like 'Abdu'l, is left alone both ways."""

from __future__ import annotations

TRIGGERS = frozenset("=+-@\t\r")
QUOTE = "'"


def escape(cell: str) -> str:
    if cell[:1] in TRIGGERS or (cell[:1] == QUOTE and _guarded(cell)):
        return QUOTE + cell
    return cell


def unescape(cell: str) -> str:
    return cell[1:] if cell[:1] == QUOTE and _guarded(cell) else cell


def _guarded(cell: str) -> bool:
    """An apostrophe that stands in front of a trigger or of another apostrophe."""
    return cell[1:2] != "" and (cell[1:2] in TRIGGERS or cell[1:2] == QUOTE)

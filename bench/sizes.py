"""DynamoDB item sizes and request units, by AWS's published rules (moto's own figures are wrong).

Size of an item: for every attribute, the UTF-8 length of its name plus the size of its value.
Strings and binaries count their bytes; a number about one byte per two significant digits plus
one; booleans and nulls one byte; lists and maps three bytes plus one per element plus their
contents (map keys count like attribute names); sets the sum of their elements."""

from __future__ import annotations

import base64
import math


def number_size(text: str) -> int:
    digits = text.lstrip("-").replace(".", "").lstrip("0").rstrip("0") or "0"
    return math.ceil(len(digits) / 2) + 1


def value_size(value: dict) -> int:
    ((kind, v),) = value.items()
    if kind == "S":
        return len(v.encode())
    if kind == "N":
        return number_size(v)
    if kind == "B":
        return len(v) if isinstance(v, bytes) else len(base64.b64decode(v))
    if kind in ("BOOL", "NULL"):
        return 1
    if kind == "SS":
        return sum(len(s.encode()) for s in v)
    if kind == "NS":
        return sum(number_size(n) for n in v)
    if kind == "BS":
        return sum(len(b) for b in v)
    if kind == "L":
        return 3 + sum(1 + value_size(e) for e in v)
    if kind == "M":
        return 3 + sum(1 + len(k.encode()) + value_size(e) for k, e in v.items())
    raise ValueError(f"unknown DynamoDB type {kind}")


def item_size(item: dict | None) -> int:
    return sum(len(name.encode()) + value_size(value) for name, value in (item or {}).items())


def wru(size: int) -> int:
    """Write request units for one item write: 1 per KB (or part), at least 1."""
    return max(1, math.ceil(size / 1024))


def rru(size: int, consistent: bool) -> float:
    """Read request units for one item read: 1 per 4 KB (or part) strongly consistent, half that
    for an eventually consistent read; a read that finds nothing still costs the minimum."""
    units = max(1, math.ceil(size / 4096))
    return units if consistent else units / 2

"""Argument types for the command line: each refuses a bad value with a sentence argparse prints
under the usage line (exit code 2), before anything reaches AWS."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from warm_intro.domain.errors import InvalidInput
from warm_intro.domain.validation import check_email, check_name

MAX_MONTHS = 120  # ten years of the by_month index: one Query per month, so a bound keeps a typo cheap
MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def address(value: str) -> str:
    try:
        return check_email("email", value)
    except InvalidInput as error:
        raise argparse.ArgumentTypeError(f"{value!r}: {error}") from None


def name(value: str) -> str:
    try:
        return check_name("name", value)
    except InvalidInput as error:
        raise argparse.ArgumentTypeError(f"{value!r}: {error}") from None


def month(value: str) -> str:
    found = MONTH.match(value.strip())
    if not found or not 1 <= int(found[2]) <= 12 or int(found[1]) < 1970:
        raise argparse.ArgumentTypeError(f"{value!r} is not a month: write it as YYYY-MM, e.g. 2026-03")
    return f"{found[1]}-{found[2]}"


def months(value: str) -> int:
    try:
        count = int(value)
    except ValueError:
        count = 0
    if not 1 <= count <= MAX_MONTHS:
        raise argparse.ArgumentTypeError(f"{value!r}: give a whole number of months from 1 to {MAX_MONTHS}")
    return count


def csv_file(value: str) -> Path:
    path = Path(value)
    if path.is_dir():
        raise argparse.ArgumentTypeError(f"{value}: is a directory; name the CSV file inside it")
    if not path.is_file():
        raise argparse.ArgumentTypeError(f"{value}: no such file")
    return path

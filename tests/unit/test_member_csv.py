"""`members list` writes cells a spreadsheet won't run as formulas (OWASP CSV injection), and `members
import` reads that output back unchanged: properties over every cell and every valid member list."""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from warm_intro.domain.errors import InvalidInput
from warm_intro.domain.validation import check_email, check_name
from warm_intro_admin import cells, members

RISKY_STARTS = ["=", "+", "-", "@", "\t", "\r", "'", "''", "'=", "'-", "' ", "=+", ""]


@given(start=st.sampled_from(RISKY_STARTS), rest=st.text(max_size=30))
@settings(max_examples=200, deadline=None)
def test_escaping_a_cell_makes_it_inert_and_unescaping_gives_it_back(start, rest):
    cell = start + rest
    written = cells.escape(cell)
    assert written[:1] not in cells.TRIGGERS
    assert cells.unescape(written) == cell


def test_a_name_that_starts_with_an_apostrophe_is_left_alone_both_ways():
    assert cells.escape("'Abdu'l Baha") == "'Abdu'l Baha" == cells.unescape("'Abdu'l Baha")
    assert cells.escape("=1+1") == "'=1+1" and cells.unescape("'=1+1") == "=1+1"


class Members:
    """The part of the repository members.write_csv reads."""

    def __init__(self, rows: list[tuple[str, str]]):
        self.rows = rows

    def members(self) -> list[tuple[str, str]]:
        return self.rows


@st.composite
def member(draw) -> tuple[str, str]:
    local = draw(st.text(alphabet="abcxyz019.+-=_'{}~!#$%&*/?^`|", min_size=1, max_size=12))
    name = draw(st.sampled_from(RISKY_STARTS)) + draw(st.text(max_size=40))
    try:
        email, canonical = check_email("email", f"{local}@example.org"), check_name("name", name)
    except InvalidInput:
        assume(False)
    return email, canonical


@given(rows=st.lists(member(), max_size=8, unique_by=lambda row: row[0]))
@settings(max_examples=150, deadline=None)
def test_members_list_reads_back_through_members_import_unchanged(rows):
    out = io.StringIO()
    assert members.write_csv(Members(rows), out) == len(rows)
    for record in list(csv.reader(io.StringIO(out.getvalue())))[1:]:
        assert all(cell[:1] not in cells.TRIGGERS for cell in record)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "members.csv"
        path.write_text(out.getvalue(), encoding="utf-8", newline="")
        good, rejected = members.read(path)
    assert rejected == []
    assert [(row.email, row.name) for row in good] == rows

"""The members CSV's optional aliases column: read, checked, and never claimed by two members."""

from __future__ import annotations

from pathlib import Path

from warm_intro_admin import members


def read(tmp_path: Path, text: str):
    path = tmp_path / "members.csv"
    path.write_text(text, encoding="utf-8")
    return members.read(path)


def test_without_the_column_aliases_are_left_alone(tmp_path):
    rows, rejected = read(tmp_path, "email,name\ngrace@example.org,Grace Hopper\n")
    assert rejected == [] and rows[0].aliases is None


def test_aliases_split_on_spaces_or_semicolons_and_are_checked_like_addresses(tmp_path):
    rows, rejected = read(
        tmp_path,
        "email,name,aliases\n"
        "grace@example.org,Grace Hopper,G.Hopper@Navy.example; grace.h@example.net\n"
        "ada@example.org,Ada Lovelace,\n"
        "alan@example.org,Alan Turing,not-an-address\n",
    )
    assert [(r.email, r.aliases) for r in rows] == [
        ("grace@example.org", ("g.hopper@navy.example", "grace.h@example.net")),
        ("ada@example.org", ()),
    ]
    assert [(line, why.split(":")[0]) for line, _, why in rejected] == [(4, "aliases")]


def test_an_address_is_one_members_only_as_address_or_alias(tmp_path):
    rows, rejected = read(
        tmp_path,
        "email,name,aliases\n"
        "grace@example.org,Grace Hopper,gh@example.net\n"
        "gh@example.net,Someone Else,\n"
        "ada@example.org,Ada Lovelace,grace@example.org\n",
    )
    assert [r.email for r in rows] == ["grace@example.org"]
    assert [(line, why) for line, _, why in rejected] == [
        (3, "duplicate of line 2"),
        (4, "alias grace@example.org is already an address of line 2"),
    ]

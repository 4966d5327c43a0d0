"""The members CSV may say which language each member reads: a shipped language, or empty to forget
it; a file without the column leaves what is stored alone."""

from __future__ import annotations

from pathlib import Path

from warm_intro_admin import members


def csv_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "members.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_language_column_is_read_checked_and_may_be_empty(tmp_path):
    rows, rejected = members.read(
        csv_file(
            tmp_path,
            "email,name,language\n"
            "grace@example.org,Grace Hopper,de\n"
            "katherine@example.org,Katherine Johnson, FR \n"
            "dorothy@example.org,Dorothy Vaughan,\n"
            "mary@example.org,Mary Jackson,klingon\n",
        )
    )
    assert [(r.email, r.language) for r in rows] == [
        ("grace@example.org", "de"),
        ("katherine@example.org", "fr"),
        ("dorothy@example.org", ""),
    ]
    assert rejected == [(5, "mary@example.org", "language: one of en, de, fr, es, or empty")]


def test_without_the_column_nothing_is_said_about_languages(tmp_path):
    rows, rejected = members.read(csv_file(tmp_path, "email,name\ngrace@example.org,Grace Hopper\n"))
    assert rejected == [] and [r.language for r in rows] == [None]

"""The admin CLI never shows a traceback (issue 19): every argument is checked with a clear message and
exit code 2 before anything reaches AWS; imports report every line they could not read, by number, and
never swallow the lines after a bad one; `members list` is safe to open in a spreadsheet and reads back
unchanged."""

from __future__ import annotations

import pytest

from warm_intro import runtime
from warm_intro_admin.cli import main

TABLE = ["--table", "intros-test", "--region", "us-east-1"]


def run(capsys, *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    try:
        code = main([*TABLE, *argv])
    except SystemExit as exit_:
        code = exit_.code
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["export", "--email", "not an address"], "doesn't look like an email address"),
        (["erase", "--email", "ada@"], "doesn't look like an email address"),
        (["members", "remove", "grace"], "doesn't look like an email address"),
        (["members", "add", "grace", "Grace Hopper"], "doesn't look like an email address"),
        (["members", "add", "grace@example.org", "Grace\nHopper"], "line breaks"),
        (["stats", "--to", "garbage"], "is not a month"),
        (["stats", "--to", "2026-13"], "is not a month"),
        (["stats", "--to", "2026-00"], "is not a month"),
        (["stats", "--months", "0"], "from 1 to 120"),
        (["stats", "--months", "-3"], "from 1 to 120"),
        (["stats", "--months", "100000000"], "from 1 to 120"),
        (["stats", "--months", "three"], "from 1 to 120"),
        (["outbox", "list", "--months", "0"], "from 1 to 120"),
        (["outbox", "resend", "--months", "-1"], "from 1 to 120"),
    ],
)
def test_a_bad_argument_is_refused_with_a_clear_message_and_exit_code_2(world, capsys, argv, says):
    before = runtime.client("dynamodb").scan(TableName=world.settings.table_name)["Items"]
    code, out, err = run(capsys, *argv)
    assert code == 2 and says in err and "Traceback" not in err + out
    assert "usage: warm-intro" in err
    assert runtime.client("dynamodb").scan(TableName=world.settings.table_name)["Items"] == before


def test_importing_a_directory_or_a_missing_file_is_refused_as_an_argument(world, capsys, tmp_path):
    code, _, err = run(capsys, "members", "import", str(tmp_path))
    assert code == 2 and "is a directory" in err and "Traceback" not in err
    code, _, err = run(capsys, "members", "import", str(tmp_path / "nowhere.csv"))
    assert code == 2 and "no such file" in err and "Traceback" not in err


def members_listed(capsys) -> list[str]:
    code, out, _ = run(capsys, "members", "list")
    assert code == 0
    return out.splitlines()


def test_an_unclosed_quote_or_a_huge_field_is_reported_by_line_and_hides_nothing(world, capsys, tmp_path):
    path = tmp_path / "members.csv"
    path.write_text(
        "email,name\n"
        "mary@example.org,Mary Somerville\n"
        'emmy@example.org,"Emmy Noether\n'  # the quote never closes
        "joan@example.org,Joan Clarke\n"
        f"huge@example.org,{'x' * 200_000}\n"  # past the csv module's field limit
        "hedy@example.org,Hedy Lamarr\n"
        'odd@example.org,"Odd" one\n',  # text after a closing quote
        encoding="utf-8",
    )
    code, out, err = run(capsys, "members", "import", str(path))
    assert code == 1 and "Traceback" not in out + err
    assert (
        'rejected line 3: emmy@example.org,"Emmy Noether: could not be read: a quote is opened and never closed'
        in out
    )
    assert "rejected line 5: " in out and "could not be read: a field is longer than 131072 characters" in out
    assert "rejected line 7: " in out and "could not be read: not valid CSV" in out
    assert "6 rows; 3 added or renamed, 0 already there, 3 rejected" in out
    listed = members_listed(capsys)
    for line in (
        "mary@example.org,Mary Somerville",
        "joan@example.org,Joan Clarke",
        "hedy@example.org,Hedy Lamarr",
    ):
        assert line in listed


RISKY = [
    # Names can't hold @ , ; " (mail programs read them as addresses), so a formula here has none of them;
    # every leading character the escaping covers is walked by tests/unit/test_member_csv.py.
    ("formula@example.org", "=HYPERLINK(1) click"),
    ("plus@example.org", "+1 Grace"),
    ("-minus@example.org", "-2+3 Hopper"),
    ("sum@example.org", "=SUM(1+1)"),
    ("quote@example.org", "'=already quoted"),
    ("apostrophe@example.org", "'Abdu'l Baha"),
]


def test_members_list_is_safe_in_a_spreadsheet_and_reads_back_unchanged(world, capsys, tmp_path):
    for email, name in RISKY:
        assert run(capsys, "members", "add", "--", email, name)[0] == 0
    listed = members_listed(capsys)
    cells = [cell for line in listed[1:] for cell in line.split(",", 1)]
    assert not [c for c in cells if c.lstrip('"')[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert "'-minus@example.org,'-2+3 Hopper" in listed and "apostrophe@example.org,'Abdu'l Baha" in listed
    before = {email: runtime.repository().member_name(email) for email, _ in RISKY}
    path = tmp_path / "listed.csv"
    path.write_text("\n".join(listed) + "\n", encoding="utf-8")
    code, out, _ = run(capsys, "members", "import", str(path))
    assert code == 0 and "0 added or renamed" in out and "0 rejected" in out
    assert {email: runtime.repository().member_name(email) for email, _ in RISKY} == before == dict(RISKY)

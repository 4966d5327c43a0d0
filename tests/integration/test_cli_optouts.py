"""`warm-intro optouts`: counts by kind and month, never an address or a hash; and lifting one
person's opt-out (at their own request), found by their address's keyed hash under any spelling,
logged with who, when and why."""

from __future__ import annotations

import boto3
import pytest

from tests.integration.steps import GRACE, awaiting_connector
from warm_intro import runtime
from warm_intro.adapters.optouts import OptOuts
from warm_intro.domain.hashing import address_hash
from warm_intro_admin.cli import main

TABLE = ["--table", "intros-test", "--region", "us-east-1"]


def run(capsys, *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main([*argv])
    out, err = capsys.readouterr()
    return code, out, err


def opt_out_in_one_click(world) -> None:
    awaiting_connector(world)
    unsubscribe = world.mail_to(GRACE)[-1]["headers"]["List-Unsubscribe"].strip("<>")
    answer = world.request(
        "POST",
        unsubscribe,
        headers={"content-type": "application/x-www-form-urlencoded"},
        body=b"List-Unsubscribe=One-Click",
    )
    assert answer.status == 200 and "will not ask you for an introduction again" in answer.text


@pytest.fixture
def hash_key(world, monkeypatch):
    monkeypatch.setenv("HASH_KEY", world.settings.hash_key)
    return world.settings.hash_key


def test_list_counts_each_kind_by_month_and_names_nobody(world, capsys, hash_key):
    opt_out_in_one_click(world)
    bounced = address_hash("gone@example.net", hash_key)
    runtime.repository().suppress(bounced, "bounced", world.now)
    code, out, _ = run(capsys, *TABLE, "optouts", "list")
    assert code == 0
    header, row, total = out.strip().splitlines()
    assert header.split() == ["month", "opted_out", "bounced"]
    assert row.split() == ["2026-09", "1", "1"] and total.split() == ["total", "1", "1"]
    assert "@" not in out and bounced not in out and address_hash(GRACE, hash_key) not in out


def test_restore_lifts_the_opt_out_under_another_spelling_and_logs_who_when_why(world, capsys, hash_key):
    opt_out_in_one_click(world)
    repo = runtime.repository()
    grace = address_hash(GRACE, hash_key)
    assert repo.suppressed([grace])
    code, out, _ = run(
        capsys, *TABLE, "optouts", "restore", "Grace@Example.org", "--reason", "asked by email"
    )
    assert code == 0 and "opt-out lifted" in out
    assert repo.suppressed([grace]) == set()
    (entry,) = OptOuts(repo).restorations()
    who = boto3.client("sts", region_name="us-east-1").get_caller_identity()["Arn"]
    assert (entry["by"], entry["why"], int(entry["at"])) == (who, "asked by email", world.now)
    assert GRACE not in str(entry)  # the log holds the hash, never the address
    code, out, _ = run(capsys, *TABLE, "optouts", "list")
    assert out.strip().splitlines()[0].split() == ["month", "restored"]

    awaiting_connector(
        world,
        requester={"name": "Ada Lovelace", "email": "ada@example.org"},
        target={"name": "Joan Clarke", "email": "joan@example.net"},
    )
    assert len([m for m in world.mail_to(GRACE) if m["subject"].startswith("Would you")]) == 2


def test_restore_never_lifts_a_bounce_and_needs_a_reason(world, capsys, hash_key):
    repo = runtime.repository()
    gone = address_hash("gone@example.net", hash_key)
    repo.suppress(gone, "bounced", world.now)
    code, out, _ = run(capsys, *TABLE, "optouts", "restore", "gone@example.net", "--reason", "asked")
    assert code == 0 and "no opt-out on record" in out and "still suppressed (bounced)" in out
    assert repo.suppressed([gone]) == {gone}
    code, _, err = run(capsys, *TABLE, "optouts", "restore", "gone@example.net", "--reason", "  ")
    assert code == 1 and "--reason" in err
    with pytest.raises(SystemExit) as exit_:
        main([*TABLE, "optouts", "restore", "gone@example.net"])
    assert exit_.value.code == 2
    assert OptOuts(repo).restorations() == []

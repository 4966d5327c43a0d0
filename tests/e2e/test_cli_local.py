"""`warm-intro --local` against the running local server's embedded AWS, as an admin would use it:
a member imported by the CLI can be asked for an introduction straight away."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.support.server import ROOT, LocalServer

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def server():
    srv = LocalServer()
    yield srv
    srv.stop()


def cli(server: LocalServer, *argv: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env["LOCAL_AWS_PORT"] = str(server.aws_port)  # as an admin next to `LOCAL_AWS_PORT=... make run` would
    return subprocess.run(
        [sys.executable, "-m", "warm_intro_admin", "--local", *argv],
        cwd=ROOT,
        env=env,
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_members_imported_through_the_cli_can_be_asked(server, tmp_path):
    listed = cli(server, "members", "list")
    assert listed.returncode == 0, listed.stderr
    assert "grace@example.org,Grace Hopper" in listed.stdout.splitlines()

    members = tmp_path / "members.csv"
    # agreed: Mary said she's happy to be asked (the default ConnectorPolicy asks only such members)
    members.write_text("email,name,agreed\nmary@example.org,Mary Somerville,yes\nbad address,Nobody,\n")
    imported = cli(server, "members", "import", str(members))
    assert imported.returncode == 1 and "1 added or renamed, 0 already there, 1 rejected" in imported.stdout

    before = len(server.outbox())
    status, _, body = server.post_json(
        "/intros",
        {
            "requester": {"name": "Ada Lovelace", "email": "ada@example.org"},
            "connector_email": "mary@example.org",
            "target": {"name": "Caroline Herschel"},
            "blurb": "I'm Ada; I'd love to hear how Caroline catalogues comets, for twenty minutes.",
        },
    )
    assert status == 202, body
    (confirm,) = [m for m in server.wait_for_mail(before + 1)[before:] if "ada@example.org" in m["to"][0]]
    link = next(w for w in confirm["text"].split() if "/link/" in w)
    assert server.post_form(link, {"decision": "confirm"})[0] == 200
    asked = server.wait_for_mail(before + 2)[-1]
    assert "mary@example.org" in asked["to"][0]

    figures = json.loads(cli(server, "stats", "--json", "--months", "1").stdout)
    assert figures["requests"] >= 1 and figures["confirmations"] >= 1


def test_a_server_that_is_not_running_is_a_clear_error():
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    gone = subprocess.run(
        [sys.executable, "-m", "warm_intro_admin", "--local", "members", "list"],
        cwd=ROOT,
        check=False,
        env={**env, "AWS_ENDPOINT_URL": "http://127.0.0.1:9"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert gone.returncode == 1 and "Cannot reach" in gone.stderr and "Traceback" not in gone.stderr


def test_removing_a_connector_says_what_became_of_their_open_ask_and_their_link_stops(server):
    before = len(server.outbox())
    status, _, body = server.post_json(
        "/intros",
        {
            "requester": {"name": "Katherine Johnson", "email": "katherine@example.org"},
            "connector_email": "dorothy@example.org",
            "target": {"name": "Mae Jemison", "email": "mae@example.net"},
            "blurb": "I'm Katherine; I'd love twenty minutes to hear how Mae prepared for her first flight.",
        },
    )
    assert status == 202, body
    (confirm,) = [
        m for m in server.wait_for_mail(before + 1)[before:] if "katherine@example.org" in m["to"][0]
    ]
    link = next(w for w in confirm["text"].split() if "/link/" in w)
    assert server.post_form(link, {"decision": "confirm"})[0] == 200
    asked = server.wait_for_mail(before + 2)[-1]
    assert "dorothy@example.org" in asked["to"][0]
    review = next(w for w in asked["text"].split() if "/link/" in w)

    removed = cli(server, "members", "remove", "dorothy@example.org")
    assert removed.returncode == 0, removed.stderr
    assert removed.stdout.splitlines() == [
        "dorothy@example.org: removed",
        "  1 open request waiting for them as connector: no more reminders; each closes neutrally when it expires",
    ]
    status, _, page = server.get(review)
    assert status == 410 and "This request has closed" in page and "<form" not in page
    assert server.post_form(review, {"decision": "approve"})[0] == 409
    assert not any("mae@example.net" in a for m in server.outbox()[before:] for a in m["to"])

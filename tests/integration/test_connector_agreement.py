"""Who may be named as connector: by default only members who agreed to be asked (the welcome mail's
one-click link, or the members CSV's agreed column). A request naming anyone else gets the same public
answer as any request and closes as "not possible", like one naming a non-member."""

from __future__ import annotations

import re

import pytest

from tests.integration.steps import ADA, intro_id
from warm_intro import runtime
from warm_intro.adapters.agreements import Agreements
from warm_intro.domain.model import Kind, State
from warm_intro_admin.cli import main

TABLE = ["--table", "intros-test", "--region", "us-east-1"]
JOAN = "joan@example.org"
WELCOME = re.compile(r"https://intros\.example\.org/welcome/\S+")


@pytest.fixture
def cli(world, monkeypatch, capsys):
    monkeypatch.setenv("HASH_KEY", world.settings.hash_key)
    monkeypatch.setenv("BASE_URL", world.settings.base_url)

    def run(*argv: str) -> tuple[int, str]:
        capsys.readouterr()
        code = main([*TABLE, *argv])
        return code, capsys.readouterr().out

    return run


def request_naming(world, connector: str) -> tuple[str, bytes]:
    answer = world.ask(connector_email=connector)
    assert answer.status == 202
    world.deliver()
    link = world.last_link(ADA)
    assert world.post_form(link, {"decision": "confirm"}).status == 200
    world.deliver()
    return intro_id(link), answer.body


def test_a_member_who_has_not_agreed_is_not_asked_and_nothing_says_why(world, cli):
    assert cli("members", "add", JOAN, "Joan Clarke")[0] == 0
    found, body = request_naming(world, JOAN)
    intro = world.intro(found)
    assert intro.state is State.REFUSED and Kind.NOT_POSSIBLE in intro.outbox
    assert world.mail_to(JOAN) == []
    stranger, stranger_body = request_naming(world, "stranger@example.com")
    assert body == stranger_body  # the same bytes as for a non-member
    assert set(world.intro(stranger).outbox) == set(intro.outbox)


def test_welcome_mails_each_member_once_and_its_link_lets_them_be_asked(world, cli):
    assert cli("members", "add", JOAN, "Joan Clarke")[0] == 0
    code, out = cli("members", "welcome", "--dry-run")
    assert code == 0 and out.splitlines() == [f"{JOAN}: would be welcomed"]  # the others already agreed
    assert world.mail_to(JOAN) == []
    code, out = cli("members", "welcome")
    assert code == 0 and out.splitlines() == [f"{JOAN}: welcomed"]
    (mail,) = world.mail_to(JOAN)
    assert mail["subject"] == "Would you be happy to be asked for introductions?"
    link = WELCOME.findall(mail["text"])[0]
    assert link in mail["html"] and "I'm happy to be asked" in mail["html"]
    assert cli("members", "welcome") == (0, "") and len(world.mail_to(JOAN)) == 1  # exactly once

    page = world.get(link)
    assert page.status == 200 and "happy to be asked" in page.text
    assert not Agreements(runtime.repository()).agreed(JOAN)  # opening it changes nothing
    assert world.post_form(link, {"decision": "agree"}).status == 200
    assert Agreements(runtime.repository()).agreed(JOAN)
    assert "already said yes" in world.get(link).text
    found, _ = request_naming(world, JOAN)
    assert world.intro(found).state is State.AWAITING_CONNECTOR and len(world.mail_to(JOAN)) == 2


def test_a_welcome_link_that_is_not_ours_shows_a_friendly_404(world):
    answer = world.get("/welcome/" + "x" * 32)
    assert answer.status == 404 and "doesn" in answer.text
    assert world.post_form("/welcome/" + "x" * 32, {"decision": "agree"}).status == 404


def test_the_members_csv_can_say_who_agreed(world, cli, tmp_path):
    path = tmp_path / "members.csv"
    path.write_text(f"email,name,agreed\n{JOAN},Joan Clarke,yes\nalan@example.org,Alan Turing,maybe\n")
    code, out = cli("members", "import", str(path))
    assert code == 1 and "agreed: write yes" in out
    found, _ = request_naming(world, JOAN)
    assert world.intro(found).state is State.AWAITING_CONNECTOR


@pytest.fixture
def any_member(monkeypatch):
    monkeypatch.setenv("CONNECTOR_POLICY", "any")  # read when the world starts


def test_an_organisation_may_let_any_member_be_named(any_member, world, cli):
    assert cli("members", "add", JOAN, "Joan Clarke")[0] == 0
    found, _ = request_naming(world, JOAN)
    assert world.intro(found).state is State.AWAITING_CONNECTOR and len(world.mail_to(JOAN)) == 1

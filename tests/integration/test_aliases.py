"""A member with more than one address: a requester who names Grace by her other address reaches
Grace, at her own (primary) address, and she counts once for her opt-out, preferences and limits."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.integration.steps import ADA, GRACE, intro_id
from tests.unit.test_mailbox import respelled
from warm_intro import runtime
from warm_intro.adapters.agreements import Agreements
from warm_intro.adapters.aliases import Aliases
from warm_intro.domain.model import Delivery, Kind, State
from warm_intro.services.membership import connector_address
from warm_intro_admin.cli import main

TABLE = ["--table", "intros-test", "--region", "us-east-1"]
ALIAS = "g.hopper@navy.example"
OTHERS = [(f"r{i}@example.org", f"Requester {i}") for i in range(3)]


@pytest.fixture
def aliased(world, monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("HASH_KEY", world.settings.hash_key)
    path = tmp_path / "members.csv"
    path.write_text(
        "email,name,aliases\n"
        f"grace@example.org,Grace Hopper,{ALIAS}\n" + "".join(f"{email},{name},\n" for email, name in OTHERS),
        encoding="utf-8",
    )
    assert main([*TABLE, "members", "import", str(path)]) == 0
    capsys.readouterr()
    return world


def request(world, requester: tuple[str, str], connector: str, target: str) -> str:
    email, name = requester
    answer = world.ask(
        requester={"name": name, "email": email},
        connector_email=connector,
        target={"name": target, "email": f"{target.lower()}@example.net"},
    )
    assert answer.status == 202
    world.deliver()
    link = world.last_link(email)
    assert world.post_form(link, {"decision": "confirm"}).status == 200
    world.deliver()
    return intro_id(link)


def test_naming_grace_by_her_alias_asks_her_at_her_own_address(aliased):
    world = aliased
    found = request(world, (ADA, "Ada Lovelace"), "G.Hopper+intros@Navy.example", "Alan")
    intro = world.intro(found)
    assert intro.state is State.AWAITING_CONNECTOR
    assert (intro.connector.email, intro.connector.name) == (GRACE, "Grace Hopper")
    (ask,) = world.mail_to(GRACE)
    assert len(ask["to"]) == 1 and GRACE in ask["to"][0]
    assert world.mail_to(ALIAS) == []
    assert world.post_form(world.last_link(GRACE), {"decision": "approve"}).status == 200
    assert world.intro(found).state is State.AWAITING_TARGET


def test_she_counts_once_for_her_weekly_cap_and_her_opt_out(aliased):
    world = aliased
    first = request(world, OTHERS[0], ALIAS, "Ted")
    second = request(world, OTHERS[1], GRACE, "Una")
    third = request(world, OTHERS[2], ALIAS, "Vic")  # her third ask this week: the default cap is 2
    assert [world.intro(i).outbox[Kind.CONNECTOR_ASK].status for i in (first, second, third)] == [
        Delivery.SENT,
        Delivery.SENT,
        Delivery.HELD,
    ]
    never = world.mail_to(GRACE)[-1]["headers"]["List-Unsubscribe"].strip("<>")
    assert world.post_form(never, {"decision": "opt_out"}).status == 200
    later = request(world, (ADA, "Ada Lovelace"), ALIAS, "Wes")
    assert world.intro(later).state is State.REFUSED and len(world.mail_to(GRACE)) == 2


def test_removing_grace_removes_her_aliases_and_list_reads_them_back(aliased, capsys):
    world = aliased
    assert main([*TABLE, "members", "list"]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert listed[0] == "email,name,aliases" and f"{GRACE},Grace Hopper,{ALIAS}" in listed
    assert main([*TABLE, "members", "remove", GRACE]) == 0
    assert Aliases(runtime.repository(), world.settings.hash_key).primary_of(ALIAS) is None
    refused = request(world, (ADA, "Ada Lovelace"), ALIAS, "Alan")
    assert world.intro(refused).state is State.REFUSED
    assert Kind.NOT_POSSIBLE in world.intro(refused).outbox


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_every_spelling_of_an_alias_finds_its_member(aliased, data):
    world = aliased
    key = world.settings.hash_key
    repo = runtime.repository()
    Aliases(repo, key).set(GRACE, [ALIAS, "grace.hopper@gmail.com"])
    base = data.draw(st.sampled_from([ALIAS, "grace.hopper@gmail.com"]))
    spelled = data.draw(respelled(base, ascii_only=True)).strip()
    assert connector_address(repo.begin(0), key, spelled) == GRACE
    assert connector_address(repo.begin(0), key, "someone.else@navy.example") == "someone.else@navy.example"


def test_erasing_grace_takes_her_aliases_and_her_agreement_with_her_membership(aliased, capsys):
    world = aliased
    repo = runtime.repository()
    assert Agreements(repo).agreed(GRACE)
    assert main([*TABLE, "erase", "--email", GRACE]) == 0
    assert Aliases(repo, world.settings.hash_key).of(GRACE) == []
    assert Aliases(repo, world.settings.hash_key).primary_of(ALIAS) is None
    assert not Agreements(repo).agreed(GRACE)

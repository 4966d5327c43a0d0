"""Proposals through the real handlers (in one process, moto as AWS): the form with its note coach,
the JSON endpoint, the pages behind each link, limits, export and erasure."""

from __future__ import annotations

import json

import pytest

from warm_intro import runtime
from warm_intro.domain.hashing import address_hash
from warm_intro.domain.model import Flow, Role, State
from warm_intro.services import personal_data

GRACE, ALAN, JOAN = "grace@example.org", "alan@example.net", "joan@example.net"
NOTE = (
    "Alan runs the Bletchley reading group and Joan has just started one at Hut 8. "
    "I think they'd enjoy comparing how they choose papers, and could help each other."
)
PROPOSAL = {
    "connector": {"name": "Grace Hopper", "email": GRACE},
    "people": [
        {"name": "Alan Turing", "email": ALAN, "about": "runs the Bletchley reading group"},
        {"name": "Joan Clarke", "email": JOAN, "about": "cryptanalyst at Hut 8"},
    ],
    "note": NOTE,
}
FORM = {
    "connector_name": "Grace Hopper",
    "connector_email": GRACE,
    "a_name": "Alan Turing",
    "a_email": ALAN,
    "a_about": "runs the Bletchley reading group",
    "b_name": "Joan Clarke",
    "b_email": JOAN,
    "note": NOTE,
}


def propose(world, **changes) -> str:
    answer = world.post_json("/proposals", json.dumps({**PROPOSAL, **changes}))
    assert answer.status == 202, answer.text
    world.deliver()
    return world.last_link(changes.get("connector", PROPOSAL["connector"])["email"])


def confirmed(world, **changes) -> str:
    link = propose(world, **changes)
    assert world.post_form(link, {"decision": "confirm"}).status == 200
    world.deliver()
    return link


def only_intro(world):
    (entry,) = [
        e
        for e in runtime.repository().client.scan(TableName=world.settings.table_name)["Items"]
        if e["pk"]["S"].startswith("INTRO#")
    ]
    return world.intro(entry["pk"]["S"].removeprefix("INTRO#"))


def test_the_json_endpoint_answers_202_whoever_is_named(world):
    member = world.post_json("/proposals", json.dumps(PROPOSAL))
    stranger = world.post_json(
        "/proposals", json.dumps({**PROPOSAL, "connector": {"name": "Eve", "email": "eve@example.com"}})
    )
    assert member.status == stranger.status == 202
    assert json.loads(member.text) == json.loads(stranger.text)


def test_the_json_endpoint_refuses_the_connector_as_one_of_the_two(world):
    people = [PROPOSAL["people"][0], {"name": "Grace", "email": GRACE}]
    answer = world.post_json("/proposals", json.dumps({**PROPOSAL, "people": people}))
    assert answer.status == 422 and "two other people" in answer.text


def test_both_yes_the_person_named_second_asked_first_then_one_introduction(world):
    confirmed(world)
    assert [m["subject"] for m in world.mail_to(ALAN)] == []  # the second named is asked first by default
    (ask,) = world.mail_to(JOAN)
    assert "Grace Hopper thinks you and Alan Turing" in ask["text"] and NOTE.split(".")[0] in ask["text"]
    assert ALAN not in ask["text"]  # Alan's address waits for both yeses
    assert world.post_form(world.last_link(JOAN), {"decision": "accept"}).status == 200
    world.deliver()
    (second,) = world.mail_to(ALAN)
    assert "Nobody asked for this" in second["text"]
    world.post_form(world.last_link(ALAN), {"decision": "accept"})
    world.deliver()
    intro = only_intro(world)
    assert intro.flow is Flow.PROPOSAL and intro.state is State.INTRODUCED
    (introduction,) = [m for m in world.mail() if m["subject"].startswith("Introduction:")]
    assert sorted(introduction["to"]) == sorted([f"Joan Clarke <{JOAN}>", f"Alan Turing <{ALAN}>"])
    assert introduction["cc"] == [f"Grace Hopper <{GRACE}>"]
    assert "Neither of you asked for this" in introduction["text"]
    vias = [(e.actor, e.via) for e in intro.history]
    assert (Role.TARGET, "proposal-consent-page:v2") in vias and (Role.CONNECTOR, "proposal-api:v1") in vias


def test_the_first_persons_no_means_the_second_never_hears(world):
    confirmed(world, ask_first=0)
    world.post_form(world.last_link(ALAN), {"decision": "decline"})
    world.deliver()
    assert world.mail_to(JOAN) == []
    assert only_intro(world).state is State.DECLINED
    page = world.get(world.last_link(GRACE))
    assert page.status == 200 and "Your introduction is on its way" in page.text  # until its moment


def test_a_non_member_proposer_is_told_after_confirming_and_nobody_is_asked(world):
    link = propose(world, connector={"name": "Eve", "email": "eve@example.com"})
    world.post_form(link, {"decision": "confirm"})
    world.deliver()
    assert world.mail_to(ALAN) == world.mail_to(JOAN) == []
    (told,) = [m for m in world.mail_to("eve@example.com") if "couldn't pass on" in m["subject"]]
    assert "Nobody has been contacted" in told["text"]


def test_a_person_who_opted_out_is_never_asked(world):
    runtime.repository().suppress(address_hash(JOAN, world.settings.hash_key), "opted_out", world.now)
    confirmed(world)
    assert world.mail_to(JOAN) == [] and only_intro(world).state is State.REFUSED


@pytest.fixture
def one_a_week(monkeypatch):
    monkeypatch.setenv("LIMIT_CONNECTOR_WEEK", "1")  # read when the world starts


def test_a_proposal_counts_toward_the_connectors_week(one_a_week, world):
    confirmed(world)
    link = propose(
        world, people=[PROPOSAL["people"][0], {"name": "Dilly Knox", "email": "dilly@example.net"}]
    )
    refused = world.post_form(link, {"decision": "confirm"})
    assert refused.status == 429 and "in the last 7 days" in refused.text


def test_the_form_coaches_then_sends_the_same_text_as_written(world):
    first = world.post_form("/introduce", {**FORM, "note": "Hi [name], you two should talk."})
    assert first.status == 200 and "placeholder" in first.text and "Send as it is" in first.text
    assert "Hi [name], you two should talk." in first.text  # the text kept
    assert world.mail() == []
    coached = first.text.split('name="coached" value="')[1].split('"')[0]
    sent = world.post_form(
        "/introduce", {**FORM, "note": "Hi [name], you two should talk.", "coached": coached}
    )
    assert sent.status == 200 and "Check your email" in sent.text
    world.deliver()
    assert len(world.mail_to(GRACE)) == 1


def test_a_good_note_goes_at_once_and_an_invalid_form_keeps_every_field(world):
    bad = world.post_form("/introduce", {**FORM, "b_email": "not an address"})
    assert bad.status == 422 and 'aria-invalid="true"' in bad.text and NOTE.split("'")[0] in bad.text
    assert world.post_form("/introduce", FORM).status == 200
    assert "Introduce two people" in world.get("/introduce").text


def test_the_request_form_coaches_too(world):
    form = {
        "requester_name": "Ada Lovelace",
        "requester_email": "ada@example.org",
        "connector_email": GRACE,
        "target_name": "Alan Turing",
        "blurb": "Dear Bob, I'd love to meet you for coffee and ask about your reading group one day.",
    }
    answer = world.post_form("/", form)
    assert answer.status == 200 and "It mentions Bob" in answer.text and world.mail() == []


def test_export_and_erasure_cover_a_proposal(world):
    confirmed(world)  # Joan (named second) is asked first; Alan not yet
    key, repo = world.settings.hash_key, runtime.repository()
    (joan,) = personal_data.export(key, repo, JOAN)["introductions"]
    assert joan["roles"] == ["target"] and joan["blurb"] == NOTE
    assert joan["requester"] == {"name": "Alan Turing", "about": "runs the Bletchley reading group"}
    (alan,) = personal_data.export(key, repo, ALAN)["introductions"]
    assert alan["roles"] == ["requester"] and alan["requester"]["about"] == "runs the Bletchley reading group"
    assert "blurb" not in alan and alan["target"] == {}  # never asked: nothing of the note or of Joan
    personal_data.erase(key, repo, GRACE, world.now)
    intro = only_intro(world)
    assert intro.state is State.WITHDRAWN and intro.blurb == "" and intro.requester.about is None
    assert GRACE not in json.dumps(personal_data.export(key, repo, JOAN))


def test_an_export_tells_nobody_who_said_no(world):
    """The first person declines: the connector's export, like their page, says it is on its way, and
    the second person, never asked, learns nothing of the first or of the note."""
    confirmed(world)
    world.post_form(world.last_link(JOAN), {"decision": "decline"})
    key, repo = world.settings.hash_key, runtime.repository()
    (grace,) = personal_data.export(key, repo, GRACE)["introductions"]
    (alan,) = personal_data.export(key, repo, ALAN)["introductions"]
    (joan,) = personal_data.export(key, repo, JOAN)["introductions"]
    assert grace["state"] == alan["state"] == "on_its_way" and joan["state"] == "declined"
    assert "Joan" not in json.dumps(alan) and "blurb" not in alan


@pytest.mark.parametrize("path", ["/introduce", "/proposals"])
def test_the_new_routes_are_in_the_template(path):
    from local import template

    routes = {
        (e["Properties"]["Path"], e["Properties"]["Method"])
        for f in template.resources("AWS::Serverless::Function").values()
        for e in f["Properties"].get("Events", {}).values()
        if e["Type"] == "HttpApi"
    }
    assert (path, "POST") in routes


def test_stats_count_proposals_apart_from_requests(world):
    from warm_intro_admin import stats

    confirmed(world)
    world.post_form(world.last_link(JOAN), {"decision": "accept"})
    world.deliver()
    world.post_form(world.last_link(ALAN), {"decision": "accept"})
    assert world.ask().status == 202
    month = stats.month_of(world.now)
    figures = stats.summarise(stats.collect(runtime.repository(), [month]), world.now, cap=5)
    assert figures["requests"] == 1 and figures["introductions"] == 0 and figures["open"] == 1
    assert figures["proposals"] == {
        "proposals": 1,
        "confirmed": 1,
        "first_yes": 1,
        "introductions": 1,
        "declines": 0,
        "expiries": 0,
        "withdrawals": 0,
        "open": 0,
    }
    assert "Introductions members proposed" in stats.render(figures, [month])


def test_the_openapi_document_describes_the_proposal_endpoint(world):
    doc = json.loads(world.get("/docs?format=json").text)
    post = doc["paths"]["/proposals"]["post"]
    assert {"202", "400", "413", "415", "422", "429"} <= set(post["responses"])
    schema = doc["components"]["schemas"]["ProposalRequest"]
    assert set(schema["required"]) == {"connector", "people", "note"}
    assert schema["properties"]["ask_first"]["default"] == 1
    person = doc["components"]["schemas"]["ProposedPerson"]["properties"]
    assert person["email"]["examples"] == ["alan@example.net"] and person["about"]["examples"] == [
        "codebreaker"
    ]


def test_removing_a_member_leaves_a_confirmed_proposal_running(world):
    from warm_intro.services import membership

    confirmed(world)
    removal = membership.remove(
        runtime.repository(), world.settings.hash_key, GRACE, world.now, policy="members"
    )
    assert removal.was_member and set(removal.effects) == {membership.Effect.PROPOSAL}
    world.post_form(world.last_link(JOAN), {"decision": "accept"})
    world.deliver()
    assert only_intro(world).state is State.AWAITING_SECOND and len(world.mail_to(ALAN)) == 1

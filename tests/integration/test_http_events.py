"""The handlers fed the sample events from events/, exactly as API Gateway would deliver them."""

from __future__ import annotations

from local.lambdas import invoke
from local.samples import load, with_token
from warm_intro.domain.model import Delivery, Kind, State


def only_intro(world):
    items = world_items(world)
    (intro_id,) = [i["pk"]["S"].removeprefix("INTRO#") for i in items if i["pk"]["S"].startswith("INTRO#")]
    return world.intro(intro_id)


def world_items(world):
    from warm_intro import runtime

    return runtime.client("dynamodb").scan(TableName=world.settings.table_name)["Items"]


def test_create_intro_event_is_accepted_and_waits_for_confirmation(world):
    answer = invoke("IntakeFunction", load("intake_create_intro.json"))
    assert answer["statusCode"] == 202
    intro = only_intro(world)
    assert intro.state is State.UNCONFIRMED
    assert intro.outbox[Kind.CONFIRM_REQUEST].status is Delivery.PENDING
    assert intro.history[0].via == "api"


def test_form_events_show_the_form_and_take_a_request(world):
    page = invoke("IntakeFunction", load("intake_form_get.json"))
    assert page["statusCode"] == 200 and "<form" in page["body"]
    assert page["headers"]["Referrer-Policy"] == "no-referrer"
    answer = invoke(
        "IntakeFunction", load("intake_form_post.json")
    )  # base64-encoded, as API Gateway sends forms
    assert answer["statusCode"] == 200 and "Check your email" in answer["body"]
    intro = only_intro(world)
    assert intro.target.email is None and intro.history[0].via == "form"


def test_link_events_with_a_stranger_token_change_nothing(world):
    for name in (
        "links_get.json",
        "links_head.json",
        "links_post_decision.json",
        "links_optout_one_click.json",
    ):
        answer = invoke("LinksFunction", load(name))
        assert answer["statusCode"] == 404, name
        assert "text/html" in answer["headers"]["Content-Type"]
    written = {i["pk"]["S"].split("#")[0] for i in world_items(world)}
    assert written == {"MEMBER"}  # nothing but the seeded members: no intro, no opt-out, no counter


def test_link_events_decide_and_one_click_opts_out(world):
    world.ask(target={"name": "Alan Turing", "email": "alan@example.net"})
    world.deliver()
    confirm = world.last_link("ada@example.org")
    assert invoke("LinksFunction", with_token(load("links_get.json"), confirm))["statusCode"] == 200
    world.post_form(confirm, {"decision": "confirm"})
    world.deliver()
    world.post_form(world.last_link("grace@example.org"), {"decision": "approve"})
    world.deliver()
    optout = world.last_link("alan@example.net", kind="optout")
    answer = invoke("LinksFunction", with_token(load("links_optout_one_click.json"), optout))
    assert answer["statusCode"] == 200
    intro = only_intro(world)
    assert intro.state is State.DECLINED  # a one-click "never ask me" while being asked is also a quiet no
    assert intro.history[-1].action == "opt_out"
    world.deliver()
    world.advance(days=20)  # the requester is told twenty days after confirming, whoever said no
    world.tick()
    world.deliver()
    close = world.mail()[-1]
    assert close["to"] == ["Ada Lovelace <ada@example.org>"] and "won't happen right now" in close["text"]


def test_any_other_address_gets_a_friendly_page_not_found(world):
    for method, path in (("GET", "/nowhere"), ("POST", "/link"), ("GET", "/intros")):
        answer = world.request(method, path)
        assert answer.status == 404, (method, path)
        assert "text/html" in answer.headers["content-type"] and "Page not found" in answer.text
